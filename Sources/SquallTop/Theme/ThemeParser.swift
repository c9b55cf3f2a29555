import Foundation

/// Reads the theme file format documented in Themes/README.md.
///
/// ```
/// # comment
/// name = Solarized dark
/// $base03 = #002b36
/// background = #839496 on $base03
/// selected = #fdf6e3 on #268bd2 bold
/// ```
/// Each `role = SPEC` line gives a role a foreground colour, `on` a background colour, and attributes
/// (`bold`, `underline`, `reverse`, `dim`). Colours are `#rrggbb`, `#rgb`, a palette index `0`–`255`, a
/// name (`red`, `bright-blue` …), `default`, or a `$variable` defined earlier. Text after ` # ` is a comment.
public enum ThemeParser {
    /// The largest theme file read, in bytes.
    public static let maxSize = 256 * 1024

    /// Parses theme text; `file` names the source in errors.
    /// - Throws: ``ThemeError`` at the first mistake, with its line.
    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        guard text.utf8.count <= maxSize else {
            throw ThemeError(file: file, line: 0, message: "file is larger than \(maxSize) bytes")
        }
        var name = file.split(separator: "/").last.map { String($0) } ?? file
        if name.hasSuffix(".theme") { name.removeLast(6) }
        var variables: [String: ThemeColor] = [:]
        var styles: [Role: Style] = [:]
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let comment = line.range(of: " # ") { line = line[..<comment.lowerBound] }
            let trimmed = line.trimmed(of: " \t\r")
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("//") { continue }
            func fail(_ message: String) -> ThemeError { ThemeError(file: file, line: lineNumber, message: message) }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw fail("expected 'role = colours and attributes', found '\(trimmed)'")
            }
            let key = trimmed[..<eq].trimmed(of: " \t")
            let value = trimmed[trimmed.index(after: eq)...].trimmed(of: " \t")
            if key == "name" {
                guard !value.isEmpty else { throw fail("'name' needs a value") }
                name = value
                continue
            }
            if key.hasPrefix("$") {
                guard key.count > 1 else { throw fail("a variable needs a name after '$'") }
                guard let color = ThemeColor(parsing: value) else {
                    throw fail("'\(value)' is not a colour (use #rrggbb, 0-255, a colour name or default)")
                }
                variables[key] = color
                continue
            }
            guard let role = Role(rawValue: key) else {
                throw fail("unknown role '\(key)' (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !value.isEmpty else { throw fail("role '\(key)' has no colours or attributes") }
            styles[role] = try parseSpec(value, variables: variables, fail: fail)
        }
        return Theme(name: name, styles: styles)
    }

    private static func parseSpec(
        _ spec: String,
        variables: [String: ThemeColor],
        fail: (String) -> ThemeError
    ) throws(ThemeError) -> Style {
        var style = Style()
        var expectBackground = false
        func color(_ token: String) throws(ThemeError) -> ThemeColor {
            if token.hasPrefix("$") {
                guard let v = variables[token] else { throw fail("undefined variable '\(token)'") }
                return v
            }
            guard let c = ThemeColor(parsing: token) else {
                throw fail(
                    "'\(token)' is not a colour or attribute (use #rrggbb, 0-255, a colour name, default, "
                        + "bold, underline, reverse or dim)"
                )
            }
            return c
        }
        for token in spec.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
            if expectBackground {
                style.background = try color(token)
                expectBackground = false
                continue
            }
            switch token.lowercased() {
            case "on":
                guard style.background == nil else { throw fail("background given twice") }
                expectBackground = true
            case "bold": style.bold = true
            case "underline": style.underline = true
            case "reverse": style.reverse = true
            case "dim": style.dim = true
            case "normal": break
            default:
                guard style.foreground == nil else {
                    throw fail("foreground given twice ('\(token)'); write 'on' before a background colour")
                }
                style.foreground = try color(token)
            }
        }
        if expectBackground { throw fail("'on' must be followed by a background colour") }
        return style
    }
}

extension StringProtocol {
    func trimmed(of set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
