import Squall
import SquallTesting
import Synchronization
import Testing

@testable import Squall

/// Whether ``XSRFHandler/prepare()`` ran, for the test that protection runs before it.
let xsrfPrepared = Mutex(false)

/// Tornado's corpus `XSRFHandler`: GET writes the token, POST (and PUT, DELETE, PATCH) writes "ok". A refused
/// request reports the 403's log message in `X-Log-Message`.
final class XSRFHandler: RequestHandler, @unchecked Sendable {
    override func prepare() async throws { xsrfPrepared.withLock { $0 = true } }
    override func get() async throws {
        switch request.path {
        case "/form": write(try xsrfFormHTML())
        case "/twice": write(try xsrfToken + " " + (try xsrfToken))
        default: write(try xsrfToken)
        }
    }
    override func head() async throws {}
    override func options() async throws {}
    override func post() async throws { write("ok") }
    override func put() async throws { write("ok") }
    override func delete() async throws { write("ok") }
    override func patch() async throws { write("ok") }

    override func checkXSRFCookie() throws {
        do {
            try super.checkXSRFCookie()
        } catch var error as HTTPError {
            error.headers.append(("X-Log-Message", error.logMessage ?? ""))
            throw error
        }
    }
}

/// A handler whose user is logged in, for the XSRF cookie's expiry.
final class LoggedInXSRFHandler: RequestHandler, @unchecked Sendable {
    override func getCurrentUser() throws -> (any Sendable)? { "alice" }
    override func get() async throws { write(try xsrfToken) }
}

/// Trusts any `*.example.com` origin (Tornado's `check_trusted_origin` example).
final class SubdomainTrustingHandler: RequestHandler, @unchecked Sendable {
    override func checkTrustedOrigin(_ origin: String) -> Bool { origin.hasSuffix(".example.com") }
    override func post() async throws { write("ok") }
}

@Suite(.serialized) struct XSRFTests {
    static func app(
        xsrf: Bool = true,
        crossOrigin: Bool = false,
        trusted: Set<String> = [],
        options: [String: String] = [:]
    ) throws -> Application {
        var settings = Settings()
        settings.xsrfCookies = xsrf
        settings.crossOriginProtection = crossOrigin
        settings.trustedOrigins = trusted
        settings.xsrfCookieOptions = options
        return Application(
            rules: [
                try url("/user", LoggedInXSRFHandler.self),
                try url("/subdomains", SubdomainTrustingHandler.self),
                try url("/error", ErrorHandler.self, arguments: ["statusCode": 417]),
                try url("/(?:xsrf|form|twice)?", XSRFHandler.self),
            ],
            settings: settings
        )
    }

    static let form = [("Content-Type", "application/x-www-form-urlencoded")]

    /// The query string Python's `urlencode({"_xsrf": token})` makes.
    static func query(_ token: String) -> String {
        urlConcat("", [("_xsrf", token)])
    }

    // MARK: - Tokens, byte for byte

    @Test(arguments: WebSecurityFixtures.xsrfTokens)
    func tokensAreTornados(_ fixture: XSRFTokenFixture) throws {
        let decoded = fixture.cookie.flatMap { $0.isEmpty ? nil : XSRFToken.decode($0, now: fixture.now) }
        #expect(decoded?.version == fixture.decoded?.version)
        #expect(decoded?.token == fixture.decoded?.token)
        #expect(decoded?.timestamp == fixture.decoded?.timestamp)
        let raw = decoded ?? RawXSRFToken(version: nil, token: fixture.newToken, timestamp: String(Int(fixture.now)))
        let token = XSRFToken.encode(raw, mask: fixture.mask)
        #expect(token == fixture.token)
        let setCookie =
            try raw.version == nil
            ? SetCookie.header(name: "_xsrf", value: token, SetCookie.Attributes(), now: fixture.now) : nil
        #expect(setCookie == fixture.setCookie)
    }

    @Test func checksAcceptAndRefuseWhatTornadoDoes() async throws {
        try await withTestServer(try Self.app()) { server in
            for fixture in WebSecurityFixtures.xsrfChecks {
                var headers: [(String, String)] = []
                if let cookie = fixture.cookie { headers.append(("Cookie", "_xsrf=\(cookie)")) }
                if let token = fixture.xsrfHeader { headers.append(("X-XSRFToken", token)) }
                if let token = fixture.csrfHeader { headers.append(("X-CSRFToken", token)) }
                let path = "/" + (fixture.argument.map(Self.query) ?? "")
                let response = try await server.fetch(path, method: "POST", headers: headers, body: "")
                let description = "cookie \(fixture.cookie ?? "-") argument \(fixture.argument ?? "-")"
                if let message = fixture.expected {
                    #expect(response.status == 403, "\(description)")
                    #expect(response.headers["X-Log-Message"] == message, "\(description)")
                } else {
                    #expect(response.status == 200, "\(description)")
                    #expect(response.text == "ok")
                }
            }
        }
    }

    // MARK: - The token over HTTP

    @Test func aNewTokenSetsTheCookieAndValidatesAPost() async throws {
        try await withTestServer(try Self.app()) { server in
            let get = try await server.fetch("/xsrf")
            let token = get.text
            #expect(token.hasPrefix("2|"))
            #expect(token.split(separator: "|").count == 4)
            let cookie = try #require(setCookieValue(get, "_xsrf"))
            #expect(get.headers["Set-Cookie"] == "_xsrf=\(cookie); Path=/")
            // The cookie holds the token as it was first masked; any masking of the same raw token validates.
            let post = try await server.fetch(
                "/xsrf",
                method: "POST",
                headers: [("Cookie", "_xsrf=\(cookie)")] + Self.form,
                body: String(Self.query(token).dropFirst())
            )
            #expect(post.status == 200)
            // A request with the cookie gets a differently masked token and no new cookie.
            let again = try await server.fetch("/xsrf", headers: [("Cookie", "_xsrf=\(cookie)")])
            #expect(again.headers.getList("Set-Cookie").isEmpty)
            #expect(again.text != token)
            let raw = XSRFToken.decode(again.text, now: 0)?.token
            #expect(raw != nil && raw == XSRFToken.decode(cookie, now: 0)?.token)
        }
    }

    @Test func theTokenIsComputedOncePerRequest() async throws {
        try await withTestServer(try Self.app()) { server in
            let response = try await server.fetch("/twice")
            let tokens = response.text.split(separator: " ")
            #expect(tokens.count == 2 && tokens[0] == tokens[1])
            #expect(response.headers.getList("Set-Cookie").count == 1)
        }
    }

    /// Tornado's security corpus, 3.2.2 (BREACH): each page masks the token differently.
    @Test func theRawTokenNeverAppearsInThePage() async throws {
        try await withTestServer(try Self.app()) { server in
            let cookie = [("Cookie", "_xsrf=0123456789abcdef0123456789abcdef")]
            let first = try await server.fetch("/xsrf", headers: cookie).text
            let second = try await server.fetch("/xsrf", headers: cookie).text
            #expect(!first.contains("0123456789abcdef") && !second.contains("0123456789abcdef"))
            #expect(first != second)
        }
    }

    @Test func tokensWorkInTheHeadersToo() async throws {
        try await withTestServer(try Self.app()) { server in
            let get = try await server.fetch("/xsrf")
            let cookie = try #require(setCookieValue(get, "_xsrf"))
            for header in ["X-XSRFToken", "X-CSRFToken", "x-xsrftoken"] {
                let response = try await server.fetch(
                    "/xsrf",
                    method: "POST",
                    headers: [("Cookie", "_xsrf=\(cookie)"), (header, get.text)],
                    body: ""
                )
                #expect(response.status == 200, "\(header)")
            }
        }
    }

    @Test func everyUnsafeMethodIsCheckedAndSafeOnesAreNot() async throws {
        try await withTestServer(try Self.app()) { server in
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                let response = try await server.fetch("/xsrf", method: method, body: "")
                #expect(response.status == 403, "\(method)")
                #expect(response.headers["X-Log-Message"] == "'_xsrf' argument missing from POST")
            }
            for method in ["GET", "HEAD", "OPTIONS"] {
                #expect(try await server.fetch("/xsrf", method: method).status == 200, "\(method)")
            }
        }
    }

    @Test func theCheckRunsBeforePrepare() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            xsrfPrepared.withLock { $0 = false }
            #expect(try await server.fetch("/xsrf", method: "POST", body: "").status == 403)
            #expect(xsrfPrepared.withLock { $0 } == false)
        }
    }

    /// Tornado's security corpus, 1.1.1: `X-Requested-With` does not exempt a request.
    @Test func xRequestedWithIsNoExemption() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let headers = [("X-Requested-With", "XMLHttpRequest")] + Self.form
            #expect(try await server.fetch("/xsrf", method: "POST", headers: headers, body: "a=b").status == 403)
        }
    }

    /// Tornado's security corpus, 4.4.2: another cookie's value cannot set `_xsrf`.
    @Test func aCookieValueCannotInjectTheXSRFCookie() async throws {
        try await withTestServer(try Self.app()) { server in
            let headers = [("Cookie", "a=b]_xsrf=injected")] + Self.form
            let response = try await server.fetch("/xsrf", method: "POST", headers: headers, body: "_xsrf=injected")
            #expect(response.status == 403)
            #expect(response.headers["X-Log-Message"] == "XSRF cookie does not match POST argument")
            // The same pair is accepted when the cookie really is _xsrf.
            let genuine = [("Cookie", "a=b; _xsrf=injected")] + Self.form
            #expect(
                try await server.fetch("/xsrf", method: "POST", headers: genuine, body: "_xsrf=injected").status == 200
            )
        }
    }

    @Test func theFormFieldCarriesTheToken() async throws {
        try await withTestServer(try Self.app()) { server in
            let html = try await server.fetch("/form").text
            #expect(html.hasPrefix(#"<input type="hidden" name="_xsrf" value="2|"#))
            #expect(html.hasSuffix(#""/>"#))
        }
    }

    @Test func cookieOptionsApplyToTheXSRFCookie() async throws {
        let options = ["httponly": "true", "expires_days": "2", "sameSite": "Strict", "secure": "True"]
        try await withTestServer(try Self.app(options: options)) { server in
            let header = try await server.fetch("/xsrf").headers["Set-Cookie"] ?? ""
            #expect(header.contains("; expires="))
            #expect(header.hasSuffix("; HttpOnly; Path=/; SameSite=Strict; Secure"))
        }
        try await withTestServer(try Self.app(options: ["colour": "blue"])) { server async throws in
            #expect(try await server.fetch("/xsrf").status == 500)
        }
    }

    @Test func aLoggedInUsersXSRFCookieLastsThirtyDays() async throws {
        try await withTestServer(try Self.app()) { server in
            let before = SignedValue.now()
            let header = try await server.fetch("/user").headers["Set-Cookie"] ?? ""
            let after = SignedValue.now()
            let dates = stride(from: (before - 1).rounded(.down), through: after.rounded(.up), by: 1).map {
                "; expires=\(formatTimestamp($0 + 30 * 86400)); Path=/"
            }
            #expect(dates.contains { header.hasSuffix($0) }, "\(header)")
        }
    }

    @Test func errorPagesAreNotChecked() async throws {
        try await withTestServer(try Self.app(crossOrigin: true)) { server async throws in
            let crossSite = [("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.com")]
            #expect(try await server.fetch("/error", method: "POST", body: "").status == 417)
            #expect(try await server.fetch("/missing", method: "POST", body: "").status == 404)
            #expect(try await server.fetch("/error", method: "POST", headers: crossSite, body: "").status == 417)
            #expect(try await server.fetch("/missing", method: "POST", headers: crossSite, body: "").status == 404)
        }
    }

    @Test func withoutTheSettingNothingIsChecked() async throws {
        try await withTestServer(try Self.app(xsrf: false)) { server async throws in
            let crossSite = [("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.com")]
            #expect(try await server.fetch("/xsrf", method: "POST", headers: crossSite, body: "").status == 200)
        }
    }

    // MARK: - Cross-origin protection

    @Test(arguments: WebSecurityFixtures.crossOrigin)
    func crossOriginDecisionsAreTornados(_ fixture: CrossOriginFixture) {
        let refusal = CrossOriginProtection.refusal(
            secFetchSite: fixture.secFetchSite,
            origin: fixture.origin,
            host: fixture.host,
            isTrusted: { origin in fixture.trusted.contains { CrossOriginProtection.same($0, origin) } }
        )
        switch fixture.expected {
        case .value(let message):
            #expect(refusal == message)
        case .error:
            // Tornado's urlsplit raises (a 500); Squall refuses.
            #expect(refusal?.hasSuffix("not allowed: not a valid URL") == true)
        }
    }

    @Test func crossOriginDecisionsHoldOverHTTP() async throws {
        let trusted = Set(WebSecurityFixtures.crossOrigin[0].trusted)
        try await withTestServer(try Self.app(xsrf: false, crossOrigin: true, trusted: trusted)) { server in
            for fixture in WebSecurityFixtures.crossOrigin where !fixture.host.isEmpty {
                var headers = [("Host", fixture.host)]
                if let site = fixture.secFetchSite { headers.append(("Sec-Fetch-Site", site)) }
                if let origin = fixture.origin { headers.append(("Origin", origin)) }
                let response = try await server.fetch("/xsrf", method: "POST", headers: headers, body: "")
                let allowed = if case .value(.none) = fixture.expected { true } else { false }
                #expect(response.status == (allowed ? 200 : 403), "\(headers)")
            }
        }
    }

    @Test func crossOriginProtectionCoversUnsafeMethodsOnly() async throws {
        try await withTestServer(try Self.app(xsrf: false, crossOrigin: true)) { server async throws in
            let crossSite = [("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example.com")]
            for method in ["GET", "HEAD", "OPTIONS"] {
                #expect(try await server.fetch("/xsrf", method: method, headers: crossSite).status == 200)
            }
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                #expect(try await server.fetch("/xsrf", method: method, headers: crossSite, body: "").status == 403)
            }
            let sameOrigin = [("Sec-Fetch-Site", "same-origin")]
            #expect(try await server.fetch("/xsrf", method: "POST", headers: sameOrigin, body: "").status == 200)
        }
    }

    @Test func checkTrustedOriginCanBeOverridden() async throws {
        try await withTestServer(try Self.app(xsrf: false, crossOrigin: true)) { server async throws in
            for (headers, status) in [
                ([("Sec-Fetch-Site", "same-site"), ("Origin", "https://app.example.com")], 200),
                ([("Origin", "https://app.example.com")], 200),
                ([("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.com")], 403),
                ([("Origin", "https://evil.com")], 403),
            ] {
                #expect(
                    try await server.fetch("/subdomains", method: "POST", headers: headers, body: "").status == status
                )
            }
        }
    }

    @Test func xsrfAndCrossOriginChecksAreBothApplied() async throws {
        try await withTestServer(try Self.app(crossOrigin: true)) { server in
            let get = try await server.fetch("/xsrf")
            let token = [("Cookie", "_xsrf=\(try #require(setCookieValue(get, "_xsrf")))"), ("X-XSRFToken", get.text)]
            let sameOrigin = [("Sec-Fetch-Site", "same-origin")]
            let crossSite = [("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.com")]
            #expect(
                try await server.fetch("/xsrf", method: "POST", headers: sameOrigin + token, body: "").status == 200
            )
            #expect(try await server.fetch("/xsrf", method: "POST", headers: sameOrigin, body: "").status == 403)
            #expect(try await server.fetch("/xsrf", method: "POST", headers: crossSite + token, body: "").status == 403)
        }
    }
}
