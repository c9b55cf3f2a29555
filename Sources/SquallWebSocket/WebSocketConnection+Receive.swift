public import NIOCore
import SquallIO
import NIOWebSocket

extension WebSocketConnection {
    /// Handles one frame from NIO's decoder: checks it against RFC 6455, assembles messages, answers pings and
    /// close frames.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed, !closeReceived else { return }
        let frame = unwrapInboundIn(data)
        // RFC 6455 5.1: clients mask every frame, servers none.
        guard (frame.maskKey != nil) == (role == .server) else {
            fail(WebSocketCloseCode.protocolError, role == .server ? "unmasked frame" : "masked frame")
            return
        }
        guard !frame.rsv2, !frame.rsv3 else {
            fail(WebSocketCloseCode.protocolError, "reserved bits set")
            return
        }
        if frame.rsv1 && (deflate == nil || !(frame.opcode == .text || frame.opcode == .binary)) {
            fail(WebSocketCloseCode.protocolError, "reserved bit 1 set without a compressed message")
            return
        }
        switch frame.opcode {
        case .text, .binary:
            guard messageKind == nil else {
                fail(WebSocketCloseCode.protocolError, "a new message began before the last one ended")
                return
            }
            messageKind = frame.opcode == .text ? .text : .binary
            messageCompressed = frame.rsv1
            messageSize = 0
            utf8 = UTF8Validator()
            receivedData(frame.unmaskedData, fin: frame.fin)
        case .continuation:
            guard messageKind != nil else {
                fail(WebSocketCloseCode.protocolError, "a continuation frame without a message")
                return
            }
            receivedData(frame.unmaskedData, fin: frame.fin)
        case .ping:
            let payload = frame.unmaskedData
            observe(.ping, size: payload.readableBytes)
            if !closeSent { writeFrame(.pong, payload, flush: true) }
            enqueue(.ping(payload))
        case .pong:
            let payload = frame.unmaskedData
            observe(.pong, size: payload.readableBytes)
            if let sentAt = pingSentAt {
                pingSentAt = nil
                pingTimeoutTask?.cancel()
                pingTimeoutTask = nil
                options.observer?.webSocketPingRTT(connectionID: info.connectionID, seconds: loop.time() - sentAt)
            }
            enqueue(.pong(payload))
        case .connectionClose:
            receivedClose(frame.unmaskedData)
        default:
            fail(WebSocketCloseCode.protocolError, "reserved opcode")
        }
    }

    private func receivedData(_ data: ByteBuffer, fin: Bool) {
        if messageCompressed, let deflate {
            receivedCompressed(data, fin: fin, deflate: deflate)
            return
        }
        messageSize += data.readableBytes
        guard messageSize <= options.maxMessageSize else {
            fail(WebSocketCloseCode.messageTooBig, "message too big")
            return
        }
        let kind = messageKind ?? .binary
        if fin && messageBuffer.readableBytes == 0 {
            // The common case, a message in one frame: no copy into the assembly buffer.
            deliver(kind, data)
            return
        }
        if kind == .text {
            guard utf8.feed(data.readableBytesView) else {
                fail(WebSocketCloseCode.invalidPayload, "invalid UTF-8 in text message")
                return
            }
        }
        if messageBuffer.readableBytes == 0 {
            messageBuffer = data
        } else {
            messageBuffer.writeImmutableBuffer(data)
        }
        if fin { deliverAssembled(kind) }
    }

    /// Inflates a frame of a compressed message straight into the assembly buffer, validating text as it grows.
    private func receivedCompressed(_ data: ByteBuffer, fin: Bool, deflate: PerMessageDeflate) {
        let kind = messageKind ?? .binary
        let start = messageBuffer.writerIndex
        do {
            try deflate.decompress(data, final: fin, into: &messageBuffer, limit: options.maxMessageSize)
        } catch PerMessageDeflateError.tooBig {
            fail(WebSocketCloseCode.messageTooBig, "message too big")
            return
        } catch {
            fail(WebSocketCloseCode.protocolError, "invalid compressed data")
            return
        }
        if kind == .text, !fin {
            let added = messageBuffer.getSlice(at: start, length: messageBuffer.writerIndex - start) ?? ByteBuffer()
            guard utf8.feed(added.readableBytesView) else {
                fail(WebSocketCloseCode.invalidPayload, "invalid UTF-8 in text message")
                return
            }
        }
        if fin { deliverAssembled(kind) }
    }

    private func deliverAssembled(_ kind: WebSocketFrameKind) {
        let whole = messageBuffer
        messageBuffer = ByteBuffer()
        deliver(kind, whole)
    }

    private func deliver(_ kind: WebSocketFrameKind, _ data: ByteBuffer) {
        messageKind = nil
        let message: WebSocketMessage
        if kind == .text {
            guard let text = String(validating: data.readableBytesView, as: UTF8.self) else {
                fail(WebSocketCloseCode.invalidPayload, "invalid UTF-8 in text message")
                return
            }
            message = .text(text)
        } else {
            message = .binary(data)
        }
        if let observer = options.observer {
            observer.webSocketFrame(
                connectionID: info.connectionID,
                direction: .incoming,
                kind: kind,
                size: data.readableBytes,
                preview: options.observerPreviews ? message.text.map { String($0.prefix(64)) } : nil
            )
        }
        // After our close frame, data is read (to reach the peer's close) but not delivered.
        guard !closeSent else { return }
        enqueue(.message(message))
    }

    private func receivedClose(_ data: ByteBuffer) {
        var data = data
        observe(.close, size: data.readableBytes)
        switch data.readableBytes {
        case 0:
            break
        case 1:
            fail(WebSocketCloseCode.protocolError, "invalid close frame")
            return
        default:
            let code = Int(data.readInteger(as: UInt16.self) ?? 0)
            guard WebSocketCloseCode.isValidOnWire(code) else {
                fail(WebSocketCloseCode.protocolError, "invalid close code")
                return
            }
            guard let reason = String(validating: data.readableBytesView, as: UTF8.self) else {
                fail(WebSocketCloseCode.invalidPayload, "invalid UTF-8 in close reason")
                return
            }
            closeCode = code
            closeReason = reason.isEmpty ? nil : reason
        }
        closeReceived = true
        // Echo the peer's code, as Tornado does.
        if !closeSent { sendClose(code: closeCode, reason: nil) }
        finishClosing()
    }

    private func observe(_ kind: WebSocketFrameKind, size: Int) {
        options.observer?.webSocketFrame(
            connectionID: info.connectionID,
            direction: .incoming,
            kind: kind,
            size: size,
            preview: nil
        )
    }
}
