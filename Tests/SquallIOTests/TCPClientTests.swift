import NIOCore
import Testing

@testable import SquallIO

#if canImport(Glibc)
    import Glibc
#endif

/// A resolver that knows no names, so "unresolvable" is tested without any DNS traffic.
struct NoNamesResolver: Resolver {
    func resolve(host: String, port: Int, family: AddressFamily) async throws -> [SocketAddress] {
        throw ResolveError(host: host, message: "Name or service not known")
    }
}

@Suite struct TCPClientTests {
    @Test func aClosedPortIsReportedAsRefused() async throws {
        let server = TCPServer()
        try await server.listen(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        await server.stop()
        do {
            _ = try await TCPClient().connect(host: "127.0.0.1", port: port)
            Issue.record("connect succeeded")
        } catch let error as TCPConnectError {
            #expect(error.reason == .refused)
            #expect(error.description.contains("refused"))
        }
    }

    @Test func anUnknownNameIsReportedAsUnresolvable() async throws {
        do {
            _ = try await TCPClient(resolver: NoNamesResolver()).connect(host: "no.such.host", port: 80)
            Issue.record("connect succeeded")
        } catch let error as TCPConnectError {
            #expect(error.reason == .unresolvable)
            #expect(error.description.contains("no.such.host"))
        }
    }

    @Test func aConnectThatHangsTimesOut() async throws {
        // A listener whose accept queue is full and never drained: the kernel drops further SYNs, so the next
        // connect hangs on loopback until the timeout.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0)
        try #require(listen(fd, 0) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        var fillers: [IOStream] = []
        var timedOut = false
        for _ in 0..<8 {
            do {
                fillers.append(
                    try await TCPClient().connect(host: "127.0.0.1", port: port, timeout: .milliseconds(300))
                )
            } catch let error as TCPConnectError {
                #expect(error.reason == .timedOut)
                timedOut = true
                break
            }
        }
        #expect(timedOut)
        for stream in fillers { stream.close() }
    }

    @Test func aSourceAddressIsUsedForTheConnection() async throws {
        let peer = Box<String?>(nil)
        let server = TCPServer { stream, address in
            peer.value = address?.ipAddress
            try? await stream.write("x")
        }
        try await server.listen(port: 0, address: "127.0.0.1")
        let client = try await TCPClient().connect(
            host: "127.0.0.1",
            port: try #require(server.port),
            sourceIP: "127.0.0.2"
        )
        _ = try await client.readUntilClose()
        #expect(peer.value == "127.0.0.2")
        await server.stop()
    }

    @Test func anInvalidSourceAddressIsAClearError() async throws {
        do {
            _ = try await TCPClient().connect(host: "127.0.0.1", port: 9, sourceIP: "not-an-ip")
            Issue.record("connect succeeded")
        } catch let error as TCPConnectError {
            #expect(error.reason == .invalidSource)
        }
    }

    @Test func happyEyeballsFallsBackToTheFamilyThatAnswers() async throws {
        // "dual.test" resolves to ::1 and 127.0.0.1; only IPv4 listens, so the IPv6 attempt is refused and the
        // IPv4 one must win.
        struct DualStack: Resolver {
            func resolve(host: String, port: Int, family: AddressFamily) async throws -> [SocketAddress] {
                let all = [
                    try SocketAddress(ipAddress: "::1", port: port),
                    try SocketAddress(ipAddress: "127.0.0.1", port: port),
                ]
                return all.filter {
                    switch (family, $0) {
                    case (.unspecified, _), (.inet, .v4), (.inet6, .v6): true
                    default: false
                    }
                }
            }
        }
        let server = TCPServer { stream, _ in try? await stream.write("v4") }
        try await server.listen(port: 0, address: "127.0.0.1")
        let client = try await TCPClient(resolver: DualStack()).connect(
            host: "dual.test",
            port: try #require(server.port)
        )
        #expect(try await client.readUntilClose().text == "v4")
        await server.stop()
    }

    @Test func connectsOverIPv6Loopback() async throws {
        let server = TCPServer { stream, _ in try? await stream.write("six") }
        do {
            try await server.listen(port: 0, address: "::1")
        } catch {
            return  // no IPv6 on this machine; the IPv4 tests cover the rest
        }
        let client = try await TCPClient().connect(host: "::1", port: try #require(server.port))
        #expect(try await client.readUntilClose().text == "six")
        await server.stop()
    }
}
