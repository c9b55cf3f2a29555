import Foundation
import NIOCore
import Prometheus
import Squall
import SquallHTTP
import SquallIO
import SquallMonitor
import SquallMonitorProtocol
import SquallTesting
import Testing

/// A deliberately small WebSocket client for the monitor's tests: it speaks just enough RFC 6455 to
/// exchange text messages, and lets a test stop reading (to play a stalled dashboard).
struct RawWebSocket: Sendable {
    let stream: IOStream
    let handshake: TestResponse

    static func connect(
        port: Int,
        path: String = "/ws",
        headers: [(String, String)] = [],
        protocols: [String] = [MonitorProtocol.subprotocol]
    ) async throws -> RawWebSocket {
        let client = try await TestClient.connect(port: port)
        var lines = [
            "GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
        ]
        if !protocols.isEmpty { lines.append("Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))") }
        lines += headers.map { "\($0.0): \($0.1)" }
        try await client.stream.write(lines.joined(separator: "\r\n") + "\r\n\r\n")
        let response = try await client.readResponse(bodiless: true)
        if response.status != 101 {
            // Read the body of a refusal so the test can show it.
            let length = Int(response.headers["Content-Length"] ?? "0") ?? 0
            let body = length > 0 ? try await client.stream.readBytes(length) : ByteBuffer()
            var refused = response
            refused.body = body
            return RawWebSocket(stream: client.stream, handshake: refused)
        }
        return RawWebSocket(stream: client.stream, handshake: response)
    }

    /// Sends one masked text frame.
    func send(_ text: String) async throws {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        let mask: [UInt8] = [1, 2, 3, 4]
        frame += mask
        for (i, byte) in payload.enumerated() { frame.append(byte ^ mask[i % 4]) }
        try await stream.write(frame)
    }

    func send(_ message: ClientMessage) async throws {
        try await send(try MonitorCodec.encode(message))
    }

    /// Reads the next text message (answering nothing; the monitor does not ping).
    func receiveText() async throws -> String? {
        while true {
            let head = try await stream.readBytes(2)
            let opcode = head.getInteger(at: head.readerIndex, as: UInt8.self)! & 0x0F
            var length = Int(head.getInteger(at: head.readerIndex + 1, as: UInt8.self)! & 0x7F)
            if length == 126 {
                let ext = try await stream.readBytes(2)
                length = Int(ext.getInteger(at: ext.readerIndex, as: UInt16.self)!)
            } else if length == 127 {
                let ext = try await stream.readBytes(8)
                length = Int(ext.getInteger(at: ext.readerIndex, as: UInt64.self)!)
            }
            let payload = length > 0 ? try await stream.readBytes(length) : ByteBuffer()
            switch opcode {
            case 0x1: return String(buffer: payload)
            case 0x8: return nil
            default: continue
            }
        }
    }

    func receive() async throws -> ServerMessage? {
        guard let text = try await receiveText() else { return nil }
        return try MonitorCodec.decode(ServerMessage.self, from: text)
    }

    /// Reads messages until one satisfies `match` (at most `limit` messages).
    func receive<T>(limit: Int = 200, _ match: (ServerMessage) -> T?) async throws -> T {
        for _ in 0..<limit {
            guard let message = try await receive() else { break }
            if let value = match(message) { return value }
        }
        throw MonitorTestError("no matching message")
    }

    func close() { stream.close() }
}

struct MonitorTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with an HTTP server observed by a started monitor (loopback, no discovery file).
func withMonitoredServer<T>(
    settings: MonitorSettings = testMonitorSettings(),
    group: IOLoopGroup = .shared,
    handler: @escaping @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void,
    _ body: (Monitor, HTTPServer, Int) async throws -> T
) async throws -> T {
    let monitor = Monitor(settings: settings, group: group, metricsRegistry: .init())
    let server = HTTPServer(group: group, observer: monitor, handler: handler)
    try await server.listen(port: 0, address: "127.0.0.1")
    monitor.attach(server)
    try await monitor.start()
    do {
        let result = try await body(monitor, server, server.port ?? 0)
        await server.stop(gracePeriod: .milliseconds(100))
        await monitor.stop()
        return result
    } catch {
        await server.stop(gracePeriod: .milliseconds(100))
        await monitor.stop()
        throw error
    }
}

func testMonitorSettings() -> MonitorSettings {
    var settings = MonitorSettings()
    settings.discovery = false
    settings.token = "test-token"
    return settings
}

/// Polls `condition` every 20 ms for up to `seconds`.
func eventually(_ seconds: Double = 5, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Sends a request on a kept-open connection without reading the answer.
func startRequest(port: Int, path: String) async throws -> TestClient {
    let client = try await TestClient.connect(port: port)
    try await client.stream.write("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return client
}

/// Opens a dashboard session: connects with the token, reads hello, subscribes.
func dashboard(_ monitor: Monitor, subscription: Subscription = Subscription()) async throws -> RawWebSocket {
    let socket = try await RawWebSocket.connect(
        port: monitor.adminPort ?? 0,
        headers: [("Authorization", "Bearer \(monitor.token)")]
    )
    guard socket.handshake.status == 101 else { throw MonitorTestError("handshake \(socket.handshake.status)") }
    guard case .hello = try await socket.receive() else { throw MonitorTestError("no hello") }
    try await socket.send(.subscribe(subscription))
    return socket
}

/// A WebSocket handler that sends every message back: the monitored applications' WebSocket route.
final class MonitorEchoSocket: WebSocketHandler, @unchecked Sendable {
    override func onMessage(_ message: WebSocketMessage) async throws {
        try await writeMessage(message)
    }
}
