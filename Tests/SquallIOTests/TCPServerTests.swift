import NIOCore
import Testing

@testable import SquallIO

/// Tornado's way: subclass and override handleStream.
final class ShoutingServer: TCPServer, @unchecked Sendable {
    override func handleStream(_ stream: IOStream, address: SocketAddress?) async {
        guard let line = try? await stream.readUntil("\n") else { return }
        try? await stream.write(line.text.uppercased())
        stream.close()
    }
}

@Suite struct TCPServerTests {
    @Test func aSubclassOverridingHandleStreamServesConnections() async throws {
        let server = ShoutingServer()
        try await server.listen(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        let client = try await connect(port)
        try await client.write("hello\n")
        #expect(try await client.readUntilClose().text == "HELLO\n")
        await server.stop()
    }

    @Test func handleStreamReceivesThePeerAddress() async throws {
        let peer = Box<String?>(nil)
        let server = TCPServer { stream, address in
            peer.value = address?.ipAddress
            try? await stream.write("hi")
        }
        try await server.listen(port: 0, address: "127.0.0.1")
        let client = try await connect(try #require(server.port))
        #expect(try await client.readUntilClose().text == "hi")
        #expect(peer.value == "127.0.0.1")
        await server.stop()
    }

    @Test func bindDoesNotServeUntilStart() async throws {
        let served = Box(0)
        let server = TCPServer { stream, _ in
            served.update { $0 += 1 }
            try? await stream.write("served")
        }
        try await server.bind(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        let client = try await connect(port)
        try await Task.sleep(for: .milliseconds(100))
        #expect(served.value == 0)
        server.start()
        #expect(try await client.readUntilClose().text == "served")
        #expect(served.value == 1)
        await server.stop()
    }

    @Test func stopClosesTheListenerButNotOpenConnections() async throws {
        let accepted = Box(false)
        let server = TCPServer { stream, _ in
            accepted.value = true
            while let line = try? await stream.readUntil("\n") { try? await stream.write(line) }
        }
        try await server.listen(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        let client = try await connect(port)
        try await eventually("the connection is accepted") { accepted.value }
        await server.stop()
        #expect(server.localAddresses.isEmpty)
        await #expect(throws: TCPConnectError.self) { try await connect(port) }
        try await client.write("still here\n")
        #expect(try await client.readUntil("\n").text == "still here\n")
        client.close()
    }

    @Test func aNameWithSeveralAddressesSharesOneChosenPort() async throws {
        let server = TCPServer { stream, _ in try? await stream.write("x") }
        try await server.listen(port: 0, address: nil)
        let ports = Set(server.localAddresses.compactMap(\.port))
        #expect(ports.count == 1)
        #expect(server.localAddresses.count >= 1)
        let port = try #require(ports.first)
        let client = try await connect(port)
        #expect(try await client.readUntilClose().text == "x")
        if server.localAddresses.contains(where: { if case .v6 = $0 { true } else { false } }) {
            let v6 = try await TCPClient().connect(host: "::1", port: port)
            #expect(try await v6.readUntilClose().text == "x")
        }
        await server.stop()
    }

    @Test func reusePortLetsTwoServersShareAPort() async throws {
        let first = TCPServer { stream, _ in try? await stream.write("1") }
        try await first.listen(port: 0, address: "127.0.0.1", reusePort: true)
        let port = try #require(first.port)
        let second = TCPServer { stream, _ in try? await stream.write("2") }
        try await second.listen(port: port, address: "127.0.0.1", reusePort: true)
        #expect(second.port == port)
        let withoutReuse = TCPServer()
        await #expect(throws: (any Error).self) { try await withoutReuse.listen(port: port, address: "127.0.0.1") }
        await first.stop()
        await second.stop()
    }

    @Test func connectionsAreSpreadOverTheGroupsLoops() async throws {
        let group = IOLoopGroup(loopCount: 2)
        let loops = Box<Set<Int>>([])
        let server = TCPServer(group: group) { stream, _ in
            loops.update { _ = $0.insert(stream.loop.index) }
            try? await stream.write("x")
        }
        try await server.listen(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        for _ in 0..<4 {
            let client = try await connect(port)
            _ = try await client.readUntilClose()
        }
        #expect(loops.value == [0, 1])
        await server.stop()
        try await group.shutdown()
    }
}
