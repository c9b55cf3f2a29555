/// Splits a `Content-Type`-like header into its value and parameters (Tornado's `_parse_header`).
///
/// `"form-data; name=\"a\"; filename*=UTF-8''%C3%A1.txt"` gives `("form-data", ["name": "a", "filename": "á.txt"])`.
/// As in Tornado: `;` inside double quotes does not split; parameter names are lower-cased; parameters without
/// `=` are dropped; quoted values are unquoted (`\\` and `\"` decoded); RFC 2231 continuations (`name*0`, `name*1`)
/// are joined and extended values (`name*=charset'lang'%XX`) decoded, and win over a plain parameter of the same
/// name; among repeated names the last wins. Charsets are decoded for UTF-8, ISO-8859-1 and US-ASCII (with their
/// Python aliases); a value in any other charset is returned percent-decoded but not re-decoded. Never fails.
public func parseHeaderParameters(_ line: String) -> (value: String, parameters: [String: String]) {
    let segments = HeaderParameterSplitter.segments(of: [";"] + Array(line.unicodeScalars))
    let value = String(scalars: segments.first ?? [])
    var raw: [(name: [Unicode.Scalar], value: [Unicode.Scalar])] = []
    for segment in segments.dropFirst() {
        guard let equals = segment.firstIndex(of: "=") else { continue }
        let name = String(scalars: PythonText.strip(segment[..<equals])).lowercased()
        raw.append((Array(name.unicodeScalars), Array(PythonText.strip(segment[(equals + 1)...]))))
    }
    var parameters: [String: String] = [:]
    for (name, decoded) in RFC2231.decodeParameters(raw) {
        var value = RFC2231.collapse(decoded)
        if value.count >= 2, value.first == "\"", value.last == "\"" { value = Array(value.dropFirst().dropLast()) }
        parameters[String(scalars: name)] = String(scalars: value)
    }
    return (value, parameters)
}

/// Joins a value and parameters into a header such as `"permessage-deflate; client_max_window_bits=15"`
/// (Tornado's `_encode_header`, the inverse of ``parseHeaderParameters(_:)``).
///
/// Parameters are sorted by name (by code point, as Python sorts); a `nil` value writes the name alone. Values are
/// written as they are, without quoting, as in Tornado.
public func encodeHeaderParameters(_ value: String, _ parameters: [String: String?]) -> String {
    guard !parameters.isEmpty else { return value }
    let sorted = parameters.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
    var parts = [value]
    for (name, parameterValue) in sorted {
        if let parameterValue {
            parts.append(name + "=" + parameterValue)
        } else {
            parts.append(name)
        }
    }
    return parts.joined(separator: "; ")
}

/// Tornado's `_parseparam`: splits on `;` outside double quotes, in linear time.
enum HeaderParameterSplitter {
    /// The stripped segments of `text`, which starts with `;` (Tornado prepends one).
    static func segments(of text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        // A line-for-line port of Tornado's loop (CPython PR 136072), including its Python index semantics:
        // `find` returns -1 when nothing is found and a negative start counts from the end.
        let n = text.count
        func find(_ start: Int) -> Int {
            guard start < n else { return -1 }
            return text[max(start, 0)...].firstIndex(of: ";") ?? -1
        }
        func quotes(_ start: Int, _ end: Int) -> Int {
            let from = start < 0 ? max(start + n, 0) : start
            let to = min(end, n)
            guard from < to else { return 0 }
            var count = 0
            var escaped = 0
            var i = from
            while i < to {
                if text[i] == "\"" { count += 1 }
                if text[i] == "\\", i + 1 < to, text[i + 1] == "\"" {
                    escaped += 1
                    count += 1
                    i += 2
                    continue
                }
                i += 1
            }
            return count - escaped
        }
        var segments: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        while start < n, text[start] == ";" {
            start += 1
            var end = find(start)
            var index = start
            var difference = 0
            while end > 0 {
                difference += quotes(index, end)
                if difference % 2 == 0 { break }
                (end, index) = (index, find(end + 1))
            }
            if end < 0 { end = n }
            segments.append(PythonText.strip(text[start..<end]))
            start = end
        }
        return segments
    }
}
