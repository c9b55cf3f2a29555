import SquallMonitorProtocol

/// Boxes drawn over the screen: the help overlay and the dialogs.
public enum OverlayView {
    /// Every key, as the help overlay lists it.
    public static let helpLines: [(String, String)] = [
        ("1-6 tab shift-tab h l", "switch screens"),
        ("up down j ^N ^P", "select (k is kill, not up)"),
        ("pgup pgdn home end g G", "page, first, last (logs: end follows)"),
        ("/", "filter (logs: text status:5xx method:GET route:/x level:error)"),
        ("s > <  r", "sort column next/previous, reverse"),
        ("enter", "detail pane / frame tail / go to connection"),
        ("esc", "close pane, clear filter"),
        ("space f", "freeze / unfreeze the display"),
        ("k", "kill the selected connection"),
        ("K", "kill connections with a request slower than N s"),
        ("c", "close the selected WebSocket with a code"),
        ("L", "set the server's log level"),
        ("P", "pause / resume accepting connections"),
        ("A", "ASCII / Unicode glyphs"),
        ("mouse", "click a tab, a row, a column title; wheel scrolls"),
        ("q ctrl-c", "quit"),
    ]

    /// Draws the help overlay centred in `rect`.
    public static func drawHelp(into b: inout ScreenBuffer, rect: Rect, glyphs: Glyphs) {
        let keyWidth = helpLines.map { TextLayout.width(of: $0.0) }.max() ?? 10
        let w = min(rect.width, 96)
        let h = min(rect.height, helpLines.count + 3)
        let x = rect.x + (rect.width - w) / 2
        let y = rect.y + (rect.height - h) / 2
        b.fill(x: x, y: y, width: w, height: h, role: .dialog)
        b.box(x: x, y: y, width: w, height: h, glyphs: glyphs)
        b.put(" keys (any key closes) ", x: x + 2, y: y, role: .dialogTitle)
        for (i, (key, what)) in helpLines.prefix(h - 3).enumerated() {
            b.put(TextLayout.fit(key, keyWidth), x: x + 2, y: y + 1 + i, role: .key)
            b.put(
                TextLayout.truncate(what, to: max(0, w - keyWidth - 6)),
                x: x + 4 + keyWidth,
                y: y + 1 + i,
                role: .dialog
            )
        }
        if h - 3 < helpLines.count {
            b.put("(\(helpLines.count - (h - 3)) more: enlarge the terminal)", x: x + 2, y: y + h - 2, role: .dim)
        }
    }

    /// The title and lines of a dialog, and its answer hint.
    public static func content(of dialog: Dialog) -> (title: String, lines: [String], answer: String) {
        switch dialog {
        case .killConnection(let r):
            var lines = ["Kill connection \(r.id) from \(r.peer)?"]
            if let c = r.current {
                lines.append("It is serving \(c.method) \(c.path) (running \(Format.duration(c.elapsed))).")
            } else {
                lines.append("It has no request in progress (\(r.state.rawValue), idle \(Format.duration(r.idle))).")
            }
            return ("kill connection", lines, "y: kill   N/enter/esc: no")
        case .killSlow(let seconds, let count):
            return (
                "kill slow requests",
                [
                    "\(count) connection\(count == 1 ? " has a request" : "s have requests") running longer than \(Format.duration(seconds)).",
                    "Kill \(count == 1 ? "it" : "them all")?",
                ],
                "y: kill   N/enter/esc: no"
            )
        case .closeWebSocket(let r, let code):
            return (
                "close WebSocket",
                ["Close WebSocket \(r.id) (\(r.webSocket?.path ?? "?"), \(r.peer)) with code \(code)?"],
                "y: close   N/enter/esc: no"
            )
        case .setLogLevel(let selected):
            let lines = DashboardModel.logLevels.enumerated().map { i, l in (i == selected ? "> " : "  ") + l }
            return ("server log level", lines, "up/down choose   enter: set   esc: cancel")
        case .pauseAccepting(let resume):
            return (
                resume ? "resume accepting" : "pause accepting",
                [resume ? "Accept new connections again?" : "Stop accepting new connections? Open ones continue."],
                "y: yes   N/enter/esc: no"
            )
        case .quitAttached:
            return (
                "quit squall-top",
                [
                    "The server runs in this process.",
                    "Stop the server, or detach and keep serving (logging to a file)?",
                ],
                "s: stop server   d: detach   esc: stay"
            )
        }
    }

    /// Draws a dialog centred in `rect`.
    public static func drawDialog(_ dialog: Dialog, into b: inout ScreenBuffer, rect: Rect, glyphs: Glyphs) {
        let (title, lines, answer) = content(of: dialog)
        let textWidth = (lines + [answer, title]).map { TextLayout.width(of: $0) }.max() ?? 20
        let w = min(rect.width, textWidth + 6)
        let h = min(rect.height, lines.count + 5)
        let x = rect.x + (rect.width - w) / 2
        let y = rect.y + (rect.height - h) / 2
        b.fill(x: x, y: y, width: w, height: h, role: .dialog)
        b.box(x: x, y: y, width: w, height: h, glyphs: glyphs, role: .dialogTitle)
        b.put(" \(title) ", x: x + 2, y: y, role: .dialogTitle)
        for (i, line) in lines.prefix(max(0, h - 4)).enumerated() {
            let role: Role = line.hasPrefix("> ") ? .selected : .dialog
            b.put(TextLayout.truncate(line, to: w - 4), x: x + 2, y: y + 1 + i, role: role)
        }
        b.put(TextLayout.truncate(answer, to: w - 4), x: x + 2, y: y + h - 2, role: .key)
    }
}
