import Squall
import SquallTesting
import Synchronization
import Testing

/// How many times ``SessionHandler/getCurrentUser()`` ran, for the caching test.
let currentUserCalls = Mutex(0)

/// A user read from the signed `user` cookie.
struct User: Sendable, Equatable {
    var name: String
}

/// Requires a login; the user comes from the signed `user` cookie.
final class SessionHandler: RequestHandler, @unchecked Sendable {
    override func getCurrentUser() throws -> (any Sendable)? {
        currentUserCalls.withLock { $0 += 1 }
        return try getSecureCookie("user").map(User.init)
    }

    override func get() async throws {
        try await authenticated()
        let user = try currentUser as? User
        _ = try currentUser
        write("hello \(user?.name ?? "?")")
    }

    override func head() async throws {
        try await authenticated()
    }

    override func post() async throws {
        try await authenticated()
        write("posted")
    }
}

/// Logs a user in: sets the signed `user` cookie.
final class LoginHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        try setSecureCookie("user", try getArgument("name"))
        write("logged in")
    }
}

/// Loads the user in `prepare()` (as an asynchronous lookup would) and stores it with `setCurrentUser`.
/// (The default ``RequestHandler/getCurrentUser()`` returns `nil`, so a user seen in `get()` came from `prepare()`.)
final class PreparedUserHandler: RequestHandler, @unchecked Sendable {
    override func prepare() async throws {
        try await Task.sleep(for: .milliseconds(1))
        if let name = try getArgument("as", default: nil) { setCurrentUser(User(name: name)) }
    }

    override func get() async throws {
        try await authenticated()
        write("hello \((try currentUser as? User)?.name ?? "?")")
    }
}

/// Replays one `@authenticated` fixture, chosen by the `X-Fixture` header, with its login URL.
final class AuthRedirectFixtureHandler: RequestHandler, @unchecked Sendable {
    override func getLoginURL() throws -> String {
        WebSecurityFixtures.authRedirects[Int(request.headers["X-Fixture"] ?? "") ?? 0].loginURL
    }

    override func get() async throws {
        try await authenticated()
        throw HTTPError(500, logMessage: "not logged in, so never reached")
    }
}

@Suite(.serialized) struct AuthTests {
    static func app(loginURL: String? = "/login") throws -> Application {
        var settings = Settings()
        settings.cookieSecret = .single("auth secret")
        settings.loginURL = loginURL
        return Application(
            rules: [
                try url("/private", SessionHandler.self),
                try url("/login-as", LoginHandler.self),
                try url("/prepared", PreparedUserHandler.self),
                try url("/.*", AuthRedirectFixtureHandler.self),
            ],
            settings: settings
        )
    }

    @Test func redirectsGoWhereTornadosGo() async throws {
        try await withTestServer(try Self.app()) { server in
            for (index, fixture) in WebSecurityFixtures.authRedirects.enumerated() {
                let response = try await server.fetch(
                    fixture.uri,
                    headers: [("Host", fixture.host), ("X-Fixture", String(index))]
                )
                #expect(response.status == 302, "\(fixture.loginURL)")
                // A header value cannot start or end with spaces on the wire.
                let expected = fixture.location.trimmingPrefix(while: { $0 == " " })
                #expect(response.headers["Location"] == String(expected), "\(fixture.loginURL)")
            }
        }
    }

    @Test func anAnonymousGetIsSentToTheLoginPage() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/private?tab=2")
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/login?next=%2Fprivate%3Ftab%3D2")
            let head = try await server.fetch("/private", method: "HEAD")
            #expect(head.status == 302)
            #expect(head.headers["Location"] == "/login?next=%2Fprivate")
        }
    }

    @Test func anAbsoluteLoginURLGetsAnAbsoluteNext() async throws {
        try await withTestServer(try Self.app(loginURL: "https://sso.example.com/login")) { server async throws in
            let response = try await server.fetch("/private", headers: [("Host", "app.example.com")])
            #expect(
                response.headers["Location"]
                    == "https://sso.example.com/login?next=http%3A%2F%2Fapp.example.com%2Fprivate"
            )
        }
    }

    @Test func anAnonymousPostIsForbidden() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            #expect(try await server.fetch("/private", method: "POST", body: "").status == 403)
        }
    }

    @Test func aLoggedInUserGetsThroughAndTheUserIsLoadedOnce() async throws {
        try await withTestServer(try Self.app()) { server in
            let login = try await server.fetch("/login-as?name=alice")
            let cookie = try #require(setCookieValue(login, "user"))
            currentUserCalls.withLock { $0 = 0 }
            let get = try await server.fetch("/private", headers: [("Cookie", "user=\(cookie)")])
            #expect(get.status == 200)
            #expect(get.text == "hello alice")
            #expect(currentUserCalls.withLock { $0 } == 1)
            let post = try await server.fetch(
                "/private",
                method: "POST",
                headers: [("Cookie", "user=\(cookie)")],
                body: ""
            )
            #expect(post.text == "posted")
        }
    }

    @Test func aForgedUserCookieIsNotALogin() async throws {
        try await withTestServer(try Self.app()) { server in
            let forged = try createSignedValue(secret: .single("another secret"), name: "user", value: "admin")
            let response = try await server.fetch("/private", headers: [("Cookie", "user=\"\(forged)\"")])
            #expect(response.status == 302)
        }
    }

    @Test func prepareCanSetTheUser() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            #expect(try await server.fetch("/prepared?as=bob").text == "hello bob")
            #expect(try await server.fetch("/prepared").status == 302)
        }
    }

    @Test func withoutALoginURLAuthenticationIsAServerError() async throws {
        for loginURL: String? in [nil, ""] {
            try await withTestServer(try Self.app(loginURL: loginURL)) { server async throws in
                #expect(try await server.fetch("/private").status == 500)
            }
        }
    }
}
