import SquallMonitorProtocol

/// The Handlers screen: per route and method, counts, rates, errors, percentiles and a p99 sparkline.
public enum HandlersView {
    /// Columns dropped first when narrow: in-flight, p90, max.
    static let dropOrder = [4, 7, 9]
    static let sparkWidth = 12

    /// Draws the screen into `rect` and returns the table's column placements.
    @discardableResult
    public static func draw(into b: inout ScreenBuffer, rect: Rect, model: DashboardModel) -> [TableView.Placement] {
        let rows = model.handlerRows()
        var state = model.handlersTable
        let selected = state.resolve(ids: rows.map(DashboardModel.handlerID))
        let tableHeight = rect.height - 1
        state.keepVisible(selected ?? 0, visibleRows: tableHeight - 1, count: rows.count)
        let withSpark = rect.width >= 90
        let tableWidth = withSpark ? rect.width - sparkWidth - 1 : rect.width
        let placements = TableView.draw(
            into: &b,
            rect: Rect(x: rect.x, y: rect.y, width: tableWidth, height: tableHeight),
            columns: Columns.handlers,
            rows: rows,
            state: state,
            selected: selected,
            glyphs: model.glyphs,
            dropOrder: dropOrder,
            cellRole: { row, column in
                column == 5 && row.errorRate >= 0.05 ? .critical : column == 5 && row.errorRate > 0 ? .warning : nil
            }
        )
        if withSpark {
            let sx = rect.x + tableWidth + 1
            b.fill(x: tableWidth, y: rect.y, width: sparkWidth + 1, height: 1, role: .tableHeader)
            b.put("P99 HISTORY", x: sx, y: rect.y, role: .tableHeader)
            for line in 0..<max(0, tableHeight - 1) {
                let i = state.scroll + line
                guard i < rows.count else { break }
                let ceiling = rows[i].history.max() ?? 0
                let role: Role = i == selected ? .selected : .sparkline
                if i == selected {
                    b.fill(x: tableWidth, y: rect.y + 1 + line, width: sparkWidth + 1, height: 1, role: .selected)
                }
                b.put(
                    model.glyphs.sparkline(rows[i].history, width: sparkWidth, ceiling: ceiling),
                    x: sx,
                    y: rect.y + 1 + line,
                    role: role
                )
            }
        }
        if rows.isEmpty, model.snapshot != nil {
            b.put("no requests yet", x: rect.x + 1, y: rect.y + 1, role: .dim)
        }
        var footer = "\(rows.count) routes   latencies over the last 10 s, max over the run"
        if !state.filter.isEmpty { footer += "  filter: \(state.filter)" }
        b.put(TextLayout.truncate(footer, to: rect.width), x: rect.x, y: rect.y + tableHeight, role: .dim)
        return placements
    }
}
