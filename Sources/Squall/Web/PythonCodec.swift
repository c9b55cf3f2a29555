import SquallHTTP

/// The Python behaviours Tornado's signed values, XSRF tokens and cookies depend on (`base64.b64decode`,
/// `binascii.a2b_hex`, `int()`, `hmac.compare_digest`, `repr`), so Squall accepts and rejects exactly what Tornado
/// does.
enum PythonCodec {
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    // MARK: - Base64

    /// Python's `base64.b64encode`: the standard alphabet, padded with `=`.
    static func base64Encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(base64Alphabet[Int(chunk >> UInt32(shift) & 0x3F)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let second = rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0
            let chunk = UInt32(bytes[index]) << 16 | second
            out.append(base64Alphabet[Int(chunk >> 18 & 0x3F)])
            out.append(base64Alphabet[Int(chunk >> 12 & 0x3F)])
            out.append(rest == 2 ? base64Alphabet[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return out
    }

    /// Python's `base64.b64decode(data)` (CPython's non-strict `binascii.a2b_base64`), or `nil` where it raises.
    ///
    /// Characters outside the alphabet are skipped; a complete padding sequence ends the input; a final group of
    /// one character, or of two or three without padding, is an error.
    static func base64Decode(_ bytes: some Sequence<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        var quadPosition = 0
        var leftChar: UInt8 = 0
        var pads = 0
        for byte in bytes {
            if byte == UInt8(ascii: "=") {
                if quadPosition >= 2 {
                    pads += 1
                    if quadPosition + pads >= 4 { return out }
                }
                continue
            }
            guard let sextet = base64Value(byte) else { continue }
            pads = 0
            switch quadPosition {
            case 0:
                quadPosition = 1
                leftChar = sextet
            case 1:
                quadPosition = 2
                out.append(leftChar << 2 | sextet >> 4)
                leftChar = sextet & 0x0F
            case 2:
                quadPosition = 3
                out.append(leftChar << 4 | sextet >> 2)
                leftChar = sextet & 0x03
            default:
                quadPosition = 0
                out.append(leftChar << 6 | sextet)
                leftChar = 0
            }
        }
        return quadPosition == 0 ? out : nil
    }

    private static func base64Value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    // MARK: - Hexadecimal

    /// Lower-case hexadecimal, as Python's `hexdigest()` and `binascii.b2a_hex`.
    static func hexEncode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Python's `binascii.a2b_hex`: an even number of hexadecimal digits of either case, or `nil`.
    static func hexDecode(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        guard bytes.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var high: UInt8?
        for byte in bytes {
            guard let nibble = hexValue(byte) else { return nil }
            if let pending = high {
                out.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: - Comparison

    /// Python's `hmac.compare_digest`: whether the byte strings are equal, in time that depends on their lengths
    /// only, not on where they differ.
    static func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        let left = Array(lhs)
        var difference: UInt8 = left.count == rhs.count ? 0 : 1
        for (index, byte) in rhs.enumerated() {
            // Compare against something of the right length even when the lengths differ.
            let other = index < left.count ? left[index] : byte ^ 0xFF
            difference |= other ^ byte
        }
        return difference == 0
    }

    // MARK: - URLs

    /// The scheme (lower-cased) and network location of `url` as Python 3.11's `urllib.parse.urlsplit` finds them,
    /// or `nil` where it raises (unbalanced `[` `]` in the network location).
    ///
    /// Leading C0 controls and spaces are dropped and tabs and line breaks removed first, as browsers do. Python
    /// also rejects some bracketed hosts and some non-ASCII network locations that NFKC normalisation turns into
    /// `/?#@:`; those are returned as they are.
    static func urlSplit(_ url: String) -> (scheme: String, netloc: String)? {
        var rest = Array(url.unicodeScalars.drop { $0.value <= 0x20 }.filter { $0 != "\t" && $0 != "\r" && $0 != "\n" })
        var scheme = ""
        if let colon = rest.firstIndex(of: ":"), colon > 0, rest[0].isASCII, rest[0].properties.isAlphabetic,
            rest[..<colon].allSatisfy(isSchemeCharacter)
        {
            scheme = String(String.UnicodeScalarView(rest[..<colon])).lowercased()
            rest = Array(rest[(colon + 1)...])
        }
        guard rest.starts(with: ["/", "/"]) else { return (scheme, "") }
        let end = rest[2...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let netloc = rest[2..<end]
        guard netloc.contains("[") == netloc.contains("]") else { return nil }
        return (scheme, String(String.UnicodeScalarView(netloc)))
    }

    private static func isSchemeCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "+", "-", ".": true
        default: false
        }
    }

    // MARK: - repr

    /// Python's `repr(text)`, for messages that should read as Tornado's (shared with SquallHTTP's httputil).
    static func repr(_ text: String) -> String {
        PythonText.repr(text)
    }
}

struct PythonInteger: Equatable, Sendable {
    /// Whether the value is below zero.
    var isNegative: Bool
    /// The magnitude's decimal digits (ASCII) without leading zeros; `"0"` for zero.
    var digits: [UInt8]

    /// Python's `int(bytes)`: ASCII digits and ASCII whitespace only.
    init?(bytes: some Sequence<UInt8>) {
        self.init(normalized: Array(bytes))
    }

    /// Python's `int(str)`: Unicode decimal digits count as digits and Unicode whitespace as spaces.
    init?(text: String) {
        var normalized: [UInt8] = []
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                normalized.append(UInt8(scalar.value))
            } else if Self.isPythonSpace(scalar) {
                normalized.append(UInt8(ascii: " "))
            } else if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
                let digit = UInt8(exactly: value), digit <= 9
            {
                normalized.append(UInt8(ascii: "0") + digit)
            } else {
                return nil
            }
        }
        self.init(normalized: normalized)
    }

    /// CPython's `PyLong_FromString(text, base=10)` over the whole input.
    private init?(normalized bytes: [UInt8]) {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
        var index = bytes.startIndex
        while index < bytes.endIndex, isSpace(bytes[index]) { index += 1 }
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var digits: [UInt8] = []
        var digitCount = 0
        var previousWasDigit = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                if !(digits.isEmpty && byte == UInt8(ascii: "0")) { digits.append(byte) }
                digitCount += 1
                previousWasDigit = true
            } else if byte == UInt8(ascii: "_"), previousWasDigit, index + 1 < bytes.endIndex,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 1])
            {
                previousWasDigit = false
            } else {
                break
            }
            index += 1
        }
        // Python 3.11 refuses to convert more than 4,300 digits (`sys.int_info.default_max_str_digits`).
        guard previousWasDigit, digitCount <= 4300 else { return nil }
        while index < bytes.endIndex, isSpace(bytes[index]) { index += 1 }
        guard index == bytes.endIndex else { return nil }
        if digits.isEmpty {
            digits = [UInt8(ascii: "0")]
            negative = false
        }
        self.isNegative = negative
        self.digits = digits
    }

    /// Python's `str.isspace` beyond ASCII (CPython's `Py_UNICODE_ISSPACE`).
    private static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Python's `str(int(...))`.
    var description: String {
        (isNegative ? "-" : "") + String(decoding: digits, as: UTF8.self)
    }

    /// The value, or `nil` when it does not fit in an `Int`.
    var exactValue: Int? {
        Int(description)
    }

    /// The value, clamped to ±2³¹ (far beyond any length or timestamp Squall compares it with).
    var clampedValue: Int {
        let limit = 1 << 31
        guard let value = exactValue else { return isNegative ? -limit : limit }
        return min(max(value, -limit), limit)
    }

    /// The value as a `Double` (exact below 2⁵³), for comparisons with clock readings.
    var doubleValue: Double {
        let magnitude = digits.reduce(0.0) { $0 * 10 + Double($1 - UInt8(ascii: "0")) }
        return isNegative ? -magnitude : magnitude
    }
}
