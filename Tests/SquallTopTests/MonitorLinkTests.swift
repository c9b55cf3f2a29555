import SquallMonitorProtocol
import Synchronization
import Testing

@testable import SquallTop

/// A scripted server: each connect hands out the next session, whose messages the test pushes.
final class FakeConnector: MonitorConnector {
    final class Session: MonitorConnection {
        let messages: AsyncThrowingStream<ServerMessage, any Error>
        let continuation: AsyncThrowingStream<ServerMessage, any Error>.Continuation
        let sent = Mutex<[ClientMessage]>([])

        init() {
            (messages, continuation) = AsyncThrowingStream.makeStream(of: ServerMessage.self)
        }

        func send(_ message: ClientMessage) async throws {
            sent.withLock { $0.append(message) }
        }

        func close() async {
            continuation.finish()
        }
    }

    enum Step: Sendable {
        case session(Session)
        case fail(any Error)
    }

    private let steps: Mutex<[Step]>
    let connects = Mutex(0)

    init(_ steps: [Step]) {
        self.steps = Mutex(steps)
    }

    func connect() async throws -> any MonitorConnection {
        connects.withLock { $0 += 1 }
        let step = steps.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        switch step {
        case .session(let s): return s
        case .fail(let e): throw e
        case nil: throw LinkClosed(detail: "connection refused")
        }
    }
}

/// Drives a model from a link the way the UI loop does, until `done` holds (or a generous bound passes,
/// so a broken link fails the test instead of hanging it).
func pump(_ link: MonitorLink, _ model: inout DashboardModel, until done: (DashboardModel, [LinkEvent]) -> Bool) async
    -> [LinkEvent]
{
    var all: [LinkEvent] = []
    for _ in 0..<2_000 {
        for event in link.drain() {
            all.append(event)
            switch event {
            case .message(let m): for out in model.apply(m, now: 0) { link.send(out) }
            case .lost(let reason, let attempt, let retryAt):
                model.linkLost(reason: reason, attempt: attempt, retryAt: retryAt)
            case .fatal: break
            }
        }
        if done(model, all) { return all }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return all
}

struct MonitorLinkTests {
    @Test func aSessionDeliversHelloSnapshotsAndCarriesTheSubscriptionAndCommands() async {
        let session = FakeConnector.Session()
        let link = MonitorLink(connector: FakeConnector([.session(session)]))
        link.start()
        defer { link.stop() }
        var model = DashboardModel()
        session.continuation.yield(.hello(Fixtures.hello))
        _ = await pump(link, &model) { _, _ in session.sent.withLock { !$0.isEmpty } }
        #expect(model.link == .connected)
        #expect(session.sent.withLock { $0.first } == .subscribe(model.subscription()))
        session.continuation.yield(.snapshot(Fixtures.snapshot(rows: Fixtures.threeRows)))
        _ = await pump(link, &model) { m, _ in m.snapshot != nil }
        #expect(model.connectionRows().count == 3)
        _ = model.handle(.character("k"), now: 0)
        for m in model.handle(.character("y"), now: 0).messages { link.send(m) }
        _ = await pump(link, &model) { _, _ in session.sent.withLock { $0.count == 2 } }
        #expect(session.sent.withLock { $0.last } == .command(Command(id: 1, action: .killConnection(id: 1))))
        session.continuation.yield(.ack(CommandAck(commandID: 1, message: "closed connection 1")))
        _ = await pump(link, &model) { m, _ in m.status != nil && m.status?.text.hasPrefix("ok") == true }
        #expect(model.status?.text == "ok: closed connection 1")
    }

    @Test func aDroppedLinkIsReportedAndReconnected() async {
        let first = FakeConnector.Session()
        let second = FakeConnector.Session()
        let connector = FakeConnector([
            .session(first), .fail(LinkClosed(detail: "connection refused")), .session(second),
        ])
        let link = MonitorLink(connector: connector, initialDelay: 0.01, maxDelay: 0.02)
        link.start()
        defer { link.stop() }
        var model = DashboardModel()
        first.continuation.yield(.hello(Fixtures.hello))
        _ = await pump(link, &model) { m, _ in m.link == .connected }
        first.continuation.finish(throwing: LinkClosed(detail: "the server closed the link"))
        let events = await pump(link, &model) { _, events in
            events.contains { if case .lost(_, 2, _) = $0 { true } else { false } }
        }
        let reasons = events.compactMap { if case .lost(let r, _, _) = $0 { r } else { nil } }
        #expect(reasons == ["the server closed the link", "connection refused"])
        if case .retrying(_, let attempt, _) = model.link {
            #expect(attempt == 2)
        } else {
            Issue.record("not retrying")
        }
        second.continuation.yield(.hello(Fixtures.hello))
        _ = await pump(link, &model) { m, _ in m.link == .connected && second.sent.withLock { $0.count } == 1 }
        #expect(model.link == .connected)
        #expect(connector.connects.withLock { $0 } == 3)
        #expect(second.sent.withLock { $0.count } == 1)
    }

    @Test func aRefusedTokenIsFatalAndNotRetried() async {
        let connector = FakeConnector([.fail(MonitorConnectError.unauthorized)])
        let link = MonitorLink(connector: connector, initialDelay: 0.01)
        link.start()
        defer { link.stop() }
        var model = DashboardModel()
        let events = await pump(link, &model) { _, events in !events.isEmpty }
        #expect(events == [.fatal(.unauthorized)])
        #expect(MonitorConnectError.unauthorized.exitCode == 3)
    }

    @Test func anotherProtocolVersionIsFatal() async {
        let session = FakeConnector.Session()
        let link = MonitorLink(connector: FakeConnector([.session(session)]))
        link.start()
        defer { link.stop() }
        var hello = Fixtures.hello
        hello.protocolVersion = 2
        session.continuation.yield(.hello(hello))
        var model = DashboardModel()
        let events = await pump(link, &model) { _, events in !events.isEmpty }
        #expect(events == [.fatal(.protocolMismatch(server: 2))])
        #expect(MonitorConnectError.protocolMismatch(server: 2).description.contains("protocol 2"))
        #expect(model.hello == nil)
    }

    @Test func theInboxIsBoundedKeepingTheNewestEvents() {
        let link = MonitorLink(connector: FakeConnector([]))
        for i in 0..<(MonitorLink.maxPendingEvents + 100) {
            link.post(.message(.ack(CommandAck(commandID: i, message: ""))))
        }
        let events = link.drain()
        #expect(events.count == MonitorLink.maxPendingEvents)
        #expect(events.last == .message(.ack(CommandAck(commandID: MonitorLink.maxPendingEvents + 99, message: ""))))
        #expect(link.drain().isEmpty)
    }
}
