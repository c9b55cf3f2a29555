/// Python's string formatting: `"%s items" % n`, `"{} of {}".format(a, b)` and `datetime.strftime`.
enum PythonFormat {
    typealias Value = TemplateValue

    /// `format % values` with the conversions templates use: `%s %r %d %i %f %e %g %x %X %o %%`, flags `-+ 0#`,
    /// width and precision, and `%(name)s` with a dict.
    static func percent(_ format: String, _ values: Value) throws -> String {
        var arguments: [Value]
        var mapping: TemplateDict?
        switch values {
        case .tuple(let items): arguments = items
        case .dict(let dict):
            arguments = [values]
            mapping = dict
        default: arguments = [values]
        }
        var next = 0
        var out = ""
        let s = Array(format.unicodeScalars)
        var i = 0
        func fail(_ message: String) -> TemplateRuntimeError { TemplateRuntimeError(.typeError, message) }
        while i < s.count {
            let c = s[i]
            guard c == "%" else {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < s.count else { throw TemplateRuntimeError(.valueError, "incomplete format") }
            var argument: Value?
            if s[i] == "(" {
                guard let close = s[i...].firstIndex(of: ")") else {
                    throw TemplateRuntimeError(.valueError, "incomplete format key")
                }
                let key = String(String.UnicodeScalarView(s[(i + 1)..<close]))
                guard let mapping else { throw fail("format requires a mapping") }
                guard let value = mapping[string: key] else { throw TemplateRuntimeError(.keyError, Value.pythonRepr(key)) }
                argument = value
                i = close + 1
            }
            var flags = Set<Unicode.Scalar>()
            while i < s.count, "-+ 0#".unicodeScalars.contains(s[i]) {
                flags.insert(s[i])
                i += 1
            }
            var width = 0
            while i < s.count, let digit = s[i].properties.numericType == .decimal ? Int(String(s[i])) : nil {
                width = min(width * 10 + digit, 10_000)
                i += 1
            }
            var precision: Int?
            if i < s.count, s[i] == "." {
                i += 1
                var p = 0
                while i < s.count, let digit = s[i].properties.numericType == .decimal ? Int(String(s[i])) : nil {
                    p = min(p * 10 + digit, 1000)
                    i += 1
                }
                precision = p
            }
            guard i < s.count else { throw TemplateRuntimeError(.valueError, "incomplete format") }
            let conversion = s[i]
            i += 1
            if conversion == "%" {
                out += "%"
                continue
            }
            if argument == nil {
                guard next < arguments.count else { throw fail("not enough arguments for format string") }
                argument = arguments[next]
                next += 1
            }
            guard let argument else { continue }
            var body: String
            var numeric = true
            switch conversion {
            case "s":
                body = argument.str
                numeric = false
            case "r":
                body = argument.repr
                numeric = false
            case "d", "i", "u":
                guard let number = argument.number else {
                    throw fail("%\(conversion) format: a real number is required, not \(argument.typeName)")
                }
                body = String(argument.integer ?? Int(number.rounded(.towardZero)))
            case "x", "X", "o":
                guard let number = argument.integer else {
                    throw fail("%\(conversion) format: an integer is required, not \(argument.typeName)")
                }
                body = String(number, radix: conversion == "o" ? 8 : 16, uppercase: conversion == "X")
                if flags.contains("#") {
                    let prefix = conversion == "o" ? "0o" : conversion == "x" ? "0x" : "0X"
                    body = number < 0 ? "-" + prefix + body.dropFirst() : prefix + body
                }
            case "f", "F", "e", "E", "g", "G":
                guard let number = argument.number else {
                    throw fail("must be real number, not \(argument.typeName)")
                }
                body = fixed(number, conversion, precision ?? 6, alternate: flags.contains("#"))
            default:
                throw TemplateRuntimeError(.valueError, "unsupported format character '\(conversion)'")
            }
            if numeric, !body.hasPrefix("-") {
                if flags.contains("+") { body = "+" + body } else if flags.contains(" ") { body = " " + body }
            } else if !numeric, let precision {
                body = String(body.unicodeScalars.prefix(precision))
            }
            let length = body.unicodeScalars.count
            if width > length {
                let padding = width - length
                if flags.contains("-") {
                    body += String(repeating: " ", count: padding)
                } else if flags.contains("0") && numeric {
                    let sign = body.first.map { "+- ".contains($0) } == true ? String(body.removeFirst()) : ""
                    body = sign + String(repeating: "0", count: padding) + body
                } else {
                    body = String(repeating: " ", count: padding) + body
                }
            }
            out += body
        }
        if next < arguments.count && mapping == nil {
            throw fail("not all arguments converted during string formatting")
        }
        return out
    }

    /// `%f`, `%e` and `%g` as C's printf (which Python follows).
    static func fixed(_ number: Double, _ conversion: Unicode.Scalar, _ precision: Int, alternate: Bool) -> String {
        if number.isNaN { return conversion.properties.isUppercase ? "NAN" : "nan" }
        if number.isInfinite {
            let text = number < 0 ? "-inf" : "inf"
            return conversion.properties.isUppercase ? text.uppercased() : text
        }
        let format = "%" + (alternate ? "#" : "") + "." + String(precision) + String(conversion)
        return CFormat.double(format, number)
    }

    /// `template.format(*args, **kwargs)` for `{}`, `{0}`, `{name}`, `{name.attr}`, `{0[key]}`, conversions
    /// `!s`/`!r` and the format specs `%`-formatting understands (`{:.2f}`, `{:>8}`, `{:05d}`).
    static func format(_ template: String, _ arguments: TemplateArguments) throws -> String {
        var out = ""
        var automatic = 0
        let s = Array(template.unicodeScalars)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "{" {
                if i + 1 < s.count, s[i + 1] == "{" {
                    out += "{"
                    i += 2
                    continue
                }
                guard let close = s[i...].firstIndex(of: "}") else {
                    throw TemplateRuntimeError(.valueError, "Single '{' encountered in format string")
                }
                let field = String(String.UnicodeScalarView(s[(i + 1)..<close]))
                out += try replacement(field, arguments, &automatic)
                i = close + 1
            } else if c == "}" {
                guard i + 1 < s.count, s[i + 1] == "}" else {
                    throw TemplateRuntimeError(.valueError, "Single '}' encountered in format string")
                }
                out += "}"
                i += 2
            } else {
                out.unicodeScalars.append(c)
                i += 1
            }
        }
        return out
    }

    private static func replacement(_ field: String, _ arguments: TemplateArguments, _ automatic: inout Int) throws -> String {
        var spec = ""
        var name = field
        if let colon = field.firstIndex(of: ":") {
            spec = String(field[field.index(after: colon)...])
            name = String(field[..<colon])
        }
        var conversion: Character?
        if let bang = name.firstIndex(of: "!") {
            conversion = name[name.index(after: bang)...].first
            name = String(name[..<bang])
        }
        // The first part names the argument; `.attr` and `[key]` follow.
        let head = name.prefix { $0 != "." && $0 != "[" }
        var rest = name.dropFirst(head.count)
        var value: Value
        if head.isEmpty {
            guard automatic < arguments.positional.count else {
                throw TemplateRuntimeError(.indexError, "Replacement index \(automatic) out of range for positional args tuple")
            }
            value = arguments.positional[automatic]
            automatic += 1
        } else if let index = Int(head) {
            guard index < arguments.positional.count else {
                throw TemplateRuntimeError(.indexError, "Replacement index \(index) out of range for positional args tuple")
            }
            value = arguments.positional[index]
        } else {
            guard let keyword = arguments.keywords.last(where: { $0.name == head }) else {
                throw TemplateRuntimeError(.keyError, Value.pythonRepr(String(head)))
            }
            value = keyword.value
        }
        while let first = rest.first {
            if first == "." {
                let attribute = rest.dropFirst().prefix { $0 != "." && $0 != "[" }
                value = try PythonAccess.attribute(value, String(attribute))
                rest = rest.dropFirst(attribute.count + 1)
            } else {
                guard let end = rest.firstIndex(of: "]") else {
                    throw TemplateRuntimeError(.valueError, "Missing ']' in format string")
                }
                let key = rest[rest.index(after: rest.startIndex)..<end]
                value = try PythonAccess.item(value, Int(key).map(Value.int) ?? .string(String(key)))
                rest = rest[rest.index(after: end)...]
            }
        }
        if conversion == "r" { value = .string(value.repr) } else if conversion == "s" { value = .string(value.str) }
        return try applySpec(spec, value)
    }

    /// A format spec `[[fill]align][sign][0][width][,][.precision][type]`.
    private static func applySpec(_ spec: String, _ value: Value) throws -> String {
        if spec.isEmpty { return value.str }
        var s = Array(spec)
        var fill: Character = " "
        var align: Character?
        if s.count >= 2, "<>^=".contains(s[1]) {
            fill = s[0]
            align = s[1]
            s.removeFirst(2)
        } else if let first = s.first, "<>^=".contains(first) {
            align = first
            s.removeFirst()
        }
        var sign: Character?
        if let first = s.first, "+- ".contains(first) {
            sign = first
            s.removeFirst()
        }
        if s.first == "0" {
            if align == nil {
                fill = "0"
                align = "="
            }
            s.removeFirst()
        }
        var width = 0
        while let first = s.first, let digit = first.wholeNumberValue {
            width = min(width * 10 + digit, 10_000)
            s.removeFirst()
        }
        var grouping = false
        if s.first == "," {
            grouping = true
            s.removeFirst()
        }
        var precision: Int?
        if s.first == "." {
            s.removeFirst()
            var p = 0
            while let first = s.first, let digit = first.wholeNumberValue {
                p = min(p * 10 + digit, 1000)
                s.removeFirst()
            }
            precision = p
        }
        let type = s.first
        var body: String
        var numeric = value.number != nil && !(type == "s")
        if case .bool = value, type == nil { numeric = false }
        switch type {
        case "d":
            guard let integer = value.integer else { throw TemplateRuntimeError(.valueError, "Unknown format code 'd' for object of type '\(value.typeName)'") }
            body = String(integer)
        case "f", "F", "e", "E", "g", "G", "%":
            guard var number = value.number else {
                throw TemplateRuntimeError(.valueError, "Unknown format code '\(type ?? " ")' for object of type '\(value.typeName)'")
            }
            if type == "%" { number *= 100 }
            let conversion: Unicode.Scalar = type == "%" ? "f" : type?.unicodeScalars.first ?? "f"
            body = fixed(number, conversion, precision ?? 6, alternate: false) + (type == "%" ? "%" : "")
        case "x", "X", "o", "b":
            guard let integer = value.integer else { throw TemplateRuntimeError(.valueError, "Unknown format code for object of type '\(value.typeName)'") }
            body = String(integer, radix: type == "o" ? 8 : type == "b" ? 2 : 16, uppercase: type == "X")
        default:
            if case .double(let number) = value, let precision {
                body = fixed(number, "g", precision, alternate: false)
            } else {
                body = value.str
                if let precision, !numeric { body = String(body.prefix(precision)) }
            }
        }
        if grouping, numeric {
            let negative = body.hasPrefix("-")
            let digits = negative ? String(body.dropFirst()) : body
            let integerPart = digits.prefix { $0.isNumber }
            var grouped = ""
            for (index, digit) in integerPart.enumerated() {
                if index > 0 && (integerPart.count - index) % 3 == 0 { grouped += "," }
                grouped.append(digit)
            }
            body = (negative ? "-" : "") + grouped + digits.dropFirst(integerPart.count)
        }
        if numeric, !body.hasPrefix("-") {
            if sign == "+" { body = "+" + body } else if sign == " " { body = " " + body }
        }
        let length = body.count
        guard width > length else { return body }
        let padding = width - length
        switch align ?? (numeric ? ">" : "<") {
        case "<": return body + String(repeating: fill, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fill, count: left) + body + String(repeating: fill, count: padding - left)
        case "=":
            let signPart = body.first.map { "+- ".contains($0) } == true ? String(body.removeFirst()) : ""
            return signPart + String(repeating: fill, count: padding) + body
        default: return String(repeating: fill, count: padding) + body
        }
    }

    private static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// `strftime` in the C locale for the common directives (`%Y %m %d %H %M %S %f %y %B %b %A %a %I %p %j %%`).
    static func strftime(_ format: String, _ c: Value.DateComponents) -> String {
        var out = ""
        var iterator = format.makeIterator()
        while let character = iterator.next() {
            guard character == "%", let directive = iterator.next() else {
                out.append(character)
                continue
            }
            switch directive {
            case "Y": out += Value.pad(c.year, 4)
            case "y": out += Value.pad(c.year % 100, 2)
            case "m": out += Value.pad(c.month, 2)
            case "d": out += Value.pad(c.day, 2)
            case "H": out += Value.pad(c.hour, 2)
            case "I": out += Value.pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2)
            case "p": out += c.hour < 12 ? "AM" : "PM"
            case "M": out += Value.pad(c.minute, 2)
            case "S": out += Value.pad(c.second, 2)
            case "f": out += Value.pad(c.microsecond, 6)
            case "B": out += months[c.month - 1]
            case "b": out += String(months[c.month - 1].prefix(3))
            case "A": out += weekdays[c.weekday]
            case "a": out += String(weekdays[c.weekday].prefix(3))
            case "j": out += Value.pad(dayOfYear(c), 3)
            case "%": out += "%"
            default: out += "%" + String(directive)
            }
        }
        return out
    }

    private static func dayOfYear(_ c: Value.DateComponents) -> Int {
        let leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return days.prefix(c.month - 1).reduce(0, +) + c.day
    }
}
