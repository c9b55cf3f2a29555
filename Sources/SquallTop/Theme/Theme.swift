/// A set of styles, one per ``Role``: what the dashboard looks like.
///
/// Themes are read from `.theme` files (see ``ThemeParser`` and Themes/README.md); roles a file leaves out
/// inherit the built-in ``Theme/defaultDark`` style.
public struct Theme: Sendable, Equatable {
    /// The theme's display name.
    public var name: String
    /// The style of each role.
    public var styles: [Role: Style]

    /// Creates a theme; roles missing from `styles` take ``defaultDark``'s.
    public init(name: String, styles: [Role: Style]) {
        self.name = name
        var all = Theme.defaultStyles
        for (role, style) in styles { all[role] = style }
        self.styles = all
    }

    /// The style of `role` with inherited colours filled in: a missing foreground comes from `text`, a
    /// missing background from `background`.
    public func style(for role: Role) -> Style {
        var s = styles[role] ?? Style()
        let text = styles[.text] ?? Style()
        let background = styles[.background] ?? Style()
        if s.foreground == nil { s.foreground = text.foreground ?? .terminalDefault }
        if s.background == nil { s.background = background.background ?? .terminalDefault }
        return s
    }

    /// The built-in dark theme, the same as Themes/default.theme; used when no theme file loads.
    public static let defaultDark = Theme(name: "default", styles: [:])

    /// The built-in attributes-only theme used when colours are off (NO_COLOR, monochrome terminals).
    public static let monochrome = Theme(
        name: "monochrome",
        styles: Dictionary(
            uniqueKeysWithValues: Role.allCases.map { role in
                (role, Theme.monochromeStyle(role))
            }
        )
    )

    private static func monochromeStyle(_ role: Role) -> Style {
        let d = ThemeColor.terminalDefault
        switch role {
        case .title, .headerValue, .tableHeaderSorted, .dialogTitle, .key, .critical, .logError:
            return Style(foreground: d, background: d, bold: true)
        case .tabActive, .selected, .frozen, .prompt:
            return Style(foreground: d, background: d, reverse: true)
        case .tableHeader, .warning, .logWarning:
            return Style(foreground: d, background: d, underline: true)
        case .dim, .closed, .logDebug, .border:
            return Style(foreground: d, background: d, dim: true)
        case .statusError:
            return Style(foreground: d, background: d, bold: true, reverse: true)
        default:
            return Style(foreground: d, background: d)
        }
    }

    static let defaultStyles: [Role: Style] = {
        func hex(_ v: UInt32) -> ThemeColor { .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)) }
        let bg = hex(0x1c1c1c)
        let text = hex(0xd0d0d0)
        var s: [Role: Style] = [:]
        s[.background] = Style(foreground: text, background: bg)
        s[.text] = Style(foreground: text)
        s[.dim] = Style(foreground: hex(0x808080))
        s[.border] = Style(foreground: hex(0x4e4e4e))
        s[.title] = Style(foreground: hex(0x87d7ff), bold: true)
        s[.headerLabel] = Style(foreground: hex(0x8a8a8a))
        s[.headerValue] = Style(foreground: hex(0xffffff), bold: true)
        s[.tab] = Style(foreground: hex(0xa8a8a8), background: hex(0x303030))
        s[.tabActive] = Style(foreground: hex(0x1c1c1c), background: hex(0x87d7ff), bold: true)
        s[.tableHeader] = Style(foreground: hex(0xbcbcbc), background: hex(0x303030), bold: true)
        s[.tableHeaderSorted] = Style(foreground: hex(0x87d7ff), background: hex(0x303030), bold: true, underline: true)
        s[.selected] = Style(foreground: hex(0xffffff), background: hex(0x005f87), bold: true)
        s[.closed] = Style(foreground: hex(0x626262), dim: true)
        s[.ok] = Style(foreground: hex(0x87d75f))
        s[.warning] = Style(foreground: hex(0xffaf00), bold: true)
        s[.critical] = Style(foreground: hex(0xff5f5f), bold: true)
        s[.sparkline] = Style(foreground: hex(0x5fafd7))
        s[.graph] = Style(foreground: hex(0x5fd7af))
        s[.logDebug] = Style(foreground: hex(0x808080))
        s[.logInfo] = Style(foreground: text)
        s[.logWarning] = Style(foreground: hex(0xffaf00))
        s[.logError] = Style(foreground: hex(0xff5f5f), bold: true)
        s[.status] = Style(foreground: hex(0xbcbcbc), background: hex(0x303030))
        s[.statusError] = Style(foreground: hex(0xffffff), background: hex(0xaf0000), bold: true)
        s[.prompt] = Style(foreground: hex(0xffffff), background: hex(0x3a3a3a), bold: true)
        s[.dialog] = Style(foreground: hex(0xe4e4e4), background: hex(0x262626))
        s[.dialogTitle] = Style(foreground: hex(0xffaf00), background: hex(0x262626), bold: true)
        s[.key] = Style(foreground: hex(0x87d7ff), bold: true)
        s[.frozen] = Style(foreground: hex(0x1c1c1c), background: hex(0xffaf00), bold: true)
        return s
    }()
}
