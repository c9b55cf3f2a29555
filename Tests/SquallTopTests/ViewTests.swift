import SquallMonitorProtocol
import Testing

@testable import SquallTop

struct ViewTests {
    static let sizes = [(80, 24), (200, 60)]

    static func busyModel() -> DashboardModel {
        let ws = Fixtures.row(
            7,
            state: .webSocket,
            webSocket: WebSocketStats(
                path: "/chatsocket",
                subprotocol: "chat",
                messagesIn: 12,
                messagesOut: 30,
                bytesIn: 900,
                bytesOut: 4000,
                lastMessageAge: 1.5,
                pingRTT: 0.002
            )
        )
        let handlers = [
            HandlerStats(
                route: "/",
                method: "GET",
                count: 500,
                statusClasses: [0, 500, 0, 0, 0],
                rate: 12,
                recent: Percentiles(p50: 0.001, p90: 0.002, p99: 0.004, max: 0.01, count: 120),
                history: [0.002, 0.004, 0.003]
            ),
            HandlerStats(
                route: "/api/items",
                method: "POST",
                count: 80,
                inFlight: 1,
                statusClasses: [0, 70, 0, 0, 10],
                rate: 2,
                recent: Percentiles(p50: 0.01, p90: 0.02, p99: 0.05, max: 0.08, count: 20),
                history: [0.05, 0.04]
            ),
        ]
        var m = Fixtures.model(rows: Fixtures.threeRows + [ws], webSockets: [ws], handlers: handlers)
        _ = m.apply(
            .logs(
                LogBatch(
                    entries: [
                        LogEntry(
                            seq: 1,
                            time: 2_000,
                            kind: .request,
                            level: "info",
                            message: "200 GET / (127.0.0.1) 1.20ms",
                            method: "GET",
                            uri: "/",
                            status: 200
                        ),
                        LogEntry(
                            seq: 2,
                            time: 2_000,
                            kind: .request,
                            level: "error",
                            message: "500 POST /api/items (127.0.0.1) 3.00ms",
                            method: "POST",
                            uri: "/api/items",
                            status: 500
                        ),
                        LogEntry(seq: 5, time: 2_000, kind: .app, level: "warning", message: "cache miss storm"),
                    ],
                    dropped: 2
                )
            ),
            now: 2_000
        )
        return m
    }

    static func render(_ m: DashboardModel, _ size: (Int, Int)) -> ScreenBuffer {
        var model = m
        model.visibleRows = DashboardRenderer.visibleRows(height: size.1)
        return DashboardRenderer.render(model, width: size.0, height: size.1, now: 2_001)
    }

    @Test(arguments: sizes)
    func theHeaderShowsTheServerAndItsFigures(size: (Int, Int)) {
        let b = ViewTests.render(ViewTests.busyModel(), size)
        #expect(b.line(0).hasPrefix("squall-demo pid 4242"))
        #expect(b.line(0).contains("squall 0.1.0"))
        #expect(b.line(1).contains("req/s 56.7"))
        #expect(b.line(1).contains("conns 4"))
        #expect(b.line(1).contains("rss 45M"))
        #expect(b.line(2).hasPrefix("lag  0 "))
        #expect(b.line(3).contains("1 Conns") || b.line(3).contains("1 Connections"))
        #expect(b.line(3).contains("6 Warnings"))
        #expect(b[0, 0].role == .title)
    }

    @Test(arguments: sizes)
    func theConnectionsTableFitsAndHighlightsTheSelection(size: (Int, Int)) {
        let b = ViewTests.render(ViewTests.busyModel(), size)
        let header = b.line(4)
        #expect(header.contains("ID▲"))
        #expect(header.contains("PEER"))
        #expect(header.contains("REQUEST"))
        #expect(b.line(5).contains("127.0.0.1:50001"))
        #expect(b[2, 5].role == .selected)
        #expect(b[2, 6].role == .text)
        #expect(b.line(6).contains("GET /slow"))
        #expect(b.row(containing: "4 shown") != nil)
        #expect(b.line(size.1 - 1).contains("filter"))
        // Nothing spills over: every row is exactly the width.
        #expect((0..<b.height).allSatisfy { TextLayout.width(of: b.line($0)) == size.0 })
    }

    @Test func narrowScreensDropLessImportantColumns() {
        let narrow = ViewTests.render(ViewTests.busyModel(), (80, 24)).line(4)
        let wide = ViewTests.render(ViewTests.busyModel(), (200, 60)).line(4)
        #expect(!narrow.contains("LP"))
        #expect(wide.contains("LP"))
        #expect(wide.contains("REQS"))
    }

    @Test func closedRowsAreDimmed() {
        var m = ViewTests.busyModel()
        _ = m.apply(.update(Fixtures.snapshot(rows: [Fixtures.threeRows[0]])), now: 2_000.5)
        let b = ViewTests.render(m, (80, 24))
        let y = b.row(containing: "10.0.0.9:4000")
        #expect(y.map { b[3, $0].role } == .closed)
    }

    @Test func theDetailPaneDescribesTheSelectedConnection() {
        var m = ViewTests.busyModel()
        _ = m.handle(.down, now: 0)
        _ = m.handle(.enter, now: 0)
        let b = ViewTests.render(m, (80, 24))
        #expect(b.row(containing: "connection 2") != nil)
        #expect(b.row(containing: "request GET /slow") != nil)
    }

    @Test(arguments: sizes)
    func theWebSocketsTabListsSocketsAndTheirFrameTail(size: (Int, Int)) {
        var m = ViewTests.busyModel()
        _ = m.handle(.character("2"), now: 0)
        var b = ViewTests.render(m, size)
        #expect(b.line(5).contains("/chatsocket"))
        #expect(b[1, 5].role == .selected)
        _ = m.handle(.enter, now: 0)
        _ = m.apply(
            .frames(
                FrameBatch(
                    connectionID: 7,
                    frames: [FrameSample(direction: "in", opcode: "text", size: 5, time: 2_000, preview: "hello")]
                )
            ),
            now: 0
        )
        b = ViewTests.render(m, size)
        #expect(b.row(containing: "frames of WebSocket 7") != nil)
        #expect(b.row(containing: "hello") != nil)
    }

    @Test(arguments: sizes)
    func theHandlersTabSortsByCountAndColoursErrors(size: (Int, Int)) {
        var m = ViewTests.busyModel()
        _ = m.handle(.character("3"), now: 0)
        let b = ViewTests.render(m, size)
        #expect(b.line(4).contains("COUNT▼"))
        #expect(b.line(5).contains("GET"))
        let y = 6
        #expect(b.line(y).contains("/api/items"))
        let x = b.column(of: "12%", row: y) ?? b.column(of: "12.5%", row: y)
        #expect(x.map { b[$0, y].role } == .critical)
        if size.0 >= 90 { #expect(b.line(4).contains("P99 HISTORY")) }
    }

    @Test(arguments: sizes)
    func theLoopsTabGraphsTheSelectedLoop(size: (Int, Int)) {
        var m = ViewTests.busyModel()
        _ = m.handle(.character("4"), now: 0)
        let b = ViewTests.render(m, size)
        #expect(b.line(4).hasPrefix("LOOP"))
        #expect(b.row(containing: "loop 0 lag") != nil)
    }

    @Test(arguments: sizes)
    func theLogsTabColoursByStatusAndMarksLostLines(size: (Int, Int)) {
        var m = ViewTests.busyModel()
        _ = m.handle(.character("5"), now: 0)
        let b = ViewTests.render(m, size)
        let error = b.row(containing: "500 POST /api/items")
        #expect(error.map { b[(b.column(of: "500 POST", row: $0) ?? 0), $0].role } == .logError)
        #expect(b.row(containing: "2 lines lost") != nil)
        #expect(b.row(containing: "dropped by server: 2") != nil)
    }

    @Test(arguments: sizes)
    func theWarningsTabExplainsTheSelectedWarning(size: (Int, Int)) {
        var options = DashboardOptions()
        options.thresholds.slowRequest = 1
        var m = Fixtures.model(rows: Fixtures.threeRows, options: options)
        _ = m.handle(.character("6"), now: 0)
        let b = ViewTests.render(m, size)
        #expect(b.line(3).contains("Warnings (1)"))
        #expect(b.row(containing: "slow-request") != nil)
        #expect(b.row(containing: "Enter: go to the connection") != nil || size.0 < 100)
        _ = m.handle(.enter, now: 0)
        #expect(m.tab == .connections)
        #expect(m.selectedConnection()?.id == 2)
    }

    @Test func theKillDialogDefaultsToNo() {
        var m = ViewTests.busyModel()
        _ = m.handle(.character("k"), now: 0)
        let b = ViewTests.render(m, (80, 24))
        #expect(b.row(containing: "Kill connection 1 from 127.0.0.1:50001?") != nil)
        #expect(b.row(containing: "N/enter/esc: no") != nil)
    }

    @Test func theHelpOverlayListsTheKeys() {
        var m = ViewTests.busyModel()
        _ = m.handle(.character("?"), now: 0)
        let b = ViewTests.render(m, (200, 60))
        for key in OverlayView.helpLines.map(\.1) { #expect(b.row(containing: key) != nil, "\(key)") }
        _ = m.handle(.character("x"), now: 0)
        #expect(!m.helpVisible)
    }

    @Test func frozenAndDisconnectedStatesShowInTheHeader() {
        var m = ViewTests.busyModel()
        _ = m.handle(.character("f"), now: 2_000)
        var b = ViewTests.render(m, (80, 24))
        #expect(b.line(0).contains("FROZEN 1.0s old"))
        #expect(b[79, 0].role == .frozen)
        _ = m.handle(.character("f"), now: 2_000)
        m.linkLost(reason: "connection refused", attempt: 3, retryAt: 2_003)
        b = ViewTests.render(m, (80, 24))
        #expect(b.line(0).contains("disconnected, retrying in 2s (attempt 3)"))
    }

    @Test func aTooSmallTerminalSaysSo() {
        let b = ViewTests.render(ViewTests.busyModel(), (40, 10))
        #expect(b.row(containing: "terminal too small") != nil)
        #expect(b.row(containing: "40x10, need 60x15") != nil)
    }

    @Test func asciiModeDrawsNoUnicode() {
        var options = DashboardOptions()
        options.asciiGlyphs = true
        var m = Fixtures.model(rows: Fixtures.threeRows, options: options)
        _ = m.handle(.character("4"), now: 0)
        let b = ViewTests.render(m, (100, 30))
        #expect(b.cells.allSatisfy { $0.character.isASCII })
    }

    @Test func mouseClicksSelectTabsRowsAndSortColumns() {
        var m = ViewTests.busyModel()
        let tabs = TabBarView.layout(width: 80, model: m)
        let handlers = tabs[2]
        #expect(
            DashboardRenderer.hitTest(x: handlers.x + 2, y: 3, button: .left, model: m, width: 80, height: 24)
                == .selectTab(.handlers)
        )
        #expect(DashboardRenderer.hitTest(x: 5, y: 7, button: .left, model: m, width: 80, height: 24) == .selectRow(2))
        #expect(DashboardRenderer.hitTest(x: 2, y: 4, button: .left, model: m, width: 80, height: 24) == .sortColumn(0))
        #expect(
            DashboardRenderer.hitTest(x: 2, y: 9, button: .wheelDown, model: m, width: 80, height: 24) == .scroll(3)
        )
        _ = m.handle(.selectRow(2), now: 0)
        #expect(m.selectedConnection()?.id == 3)
        _ = m.handle(.sortColumn(0), now: 0)
        #expect(m.connectionRows().first?.id == 7)
    }
}
