import SquallMonitorProtocol

/// Lays out and draws the whole dashboard into a ``ScreenBuffer``: header, tabs, the current screen,
/// the status line, and any overlay.
public enum DashboardRenderer {
    /// The smallest terminal the dashboard draws in.
    public static let minimumWidth = 60
    /// The smallest terminal the dashboard draws in.
    public static let minimumHeight = 15
    /// The row of the tab bar.
    public static let tabRow = HeaderView.height

    /// The body area for a terminal size.
    public static func body(width: Int, height: Int) -> Rect {
        Rect(x: 0, y: tabRow + 1, width: width, height: height - tabRow - 2)
    }

    /// Rows a table shows for a terminal size (title and footer rows excluded).
    public static func visibleRows(height: Int) -> Int {
        max(1, body(width: 0, height: height).height - 2)
    }

    /// Draws the dashboard.
    public static func render(_ model: DashboardModel, width: Int, height: Int, now: Double) -> ScreenBuffer {
        var b = ScreenBuffer(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            let lines = ["terminal too small", "\(width)x\(height), need \(minimumWidth)x\(minimumHeight)", "q quits"]
            for (i, line) in lines.enumerated() {
                let y = height / 2 - 1 + i
                b.put(line, x: max(0, (width - TextLayout.width(of: line)) / 2), y: y, role: i == 0 ? .warning : .text)
            }
            return b
        }
        HeaderView.draw(
            into: &b,
            rect: Rect(x: 0, y: 0, width: width, height: HeaderView.height),
            model: model,
            now: now
        )
        TabBarView.draw(into: &b, y: tabRow, width: width, model: model)
        let body = body(width: width, height: height)
        switch model.tab {
        case .connections: ConnectionsView.draw(into: &b, rect: body, model: model)
        case .webSockets: WebSocketsView.draw(into: &b, rect: body, model: model, now: now)
        case .handlers: HandlersView.draw(into: &b, rect: body, model: model)
        case .loops: LoopsView.draw(into: &b, rect: body, model: model)
        case .logs: LogsView.draw(into: &b, rect: body, model: model)
        case .warnings: WarningsView.draw(into: &b, rect: body, model: model)
        }
        StatusLineView.draw(into: &b, y: height - 1, width: width, model: model)
        if model.helpVisible {
            OverlayView.drawHelp(into: &b, rect: body, glyphs: model.glyphs)
        } else if let d = model.dialog {
            OverlayView.drawDialog(d, into: &b, rect: body, glyphs: model.glyphs)
        }
        if model.options.asciiGlyphs { b.asciify() }
        return b
    }

    /// What a mouse click or wheel at a cell means, or `nil` when it hits nothing.
    public static func hitTest(x: Int, y: Int, button: MouseButton, model: DashboardModel, width: Int, height: Int)
        -> MouseAction?
    {
        switch button {
        case .wheelUp: return .scroll(-3)
        case .wheelDown: return .scroll(3)
        case .left: break
        }
        guard width >= minimumWidth, height >= minimumHeight else { return nil }
        if y == tabRow {
            for (tab, tx, text) in TabBarView.layout(width: width, model: model)
            where x >= tx && x < tx + TextLayout.width(of: text) {
                return .selectTab(tab)
            }
            return nil
        }
        let body = body(width: width, height: height)
        guard body.contains(x: x, y: y) else { return nil }
        let placements: [TableView.Placement]
        let scroll: Int
        let count: Int
        switch model.tab {
        case .connections:
            placements = TableView.layout(Columns.connections, width: width, dropOrder: ConnectionsView.dropOrder)
            scroll = model.connectionsTable.scroll
            count = model.connectionRows().count
        case .webSockets:
            placements = TableView.layout(Columns.webSockets, width: width, dropOrder: WebSocketsView.dropOrder)
            scroll = model.webSocketsTable.scroll
            count = model.webSocketRows().count
        case .handlers:
            placements = TableView.layout(
                Columns.handlers,
                width: width >= 90 ? width - HandlersView.sparkWidth - 1 : width,
                dropOrder: HandlersView.dropOrder
            )
            scroll = model.handlersTable.scroll
            count = model.handlerRows().count
        case .loops:
            placements = []
            scroll = model.loopsTable.scroll
            count = model.loopRows().count
        case .warnings:
            placements = []
            scroll = model.warningsTable.scroll
            count = model.warnings.count
        case .logs:
            return nil
        }
        if y == body.y {
            return placements.first { x >= $0.x && x < $0.x + $0.width }.map { .sortColumn($0.index) }
        }
        let index = scroll + (y - body.y - 1)
        return index < count ? .selectRow(index) : nil
    }
}

/// A mouse button as the hit test sees it.
public enum MouseButton: Sendable, Equatable {
    /// The primary button.
    case left
    /// The wheel turned up.
    case wheelUp
    /// The wheel turned down.
    case wheelDown
}
