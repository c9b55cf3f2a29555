import NIOCore
import Squall
import SquallTesting
import Testing

@Suite struct WebSocketHandshakeTests {
    private let key = "dGhlIHNhbXBsZSBub25jZQ=="

    private func upgradeHeaders(_ extra: [(String, String)] = [], without: String? = nil) -> [(String, String)] {
        let base = [
            ("Upgrade", "websocket"), ("Connection", "keep-alive, Upgrade"), ("Sec-WebSocket-Key", key),
            ("Sec-WebSocket-Version", "13"),
        ]
        return base.filter { $0.0 != without } + extra
    }

    @Test func theAcceptValueIsRFC6455sExample() {
        #expect(WebSocketHandshake.acceptValue(forKey: key) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func aValidHandshakeIsAnsweredWith101AndTheAcceptKey() async throws {
        try await withWebSocketServer([try url("/", EchoHandler.self)]) { server in
            let client = try await TestClient.connect(port: server.port)
            defer { client.close() }
            let response = try await client.fetch("/", headers: upgradeHeaders())
            #expect(response.status == 101)
            #expect(response.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            #expect(response.headers["Upgrade"] == "websocket")
        }
    }

    @Test func badHandshakesGet400Or426WithAReason() async throws {
        try await withWebSocketServer([try url("/", EchoHandler.self)]) { server in
            let noUpgrade = try await server.fetch("/", headers: upgradeHeaders(without: "Upgrade"))
            #expect(noUpgrade.status == 400)
            #expect(noUpgrade.text.contains("Can \"Upgrade\" only to \"WebSocket\"."))
            let noConnection = try await server.fetch(
                "/",
                headers: upgradeHeaders(without: "Connection") + [("Connection", "keep-alive")]
            )
            #expect(noConnection.status == 400)
            #expect(noConnection.text.contains("\"Connection\" must be \"Upgrade\"."))
            let badVersion = try await server.fetch(
                "/",
                headers: upgradeHeaders(without: "Sec-WebSocket-Version") + [("Sec-WebSocket-Version", "12")]
            )
            #expect(badVersion.status == 426)
            #expect(badVersion.headers["Sec-WebSocket-Version"] == "7, 8, 13")
            let noKey = try await server.fetch("/", headers: upgradeHeaders(without: "Sec-WebSocket-Key"))
            #expect(noKey.status == 400)
            #expect(noKey.text.contains("Missing/Invalid WebSocket headers"))
            let post = try await server.fetch("/", method: "POST", headers: upgradeHeaders())
            #expect(post.status == 405)
        }
    }

    @Test func crossOriginUpgradesAreRefusedWith403AndSameOriginOnesAccepted() async throws {
        try await withWebSocketServer([try url("/", EchoHandler.self)]) { server in
            let foreign = try await server.fetch("/", headers: upgradeHeaders([("Origin", "http://evil.example")]))
            #expect(foreign.status == 403)
            #expect(foreign.text.contains("Cross origin websockets not allowed"))
            let same = try await websocketConnect(
                "ws://127.0.0.1:\(server.port)/",
                headers: [("Origin", "http://127.0.0.1:\(server.port)")]
            )
            try await same.writeMessage("hi")
            #expect(await same.readMessage() == .text("hi"))
            same.close()
        }
    }

    @Test func theClientReportsARefusedHandshakeWithItsStatus() async throws {
        try await withWebSocketServer([try url("/", EchoHandler.self)]) { server in
            await #expect(throws: WebSocketHandshakeError.self) {
                _ = try await websocketConnect("ws://127.0.0.1:\(server.port)/missing")
            }
            do {
                _ = try await websocketConnect("ws://127.0.0.1:\(server.port)/missing")
            } catch let error as WebSocketHandshakeError {
                #expect(error.status == 404)
            }
            await #expect(throws: WebSocketHandshakeError.self) {
                _ = try await websocketConnect("wss://127.0.0.1:\(server.port)/")
            }
        }
    }

    @Test func anUpgradedConnectionStaysInTheRegistryAndAGracefulStopClosesItWith1001() async throws {
        let app = Application(rules: [try url("/", EchoHandler.self)])
        let server = HTTPServer(delegate: app)
        try await server.listen(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        let client = try await websocketConnect("ws://127.0.0.1:\(port)/")
        try await client.writeMessage("hi")
        #expect(await client.readMessage() == .text("hi"))
        #expect(server.connectionCount == 1)
        await server.stop(gracePeriod: .seconds(5))
        #expect(await client.readMessage() == nil)
        #expect(client.closeCode == 1001)
        #expect(server.connectionCount == 0)
    }

    @Test func permessageDeflateIsNegotiatedAndMessagesRoundTrip() async throws {
        try await withWebSocketServer([try url("/", CompressedEchoHandler.self)]) { server in
            let client = try await websocketConnect(
                "ws://127.0.0.1:\(server.port)/",
                compressionOptions: WebSocketCompressionOptions()
            )
            #expect(client.extensions == "permessage-deflate")
            let text = String(repeating: "squall ", count: 10_000)
            for _ in 0..<3 {
                try await client.writeMessage(text)
                #expect(await client.readMessage()?.text == text)
            }
            try await client.writeMessage(binary: Array(0...255))
            #expect(await client.readMessage()?.bytes == Array(0...255))
            client.close()
            // Without an offer from the client, the same handler answers uncompressed.
            let plain = try await websocketConnect("ws://127.0.0.1:\(server.port)/")
            #expect(plain.extensions == nil)
            plain.close()
        }
    }

    @Test func aCompressedMessageThatInflatesPastTheLimitClosesWith1009() async throws {
        var settings = Settings()
        settings.websocketMaxMessageSize = 10_000
        try await withWebSocketServer([try url("/", CompressedEchoHandler.self)], settings: settings) { server in
            let client = try await websocketConnect(
                "ws://127.0.0.1:\(server.port)/",
                compressionOptions: WebSocketCompressionOptions()
            )
            // A megabyte of one letter compresses to about a kilobyte.
            try? await client.writeMessage(String(repeating: "a", count: 1_000_000))
            #expect(await client.readMessage() == nil)
            #expect(client.closeCode == 1009)
        }
    }

    @Test func theNegotiationFollowsTheClientsParameters() throws {
        let offer: [String: String?] = [
            "client_max_window_bits": nil, "server_no_context_takeover": nil,
            "server_max_window_bits": "10",
        ]
        let accepted = try #require(PerMessageDeflateParameters.accept(offer: offer, options: .init()))
        #expect(accepted.parameters.serverNoContextTakeover)
        #expect(accepted.parameters.serverMaxWindowBits == 10)
        #expect(accepted.parameters.clientMaxWindowBits == 15)
        #expect(accepted.response == "permessage-deflate; server_no_context_takeover; server_max_window_bits=10")
        #expect(PerMessageDeflateParameters.accept(offer: ["server_max_window_bits": "16"], options: .init()) == nil)
        #expect(PerMessageDeflateParameters.accept(offer: ["unknown": nil], options: .init()) == nil)
        #expect(PerMessageDeflateParameters.accept(offer: ["server_max_window_bits": nil], options: .init()) == nil)
    }
}

/// `websocketConnect` when the server is missing, silent or reached by name.
@Suite struct WebSocketClientConnectTests {
    @Test func aRefusedConnectionIsAnErrorNotACrash() async throws {
        // A port that was just free: nothing listens there.
        let probe = TCPServer { _, _ in }
        try await probe.listen(port: 0, address: "127.0.0.1")
        let port = try #require(probe.port)
        await probe.stop()
        for _ in 0..<3 {
            await #expect(throws: (any Error).self) {
                _ = try await websocketConnect("ws://127.0.0.1:\(port)/", connectTimeout: .seconds(2))
            }
        }
    }

    @Test func aSilentServerTimesOutWithTheConnectTimeout() async throws {
        let silent = TCPServer { stream, _ in _ = try? await stream.readUntilClose() }
        try await silent.listen(port: 0, address: "127.0.0.1")
        defer { Task { await silent.stop() } }
        let port = try #require(silent.port)
        do {
            _ = try await websocketConnect("ws://127.0.0.1:\(port)/", connectTimeout: .milliseconds(300))
            Issue.record("a server that never answers was accepted")
        } catch let error as TimeoutError {
            #expect(error.timeout == .milliseconds(300))
        }
    }

    @Test func aHostNameTriesEachAddressUntilOneAnswers() async throws {
        // "localhost" may resolve to ::1 first, where nothing listens: the IPv4 attempt must still succeed.
        try await withWebSocketServer([try url("/", EchoHandler.self)]) { server in
            let socket = try await websocketConnect("ws://localhost:\(server.port)/", connectTimeout: .seconds(5))
            try await socket.writeMessage("hello")
            let reply = await socket.readMessage()
            #expect(reply == .text("hello"))
            socket.close()
        }
    }
}
