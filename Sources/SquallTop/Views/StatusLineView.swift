import SquallMonitorProtocol

/// The bottom line: a prompt being typed, the last command's result, or key hints.
public enum StatusLineView {
    /// Draws the status line on row `y`.
    public static func draw(into b: inout ScreenBuffer, y: Int, width: Int, model: DashboardModel) {
        if let p = model.prompt {
            b.fill(x: 0, y: y, width: width, height: 1, role: .prompt)
            let label = p.label
            let x = b.put(label, x: 0, y: y, role: .prompt)
            // Show the end of long input.
            let room = max(1, width - x - 1)
            let text = TextLayout.width(of: p.text) > room ? String(p.text.suffix(room)) : p.text
            b.put(text + "_", x: x, y: y, role: .prompt)
            return
        }
        if let s = model.status {
            b.fill(x: 0, y: y, width: width, height: 1, role: s.isError ? .statusError : .status)
            b.put(
                TextLayout.truncate(s.text, to: width, ellipsis: model.glyphs.ellipsis),
                x: 0,
                y: y,
                role: s.isError ? .statusError : .status
            )
            return
        }
        b.fill(x: 0, y: y, width: width, height: 1, role: .status)
        var hints: [(String, String)]
        switch model.tab {
        case .connections:
            hints = [
                ("↑↓", "select"), ("enter", "detail"), ("/", "filter"), ("s", "sort"), ("k", "kill"),
                ("K", "kill slow"),
            ]
        case .webSockets:
            hints = [("↑↓", "select"), ("enter", "frames"), ("c", "close"), ("k", "kill"), ("/", "filter")]
        case .handlers: hints = [("↑↓", "select"), ("s", "sort"), ("r", "reverse"), ("/", "filter")]
        case .loops: hints = [("↑↓", "select loop")]
        case .logs: hints = [("↑↓", "scroll"), ("end", "follow"), ("/", "filter")]
        case .warnings: hints = [("↑↓", "select"), ("enter", "go to connection")]
        }
        hints += [("space", "freeze"), ("L", "log level"), ("P", "pause")]
        var x = 1
        for (key, what) in hints {
            let k = model.options.asciiGlyphs ? key.replacingOccurrences("↑↓", "up/dn") : key
            let need = TextLayout.width(of: k) + TextLayout.width(of: what) + 3
            if x + need > width { break }
            x += b.put(k, x: x, y: y, role: .key)
            x += b.put(" " + what + "  ", x: x, y: y, role: .status)
        }
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        self == a ? b : self
    }
}
