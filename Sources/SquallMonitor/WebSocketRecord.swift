import NIOCore
import SquallMonitorProtocol

/// What the monitor knows of one open WebSocket.
struct WebSocketRecord: Sendable {
    var path: String
    var subprotocol: String?
    var compression: String?
    var messagesIn = 0
    var messagesOut = 0
    var bytesIn = 0
    var bytesOut = 0
    var lastMessage: NIODeadline?
    var pingRTT: Double?
    var queuedBytes = 0
    /// Sends a close frame with a code and reason; safe from any thread.
    let close: @Sendable (Int, String) -> Void
    /// The outgoing queue's bytes; answers only on the connection's loop (`nil` elsewhere).
    var readQueuedBytes: (@Sendable () -> Int?)? = nil

    func stats(now: NIODeadline) -> WebSocketStats {
        WebSocketStats(
            path: path,
            subprotocol: subprotocol,
            compression: compression,
            messagesIn: messagesIn,
            messagesOut: messagesOut,
            bytesIn: bytesIn,
            bytesOut: bytesOut,
            lastMessageAge: lastMessage.map { Double((now - $0).nanoseconds) / 1e9 },
            pingRTT: pingRTT,
            queuedBytes: queuedBytes
        )
    }
}
