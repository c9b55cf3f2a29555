import Foundation
import NIOCore
public import SquallWebSocket
import SquallMonitorProtocol

extension Monitor: WebSocketObserver {
    /// Marks the upgraded connection as a WebSocket in the table.
    public func webSocketOpened(_ info: WebSocketConnectionInfo, control: WebSocketControl) {
        registry.attachWebSocket(
            id: info.connectionID,
            WebSocketRecord(
                path: info.path,
                subprotocol: info.subprotocol,
                compression: info.compression,
                close: { code, reason in control.close(code: code, reason: reason) },
                readQueuedBytes: { control.outgoingQueueBytesOnLoop() }
            )
        )
    }

    /// Counts a message (and samples it for dashboards that tail this WebSocket).
    public func webSocketFrame(
        connectionID: Int,
        direction: WebSocketFrameDirection,
        kind: WebSocketFrameKind,
        size: Int,
        preview: String?
    ) {
        let now = NIODeadline.now()
        if kind == .text || kind == .binary {
            registry.updateWebSocket(id: connectionID) { record in
                if direction == .incoming {
                    record.messagesIn += 1
                    record.bytesIn += size
                } else {
                    record.messagesOut += 1
                    record.bytesOut += size
                }
                record.lastMessage = now
            }
        }
        if frameTails.isActive {
            frameTails.record(
                connectionID,
                FrameSample(
                    direction: direction == .incoming ? "in" : "out",
                    opcode: kind.rawValue,
                    size: size,
                    time: Date().timeIntervalSince1970,
                    preview: settings.framePreviews ? preview : nil
                )
            )
        }
    }

    /// Records the latest ping round trip.
    public func webSocketPingRTT(connectionID: Int, seconds: Double) {
        registry.updateWebSocket(id: connectionID) { $0.pingRTT = seconds }
    }

    /// Nothing to do: the TCP connection's close removes the row.
    public func webSocketClosed(connectionID: Int, code: Int?, reason: String?) {}
}
