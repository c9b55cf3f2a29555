/// A token of the expression language.
enum Token: Equatable {
    case name(String)
    case int(Int)
    case double(Double)
    case string(String)
    case op(String)
    case end
}

/// Splits Python expression text into tokens.
struct Lexer {
    private let s: [Unicode.Scalar]
    private var i = 0

    init(_ text: String) { s = Array(text.unicodeScalars) }

    static let operators = [
        "**=", "//=", "...", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "->", "(", ")", "[",
        "]", "{", "}", ",", ":", ".", "+", "-", "*", "/", "%", "<", ">", "=", "|", "&", "^", "~", "@", ";",
    ]

    static func tokenize(_ text: String) throws(ExpressionSyntaxError) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token == .end { return tokens }
        }
    }

    private func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isXIDStart }
    private func isNameContinue(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isXIDContinue }

    mutating func next() throws(ExpressionSyntaxError) -> Token {
        while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" || s[i] == "\u{0C}" ||
            (s[i] == "\\" && i + 1 < s.count && s[i + 1] == "\n")
        {
            i += s[i] == "\\" ? 2 : 1
        }
        guard i < s.count else { return .end }
        let c = s[i]
        if c == "#" { throw ExpressionSyntaxError("comments are not allowed in template expressions") }
        if isNameStart(c) {
            var j = i
            while j < s.count, isNameContinue(s[j]) { j += 1 }
            let word = String(String.UnicodeScalarView(s[i..<j]))
            // String prefixes: r"", u"", b"" (bytes are treated as str), rb"".
            if j < s.count, s[j] == "'" || s[j] == "\"", ["r", "u", "R", "U", "b", "B", "rb", "br", "Rb", "bR", "RB", "BR"].contains(word) {
                i = j
                return .string(try string(raw: word.lowercased().contains("r")))
            }
            if j < s.count, s[j] == "'" || s[j] == "\"", ["f", "F", "rf", "fr"].contains(word) {
                throw ExpressionSyntaxError("f-strings are not supported in templates; use str.format or %")
            }
            i = j
            return .name(word)
        }
        if c == "'" || c == "\"" { return .string(try string(raw: false)) }
        if ("0"..."9").contains(c) || (c == "." && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) {
            return try number()
        }
        for op in Self.operators {
            let scalars = Array(op.unicodeScalars)
            if i + scalars.count <= s.count, Array(s[i..<(i + scalars.count)]) == scalars {
                i += scalars.count
                return .op(op)
            }
        }
        throw ExpressionSyntaxError("invalid character '\(c)'")
    }

    private mutating func number() throws(ExpressionSyntaxError) -> Token {
        let start = i
        if s[i] == "0", i + 1 < s.count, "xXoObB".unicodeScalars.contains(s[i + 1]) {
            let radix = "xX".unicodeScalars.contains(s[i + 1]) ? 16 : "oO".unicodeScalars.contains(s[i + 1]) ? 8 : 2
            i += 2
            let digitsStart = i
            while i < s.count, s[i] == "_" || s[i].properties.isASCIIHexDigit { i += 1 }
            let digits = String(String.UnicodeScalarView(s[digitsStart..<i])).replacing("_", with: "")
            guard let value = Int(digits, radix: radix) else { throw ExpressionSyntaxError("invalid number literal") }
            return .int(value)
        }
        var isFloat = false
        while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "_" { i += 1 }
        if i < s.count, s[i] == "." {
            isFloat = true
            i += 1
            while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "_" { i += 1 }
        }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            var j = i + 1
            if j < s.count, s[j] == "+" || s[j] == "-" { j += 1 }
            if j < s.count, ("0"..."9").contains(s[j]) {
                isFloat = true
                i = j
                while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
            }
        }
        if i < s.count, isNameContinue(s[i]) { throw ExpressionSyntaxError("invalid number literal") }
        let text = String(String.UnicodeScalarView(s[start..<i])).replacing("_", with: "")
        if !isFloat {
            if text.count > 1 && text.hasPrefix("0") && text.contains(where: { $0 != "0" }) {
                throw ExpressionSyntaxError("leading zeros in decimal integer literals are not permitted")
            }
            guard let value = Int(text) else { throw ExpressionSyntaxError("integer literal too large") }
            return .int(value)
        }
        guard let value = Double(text) else { throw ExpressionSyntaxError("invalid number literal") }
        return .double(value)
    }

    private mutating func string(raw: Bool) throws(ExpressionSyntaxError) -> String {
        let quote = s[i]
        let triple = i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote
        i += triple ? 3 : 1
        var out = String.UnicodeScalarView()
        while true {
            guard i < s.count else { throw ExpressionSyntaxError("unterminated string literal") }
            let c = s[i]
            if c == quote {
                if !triple {
                    i += 1
                    return String(out)
                }
                if i + 2 < s.count, s[i + 1] == quote, s[i + 2] == quote {
                    i += 3
                    return String(out)
                }
            }
            if c == "\n" && !triple { throw ExpressionSyntaxError("unterminated string literal") }
            if c == "\\" && i + 1 < s.count {
                let e = s[i + 1]
                if raw {
                    out.append(c)
                    out.append(e)
                    i += 2
                    continue
                }
                i += 2
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "0": out.append("\0")
                case "a": out.append("\u{07}")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "v": out.append("\u{0B}")
                case "\\", "'", "\"": out.append(e)
                case "\n": break
                case "x", "u", "U":
                    let width = e == "x" ? 2 : e == "u" ? 4 : 8
                    guard i + width <= s.count,
                        let value = UInt32(String(String.UnicodeScalarView(s[i..<(i + width)])), radix: 16),
                        let scalar = Unicode.Scalar(value)
                    else { throw ExpressionSyntaxError("invalid \\\(e) escape") }
                    out.append(scalar)
                    i += width
                default:
                    out.append("\\")
                    out.append(e)
                }
                continue
            }
            out.append(c)
            i += 1
        }
    }
}

/// A syntax error inside an expression (reported as a ``ParseError`` with the template's file and line).
struct ExpressionSyntaxError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
