import FoundationEssentials
import SquallEscape

/// The methods of strings, dicts, lists and dates that templates can call.
enum PythonMethods {
    typealias Value = TemplateValue

    static let stringMethods: Set<String> = [
        "upper", "lower", "strip", "lstrip", "rstrip", "join", "split", "replace", "startswith", "endswith",
        "title", "capitalize", "count", "find", "format", "isdigit", "isalpha", "zfill", "center", "ljust", "rjust",
        "splitlines",
    ]
    static let dictMethods: Set<String> = ["items", "keys", "values", "get"]
    static let listMethods: Set<String> = ["index", "count"]

    /// `value.name` as a function value (a bound method).
    static func bound(_ value: Value, _ name: String) -> Value {
        .function(TemplateFunction(name) { arguments in try call(value, name, arguments) })
    }

    /// `value.name(arguments)`.
    static func call(_ value: Value, _ name: String, _ arguments: TemplateArguments) throws -> Value {
        switch value {
        case .string(let text) where stringMethods.contains(name): return try string(text, name, arguments)
        case .dict(let dict) where dictMethods.contains(name): return try self.dict(dict, name, arguments)
        case .list(let items) where listMethods.contains(name):
            let needle = try arguments.required(0, function: name)
            if name == "count" { return .int(items.filter { PythonOperators.equals($0, needle) }.count) }
            guard let index = items.firstIndex(where: { PythonOperators.equals($0, needle) }) else {
                throw TemplateRuntimeError(.valueError, "\(needle.repr) is not in list")
            }
            return .int(index)
        default:
            return try PythonAccess.call(try PythonAccess.attribute(value, name), arguments)
        }
    }

    private static func text(_ arguments: TemplateArguments, _ position: Int, _ function: String) throws -> String? {
        guard let value = arguments.value(position) else { return nil }
        if case .none = value { return nil }
        guard case .string(let text) = value else {
            throw TemplateRuntimeError(.typeError, "\(function)() argument must be str, not \(value.typeName)")
        }
        return text
    }

    private static func string(_ s: String, _ name: String, _ arguments: TemplateArguments) throws -> Value {
        switch name {
        case "upper": return .string(s.uppercased())
        case "lower": return .string(s.lowercased())
        case "title": return .string(title(s))
        case "capitalize": return .string(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        case "strip", "lstrip", "rstrip":
            guard let chars = try text(arguments, 0, name) else {
                return .string(
                    name == "strip" ? PythonText.strip(s) : name == "lstrip" ? PythonText.lstrip(s) : PythonText.rstrip(s)
                )
            }
            let set = Set(chars.unicodeScalars)
            var scalars = Substring(s).unicodeScalars[...]
            if name != "rstrip" { while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() } }
            if name != "lstrip" { while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() } }
            return .string(String(scalars))
        case "join":
            let items = try PythonAccess.iterate(try arguments.required(0, function: "join"))
            var parts: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let part) = item else {
                    throw TemplateRuntimeError(
                        .typeError,
                        "sequence item \(index): expected str instance, \(item.typeName) found"
                    )
                }
                parts.append(part)
            }
            return .string(parts.joined(separator: s))
        case "split":
            let separator = try text(arguments, 0, "split")
            let limit = arguments.value(1, "maxsplit")?.integer ?? -1
            return .list(split(s, separator, limit).map(Value.string))
        case "splitlines":
            var lines = s.split(omittingEmptySubsequences: false) { $0.isNewline }.map { Value.string(String($0)) }
            if s.last?.isNewline == true || s.isEmpty { lines.removeLast() }
            return .list(lines)
        case "replace":
            guard let old = try text(arguments, 0, "replace"), let new = try text(arguments, 1, "replace") else {
                throw TemplateRuntimeError(.typeError, "replace() takes 2 string arguments")
            }
            if old.isEmpty { return .string(new + s.map { String($0) + new }.joined()) }
            return .string(s.replacing(old, with: new))
        case "startswith", "endswith":
            let argument = try arguments.required(0, function: name)
            let candidates: [Value] = if case .tuple(let items) = argument { items } else { [argument] }
            for candidate in candidates {
                guard case .string(let affix) = candidate else {
                    throw TemplateRuntimeError(.typeError, "\(name) first arg must be str or a tuple of str")
                }
                if name == "startswith" ? s.unicodeScalars.starts(with: affix.unicodeScalars)
                    : s.unicodeScalars.reversed().starts(with: affix.unicodeScalars.reversed())
                {
                    return .bool(true)
                }
            }
            return .bool(false)
        case "count":
            guard let needle = try text(arguments, 0, "count") else { return .int(0) }
            if needle.isEmpty { return .int(s.unicodeScalars.count + 1) }
            return .int(s.split(separator: needle, omittingEmptySubsequences: false).count - 1)
        case "find":
            guard let needle = try text(arguments, 0, "find") else { return .int(-1) }
            guard let range = s.firstRange(of: needle) else { return .int(-1) }
            return .int(s.unicodeScalars.distance(from: s.startIndex, to: range.lowerBound))
        case "format": return .string(try PythonFormat.format(s, arguments))
        case "isdigit": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal || $0.properties.numericType == .digit })
        case "isalpha": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic })
        case "zfill":
            let width = arguments.value(0)?.integer ?? 0
            let count = s.unicodeScalars.count
            guard width > count else { return .string(s) }
            let padding = String(repeating: "0", count: width - count)
            if let first = s.first, first == "-" || first == "+" { return .string(String(first) + padding + s.dropFirst()) }
            return .string(padding + s)
        default:  // center, ljust, rjust
            let width = arguments.value(0)?.integer ?? 0
            let fill = try text(arguments, 1, name) ?? " "
            let count = s.unicodeScalars.count
            guard width > count, fill.unicodeScalars.count == 1 else { return .string(s) }
            let total = width - count
            switch name {
            case "ljust": return .string(s + String(repeating: fill, count: total))
            case "rjust": return .string(String(repeating: fill, count: total) + s)
            default:
                let left = total / 2 + (total & width & 1)
                return .string(String(repeating: fill, count: left) + s + String(repeating: fill, count: total - left))
            }
        }
    }

    private static func title(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for character in s {
            out += previousCased ? character.lowercased() : character.uppercased()
            previousCased = character.isCased
        }
        return out
    }

    /// Python's `str.split(sep, maxsplit)`.
    static func split(_ s: String, _ separator: String?, _ limit: Int) -> [String] {
        guard let separator else {
            var parts: [String] = []
            var current = String.UnicodeScalarView()
            var inWord = false
            var rest: Substring.UnicodeScalarView?
            let scalars = Substring(s).unicodeScalars
            var index = scalars.startIndex
            while index < scalars.endIndex {
                let scalar = scalars[index]
                if PythonText.isSpace(scalar) {
                    if inWord {
                        parts.append(String(current))
                        current = String.UnicodeScalarView()
                        inWord = false
                    }
                } else {
                    if !inWord, limit >= 0, parts.count == limit {
                        rest = scalars[index...]
                        break
                    }
                    inWord = true
                    current.append(scalar)
                }
                index = scalars.index(after: index)
            }
            if let rest { parts.append(PythonText.rstrip(String(rest))) } else if inWord { parts.append(String(current)) }
            return parts
        }
        if separator.isEmpty { return [s] }
        var parts = s.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        if limit >= 0 && parts.count > limit + 1 {
            parts = Array(parts[..<limit]) + [parts[limit...].joined(separator: separator)]
        }
        return parts
    }

    private static func dict(_ d: TemplateDict, _ name: String, _ arguments: TemplateArguments) throws -> Value {
        switch name {
        case "items": return .list(zip(d.keys, d.values).map { .tuple([$0, $1]) })
        case "keys": return .list(d.keys)
        case "values": return .list(d.values)
        default:
            let key = try arguments.required(0, function: "get")
            guard TemplateDict.isHashable(key) else {
                throw TemplateRuntimeError(.typeError, "unhashable type: '\(key.typeName)'")
            }
            return d[key] ?? arguments.value(1) ?? .none
        }
    }

    /// The attributes and methods of a date (`year`, `month`, ..., `strftime`, `isoformat`, `timestamp`).
    static func dateAttribute(_ value: Value, _ name: String) throws -> Value? {
        guard case .date(let date) = value else { return nil }
        let c = Value.dateComponents(date)
        switch name {
        case "year": return .int(c.year)
        case "month": return .int(c.month)
        case "day": return .int(c.day)
        case "hour": return .int(c.hour)
        case "minute": return .int(c.minute)
        case "second": return .int(c.second)
        case "microsecond": return .int(c.microsecond)
        case "weekday": return .function(TemplateFunction("weekday") { _ in .int(c.weekday) })
        case "isoweekday": return .function(TemplateFunction("isoweekday") { _ in .int(c.weekday + 1) })
        case "timestamp": return .function(TemplateFunction("timestamp") { _ in .double(date.timeIntervalSince1970) })
        case "isoformat":
            return .function(
                TemplateFunction("isoformat") { arguments in
                    let separator = (try text(arguments, 0, "isoformat")) ?? "T"
                    return .string(Value.pythonDate(date).replacing(" ", with: separator))
                }
            )
        case "strftime":
            return .function(
                TemplateFunction("strftime") { arguments in
                    .string(PythonFormat.strftime(try text(arguments, 0, "strftime") ?? "", c))
                }
            )
        default: return nil
        }
    }
}
