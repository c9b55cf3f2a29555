import Foundation
import Logging
import NIOCore
import SquallHTTP
import SquallIO
import SquallMonitorProtocol
import SquallTesting
import Testing

@testable import SquallMonitor

@Suite struct DashboardSessionTests {
    @Test func killConnectionClosesExactlyTheNamedConnection() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, port in
            let victim = try await TestClient.connect(port: port)
            let bystander = try await TestClient.connect(port: port)
            _ = try await victim.fetch("/v")
            _ = try await bystander.fetch("/b")
            let session = try await dashboard(monitor)
            let rows = try await session.receive { message -> [ConnectionRow]? in
                if case .snapshot(let s) = message { return s.connections.rows } else { return nil }
            }
            #expect(rows.count == 2)
            let victimID = try #require(rows.min { $0.id < $1.id }).id
            try await session.send(.command(Command(id: 7, action: .killConnection(id: victimID))))
            let ack = try await session.receive { message -> CommandAck? in
                if case .ack(let ack) = message { return ack } else { return nil }
            }
            #expect(ack.commandID == 7 && ack.ids == [victimID])
            let rest = try await victim.stream.readUntilClose()
            #expect(rest.readableBytes == 0)
            let stillServed = try await bystander.fetch("/b")
            #expect(stillServed.status == 200)
            bystander.close()
            session.close()
        }
    }

    @Test func killSlowCountsThenClosesOnlyTheSlowRequests() async throws {
        let release = Event()
        try await withMonitoredServer(handler: { request, response in
            if request.path == "/slow" { try await release.wait() }
            try await response.respond(body: "x")
        }) { monitor, _, port in
            let slow1 = try await startRequest(port: port, path: "/slow")
            let slow2 = try await startRequest(port: port, path: "/slow")
            let fast = try await TestClient.connect(port: port)
            _ = try await fast.fetch("/fast")
            let ready = await eventually { monitor.snapshot().connections.rows.filter { $0.state == .handling }.count == 2 }
            #expect(ready)
            try await Task.sleep(for: .milliseconds(300))
            let session = try await dashboard(monitor)
            try await session.send(.command(Command(id: 1, action: .killSlow(olderThan: nil, requestSlowerThan: 0.2, dryRun: true))))
            let dry = try await session.receive { if case .ack(let a) = $0, a.commandID == 1 { a } else { nil } }
            #expect(dry.count == 2)
            #expect(monitor.snapshot().totals.openConnections == 3)
            try await session.send(.command(Command(id: 2, action: .killSlow(olderThan: nil, requestSlowerThan: 0.2, dryRun: false))))
            let done = try await session.receive { if case .ack(let a) = $0, a.commandID == 2 { a } else { nil } }
            #expect(done.count == 2)
            _ = try await slow1.stream.readUntilClose()
            _ = try await slow2.stream.readUntilClose()
            #expect(try await fast.fetch("/fast").status == 200)
            release.set()
            fast.close()
            session.close()
        }
    }

    @Test func malformedMessagesGetErrorRepliesAndTheSessionGoesOn() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, _ in
            let session = try await dashboard(monitor)
            _ = try await session.receive { if case .snapshot(let s) = $0 { s } else { nil } }
            for bad in ["not json", #"{"type":"dance"}"#, #"{"type":"command","data":{"id":5,"action":{"action":"explode"}}}"#, "[]"] {
                try await session.send(bad)
                let error = try await session.receive { if case .error(let e) = $0 { e } else { nil } }
                #expect(!error.message.isEmpty)
                if bad.contains("explode") { #expect(error.commandID == 5) }
                if bad.contains("dance") { #expect(error.code == "unknownType") }
            }
            try await session.send(.command(Command(id: 9, action: .killConnection(id: 999_999))))
            let notFound = try await session.receive { if case .error(let e) = $0 { e } else { nil } }
            #expect(notFound.code == "notFound" && notFound.commandID == 9)
            try await session.send(.snapshot)
            let snapshot = try await session.receive { if case .snapshot(let s) = $0 { s } else { nil } }
            #expect(snapshot.serverTime > 0)
            session.close()
        }
    }

    @Test func aReadOnlyMonitorRefusesCommands() async throws {
        var settings = testMonitorSettings()
        settings.readOnly = true
        try await withMonitoredServer(settings: settings, handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, _ in
            let session = try await dashboard(monitor)
            try await session.send(.command(Command(id: 3, action: .pauseAccepting)))
            let error = try await session.receive { if case .error(let e) = $0 { e } else { nil } }
            #expect(error.code == "readOnly" && error.commandID == 3)
            session.close()
        }
    }

    @Test func logsReachASubscribedDashboardWithTheirFields() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, port in
            let session = try await dashboard(monitor, subscription: Subscription(rate: 20, views: [.logs]))
            _ = try await TestServerFetch.get(port: port, "/a")
            // The HTTP server alone has no access log; the application feeds the ring (see ApplicationMonitorTests).
            monitor.recordLog(kind: .app, level: .warning, label: "test", message: "hello from the app")
            let batch = try await session.receive { if case .logs(let b) = $0, !b.entries.isEmpty { b } else { nil } }
            #expect(batch.entries.contains { $0.message == "hello from the app" && $0.level == "warning" })
            #expect(batch.dropped == 0)
            session.close()
        }
    }

    @Test func aStalledDashboardIsNotQueuedForAndLearnsWhatItMissed() async throws {
        var settings = testMonitorSettings()
        settings.logCapacity = 50
        try await withMonitoredServer(settings: settings, handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, _ in
            let session = try await dashboard(
                monitor,
                subscription: Subscription(rate: 20, views: MonitorView.allCases, logs: LogFilter(backlog: 0))
            )
            // Stop reading; fill the socket with log batches until the server sees it unwritable.
            let filler = String(repeating: "x", count: 2_000)
            let stalled = await eventually(20) {
                for i in 0..<50 { monitor.recordLog(kind: .app, level: .info, label: "t", message: "\(i) \(filler)") }
                return monitor.sessionStats.coalesced > 5
            }
            #expect(stalled)
            let sentWhileStalled = monitor.sessionStats.bytesSent
            let more = await eventually(5) {
                for i in 0..<50 { monitor.recordLog(kind: .app, level: .info, label: "t", message: "\(i) \(filler)") }
                return monitor.sessionStats.coalesced > 20
            }
            #expect(more)
            // Nothing was written (so nothing was buffered) while the client did not read.
            #expect(monitor.sessionStats.bytesSent == sentWhileStalled)
            // Reading again, the client is told how many log lines it lost.
            let dropped = try await session.receive(limit: 100_000) { message -> Int? in
                if case .update(let s) = message, s.logsDropped > 0 { return s.logsDropped } else { return nil }
            }
            #expect(dropped > 0)
            session.close()
        }
    }

    @Test func theLagProbeSeesABlockedLoop() async throws {
        let group = IOLoopGroup(loopCount: 1)
        try await withMonitoredServer(group: group, handler: { _, response in
            usleep(250_000)  // blocks the loop, as a careless handler would
            try await response.respond(body: "x")
        }) { monitor, _, port in
            _ = try await TestServerFetch.get(port: port, "/block")
            var lag = 0.0
            _ = await eventually(1) {
                lag = monitor.snapshot(for: Subscription(views: [.loops])).loops.first?.max ?? 0
                return lag >= 0.15
            }
            #expect(lag >= 0.15, "lag \(lag)")
            let named = await eventually(1) {
                monitor.snapshot(for: Subscription(views: [.loops])).loops.first?.worstRoute == HandlerStats.unmatchedRoute
            }
            #expect(named, "the lag spike names the route that blocked the loop")
        }
        try await group.shutdown()
    }

    @Test func theAdminListenerAnswersWhileEveryApplicationLoopIsBlocked() async throws {
        let group = IOLoopGroup(loopCount: 1)
        let blocking = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        try await withMonitoredServer(group: group, handler: { request, response in
            if request.path == "/block" {
                entered.signal()
                blocking.wait()  // the loop's thread is stuck here until the test lets go
            }
            try await response.respond(body: "x")
        }) { monitor, _, port in
            let victim = try await startRequest(port: port, path: "/block")
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    entered.wait()
                    c.resume()
                }
            }
            let client = try await TestClient.connect(port: monitor.adminPort ?? 0)
            let snapshot = try await client.fetch("/snapshot", headers: [("Authorization", "Bearer test-token")])
            #expect(snapshot.status == 200)
            let session = try await dashboard(monitor)
            let rows = try await session.receive { if case .snapshot(let s) = $0 { s.connections.rows } else { nil } }
            let id = try #require(rows.first { $0.current?.path == "/block" }).id
            try await session.send(.command(Command(id: 1, action: .killConnection(id: id))))
            let ack = try await session.receive { if case .ack(let a) = $0 { a } else { nil } }
            #expect(ack.ids == [id])
            blocking.signal()
            // The close ran on the loop as soon as it was free: the victim sees the end of the stream.
            _ = try? await victim.stream.readUntilClose()
            let gone = await eventually { monitor.snapshot().totals.openConnections == 0 }
            #expect(gone)
            client.close()
            session.close()
        }
        try await group.shutdown()
    }
}
