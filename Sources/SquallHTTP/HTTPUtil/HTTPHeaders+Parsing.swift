extension HTTPHeaders {
    /// Parses a block of header lines (Tornado 6.6's `HTTPHeaders.parse`).
    ///
    /// Lines end in `"\r\n"` or a bare `"\n"`; empty lines are skipped. Each character stands for one byte
    /// (ISO-8859-1), as in Tornado, so characters above U+00FF are invalid in values.
    /// - Throws: ``HTTPInputError`` for a continuation line (obs-fold, no longer supported in Tornado 6.6), a line
    ///   without a colon, a name that is not an RFC 9110 token, or a value with control characters
    ///   (CR, LF, NUL, DEL and the rest, except tab).
    public static func parse(_ text: String) throws(HTTPInputError) -> HTTPHeaders {
        try parse(text, charsAreBytes: true)
    }

    /// Adds the header in one line such as `"Content-Type: text/html\r\n"` (Tornado's `parse_line`).
    ///
    /// A trailing `"\r\n"` or `"\n"` is ignored, as is an empty line; the value is stripped of spaces and tabs.
    /// - Throws: ``HTTPInputError`` as ``parse(_:)`` does.
    public mutating func parseLine(_ line: String) throws(HTTPInputError) {
        try parseLine(line.unicodeScalars[...], charsAreBytes: true)
    }

    /// Tornado's `parse` with its private `_chars_are_bytes` switch: multipart part headers (UTF-8 text) pass
    /// `false`, which allows any character but the ASCII controls in values.
    static func parse(_ text: String, charsAreBytes: Bool) throws(HTTPInputError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        while let newline = scalars[start...].firstIndex(of: "\n") {
            let next = scalars.index(after: newline)
            try headers.parseLine(scalars[start..<next], charsAreBytes: charsAreBytes)
            start = next
        }
        try headers.parseLine(scalars[start...], charsAreBytes: charsAreBytes)
        return headers
    }

    /// One header line, with Tornado's checks.
    mutating func parseLine(_ line: Substring.UnicodeScalarView, charsAreBytes: Bool) throws(HTTPInputError) {
        var line = line
        if let end = Self.lineTerminatorStart(line) { line = line[..<end] }
        guard let first = line.first else { return }
        if first == " " || first == "\t" {
            throw HTTPInputError("header line cannot start with whitespace, folding not supported")
        }
        guard let colon = line.firstIndex(of: ":") else { throw HTTPInputError("no colon in header line") }
        let name = String(scalars: line[..<colon])
        var value = line[line.index(after: colon)...]
        while let head = value.first, head == " " || head == "\t" { value.removeFirst() }
        while let tail = value.last, tail == " " || tail == "\t" { value.removeLast() }
        guard Self.isToken(name.unicodeScalars) else {
            throw HTTPInputError("Invalid header name \(PythonText.repr(name))")
        }
        let valid = charsAreBytes ? Self.isFieldValue(value) : !value.contains(where: Self.isForbiddenInText)
        guard valid else { throw HTTPInputError("Invalid header value \(PythonText.repr(String(scalars: value)))") }
        add(name, String(scalars: value))
    }

    /// Where Tornado's `re.search(r"\r?\n$", line)` matches, if it does (`$` also matches before a final `"\n"`).
    private static func lineTerminatorStart(_ line: Substring.UnicodeScalarView) -> String.Index? {
        guard let last = line.indices.last, line[last] == "\n" else { return nil }
        // The leftmost match ends either at the end or just before the final "\n".
        var candidates: [String.Index] = []
        for end in [last, line.endIndex] where end > line.startIndex {
            let newline = line.index(before: end)
            guard line[newline] == "\n" else { continue }
            if newline > line.startIndex, line[line.index(before: newline)] == "\r" {
                candidates.append(line.index(before: newline))
            } else {
                candidates.append(newline)
            }
        }
        return candidates.min()
    }

    /// RFC 9110 `tchar`: the characters of a token (header names, methods).
    static func isTokenChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|",
            "~":
            return true
        default:
            return false
        }
    }

    /// RFC 9110 `token`: one or more ``isTokenChar(_:)``.
    static func isToken(_ scalars: some Collection<Unicode.Scalar>) -> Bool {
        !scalars.isEmpty && scalars.allSatisfy(isTokenChar)
    }

    /// RFC 9110 `field-vchar`: a visible ASCII character or `obs-text` (0x80-0xFF).
    static func isFieldVChar(_ scalar: Unicode.Scalar) -> Bool {
        (0x21...0x7E).contains(scalar.value) || (0x80...0xFF).contains(scalar.value)
    }

    /// Tornado's `_ABNF.field_value`: empty, or field-vchars with spaces and tabs only between them.
    static func isFieldValue(_ value: Substring.UnicodeScalarView) -> Bool {
        guard let first = value.first, let last = value.last else { return true }
        return isFieldVChar(first) && isFieldVChar(last)
            && value.allSatisfy { isFieldVChar($0) || $0 == " " || $0 == "\t" }
    }

    /// Tornado's `_FORBIDDEN_HEADER_CHARS_RE`: ASCII controls other than tab.
    static func isForbiddenInText(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value <= 0x1F && scalar != "\t") || scalar.value == 0x7F
    }
}
