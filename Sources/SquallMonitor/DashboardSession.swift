import NIOCore
import NIOWebSocket
import SquallMonitorProtocol

/// One dashboard client on the admin WebSocket: sends `hello`, then `update`s at the subscribed rate, log
/// batches and frame samples; answers `subscribe`, `snapshot` and `command` messages.
///
/// Never lets a slow reader grow memory: an update is only written while the socket is writable (otherwise the
/// next tick sends a fresh one: latest wins), and log entries are read from the shared ring on each tick, so a
/// client that falls behind by more than the ring loses the oldest entries and is told how many.
final class DashboardSession: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Log entries sent per second at most (split over the ticks): what a person can follow, and a bound on
    /// the admin loop's encoding work. Older matching entries of a busier second are counted as dropped.
    static let logsPerSecond = 2_000

    private let monitor: Monitor
    private let peer: String
    private var subscription: Subscription?
    private var timer: RepeatedTask?
    private var logCursor = 0
    private var logsDropped = 0
    private var tailed: Int?
    private var frameCursor = 0
    private var fragments: ByteBuffer?
    private var fragmentsAreText = false
    private var closing = false
    private var context: ChannelHandlerContext?

    init(monitor: Monitor, peer: String) {
        self.monitor = monitor
        self.peer = peer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        send(.hello(Hello(server: monitor.serverInfo())), context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    private func stop() {
        timer?.cancel()
        timer = nil
        if let tailed { monitor.frameTails.unsubscribe(tailed) }
        tailed = nil
    }

    // MARK: - Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            fragments = frame.unmaskedData
            fragmentsAreText = frame.opcode == .text
            if frame.fin { messageComplete(context: context) }
        case .continuation:
            guard var buffer = fragments else {
                protocolError(context: context, "a continuation frame without a message")
                return
            }
            var data = frame.unmaskedData
            guard buffer.readableBytes + data.readableBytes <= MonitorProtocol.maxClientMessageSize else {
                fragments = nil
                close(context: context, code: .messageTooLarge, reason: "message too large")
                return
            }
            buffer.writeBuffer(&data)
            fragments = buffer
            if frame.fin { messageComplete(context: context) }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .pong:
            break
        case .connectionClose:
            close(context: context, code: .normalClosure, reason: "")
        default:
            protocolError(context: context, "unknown opcode")
        }
    }

    private func messageComplete(context: ChannelHandlerContext) {
        guard let buffer = fragments else { return }
        fragments = nil
        guard fragmentsAreText else {
            send(.error(ErrorReply(code: "malformed", message: "binary messages are not part of the protocol")), context: context)
            return
        }
        guard buffer.readableBytes <= MonitorProtocol.maxClientMessageSize else {
            send(.error(ErrorReply(code: "tooLarge", message: "message over 64 KiB")), context: context)
            return
        }
        let text = String(buffer: buffer)
        let message: ClientMessage
        do {
            message = try MonitorCodec.decode(ClientMessage.self, from: text)
        } catch {
            let description = MonitorCodec.describe(error)
            let code = description.contains("unknown type") ? "unknownType" : "malformed"
            send(.error(ErrorReply(commandID: Self.commandID(in: text), code: code, message: description)), context: context)
            return
        }
        handle(message, context: context)
    }

    /// The command id of a command that failed to decode, so the client can match the error to it.
    private static func commandID(in text: String) -> Int? {
        struct Probe: Decodable {
            struct Data: Decodable { var id: Int? }
            var type: String?
            var data: Data?
        }
        guard let probe = try? MonitorCodec.decode(Probe.self, from: text), probe.type == "command" else { return nil }
        return probe.data?.id
    }

    private func handle(_ message: ClientMessage, context: ChannelHandlerContext) {
        switch message {
        case .subscribe(var subscription):
            subscription.rate = min(MonitorProtocol.maxRate, max(0.1, subscription.rate.isFinite ? subscription.rate : 4))
            subscription.connections.limit = min(max(0, subscription.connections.limit), MonitorProtocol.maxRows)
            subscription.webSockets.limit = min(max(0, subscription.webSockets.limit), MonitorProtocol.maxRows)
            let previous = self.subscription
            self.subscription = subscription
            if previous?.logs != subscription.logs || previous == nil {
                logCursor = monitor.log.backlogStart(subscription.views.contains(.logs) ? subscription.logs.backlog : 0)
            }
            if tailed != subscription.frameTail {
                if let tailed { monitor.frameTails.unsubscribe(tailed) }
                tailed = subscription.frameTail
                frameCursor = 0
                if let tail = subscription.frameTail { monitor.frameTails.subscribe(tail) }
            }
            send(.snapshot(monitor.snapshot(for: subscription, logsDropped: logsDropped)), context: context)
            schedule(context: context, rate: subscription.rate)
            sendLogsAndFrames(context: context)
        case .snapshot:
            send(.snapshot(monitor.snapshot(for: subscription ?? Subscription(), logsDropped: logsDropped)), context: context)
        case .command(let command):
            let monitor = self.monitor
            let peer = self.peer
            let loop = context.eventLoop
            let promise = loop.makePromise(of: ServerMessage.self)
            promise.completeWithTask { await monitor.perform(command, peer: peer) }
            promise.futureResult.assumeIsolated().whenSuccess { [self] reply in
                send(reply, context: context)
            }
        }
    }

    // MARK: - Writing

    private func schedule(context: ChannelHandlerContext, rate: Double) {
        timer?.cancel()
        let period = TimeAmount.nanoseconds(Int64(1_000_000_000 / rate))
        let session = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            let session = session.value
            if let context = session.context { session.tick(context: context) }
        }
    }

    private func tick(context: ChannelHandlerContext) {
        guard let subscription, !closing, context.channel.isActive else { return }
        // Latest wins: while the client is not reading, nothing is queued; the next tick sends fresh state.
        guard context.channel.isWritable else {
            monitor.sessionStats.skippedTick()
            return
        }
        sendLogsAndFrames(context: context)
        send(.update(monitor.snapshot(for: subscription, logsDropped: logsDropped)), context: context)
    }

    private func sendLogsAndFrames(context: ChannelHandlerContext) {
        guard let subscription else { return }
        if subscription.views.contains(.logs) {
            let filter = subscription.logs
            let limit = max(50, Int(Double(Self.logsPerSecond) / max(subscription.rate, 0.1)))
            let read = monitor.log.read(after: logCursor, limit: limit) { filter.matches($0) }
            logsDropped += read.missed
            logCursor = read.last
            if !read.entries.isEmpty || read.missed > 0 {
                send(.logs(LogBatch(entries: read.entries, dropped: logsDropped)), context: context)
            }
        }
        if let tailed {
            let read = monitor.frameTails.read(tailed, after: frameCursor)
            frameCursor = read.cursor
            if !read.frames.isEmpty { send(.frames(FrameBatch(connectionID: tailed, frames: read.frames)), context: context) }
        }
    }

    private func send(_ message: ServerMessage, context: ChannelHandlerContext) {
        guard !closing, let text = try? MonitorCodec.encode(message) else { return }
        let buffer = context.channel.allocator.buffer(string: text)
        monitor.sessionStats.wrote(buffer.readableBytes)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil)
    }

    private func protocolError(context: ChannelHandlerContext, _ reason: String) {
        close(context: context, code: .protocolError, reason: reason)
    }

    private func close(context: ChannelHandlerContext, code: WebSocketErrorCode, reason: String) {
        guard !closing else { return }
        closing = true
        stop()
        var buffer = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        buffer.write(webSocketErrorCode: code)
        buffer.writeString(reason)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { [channel = context.channel] _ in
            channel.close(promise: nil)
        }
    }
}
