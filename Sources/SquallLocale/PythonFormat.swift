/// A value for Python's `format % mapping` (`%(name)s`, `%(count)d`), as Tornado fills translated strings.
enum PythonFormatValue: Sendable {
    case int(Int)
    case string(String)

    var text: String {
        switch self {
        case .int(let value): String(value)
        case .string(let value): value
        }
    }
}

/// Python's `format % mapping` for the conversions translations use.
///
/// Supports `%%` and `%(key)[flags][width][.precision]conversion` with the conversions `s`, `r`, `d`, `i`, `u`
/// and the flags `-` and `0`. Python raises on a key the mapping lacks or a conversion it cannot apply; a
/// translation must never take a request down, so such a specifier is left in the output as written.
enum PythonFormat {
    static func format(_ format: String, _ values: [String: PythonFormatValue]) -> String {
        let scalars = Array(format.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "%" else {
                out.append(scalar)
                index += 1
                continue
            }
            if index + 1 < scalars.count, scalars[index + 1] == "%" {
                out.append("%")
                index += 2
                continue
            }
            if let (text, next) = specifier(scalars, at: index, values) {
                out.append(contentsOf: text.unicodeScalars)
                index = next
            } else {
                out.append(scalar)
                index += 1
            }
        }
        return String(out)
    }

    /// Formats the specifier starting at `start` (a `%`), or `nil` when it is not one this formatter fills.
    private static func specifier(
        _ scalars: [Unicode.Scalar],
        at start: Int,
        _ values: [String: PythonFormatValue]
    ) -> (String, Int)? {
        var index = start + 1
        guard index < scalars.count, scalars[index] == "(" else { return nil }
        // Python matches parentheses inside the key, so `%(a(b))s` names the key `a(b)`.
        var depth = 1
        index += 1
        let keyStart = index
        while index < scalars.count {
            if scalars[index] == "(" { depth += 1 }
            if scalars[index] == ")" {
                depth -= 1
                if depth == 0 { break }
            }
            index += 1
        }
        guard index < scalars.count else { return nil }
        var key = String.UnicodeScalarView()
        key.append(contentsOf: scalars[keyStart..<index])
        index += 1
        var leftAlign = false
        var zeroPad = false
        while index < scalars.count, "-+ #0".unicodeScalars.contains(scalars[index]) {
            if scalars[index] == "-" { leftAlign = true }
            if scalars[index] == "0" { zeroPad = true }
            index += 1
        }
        let width = number(scalars, &index)
        var precision: Int?
        if index < scalars.count, scalars[index] == "." {
            index += 1
            precision = number(scalars, &index) ?? 0
        }
        while index < scalars.count, "hlL".unicodeScalars.contains(scalars[index]) { index += 1 }
        guard index < scalars.count, let value = values[String(key)] else { return nil }
        var text: String
        switch scalars[index] {
        case "s", "r":
            text = value.text
            if scalars[index] == "r", case .string(let string) = value { text = repr(string) }
            if let precision { text = String(text.prefix(precision)) }
            zeroPad = false
        case "d", "i", "u":
            guard case .int(let number) = value else { return nil }
            text = String(number.magnitude)
            if let precision, text.count < precision {
                text = String(repeating: "0", count: precision - text.count) + text
            }
            if number < 0 { text = "-" + text }
        default:
            return nil
        }
        if let width, text.count < width {
            let padding = width - text.count
            if leftAlign {
                text += String(repeating: " ", count: padding)
            } else if zeroPad {
                let negative = text.hasPrefix("-")
                let digits = negative ? String(text.dropFirst()) : text
                text = (negative ? "-" : "") + String(repeating: "0", count: padding) + digits
            } else {
                text = String(repeating: " ", count: padding) + text
            }
        }
        return (text, index + 1)
    }

    private static func number(_ scalars: [Unicode.Scalar], _ index: inout Int) -> Int? {
        var value: Int?
        while index < scalars.count, let digit = PythonText.digit(scalars[index]) {
            // A width beyond four digits is not a translation; stop growing there rather than overflow.
            value = min((value ?? 0) * 10 + digit, 9_999)
            index += 1
        }
        return value
    }

    /// Python's `repr` of a string, for `%r` (plain quoting; enough for the ASCII text formats carry).
    private static func repr(_ text: String) -> String {
        let quote = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = quote
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if String(scalar) == quote { out += "\\" + quote } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + quote
    }
}

/// Python's `str.strip()` with no arguments: the characters `str.isspace()` accepts, which are Unicode's
/// whitespace plus the ASCII separators U+001C to U+001F.
enum PythonText {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// The value of an ASCII decimal digit.
    static func digit(_ scalar: Unicode.Scalar) -> Int? {
        ("0"..."9").contains(scalar) ? Int(scalar.value - 48) : nil
    }

    static func strip(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Python's `float(text)` for decimal text: surrounding whitespace, a sign, digits with single underscores
    /// between them, a fraction, an exponent, or `inf`/`infinity`/`nan` in any case; `nil` where Python raises
    /// `ValueError`.
    static func parseFloat(_ text: some StringProtocol) -> Double? {
        let body = Array(strip(text).unicodeScalars)
        var index = 0
        var negative = false
        if index < body.count, body[index] == "+" || body[index] == "-" {
            negative = body[index] == "-"
            index += 1
        }
        let rest = String(String.UnicodeScalarView(body[index...])).lowercased()
        if rest == "inf" || rest == "infinity" { return negative ? -.infinity : .infinity }
        if rest == "nan" { return .nan }
        var clean = negative ? "-" : ""
        func digits(required: Bool) -> Bool {
            var count = 0
            while index < body.count {
                let scalar = body[index]
                if digit(scalar) != nil {
                    clean.unicodeScalars.append(scalar)
                    count += 1
                    index += 1
                } else if scalar == "_", count > 0, index + 1 < body.count, digit(body[index + 1]) != nil {
                    index += 1
                } else {
                    break
                }
            }
            return count > 0 || !required
        }
        let integerDigits = clean.count
        _ = digits(required: false)
        let hadInteger = clean.count > integerDigits
        if index < body.count, body[index] == "." {
            clean += "."
            index += 1
            let before = clean.count
            _ = digits(required: false)
            guard hadInteger || clean.count > before else { return nil }
        } else if !hadInteger {
            return nil
        }
        if index < body.count, body[index] == "e" || body[index] == "E" {
            clean += "e"
            index += 1
            if index < body.count, body[index] == "+" || body[index] == "-" {
                clean.unicodeScalars.append(body[index])
                index += 1
            }
            guard digits(required: true) else { return nil }
        }
        guard index == body.count else { return nil }
        return Double(clean)
    }
}
