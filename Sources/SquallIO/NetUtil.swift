public import NIOCore

/// The addresses a server should bind for `host` and `port`, as Tornado's `bind_sockets` chooses them.
///
/// `nil` or `""` means every interface (`0.0.0.0` and `::`); an IP literal means itself; a name such as
/// `"localhost"` means each address it resolves to.
/// - Throws: ``ResolveError`` if `host` cannot be resolved.
public func bindAddresses(
    host: String?,
    port: Int,
    resolver: any Resolver = DefaultResolver()
) async throws -> [SocketAddress] {
    guard let host, !host.isEmpty else {
        return [try SocketAddress(ipAddress: "0.0.0.0", port: port), try SocketAddress(ipAddress: "::", port: port)]
    }
    return try await resolver.resolve(host: host, port: port, family: .unspecified)
}
