import SquallMonitorProtocol

/// The WebSockets screen: open WebSockets, and the live frame tail of one (Enter).
public enum WebSocketsView {
    /// Columns dropped first when narrow: compression, protocol, RTT, messages out, bytes in.
    static let dropOrder = [5, 4, 11, 7, 8, 10]

    /// Draws the screen into `rect` and returns the table's column placements.
    @discardableResult
    public static func draw(into b: inout ScreenBuffer, rect: Rect, model: DashboardModel, now: Double) -> [TableView
        .Placement]
    {
        let rows = model.webSocketRows()
        var state = model.webSocketsTable
        let selected = state.resolve(ids: rows.map(\.id))
        let tail = model.frameTail
        let tableHeight = tail == nil ? rect.height - 1 : max(4, rect.height / 2)
        state.keepVisible(selected ?? 0, visibleRows: tableHeight - 1, count: rows.count)
        let queued = model.options.thresholds.queuedBytes
        let placements = TableView.draw(
            into: &b,
            rect: Rect(x: rect.x, y: rect.y, width: rect.width, height: tableHeight),
            columns: Columns.webSockets,
            rows: rows,
            state: state,
            selected: selected,
            glyphs: model.glyphs,
            dropOrder: dropOrder,
            rowRole: { $0.state == .closed ? .closed : .text },
            cellRole: { row, column in
                column == 12 && (row.webSocket?.queuedBytes ?? 0) >= queued ? .warning : nil
            }
        )
        if rows.isEmpty, model.snapshot != nil {
            b.put("no open WebSockets", x: rect.x + 1, y: rect.y + 1, role: .dim)
        }
        if let id = tail {
            drawFrames(
                into: &b,
                rect: Rect(x: rect.x, y: rect.y + tableHeight, width: rect.width, height: rect.height - tableHeight),
                id: id,
                model: model
            )
        } else {
            let total = model.snapshot?.webSockets.total ?? 0
            var footer = "\(rows.count) shown" + (total > rows.count ? " of \(total)" : "") + "   enter: frame tail"
            if !state.filter.isEmpty { footer += "  filter: \(state.filter)" }
            b.put(TextLayout.truncate(footer, to: rect.width), x: rect.x, y: rect.y + tableHeight, role: .dim)
        }
        return placements
    }

    private static func drawFrames(into b: inout ScreenBuffer, rect: Rect, id: Int, model: DashboardModel) {
        guard rect.height >= 3 else { return }
        let g = model.glyphs
        b.box(x: rect.x, y: rect.y, width: rect.width, height: rect.height, glyphs: g)
        let previews = model.hello?.server.framePreviews ?? false
        b.put(
            " frames of WebSocket \(id)\(previews ? "" : " (previews off on the server)")  esc: close ",
            x: rect.x + 2,
            y: rect.y,
            role: .dialogTitle
        )
        let inner = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
        b.put(
            TextLayout.fit("TIME     DIR TYPE     SIZE  PREVIEW", inner.width),
            x: inner.x,
            y: inner.y,
            role: .tableHeader
        )
        let shown = model.frames.suffix(max(0, inner.height - 1))
        if shown.isEmpty {
            b.put("no frames yet", x: inner.x + 1, y: inner.y + 1, role: .dim)
        }
        for (i, f) in shown.enumerated() {
            let dir = f.direction == "in" ? g.incoming : g.outgoing
            let line =
                "\(Format.clock(f.time)) \(dir)   \(TextLayout.fit(f.opcode, 8)) \(TextLayout.fit(Format.bytes(f.size), 5, alignRight: true))  \(f.preview ?? "")"
            b.put(
                TextLayout.truncate(line, to: inner.width, ellipsis: g.ellipsis),
                x: inner.x,
                y: inner.y + 1 + i,
                role: f.opcode == "close" ? .warning : .text
            )
        }
    }
}
