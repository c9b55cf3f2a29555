import SquallEscape

/// How a template treats the whitespace in its text (Tornado's `whitespace` modes).
public enum WhitespaceMode: String, Sendable {
    /// Keep all whitespace (the default for files other than `.html` and `.js`).
    case all
    /// Collapse runs of spaces and tabs to one space and runs of whitespace containing a newline to one newline
    /// (the default for `.html` and `.js` files).
    case single
    /// Collapse every run of whitespace, newlines included, to one space.
    case oneline

    /// The default mode for a template called `name` (Tornado's rule: `.html` and `.js` files get ``single``).
    public static func defaultMode(forName name: String) -> WhitespaceMode {
        name.hasSuffix(".html") || name.hasSuffix(".js") ? .single : .all
    }

    /// Applies the mode to `text` (Tornado's `filter_whitespace`).
    public func filter(_ text: String) -> String {
        if self == .all { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard PythonText.isSpace(scalar) else {
                out.append(scalar)
                index += 1
                continue
            }
            var end = index
            var hasNewline = false
            while end < scalars.count, PythonText.isSpace(scalars[end]) {
                if scalars[end] == "\n" { hasNewline = true }
                end += 1
            }
            if self == .oneline {
                out.append(" ")
            } else if hasNewline {
                out.append("\n")
            } else {
                // Runs of spaces and tabs become one space; other whitespace characters stay.
                var inSpaces = false
                for other in scalars[index..<end] {
                    if other == " " || other == "\t" {
                        if !inSpaces { out.append(" ") }
                        inSpaces = true
                    } else {
                        out.append(other)
                        inSpaces = false
                    }
                }
            }
            index = end
        }
        return String(out)
    }
}
