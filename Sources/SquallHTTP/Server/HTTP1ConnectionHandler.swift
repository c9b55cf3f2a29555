import NIOCore
import NIOHTTP1
import SquallIO

/// Serves the HTTP/1.x requests of one connection: validates each request as strictly as Tornado 6.6,
/// enforces the size limits and timeouts of ``HTTPServerOptions``, reads or streams the body, and runs the
/// delegate for it in a task on the connection's loop.
///
/// NIO's `HTTPServerPipelineHandler` sits in front, so requests arrive one at a time: the next head is only
/// delivered once this request's response has ended, which keeps pipelined responses in order. All state is
/// confined to the channel's loop (hence `@unchecked Sendable`); ``HTTPResponseWriter`` hops there when used
/// from elsewhere.
final class HTTP1ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    enum State {
        /// Waiting for a request head.
        case idle
        /// Reading a buffered request's body.
        case readingBody(RequestHead, ByteBuffer)
        /// The handler runs while the body is still arriving.
        case streamingBody(HTTPRequestBodySource)
        /// The handler runs; the request has been read completely.
        case handling
        /// An error response is being sent; everything else the client sends is ignored until the close.
        case rejecting
    }

    let options: HTTPServerOptions
    let delegate: any HTTPServerDelegate
    let streamsBodies: Bool
    let observer: (any HTTPServerObserver)?
    let encoder: HTTP1ResponseEncoder
    let accounting: HTTPConnectionAccounting
    let loop: IOLoop
    let peerIP: String
    /// The observer's live view of this connection (`nil` when the server has no observer).
    let control: HTTPConnectionControl?
    private(set) var info: HTTPConnectionInfo
    private(set) var context: ChannelHandlerContext?
    var state = State.idle
    var requestsServed = 0
    private(set) var closed = false
    /// Whether the connection was handed to another protocol (see `HTTP1ConnectionHandler+Upgrade.swift`): its
    /// close is then reported from the channel's close, not from this handler's removal.
    var upgraded = false
    /// When the current phase (idle, reading a head, reading a body) times out; `nil` while none applies.
    var deadline: NIODeadline?
    /// Whether the current phase is "waiting for the rest of a request head" (its deadline is running).
    var readingHead = false
    var deadlineCheck: Scheduled<Void>?
    private var writabilityWaiters: [CheckedContinuation<Void, any Error>] = []
    /// The response in progress, so its writer can be told when the connection dies under it.
    var currentWriter: HTTPResponseWriter?
    private var dateCache = HTTPDateCache()

    /// The `Date` header value for now, formatted at most once a second per connection.
    func currentDate() -> String { dateCache.current() }

    init(
        options: HTTPServerOptions,
        delegate: any HTTPServerDelegate,
        observer: (any HTTPServerObserver)?,
        encoder: HTTP1ResponseEncoder,
        accounting: HTTPConnectionAccounting,
        loop: IOLoop,
        info: HTTPConnectionInfo,
        control: HTTPConnectionControl? = nil,
        peerIP: String
    ) {
        self.control = control
        self.peerIP = peerIP
        self.options = options
        self.delegate = delegate
        self.streamsBodies = !(delegate is ClosureDelegate)
        self.observer = observer
        self.encoder = encoder
        self.accounting = accounting
        self.loop = loop
        self.info = info
    }

    var isClosed: Bool { closed }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    // MARK: - Connection lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        accounting.onBytesReceived = { [weak self] _ in self?.bytesArrived() }
    }

    func channelActive(context: ChannelHandlerContext) {
        if let observer, let control { observer.connectionOpened(info, control: control) }
        setDeadline(options.idleConnectionTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionClosed()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionClosed()
        self.context = nil
    }

    private func connectionClosed() {
        guard !closed else { return }
        closed = true
        deadlineCheck?.cancel()
        deadlineCheck = nil
        if case .streamingBody(let source) = state {
            source.fail(StreamClosedError(cause: HTTPConnectionError.closedBeforeBodyEnded))
        }
        let waiters = writabilityWaiters
        writabilityWaiters = []
        for waiter in waiters { waiter.resume(throwing: StreamClosedError()) }
        currentWriter?.connectionClosed()
        guard !upgraded else { return }
        control?.closed()
        observer?.connectionClosed(
            info,
            bytesIn: accounting.bytesIn,
            bytesOut: accounting.bytesOut,
            requests: requestsServed
        )
    }

    func close() {
        context?.close(promise: nil)
    }

    // MARK: - Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            receivedHead(head)
        case .body(let chunk):
            receivedBody(chunk)
        case .end:
            receivedEnd()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let (status, reason) = Self.response(for: error) {
            reject(status: status, reason: reason)
        } else {
            context.close(promise: nil)
        }
    }

    private func receivedHead(_ nioHead: HTTPRequestHead) {
        guard case .idle = state, !closed else { return }
        readingHead = false
        deadline = nil
        let head: RequestHead
        let framing: BodyFraming
        do {
            framing = try Self.validate(nioHead, options: options)
            head = try makeRequestHead(nioHead)
        } catch let error as HTTPRequestRejection {
            reject(status: error.status, reason: error.reason)
            return
        } catch {
            reject(status: 400, reason: "\(error)")
            return
        }
        keepAlive = !options.noKeepAlive && nioHead.isKeepAlive
        isHeadRequest = nioHead.method == .HEAD
        responseVersion = nioHead.version
        if framing.expectsContinue {
            context?.writeAndFlush(
                wrapOutboundOut(.head(HTTPResponseHead(version: nioHead.version, status: .continue))),
                promise: nil
            )
        }
        if framing.hasBody { setDeadline(options.bodyTimeout) }
        if streamsBodies {
            let probe = HTTPServerRequest(
                head: head,
                body: ByteBuffer(),
                bodyArguments: [:],
                files: [:],
                bodyStream: nil
            )
            if delegate.bodyMode(for: probe) == .streamed {
                let source = HTTPRequestBodySource(handler: self)
                state = .streamingBody(source)
                let request = HTTPServerRequest(
                    head: head,
                    body: ByteBuffer(),
                    bodyArguments: [:],
                    files: [:],
                    bodyStream: source.body,
                    connectionControl: control
                )
                dispatch(request)
                return
            }
        }
        state = .readingBody(head, ByteBuffer())
    }

    private func receivedBody(_ chunk: ByteBuffer) {
        switch state {
        case .readingBody(let head, var body):
            guard body.readableBytes + chunk.readableBytes <= options.maxBodySize else {
                reject(status: 413, reason: "Request body is larger than the limit of \(options.maxBodySize) bytes")
                return
            }
            state = .handling  // drop the state's reference so the append does not copy the buffer
            var chunk = chunk
            if body.readableBytes == 0 { body = chunk } else { body.writeBuffer(&chunk) }
            state = .readingBody(head, body)
        case .streamingBody(let source):
            streamedBytes += chunk.readableBytes
            guard streamedBytes <= options.maxBodySize else {
                source.fail(HTTPInputError("request body too large"))
                reject(status: 413, reason: "Request body is larger than the limit of \(options.maxBodySize) bytes")
                return
            }
            // Deliver at most chunkSize bytes at a time, as Tornado's data_received does.
            var rest = chunk
            while rest.readableBytes > options.chunkSize, let piece = rest.readSlice(length: options.chunkSize) {
                source.yield(piece)
            }
            if rest.readableBytes > 0 { source.yield(rest) }
        case .idle, .handling, .rejecting:
            break
        }
    }

    private func receivedEnd() {
        deadline = nil
        switch state {
        case .readingBody(let head, let body):
            var bodyArguments: [String: [[UInt8]]] = [:]
            var files: [String: [HTTPFile]] = [:]
            if body.readableBytes > 0, let contentType = head.headers["Content-Type"] {
                do {
                    try parseBodyArguments(
                        contentType: contentType,
                        body: Array(body.readableBytesView),
                        arguments: &bodyArguments,
                        files: &files,
                        headers: head.headers,
                        config: options.bodyConfig
                    )
                } catch {
                    reject(status: 400, reason: error.message)
                    return
                }
            }
            let request = HTTPServerRequest(
                head: head,
                body: body,
                bodyArguments: bodyArguments,
                files: files,
                bodyStream: nil,
                connectionControl: control
            )
            state = .handling
            dispatch(request)
        case .streamingBody(let source):
            state = .handling
            streamedBytes = 0
            source.finish()
        case .idle, .handling, .rejecting:
            break
        }
    }

    // Per-request response facts, read by the writer.
    var keepAlive = true
    private(set) var isHeadRequest = false
    private(set) var responseVersion = HTTPVersion.http1_1
    private var streamedBytes = 0
    private var dispatchingInline = false

    private func dispatch(_ request: HTTPServerRequest) {
        control?.requestStarted(request)
        observer?.requestStarted(request)
        let writer = HTTPResponseWriter(handler: self, request: request)
        currentWriter = writer
        let delegate = self.delegate
        let operation: () async -> Void = {
            do {
                try await delegate.handle(request, writer)
            } catch {
                writer.handlerFailed(error)
            }
            writer.finishIfNeeded()
        }
        // Run the handler inline until it first suspends: most handlers answer without suspending, and then
        // the request never goes through the loop's task queue. A request dispatched from inside another
        // inline handler (pipelined requests released by its response's end) is queued instead, so a long
        // pipeline cannot grow the stack.
        if dispatchingInline {
            loop.spawn(operation)
        } else {
            dispatchingInline = true
            loop.spawnImmediately(operation)
            dispatchingInline = false
        }
    }

    /// Called by the writer just before it writes the response's end: the connection is ready for the next
    /// request from that moment, because NIO's pipelining handler delivers a buffered pipelined request as soon
    /// as the end passes through it. Returns whether the connection stays open afterwards.
    func responseEnding(_ writer: HTTPResponseWriter) -> Bool {
        guard currentWriter === writer else { return keepAlive && !closed }
        currentWriter = nil
        requestsServed += 1
        control?.responseEnded()
        if case .streamingBody(let source) = state {
            // The handler answered before reading the whole body; the rest cannot be skipped reliably.
            source.fail(StreamClosedError(cause: HTTPConnectionError.responseSentBeforeBodyEnded))
            keepAlive = false
        }
        guard keepAlive, !closed else {
            state = .rejecting
            return false
        }
        state = .idle
        setDeadline(options.idleConnectionTimeout)
        return true
    }

    /// Called once the response's end has been written (or failed to be) when the connection closes after it,
    /// and as soon as the end is handed to the channel when it stays open.
    func responseEnded(_ writer: HTTPResponseWriter, status: Int, bytesOut: Int, keepOpen: Bool) {
        observer?.requestFinished(
            writer.request,
            status: status,
            bytesOut: bytesOut,
            duration: loop.time() - writer.request.startTime
        )
        if !keepOpen { close() }
    }

    // MARK: - Errors

    /// Answers a bad request with `status` and a short text `reason`, then closes the connection.
    func reject(status: Int, reason: String) {
        if case .rejecting = state { return }
        let canRespond = currentWriter == nil || !(currentWriter?.headWritten ?? false)
        state = .rejecting
        currentWriter?.abandon()
        guard let context, canRespond, !closed else {
            close()
            return
        }
        currentWriter = nil
        var body = context.channel.allocator.buffer(capacity: reason.utf8.count + 1)
        body.writeString(reason)
        body.writeStaticString("\n")
        var headers = NIOHTTP1.HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        let status = HTTPResponseStatus(statusCode: status)
        encoder.nextResponseIsBodiless = false
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
            promise: nil
        )
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: - Writing (used by HTTPResponseWriter, on the loop)

    func write(_ part: HTTPServerResponsePart, flush: Bool, promise: EventLoopPromise<Void>?) {
        guard let context, !closed else {
            promise?.fail(StreamClosedError())
            return
        }
        if flush {
            context.writeAndFlush(wrapOutboundOut(part), promise: promise)
        } else {
            context.write(wrapOutboundOut(part), promise: promise)
        }
    }

    /// Suspends until the channel can take more bytes (backpressure for streamed responses).
    func waitUntilWritable() async throws {
        guard !isWritable else { return }
        if closed { throw StreamClosedError() }
        try await withCheckedThrowingContinuation { writabilityWaiters.append($0) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            let waiters = writabilityWaiters
            writabilityWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: - Streaming body flow control

    private var holdingRead = false
    private var readHeld = false

    func read(context: ChannelHandlerContext) {
        if holdingRead {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// The streamed body's consumer is behind: stop reading from the socket.
    func pauseReading() {
        holdingRead = true
    }

    /// The streamed body's consumer wants more: read again.
    func resumeReading() {
        holdingRead = false
        if readHeld {
            readHeld = false
            context?.read()
        }
    }
}

/// Why a connection went away under a request.
public enum HTTPConnectionError: Error, CustomStringConvertible, Sendable {
    /// The client closed the connection before sending the whole body.
    case closedBeforeBodyEnded
    /// The handler finished its response before reading the whole streamed body.
    case responseSentBeforeBodyEnded

    /// The message a user reads: what happened and why.
    public var description: String {
        switch self {
        case .closedBeforeBodyEnded: "the connection closed before the request body ended"
        case .responseSentBeforeBodyEnded: "the response was sent before the request body was read"
        }
    }
}
