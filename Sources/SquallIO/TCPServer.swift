public import NIOCore
import NIOPosix
import Synchronization

/// A non-blocking TCP server: Tornado's `TCPServer`.
///
/// Each accepted connection becomes an ``IOStream`` handed to ``handleStream(_:address:)`` in a task that runs
/// on the connection's loop. Either pass a closure to the initialiser or subclass and override
/// ``handleStream(_:address:)``:
///
/// ```swift
/// let server = TCPServer { stream, _ in
///     while let line = try? await stream.readUntil("\n") { try? await stream.write(line) }
/// }
/// try await server.listen(port: 8888, address: "127.0.0.1")
/// ```
///
/// Accepted connections start with `TCP_NODELAY` set; ``IOStream/setNoDelay(_:)`` turns Nagle back on.
open class TCPServer: @unchecked Sendable {
    /// Tornado's default listen backlog: 128.
    public static let defaultBacklog = 128

    /// The loops connections are spread over.
    public let group: IOLoopGroup
    /// The ``IOStream/maxBufferSize`` of each accepted stream.
    public let maxBufferSize: Int
    /// How many bytes each accepted stream reads ahead of its handler.
    public let readChunkSize: Int
    private let streamHandler: (@Sendable (IOStream, SocketAddress?) async -> Void)?
    private let state = Mutex(State())

    private struct State {
        var listeners: [any Channel] = []
        var started = false
    }

    /// Creates a server; nothing is bound until ``listen(port:address:backlog:reusePort:)`` or
    /// ``bind(port:address:backlog:reusePort:)``.
    ///
    /// - Parameters:
    ///   - group: the loops to run connections on (default ``IOLoopGroup/shared``).
    ///   - maxBufferSize: each stream's limit on buffered incoming bytes (default 100 MiB).
    ///   - readChunkSize: how far each stream reads ahead of its handler (default 64 KiB).
    ///   - handleStream: called for each connection unless a subclass overrides ``handleStream(_:address:)``.
    public init(
        group: IOLoopGroup = .shared,
        maxBufferSize: Int = IOStream.defaultMaxBufferSize,
        readChunkSize: Int = IOStream.defaultReadChunkSize,
        handleStream: (@Sendable (IOStream, SocketAddress?) async -> Void)? = nil
    ) {
        self.group = group
        self.maxBufferSize = maxBufferSize
        self.readChunkSize = readChunkSize
        self.streamHandler = handleStream
    }

    /// Handles one connection; runs on the connection's loop. The default calls the closure given to the
    /// initialiser, then closes the stream if it is still open; without a closure it closes the stream at once.
    ///
    /// - Parameters:
    ///   - stream: the connection.
    ///   - address: the peer's address, if known.
    open func handleStream(_ stream: IOStream, address: SocketAddress?) async {
        await streamHandler?(stream, address)
        stream.close()
    }

    /// Binds to `port` on `address` and starts accepting connections at once.
    ///
    /// - Parameters:
    ///   - port: the TCP port; 0 picks a free one (read it back from ``port``).
    ///   - address: an IP literal or host name; `nil` listens on every interface, IPv4 and IPv6, as Tornado does.
    ///   - backlog: the kernel's queue of connections not yet accepted.
    ///   - reusePort: sets `SO_REUSEPORT`, so several processes can share the port.
    /// - Throws: ``ResolveError`` for an unknown host, or the system's error if the port cannot be bound.
    public func listen(
        port: Int,
        address: String? = nil,
        backlog: Int = TCPServer.defaultBacklog,
        reusePort: Bool = false
    ) async throws {
        try await bind(port: port, address: address, backlog: backlog, reusePort: reusePort)
        start()
    }

    /// Binds listening sockets without accepting yet; call ``start()`` to begin (Tornado's `bind` + `start`).
    ///
    /// Can be called more than once to listen on several addresses. When `address` names several addresses
    /// (such as `nil` or `"localhost"`) and `port` is 0, they all share the first port the system picks.
    public func bind(
        port: Int,
        address: String? = nil,
        backlog: Int = TCPServer.defaultBacklog,
        reusePort: Bool = false
    ) async throws {
        let addresses = try await bindAddresses(host: address, port: port)
        var bound: [any Channel] = []
        var chosenPort = port
        do {
            for var target in addresses {
                if chosenPort != 0 { target.port = chosenPort }
                do {
                    let channel = try await makeBootstrap(backlog: backlog, reusePort: reusePort, target: target)
                        .bind(to: target).get()
                    if chosenPort == 0 { chosenPort = channel.localAddress?.port ?? 0 }
                    bound.append(channel)
                } catch  where Self.isMissingIPv6(target, error) && addresses.count > 1 {
                    continue
                }
            }
        } catch {
            for channel in bound { channel.close(promise: nil) }
            throw error
        }
        let startNow = state.withLock { state in
            state.listeners.append(contentsOf: bound)
            return state.started
        }
        if startNow {
            for channel in bound { channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in } }
        }
    }

    /// Starts accepting on every socket bound by ``bind(port:address:backlog:reusePort:)``.
    public func start() {
        let listeners = state.withLock { state in
            state.started = true
            return state.listeners
        }
        for channel in listeners { channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in } }
    }

    /// Stops taking new connections from the listening sockets' backlogs until ``resumeAccepting()``; the
    /// sockets stay bound, so clients queue in the kernel's backlog (and time out there) instead of being refused.
    public func pauseAccepting() async {
        for channel in listeners { _ = try? await channel.setOption(ChannelOptions.autoRead, value: false).get() }
    }

    /// Accepts new connections again after ``pauseAccepting()``.
    public func resumeAccepting() async {
        for channel in listeners { _ = try? await channel.setOption(ChannelOptions.autoRead, value: true).get() }
    }

    /// Stops listening; connections already accepted carry on (as in Tornado) until their handlers finish.
    open func stop() async {
        let listeners = state.withLock { state in
            defer { state.listeners = [] }
            return state.listeners
        }
        for channel in listeners {
            try? await channel.close()
        }
    }

    /// The addresses the server listens on.
    public var localAddresses: [SocketAddress] {
        state.withLock { $0.listeners.compactMap(\.localAddress) }
    }

    /// The port the server listens on (useful after binding port 0), or `nil` before binding.
    public var port: Int? { localAddresses.first?.port }

    private func makeBootstrap(backlog: Int, reusePort: Bool, target: SocketAddress) -> ServerBootstrap {
        var bootstrap = ServerBootstrap(group: group.eventLoopGroup)
            .serverChannelOption(ChannelOptions.backlog, value: Int32(clamping: backlog))
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
        if reusePort {
            bootstrap = bootstrap.serverChannelOption(
                ChannelOptions.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)),
                value: 1
            )
        }
        if case .v6 = target {
            // As Tornado does: IPv6 sockets carry only IPv6, so an IPv4 socket can share the port.
            bootstrap = bootstrap.serverChannelOption(
                ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only),
                value: 1
            )
        }
        return
            bootstrap
            .serverChannelInitializer { [self] channel in initializeListener(channel) }
            .childChannelInitializer { [self] channel in initializeConnection(channel) }
    }

    /// Sets up a newly accepted connection's NIO pipeline; runs on the connection's event loop.
    ///
    /// The default attaches an ``IOStream`` and starts ``handleStream(_:address:)`` on the connection's loop.
    /// Subclasses that speak a protocol through NIO channel handlers (as `HTTPServer` does) override this
    /// instead, the way Tornado's `HTTPServer` builds on `TCPServer`.
    open func initializeConnection(_ channel: any Channel) -> EventLoopFuture<Void> {
        do {
            let stream = try IOStream.attach(to: channel, maxBufferSize: maxBufferSize, readChunkSize: readChunkSize)
            let address = channel.remoteAddress
            stream.loop.spawn { [self] in
                await handleStream(stream, address: address)
            }
            return channel.eventLoop.makeSucceededVoidFuture()
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }

    /// Sets up a listening socket's NIO pipeline before it starts accepting; the default adds nothing.
    ///
    /// Subclasses override it to watch accepted connections (for example for graceful shutdown).
    open func initializeListener(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.makeSucceededVoidFuture()
    }

    /// The listening sockets, for subclasses that manage their own shutdown.
    public var listeners: [any Channel] {
        state.withLock { $0.listeners }
    }

    private static func isMissingIPv6(_ target: SocketAddress, _ error: any Error) -> Bool {
        guard case .v6 = target, let ioError = error as? IOError else { return false }
        return ioError.errnoCode == EADDRNOTAVAIL || ioError.errnoCode == EAFNOSUPPORT
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
