import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import SquallIO

/// A loopback server for a test: runs `handler` for every connection, gives the body the port, and stops after.
func withServer<T>(
    maxBufferSize: Int = IOStream.defaultMaxBufferSize,
    readChunkSize: Int = IOStream.defaultReadChunkSize,
    handler: @escaping @Sendable (IOStream) async throws -> Void,
    _ body: (Int) async throws -> T
) async throws -> T {
    let server = TCPServer(maxBufferSize: maxBufferSize, readChunkSize: readChunkSize) { stream, _ in
        try? await handler(stream)
    }
    try await server.listen(port: 0, address: "127.0.0.1")
    let port = try #require(server.port)
    do {
        let result = try await body(port)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// A client stream to 127.0.0.1:`port`.
func connect(_ port: Int, maxBufferSize: Int = IOStream.defaultMaxBufferSize) async throws -> IOStream {
    try await TCPClient().connect(host: "127.0.0.1", port: port, timeout: .seconds(10), maxBufferSize: maxBufferSize)
}

/// A value several tasks can set and read, for handing results out of server handlers.
final class Box<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
    func update<R>(_ body: (inout Value) -> R) -> R { storage.withLock { body(&$0) } }
}

/// Waits (polling) until `condition` holds, failing the test after `timeout`; never asserts on speed.
func eventually(
    timeout: Duration = .seconds(10),
    _ what: String,
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting until \(what)")
    throw TimeoutError(operation: what, timeout: timeout)
}

extension ByteBuffer {
    var text: String { String(buffer: self) }
}
