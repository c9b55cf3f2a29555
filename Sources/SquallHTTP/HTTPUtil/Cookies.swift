/// Parses a `Cookie` request header into names and values the way browsers send them (Tornado's `parse_cookie`).
///
/// Following browsers (and Django) rather than the RFCs: the header is split on `;` only, so characters such as
/// `]`, `,` or `:` belong to names and values; a piece without `=` is a value with the empty name; names and
/// values are stripped of whitespace; a value in double quotes is unquoted with `\"`, `\\` and `\ooo` (octal)
/// escapes decoded. A later cookie with the same name replaces an earlier one. Never fails.
public func parseCookie(_ header: String) -> [String: String] {
    var cookies: [String: String] = [:]
    for chunk in header.unicodeScalars.split(separator: ";", omittingEmptySubsequences: false) {
        let key: Substring.UnicodeScalarView
        let value: Substring.UnicodeScalarView
        if let equals = chunk.firstIndex(of: "=") {
            key = PythonText.strip(chunk[..<equals])
            value = PythonText.strip(chunk[chunk.index(after: equals)...])
        } else {
            key = chunk[chunk.startIndex..<chunk.startIndex]
            value = PythonText.strip(chunk)
        }
        if !key.isEmpty || !value.isEmpty {
            cookies[String(scalars: key)] = unquoteCookieValue(value)
        }
    }
    return cookies
}

/// Python's `http.cookies._unquote`: removes surrounding double quotes and decodes backslash escapes (`\ooo` for
/// octal 000-377, else the escaped character; a backslash before a newline or at the end stays).
func unquoteCookieValue(_ value: Substring.UnicodeScalarView) -> String {
    guard value.first == "\"", value.last == "\"", value.index(after: value.startIndex) < value.endIndex else {
        return String(scalars: value)
    }
    let scalars = Array(value)
    var out = String.UnicodeScalarView()
    var i = 1
    let end = scalars.count - 1
    while i < end {
        let scalar = scalars[i]
        guard scalar == "\\", i + 1 < end else {
            out.append(scalar)
            i += 1
            continue
        }
        if i + 3 < end, let octal = octalEscape(scalars[(i + 1)..<(i + 4)]) {
            out.append(octal)
            i += 4
        } else if scalars[i + 1] != "\n" {
            out.append(scalars[i + 1])
            i += 2
        } else {
            out.append(scalar)
            i += 1
        }
    }
    return String(out)
}

/// The character for `[0-3][0-7][0-7]`, or `nil`.
private func octalEscape(_ digits: ArraySlice<Unicode.Scalar>) -> Unicode.Scalar? {
    var value: UInt32 = 0
    for (position, digit) in digits.enumerated() {
        let highest: Unicode.Scalar = position == 0 ? "3" : "7"
        guard ("0"...highest).contains(digit) else { return nil }
        value = value * 8 + digit.value - 0x30
    }
    return Unicode.Scalar(value)
}
