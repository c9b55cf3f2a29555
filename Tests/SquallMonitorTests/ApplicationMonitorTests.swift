import Foundation
import Prometheus
import Squall
import SquallMonitorProtocol
import SquallTesting
import Testing

@testable import SquallMonitor

private final class HelloHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { write("hello") }
}

@Suite struct ApplicationMonitorTests {
    private func makeApp() throws -> Application {
        var settings = Settings()
        settings.monitor = testMonitorSettings()
        return Application(
            rules: [try url("/hello", HelloHandler.self, name: "hello"), try url("/echo", MonitorEchoSocket.self)],
            settings: settings
        )
    }

    @Test func anApplicationWithAMonitorRecordsRoutesLogsAndWebSockets() async throws {
        let app = try makeApp()
        let server = try await app.listen(0, address: "127.0.0.1")
        let monitor = try #require(app.monitor)
        defer { Task { await monitor.stop() } }
        let port = try #require(server.port)

        let session = try await dashboard(
            monitor,
            subscription: Subscription(rate: 20, logs: LogFilter(backlog: 0))
        )
        _ = try await TestServerFetch.get(port: port, "/hello")
        _ = try await TestServerFetch.get(port: port, "/missing")
        let socket = try await websocketConnect("ws://127.0.0.1:\(port)/echo")
        try await socket.writeMessage("ping")
        _ = await socket.readMessage()

        var logs: [LogEntry] = []
        _ = try await session.receive { message -> Bool? in
            if case .logs(let batch) = message { logs += batch.entries }
            return logs.contains { $0.status == 404 } && logs.contains { $0.uri == "/hello" } ? true : nil
        }
        let hello = try #require(logs.first { $0.uri == "/hello" })
        #expect(hello.route == "hello" && hello.status == 200 && hello.kind == .request)
        #expect(hello.message.hasPrefix("200 GET /hello (127.0.0.1)"))

        let update = try await session.receive { message -> Snapshot? in
            if case .update(let s) = message, s.webSockets.rows.first?.webSocket?.messagesIn == 1 { return s }
            return nil
        }
        let row = try #require(update.webSockets.rows.first)
        #expect(row.state == .webSocket && row.webSocket?.path == "/echo" && row.webSocket?.messagesOut == 1)
        #expect(update.handlers.contains { $0.route == "hello" && $0.method == "GET" && $0.count == 1 })
        #expect(update.handlers.contains { $0.route == HandlerStats.unmatchedRoute && $0.statusClasses[3] == 1 })
        #expect(update.totals.openWebSockets == 1)
        #expect(update.totals.requests == 3 && update.totals.clientErrors == 1)

        try await session.send(.command(Command(id: 4, action: .closeWebSocket(id: row.id, code: 4001, reason: "operator"))))
        let ack = try await session.receive { if case .ack(let a) = $0 { a } else { nil } }
        #expect(ack.ids == [row.id])
        while await socket.readMessage() != nil {}
        #expect(socket.closeCode == 4001)
        #expect(socket.closeReason == "operator")

        session.close()
        await server.stop(gracePeriod: .milliseconds(200))
    }

    @Test func theMonitorWritesAndRemovesItsDiscoveryFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("squall-discovery-\(UUID())").path
        var settings = testMonitorSettings()
        settings.discovery = true
        settings.discoveryDirectory = directory
        let monitor = Monitor(settings: settings, metricsRegistry: .init())
        try await monitor.start()
        let records = Discovery.list(directory: directory)
        #expect(records.count == 1)
        #expect(records.first?.token == "test-token" && records.first?.adminURL == monitor.adminURL)
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(getpid()).json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let dir = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((dir[.posixPermissions] as? Int) == 0o700)
        await monitor.stop()
        #expect(Discovery.list(directory: directory).isEmpty)
        // A file left by a dead process is ignored and cleaned.
        var stale = try #require(records.first)
        stale.pid = 999_999_999 % Int32.max
        try Discovery.write(stale, directory: directory)
        #expect(Discovery.list(directory: directory).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/\(stale.pid).json"))
    }
}
