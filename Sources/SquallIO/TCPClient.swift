import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens TCP connections as ``IOStream``s: Tornado's `TCPClient`.
///
/// Names resolving to both IPv4 and IPv6 addresses are tried with happy eyeballs (RFC 8305), as Tornado's
/// tcpclient does: the preferred family first, the other after a short delay, the first to connect wins.
public struct TCPClient: Sendable {
    /// The loops connections are made on.
    public let group: IOLoopGroup
    /// How host names are turned into addresses.
    public let resolver: any Resolver

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - group: the loops to put connections on (default ``IOLoopGroup/shared``).
    ///   - resolver: the name lookup to use (default: the system resolver on a thread pool).
    public init(group: IOLoopGroup = .shared, resolver: any Resolver = DefaultResolver()) {
        self.group = group
        self.resolver = resolver
    }

    /// Connects to `host` at `port`.
    ///
    /// - Parameters:
    ///   - timeout: the limit for the whole connect, resolution included; `nil` means 20 s (Tornado's
    ///     HTTP client default; plain Tornado leaves it to the system).
    ///   - sourceIP: the local address to connect from; `sourcePort` the local port (0 or `nil`: any).
    ///   - loop: the loop the connection lives on (default: the next loop of ``group``).
    ///   - maxBufferSize: the stream's limit on buffered incoming bytes (default 100 MiB).
    /// - Throws: ``TCPConnectError`` saying whether the connection was refused, timed out or the name could
    ///   not be resolved.
    public func connect(
        host: String,
        port: Int,
        timeout: Duration? = nil,
        sourceIP: String? = nil,
        sourcePort: Int? = nil,
        loop: IOLoop? = nil,
        maxBufferSize: Int = IOStream.defaultMaxBufferSize,
        readChunkSize: Int = IOStream.defaultReadChunkSize
    ) async throws -> IOStream {
        let loop = loop ?? group.next()
        let limit = timeout ?? .seconds(20)
        // Happy eyeballs may start several channels; each gets a stream, and the winner's is returned. Taken in
        // the initializer, because a peer that closes at once empties the pipeline before connect returns.
        let streams = Mutex<[ObjectIdentifier: IOStream]>([:])
        var bootstrap = ClientBootstrap(group: loop.eventLoop)
            .connectTimeout(TimeAmount(limit))
            .resolver(NIOResolverAdapter(resolver: resolver, eventLoop: loop.eventLoop))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let stream = try IOStream.attach(
                        to: channel,
                        maxBufferSize: maxBufferSize,
                        readChunkSize: readChunkSize
                    )
                    streams.withLock { $0[ObjectIdentifier(channel)] = stream }
                }
            }
        if sourceIP != nil || sourcePort != nil {
            do {
                let source = try SocketAddress(ipAddress: sourceIP ?? "0.0.0.0", port: sourcePort ?? 0)
                bootstrap = bootstrap.bind(to: source)
            } catch {
                throw TCPConnectError(host: host, port: port, reason: .invalidSource, underlying: error)
            }
        }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw TCPConnectError(host: host, port: port, classifying: error)
        }
        guard let stream = streams.withLock({ $0[ObjectIdentifier(channel)] }) else {
            channel.close(promise: nil)
            throw TCPConnectError(
                host: host,
                port: port,
                reason: .other,
                underlying: ChannelError.inappropriateOperationForState
            )
        }
        return stream
    }
}

/// Raised when ``TCPClient`` cannot connect, saying why.
public struct TCPConnectError: Error, CustomStringConvertible, Sendable {
    /// Why a connect failed.
    public enum Reason: Sendable, Hashable {
        /// The host answered that nothing listens on the port.
        case refused
        /// The connect did not finish within its timeout.
        case timedOut
        /// The host name could not be resolved to any address.
        case unresolvable
        /// The network or host could not be reached.
        case unreachable
        /// The source address given to connect from is not a valid IP address.
        case invalidSource
        /// Some other failure; see ``TCPConnectError/underlying``.
        case other
    }

    /// The host that was being connected to.
    public var host: String
    /// The port that was being connected to.
    public var port: Int
    /// Why the connect failed.
    public var reason: Reason
    /// The error the system or SwiftNIO reported, if any.
    public var underlying: (any Error)?

    /// Creates the error.
    public init(host: String, port: Int, reason: Reason, underlying: (any Error)? = nil) {
        self.host = host
        self.port = port
        self.reason = reason
        self.underlying = underlying
    }

    init(host: String, port: Int, classifying error: any Error) {
        self.init(host: host, port: port, reason: Self.classify(error), underlying: error)
    }

    private static func classify(_ error: any Error) -> Reason {
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return .timedOut }
        if let ioError = error as? IOError { return classify(errno: ioError.errnoCode) }
        if let connectionError = error as? NIOConnectionError {
            // No address was tried at all: the name resolved to nothing.
            if connectionError.connectionErrors.isEmpty { return .unresolvable }
            let reasons = connectionError.connectionErrors.map { classify($0.error) }
            if reasons.contains(.refused) { return .refused }
            return reasons.first ?? .other
        }
        if error is ResolveError { return .unresolvable }
        return .other
    }

    private static func classify(errno code: Int32) -> Reason {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .timedOut
        case ENETUNREACH, EHOSTUNREACH: .unreachable
        default: .other
        }
    }

    /// The message a user reads: what happened and why.
    public var description: String {
        let target = "\(host):\(port)"
        let detail = underlying.map { " (\($0))" } ?? ""
        switch reason {
        case .refused: return "connection to \(target) refused\(detail)"
        case .timedOut: return "connection to \(target) timed out\(detail)"
        case .unresolvable: return "cannot resolve \(String(reflecting: host))\(detail)"
        case .unreachable: return "\(target) is unreachable\(detail)"
        case .invalidSource: return "invalid source address for connecting to \(target)\(detail)"
        case .other: return "cannot connect to \(target)\(detail)"
        }
    }
}
