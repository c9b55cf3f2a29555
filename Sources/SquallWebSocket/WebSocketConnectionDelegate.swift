public import NIOCore

/// What a ``WebSocketConnection`` tells its owner (the server's handler or the client connection).
///
/// Calls come one at a time and in order, in a task on the connection's loop: the next event is delivered
/// only after the previous call returns, so a slow `webSocketReceived` holds back the following messages
/// (and, once ``WebSocketOptions/maxQueuedMessages`` wait, reading from the socket).
public protocol WebSocketConnectionDelegate: AnyObject {
    /// The connection is open (the first event, before any message).
    func webSocketOpened() async
    /// A complete message arrived.
    func webSocketReceived(_ message: WebSocketMessage) async
    /// A ping arrived (the pong was already sent).
    func webSocketReceivedPing(_ data: ByteBuffer) async
    /// A pong arrived.
    func webSocketReceivedPong(_ data: ByteBuffer) async
    /// The connection closed (the last event); ``WebSocketConnection/closeCode`` tells how.
    func webSocketClosed() async
}

/// Raised by writes on a WebSocket that is closing or closed (Tornado's `WebSocketClosedError`).
public struct WebSocketClosedError: Error, CustomStringConvertible, Sendable {
    /// Creates the error.
    public init() {}

    /// The message a user reads.
    public var description: String { "the WebSocket is closed" }
}
