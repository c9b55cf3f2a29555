/// Percent-encodes `value` for a URL (Tornado's `url_escape`).
///
/// Letters, digits and `_.-~` stay as they are. With `plus` (the default, for query strings) a space becomes `+`
/// and `/` is encoded (Python's `quote_plus`); without it a space becomes `%20` and `/` stays (Python's `quote`,
/// for paths).
public func urlEscape(_ value: String, plus: Bool = true) -> String {
    var out = [UInt8]()
    out.reserveCapacity(value.utf8.count)
    let hex = Array("0123456789ABCDEF".utf8)
    for byte in value.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
            UInt8(ascii: "~"):
            out.append(byte)
        case UInt8(ascii: "/") where !plus:
            out.append(byte)
        case UInt8(ascii: " ") where plus:
            out.append(UInt8(ascii: "+"))
        default:
            out.append(UInt8(ascii: "%"))
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Decodes a percent-encoded URL component (Tornado's `url_unescape` with the default UTF-8 encoding).
///
/// With `plus` (the default) `+` means a space (Python's `unquote_plus`), otherwise it stays (Python's `unquote`).
/// Malformed escapes are kept literally; bytes that are not UTF-8 become U+FFFD, as Python's `errors="replace"`.
public func urlUnescape(_ value: String, plus: Bool = true) -> String {
    guard value.utf8.contains(UInt8(ascii: "%")) || (plus && value.utf8.contains(UInt8(ascii: "+"))) else {
        return value
    }
    // Python decodes each run of ASCII on its own and passes other characters through untouched.
    var out = ""
    var run = [UInt8]()
    func flush() {
        if !run.isEmpty {
            out += String(decoding: URLCoding.unquoteToBytes(run, plus: plus), as: UTF8.self)
            run.removeAll(keepingCapacity: true)
        }
    }
    for scalar in value.unicodeScalars {
        if scalar.isASCII {
            run.append(UInt8(scalar.value))
        } else {
            flush()
            out.unicodeScalars.append(scalar)
        }
    }
    flush()
    return out
}

/// Decodes a percent-encoded URL component to bytes (Tornado's `url_unescape(value, encoding=None)`).
public func urlUnescapeToBytes(_ value: String, plus: Bool = true) -> [UInt8] {
    URLCoding.unquoteToBytes(Array(value.utf8), plus: plus)
}

enum URLCoding {
    static func unquoteToBytes(_ bytes: [UInt8], plus: Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(plus && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return out
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
