import SquallMonitorProtocol
import Testing

@testable import SquallTop

struct DashboardModelTests {
    @Test func helloIsAnsweredWithTheSubscription() {
        var m = DashboardModel()
        let out = m.apply(.hello(Fixtures.hello), now: 0)
        #expect(m.link == .connected)
        #expect(out == [.subscribe(m.subscription())])
        guard case .subscribe(let s) = out.first else { return }
        #expect(s.rate == 4)
        #expect(Set(s.views) == Set(MonitorView.allCases))
    }

    @Test func sortingByAColumnOrdersRowsAndAsksTheServerToo() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        #expect(m.connectionRows().map(\.id) == [1, 2, 3])
        // Columns: ID, PEER, LP, STATE, AGE …; `s` moves the sort column right.
        var out = InputOutcome()
        for _ in 0..<4 { out = m.handle(.character("s"), now: 0) }
        #expect(m.connectionsTable.sortColumn == 4)
        #expect(m.connectionRows().map(\.id) == [2, 1, 3])
        guard case .subscribe(let s) = out.messages.last else {
            Issue.record("no subscription sent")
            return
        }
        #expect(s.connections.sort == .age)
        _ = m.handle(.character("r"), now: 0)
        #expect(m.connectionRows().map(\.id) == [3, 1, 2])
    }

    @Test func theSelectionFollowsTheConnectionIdWhenTheTableReSorts() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        _ = m.handle(.down, now: 0)
        #expect(m.selectedConnection()?.id == 2)
        // The server's next update has new ages: connection 2 becomes the oldest.
        var rows = Fixtures.threeRows
        rows[1].age = 100
        for _ in 0..<4 { _ = m.handle(.character("s"), now: 0) }
        _ = m.apply(.update(Fixtures.snapshot(rows: rows)), now: 1)
        #expect(m.connectionRows().map(\.id) == [1, 3, 2])
        #expect(m.selectedConnection()?.id == 2)
    }

    @Test func typingAFilterNarrowsTheTableAndEscapeClearsIt() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        _ = m.handle(.character("/"), now: 0)
        for c in "slow" { _ = m.handle(.character(c), now: 0) }
        #expect(m.connectionRows().map(\.id) == [2])
        _ = m.handle(.enter, now: 0)
        #expect(m.prompt == nil)
        #expect(m.subscription().connections.filter == "slow")
        _ = m.handle(.escape, now: 0)
        #expect(m.connectionRows().count == 3)
    }

    @Test func killAsksForConfirmationWhoseDefaultIsNo() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        _ = m.handle(.down, now: 0)
        _ = m.handle(.character("k"), now: 0)
        guard case .killConnection(let row) = m.dialog else {
            Issue.record("no dialog")
            return
        }
        #expect(row.id == 2)
        let lines = OverlayView.content(of: m.dialog ?? .quitAttached).lines.joined(separator: " ")
        #expect(lines.contains("Kill connection 2 from 127.0.0.1:50002"))
        #expect(lines.contains("GET /slow"))
        for key in [Key.enter, .escape] {
            m.dialog = .killConnection(row)
            let out = m.handle(key, now: 0)
            #expect(out.messages.isEmpty)
            #expect(m.dialog == nil)
        }
        m.dialog = .killConnection(row)
        #expect(m.handle(.character("x"), now: 0).messages.isEmpty)
        #expect(m.dialog != nil)
        let out = m.handle(.character("y"), now: 0)
        #expect(out.messages == [.command(Command(id: 1, action: .killConnection(id: 2)))])
        _ = m.apply(.ack(CommandAck(commandID: 1, message: "closed connection 2", count: 1, ids: [2])), now: 0)
        #expect(m.status == DashboardModel.Status(text: "ok: closed connection 2", isError: false))
    }

    @Test func killSlowShowsTheDryRunCountBeforeConfirming() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        _ = m.handle(.character("K"), now: 0)
        for _ in 0..<2 { _ = m.handle(.backspace, now: 0) }
        _ = m.handle(.character("1"), now: 0)
        let dry = m.handle(.enter, now: 0)
        #expect(
            dry.messages == [
                .command(Command(id: 1, action: .killSlow(olderThan: nil, requestSlowerThan: 1, dryRun: true)))
            ]
        )
        _ = m.apply(.ack(CommandAck(commandID: 1, message: "1 would close", count: 1, ids: [2])), now: 0)
        #expect(m.dialog == .killSlow(seconds: 1, count: 1))
        let real = m.handle(.character("y"), now: 0)
        #expect(
            real.messages == [
                .command(Command(id: 2, action: .killSlow(olderThan: nil, requestSlowerThan: 1, dryRun: false)))
            ]
        )
    }

    @Test func commandErrorsReachTheStatusLine() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        _ = m.handle(.character("P"), now: 0)
        let out = m.handle(.character("y"), now: 0)
        #expect(out.messages == [.command(Command(id: 1, action: .pauseAccepting))])
        _ = m.apply(.error(ErrorReply(commandID: 1, code: "readOnly", message: "commands are disabled")), now: 0)
        #expect(m.status?.isError == true)
        #expect(m.status?.text.contains("pause accepting failed: commands are disabled") == true)
    }

    @Test func readOnlyModeRefusesCommandsWithoutSendingThem() {
        var options = DashboardOptions()
        options.readOnly = true
        var m = Fixtures.model(rows: Fixtures.threeRows, options: options)
        for key in ["k", "K", "L", "P"] {
            let out = m.handle(.character(Character(key)), now: 0)
            #expect(out.messages.isEmpty)
            #expect(m.dialog == nil && m.prompt == nil)
        }
        #expect(m.status?.text.contains("read-only") == true)
    }

    @Test func commandsAreRefusedWhileDisconnected() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        m.linkLost(reason: "connection refused", attempt: 1, retryAt: 5)
        _ = m.handle(.character("k"), now: 0)
        #expect(m.dialog == nil)
        #expect(m.status?.text.contains("not connected") == true)
    }

    @Test func freezingHoldsTheDisplayAndThawingShowsTheNewestData() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        _ = m.handle(.character(" "), now: 2_000)
        #expect(m.frozen)
        _ = m.apply(.update(Fixtures.snapshot(time: 2_001, rows: [Fixtures.row(9)])), now: 2_001)
        _ = m.apply(
            .logs(LogBatch(entries: [LogEntry(seq: 1, time: 2_001, kind: .app, level: "info", message: "hi")])),
            now: 2_001
        )
        #expect(m.connectionRows().map(\.id).contains(1))
        #expect(m.logs.lines.isEmpty)
        #expect(m.staleness(now: 2_003.5) == 3.5)
        _ = m.handle(.character("f"), now: 2_004)
        #expect(!m.frozen)
        #expect(m.snapshot?.connections.rows.map(\.id) == [9])
        #expect(m.logs.lines.count == 1)
    }

    @Test func closedConnectionsStayVisibleForTheLingerTime() {
        var m = Fixtures.model(rows: Fixtures.threeRows)
        _ = m.apply(.update(Fixtures.snapshot(rows: [Fixtures.threeRows[0], Fixtures.threeRows[2]])), now: 2_001)
        let rows = m.connectionRows()
        #expect(rows.map(\.id) == [1, 2, 3])
        #expect(rows[1].state == .closed)
        _ = m.apply(.update(Fixtures.snapshot(rows: [Fixtures.threeRows[0], Fixtures.threeRows[2]])), now: 2_010)
        #expect(m.connectionRows().map(\.id) == [1, 3])
    }

    @Test func logGapsAndDuplicatesAreVisibleNotSilent() {
        var ring = LogRing(capacity: 100)
        func e(_ seq: Int) -> LogEntry { LogEntry(seq: seq, time: 0, kind: .app, level: "info", message: "m\(seq)") }
        ring.append([e(1), e(2), e(5)])
        ring.append([e(4), e(5), e(6)])
        #expect(ring.lines.count == 5)
        #expect(ring.lines[2] == .gap(count: 2))
        #expect(ring.missing == 2)
    }

    @Test func theLogRingIsBounded() {
        var ring = LogRing(capacity: 100)
        ring.append((1...1_000).map { LogEntry(seq: $0, time: 0, kind: .app, level: "info", message: "") })
        #expect(ring.lines.count <= 100)
        guard case .entry(let last) = ring.lines.last else { return }
        #expect(last.seq == 1_000)
    }

    @Test func logFiltersUnderstandStatusMethodRouteAndLevel() {
        let e = LogEntry(
            seq: 1,
            time: 0,
            kind: .request,
            level: "error",
            message: "500 POST /api/x",
            method: "POST",
            uri: "/api/x",
            route: "/api/.*",
            status: 500
        )
        #expect(LogQuery("status:5xx").matches(.entry(e)))
        #expect(!LogQuery("status:4xx").matches(.entry(e)))
        #expect(LogQuery("method:post route:/api").matches(.entry(e)))
        #expect(!LogQuery("method:get").matches(.entry(e)))
        #expect(LogQuery("level:warning /api").matches(.entry(e)))
        #expect(!LogQuery("nothing-like-it").matches(.entry(e)))
    }

    @Test func scrollingTheLogPausesFollowAndEndResumesIt() {
        var m = Fixtures.model()
        m.tab = .logs
        m.visibleRows = 5
        _ = m.apply(
            .logs(
                LogBatch(
                    entries: (1...20).map { LogEntry(seq: $0, time: 0, kind: .app, level: "info", message: "l\($0)") }
                )
            ),
            now: 0
        )
        _ = m.handle(.up, now: 0)
        #expect(!m.logFollow)
        #expect(m.logScrollBack == 1)
        _ = m.apply(
            .logs(LogBatch(entries: [LogEntry(seq: 21, time: 0, kind: .app, level: "info", message: "new")])),
            now: 0
        )
        #expect(m.logScrollBack == 2)
        _ = m.handle(.end, now: 0)
        #expect(m.logFollow && m.logScrollBack == 0)
    }

    @Test func warningsFlagLagSlowIdleBackpressureAndErrorJumps() {
        var t = WarningThresholds()
        t.slowRequest = 1
        t.idleConnection = 60
        let rows = [
            Fixtures.row(1, state: .handling, request: CurrentRequest(method: "GET", path: "/slow", elapsed: 5)),
            Fixtures.row(2, state: .idle, idle: 120),
            Fixtures.row(3, state: .webSocket, webSocket: WebSocketStats(path: "/chat", queuedBytes: 2 << 20)),
        ]
        var s = Fixtures.snapshot(
            rows: rows,
            loops: [LoopStats(index: 0, current: 0.5, p99: 0.5, max: 0.5, worstRoute: "/block")]
        )
        var tracker = ErrorRateTracker()
        tracker.record(
            [HandlerStats(route: "/api", method: "GET", count: 1000, statusClasses: [0, 1000, 0, 0, 0])],
            time: 0
        )
        tracker.record(
            [HandlerStats(route: "/api", method: "GET", count: 1100, statusClasses: [0, 1050, 0, 0, 50])],
            time: 11
        )
        s.handlers = []
        let kinds = Set(Warnings.compute(snapshot: s, errorRates: tracker, thresholds: t).map(\.kind))
        #expect(kinds == Set(WarningKind.allCases))
        let quiet = Warnings.compute(
            snapshot: Fixtures.snapshot(rows: Fixtures.threeRows),
            errorRates: ErrorRateTracker(),
            thresholds: WarningThresholds()
        )
        #expect(quiet.isEmpty)
    }

    @Test func quittingWhileAttachedAsksToStopOrDetach() {
        var options = DashboardOptions()
        options.attached = true
        var m = Fixtures.model(options: options)
        #expect(m.handle(.character("q"), now: 0).quit == nil)
        #expect(m.dialog == .quitAttached)
        #expect(m.handle(.enter, now: 0).quit == nil)
        #expect(m.dialog == nil)
        _ = m.handle(.character("q"), now: 0)
        #expect(m.handle(.character("d"), now: 0).quit == .detach)
        var plain = Fixtures.model()
        #expect(plain.handle(.character("q"), now: 0).quit == .quit)
        var any = Fixtures.model()
        any.dialog = .killSlow(seconds: 1, count: 1)
        #expect(any.handle(.interrupt, now: 0).quit == .interrupted)
    }

    @Test func enterOnAWebSocketTailsItsFramesAndEscapeStops() {
        let ws = Fixtures.row(7, state: .webSocket, webSocket: WebSocketStats(path: "/chat"))
        var m = Fixtures.model(rows: [ws], webSockets: [ws])
        _ = m.handle(.character("2"), now: 0)
        let out = m.handle(.enter, now: 0)
        #expect(m.frameTail == 7)
        #expect(out.messages == [.subscribe(m.subscription())])
        _ = m.apply(
            .frames(
                FrameBatch(
                    connectionID: 7,
                    frames: [FrameSample(direction: "in", opcode: "text", size: 5, time: 0, preview: "hello")]
                )
            ),
            now: 0
        )
        _ = m.apply(
            .frames(
                FrameBatch(connectionID: 8, frames: [FrameSample(direction: "in", opcode: "text", size: 5, time: 0)])
            ),
            now: 0
        )
        #expect(m.frames.count == 1)
        _ = m.handle(.escape, now: 0)
        #expect(m.frameTail == nil)
    }

    @Test func aServerRestartIsMarkedInTheLog() {
        var m = Fixtures.model()
        _ = m.apply(
            .logs(LogBatch(entries: [LogEntry(seq: 5, time: 0, kind: .app, level: "info", message: "a")])),
            now: 0
        )
        var h = Fixtures.hello
        h.server.pid = 9
        _ = m.apply(.hello(h), now: 1)
        _ = m.apply(
            .logs(LogBatch(entries: [LogEntry(seq: 1, time: 0, kind: .app, level: "info", message: "b")])),
            now: 1
        )
        #expect(m.logs.lines.count == 3)
        #expect(m.logs.lines[1] == .restart)
    }

    @Test func aStartupMessageSuchAsAThemeErrorShowsInTheStatusLine() {
        var options = DashboardOptions()
        options.initialMessage = "mine.theme:3: unknown role 'x'; using the default theme"
        let m = DashboardModel(options: options)
        #expect(
            m.status
                == DashboardModel.Status(text: "mine.theme:3: unknown role 'x'; using the default theme", isError: true)
        )
        let b = DashboardRenderer.render(m, width: 80, height: 24, now: 0)
        #expect(b.line(23).hasPrefix("mine.theme:3: unknown role"))
        #expect(b[0, 23].role == .statusError)
    }
}
