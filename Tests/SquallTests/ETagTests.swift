import Squall
import SquallTesting
import Testing

/// Writes `hello`, or a different body per path, with optional headers, for the etag tests.
final class EtagBodyHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        switch request.path {
        case "/language":
            try setHeader("Content-Language", "en_US")
            write("hello")
        case "/created":
            setStatus(201)
            write("hello")
        case "/flushed":
            write("hello")
            try await flush()
        case "/own-etag":
            try setHeader("Etag", "\"mine\"")
            write("hello")
        case "/early":
            // A handler that answers 304 before doing any work, as Tornado's docs suggest.
            try setHeader("Etag", "\"v1\"")
            if checkEtagHeader() {
                setStatus(304)
                return
            }
            write("expensive")
        default:
            write("hello")
        }
    }
    override func head() async throws { write("hello") }
    override func post() async throws { write("hello") }
}

/// Tornado's `CacheTest` handler: the etag is the body, taken from the path.
final class ChosenEtagHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { write(pathArgs.first.flatMap { $0 } ?? "") }
    override func computeEtag() -> String? { pathArgs.first.flatMap { $0 } }
}

final class NoEtagHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { write("hello") }
    override func computeEtag() -> String? { nil }
}

@Suite struct ETagTests {
    /// SHA-1 of "hello", quoted, exactly as Tornado 6.6.1 sends it.
    static let helloEtag = "\"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\""

    static func app() throws -> Application {
        Application(rules: [
            try url("/etag/(.*)", ChosenEtagHandler.self),
            try url("/no-etag", NoEtagHandler.self),
            try url("/.*", EtagBodyHandler.self),
        ])
    }

    @Test func theDefaultEtagIsTornadosQuotedSHA1OfTheBody() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/")
            #expect(response.status == 200)
            #expect(response.headers["Etag"] == Self.helloEtag)
            #expect(response.text == "hello")
        }
    }

    @Test func aMatchingIfNoneMatchGetsABodiless304WithoutRepresentationHeaders() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let first = try await server.fetch("/language")
            #expect(first.headers["Content-Length"] == "5")
            #expect(first.headers["Content-Language"] == "en_US")
            let etag = try #require(first.headers["Etag"])
            // Keep-alive: a 304 with stray framing would corrupt the next response on the connection.
            let client = try await TestClient.connect(port: server.port)
            defer { client.close() }
            let cached = try await client.fetch("/language", headers: [("If-None-Match", etag)])
            #expect(cached.status == 304)
            #expect(cached.body.readableBytes == 0)
            #expect(cached.headers["Etag"] == etag)
            #expect(cached.headers["Content-Length"] == nil)
            #expect(cached.headers["Content-Language"] == nil)
            #expect(cached.headers["Content-Type"] == nil)
            #expect(cached.headers["Transfer-Encoding"] == nil)
            let next = try await client.fetch("/language")
            #expect(next.status == 200)
            #expect(next.text == "hello")
        }
    }

    @Test func headRequestsGet304TooButOtherMethodsAndStatusesDoNot() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let match = [("If-None-Match", Self.helloEtag)]
            let client = try await TestClient.connect(port: server.port)
            defer { client.close() }
            #expect(try await client.fetch("/", method: "HEAD", headers: match).status == 304)
            let post = try await server.fetch("/", method: "POST", headers: match, body: "")
            #expect(post.status == 200)
            #expect(post.headers["Etag"] == nil)
            let created = try await server.fetch("/created", headers: match)
            #expect(created.status == 201)
            #expect(created.headers["Etag"] == nil)
        }
    }

    @Test func flushedResponsesGetNoEtag() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/flushed", headers: [("If-None-Match", "*")])
            #expect(response.status == 200)
            #expect(response.headers["Etag"] == nil)
            #expect(response.text == "hello")
        }
    }

    @Test func ifNoneMatchIsComparedAsTornadoDoes() async throws {
        // Tornado's CacheTest: (computed etag, If-None-Match, expected status).
        let cases: [(String, String, Int)] = [
            ("\"xyzzy\"", "*", 304),
            ("\"xyzzy\"", "\"xyzzy\"", 304),
            ("\"xyzzy1\"", "\"xyzzy1\", \"xyzzy2\"", 304),
            ("\"xyzzy\"", "\"xyzzy1\"", 200),
            ("\"xyzzy\"", "\"xyzzy1\", \"xyzzy2\"", 200),
            ("\"xyzzy1\"", "W/\"xyzzy1\"", 304),
            ("\"xyzzy2\"", "W/\"xyzzy1\", W/\"xyzzy2\"", 304),
            ("\"xyzzy2\"", "W/\"xyzzy1\"", 200),
            ("\"xyzzy3\"", "W/\"xyzzy1\", W/\"xyzzy2\"", 200),
            // Weak comparison works both ways, and unquoted garbage matches nothing.
            ("W/\"xyzzy\"", "\"xyzzy\"", 304),
            ("\"xyzzy\"", "xyzzy", 200),
            ("\"xyzzy\"", "", 200),
        ]
        try await withTestServer(try Self.app()) { server async throws in
            for (computed, header, status) in cases {
                let path = "/etag/" + computed.replacing("\"", with: "%22")
                let response = try await server.fetch(path, headers: [("If-None-Match", header)])
                #expect(response.status == status, "etag \(computed), If-None-Match \(header)")
            }
        }
    }

    @Test func aNilEtagTurnsTheCheckOff() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/no-etag", headers: [("If-None-Match", "*")])
            #expect(response.status == 200)
            #expect(response.headers["Etag"] == nil)
        }
    }

    @Test func handlersCanSetTheirOwnEtagAndCheckItEarly() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let own = try await server.fetch("/own-etag")
            #expect(own.headers["Etag"] == "\"mine\"")
            // As Tornado's finish(): a handler that sets its own Etag does its own checking.
            #expect(try await server.fetch("/own-etag", headers: [("If-None-Match", "\"mine\"")]).status == 200)
            let early = try await server.fetch("/early", headers: [("If-None-Match", "W/\"v1\"")])
            #expect(early.status == 304)
            #expect(early.body.readableBytes == 0)
            #expect(try await server.fetch("/early").text == "expensive")
        }
    }
}
