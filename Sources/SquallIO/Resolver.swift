public import NIOCore
public import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which address families a name lookup should return.
public enum AddressFamily: Sendable, Hashable {
    /// Both IPv4 and IPv6.
    case unspecified
    /// IPv4 only.
    case inet
    /// IPv6 only.
    case inet6
}

/// Turns a host name into socket addresses: Tornado's `tornado.netutil.Resolver`.
///
/// ``TCPClient`` uses a resolver for every connect, so tests and applications can replace name lookup (for
/// example with ``OverrideResolver``).
public protocol Resolver: Sendable {
    /// The addresses of `host` at `port`, best first.
    ///
    /// - Throws: ``ResolveError`` when the name cannot be resolved.
    func resolve(host: String, port: Int, family: AddressFamily) async throws -> [SocketAddress]
}

/// Raised when a host name cannot be turned into addresses.
public struct ResolveError: Error, CustomStringConvertible, Sendable {
    /// The name that was looked up.
    public var host: String
    /// What the system resolver said.
    public var message: String

    /// Creates the error for `host` with the resolver's `message`.
    public init(host: String, message: String) {
        self.host = host
        self.message = message
    }

    /// The message a user reads: what happened and why.
    public var description: String { "cannot resolve \(String(reflecting: host)): \(message)" }
}

/// The system resolver (`getaddrinfo`), run on a thread pool so it never blocks a loop; Tornado's
/// `DefaultExecutorResolver`. IP literals are returned without a lookup.
public struct DefaultResolver: Resolver {
    private let pool: NIOThreadPool

    /// Creates a resolver that runs lookups on `pool` (default: NIO's shared thread pool).
    public init(pool: NIOThreadPool = .singleton) {
        self.pool = pool
    }

    /// Resolves `host` at `port`; see ``Resolver/resolve(host:port:family:)``.
    public func resolve(host: String, port: Int, family: AddressFamily = .unspecified) async throws -> [SocketAddress] {
        if isValidIP(host), let address = try? SocketAddress(ipAddress: host, port: port) {
            return Self.matches(address, family) ? [address] : []
        }
        return try await pool.runIfActive { try Self.lookUp(host: host, port: port, family: family) }
    }

    private static func matches(_ address: SocketAddress, _ family: AddressFamily) -> Bool {
        switch (family, address) {
        case (.unspecified, _), (.inet, .v4), (.inet6, .v6): true
        default: false
        }
    }

    static func lookUp(host: String, port: Int, family: AddressFamily) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family =
            switch family {
            case .unspecified: AF_UNSPEC
            case .inet: AF_INET
            case .inet6: AF_INET6
            }
        #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
        #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw ResolveError(host: host, message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var node = list
        while let entry = node?.pointee {
            if let raw = entry.ai_addr {
                switch entry.ai_family {
                case AF_INET:
                    let v4 = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v4, host: host))
                case AF_INET6:
                    let v6 = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v6, host: host))
                default:
                    break
                }
            }
            node = entry.ai_next
        }
        var seen = Set<String>()
        addresses = addresses.filter { seen.insert($0.description).inserted }
        guard !addresses.isEmpty else { throw ResolveError(host: host, message: "no addresses") }
        return addresses
    }
}

/// A resolver that answers some names with other names, and passes everything else to another resolver;
/// Tornado's `OverrideResolver`, mostly for tests.
public struct OverrideResolver: Resolver {
    /// The resolver used after the mapping is applied.
    public let resolver: any Resolver
    /// Host names to replace, and what to replace them with.
    public let mapping: [String: String]

    /// Creates a resolver that looks `mapping[host] ?? host` up with `resolver`.
    public init(resolver: any Resolver = DefaultResolver(), mapping: [String: String]) {
        self.resolver = resolver
        self.mapping = mapping
    }

    /// Resolves `host` at `port`; see ``Resolver/resolve(host:port:family:)``.
    public func resolve(host: String, port: Int, family: AddressFamily = .unspecified) async throws -> [SocketAddress] {
        try await resolver.resolve(host: mapping[host] ?? host, port: port, family: family)
    }
}

/// Whether `text` is an IPv4 or IPv6 address literal (Tornado's `is_valid_ip`).
public func isValidIP(_ text: String) -> Bool {
    guard !text.isEmpty, !text.utf8.contains(0) else { return false }
    var address = [UInt8](repeating: 0, count: 16)
    return inet_pton(AF_INET, text, &address) == 1 || inet_pton(AF_INET6, text, &address) == 1
}

/// Presents a Squall ``Resolver`` to NIO's happy-eyeballs connector, which asks for A and AAAA records apart.
final class NIOResolverAdapter: NIOPosix.Resolver, Sendable {
    private let resolver: any Resolver
    private let eventLoop: any EventLoop

    init(resolver: any Resolver, eventLoop: any EventLoop) {
        self.resolver = resolver
        self.eventLoop = eventLoop
    }

    func initiateAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        query(host: host, port: port, family: .inet)
    }

    func initiateAAAAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        query(host: host, port: port, family: .inet6)
    }

    func cancelQueries() {}

    private func query(host: String, port: Int, family: AddressFamily) -> EventLoopFuture<[SocketAddress]> {
        let promise = eventLoop.makePromise(of: [SocketAddress].self)
        let resolver = self.resolver
        promise.completeWithTask {
            do {
                return try await resolver.resolve(host: host, port: port, family: family)
            } catch is ResolveError where family == .inet6 {
                // A name with only IPv4 addresses is normal; happy eyeballs needs an empty AAAA answer, not an error.
                return []
            }
        }
        return promise.futureResult
    }
}
