import FoundationEssentials

extension TemplateValue {
    /// Python's `str(value)`: what `{{ value }}` writes (before escaping).
    public var str: String {
        switch self {
        case .string(let text): text
        case .none: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .int(let number): String(number)
        case .double(let number): Self.pythonFloat(number)
        case .date(let date): Self.pythonDate(date)
        case .object(let object): object.templateDescription
        case .function(let function): "<function \(function.name)>"
        case .list, .tuple, .dict: repr
        }
    }

    /// Python's `repr(value)`.
    public var repr: String {
        switch self {
        case .string(let text): Self.pythonRepr(text)
        case .list(let items): "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .tuple(let items):
            items.count == 1 ? "(" + items[0].repr + ",)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case .dict(let dict):
            "{" + zip(dict.keys, dict.values).map { $0.repr + ": " + $1.repr }.joined(separator: ", ") + "}"
        case .date(let date): "datetime.datetime(" + Self.dateComponents(date).reprArguments + ")"
        default: str
        }
    }

    /// Python's truth value.
    public var isTruthy: Bool {
        switch self {
        case .none: false
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .list(let items), .tuple(let items): !items.isEmpty
        case .dict(let dict): dict.count > 0
        case .date, .object, .function: true
        }
    }

    /// Python's name of the value's type, for error messages.
    var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .date: "datetime.datetime"
        case .object(let object): String(describing: type(of: object))
        case .function: "function"
        }
    }

    static func pythonFloat(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return number.description
    }

    static func pythonRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if !scalar.isASCII && !isPrintable(scalar) {
                    out += scalar.value <= 0xFFFF
                        ? "\\u" + hex(scalar.value, width: 4) : "\\U" + hex(scalar.value, width: 8)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: false
        case .spaceSeparator: scalar == " "
        default: true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The UTC calendar fields of a date, as a naive Python `datetime` has them.
    struct DateComponents {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int
        var weekday: Int  // Monday = 0, as Python's weekday()

        var reprArguments: String {
            var parts = [year, month, day, hour, minute]
            if second != 0 || microsecond != 0 { parts.append(second) }
            if microsecond != 0 { parts.append(microsecond) }
            return parts.map(String.init).joined(separator: ", ")
        }
    }

    static func dateComponents(_ date: Date) -> DateComponents {
        let total = date.timeIntervalSince1970
        var seconds = Int(total.rounded(.down))
        var micro = Int(((total - Double(seconds)) * 1_000_000).rounded())
        if micro >= 1_000_000 {
            seconds += 1
            micro -= 1_000_000
        }
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday (3)
        return DateComponents(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60, microsecond: micro, weekday: weekday
        )
    }

    /// Python's `str(datetime)`: `2024-01-02 03:04:05`, with `.ffffff` when there are microseconds.
    static func pythonDate(_ date: Date) -> String {
        let c = dateComponents(date)
        var text = pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2) + " " + pad(c.hour, 2) + ":"
            + pad(c.minute, 2) + ":" + pad(c.second, 2)
        if c.microsecond != 0 { text += "." + pad(c.microsecond, 6) }
        return text
    }

    static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
