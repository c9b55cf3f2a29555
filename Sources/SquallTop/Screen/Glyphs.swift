/// The drawing characters the views use: Unicode by default, plain ASCII for terminals without it.
public struct Glyphs: Sendable, Equatable {
    /// Sparkline levels, lowest first.
    public var levels: [Character]
    /// A full bar cell.
    public var full: Character
    /// An empty bar cell.
    public var empty: Character
    /// Box corners and lines.
    public var topLeft: Character
    /// Box corner.
    public var topRight: Character
    /// Box corner.
    public var bottomLeft: Character
    /// Box corner.
    public var bottomRight: Character
    /// Box line.
    public var horizontal: Character
    /// Box line.
    public var vertical: Character
    /// Marks a cut text.
    public var ellipsis: String
    /// Sort markers.
    public var ascending: Character
    /// Sort marker.
    public var descending: Character
    /// Separator in the header.
    public var separator: String
    /// Frame directions.
    public var incoming: Character
    /// Frame direction.
    public var outgoing: Character

    /// Block elements and box drawing.
    public static let unicode = Glyphs(
        levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        full: "█",
        empty: "·",
        topLeft: "┌",
        topRight: "┐",
        bottomLeft: "└",
        bottomRight: "┘",
        horizontal: "─",
        vertical: "│",
        ellipsis: "…",
        ascending: "▲",
        descending: "▼",
        separator: " │ ",
        incoming: "←",
        outgoing: "→"
    )

    /// Plain ASCII, for terminals or fonts without Unicode.
    public static let ascii = Glyphs(
        levels: ["_", ".", "-", "-", "=", "=", "#", "#"],
        full: "#",
        empty: ".",
        topLeft: "+",
        topRight: "+",
        bottomLeft: "+",
        bottomRight: "+",
        horizontal: "-",
        vertical: "|",
        ellipsis: "~",
        ascending: "^",
        descending: "v",
        separator: " | ",
        incoming: "<",
        outgoing: ">"
    )

    /// A sparkline of `values` scaled to `ceiling` (or to their own maximum), at most `width` columns of
    /// the most recent values.
    public func sparkline(_ values: [Double], width: Int, ceiling: Double? = nil) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let top = max(ceiling ?? 0, shown.max() ?? 0)
        var s = ""
        for v in shown {
            guard top > 0, v.isFinite, v > 0 else {
                s.append(levels[0])
                continue
            }
            let i = Int((min(v, top) / top) * Double(levels.count - 1) + 0.5)
            s.append(levels[max(0, min(levels.count - 1, i))])
        }
        return s
    }

    /// A horizontal bar of `width` cells filled to `fraction` (0…1).
    public func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? max(0, min(1, fraction)) : 0
        let filled = Int((f * Double(width)).rounded(.up))
        return String(repeating: full, count: filled) + String(repeating: empty, count: width - filled)
    }
}
