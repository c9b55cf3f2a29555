import NIOCore
import SquallIO

/// Receives the WebSocket events of a server or client: the hooks the built-in monitor uses.
///
/// Called on the connection's event loop, synchronously: implementations must be cheap and must not block
/// (record and return). Without an observer, none of this work is done.
public protocol WebSocketObserver: Sendable {
    /// A WebSocket connection completed its handshake; `control` lets the observer close it later.
    func webSocketOpened(_ info: WebSocketConnectionInfo, control: WebSocketControl)
    /// A message or control frame went in or out.
    ///
    /// - Parameters:
    ///   - size: the payload size in bytes (after decompression for incoming, before compression for outgoing).
    ///   - preview: up to 64 characters of a text message when ``WebSocketOptions/observerPreviews`` is on,
    ///     otherwise `nil`.
    func webSocketFrame(
        connectionID: Int,
        direction: WebSocketFrameDirection,
        kind: WebSocketFrameKind,
        size: Int,
        preview: String?
    )
    /// A pong answered one of this side's pings after `seconds`.
    func webSocketPingRTT(connectionID: Int, seconds: Double)
    /// The connection closed; `code` and `reason` are the peer's close frame's, if one arrived.
    func webSocketClosed(connectionID: Int, code: Int?, reason: String?)
}

/// Which way a frame went.
public enum WebSocketFrameDirection: String, Sendable {
    /// From the peer to this side.
    case incoming
    /// From this side to the peer.
    case outgoing
}

/// What a frame or message was.
public enum WebSocketFrameKind: String, Sendable {
    /// A text message.
    case text
    /// A binary message.
    case binary
    /// A ping.
    case ping
    /// A pong.
    case pong
    /// A close frame.
    case close
}

/// Describes one WebSocket connection to a ``WebSocketObserver``.
public struct WebSocketConnectionInfo: Sendable, Hashable {
    /// The id of the TCP connection (the server's `HTTPConnectionInfo.id`; a process-unique number for clients).
    public var connectionID: Int
    /// The request path the WebSocket was opened on.
    public var path: String
    /// The peer's address, as `ip:port`.
    public var peer: String
    /// The negotiated subprotocol, if any.
    public var subprotocol: String?
    /// The negotiated extension (`permessage-deflate` with its parameters), if any.
    public var compression: String?

    /// Creates the description of a connection.
    public init(connectionID: Int, path: String, peer: String, subprotocol: String?, compression: String?) {
        self.connectionID = connectionID
        self.path = path
        self.peer = peer
        self.subprotocol = subprotocol
        self.compression = compression
    }
}

/// Lets an observer act on a connection from any thread; it does not keep the connection alive.
public struct WebSocketControl: Sendable {
    private let loop: any EventLoop
    private let reference: WeakConnection

    init(_ connection: WebSocketConnection) {
        loop = connection.loop.eventLoop
        reference = WeakConnection(connection)
    }

    /// Starts the closing handshake with `code` and `reason`, on the connection's loop; nothing if it is gone.
    public func close(code: Int, reason: String) {
        let reference = self.reference
        loop.execute { reference.connection?.close(code: code, reason: reason) }
    }

    /// The outgoing queue's bytes, read without waiting: only on the connection's own event loop (`nil`
    /// anywhere else); 0 once the connection is gone. The monitor samples it from a task on that loop.
    public func outgoingQueueBytesOnLoop() -> Int? {
        guard loop.inEventLoop else { return nil }
        return reference.connection?.outgoingQueueBytes ?? 0
    }

    /// The bytes written but not yet taken by the socket (the outgoing queue); 0 once the connection is gone.
    public func outgoingQueueBytes() async -> Int {
        let reference = self.reference
        return (try? await loop.submit { reference.connection?.outgoingQueueBytes ?? 0 }.get()) ?? 0
    }
}

/// A weak reference that may be read from any thread (Swift's weak loads are atomic).
final class WeakConnection: @unchecked Sendable {
    weak var connection: WebSocketConnection?

    init(_ connection: WebSocketConnection) {
        self.connection = connection
    }
}
