/// Percent-encoding as Python's `urllib.parse` and Tornado's `escape` module do it.
package enum PercentEncoding {
    /// The value of an ASCII hexadecimal digit, or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Decodes `%XX` escapes (Python's `unquote_to_bytes`, Tornado's `_unquote_to_bytes`); with `plusAsSpace`,
    /// `+` becomes a space first, as in query strings.
    ///
    /// An escape that is not `%` followed by two hexadecimal digits stays as it is.
    package static func decode(_ bytes: ArraySlice<UInt8>, plusAsSpace: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%"), let high = hexValue(at: i + 1, in: bytes),
                let low = hexValue(at: i + 2, in: bytes)
            {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                i += 1
            }
        }
        return out
    }

    private static func hexValue(at index: Int, in bytes: ArraySlice<UInt8>) -> UInt8? {
        index < bytes.endIndex ? hexValue(bytes[index]) : nil
    }

    /// Python's `quote_plus`: UTF-8, with everything but letters, digits and `_.-~` escaped as `%XX` (upper-case
    /// hexadecimal) and spaces as `+`.
    package static func quotePlus(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
