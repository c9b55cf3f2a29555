import NIOCore
import Squall
import SquallTesting
import Synchronization
import Testing

/// Records what a ``WebSocketObserver`` hears.
final class RecordingObserver: WebSocketObserver {
    let log = EventLog()
    let controls = Mutex<[Int: WebSocketControl]>([:])

    func webSocketOpened(_ info: WebSocketConnectionInfo, control: WebSocketControl) {
        controls.withLock { $0[info.connectionID] = control }
        log.record("opened \(info.path) \(info.subprotocol ?? "-") \(info.compression ?? "-")")
    }

    func webSocketFrame(
        connectionID: Int,
        direction: WebSocketFrameDirection,
        kind: WebSocketFrameKind,
        size: Int,
        preview: String?
    ) {
        log.record("frame \(direction.rawValue) \(kind.rawValue) \(size) \(preview ?? "-")")
    }

    func webSocketPingRTT(connectionID: Int, seconds: Double) {
        log.record("rtt \(seconds >= 0)")
    }

    func webSocketClosed(connectionID: Int, code: Int?, reason: String?) {
        log.record("closed \(code.map(String.init) ?? "nil")")
    }
}

/// A chat room: every message goes to every member.
final class ChatHandler: WebSocketHandler, @unchecked Sendable {
    var room = WebSocketBroadcaster()

    override func initialize(_ arguments: HandlerArguments) {
        if let room = arguments["room"] as? WebSocketBroadcaster { self.room = room }
    }

    override func open() async throws {
        if let webSocketConnection { room.join(webSocketConnection) }
    }

    override func onMessage(_ message: WebSocketMessage) async throws {
        room.broadcast(message)
    }

    override func onClose() async {
        if let webSocketConnection { room.leave(webSocketConnection) }
    }
}

/// Writes 32 messages of 1 MiB as soon as it opens, recording how many writes have completed.
final class FloodHandler: WebSocketHandler, @unchecked Sendable {
    static let progress = Mutex(0)

    override func open() async throws {
        let chunk = [UInt8](repeating: 0, count: 1024 * 1024)
        for index in 0..<32 {
            var message = chunk
            message[0] = UInt8(index)
            try await writeMessage(binary: message)
            Self.progress.withLock { $0 = index + 1 }
        }
    }
}

@Suite struct WebSocketObserverAndBroadcastTests {
    @Test func theObserverHearsOpensMessagesPingRoundTripsAndClosesAndCanCloseAConnection() async throws {
        let observer = RecordingObserver()
        var settings = Settings()
        settings.webSocketObserver = observer
        settings.webSocketObserverPreviews = true
        settings.websocketPingInterval = .milliseconds(300)
        try await withWebSocketServer([try url("/watched", EchoHandler.self)], settings: settings) { server in
            let client = try await websocketConnect("ws://127.0.0.1:\(server.port)/watched")
            try await client.writeMessage("hello observer")
            #expect(await client.readMessage() == .text("hello observer"))
            await observer.log.wait(for: "rtt true")
            let control = try #require(observer.controls.withLock { $0.values.first })
            #expect(await control.outgoingQueueBytes() == 0)
            control.close(code: 4000, reason: "from the monitor")
            #expect(await client.readMessage() == nil)
            #expect(client.closeCode == 4000)
            await observer.log.wait(for: "closed")
            let events = observer.log.all
            #expect(events.first == "opened /watched - -")
            #expect(events.contains("frame incoming text 14 hello observer"))
            #expect(events.contains("frame outgoing text 14 hello observer"))
            #expect(events.contains("frame outgoing close 18 -"))
        }
    }

    @Test func aBroadcastReachesEveryMemberOfTheRoom() async throws {
        let room = WebSocketBroadcaster()
        try await withWebSocketServer([try url("/chat", ChatHandler.self, arguments: ["room": room])]) { server in
            var clients: [WebSocketClientConnection] = []
            for _ in 0..<5 { clients.append(try await websocketConnect("ws://127.0.0.1:\(server.port)/chat")) }
            while room.count < 5 { await Task.yield() }
            try await clients[0].writeMessage("hi all")
            for client in clients { #expect(await client.readMessage() == .text("hi all")) }
            for client in clients { client.close() }
            while room.count > 0 { await Task.yield() }
        }
    }

    @Test func aClientThatStopsReadingIsDroppedWith1008WhileTheOthersGetEveryMessage() async throws {
        let room = WebSocketBroadcaster(maxQueuedMessages: 8, whenFull: .disconnect)
        try await withWebSocketServer([try url("/chat", ChatHandler.self, arguments: ["room": room])]) { server in
            let fast = try await websocketConnect("ws://127.0.0.1:\(server.port)/chat")
            let slow = try await RawWebSocket.connect(port: server.port, path: "/chat")
            while room.count < 2 { await Task.yield() }
            let payload = [UInt8](repeating: 7, count: 64 * 1024)
            var index = 0
            // The slow client never reads: once the socket buffers and its queue are full, it is dropped.
            while room.disconnectedMembers == 0 {
                try await fast.writeMessage(binary: payload)
                #expect(await fast.readMessage()?.size == payload.count)
                index += 1
            }
            #expect(room.count == 1)
            try await fast.writeMessage("after")
            #expect(await fast.readMessage() == .text("after"))
            // Reading now, the slow client finds the messages it missed cut off by a 1008 close.
            #expect(try await slow.readCloseCode() == 1008)
            fast.close()
        }
    }

    @Test func withDropMessagesASlowClientStaysAndMissesMessages() async throws {
        let room = WebSocketBroadcaster(maxQueuedMessages: 4, whenFull: .dropMessages)
        try await withWebSocketServer([try url("/chat", ChatHandler.self, arguments: ["room": room])]) { server in
            let fast = try await websocketConnect("ws://127.0.0.1:\(server.port)/chat")
            let slow = try await RawWebSocket.connect(port: server.port, path: "/chat")
            while room.count < 2 { await Task.yield() }
            let payload = [UInt8](repeating: 1, count: 64 * 1024)
            while room.droppedMessages == 0 {
                try await fast.writeMessage(binary: payload)
                #expect(await fast.readMessage()?.size == payload.count)
            }
            #expect(room.count == 2)
            #expect(room.disconnectedMembers == 0)
            slow.stream.close()
            fast.close()
        }
    }

    @Test func writeMessageWaitsWhileThePeerDoesNotReadAndEverythingArrivesInOrderOnceItDoes() async throws {
        try await withWebSocketServer([try url("/", FloodHandler.self)]) { server in
            let raw = try await RawWebSocket.connect(port: server.port)
            // Wait until the writer stops making progress: it is blocked on the unread socket.
            var last = -1
            var stable = 0
            while stable < 20 {
                try await Task.sleep(for: .milliseconds(10))
                let now = FloodHandler.progress.withLock { $0 }
                stable = now == last ? stable + 1 : 0
                last = now
            }
            #expect(last < 32)
            for index in 0..<32 {
                let frame = try await raw.readFrame()
                #expect(frame.opcode == 0x2 && frame.payload.count == 1024 * 1024 && frame.payload[0] == UInt8(index))
            }
            #expect(FloodHandler.progress.withLock { $0 } == 32)
            raw.stream.close()
        }
    }
}
