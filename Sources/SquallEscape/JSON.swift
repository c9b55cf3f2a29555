import FoundationEssentials

/// Writes `value` as JSON exactly as Tornado's `json_encode` (Python's `json.dumps` then `</` → `<\/`).
///
/// Python's format: `", "` and `": "` separators, every non-ASCII character as `\uXXXX` (surrogate pairs above
/// U+FFFF), floats as Python's `repr` (`1.0`, `1e+16`), `NaN`/`Infinity` for non-finite floats. The `<\/` makes
/// the output safe inside a `<script>` element.
public func jsonEncode(_ value: JSONValue) -> String {
    var out = [UInt8]()
    JSONWriter.write(value, into: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Writes an `Encodable` value as JSON in Tornado's format (see ``jsonEncode(_:)-(JSONValue)``).
///
/// The value goes through Foundation's `JSONEncoder` first, so object keys come out sorted and dates as
/// ISO 8601 strings.
/// - Throws: ``EscapeError/unencodable(_:)`` when the encoder refuses the value.
public func jsonEncode(_ value: some Encodable) throws(EscapeError) -> String {
    jsonEncode(try JSONValue(encoding: value))
}

/// Parses JSON text (Tornado's `json_decode`, Python's `json.loads`).
///
/// Accepts what Python accepts, including `NaN`, `Infinity` and `-Infinity`; integers too large for `Int` become
/// doubles; lone surrogate escapes become U+FFFD. Nesting deeper than 512 levels is refused.
/// - Throws: ``EscapeError/invalidJSON(reason:offset:)`` for text that is not JSON.
public func jsonDecode(_ text: String) throws(EscapeError) -> JSONValue {
    var parser = JSONParser(Array(text.unicodeScalars))
    return try parser.parseDocument()
}

extension JSONValue {
    /// The JSON form of an `Encodable` value (through Foundation's `JSONEncoder`, keys sorted, dates ISO 8601).
    ///
    /// - Throws: ``EscapeError/unencodable(_:)`` when the encoder refuses the value.
    public init(encoding value: some Encodable) throws(EscapeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity",
            negativeInfinity: "-Infinity",
            nan: "NaN"
        )
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw .unencodable(String(describing: error))
        }
        self = try jsonDecode(String(decoding: data, as: UTF8.self))
    }
}

/// Python's `json.dumps` output.
enum JSONWriter {
    static let hex = Array("0123456789abcdef".utf8)

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: pythonFloat(number).utf8)
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                writeString(member.key, into: &out)
                out.append(contentsOf: ": ".utf8)
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Python's `float.__repr__` (Swift's `description` is the same shortest round-trip form).
    static func pythonFloat(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return number.description
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var previous: UInt8 = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x2F where previous == UInt8(ascii: "<"):
                out.append(contentsOf: [0x5C, 0x2F])
            case 0x20...0x7E: out.append(UInt8(value))
            case 0x10000...:
                let offset = value - 0x10000
                writeEscape(0xD800 + (offset >> 10), into: &out)
                writeEscape(0xDC00 + (offset & 0x3FF), into: &out)
            default: writeEscape(value, into: &out)
            }
            previous = value < 0x80 ? UInt8(value) : 0
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ unit: UInt32, into out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((unit >> UInt32(shift)) & 0xF)]) }
    }
}
