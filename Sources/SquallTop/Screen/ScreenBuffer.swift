import Foundation

/// A grid of styled cells that views draw into; the terminal layer copies it to the screen.
///
/// Coordinates are zero-based columns (`x`) and rows (`y`). Every write is clipped to the buffer, so views
/// can draw without bounds checks. Wide characters take two cells: the lead cell holds the character and the
/// next one is marked ``Cell/isContinuation``.
public struct ScreenBuffer: Sendable, Equatable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// The cells, row by row.
    public private(set) var cells: [Cell]

    /// Creates a buffer filled with blanks of `role`.
    public init(width: Int, height: Int, role: Role = .background) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: Cell(role: role), count: self.width * self.height)
    }

    /// The cell at a position, or a blank background cell outside the buffer.
    public subscript(x: Int, y: Int) -> Cell {
        guard contains(x: x, y: y) else { return Cell() }
        return cells[y * width + x]
    }

    /// Whether a position is inside the buffer.
    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Writes `text` at a position and returns the number of columns it took.
    ///
    /// Stops at the buffer's right edge or after `maxWidth` columns; a wide character that does not fit
    /// whole is drawn as a blank. Control characters are shown as `?`.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for character in text {
            let w = TextLayout.width(of: character)
            if w == 0 { continue }
            if column + w > limit {
                if column < limit, column >= 0 { set(Cell(" ", role: role), x: column, y: y) }
                column = limit
                break
            }
            if column >= 0 {
                let shown: Character = character.isControlLike ? "?" : character
                set(Cell(shown, role: role), x: column, y: y)
                if w == 2 { set(Cell(" ", role: role, isContinuation: true), x: column + 1, y: y) }
            }
            column += w
        }
        return max(0, column - x)
    }

    /// Fills a rectangle with `character` in `role`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, role: Role, character: Character = " ") {
        for row in max(0, y)..<max(max(0, y), min(height, y + h)) {
            for column in max(0, x)..<max(max(0, x), min(width, x + w)) {
                set(Cell(character, role: role), x: column, y: row)
            }
        }
    }

    /// Changes the role of a run of cells on one row, keeping their characters (e.g. to highlight a row).
    public mutating func restyle(x: Int, y: Int, width w: Int, role: Role) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + w)) {
            cells[y * width + column].role = role
        }
    }

    /// Draws a box border with an optional title on its top edge.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, glyphs: Glyphs, role: Role = .border) {
        guard w >= 2, h >= 2 else { return }
        put(String(glyphs.topLeft), x: x, y: y, role: role)
        put(String(glyphs.topRight), x: x + w - 1, y: y, role: role)
        put(String(glyphs.bottomLeft), x: x, y: y + h - 1, role: role)
        put(String(glyphs.bottomRight), x: x + w - 1, y: y + h - 1, role: role)
        let horizontal = String(repeating: glyphs.horizontal, count: w - 2)
        put(horizontal, x: x + 1, y: y, role: role)
        put(horizontal, x: x + 1, y: y + h - 1, role: role)
        for row in (y + 1)..<(y + h - 1) {
            put(String(glyphs.vertical), x: x, y: row, role: role)
            put(String(glyphs.vertical), x: x + w - 1, y: row, role: role)
        }
    }

    /// Replaces every non-ASCII character (from data such as paths and log text, or units like `µs`) so a
    /// terminal without Unicode shows only ASCII; a wide character becomes `??`.
    public mutating func asciify() {
        for i in cells.indices where !cells[i].character.isASCII || cells[i].isContinuation {
            let c = cells[i].character
            cells[i].character = c == "µ" ? "u" : cells[i].isContinuation ? "?" : c == "…" ? "~" : "?"
            cells[i].isContinuation = false
        }
    }

    /// The text of one row (continuation cells skipped, trailing blanks kept).
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width where !cells[y * width + x].isContinuation {
            s.append(cells[y * width + x].character)
        }
        return s
    }

    /// All rows, trailing blanks removed, joined by newlines (what `tmux capture-pane` would show).
    public var text: String {
        (0..<height).map { line($0).trimmingTrailingSpaces() }.joined(separator: "\n")
    }

    /// The column where `needle` starts on row `y`, counted in cells, or `nil`.
    public func column(of needle: String, row y: Int) -> Int? {
        let text = line(y)
        guard let range = text.range(of: needle) else { return nil }
        return TextLayout.width(of: String(text[..<range.lowerBound]))
    }

    /// The first row containing `needle`, or `nil`.
    public func row(containing needle: String) -> Int? {
        (0..<height).first { line($0).contains(needle) }
    }

    private mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard contains(x: x, y: y) else { return }
        let i = y * width + x
        // Overwriting half of a wide character blanks the other half so no orphan halves remain.
        if cells[i].isContinuation, x > 0, !cell.isContinuation {
            cells[i - 1] = Cell(" ", role: cells[i - 1].role)
        }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation, !cell.isContinuation {
            cells[i + 1] = Cell(" ", role: cells[i + 1].role)
        }
        cells[i] = cell
    }
}

extension Character {
    /// C0/C1 controls and other characters a terminal must not receive raw.
    var isControlLike: Bool {
        unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}

extension String {
    /// The string without trailing blanks.
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
