import Squall
import SquallTesting
import Testing

@testable import Squall

/// Signed cookies through the handler API, one behaviour per path.
final class SecureCookieHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        let name = try getArgument("name", default: "user") ?? "user"
        switch request.path {
        case "/set":
            try setSecureCookie(
                name,
                try getArgument("value"),
                version: Int(try getArgument("version", default: "2") ?? "") ?? 2
            )
        case "/set-bytes":
            try setSecureCookie(name, [0x00, 0xFF, 0xE9])
        case "/get":
            let maxAgeDays = Double(try getArgument("maxAgeDays", default: "31") ?? "") ?? 31
            let minVersion = Int(try getArgument("minVersion", default: "1") ?? "") ?? 1
            guard let value = try getSecureCookie(name, maxAgeDays: maxAgeDays, minVersion: minVersion) else {
                throw HTTPError(403)
            }
            write(value)
        case "/get-bytes":
            guard let bytes = try getSecureCookieBytes(name) else { throw HTTPError(403) }
            write(bytes.map(String.init).joined(separator: ","))
        case "/key-version":
            write(try getSecureCookieKeyVersion(name).map(String.init) ?? "none")
        case "/signed-value":
            let signed = try createSignedValue("token", "payload")
            write(try getSecureCookie("token", value: signed) ?? "invalid")
        default:
            throw HTTPError(404)
        }
    }
}

/// A fixture's secret as Squall takes it.
func cookieSecret(_ fixture: CookieSecretFixture, current: Int? = nil) -> CookieSecret {
    switch fixture {
    case .single(let key): .single(key)
    case .versioned(let keys): .versioned(keys, current: current ?? keys.keys.min() ?? 0)
    }
}

/// The value of the cookie `name` in a response's `Set-Cookie` headers, exactly as a browser sends it back.
func setCookieValue(_ response: TestResponse, _ name: String) -> String? {
    for header in response.headers.getList("Set-Cookie") where header.hasPrefix(name + "=") {
        let pair = header.split(separator: ";", maxSplits: 1)[0]
        return String(pair.dropFirst(name.count + 1))
    }
    return nil
}

@Suite struct SecureCookieTests {
    static func app(secret: CookieSecret? = .single("secret")) throws -> Application {
        var settings = Settings()
        settings.cookieSecret = secret
        return Application(rules: [try url("/.*", SecureCookieHandler.self)], settings: settings)
    }

    // MARK: - Byte compatibility with Tornado

    @Test(arguments: WebSecurityFixtures.createSignedValue)
    func createdValuesAreByteIdenticalToTornados(_ fixture: CreateSignedValueFixture) throws {
        let secret = cookieSecret(fixture.secret, current: fixture.keyVersion)
        let create = {
            try createSignedValue(
                secret: secret,
                name: fixture.name,
                value: fixture.value,
                version: fixture.version,
                clock: { fixture.clock },
                keyVersion: fixture.keyVersion
            )
        }
        switch fixture.expected {
        case .value(let expected):
            #expect(try create() == expected)
            if fixture.valueIsText {
                let text = String(decoding: fixture.value, as: UTF8.self)
                let fromText = try createSignedValue(
                    secret: secret,
                    name: fixture.name,
                    value: text,
                    version: fixture.version,
                    clock: { fixture.clock },
                    keyVersion: fixture.keyVersion
                )
                #expect(fromText == expected)
            }
        case .error:
            #expect(throws: SignedValueError.self) { try create() }
        }
    }

    @Test(arguments: WebSecurityFixtures.decodeSignedValue)
    func decodingAcceptsExactlyWhatTornadoAccepts(_ fixture: DecodeSignedValueFixture) throws {
        let decode = {
            try decodeSignedValue(
                secret: cookieSecret(fixture.secret),
                name: fixture.name,
                value: fixture.value,
                maxAgeDays: fixture.maxAgeDays,
                clock: { fixture.clock },
                minVersion: fixture.minVersion
            )
        }
        switch fixture.expected {
        case .value(let expected):
            #expect(try decode() == expected)
        case .error("AssertionError"):
            // Tornado asserts on a version 1 value read with versioned secrets; Squall refuses the value.
            #expect(try decode() == nil)
        case .error:
            #expect(throws: SignedValueError.self) { try decode() }
        }
    }

    @Test(arguments: WebSecurityFixtures.signatureKeyVersion)
    func keyVersionIsReadAsTornadoReadsIt(_ fixture: KeyVersionFixture) {
        #expect(getSignatureKeyVersion(fixture.value) == fixture.expected)
    }

    // MARK: - Over HTTP

    @Test func aSecureCookieRoundTripsThroughTheBrowser() async throws {
        try await withTestServer(try Self.app()) { server in
            let set = try await server.fetch("/set?value=h%C3%A9llo%7Cw%C3%B6rld")
            let header = try #require(set.headers["Set-Cookie"])
            #expect(header.hasPrefix(#"user="2|1:0|10:"#))
            #expect(header.contains("|4:user|20:aMOpbGxvfHfDtnJsZA==|"))
            #expect(header.contains("; expires="))
            #expect(header.hasSuffix("; Path=/"))
            let cookie = try #require(setCookieValue(set, "user"))
            let get = try await server.fetch("/get", headers: [("Cookie", "user=\(cookie)")])
            #expect(get.status == 200)
            #expect(get.text == "héllo|wörld")
        }
    }

    @Test func binaryValuesRoundTrip() async throws {
        try await withTestServer(try Self.app()) { server in
            let cookie = try #require(setCookieValue(try await server.fetch("/set-bytes"), "user"))
            let get = try await server.fetch("/get-bytes", headers: [("Cookie", "user=\(cookie)")])
            #expect(get.text == "0,255,233")
            // Not UTF-8, so the text accessor refuses it.
            #expect(try await server.fetch("/get", headers: [("Cookie", "user=\(cookie)")]).status == 403)
        }
    }

    @Test func valuesTornadoSignedAreAcceptedOverHTTP() async throws {
        try await withTestServer(try Self.app()) { server in
            var checked = 0
            for fixture in WebSecurityFixtures.createSignedValue {
                guard case .single("secret") = fixture.secret, case .value(let signed) = fixture.expected,
                    fixture.valueIsText, !fixture.name.isEmpty, fixture.name.allSatisfy(\.isASCII)
                else { continue }
                let cookie = SetCookie.quoted(signed)
                let name = fixture.name.replacing("|", with: "%7C")
                let response = try await server.fetch(
                    "/get?name=\(name)&maxAgeDays=100000",
                    headers: [("Cookie", "\(fixture.name)=\(cookie)")]
                )
                #expect(response.status == 200, "\(fixture.name)=\(signed)")
                #expect(response.text == String(decoding: fixture.value, as: UTF8.self))
                checked += 1
            }
            #expect(checked >= 10)
        }
    }

    /// Tornado's security corpus, 3.2.1: a signed cookie moved to another name does not validate.
    @Test func aSignedCookieMovedToAnotherNameIsRefused() async throws {
        try await withTestServer(try Self.app()) { server in
            let signed = try createSignedValue(secret: .single("secret"), name: "a", value: "AAAABBBB")
            let forgedName = "a" + signed.prefix(4)
            let forgedValue = String(signed.dropFirst(4))
            let moved = try await server.fetch(
                "/get?name=\(forgedName.replacing("|", with: "%7C"))",
                headers: [("Cookie", "\(forgedName)=\(SetCookie.quoted(forgedValue))")]
            )
            #expect(moved.status == 403)
            let genuine = try await server.fetch("/get?name=a", headers: [("Cookie", "a=\(SetCookie.quoted(signed))")])
            #expect(genuine.status == 200)
            #expect(genuine.text == "AAAABBBB")
        }
    }

    @Test func tamperedExpiredAndOldFormatCookiesAreRefused() async throws {
        try await withTestServer(try Self.app()) { server in
            let now = SignedValue.now()
            let fresh = try createSignedValue(secret: .single("secret"), name: "user", value: "alice")
            let tampered = String(fresh.dropLast()) + (fresh.hasSuffix("0") ? "1" : "0")
            let old = try createSignedValue(
                secret: .single("secret"),
                name: "user",
                value: "alice",
                clock: { now - 32 * 86400 }
            )
            let version1 = try createSignedValue(secret: .single("secret"), name: "user", value: "alice", version: 1)
            let otherSecret = try createSignedValue(secret: .single("other"), name: "user", value: "alice")
            func status(_ value: String, _ query: String = "") async throws -> Int {
                try await server.fetch("/get?\(query)", headers: [("Cookie", "user=\(SetCookie.quoted(value))")]).status
            }
            #expect(try await status(fresh) == 200)
            #expect(try await status(tampered) == 403)
            #expect(try await status(old) == 403)
            #expect(try await status(old, "maxAgeDays=40") == 200)
            #expect(try await status(version1) == 200)
            #expect(try await status(version1, "minVersion=2") == 403)
            #expect(try await status(otherSecret) == 403)
            #expect(try await status("2|garbage") == 403)
        }
    }

    @Test func versionedSecretsSignWithTheCurrentKeyAndReadOlderOnes() async throws {
        let keys = [0: "ajklasdf0ojaisdf", 1: "aslkjasaolwkjsdf", 7: "seven"]
        try await withTestServer(try Self.app(secret: .versioned(keys, current: 7))) { server in
            let set = try await server.fetch("/set?value=bar")
            let cookie = try #require(setCookieValue(set, "user"))
            #expect(cookie.hasPrefix("2|1:7|10:"))
            #expect(try await server.fetch("/key-version", headers: [("Cookie", "user=\(cookie)")]).text == "7")
            // A cookie Tornado signed with key version 0 still reads, and reports its key version.
            let tornadoSigned = try #require(
                WebSecurityFixtures.createSignedValue.lazy.compactMap { fixture -> String? in
                    guard case .versioned = fixture.secret, fixture.keyVersion == 0, fixture.name == "foo",
                        case .value(let signed) = fixture.expected
                    else { return nil }
                    return signed
                }.first
            )
            let headers = [("Cookie", "foo=\(SetCookie.quoted(tornadoSigned))")]
            #expect(try await server.fetch("/get?name=foo&maxAgeDays=100000", headers: headers).text == "bar")
            #expect(try await server.fetch("/key-version?name=foo", headers: headers).text == "0")
        }
        // Once key 0 is retired, its cookies no longer validate.
        try await withTestServer(try Self.app(secret: .versioned([1: keys[1] ?? "", 7: "seven"], current: 7))) {
            server in
            let signed = try createSignedValue(secret: .versioned(keys, current: 0), name: "user", value: "bar")
            let response = try await server.fetch("/get", headers: [("Cookie", "user=\(SetCookie.quoted(signed))")])
            #expect(response.status == 403)
        }
    }

    @Test func signedValuesWorkOutsideCookies() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            #expect(try await server.fetch("/signed-value").text == "payload")
        }
    }

    @Test func secureCookiesWithoutACookieSecretAreAServerError() async throws {
        for secret: CookieSecret? in [nil, .single(""), .versioned([:], current: 0)] {
            try await withTestServer(try Self.app(secret: secret)) { server async throws in
                #expect(try await server.fetch("/set?value=x").status == 500)
                #expect(try await server.fetch("/get", headers: [("Cookie", "user=x")]).status == 500)
            }
        }
    }

    @Test func unsupportedVersionsAreProgrammingErrors() throws {
        #expect(throws: SignedValueError.self) {
            try createSignedValue(secret: .single("s"), name: "n", value: "v", version: 3)
        }
        #expect(throws: SignedValueError.self) {
            try decodeSignedValue(secret: .single("s"), name: "n", value: "v", minVersion: 3)
        }
        #expect(throws: SignedValueError.self) {
            try createSignedValue(secret: .single("s"), name: "n", value: "v", clock: { .nan })
        }
        #expect(throws: SignedValueError.self) {
            try createSignedValue(secret: .versioned([0: "a"], current: 1), name: "n", value: "v")
        }
    }
}
