/// One terminal cell of a ``ScreenBuffer``: a character and the role it is drawn with.
public struct Cell: Sendable, Equatable {
    /// The character shown (a blank for empty cells; the lead cell of a wide character holds it).
    public var character: Character
    /// How the cell is styled.
    public var role: Role
    /// Whether this cell is the right half of a wide character drawn in the cell to its left.
    public var isContinuation: Bool

    /// Creates a cell.
    public init(_ character: Character = " ", role: Role = .background, isContinuation: Bool = false) {
        self.character = character
        self.role = role
        self.isContinuation = isContinuation
    }
}
