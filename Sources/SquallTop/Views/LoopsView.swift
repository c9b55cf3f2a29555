import SquallMonitorProtocol

/// The Loops screen: one line per event loop with lag figures and history, then a larger graph of the
/// selected loop's lag.
public enum LoopsView {
    /// Draws the screen into `rect`.
    public static func draw(into b: inout ScreenBuffer, rect: Rect, model: DashboardModel) {
        let loops = model.loopRows()
        let th = model.options.thresholds
        var state = model.loopsTable
        let selected = state.resolve(ids: loops.map(\.index))
        let listHeight = min(rect.height / 2, loops.count + 1)
        guard rect.height >= 3 else { return }
        b.fill(x: rect.x, y: rect.y, width: rect.width, height: 1, role: .tableHeader)
        let fixed = "LOOP  CONNS    NOW    P99    MAX  "
        b.put(fixed + "HISTORY (1 s per column)", x: rect.x, y: rect.y, role: .tableHeader)
        let routeWidth = rect.width >= 120 ? 30 : 0
        if routeWidth > 0 { b.put("WORST ROUTE", x: rect.x + rect.width - routeWidth, y: rect.y, role: .tableHeader) }
        let histWidth = max(0, rect.width - fixed.count - routeWidth - 1)
        state.keepVisible(selected ?? 0, visibleRows: listHeight - 1, count: loops.count)
        for line in 0..<max(0, listHeight - 1) {
            let i = state.scroll + line
            guard i < loops.count else { break }
            let l = loops[i]
            let y = rect.y + 1 + line
            let isSelected = i == selected
            b.fill(x: rect.x, y: y, width: rect.width, height: 1, role: isSelected ? .selected : .text)
            var x = rect.x
            x += b.put(
                TextLayout.fit("\(l.index)", 4, alignRight: true) + "  "
                    + TextLayout.fit("\(l.connections)", 5, alignRight: true) + "  ",
                x: x,
                y: y,
                role: isSelected ? .selected : .text
            )
            for v in [l.current, l.p99, l.max] {
                x += b.put(
                    TextLayout.fit(Format.duration(v), 5, alignRight: true) + "  ",
                    x: x,
                    y: y,
                    role: isSelected ? .selected : th.role(forLag: v)
                )
            }
            b.put(
                model.glyphs.sparkline(l.history, width: histWidth, ceiling: th.loopLagCritical),
                x: x,
                y: y,
                role: isSelected ? .selected : .sparkline
            )
            if routeWidth > 0 {
                b.put(
                    TextLayout.truncate(l.worstRoute ?? "-", to: routeWidth),
                    x: rect.x + rect.width - routeWidth,
                    y: y,
                    role: isSelected ? .selected : .dim
                )
            }
        }
        if loops.isEmpty {
            b.put(
                model.snapshot == nil ? "waiting for data" : "no loop figures",
                x: rect.x + 1,
                y: rect.y + 1,
                role: .dim
            )
            return
        }
        guard let sel = selected else { return }
        let graphRect = Rect(x: rect.x, y: rect.y + listHeight, width: rect.width, height: rect.height - listHeight)
        drawGraph(into: &b, rect: graphRect, loop: loops[sel], model: model)
    }

    private static func drawGraph(into b: inout ScreenBuffer, rect: Rect, loop: LoopStats, model: DashboardModel) {
        guard rect.height >= 4, rect.width >= 20 else { return }
        let g = model.glyphs
        let th = model.options.thresholds
        b.box(x: rect.x, y: rect.y, width: rect.width, height: rect.height, glyphs: g)
        var title =
            " loop \(loop.index) lag: now \(Format.duration(loop.current)), p99 \(Format.duration(loop.p99)), max \(Format.duration(loop.max)) "
        if let r = loop.worstRoute { title += "during \(r) " }
        b.put(TextLayout.truncate(title, to: rect.width - 4), x: rect.x + 2, y: rect.y, role: .dialogTitle)
        let axis = 7
        let plotW = rect.width - 2 - axis
        let plotH = rect.height - 2
        let values = Array(loop.history.suffix(plotW))
        let top = max(values.max() ?? 0, th.loopLagWarning)
        b.put(
            TextLayout.fit(Format.duration(top), axis - 1, alignRight: true),
            x: rect.x + 1,
            y: rect.y + 1,
            role: .dim
        )
        b.put(TextLayout.fit("0", axis - 1, alignRight: true), x: rect.x + 1, y: rect.y + plotH, role: .dim)
        let levels = g.levels.count
        for (i, v) in values.enumerated() {
            let x = rect.x + 1 + axis + i
            let eighths = Int((max(0, v) / top * Double(plotH * levels)).rounded())
            let role = th.role(forLag: v) == .ok ? Role.graph : th.role(forLag: v)
            for row in 0..<plotH {
                let filled = eighths - row * levels
                guard filled > 0 else { break }
                let glyph = filled >= levels ? g.full : g.levels[filled - 1]
                b.put(String(glyph), x: x, y: rect.y + plotH - row, role: role)
            }
        }
    }
}
