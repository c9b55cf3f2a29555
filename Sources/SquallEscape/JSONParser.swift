/// Python's `json.loads` (strict mode: no control characters inside strings).
struct JSONParser {
    private let s: [Unicode.Scalar]
    private var index = 0
    private var depth = 0
    static let maxDepth = 512

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    mutating func parseDocument() throws(EscapeError) -> JSONValue {
        skipSpace()
        let value = try parseValue()
        skipSpace()
        guard index == s.count else { throw fail("extra data") }
        return value
    }

    private func fail(_ reason: String) -> EscapeError { .invalidJSON(reason: reason, offset: index) }

    private mutating func skipSpace() {
        while index < s.count, [" ", "\t", "\n", "\r"].contains(s[index]) { index += 1 }
    }

    private mutating func literal(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard index + scalars.count <= s.count, Array(s[index..<(index + scalars.count)]) == scalars else {
            return false
        }
        index += scalars.count
        return true
    }

    private mutating func parseValue() throws(EscapeError) -> JSONValue {
        guard index < s.count else { throw fail("expecting value") }
        switch s[index] {
        case "{": return try parseObject()
        case "[": return try parseArray()
        case "\"": return .string(try parseString())
        default:
            if literal("null") { return .null }
            if literal("true") { return .bool(true) }
            if literal("false") { return .bool(false) }
            if literal("NaN") { return .double(.nan) }
            if literal("Infinity") { return .double(.infinity) }
            if literal("-Infinity") { return .double(-.infinity) }
            return try parseNumber()
        }
    }

    private mutating func enter() throws(EscapeError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func parseObject() throws(EscapeError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        var positions: [String: Int] = [:]
        skipSpace()
        if index < s.count, s[index] == "}" {
            index += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard index < s.count, s[index] == "\"" else { throw fail("expecting property name in double quotes") }
            let key = try parseString()
            skipSpace()
            guard index < s.count, s[index] == ":" else { throw fail("expecting ':' delimiter") }
            index += 1
            skipSpace()
            let value = try parseValue()
            if let position = positions[key] {
                members[position].value = value
            } else {
                positions[key] = members.count
                members.append((key, value))
            }
            skipSpace()
            guard index < s.count else { throw fail("expecting ',' delimiter") }
            if s[index] == "," {
                index += 1
                continue
            }
            guard s[index] == "}" else { throw fail("expecting ',' delimiter") }
            index += 1
            return .object(members)
        }
    }

    private mutating func parseArray() throws(EscapeError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if index < s.count, s[index] == "]" {
            index += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try parseValue())
            skipSpace()
            guard index < s.count else { throw fail("expecting ',' delimiter") }
            if s[index] == "," {
                index += 1
                continue
            }
            guard s[index] == "]" else { throw fail("expecting ',' delimiter") }
            index += 1
            return .array(items)
        }
    }

    private mutating func parseString() throws(EscapeError) -> String {
        index += 1
        var out = String.UnicodeScalarView()
        while true {
            guard index < s.count else { throw fail("unterminated string") }
            let scalar = s[index]
            index += 1
            if scalar == "\"" { return String(out) }
            if scalar.value < 0x20 { throw fail("invalid control character") }
            guard scalar == "\\" else {
                out.append(scalar)
                continue
            }
            guard index < s.count else { throw fail("unterminated string") }
            let escape = s[index]
            index += 1
            switch escape {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "/": out.append("/")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                var unit = try hex4()
                if (0xD800..<0xDC00).contains(unit), index + 1 < s.count, s[index] == "\\", s[index + 1] == "u" {
                    let saved = index
                    index += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = saved
                    }
                }
                out.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
            default: throw fail("invalid \\escape")
            }
        }
    }

    private mutating func hex4() throws(EscapeError) -> UInt32 {
        guard index + 4 <= s.count else { throw fail("invalid \\uXXXX escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard s[index].isASCII, let digit = URLCoding.hexValue(UInt8(s[index].value)) else {
                throw fail("invalid \\uXXXX escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(EscapeError) -> JSONValue {
        let start = index
        func isDigit(_ i: Int) -> Bool { i < s.count && ("0"..."9").contains(s[i]) }
        if index < s.count, s[index] == "-" { index += 1 }
        guard isDigit(index) else {
            index = start
            throw fail("expecting value")
        }
        if s[index] == "0" {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        var isFloat = false
        if index < s.count, s[index] == ".", isDigit(index + 1) {
            isFloat = true
            index += 1
            while isDigit(index) { index += 1 }
        }
        if index < s.count, s[index] == "e" || s[index] == "E" {
            var probe = index + 1
            if probe < s.count, s[probe] == "+" || s[probe] == "-" { probe += 1 }
            if isDigit(probe) {
                isFloat = true
                index = probe
                while isDigit(index) { index += 1 }
            }
        }
        let text = String(String.UnicodeScalarView(s[start..<index]))
        if !isFloat, let integer = Int(text) { return .int(integer) }
        guard let number = Double(text) else { throw fail("invalid number") }
        return .double(number)
    }
}
