/// Something the terminal reported.
public enum TerminalEvent: Sendable, Equatable {
    /// A key.
    case key(Key)
    /// A mouse button or wheel at a cell.
    case mouse(x: Int, y: Int, button: MouseButton)
}
