/// A colour in a theme: the terminal's default, an index into the terminal palette, or a 24-bit RGB value.
public enum ThemeColor: Sendable, Equatable, Hashable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// A palette index 0…255 (0–7 the basic colours, 8–15 their bright forms, 16–255 the xterm cube).
    case palette(Int)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// The names a theme file may use for palette colours 0–15.
    public static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses `#rrggbb`, `#rgb`, a palette index `0`…`255`, a colour name, or `default`; `nil` if none.
    public init?(parsing token: String) {
        let t = token.lowercased()
        if t == "default" || t == "none" {
            self = .terminalDefault
        } else if t.hasPrefix("#") {
            let hex = Array(t.dropFirst())
            let digits = hex.count == 3 ? hex.flatMap { [$0, $0] } : hex
            guard digits.count == 6, let v = UInt32(String(digits), radix: 16) else { return nil }
            self = .rgb(UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
        } else if let n = Int(t) {
            guard (0...255).contains(n) else { return nil }
            self = .palette(n)
        } else if let n = ThemeColor.names[t] {
            self = .palette(n)
        } else {
            return nil
        }
    }

    /// The colour's RGB value (palette entries use xterm's standard values), or `nil` for the default.
    public var rgbValue: (r: Int, g: Int, b: Int)? {
        switch self {
        case .terminalDefault: return nil
        case .rgb(let r, let g, let b): return (Int(r), Int(g), Int(b))
        case .palette(let n): return ColorDepth.xtermRGB(n)
        }
    }
}
