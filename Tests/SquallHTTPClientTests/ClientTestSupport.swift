import Squall
import SquallHTTP
import Synchronization
import Testing

/// Runs `body` with a Squall server on 127.0.0.1 answering with `handler`, and a fresh client; closes both.
func withServerAndClient<T>(
    maxClients: Int = 10,
    maxBodySize: Int = 100 * 1024 * 1024,
    handler: @escaping @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void,
    _ body: (HTTPClient, String) async throws -> T
) async throws -> T {
    let server = HTTPServer(handler: handler)
    try await server.listen(port: 0, address: "127.0.0.1")
    let port = try #require(server.port)
    let client = HTTPClient(maxClients: maxClients, maxBodySize: maxBodySize)
    do {
        let result = try await body(client, "http://127.0.0.1:\(port)")
        try await client.close()
        await server.stop(gracePeriod: .seconds(1))
        return result
    } catch {
        try? await client.close()
        await server.stop(gracePeriod: .seconds(1))
        throw error
    }
}

/// A value tasks can share in tests.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value { storage.withLock { $0 } }
    func update<R>(_ body: (inout Value) -> R) -> R { storage.withLock { body(&$0) } }
}

/// Answers `/echo` with `METHOD BODY`, and names headers under `/header/<name>`.
func echoHandler(_ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
    if request.path.hasPrefix("/header/") {
        let name = String(request.path.dropFirst("/header/".count))
        try await writer.respond(body: request.headers[name] ?? "<none>")
    } else {
        try await writer.respond(body: "\(request.method) \(String(buffer: request.body))")
    }
}
