/// A key press or mouse action, decoded from the terminal into something the model understands.
public enum Key: Sendable, Equatable {
    /// A printable character.
    case character(Character)
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Arrow left.
    case left
    /// Arrow right.
    case right
    /// Page up.
    case pageUp
    /// Page down.
    case pageDown
    /// Home.
    case home
    /// End.
    case end
    /// Enter / Return.
    case enter
    /// Escape.
    case escape
    /// Tab.
    case tab
    /// Shift-Tab.
    case backTab
    /// Backspace.
    case backspace
    /// Ctrl-C (or SIGINT).
    case interrupt
    /// The terminal changed size.
    case resize
}

/// A mouse action already mapped to what it hit on screen (see ``DashboardRenderer/hitTest(x:y:model:)``).
public enum MouseAction: Sendable, Equatable {
    /// A click on a tab's title.
    case selectTab(Tab)
    /// A click on a table row (an absolute row index).
    case selectRow(Int)
    /// A click on a column title (sort by it; again to reverse).
    case sortColumn(Int)
    /// The wheel, in rows (negative: up).
    case scroll(Int)
}
