import DequeModule
public import NIOCore
public import NIOWebSocket
public import SquallIO

/// One open WebSocket, server or client side: the protocol layer between NIO's frame codec and the
/// application (Tornado's `WebSocketProtocol13`).
///
/// Assembles fragmented messages (validating text as UTF-8 as it arrives), enforces
/// ``WebSocketOptions/maxMessageSize``, answers pings, runs the closing handshake, sends pings on an interval
/// and closes when they go unanswered, compresses with permessage-deflate when negotiated, and delivers events
/// to its ``WebSocketConnectionDelegate`` one at a time. Protocol errors close the connection with the code
/// RFC 6455 prescribes (1002 protocol error, 1007 bad UTF-8, 1009 too big).
///
/// Sits at the end of the channel's pipeline after `WebSocketFrameDecoder` and `WebSocketFrameEncoder`; all
/// its state belongs to the channel's loop (hence `@unchecked Sendable`), and its public methods hop there.
public final class WebSocketConnection: ChannelDuplexHandler, @unchecked Sendable {
    /// Frames from NIO's decoder.
    public typealias InboundIn = WebSocketFrame
    /// Frames to NIO's encoder.
    public typealias OutboundIn = WebSocketFrame
    /// Frames to NIO's encoder.
    public typealias OutboundOut = WebSocketFrame

    /// Which end of the connection this is: a server must see masked frames and sends unmasked ones; a client
    /// the opposite.
    public enum Role: Sendable {
        /// The accepting side.
        case server
        /// The connecting side.
        case client
    }

    enum Event {
        case opened
        case message(WebSocketMessage)
        case ping(ByteBuffer)
        case pong(ByteBuffer)
        case closed
    }

    /// Which end this is.
    public let role: Role
    /// The limits in force.
    public let options: WebSocketOptions
    /// The connection's loop.
    public let loop: IOLoop
    /// What the observer and logs know about the connection.
    public let info: WebSocketConnectionInfo
    var delegate: (any WebSocketConnectionDelegate)?
    var context: ChannelHandlerContext?
    var deflate: PerMessageDeflate?

    // Message assembly.
    var messageKind: WebSocketFrameKind?
    var messageCompressed = false
    var messageBuffer = ByteBuffer()
    var messageSize = 0
    var utf8 = UTF8Validator()

    // Closing handshake. The close code and reason are the peer's, as in Tornado.
    /// The code of the peer's close frame, if it sent one with a code.
    public internal(set) var closeCode: Int?
    /// The reason of the peer's close frame, if it sent one with a reason.
    public internal(set) var closeReason: String?
    var closeSent = false
    var closeReceived = false
    /// A protocol error was found: input is ignored until the TCP connection is gone.
    var failed = false
    var channelClosed = false
    var closeTimer: Scheduled<Void>?

    // Delivery to the delegate.
    var inbox = Deque<Event>()
    var dispatching = false
    var holdingRead = false
    var readHeld = false

    // Pings sent on the interval.
    var pingTimer: RepeatedTask?
    var pingSentAt: Double?
    var pingTimeoutTask: Scheduled<Void>?
    var writabilityWaiters: [CheckedContinuation<Void, any Error>] = []

    /// Creates the protocol handler for a connection whose handshake is done.
    ///
    /// - Parameters:
    ///   - role: server or client.
    ///   - options: limits, pings, observer.
    ///   - deflate: the negotiated permessage-deflate parameters, if any.
    ///   - info: how the observer sees the connection.
    ///   - loop: the channel's loop.
    ///   - delegate: who receives the events (held until the connection closes).
    public init(
        role: Role,
        options: WebSocketOptions,
        deflate: PerMessageDeflateParameters?,
        info: WebSocketConnectionInfo,
        loop: IOLoop,
        delegate: any WebSocketConnectionDelegate
    ) throws {
        self.role = role
        self.options = options
        self.info = info
        self.loop = loop
        self.delegate = delegate
        if let deflate { self.deflate = try PerMessageDeflate(role: role, parameters: deflate) }
    }

    /// Adds NIO's frame codec and `connection` at the end of `channel`'s pipeline (on the channel's loop).
    public static func install(_ connection: WebSocketConnection, on channel: any Channel) throws {
        let pipeline = channel.pipeline.syncOperations
        // NIO's decoder refuses frames above its limit (up to UInt32.max); messages are limited here.
        let frameLimit = min(connection.options.maxMessageSize, Int(UInt32.max))
        try pipeline.addHandler(WebSocketFrameEncoder())
        try pipeline.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: max(frameLimit, 125))))
        try pipeline.addHandler(connection)
    }

    // MARK: - Lifecycle

    /// Called by NIO when the handler joins the pipeline: the connection is open from here.
    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if let observer = options.observer {
            observer.webSocketOpened(info, control: WebSocketControl(self))
        }
        startPinging()
        enqueue(.opened)
        if !context.channel.isActive { connectionGone() }
    }

    /// Called by NIO when the handler leaves the pipeline.
    public func handlerRemoved(context: ChannelHandlerContext) {
        connectionGone()
        self.context = nil
    }

    /// Called by NIO when the TCP connection closes.
    public func channelInactive(context: ChannelHandlerContext) {
        connectionGone()
        context.fireChannelInactive()
    }

    /// Turns a server shutdown (NIO's quiescing event) into a close with 1001, and passes other events on.
    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            close(code: WebSocketCloseCode.goingAway, reason: "server shutting down")
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Turns the frame decoder's errors into the close codes RFC 6455 asks for.
    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error as? NIOWebSocketError {
        case .invalidFrameLength:
            fail(WebSocketCloseCode.messageTooBig, "message too big")
        case .fragmentedControlFrame, .multiByteControlFrameLength:
            fail(WebSocketCloseCode.protocolError, "invalid control frame")
        case .none:
            context.close(promise: nil)
        }
    }

    private func connectionGone() {
        guard !channelClosed else { return }
        channelClosed = true
        closeTimer?.cancel()
        closeTimer = nil
        pingTimer?.cancel()
        pingTimer = nil
        pingTimeoutTask?.cancel()
        pingTimeoutTask = nil
        deflate?.release()
        deflate = nil
        let waiters = writabilityWaiters
        writabilityWaiters = []
        for waiter in waiters { waiter.resume(throwing: WebSocketClosedError()) }
        options.observer?.webSocketClosed(connectionID: info.connectionID, code: closeCode, reason: closeReason)
        enqueue(.closed)
    }

    /// Whether the connection can still send messages (no close sent, TCP open).
    public var isOpen: Bool { !closeSent && !channelClosed }

    /// The bytes written but not yet taken by the socket.
    public var outgoingQueueBytes: Int {
        guard let channel = context?.channel else { return 0 }
        return (try? channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
    }

    // MARK: - Delivery

    func enqueue(_ event: Event) {
        inbox.append(event)
        if inbox.count >= options.maxQueuedMessages { holdingRead = true }
        guard !dispatching else { return }
        dispatching = true
        loop.spawnImmediately { [self] in await drain() }
    }

    private func drain() async {
        while let event = inbox.popFirst() {
            if holdingRead, inbox.count < options.maxQueuedMessages / 2 { resumeReading() }
            guard let delegate else { continue }
            switch event {
            case .opened: await delegate.webSocketOpened()
            case .message(let message): await delegate.webSocketReceived(message)
            case .ping(let data): await delegate.webSocketReceivedPing(data)
            case .pong(let data): await delegate.webSocketReceivedPong(data)
            case .closed:
                await delegate.webSocketClosed()
                // The delegate usually holds this connection: let go of each other.
                self.delegate = nil
                inbox.removeAll()
            }
        }
        dispatching = false
    }

    /// Holds the pipeline's reads while the application is behind.
    public func read(context: ChannelHandlerContext) {
        if holdingRead {
            readHeld = true
        } else {
            context.read()
        }
    }

    private func resumeReading() {
        holdingRead = false
        if readHeld {
            readHeld = false
            context?.read()
        }
    }

    /// Wakes writers waiting for the socket to drain.
    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            let waiters = writabilityWaiters
            writabilityWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        context.fireChannelWritabilityChanged()
    }
}
