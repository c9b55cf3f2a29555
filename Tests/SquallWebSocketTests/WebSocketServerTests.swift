import NIOCore
import Squall
import SquallTesting
import Testing

@Suite struct WebSocketServerTests {
    @Test func aHandlerEchoesTextAndBinaryMessagesToTheSquallClient() async throws {
        try await withWebSocketServer([try url("/echo", EchoHandler.self)]) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/echo")
            try await client.writeMessage("hello")
            #expect(await client.readMessage() == .text("hello"))
            try await client.writeMessage(binary: [0, 1, 2, 255])
            #expect(await client.readMessage() == .binary(ByteBuffer(bytes: [0, 1, 2, 255])))
            let big = String(repeating: "é", count: 100_000)
            try await client.writeMessage(big)
            #expect(await client.readMessage()?.text == big)
            client.close()
            #expect(await client.readMessage() == nil)
        }
    }

    @Test func openSeesPathArgumentsAndMessagesArriveInOrderOneAtATime() async throws {
        let log = EventLog()
        let rules = [try url("/room/([a-z]+)", RecordingHandler.self, arguments: ["log": log])]
        try await withWebSocketServer(rules) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/room/lobby")
            for index in 0..<20 { try await client.writeMessage("m\(index)") }
            await log.wait(for: "message m19")
            client.close(code: 4001, reason: "bye")
            await log.wait(for: "close")
            let events = log.all
            #expect(events.first == "open lobby")
            #expect(events.filter { $0.hasPrefix("message") } == (0..<20).map { "message m\($0)" })
            #expect(!events.contains("overlap"))
            #expect(events.last == "close 4001 bye")
        }
    }

    @Test func theServerClosesWithACodeAndTheClientSeesIt() async throws {
        let log = EventLog()
        try await withWebSocketServer([try url("/", RecordingHandler.self, arguments: ["log": log])]) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/")
            try await client.writeMessage("close me")
            #expect(await client.readMessage() == nil)
            #expect(client.closeCode == 4002)
            #expect(client.closeReason == "as asked")
            await log.wait(for: "close")
            // The client echoed the code in its reply, which the server reports as the peer's.
            #expect(log.all.last == "close 4002 nil")
        }
    }

    @Test func anErrorInOnMessageClosesWith1011() async throws {
        try await withWebSocketServer([try url("/", RecordingHandler.self)]) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/")
            try await client.writeMessage("throw")
            #expect(await client.readMessage() == nil)
            #expect(client.closeCode == 1011)
        }
    }

    @Test func pingsAndPongsReachTheHandler() async throws {
        let log = EventLog()
        try await withWebSocketServer([try url("/", RecordingHandler.self, arguments: ["log": log])]) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/")
            try await client.ping([9])
            await log.wait(for: "ping [9]")
            try await client.writeMessage("ping me")
            await log.wait(for: "pong [1, 2, 3]")
            #expect(client.controlFramesReceived.pings == 1)
            #expect(client.controlFramesReceived.pongs == 1)
            client.close()
        }
    }

    @Test func theHandlerChoosesASubprotocolTheClientOffered() async throws {
        try await withWebSocketServer([try url("/", RecordingHandler.self)]) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/", subprotocols: ["v2", "chat"])
            #expect(client.selectedSubprotocol == "chat")
            client.close()
            let plain = try await websocketConnect("ws://127.0.0.1:\(server.port)/", subprotocols: ["v2"])
            #expect(plain.selectedSubprotocol == nil)
            plain.close()
        }
    }

    @Test func aMessageOverTheSizeLimitClosesWith1009() async throws {
        var settings = Settings()
        settings.websocketMaxMessageSize = 1000
        try await withWebSocketServer([try url("/", EchoHandler.self)], settings: settings) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/")
            try await client.writeMessage(String(repeating: "a", count: 1000))
            #expect(await client.readMessage()?.size == 1000)
            // The write may fail: the server closes while the message is still being sent.
            try? await client.writeMessage(String(repeating: "a", count: 1001))
            #expect(await client.readMessage() == nil)
            #expect(client.closeCode == 1009)
        }
    }

    @Test func aFragmentedMessageOverTheLimitClosesWith1009BeforeItEnds() async throws {
        var settings = Settings()
        settings.websocketMaxMessageSize = 1000
        try await withWebSocketServer([try url("/", EchoHandler.self)], settings: settings) { server in
            let raw = try await RawWebSocket.connect(port: server.port)
            try await raw.send(opcode: 0x2, Array(repeating: 1, count: 600), fin: false)
            try await raw.send(opcode: 0x0, Array(repeating: 1, count: 600), fin: false)
            #expect(try await raw.readCloseCode() == 1009)
        }
    }

    @Test func anUnansweredPingClosesTheConnection() async throws {
        var settings = Settings()
        settings.websocketPingInterval = .milliseconds(50)
        try await withWebSocketServer([try url("/", EchoHandler.self)], settings: settings) { server in
            // The raw client never answers pings: the server must give up on it (1000, as Tornado 6.6).
            let raw = try await RawWebSocket.connect(port: server.port)
            let first = try await raw.readFrame()
            #expect(first.opcode == 0x9)
            let close = try await raw.readFrame()
            #expect(close.opcode == 0x8)
            #expect(close.payload == RawWebSocket.closePayload(1000, "ping timed out"))
        }
    }

    @Test func pingsOnAnIntervalAreAnsweredAndKeepTheConnectionOpen() async throws {
        var settings = Settings()
        // A pong is due within the interval; 500 ms leaves room for a loaded machine.
        settings.websocketPingInterval = .milliseconds(500)
        try await withWebSocketServer([try url("/", EchoHandler.self)], settings: settings) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/")
            while client.controlFramesReceived.pings < 3 {
                try await client.writeMessage("still here")
                #expect(await client.readMessage() == .text("still here"))
            }
            client.close()
        }
    }
}
