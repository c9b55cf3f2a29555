public import Squall

/// A server for tests on 127.0.0.1 with a free port (Tornado's `AsyncHTTPTestCase`, as a scoped helper).
///
/// ```swift
/// try await withTestServer(app) { server in
///     let response = try await server.fetch("/")
///     #expect(response.status == 200)
/// }
/// ```
public struct TestServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    /// The server itself.
    public let server: HTTPServer

    /// The full URL of `path` on this server.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Sends one request on a new connection and reads the response; see ``TestClient/fetch(_:method:headers:body:)``.
    public func fetch(
        _ path: String,
        method: String = "GET",
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> TestResponse {
        let client = try await TestClient.connect(port: port)
        defer { client.close() }
        return try await client.fetch(path, method: method, headers: headers + [("Connection", "close")], body: body)
    }
}

/// Runs `body` with `application` served on 127.0.0.1 (a free port), and stops the server afterwards.
public func withTestServer<T>(
    _ application: Application,
    options: HTTPServerOptions = HTTPServerOptions(),
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = HTTPServer(options: options, delegate: application)
    try await server.listen(port: 0, address: "127.0.0.1")
    guard let port = server.port else {
        await server.stop(gracePeriod: .zero)
        throw TCPConnectError(host: "127.0.0.1", port: 0, reason: .other)
    }
    do {
        let result = try await body(TestServer(port: port, server: server))
        await server.stop(gracePeriod: .seconds(1))
        return result
    } catch {
        await server.stop(gracePeriod: .seconds(1))
        throw error
    }
}
