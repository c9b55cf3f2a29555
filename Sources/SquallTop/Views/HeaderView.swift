import SquallMonitorProtocol

/// The three header lines on every screen: who the server is, its figures, and per-loop lag.
public enum HeaderView {
    /// The header's height in rows.
    public static let height = 3

    /// Draws the header across the top of `rect`.
    public static func draw(into b: inout ScreenBuffer, rect: Rect, model: DashboardModel, now: Double) {
        b.fill(x: rect.x, y: rect.y, width: rect.width, height: height, role: .background)
        drawTitle(into: &b, rect: rect, model: model, now: now)
        drawFigures(into: &b, x: rect.x, y: rect.y + 1, width: rect.width, model: model)
        drawLoops(into: &b, x: rect.x, y: rect.y + 2, width: rect.width, model: model)
    }

    private static func drawTitle(into b: inout ScreenBuffer, rect: Rect, model: DashboardModel, now: Double) {
        let g = model.glyphs
        var badge = ""
        var badgeRole = Role.frozen
        switch model.link {
        case .connecting:
            badge = " connecting… "
            badgeRole = .warning
        case .connected:
            break
        case .retrying(let reason, let attempt, let retryAt):
            let wait = max(0, retryAt - now)
            badge =
                " disconnected, retrying in \(Format.duration(wait).replacingZeroFraction) (attempt \(attempt)): \(reason) "
            badgeRole = .critical
        case .failed(let reason):
            badge = " \(reason) "
            badgeRole = .critical
        }
        if model.frozen {
            badge = " FROZEN \(Format.duration(model.staleness(now: now))) old " + (badge.isEmpty ? "" : "|" + badge)
            badgeRole = model.link == .connected ? .frozen : .critical
        }
        var title = "squall-top"
        if let s = model.hello?.server {
            let uptime = model.snapshot?.process.uptime ?? max(0, now - s.startedAt)
            title =
                "\(s.program) pid \(s.pid)\(g.separator)up \(Format.duration(uptime))\(g.separator)squall \(s.version)"
            if let a = s.addresses.first { title += "\(g.separator)\(a)" }
            if model.isReadOnly { title += "\(g.separator)read-only" }
        }
        let badgeWidth = min(rect.width, TextLayout.width(of: badge))
        let titleWidth = max(0, rect.width - badgeWidth - (badgeWidth > 0 ? 1 : 0))
        b.put(TextLayout.truncate(title, to: titleWidth, ellipsis: g.ellipsis), x: rect.x, y: rect.y, role: .title)
        if badgeWidth > 0 {
            b.put(
                TextLayout.truncate(badge, to: badgeWidth, ellipsis: g.ellipsis),
                x: rect.x + rect.width - badgeWidth,
                y: rect.y,
                role: badgeRole
            )
        }
    }

    private static func drawFigures(into b: inout ScreenBuffer, x: Int, y: Int, width: Int, model: DashboardModel) {
        guard let s = model.snapshot else {
            b.put("waiting for the first update…", x: x, y: y, role: .dim)
            return
        }
        var cx = x
        let end = x + width
        func item(_ label: String, _ value: String, _ role: Role = .headerValue) {
            let need = TextLayout.width(of: label) + 1 + TextLayout.width(of: value) + 2
            guard cx + need <= end + 2 else { return }
            cx += b.put(label + " ", x: cx, y: y, role: .headerLabel, maxWidth: end - cx)
            cx += b.put(value, x: cx, y: y, role: role, maxWidth: end - cx)
            cx += 2
        }
        let t = s.totals
        item("req/s", Format.rate(t.requestRate))
        if width >= 100 {
            cx -= 1
            cx += b.put(
                model.glyphs.sparkline(model.rateHistory, width: 8),
                x: cx,
                y: y,
                role: .sparkline,
                maxWidth: end - cx
            )
            cx += 2
        }
        item(
            "err",
            Format.percent(t.errorRate),
            t.errorRate >= 0.05 ? .critical : t.errorRate > 0 ? .warning : .headerValue
        )
        item("conns", Format.count(t.openConnections))
        item("ws", Format.count(t.openWebSockets))
        item("active", Format.count(t.activeRequests))
        item("rss", Format.bytes(s.process.rssBytes))
        item("cpu", model.cpu.map { Format.percent($0) } ?? "-")
        if width >= 100 { item("fds", "\(s.process.openFiles)") }
        let critical = model.warnings.contains { $0.severity == .critical }
        item("warn", "\(model.warnings.count)", model.warnings.isEmpty ? .ok : critical ? .critical : .warning)
        if t.acceptingPaused { item("accept", "PAUSED", .critical) }
    }

    private static func drawLoops(into b: inout ScreenBuffer, x: Int, y: Int, width: Int, model: DashboardModel) {
        let loops = model.loopRows()
        guard !loops.isEmpty else { return }
        let th = model.options.thresholds
        var cx = x + b.put("lag", x: x, y: y, role: .headerLabel)
        let end = x + width
        for (n, loop) in loops.enumerated() {
            let value = Format.duration(loop.current)
            let spark = model.glyphs.sparkline(loop.history, width: 5, ceiling: th.loopLagCritical)
            let need = 2 + TextLayout.width(of: "\(loop.index)") + 1 + 5 + 1 + TextLayout.width(of: value)
            let remaining = loops.count - n
            if cx + need > end - (remaining > 1 ? 5 : 0) {
                b.put(" +\(remaining)", x: cx, y: y, role: .dim, maxWidth: end - cx)
                return
            }
            cx += 2
            cx += b.put("\(loop.index)", x: cx, y: y, role: .headerLabel)
            cx += 1
            let role = th.role(forLag: max(loop.current, loop.history.suffix(5).max() ?? 0))
            cx += b.put(spark, x: cx, y: y, role: role)
            cx += 1
            cx += b.put(value, x: cx, y: y, role: th.role(forLag: loop.current))
        }
    }
}

extension String {
    /// `2.0s` reads better as `2s` in a countdown.
    var replacingZeroFraction: String {
        hasSuffix(".0s") ? String(dropLast(3)) + "s" : self
    }
}
