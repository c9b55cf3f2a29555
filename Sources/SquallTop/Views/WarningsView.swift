import SquallMonitorProtocol

/// The Warnings screen: each finding of the checks, and the explanation of the selected one.
public enum WarningsView {
    /// Draws the screen into `rect`.
    public static func draw(into b: inout ScreenBuffer, rect: Rect, model: DashboardModel) {
        let warnings = model.warnings
        var state = model.warningsTable
        let selected = state.resolve(ids: Array(warnings.indices))
        let explainHeight = 5
        let listHeight = max(2, rect.height - explainHeight)
        b.fill(x: rect.x, y: rect.y, width: rect.width, height: 1, role: .tableHeader)
        b.put("SEV   CHECK             SUBJECT                   DETAIL", x: rect.x, y: rect.y, role: .tableHeader)
        if warnings.isEmpty {
            b.put(
                model.snapshot == nil ? "waiting for data" : "all checks pass",
                x: rect.x + 1,
                y: rect.y + 1,
                role: .ok
            )
        }
        state.keepVisible(selected ?? 0, visibleRows: listHeight - 1, count: warnings.count)
        for line in 0..<max(0, listHeight - 1) {
            let i = state.scroll + line
            guard i < warnings.count else { break }
            let w = warnings[i]
            let y = rect.y + 1 + line
            let base: Role = i == selected ? .selected : .text
            b.fill(x: rect.x, y: y, width: rect.width, height: 1, role: base)
            let sev = w.severity == .critical ? "CRIT" : "WARN"
            b.put(
                sev,
                x: rect.x,
                y: y,
                role: i == selected ? .selected : (w.severity == .critical ? .critical : .warning)
            )
            b.put(TextLayout.fit(w.kind.rawValue, 17), x: rect.x + 6, y: y, role: base)
            b.put(TextLayout.fit(w.subject, 25), x: rect.x + 24, y: y, role: base)
            b.put(TextLayout.truncate(w.detail, to: max(0, rect.width - 50)), x: rect.x + 50, y: y, role: base)
        }
        guard let sel = selected, rect.height > listHeight else { return }
        let w = warnings[sel]
        let top = rect.y + listHeight
        b.put(
            TextLayout.truncate("\(w.kind.rawValue): \(w.subject)", to: rect.width),
            x: rect.x,
            y: top,
            role: .dialogTitle
        )
        for (i, line) in wrap(
            w.kind.explanation + (w.connectionID != nil ? " Enter: go to the connection." : ""),
            width: rect.width - 2
        ).prefix(explainHeight - 1).enumerated() {
            b.put(line, x: rect.x + 1, y: top + 1 + i, role: .dim)
        }
    }

    /// Word-wraps `text` to lines of at most `width` columns.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let w = String(word)
            if current.isEmpty {
                current = w
            } else if TextLayout.width(of: current) + 1 + TextLayout.width(of: w) <= width {
                current += " " + w
            } else {
                lines.append(current)
                current = w
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { TextLayout.truncate($0, to: width) }
    }
}
