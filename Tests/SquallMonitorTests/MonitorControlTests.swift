import Foundation
import Logging
import Metrics
import NIOCore
import Squall
import SquallMonitorProtocol
import SquallTesting
import Testing

@testable import SquallMonitor

private final class PlainHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { write("plain") }
}

/// Blocks its loop for 300 ms (what a CPU-bound handler does to everything else on the loop).
private final class BlockingHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        usleep(300_000)
        write("blocked")
    }
}

/// Writes large messages until the peer stops taking them (writeMessage waits while the socket is full).
private final class FloodSocket: WebSocketHandler, @unchecked Sendable {
    override func open() async throws {
        let chunk = String(repeating: "x", count: 64 * 1024)
        for _ in 0..<400 { try await writeMessage(chunk) }
    }
}

/// The commands, detail streams and process figures the dashboard relies on, over real sockets.
@Suite struct MonitorControlTests {
    @Test func pauseAcceptingHoldsNewConnectionsUntilResumed() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, port in
            let session = try await dashboard(monitor)
            try await session.send(.command(Command(id: 1, action: .pauseAccepting)))
            let paused = try await session.receive { if case .ack(let a) = $0, a.commandID == 1 { a } else { nil } }
            #expect(paused.message.contains("paused"))

            // The kernel completes the handshake into the backlog, but the server does not take the connection.
            let waiting = try await TestClient.connect(port: port)
            try await waiting.stream.write("GET /held HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let taken = await eventually(0.5) { monitor.snapshot().totals.openConnections > 0 }
            #expect(!taken)

            try await session.send(.command(Command(id: 2, action: .resumeAccepting)))
            _ = try await session.receive { if case .ack(let a) = $0, a.commandID == 2 { a } else { nil } }
            let head = try await waiting.stream.readUntil("\r\n")
            #expect(String(buffer: head).hasPrefix("HTTP/1.1 200"))
            #expect(monitor.snapshot().totals.openConnections == 1)
            waiting.close()
            session.close()
        }
    }

    @Test func setLogLevelChangesTheSharedLevelAndRefusesUnknownNames() async throws {
        let before = MonitorLogging.level
        defer { MonitorLogging.level = before }
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, _ in
            let session = try await dashboard(monitor)
            let target: Logger.Level = before == .trace ? .error : .trace
            try await session.send(.command(Command(id: 5, action: .setLogLevel(level: target.rawValue))))
            let ack = try await session.receive { if case .ack(let a) = $0, a.commandID == 5 { a } else { nil } }
            #expect(ack.message.contains(target.rawValue))
            #expect(MonitorLogging.level == target)
            #expect(MonitorLogHandler(label: "test").logLevel == target)

            try await session.send(.command(Command(id: 6, action: .setLogLevel(level: "chatty"))))
            let error = try await session.receive { if case .error(let e) = $0, e.commandID == 6 { e } else { nil } }
            #expect(error.code == "badArgument" && error.message.contains("chatty"))
            #expect(MonitorLogging.level == target)
            session.close()
        }
    }

    @Test func snapshotsCarryTheProcessFigures() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, _ in
            let session = try await RawWebSocket.connect(
                port: monitor.adminPort ?? 0,
                headers: [("Authorization", "Bearer \(monitor.token)")]
            )
            guard case .hello(let hello) = try await session.receive() else { throw MonitorTestError("no hello") }
            #expect(hello.server.pid == getpid())
            #expect(hello.server.version == Monitor.squallVersion)
            #expect(hello.server.loops == IOLoopGroup.shared.loops.count)
            session.close()

            let process = monitor.snapshot().process
            #expect(process.rssBytes > 1_000_000)
            #expect(process.cpuSeconds > 0)
            #expect(process.openFiles > 2)
            #expect(process.uptime >= 0)
        }
    }

    @Test func theMonitorProbesTheGroupTheApplicationServesOn() async throws {
        let group = IOLoopGroup(loopCount: 3)
        var settings = Settings()
        settings.monitor = testMonitorSettings()
        let wrongGroup = Application(rules: [try url("/", PlainHandler.self)], settings: settings)
        await #expect(throws: MonitorGroupMismatch.self) {
            try await wrongGroup.listen(0, address: "127.0.0.1", group: group)
        }

        settings.monitor?.group = group
        let app = Application(
            rules: [try url("/", PlainHandler.self), try url("/block", BlockingHandler.self, name: "block")],
            settings: settings
        )
        let server = try await app.listen(0, address: "127.0.0.1", group: group)
        let monitor = try #require(app.monitor)
        let port = try #require(server.port)
        #expect(monitor.snapshot().loops.count == 3)
        // Connections are spread over the loops: keep one that landed on the third loop, and block it there.
        var clients: [TestClient] = []
        var onThirdLoop: TestClient?
        for _ in 0..<6 where onThirdLoop == nil {
            let client = try await TestClient.connect(port: port)
            _ = try await client.fetch("/")
            clients.append(client)
            let rows = monitor.snapshot().connections.rows
            if rows.max(by: { $0.id < $1.id })?.loop == 2 { onThirdLoop = client }
        }
        let blocker = try #require(onThirdLoop)
        _ = try await blocker.fetch("/block")
        // The third loop's own probe sees the lag and blames the route that ran on that loop.
        let seen = await eventually(2) {
            let loop = monitor.snapshot().loops.first { $0.index == 2 }
            return (loop?.max ?? 0) >= 0.15 && loop?.worstRoute == "block"
        }
        #expect(seen, "\(monitor.snapshot().loops)")
        let blockStats = monitor.snapshot().handlers.first { $0.route == "block" }
        #expect(blockStats?.count == 1)
        for client in clients { client.close() }
        await server.stop(gracePeriod: .milliseconds(100))
        await monitor.stop()
        try await group.shutdown()
    }

    @Test func theDetailPaneFollowsOnlyTheConnectionAskedFor() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, port in
            let first = try await TestClient.connect(port: port)
            let second = try await TestClient.connect(port: port)
            _ = try await first.fetch("/one")
            _ = try await second.fetch("/two")
            _ = try await second.fetch("/two")
            let plain = try await dashboard(monitor, subscription: Subscription(rate: 20))
            let withoutDetail = try await plain.receive { if case .update(let s) = $0 { s } else { nil } }
            #expect(withoutDetail.detail == nil)
            plain.close()

            let target = try #require(monitor.snapshot().connections.rows.first { $0.requests == 2 })
            let session = try await dashboard(monitor, subscription: Subscription(rate: 20, detailConnection: target.id))
            let update = try await session.receive { if case .update(let s) = $0, s.detail != nil { s } else { nil } }
            #expect(update.detail?.id == target.id && update.detail?.requests == 2)
            first.close()
            second.close()
            session.close()
        }
    }

    @Test func aFrameTailStreamsOnlyWhileAskedAndPreviewsOnlyWhenEnabled() async throws {
        for previews in [false, true] {
            var settings = Settings()
            var monitorSettings = testMonitorSettings()
            monitorSettings.framePreviews = previews
            settings.monitor = monitorSettings
            let app = Application(rules: [try url("/echo", MonitorEchoSocket.self)], settings: settings)
            let server = try await app.listen(0, address: "127.0.0.1")
            let monitor = try #require(app.monitor)
            let port = try #require(server.port)

            let socket = try await websocketConnect("ws://127.0.0.1:\(port)/echo")
            try await socket.writeMessage("before anyone watches")
            _ = await socket.readMessage()
            #expect(!monitor.frameTails.isActive)
            let row = try #require(monitor.snapshot().webSockets.rows.first)

            let session = try await dashboard(monitor, subscription: Subscription(rate: 20, frameTail: row.id))
            _ = try await session.receive { if case .update = $0 { true } else { nil } }
            #expect(monitor.frameTails.isActive)
            try await socket.writeMessage("hello frames")
            _ = await socket.readMessage()
            var frames: [FrameSample] = []
            _ = try await session.receive { message -> Bool? in
                if case .frames(let batch) = message, batch.connectionID == row.id { frames += batch.frames }
                return frames.count >= 2 ? true : nil
            }
            #expect(!frames.contains { $0.preview == "before anyone watches" })
            let incoming = try #require(frames.first { $0.direction == "in" })
            #expect(incoming.opcode == "text" && incoming.size == "hello frames".utf8.count)
            #expect(incoming.preview == (previews ? "hello frames" : nil))

            // Unsubscribing stops the sampling.
            try await session.send(.subscribe(Subscription(rate: 20)))
            let stopped = await eventually { !monitor.frameTails.isActive }
            #expect(stopped)
            session.close()
            socket.close()
            await server.stop(gracePeriod: .milliseconds(100))
            await monitor.stop()
        }
    }

    @Test func aWebSocketWhosePeerStopsReadingShowsItsOutgoingQueue() async throws {
        var settings = Settings()
        settings.monitor = testMonitorSettings()
        let app = Application(rules: [try url("/flood", FloodSocket.self)], settings: settings)
        let server = try await app.listen(0, address: "127.0.0.1")
        let monitor = try #require(app.monitor)
        let port = try #require(server.port)
        // A client that upgrades and then never reads: the server's writes pile up in its outgoing queue.
        let stalled = try await RawWebSocket.connect(port: port, path: "/flood", protocols: [])
        #expect(stalled.handshake.status == 101)
        let backedUp = await eventually(5) {
            (monitor.snapshot().webSockets.rows.first?.webSocket?.queuedBytes ?? 0) > 16 * 1024
        }
        #expect(backedUp, "queued: \(monitor.snapshot().webSockets.rows.first?.webSocket?.queuedBytes ?? -1)")
        stalled.close()
        await server.stop(gracePeriod: .milliseconds(100))
        await monitor.stop()
    }

    @Test func userMetricsAppearOnTheMetricsEndpoint() async throws {
        Monitor.bootstrapMetrics()
        Counter(label: "squall_test_orders_total").increment(by: 3)
        let monitor = Monitor(settings: testMonitorSettings())
        try await monitor.start()
        defer { Task { await monitor.stop() } }
        let client = try await TestClient.connect(port: monitor.adminPort ?? 0)
        defer { client.close() }
        let response = try await client.fetch("/metrics", headers: [("Authorization", "Bearer test-token")])
        #expect(response.status == 200)
        #expect(String(buffer: response.body).contains("squall_test_orders_total 3"))
    }

    @Test func onlyLoopbackAddressesCountAsLocal() {
        for address in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"] {
            #expect(Monitor.isLoopback(address), "\(address)")
        }
        for address in ["0.0.0.0", "::", "10.0.0.1", "127.0.0", "127.0.0.1.5", "128.0.0.1", "example.com"] {
            #expect(!Monitor.isLoopback(address), "\(address)")
        }
    }
}
