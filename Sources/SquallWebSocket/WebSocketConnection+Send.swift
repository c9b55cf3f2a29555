public import NIOCore
import SquallIO
import NIOWebSocket

extension WebSocketConnection {
    /// Sends a message, waiting while the peer reads slowly (at most the socket's buffers are filled; nothing
    /// queues without bound).
    ///
    /// Callable from any task; it hops to the connection's loop.
    /// - Throws: ``WebSocketClosedError`` when the connection is closing or closed.
    public func send(_ message: WebSocketMessage) async throws {
        if loop.inLoop {
            try sendNow(message)
        } else {
            try await loop.eventLoop.submit { [self] in try sendNow(message) }.get()
        }
        try await waitUntilWritable()
    }

    /// Sends a ping with `data` (at most 125 bytes).
    ///
    /// - Throws: ``WebSocketClosedError`` when closing or closed; ``WebSocketPayloadError`` for a payload too big.
    public func ping(_ data: ByteBuffer = ByteBuffer()) async throws {
        guard data.readableBytes <= 125 else { throw WebSocketPayloadError("a ping's payload is at most 125 bytes") }
        try await onLoop { [self] in
            guard isOpen else { throw WebSocketClosedError() }
            if pingSentAt == nil { pingSentAt = loop.time() }
            writeFrame(.ping, data, flush: true)
        }
    }

    /// Starts the closing handshake (Tornado's `close(code, reason)`): sends a close frame, then drops the TCP
    /// connection once the peer answers or after ``WebSocketOptions/closeTimeout``.
    ///
    /// Callable from any thread; does nothing when a close was already sent.
    /// - Parameters:
    ///   - code: the close code (no code is sent when `nil` and `reason` is `nil`; 1000 when only a reason is).
    ///   - reason: a short text; cut to fit a control frame's 123 bytes.
    public func close(code: Int? = nil, reason: String? = nil) {
        guard loop.inLoop else {
            loop.eventLoop.execute { [self] in close(code: code, reason: reason) }
            return
        }
        guard !closeSent, !channelClosed else { return }
        sendClose(code: code ?? (reason == nil ? nil : WebSocketCloseCode.normal), reason: reason)
        if closeReceived {
            finishClosing()
        } else {
            closeTimer = loop.eventLoop.scheduleTask(in: TimeAmount(options.closeTimeout)) { [self] in
                context?.close(promise: nil)
            }
        }
    }

    // MARK: - On the loop

    func onLoop(_ body: @escaping () throws -> Void) async throws {
        if loop.inLoop {
            try body()
        } else {
            nonisolated(unsafe) let body = body
            try await loop.eventLoop.submit { try body() }.get()
        }
    }

    func waitUntilWritable() async throws {
        if loop.inLoop {
            // A connection closed after the message was handed over: nothing left to wait for.
            guard let channel = context?.channel, !channel.isWritable, !channelClosed else { return }
            try await withCheckedThrowingContinuation { writabilityWaiters.append($0) }
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            loop.eventLoop.execute { [self] in
                if channelClosed || (context?.channel.isWritable ?? true) {
                    continuation.resume()
                } else {
                    writabilityWaiters.append(continuation)
                }
            }
        }
    }

    func sendNow(_ message: WebSocketMessage) throws {
        guard isOpen, let context else { throw WebSocketClosedError() }
        var payload: ByteBuffer
        let kind: WebSocketFrameKind
        switch message {
        case .text(let text):
            payload = context.channel.allocator.buffer(capacity: text.utf8.count)
            payload.writeString(text)
            kind = .text
        case .binary(let bytes):
            payload = bytes
            kind = .binary
        }
        if let observer = options.observer {
            observer.webSocketFrame(
                connectionID: info.connectionID,
                direction: .outgoing,
                kind: kind,
                size: payload.readableBytes,
                preview: options.observerPreviews ? message.text.map { String($0.prefix(64)) } : nil
            )
        }
        var compressed = false
        if let deflate {
            payload = try deflate.compress(payload, allocator: context.channel.allocator)
            compressed = true
        }
        writeFrame(kind == .text ? .text : .binary, payload, rsv1: compressed, flush: true)
    }

    func writeFrame(
        _ opcode: WebSocketOpcode,
        _ data: ByteBuffer,
        rsv1: Bool = false,
        flush: Bool,
        promise: EventLoopPromise<Void>? = nil
    ) {
        guard let context else {
            promise?.fail(WebSocketClosedError())
            return
        }
        let frame = WebSocketFrame(
            fin: true,
            rsv1: rsv1,
            opcode: opcode,
            maskKey: role == .client ? .random() : nil,
            data: data
        )
        if flush {
            context.writeAndFlush(wrapOutboundOut(frame), promise: promise)
        } else {
            context.write(wrapOutboundOut(frame), promise: promise)
        }
    }

    func sendClose(code: Int?, reason: String?, promise: EventLoopPromise<Void>? = nil) {
        guard !closeSent, let context else {
            promise?.succeed(())
            return
        }
        closeSent = true
        var data = context.channel.allocator.buffer(capacity: 125)
        if let code {
            data.writeInteger(UInt16(clamping: code))
            if let reason {
                // A control frame carries at most 125 bytes; cut the reason on a character boundary.
                var bytes = 0
                for character in reason {
                    let size = character.utf8.count
                    guard bytes + size <= 123 else { break }
                    data.writeString(String(character))
                    bytes += size
                }
            }
        }
        options.observer?.webSocketFrame(
            connectionID: info.connectionID,
            direction: .outgoing,
            kind: .close,
            size: data.readableBytes,
            preview: nil
        )
        writeFrame(.connectionClose, data, flush: true, promise: promise)
    }

    /// Both close frames have passed: the server drops the TCP connection now; a client waits (briefly) for the
    /// server to do it, as RFC 6455 section 7.1.1 asks.
    func finishClosing() {
        guard let context else { return }
        switch role {
        case .server:
            context.close(promise: nil)
        case .client:
            closeTimer?.cancel()
            closeTimer = loop.eventLoop.scheduleTask(in: TimeAmount(options.closeTimeout)) { [self] in
                self.context?.close(promise: nil)
            }
        }
    }

    /// Fails the connection (RFC 6455 section 7.1.7): sends a close frame with `code` and drops the TCP
    /// connection once it is written.
    func fail(_ code: Int, _ reason: String) {
        guard !failed, let context else { return }
        failed = true
        let channel = context.channel
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        sendClose(code: code, reason: reason, promise: written)
    }

    // MARK: - Pings on an interval

    func startPinging() {
        guard let interval = options.pingInterval, let timeout = options.effectivePingTimeout else { return }
        pingTimer = loop.eventLoop.scheduleRepeatedTask(
            initialDelay: TimeAmount(interval),
            delay: TimeAmount(interval)
        ) { [self] _ in
            guard isOpen, pingSentAt == nil else { return }
            pingSentAt = loop.time()
            writeFrame(.ping, ByteBuffer(), flush: true)
            pingTimeoutTask = loop.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [self] in
                pingTimeoutTask = nil
                if pingSentAt != nil {
                    close(code: WebSocketCloseCode.normal, reason: "ping timed out")
                }
            }
        }
    }
}

/// Raised for a payload a frame cannot carry (a ping of more than 125 bytes).
public struct WebSocketPayloadError: Error, CustomStringConvertible, Sendable {
    /// What was wrong.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
