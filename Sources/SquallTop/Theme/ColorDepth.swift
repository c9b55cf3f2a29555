/// How many colours the terminal can show, and how theme colours degrade to fit.
public enum ColorDepth: Sendable, Equatable {
    /// No colours (NO_COLOR, monochrome terminals): attributes only.
    case none
    /// The 8 basic colours.
    case basic8
    /// 16 colours (basic plus bright).
    case ansi16
    /// The xterm 256-colour palette.
    case palette256
    /// 24-bit direct colour.
    case trueColor

    /// The depth for a terminal reporting `colors` colours (ncurses' `COLORS`).
    public init(colors: Int) {
        switch colors {
        case ..<8: self = .none
        case 8..<16: self = .basic8
        case 16..<256: self = .ansi16
        case 256..<0x1000000: self = .palette256
        default: self = .trueColor
        }
    }

    /// The colour number to hand the terminal for `color` at this depth: a palette index, a packed
    /// `0xRRGGBB` for direct colour, or -1 for the terminal default.
    public func terminalColor(_ color: ThemeColor) -> Int {
        switch (self, color) {
        case (.none, _), (_, .terminalDefault): return -1
        case (.trueColor, _):
            guard let (r, g, b) = color.rgbValue else { return -1 }
            return (r << 16) | (g << 8) | b
        case (.palette256, .palette(let n)): return n
        case (.palette256, .rgb(let r, let g, let b)): return ColorDepth.nearest256(Int(r), Int(g), Int(b))
        case (.ansi16, .palette(let n)) where n < 16: return n
        case (.basic8, .palette(let n)) where n < 8: return n
        case (.basic8, .palette(let n)) where n < 16: return n - 8
        default:
            guard let (r, g, b) = color.rgbValue else { return -1 }
            return ColorDepth.nearestBasic(r, g, b, count: self == .basic8 ? 8 : 16)
        }
    }

    /// xterm's RGB value of palette entry `n`.
    public static func xtermRGB(_ n: Int) -> (r: Int, g: Int, b: Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        let i = max(0, min(255, n))
        if i < 16 { return basic[i] }
        if i >= 232 {
            let v = 8 + (i - 232) * 10
            return (v, v, v)
        }
        let c = i - 16
        let level = { (x: Int) -> Int in x == 0 ? 0 : 55 + x * 40 }
        return (level(c / 36), level((c / 6) % 6), level(c % 6))
    }

    /// The closest entry 16…255 of the xterm palette.
    public static func nearest256(_ r: Int, _ g: Int, _ b: Int) -> Int {
        var best = 16
        var bestDistance = Int.max
        for i in 16..<256 {
            let d = distance(xtermRGB(i), (r, g, b))
            if d < bestDistance {
                bestDistance = d
                best = i
            }
        }
        return best
    }

    /// The closest of the first `count` (8 or 16) palette entries.
    public static func nearestBasic(_ r: Int, _ g: Int, _ b: Int, count: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for i in 0..<count {
            let d = distance(xtermRGB(i), (r, g, b))
            if d < bestDistance {
                bestDistance = d
                best = i
            }
        }
        return best
    }

    private static func distance(_ a: (r: Int, g: Int, b: Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.r - b.0
        let dg = a.g - b.1
        let db = a.b - b.2
        // Weighted toward green, as the eye is.
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }
}
