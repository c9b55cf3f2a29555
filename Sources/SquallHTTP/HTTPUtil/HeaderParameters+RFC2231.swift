/// RFC 2231 parameter decoding exactly as Python's `email.utils.decode_params` and `collapse_rfc2231_value`, which
/// Tornado's `_parse_header` uses.
enum RFC2231 {
    /// A parameter value after `decode_params`: quoted text, or an extended value with its charset and language.
    enum Decoded {
        case plain([Unicode.Scalar])
        case extended(charset: [Unicode.Scalar]?, text: [Unicode.Scalar])
    }

    /// One piece of a continued parameter: its number (digits without leading zeros, `nil` for `name*`), its value
    /// and whether it was percent-encoded (`name*` or `name*N*`).
    private struct Continuation {
        var number: [Unicode.Scalar]?
        var value: [Unicode.Scalar]
        var encoded: Bool

        /// Python's tuple order for `(num, value, encoded)`. Python cannot compare `None` with a number and raises
        /// `TypeError`; Squall puts `None` first instead.
        static func precedes(_ a: Continuation, _ b: Continuation) -> Bool {
            switch (a.number, b.number) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (.some(let x), .some(let y)) where x != y:
                return x.count != y.count ? x.count < y.count : x.lexicographicallyPrecedes(y)
            default:
                if a.value != b.value { return a.value.lexicographicallyPrecedes(b.value) }
                return !a.encoded && b.encoded
            }
        }
    }

    /// `email.utils.decode_params` for the parameters after the main value.
    static func decodeParameters(
        _ parameters: [(name: [Unicode.Scalar], value: [Unicode.Scalar])]
    ) -> [(name: [Unicode.Scalar], decoded: Decoded)] {
        var decoded: [(name: [Unicode.Scalar], decoded: Decoded)] = []
        var continued: [(name: [Unicode.Scalar], pieces: [Continuation])] = []
        for (name, rawValue) in parameters {
            let encoded = name.last == "*"
            let value = unquote(rawValue)
            if let (base, number) = continuationName(name) {
                let piece = Continuation(number: number, value: value, encoded: encoded)
                if let position = continued.firstIndex(where: { $0.name == base }) {
                    continued[position].pieces.append(piece)
                } else {
                    continued.append((base, [piece]))
                }
            } else {
                decoded.append((name, .plain(["\""] + quote(value) + ["\""])))
            }
        }
        for (name, pieces) in continued {
            var joined: [Unicode.Scalar] = []
            var extended = false
            for piece in pieces.sorted(by: Continuation.precedes) {
                if piece.encoded {
                    joined += percentDecodeLatin1(piece.value)
                    extended = true
                } else {
                    joined += piece.value
                }
            }
            let value = quote(joined)
            guard extended else {
                decoded.append((name, .plain(["\""] + value + ["\""])))
                continue
            }
            // decode_rfc2231: "charset'language'text", or the whole value when it has fewer than two quotes.
            let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count <= 2 {
                decoded.append((name, .extended(charset: nil, text: ["\""] + value + ["\""])))
            } else {
                decoded.append((name, .extended(charset: Array(parts[0]), text: ["\""] + parts[2] + ["\""])))
            }
        }
        return decoded
    }

    /// `email.utils.collapse_rfc2231_value`: the text of a decoded parameter, in its charset.
    static func collapse(_ decoded: Decoded) -> [Unicode.Scalar] {
        switch decoded {
        case .plain(let value):
            return unquote(value)
        case .extended(let charset, let text):
            // Python encodes the text as raw-unicode-escape: characters up to U+00FF are bytes, others \uXXXX.
            var bytes: [UInt8] = []
            for scalar in text {
                if scalar.value <= 0xFF {
                    bytes.append(UInt8(scalar.value))
                } else {
                    let escape =
                        scalar.value <= 0xFFFF
                        ? "\\u" + PythonText.hex(scalar.value, width: 4)
                        : "\\U" + PythonText.hex(scalar.value, width: 8)
                    bytes.append(contentsOf: escape.utf8)
                }
            }
            switch Charset(charset.map { String(scalars: $0) } ?? "us-ascii") {
            case .utf8: return Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
            case .latin1: return bytes.map { Unicode.Scalar($0) }
            case .ascii: return bytes.map { $0 < 0x80 ? Unicode.Scalar($0) : "\u{FFFD}" }
            case nil: return unquote(text)
            }
        }
    }

    /// The charsets Squall decodes, found by Python's codec-name normalisation and aliases.
    private enum Charset {
        case utf8, latin1, ascii

        init?(_ name: String) {
            var normalized = ""
            var pendingSeparator = false
            // encodings.normalize_encoding: runs of punctuation become one "_", non-ASCII letters are dropped.
            for scalar in name.lowercased().unicodeScalars {
                let isASCIIAlphanumeric = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
                if isASCIIAlphanumeric || scalar == "." {
                    if pendingSeparator && !normalized.isEmpty { normalized += "_" }
                    normalized.unicodeScalars.append(scalar)
                    pendingSeparator = false
                } else if scalar.isASCII || !(scalar.properties.isAlphabetic || scalar.properties.numericType != nil) {
                    pendingSeparator = true
                }
            }
            normalized = normalized.replacingDots()
            switch normalized {
            case "utf_8", "utf8", "u8", "utf", "utf8_ucs2", "utf8_ucs4", "cp65001": self = .utf8
            case "latin_1", "latin1", "latin", "l1", "iso_8859_1", "iso8859_1", "iso8859", "8859", "cp819", "ibm819",
                "iso_ir_100", "csisolatin1", "iso_8859_1_1987":
                self = .latin1
            case "ascii", "us_ascii", "us", "646", "ansi_x3_4_1968", "ansi_x3_4_1986", "cp367", "csascii", "ibm367",
                "iso646_us", "iso_646_irv_1991", "iso_ir_6":
                self = .ascii
            default: return nil
            }
        }
    }

    /// Python's `re.match(r'^(\w+)\*(([0-9]+)\*?)?$', name, re.ASCII)`: the base name and continuation number.
    private static func continuationName(
        _ name: [Unicode.Scalar]
    ) -> (base: [Unicode.Scalar], number: [Unicode.Scalar]?)? {
        guard let star = name.firstIndex(of: "*"), star > 0,
            name[..<star].allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
            })
        else { return nil }
        var rest = name[(star + 1)...]
        guard !rest.isEmpty else { return (Array(name[..<star]), nil) }
        if rest.last == "*" { rest = rest.dropLast() }
        guard !rest.isEmpty, rest.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        let digits = rest.drop { $0 == "0" }
        return (Array(name[..<star]), digits.isEmpty ? ["0"] : Array(digits))
    }

    /// `email.utils.quote`: escapes backslashes and double quotes.
    static func quote(_ value: [Unicode.Scalar]) -> [Unicode.Scalar] {
        PythonText.replace(PythonText.replace(value, ["\\"], ["\\", "\\"]), ["\""], ["\\", "\""])
    }

    /// `email.utils.unquote`: removes surrounding double quotes (unescaping `\\` then `\"`) or angle brackets.
    static func unquote(_ value: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard value.count > 1 else { return value }
        if value.first == "\"" && value.last == "\"" {
            let inner = Array(value.dropFirst().dropLast())
            return PythonText.replace(PythonText.replace(inner, ["\\", "\\"], ["\\"]), ["\\", "\""], ["\""])
        }
        if value.first == "<" && value.last == ">" { return Array(value.dropFirst().dropLast()) }
        return value
    }

    /// `urllib.parse.unquote(value, encoding="latin-1")`: `%XX` becomes the character U+00XX.
    private static func percentDecodeLatin1(_ value: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < value.count {
            if value[i] == "%", i + 2 < value.count, let high = hexDigit(value[i + 1]), let low = hexDigit(value[i + 2])
            {
                out.append(Unicode.Scalar(high << 4 | low))
                i += 3
            } else {
                out.append(value[i])
                i += 1
            }
        }
        return out
    }

    private static func hexDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.isASCII ? PercentEncoding.hexValue(UInt8(scalar.value)) : nil
    }
}

extension String {
    /// The string with `.` replaced by `_`, as Python's codec lookup tries after the plain name.
    fileprivate func replacingDots() -> String {
        String(scalars: unicodeScalars.map { $0 == "." ? "_" : $0 })
    }
}
