import NIOCore
import SquallIO
import SquallTesting
import Synchronization
import Testing

@testable import SquallHTTP

/// An HTTP server on 127.0.0.1 for one test.
func withHTTPServer<T>(
    options: HTTPServerOptions = HTTPServerOptions(),
    observer: (any HTTPServerObserver)? = nil,
    handler: @escaping @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void,
    _ body: (Int) async throws -> T
) async throws -> T {
    try await withHTTPServer(
        HTTPServer(options: options, observer: observer, handler: handler),
        body
    )
}

/// Runs `body` with `server` listening on 127.0.0.1, and stops it afterwards.
func withHTTPServer<T>(_ server: HTTPServer, _ body: (Int) async throws -> T) async throws -> T {
    try await server.listen(port: 0, address: "127.0.0.1")
    let port = try #require(server.port)
    do {
        let result = try await body(port)
        await server.stop(gracePeriod: .seconds(1))
        return result
    } catch {
        await server.stop(gracePeriod: .seconds(1))
        throw error
    }
}

/// A raw connection: the test writes exact bytes and parses exact responses.
struct RawClient {
    let stream: IOStream

    static func connect(_ port: Int) async throws -> RawClient {
        RawClient(stream: try await TCPClient().connect(host: "127.0.0.1", port: port, timeout: .seconds(10)))
    }

    func send(_ text: String) async throws {
        try await stream.write(text)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await stream.write(ByteBuffer(bytes: bytes))
    }

    /// Reads one response, framed by Content-Length, chunked encoding or the close (SquallTesting's parser).
    /// `bodiless` for responses to HEAD.
    func readResponse(bodiless: Bool = false) async throws -> RawResponse {
        let response = try await TestClient(stream: stream).readResponse(bodiless: bodiless)
        return RawResponse(
            statusLine: [response.version, String(response.status), response.reason].joined(separator: " "),
            status: response.status,
            headers: response.headers.allPairs.map { ($0.name, $0.value) },
            body: response.text,
            chunked: response.isChunked
        )
    }

    /// Waits for the server to close the connection; returns whatever it sent first.
    func readUntilClose() async throws -> String {
        String(buffer: try await withTimeout(.seconds(10)) { try await stream.readUntilClose() })
    }

    func close() { stream.close() }
}

struct RawResponse {
    var statusLine: String
    var status: Int
    var headers: [(String, String)]
    var body: String
    var chunked = false

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A value tasks can share in tests.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
    func update<R>(_ body: (inout Value) -> R) -> R { storage.withLock { body(&$0) } }
}

/// Polls until `condition` holds (10 s at most); never asserts on speed.
func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(10)
    while clock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting until \(what)")
    throw TimeoutError(operation: what, timeout: .seconds(10))
}

/// A plain GET request.
func get(_ target: String = "/", host: String = "example.com", extra: String = "") -> String {
    "GET \(target) HTTP/1.1\r\nHost: \(host)\r\n\(extra)\r\n"
}
