import FoundationEssentials
import SquallEscape

/// Python's built-in functions that templates can use: `len range enumerate str int float bool sorted min max
/// abs round list tuple reversed sum zip repr`.
enum Builtins {
    typealias Value = TemplateValue

    static let all: [String: Value] = {
        var table: [String: Value] = [:]
        func add(_ name: String, _ body: @escaping @Sendable (TemplateArguments) throws -> Value) {
            table[name] = .function(TemplateFunction(name, body))
        }
        add("len") { .int(try PythonAccess.length(try $0.required(0, function: "len"))) }
        add("str") { .string(($0.value(0) ?? .string("")).str) }
        add("repr") { .string(try $0.required(0, function: "repr").repr) }
        add("bool") { .bool(($0.value(0) ?? .bool(false)).isTruthy) }
        add("int") { try toInt($0) }
        add("float") { try toFloat($0.value(0) ?? .double(0)) }
        add("abs") { arguments in
            let value = try arguments.required(0, function: "abs")
            switch value {
            case .int(let number):
                if number == .min { throw PythonOperators.overflow() }
                return .int(abs(number))
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .double(let number): return .double(abs(number))
            default: throw TemplateRuntimeError(.typeError, "bad operand type for abs(): '\(value.typeName)'")
            }
        }
        add("round") { try round($0) }
        add("range") { try range($0) }
        add("list") { .list(try $0.value(0).map(PythonAccess.iterate) ?? []) }
        add("tuple") { .tuple(try $0.value(0).map(PythonAccess.iterate) ?? []) }
        add("reversed") { .list(try PythonAccess.iterate(try $0.required(0, function: "reversed")).reversed()) }
        add("enumerate") { arguments in
            let items = try PythonAccess.iterate(try arguments.required(0, function: "enumerate"))
            let start = arguments.value(1, "start")?.integer ?? 0
            return .list(items.enumerated().map { .tuple([.int(start + $0.offset), $0.element]) })
        }
        add("zip") { arguments in
            let lists = try arguments.positional.map(PythonAccess.iterate)
            let count = lists.map(\.count).min() ?? 0
            return .list((0..<count).map { index in .tuple(lists.map { $0[index] }) })
        }
        add("sum") { arguments in
            var total = arguments.value(1, "start") ?? .int(0)
            for item in try PythonAccess.iterate(try arguments.required(0, function: "sum")) {
                total = try PythonOperators.add(total, item)
            }
            return total
        }
        add("sorted") { arguments in
            let items = try PythonAccess.iterate(try arguments.required(0, function: "sorted"))
            let key = arguments.value(1, "key")
            let reverse = arguments.value(2, "reverse")?.isTruthy ?? false
            return .list(try sorted(items, key: key, reverse: reverse))
        }
        add("min") { try extreme($0, "min") }
        add("max") { try extreme($0, "max") }
        return table
    }()

    private static func toInt(_ arguments: TemplateArguments) throws -> Value {
        let value = arguments.value(0) ?? .int(0)
        switch value {
        case .int: return value
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .double(let number):
            guard number.isFinite, let integer = Int(exactly: number.rounded(.towardZero)) else {
                throw TemplateRuntimeError(.overflowError, "cannot convert float \(Value.pythonFloat(number)) to integer")
            }
            return .int(integer)
        case .string(let text):
            let base = arguments.value(1, "base")?.integer ?? 10
            let trimmed = PythonText.strip(text).replacing("_", with: "")
            guard let integer = Int(trimmed, radix: base) else {
                throw TemplateRuntimeError(.valueError, "invalid literal for int() with base \(base): \(value.repr)")
            }
            return .int(integer)
        default:
            throw TemplateRuntimeError(
                .typeError,
                "int() argument must be a string, a bytes-like object or a real number, not '\(value.typeName)'"
            )
        }
    }

    private static func toFloat(_ value: Value) throws -> Value {
        if let number = value.number { return .double(number) }
        if case .string(let text) = value {
            let trimmed = PythonText.strip(text).lowercased()
            let special: [String: Double] = [
                "inf": .infinity, "+inf": .infinity, "-inf": -.infinity, "infinity": .infinity,
                "-infinity": -.infinity, "nan": .nan, "+nan": .nan, "-nan": .nan,
            ]
            if let number = special[trimmed] ?? Double(trimmed), !trimmed.isEmpty { return .double(number) }
            throw TemplateRuntimeError(.valueError, "could not convert string to float: \(value.repr)")
        }
        throw TemplateRuntimeError(.typeError, "float() argument must be a string or a real number, not '\(value.typeName)'")
    }

    private static func round(_ arguments: TemplateArguments) throws -> Value {
        let value = try arguments.required(0, function: "round")
        let digits = arguments.value(1, "ndigits")
        guard let number = value.number else {
            throw TemplateRuntimeError(.typeError, "type \(value.typeName) doesn't define __round__ method")
        }
        if digits == nil || digits?.isNone == true {
            if let integer = value.integer { return .int(integer) }
            guard number.isFinite, let integer = Int(exactly: number.rounded(.toNearestOrEven)) else {
                throw TemplateRuntimeError(.overflowError, "cannot convert float to integer")
            }
            return .int(integer)
        }
        let places = digits?.integer ?? 0
        if let integer = value.integer {
            guard places < 0 else { return .int(integer) }
            let factor = Double(pow10(-places))
            return .int(Int((Double(integer) / factor).rounded(.toNearestOrEven) * factor))
        }
        // Python rounds the exact decimal value; printing with enough digits first gets the same answer in
        // nearly every case.
        let text = CFormat.double("%.\(max(0, min(places, 300)))f", number)
        if places >= 0, let rounded = Double(text) { return .double(rounded) }
        let factor = Double(pow10(-places))
        return .double((number / factor).rounded(.toNearestOrEven) * factor)
    }

    private static func pow10(_ exponent: Int) -> Int {
        var result = 1
        for _ in 0..<min(exponent, 18) { result *= 10 }
        return result
    }

    private static func range(_ arguments: TemplateArguments) throws -> Value {
        let numbers = try arguments.positional.map { value -> Int in
            guard let number = value.integer else {
                throw TemplateRuntimeError(.typeError, "'\(value.typeName)' object cannot be interpreted as an integer")
            }
            return number
        }
        let (start, stop, step): (Int, Int, Int)
        switch numbers.count {
        case 1: (start, stop, step) = (0, numbers[0], 1)
        case 2: (start, stop, step) = (numbers[0], numbers[1], 1)
        case 3: (start, stop, step) = (numbers[0], numbers[1], numbers[2])
        default: throw TemplateRuntimeError(.typeError, "range expected 1 to 3 arguments, got \(numbers.count)")
        }
        if step == 0 { throw TemplateRuntimeError(.valueError, "range() arg 3 must not be zero") }
        let count = step > 0 ? (stop > start ? (stop - start - 1) / step + 1 : 0) : (start > stop ? (start - stop - 1) / -step + 1 : 0)
        if count > PythonOperators.maxSequenceLength {
            throw TemplateRuntimeError(.limitError, "range of \(count) items is longer than \(PythonOperators.maxSequenceLength)")
        }
        return .list((0..<count).map { .int(start + $0 * step) })
    }

    /// A stable merge sort whose comparison may throw (Python's `sorted`).
    static func sorted(_ items: [Value], key: Value?, reverse: Bool) throws -> [Value] {
        var keys = items
        if let key, !key.isNone { keys = try items.map { try PythonAccess.call(key, TemplateArguments([$0])) } }
        var order = Array(items.indices)
        var scratch = order
        func merge(_ low: Int, _ high: Int) throws {
            guard high - low > 1 else { return }
            let middle = (low + high) / 2
            try merge(low, middle)
            try merge(middle, high)
            var i = low, j = middle, k = low
            while i < middle && j < high {
                // Reversed sorts stay stable, as Python's: equal items keep their order.
                let takeRight = reverse ? try PythonOperators.less(keys[order[i]], keys[order[j]])
                    : try PythonOperators.less(keys[order[j]], keys[order[i]])
                if takeRight {
                    scratch[k] = order[j]
                    j += 1
                } else {
                    scratch[k] = order[i]
                    i += 1
                }
                k += 1
            }
            while i < middle { scratch[k] = order[i]; i += 1; k += 1 }
            while j < high { scratch[k] = order[j]; j += 1; k += 1 }
            for index in low..<high { order[index] = scratch[index] }
        }
        try merge(0, items.count)
        return order.map { items[$0] }
    }

    private static func extreme(_ arguments: TemplateArguments, _ name: String) throws -> Value {
        let items = arguments.positional.count == 1 ? try PythonAccess.iterate(arguments.positional[0]) : arguments.positional
        let key = arguments.keywords.last { $0.name == "key" }?.value
        guard var best = items.first else {
            if let fallback = arguments.keywords.last(where: { $0.name == "default" }) { return fallback.value }
            throw TemplateRuntimeError(.valueError, "\(name)() arg is an empty sequence")
        }
        func keyed(_ value: Value) throws -> Value {
            guard let key, !key.isNone else { return value }
            return try PythonAccess.call(key, TemplateArguments([value]))
        }
        var bestKey = try keyed(best)
        for item in items.dropFirst() {
            let itemKey = try keyed(item)
            if name == "min" ? try PythonOperators.less(itemKey, bestKey) : try PythonOperators.less(bestKey, itemKey) {
                best = item
                bestKey = itemKey
            }
        }
        return best
    }
}

extension TemplateValue {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}
