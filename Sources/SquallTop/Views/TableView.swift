import SquallMonitorProtocol

/// Draws a table: a title row with sort marker, then rows, with the selected row highlighted.
public enum TableView {
    /// Where each shown column went.
    public struct Placement: Sendable, Equatable {
        /// The column's index in the table's column list.
        public var index: Int
        /// Its left edge.
        public var x: Int
        /// Its width.
        public var width: Int
    }

    /// Chooses which columns fit in `width`: drops columns in `dropOrder` until they fit, and gives the
    /// flexible column the rest.
    public static func layout<Row>(_ columns: [Column<Row>], width: Int, x: Int = 0, dropOrder: [Int] = [])
        -> [Placement]
    {
        var shown = Array(columns.indices)
        func needed() -> Int { shown.reduce(0) { $0 + columns[$1].width } + max(0, shown.count - 1) }
        var drops = dropOrder
        while needed() > width {
            if let d = drops.first {
                drops.removeFirst()
                shown.removeAll { $0 == d }
            } else if shown.count > 1 {
                // Nothing left to drop by choice: drop from the right.
                shown.removeLast()
            } else {
                break
            }
        }
        let extra = max(0, width - needed())
        var placements: [Placement] = []
        var cx = x
        let flexible = shown.first { columns[$0].flexible }
        for i in shown {
            var w = columns[i].width
            if i == flexible || (flexible == nil && i == shown.last) { w += extra }
            placements.append(Placement(index: i, x: cx, width: min(w, max(0, x + width - cx))))
            cx += w + 1
        }
        return placements
    }

    /// Draws the title row and the rows from `scroll`; returns the placements for hit testing.
    @discardableResult
    public static func draw<Row>(
        into buffer: inout ScreenBuffer,
        rect: Rect,
        columns: [Column<Row>],
        rows: [Row],
        state: TableState,
        selected: Int?,
        glyphs: Glyphs,
        dropOrder: [Int] = [],
        rowRole: (Row) -> Role = { _ in .text },
        cellRole: (Row, Int) -> Role? = { _, _ in nil }
    ) -> [Placement] {
        guard rect.height > 0, rect.width > 0 else { return [] }
        let placements = layout(columns, width: rect.width, x: rect.x, dropOrder: dropOrder)
        buffer.fill(x: rect.x, y: rect.y, width: rect.width, height: 1, role: .tableHeader)
        for p in placements {
            let sorted = p.index == state.sortColumn
            var title = columns[p.index].title
            if sorted { title += String(state.descending ? glyphs.descending : glyphs.ascending) }
            let text = TextLayout.fit(
                title,
                p.width,
                alignRight: columns[p.index].alignRight,
                ellipsis: glyphs.ellipsis
            )
            buffer.put(text, x: p.x, y: rect.y, role: sorted ? .tableHeaderSorted : .tableHeader)
        }
        let bodyRows = rect.height - 1
        guard bodyRows > 0 else { return placements }
        for line in 0..<bodyRows {
            let i = state.scroll + line
            guard i < rows.count else { break }
            let y = rect.y + 1 + line
            let row = rows[i]
            let base = i == selected ? Role.selected : rowRole(row)
            buffer.fill(x: rect.x, y: y, width: rect.width, height: 1, role: base)
            for p in placements {
                let column = columns[p.index]
                let role = i == selected ? base : (cellRole(row, p.index) ?? base)
                let text = TextLayout.fit(
                    column.value(row),
                    p.width,
                    alignRight: column.alignRight,
                    ellipsis: glyphs.ellipsis
                )
                buffer.put(text, x: p.x, y: y, role: role)
            }
        }
        return placements
    }
}
