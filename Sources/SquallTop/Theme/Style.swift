/// How one ``Role`` looks: colours (each optional, to inherit) and attributes.
public struct Style: Sendable, Equatable, Hashable {
    /// Foreground colour; `nil` uses the `text` role's.
    public var foreground: ThemeColor?
    /// Background colour; `nil` uses the `background` role's.
    public var background: ThemeColor?
    /// Bold text.
    public var bold: Bool
    /// Underlined text.
    public var underline: Bool
    /// Foreground and background swapped.
    public var reverse: Bool
    /// Dim (faint) text.
    public var dim: Bool

    /// Creates a style.
    public init(
        foreground: ThemeColor? = nil,
        background: ThemeColor? = nil,
        bold: Bool = false,
        underline: Bool = false,
        reverse: Bool = false,
        dim: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }
}
