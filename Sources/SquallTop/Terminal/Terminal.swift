import CNcursesw
import Foundation

/// The ncursesw screen: copies a ``ScreenBuffer`` to the terminal with the theme's colours, and reads keys
/// and mouse events. Only this type talks to curses.
///
/// Colours degrade to what the terminal reports (`COLORS`: direct colour with a `-direct` terminfo such as
/// `TERM=xterm-direct`, else 256, 16 or 8); `NO_COLOR` or a terminal without colours uses the attributes of
/// the monochrome theme. Use from one thread only.
final class Terminal {
    /// The colour depth in use.
    let depth: ColorDepth
    /// Whether the locale can show Unicode.
    let unicode: Bool
    private var styles: [Role: (pair: Int32, bold: Bool, underline: Bool, reverse: Bool, dim: Bool)] = [:]
    private var active = false
    private var scratch: [wchar_t] = []
    /// Whether the terminal went away (hung up: its window closed, its tmux server killed): reads then return
    /// at once, so the input loop must stop instead of spinning.
    private(set) var hungUp = false

    /// Takes over the terminal.
    init(theme: Theme, environment: [String: String] = ProcessInfo.processInfo.environment) {
        setlocale(LC_ALL, "")
        unicode = squall_locale_is_utf8() != 0
        squall_install_signal_handlers()
        initscr()
        squall_set_curses_active(1)
        active = true
        squall_setup_input()
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if !noColor, has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth(colors: Int(squall_colors()))
        } else {
            depth = .none
        }
        let effective = depth == .none ? Theme.monochrome : theme
        for (i, role) in Role.allCases.enumerated() {
            let s = effective.style(for: role)
            var pair: Int32 = 0
            if depth != .none {
                pair = Int32(i + 1)
                let fg = depth.terminalColor(s.foreground ?? .terminalDefault)
                let bg = depth.terminalColor(s.background ?? .terminalDefault)
                if init_extended_pair(pair, Int32(fg), Int32(bg)) != OK { pair = 0 }
            }
            styles[role] = (pair, s.bold, s.underline, s.reverse, s.dim)
        }
    }

    deinit { restore() }

    /// The terminal's size, in columns and rows.
    var size: (width: Int, height: Int) {
        var h: Int32 = 0
        var w: Int32 = 0
        squall_size(&h, &w)
        return (Int(w), Int(h))
    }

    /// Draws `buffer` (which should have the terminal's size) and shows it.
    func draw(_ buffer: ScreenBuffer) {
        squall_erase()
        for y in 0..<buffer.height {
            var x = 0
            while x < buffer.width {
                // One curses call per run of cells with the same role.
                let role = buffer[x, y].role
                let start = x
                scratch.removeAll(keepingCapacity: true)
                while x < buffer.width, buffer[x, y].role == role {
                    let cell = buffer[x, y]
                    if !cell.isContinuation {
                        for scalar in cell.character.unicodeScalars {
                            scratch.append(wchar_t(bitPattern: scalar.value))
                        }
                    }
                    x += 1
                }
                let s = styles[role] ?? (0, false, false, false, false)
                squall_set_style(s.pair, s.bold ? 1 : 0, s.underline ? 1 : 0, s.reverse ? 1 : 0, s.dim ? 1 : 0)
                scratch.append(0)
                _ = scratch.withUnsafeBufferPointer { p in
                    squall_mvaddnwstr(Int32(y), Int32(start), p.baseAddress, Int32(p.count - 1))
                }
            }
        }
        refresh()
    }

    /// Waits up to `timeoutMilliseconds` for input and returns it, or `nil`.
    func read(timeoutMilliseconds: Int) -> TerminalEvent? {
        squall_timeout(Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let r = squall_get_wch(&ch)
        if r == KEY_CODE_YES {
            return keyCode(Int32(ch))
        }
        guard r == OK else {
            // A timeout, or end of input: a hung-up terminal answers every read at once with nothing, and
            // no SIGHUP comes when it is ignored (nohup) or not this process's controlling terminal.
            if isatty(STDIN_FILENO) == 0 { hungUp = true }
            return nil
        }
        switch ch {
        case 3: return .key(.interrupt)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    private func keyCode(_ code: Int32) -> TerminalEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE: return .key(.resize)
        case KEY_MOUSE:
            var x: Int32 = 0
            var y: Int32 = 0
            switch squall_get_mouse(&x, &y) {
            case 1: return .mouse(x: Int(x), y: Int(y), button: .left)
            case 4: return .mouse(x: Int(x), y: Int(y), button: .wheelUp)
            case 5: return .mouse(x: Int(x), y: Int(y), button: .wheelDown)
            default: return nil
            }
        default: return nil
        }
    }

    /// The quit signal received since the last call (SIGINT, SIGTERM, SIGHUP), or 0.
    func takeSignal() -> Int32 {
        squall_take_signal()
    }

    /// Gives the terminal back (idempotent).
    func restore() {
        guard active else { return }
        active = false
        endwin()
        squall_set_curses_active(0)
        squall_restore_signal_handlers()
    }
}
