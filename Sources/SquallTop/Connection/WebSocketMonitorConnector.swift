import Foundation
import SquallIO
import SquallMonitorProtocol
import SquallWebSocket

/// Connects to a server's monitor over its local WebSocket with the bearer token.
public struct WebSocketMonitorConnector: MonitorConnector {
    /// The dashboard WebSocket URL, `ws://127.0.0.1:PORT/ws`.
    public var url: String
    /// The bearer token.
    public var token: String
    /// How long connecting and the handshake may take.
    public var connectTimeout: Duration

    /// Creates a connector.
    public init(url: String, token: String, connectTimeout: Duration = .seconds(5)) {
        self.url = url
        self.token = token
        self.connectTimeout = connectTimeout
    }

    /// Connects; a 401/403 answer becomes ``MonitorConnectError/unauthorized``.
    public func connect() async throws -> any MonitorConnection {
        guard url.hasPrefix("ws://"), let parsed = URL(string: url), let host = parsed.host else {
            throw MonitorConnectError.badURL("'\(url)' is not a ws://host:port/path URL")
        }
        // Probe the port first: a refused connect is the common case while a server restarts, and
        // websocketConnect currently leaks its handshake promise on a refused connect (a crash in debug builds).
        let probe = try await TCPClient().connect(host: host, port: parsed.port ?? 80, timeout: connectTimeout)
        probe.close()
        do {
            let ws = try await websocketConnect(
                url,
                headers: [("Authorization", "Bearer \(token)")],
                subprotocols: [MonitorProtocol.subprotocol],
                maxMessageSize: 64 << 20,
                connectTimeout: connectTimeout
            )
            return WebSocketMonitorConnection(ws)
        } catch let error as WebSocketHandshakeError {
            if error.status == 401 || error.status == 403 { throw MonitorConnectError.unauthorized }
            if error.status == nil, error.description.hasPrefix("bad URL") || error.description.contains("URL") {
                throw MonitorConnectError.badURL(error.description)
            }
            throw error
        }
    }
}

/// A session over a ``WebSocketClientConnection``: each text message is one JSON protocol message.
final class WebSocketMonitorConnection: MonitorConnection {
    let ws: WebSocketClientConnection
    let messages: AsyncThrowingStream<ServerMessage, any Error>

    init(_ ws: WebSocketClientConnection) {
        self.ws = ws
        self.messages = AsyncThrowingStream { continuation in
            let task = Task {
                for await message in ws {
                    guard let text = message.text else { continue }
                    do {
                        continuation.yield(try MonitorCodec.decode(ServerMessage.self, from: text))
                    } catch {
                        // A message this version does not understand is skipped, not fatal.
                        continue
                    }
                }
                let code = ws.closeCode.map { " (close code \($0)\(ws.closeReason.map { ": \($0)" } ?? ""))" } ?? ""
                continuation.finish(throwing: LinkClosed(detail: "the server closed the link\(code)"))
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func send(_ message: ClientMessage) async throws {
        try await ws.writeMessage(try MonitorCodec.encode(message))
    }

    func close() async {
        ws.close(code: 1000, reason: "squall-top quit")
    }
}

/// The link ended; retrying may help.
struct LinkClosed: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}
