/// Limits and behaviour of one WebSocket connection, server or client side, with Tornado's defaults.
public struct WebSocketOptions: Sendable {
    /// The largest message accepted, after decompression (Tornado: 10 MiB); larger closes with 1009.
    public var maxMessageSize = 10 * 1024 * 1024
    /// Send a ping this often, if set (Tornado's `websocket_ping_interval`).
    public var pingInterval: Duration?
    /// Close (1000, "ping timed out") when a ping has had no pong for this long (Tornado 6.6's
    /// `websocket_ping_timeout`); `nil` means ``pingInterval``, and a longer value is cut to it, as in Tornado.
    public var pingTimeout: Duration?
    /// How long to wait for the peer's part of the closing handshake before dropping the TCP connection
    /// (Tornado: 5 s).
    public var closeTimeout: Duration = .seconds(5)
    /// Who hears of opens, frames, ping round trips and closes, if anyone.
    public var observer: (any WebSocketObserver)?
    /// Give the observer the first 64 characters of text messages (off by default: messages may be private).
    public var observerPreviews = false
    /// How many received messages may wait for the application before the connection stops reading from its
    /// socket (backpressure towards the peer).
    public var maxQueuedMessages = 16

    /// Options with Tornado's defaults.
    public init() {}

    /// The ping timeout in force: ``pingTimeout`` up to the interval, or the interval (Tornado 6.6).
    var effectivePingTimeout: Duration? {
        guard let pingInterval else { return nil }
        guard let pingTimeout else { return pingInterval }
        return min(pingTimeout, pingInterval)
    }
}
