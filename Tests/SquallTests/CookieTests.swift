import Foundation
import Squall
import SquallTesting
import Testing

@testable import Squall

/// Applies one `set_cookie` fixture (`?i=N`) through the public API; a refused cookie answers 400 with the error.
final class SetCookieFixtureHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        let fixture = WebSecurityFixtures.setCookie[Int(try getArgument("i")) ?? 0]
        do {
            try setCookie(
                fixture.name,
                fixture.value,
                domain: fixture.domain,
                path: fixture.path,
                expires: fixture.expires,
                expiresDays: fixture.expiresDays,
                maxAge: fixture.maxAge,
                secure: fixture.secure,
                httpOnly: fixture.httpOnly,
                sameSite: fixture.sameSite
            )
            write("set")
        } catch let error as CookieError {
            setStatus(400)
            write(error.description)
        }
    }
}

/// The corpus's `CookieHandler`: a cookie with attributes from the query; a refused one answers 400.
final class CookieAttributesHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        do {
            try setCookie(
                "a",
                "b",
                domain: try getArgument("domain", default: nil),
                path: try getArgument("path", default: "/"),
                sameSite: try getArgument("samesite", default: nil)
            )
        } catch is CookieError {
            try await sendError(400)
        }
    }
}

/// Cookie reading and writing, one behaviour per path.
final class CookieHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        switch request.path {
        case "/cookies":
            try write(json: cookies)
        case "/get":
            write(getCookie("foo", default: "default") ?? "")
        case "/overwrite":
            try setCookie("a", "b", domain: "example.com")
            try setCookie("c", "d", domain: "example.com")
            try setCookie("a", "e")
        case "/expires-days":
            try setCookie("foo", "bar", expiresDays: 10)
        case "/flags":
            try setCookie("a", "1", secure: true)
            try setCookie("b", "1", secure: false)
            try setCookie("c", "1", httpOnly: true)
            try setCookie("d", "1", httpOnly: false)
        case "/clear":
            try clearCookie("foo", path: "/sub", domain: "example.com")
        case "/clear-all":
            try clearAllCookies()
            write("ok")
        case "/uncaught":
            try setCookie("bad name", "value")
        default:
            throw HTTPError(404)
        }
    }
}

@Suite struct CookieTests {
    static func app() throws -> Application {
        Application(rules: [
            try url("/set", SetCookieFixtureHandler.self),
            try url("/cookie", CookieAttributesHandler.self),
            try url("/.*", CookieHandler.self),
        ])
    }

    @Test(arguments: WebSecurityFixtures.setCookie)
    func setCookieHeaderIsTornados(_ fixture: SetCookieFixture) throws {
        let attributes = SetCookie.Attributes(
            domain: fixture.domain,
            path: fixture.path,
            expires: fixture.expires,
            expiresDays: fixture.expiresDays,
            maxAge: fixture.maxAge,
            secure: fixture.secure,
            httpOnly: fixture.httpOnly,
            sameSite: fixture.sameSite
        )
        switch fixture.expected {
        case .value(let header):
            #expect(
                try SetCookie.header(name: fixture.name, value: fixture.value, attributes, now: fixture.now) == header
            )
        case .error(let message):
            let error = #expect(throws: CookieError.self) {
                try SetCookie.header(name: fixture.name, value: fixture.value, attributes, now: fixture.now)
            }
            #expect(error?.description == message)
        }
    }

    @Test func setCookieSendsTornadosHeaderOverHTTP() async throws {
        try await withTestServer(try Self.app()) { server in
            for (index, fixture) in WebSecurityFixtures.setCookie.enumerated() where fixture.expiresDays == nil {
                let response = try await server.fetch("/set?i=\(index)")
                switch fixture.expected {
                case .value(let header):
                    #expect(response.status == 200, "\(fixture.name)")
                    #expect(response.headers.getList("Set-Cookie") == [header])
                case .error(let message):
                    #expect(response.status == 400, "\(fixture.name)")
                    #expect(response.text == message)
                    #expect(response.headers.getList("Set-Cookie").isEmpty)
                }
            }
        }
    }

    @Test(arguments: WebSecurityFixtures.clearCookie)
    func clearCookieHeaderIsTornados(_ fixture: ClearCookieFixture) throws {
        var attributes = SetCookie.Attributes(domain: fixture.domain, path: fixture.path)
        attributes.expires = SetCookie.clearedExpiry(now: fixture.now)
        #expect(try SetCookie.header(name: fixture.name, value: "", attributes, now: fixture.now) == fixture.expected)
    }

    @Test func requestCookiesAreTheOnesTornadoSees() async throws {
        try await withTestServer(try Self.app()) { server in
            for fixture in WebSecurityFixtures.requestCookies {
                let response = try await server.fetch("/cookies", headers: [("Cookie", fixture.header)])
                let cookies = try JSONDecoder().decode([String: String].self, from: Data(response.text.utf8))
                #expect(cookies == fixture.expected, "\(fixture.header)")
            }
        }
    }

    @Test func getCookieDecodesQuotedValuesAndFallsBackToTheDefault() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            #expect(try await server.fetch("/get", headers: [("Cookie", "foo=bar")]).text == "bar")
            #expect(try await server.fetch("/get", headers: [("Cookie", #"foo="bar""#)]).text == "bar")
            #expect(try await server.fetch("/get", headers: [("Cookie", #"foo="a\073b""#)]).text == "a;b")
            #expect(try await server.fetch("/get", headers: [("Cookie", "/=exception;")]).text == "default")
            #expect(try await server.fetch("/get").text == "default")
        }
    }

    @Test func settingACookieAgainReplacesItsHeader() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let headers = try await server.fetch("/overwrite").headers.getList("Set-Cookie")
            #expect(headers == ["c=d; Domain=example.com; Path=/", "a=e; Path=/"])
        }
    }

    @Test func falseFlagsAddNoAttributes() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let headers = try await server.fetch("/flags").headers.getList("Set-Cookie")
            #expect(headers == ["a=1; Path=/; Secure", "b=1; Path=/", "c=1; HttpOnly; Path=/", "d=1; Path=/"])
        }
    }

    @Test func expiresDaysCountsFromNow() async throws {
        try await withTestServer(try Self.app()) { server in
            let before = SignedValue.now()
            let header = try await server.fetch("/expires-days").headers["Set-Cookie"] ?? ""
            let after = SignedValue.now()
            let candidates = stride(from: (before - 1).rounded(.down), through: after.rounded(.up), by: 1).map {
                "foo=bar; expires=\(formatTimestamp($0 + 10 * 86400)); Path=/"
            }
            #expect(candidates.contains(header), "\(header)")
        }
    }

    @Test func clearCookieExpiresItAYearAgo() async throws {
        try await withTestServer(try Self.app()) { server in
            let before = SignedValue.now()
            let header = try await server.fetch("/clear").headers["Set-Cookie"] ?? ""
            let after = SignedValue.now()
            let candidates = stride(from: (before - 1).rounded(.down), through: after.rounded(.up), by: 1).map {
                #"foo=""; Domain=example.com; expires="# + formatTimestamp($0 - 365 * 86400) + "; Path=/sub"
            }
            #expect(candidates.contains(header), "\(header)")
        }
    }

    @Test func clearAllCookiesClearsWhatTheRequestSentInOrder() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/clear-all", headers: [("Cookie", "foo=bar; baz=xyzzy; path=x")])
            let headers = response.headers.getList("Set-Cookie")
            #expect(headers.count == 2)
            #expect(headers.first?.hasPrefix(#"foo=""; expires="#) == true)
            #expect(headers.last?.hasPrefix(#"baz=""; expires="#) == true)
            #expect(headers.allSatisfy { $0.hasSuffix("; Path=/") })
        }
    }

    /// Tornado's security corpus, 6.5.5: cookie attributes cannot smuggle in other attributes.
    @Test(arguments: [
        ("/cookie?domain=example.com;%20HttpOnly", "HttpOnly"),
        ("/cookie?path=/;Secure", "Secure"),
        ("/cookie?samesite=Lax;Partitioned", "Partitioned"),
        ("/cookie?path=/%0D%0ASet-Cookie:%20x=y", "x=y"),
    ])
    func cookieAttributeInjectionIsRefused(_ path: String, _ forbidden: String) async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch(path)
            #expect(response.status == 400)
            #expect(!response.headers.serialized.contains(forbidden))
            #expect(!response.text.contains(forbidden))
        }
    }

    @Test func anUncaughtCookieErrorIsA500() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/uncaught")
            #expect(response.status == 500)
            #expect(response.headers.getList("Set-Cookie").isEmpty)
        }
    }
}

final class CookieThenErrorHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        try setCookie("seen", "yes")
        throw HTTPError(403)
    }
}

@Suite struct CookiesSurviveErrorsTests {
    @Test func cookiesSetBeforeAnErrorGoOutWithTheErrorPage() async throws {
        let app = Application(rules: [try url("/", CookieThenErrorHandler.self)])
        try await withTestServer(app) { server async throws in
            let response = try await server.fetch("/")
            #expect(response.status == 403)
            // Without restoreNewCookies() in clear(), the error page would drop the cookie.
            #expect(response.headers.getList("Set-Cookie").contains { $0.hasPrefix("seen=yes") })
        }
    }
}
