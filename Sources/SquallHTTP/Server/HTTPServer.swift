public import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTPCompression
public import SquallIO
import Synchronization

/// A non-blocking HTTP/1.x server: Tornado's `HTTPServer`, built on ``SquallIO/TCPServer`` and SwiftNIO's
/// HTTP/1 parser.
///
/// ```swift
/// let server = HTTPServer { request, response in
///     try await response.respond(body: "Hello, world")
/// }
/// try await server.listen(port: 8888, address: "127.0.0.1")
/// ```
///
/// Serves keep-alive and pipelined requests (answered in order), chunked bodies both ways,
/// `Expect: 100-continue`, and `HEAD`; validates requests as strictly as Tornado 6.6 and answers bad ones
/// with a 4xx and a short reason (see ``HTTPServerOptions`` for the limits and timeouts). Each request's
/// handler runs in a task on its connection's loop.
open class HTTPServer: TCPServer, @unchecked Sendable {
    /// The limits, timeouts and behaviour in force.
    public let options: HTTPServerOptions
    /// What handles the requests.
    public let delegate: any HTTPServerDelegate
    /// Who is told about connections and requests (the monitor), if anyone.
    public let observer: (any HTTPServerObserver)?
    /// Created on first use: a quiescing helper that was never shut down reports an error when it is freed
    /// after its event loop group stopped, so a server that never listened must not own one.
    private let quiesceStorage = Mutex<ServerQuiescingHelper?>(nil)
    private let connections = Mutex(Connections())

    private struct Connections {
        var open: [Int: any Channel] = [:]
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
    }
    private static let lastConnectionID = Atomic<Int>(0)

    /// Creates a server whose requests go to `delegate`.
    ///
    /// - Parameters:
    ///   - group: the loops to run connections on (default ``SquallIO/IOLoopGroup/shared``).
    ///   - options: limits and behaviour (Tornado's defaults).
    ///   - observer: receives connection and request events, for instrumentation.
    ///   - delegate: handles each request.
    public init(
        group: IOLoopGroup = .shared,
        options: HTTPServerOptions = HTTPServerOptions(),
        observer: (any HTTPServerObserver)? = nil,
        delegate: any HTTPServerDelegate
    ) {
        self.options = options
        self.delegate = delegate
        self.observer = observer
        super.init(group: group)
    }

    /// Creates a server whose requests go to `handler`, with bodies buffered (Tornado's `request_callback`).
    public convenience init(
        group: IOLoopGroup = .shared,
        options: HTTPServerOptions = HTTPServerOptions(),
        observer: (any HTTPServerObserver)? = nil,
        handler: @escaping @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void
    ) {
        self.init(group: group, options: options, observer: observer, delegate: ClosureDelegate(handler: handler))
    }

    /// The number of open connections.
    public var connectionCount: Int { connections.withLock { $0.open.count } }

    open override func initializeListener(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(quiesce().makeServerChannelHandler(channel: channel))
        }
    }

    open override func initializeConnection(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            let id = Self.lastConnectionID.wrappingAdd(1, ordering: .relaxed).newValue
            let loop = IOLoop(wrapping: channel.eventLoop)
            let accounting = HTTPConnectionAccounting()
            let encoder = HTTP1ResponseEncoder()
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = options.maxHeaderSize
            limits.maxHeaderListSize = options.maxHeaderSize
            // The size limit is the real bound; every header line takes at least four bytes.
            limits.maxHeaderFieldCount = max(256, options.maxHeaderSize / 4)
            let info = HTTPConnectionInfo(
                id: id,
                loopIndex: loop.index,
                peer: channel.remoteAddress.map(Self.describe) ?? "unknown",
                local: channel.localAddress.map(Self.describe) ?? "unknown",
                openedAt: loop.time()
            )
            let control = observer == nil ? nil : HTTPConnectionControl(info: info, channel: channel)
            accounting.control = control
            let handler = HTTP1ConnectionHandler(
                options: options,
                delegate: delegate,
                observer: observer,
                encoder: encoder,
                accounting: accounting,
                loop: loop,
                info: info,
                control: control,
                peerIP: channel.remoteAddress?.ipAddress ?? "0.0.0.0"
            )
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(accounting)
            try pipeline.addHandler(
                ByteToMessageHandler(
                    HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes, limitConfiguration: limits)
                )
            )
            try pipeline.addHandler(encoder)
            try pipeline.addHandler(HTTPServerPipelineHandler())
            if options.decompressRequest {
                try pipeline.addHandler(NIOHTTPRequestDecompressor(limit: .size(options.maxBodySize)))
            }
            try pipeline.addHandler(handler)
            connections.withLock { $0.open[id] = channel }
            channel.closeFuture.whenComplete { [weak self] _ in self?.connectionClosed(id) }
        }
    }

    /// Stops the server gracefully, waiting up to ``HTTPServerOptions/shutdownGracePeriod``; see
    /// ``stop(gracePeriod:)``.
    open override func stop() async {
        await stop(gracePeriod: options.shutdownGracePeriod)
    }

    /// Stop a server before shutting down the ``SquallIO/IOLoopGroup`` it runs on.
    ///
    /// Stops the server gracefully: stops listening, closes idle keep-alive connections at once, lets requests
    /// in progress finish (their connections close after the response), and after `gracePeriod` closes
    /// whatever is still open.
    public func stop(gracePeriod: Duration) async {
        // The quiescing helper closes the listeners and tells every connection to finish its current response
        // and close (NIO's pipelining handler does that part); the deadline closes whatever is left.
        quiesce().initiateShutdown(promise: nil)
        await super.stop()
        let deadline = group.loops[0].eventLoop.scheduleTask(in: TimeAmount(gracePeriod)) { [self] in
            closeAllConnections()
        }
        await withCheckedContinuation { continuation in
            let drained = connections.withLock { state -> Bool in
                if state.open.isEmpty { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
        deadline.cancel()
    }

    private func quiesce() -> ServerQuiescingHelper {
        quiesceStorage.withLock { helper in
            if let helper { return helper }
            let created = ServerQuiescingHelper(group: group.eventLoopGroup)
            helper = created
            return created
        }
    }

    /// Closes every open connection at once, requests in progress included (Tornado's
    /// `close_all_connections`, without the wait).
    public func closeAllConnections() {
        let open = connections.withLock { Array($0.open.values) }
        for channel in open { channel.close(promise: nil) }
    }

    private func connectionClosed(_ id: Int) {
        let waiters = connections.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open.removeValue(forKey: id)
            guard state.open.isEmpty else { return [] }
            defer { state.drainWaiters = [] }
            return state.drainWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
