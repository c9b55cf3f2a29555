public import SquallMonitorProtocol

/// The Logs screen: the live tail of the request and application log, with follow, scroll back and filter.
public enum LogsView {
    /// Draws the screen into `rect`.
    public static func draw(into b: inout ScreenBuffer, rect: Rect, model: DashboardModel) {
        guard rect.height >= 2 else { return }
        let lines = model.logLines()
        let rows = rect.height - 1
        let end = max(0, lines.count - model.logScrollBack)
        let start = max(0, end - rows)
        for (i, line) in lines[start..<end].enumerated() {
            draw(line, into: &b, x: rect.x, y: rect.y + i, width: rect.width, glyphs: model.glyphs)
        }
        if lines.isEmpty {
            b.put(
                model.logFilter.isEmpty ? "no log lines yet" : "no line matches '\(model.logFilter)'",
                x: rect.x + 1,
                y: rect.y,
                role: .dim
            )
        }
        var footer = model.logFollow ? "following" : "paused, \(model.logScrollBack) newer below (end: follow)"
        footer += "   \(lines.count) lines"
        if !model.logFilter.isEmpty { footer += "   filter: \(model.logFilter)" }
        let lost = model.logsDropped
        let y = rect.y + rect.height - 1
        b.fill(x: rect.x, y: y, width: rect.width, height: 1, role: .background)
        let x = b.put(TextLayout.truncate(footer, to: rect.width), x: rect.x, y: y, role: .dim)
        if lost > 0 || model.logs.missing > 0 {
            b.put(
                "   dropped by server: \(lost)  missing: \(model.logs.missing)",
                x: rect.x + x,
                y: y,
                role: .warning,
                maxWidth: rect.width - x
            )
        }
    }

    static func draw(_ line: LogLine, into b: inout ScreenBuffer, x: Int, y: Int, width: Int, glyphs: Glyphs) {
        switch line {
        case .gap(let n):
            b.put(
                TextLayout.truncate(
                    "-- \(n) line\(n == 1 ? "" : "s") lost (the server dropped them for this client) --",
                    to: width
                ),
                x: x,
                y: y,
                role: .warning
            )
        case .restart:
            b.put(TextLayout.truncate("-- the server restarted --", to: width), x: x, y: y, role: .warning)
        case .entry(let e):
            let role = role(for: e)
            var cx = x + b.put(Format.clock(e.time) + " ", x: x, y: y, role: .dim)
            let level = TextLayout.fit(
                e.kind == .request ? "REQ" : e.kind == .audit ? "AUDT" : abbreviation(e.level),
                4
            )
            cx += b.put(level + " ", x: cx, y: y, role: role)
            b.put(
                TextLayout.truncate(e.message, to: max(0, x + width - cx), ellipsis: glyphs.ellipsis),
                x: cx,
                y: y,
                role: role
            )
        }
    }

    static func abbreviation(_ level: String) -> String {
        switch level.lowercased() {
        case "trace": "TRCE"
        case "debug": "DBG"
        case "info": "INFO"
        case "notice": "NOTE"
        case "warning": "WARN"
        case "error": "ERR"
        case "critical": "CRIT"
        default: level.uppercased()
        }
    }

    /// The role of a log entry: by status for requests, by level for the rest.
    public static func role(for e: LogEntry) -> Role {
        if let s = e.status {
            return s >= 500 ? .logError : s >= 400 ? .logWarning : .logInfo
        }
        switch e.level.lowercased() {
        case "trace", "debug": return .logDebug
        case "warning": return .logWarning
        case "error", "critical": return .logError
        default: return .logInfo
        }
    }
}
