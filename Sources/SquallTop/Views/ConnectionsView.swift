import SquallMonitorProtocol

/// The Connections screen: the table and, on Enter, a detail pane for the selected connection.
public enum ConnectionsView {
    /// Rows the detail pane takes.
    public static let detailHeight = 7
    /// Columns dropped first when the screen is narrow: loop, requests, idle, bytes in, local.
    static let dropOrder = [2, 8, 5, 6]

    /// Draws the screen into `rect` and returns the table's column placements.
    @discardableResult
    public static func draw(into b: inout ScreenBuffer, rect: Rect, model: DashboardModel) -> [TableView.Placement] {
        let rows = model.connectionRows()
        var state = model.connectionsTable
        let selected = state.resolve(ids: rows.map(\.id))
        let showDetail = model.detailVisible && rect.height >= detailHeight + 6
        let tableHeight = rect.height - 1 - (showDetail ? detailHeight : 0)
        state.keepVisible(selected ?? 0, visibleRows: tableHeight - 1, count: rows.count)
        let th = model.options.thresholds
        let placements = TableView.draw(
            into: &b,
            rect: Rect(x: rect.x, y: rect.y, width: rect.width, height: tableHeight),
            columns: Columns.connections,
            rows: rows,
            state: state,
            selected: selected,
            glyphs: model.glyphs,
            dropOrder: dropOrder,
            rowRole: { $0.state == .closed || $0.closedAgo != nil ? .closed : .text },
            cellRole: { row, column in
                guard row.state != .closed, row.closedAgo == nil else { return nil }
                if column == 9, let e = row.current?.elapsed {
                    return e >= th.slowRequest * 3 ? .critical : e >= th.slowRequest ? .warning : nil
                }
                if column == 5, row.state == .idle, row.idle >= th.idleConnection { return .warning }
                return nil
            }
        )
        let total = model.snapshot?.connections.total ?? 0
        var footer = "\(rows.count) shown"
        if total > rows.count { footer += " of \(total)" }
        if !state.filter.isEmpty { footer += "  filter: \(state.filter)" }
        if rows.isEmpty, model.snapshot != nil {
            b.put(
                state.filter.isEmpty ? "no connections" : "no connection matches '\(state.filter)'",
                x: rect.x + 1,
                y: rect.y + 1,
                role: .dim
            )
        }
        let footerY = rect.y + tableHeight
        b.put(TextLayout.truncate(footer, to: rect.width), x: rect.x, y: footerY, role: .dim)
        if showDetail {
            let row = selected.map { rows[$0] }
            let detail = model.snapshot?.detail.flatMap { $0.id == row?.id ? $0 : nil } ?? row
            drawDetail(
                into: &b,
                rect: Rect(x: rect.x, y: footerY + 1, width: rect.width, height: detailHeight),
                row: detail,
                glyphs: model.glyphs
            )
        }
        return placements
    }

    static func drawDetail(into b: inout ScreenBuffer, rect: Rect, row: ConnectionRow?, glyphs: Glyphs) {
        b.fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height, role: .dialog)
        b.box(x: rect.x, y: rect.y, width: rect.width, height: rect.height, glyphs: glyphs)
        guard let r = row else {
            b.put(" no connection selected ", x: rect.x + 2, y: rect.y, role: .dialogTitle)
            return
        }
        b.put(" connection \(r.id) ", x: rect.x + 2, y: rect.y, role: .dialogTitle)
        var lines = [
            "peer \(r.peer)   local \(r.local)   loop \(r.loop)   state \(r.state.rawValue)",
            "age \(Format.duration(r.age))   idle \(Format.duration(r.idle))   in \(Format.bytes(r.bytesIn))   "
                + "out \(Format.bytes(r.bytesOut))   requests \(r.requests)",
        ]
        if let c = r.current {
            lines.append(
                "request \(c.method) \(c.path)   route \(c.route ?? "-")   running \(Format.duration(c.elapsed))"
            )
        } else {
            lines.append("no request in progress")
        }
        if let ws = r.webSocket {
            lines.append(
                "websocket \(ws.path)   proto \(ws.subprotocol ?? "-")   \(ws.compression ?? "no compression")   "
                    + "msgs \(ws.messagesIn)/\(ws.messagesOut)   queued \(Format.bytes(ws.queuedBytes))"
            )
        }
        if let ago = r.closedAgo { lines.append("closed \(Format.duration(ago)) ago") }
        for (i, line) in lines.prefix(rect.height - 2).enumerated() {
            b.put(
                TextLayout.truncate(line, to: rect.width - 4, ellipsis: glyphs.ellipsis),
                x: rect.x + 2,
                y: rect.y + 1 + i,
                role: .dialog
            )
        }
    }
}
