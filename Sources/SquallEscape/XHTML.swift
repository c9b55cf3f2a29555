/// Escapes `&`, `<`, `>`, `"` and `'` for HTML (Tornado's `xhtml_escape`, which is Python's `html.escape`).
///
/// The quote becomes `&quot;` and the apostrophe `&#x27;`, exactly as Tornado 6.4+; use the result inside
/// quoted attribute values or element content.
public func xhtmlEscape(_ value: String) -> String {
    var needs = false
    for byte in value.utf8 where XHTML.replacement(byte) != nil {
        needs = true
        break
    }
    if !needs { return value }
    var out = [UInt8]()
    out.reserveCapacity(value.utf8.count + 16)
    xhtmlEscape(value, into: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Appends the escaped UTF-8 bytes of `value` to `buffer` (the allocation-free form of ``xhtmlEscape(_:)``).
public func xhtmlEscape(_ value: String, into buffer: inout [UInt8]) {
    var value = value
    value.withUTF8 { bytes in
        var start = 0
        for index in 0..<bytes.count {
            guard let replacement = XHTML.replacement(bytes[index]) else { continue }
            if start < index { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
            buffer.append(contentsOf: replacement)
            start = index + 1
        }
        if start < bytes.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
    }
}

/// Replaces HTML character references with the characters they stand for (Tornado's `xhtml_unescape`, which is
/// Python's `html.unescape`).
///
/// Follows the HTML5 rules as Python does: all named references (some valid without `;`, the longest known prefix
/// wins), decimal and hexadecimal references, Windows-1252 fix-ups for `&#128;`–`&#159;`, U+FFFD for surrogates
/// and numbers past U+10FFFF, and nothing for code points HTML forbids.
public func xhtmlUnescape(_ value: String) -> String {
    guard value.utf8.contains(UInt8(ascii: "&")) else { return value }
    let scalars = Array(value.unicodeScalars)
    var out = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
        let scalar = scalars[index]
        if scalar == "&", let (replacement, end) = XHTML.characterReference(scalars, at: index + 1) {
            out.append(contentsOf: replacement.unicodeScalars)
            index = end
        } else {
            out.append(scalar)
            index += 1
        }
    }
    return String(out)
}

/// The details of ``xhtmlEscape(_:)`` and ``xhtmlUnescape(_:)``.
enum XHTML {
    static let amp = Array("&amp;".utf8)
    static let lt = Array("&lt;".utf8)
    static let gt = Array("&gt;".utf8)
    static let quot = Array("&quot;".utf8)
    static let apos = Array("&#x27;".utf8)

    @inline(__always)
    static func replacement(_ byte: UInt8) -> [UInt8]? {
        switch byte {
        case UInt8(ascii: "&"): amp
        case UInt8(ascii: "<"): lt
        case UInt8(ascii: ">"): gt
        case UInt8(ascii: "\""): quot
        case UInt8(ascii: "'"): apos
        default: nil
        }
    }

    /// Named references by name (with `;` where the table has it) → replacement text.
    static let named: [String: String] = {
        var table: [String: String] = [:]
        for line in HTMLEntityTable.namedSource.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let name = parts.first else { continue }
            var text = String.UnicodeScalarView()
            for part in parts.dropFirst() {
                if let value = UInt32(part, radix: 16), let scalar = Unicode.Scalar(value) { text.append(scalar) }
            }
            table[String(name)] = String(text)
        }
        return table
    }()

    /// Python's `_charref` pattern and `_replace_charref` at `start` (just after `&`): the replacement and the
    /// index after the reference, or `nil` when no reference starts there.
    static func characterReference(_ s: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        guard start < s.count else { return nil }
        if s[start] == "#" {
            var index = start + 1
            var hex = false
            if index < s.count, s[index] == "x" || s[index] == "X" {
                hex = true
                index += 1
            }
            let digitsStart = index
            var number: UInt64 = 0
            while index < s.count, let digit = hexDigit(s[index]), hex || digit < 10 {
                number = min(number &* (hex ? 16 : 10) &+ UInt64(digit), 0x1_0000_0000)
                if number >= 0x1_0000_0000 { number = 0x1_0000_0000 }
                index += 1
            }
            guard index > digitsStart else { return nil }
            if index < s.count, s[index] == ";" { index += 1 }
            return (numericReplacement(number), index)
        }
        let excluded: Set<Unicode.Scalar> = ["\t", "\n", "\u{0C}", " ", "<", "&", "#", ";"]
        var end = start
        while end < s.count, end - start < 32, !excluded.contains(s[end]) { end += 1 }
        guard end > start else { return nil }
        if end < s.count, s[end] == ";" { end += 1 }
        let name = String(String.UnicodeScalarView(s[start..<end]))
        if let value = named[name] { return (value, end) }
        let length = end - start
        if length > 2 {
            for prefix in stride(from: length - 1, to: 1, by: -1) {
                let candidate = String(String.UnicodeScalarView(s[start..<(start + prefix)]))
                if let value = named[candidate] {
                    return (value + String(String.UnicodeScalarView(s[(start + prefix)..<end])), end)
                }
            }
        }
        return ("&" + name, end)
    }

    private static func numericReplacement(_ number: UInt64) -> String {
        if number <= UInt64(UInt32.max), let mapped = HTMLEntityTable.invalidCharrefs[UInt32(number)] {
            return Unicode.Scalar(mapped).map { String(Character($0)) } ?? "\u{FFFD}"
        }
        if (0xD800...0xDFFF).contains(number) || number > 0x10FFFF { return "\u{FFFD}" }
        if HTMLEntityTable.invalidCodepoints.contains(UInt32(number)) { return "" }
        return Unicode.Scalar(UInt32(number)).map { String(Character($0)) } ?? "\u{FFFD}"
    }

    private static func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x30...0x39: scalar.value - 0x30
        case 0x41...0x46: scalar.value - 0x41 + 10
        case 0x61...0x66: scalar.value - 0x61 + 10
        default: nil
        }
    }
}
