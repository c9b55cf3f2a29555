#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Python's operators on ``TemplateValue``s.
enum PythonOperators {
    typealias Value = TemplateValue
    /// The longest list or string an operator may build (`"x" * n`, `range`), so templates cannot exhaust memory.
    static let maxSequenceLength = 10_000_000

    static func typeError(_ op: String, _ a: Value, _ b: Value) -> TemplateRuntimeError {
        TemplateRuntimeError(
            .typeError,
            "unsupported operand type(s) for \(op): '\(a.typeName)' and '\(b.typeName)'"
        )
    }

    static func overflow() -> TemplateRuntimeError { TemplateRuntimeError(.overflowError, "integer overflow") }

    /// Both operands as doubles when both are numbers (bools count as ints), or `nil`.
    @inline(__always)
    static func doubles(_ a: Value, _ b: Value) -> (Double, Double)? {
        guard let x = a.number, let y = b.number else { return nil }
        return (x, y)
    }

    static func add(_ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow() }
            return .int(r)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.list(let x), .list(let y)): return .list(x + y)
        case (.tuple(let x), .tuple(let y)): return .tuple(x + y)
        default:
            if let i = integerPair(a, b) { return try add(.int(i.0), .int(i.1)) }
            if let (x, y) = doubles(a, b) { return .double(x + y) }
            throw typeError("+", a, b)
        }
    }

    static func subtract(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = integerPair(a, b) {
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow() }
            return .int(r)
        }
        if let (x, y) = doubles(a, b) { return .double(x - y) }
        throw typeError("-", a, b)
    }

    static func multiply(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = integerPair(a, b) {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow() }
            return .int(r)
        }
        if let (x, y) = doubles(a, b) { return .double(x * y) }
        switch (a, b) {
        case (.string(let text), _), (_, .string(let text)):
            guard let count = (a.isInteger ? a : b).integer else { break }
            try checkLength(text.utf8.count, count)
            return .string(String(repeating: text, count: max(0, count)))
        case (.list(let items), _), (_, .list(let items)):
            guard let count = (a.isInteger ? a : b).integer else { break }
            try checkLength(items.count, count)
            return .list(Array([[Value]](repeating: items, count: max(0, count)).joined()))
        default: break
        }
        throw TemplateRuntimeError(
            .typeError,
            "can't multiply sequence by non-int of type '\(b.typeName)'"
        )
    }

    private static func checkLength(_ size: Int, _ count: Int) throws {
        if count > 0, size > 0, size.multipliedReportingOverflow(by: count).overflow
            || size * count > maxSequenceLength
        {
            throw TemplateRuntimeError(.limitError, "sequence longer than \(maxSequenceLength) items")
        }
    }

    static func trueDivide(_ a: Value, _ b: Value) throws -> Value {
        guard let (x, y) = doubles(a, b) else { throw typeError("/", a, b) }
        if y == 0 { throw TemplateRuntimeError(.zeroDivisionError, "division by zero") }
        return .double(x / y)
    }

    static func floorDivide(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = integerPair(a, b) {
            if y == 0 { throw TemplateRuntimeError(.zeroDivisionError, "integer division or modulo by zero") }
            if x == .min && y == -1 { throw overflow() }
            let q = x / y
            return .int((x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q)
        }
        guard let (x, y) = doubles(a, b) else { throw typeError("//", a, b) }
        if y == 0 { throw TemplateRuntimeError(.zeroDivisionError, "float floor division by zero") }
        return .double((x / y).rounded(.down))
    }

    static func modulo(_ a: Value, _ b: Value) throws -> Value {
        if case .string(let format) = a { return .string(try PythonFormat.percent(format, b)) }
        if let (x, y) = integerPair(a, b) {
            if y == 0 { throw TemplateRuntimeError(.zeroDivisionError, "integer division or modulo by zero") }
            if y == -1 { return .int(0) }
            let r = x % y
            return .int(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
        }
        guard let (x, y) = doubles(a, b) else { throw typeError("%", a, b) }
        if y == 0 { throw TemplateRuntimeError(.zeroDivisionError, "float modulo") }
        var r = x.truncatingRemainder(dividingBy: y)
        if r != 0 && ((r < 0) != (y < 0)) { r += y }
        return .double(r)
    }

    static func power(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = integerPair(a, b), y >= 0 {
            var result = 1
            var base = x
            var exponent = y
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    result = r
                }
                exponent >>= 1
                if exponent > 0 {
                    let (r, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    base = r
                }
            }
            return .int(result)
        }
        guard let (x, y) = doubles(a, b) else { throw typeError("** or pow()", a, b) }
        if x == 0 && y < 0 {
            throw TemplateRuntimeError(.zeroDivisionError, "0.0 cannot be raised to a negative power")
        }
        return .double(pow(x, y))
    }

    static func negate(_ a: Value) throws -> Value {
        switch a {
        case .int(let x):
            if x == .min { throw overflow() }
            return .int(-x)
        case .bool(let flag): return .int(flag ? -1 : 0)
        case .double(let x): return .double(-x)
        default: throw TemplateRuntimeError(.typeError, "bad operand type for unary -: '\(a.typeName)'")
        }
    }

    static func plus(_ a: Value) throws -> Value {
        switch a {
        case .int, .double: return a
        case .bool(let flag): return .int(flag ? 1 : 0)
        default: throw TemplateRuntimeError(.typeError, "bad operand type for unary +: '\(a.typeName)'")
        }
    }

    @inline(__always)
    static func integerPair(_ a: Value, _ b: Value) -> (Int, Int)? {
        guard let x = a.integer, let y = b.integer else { return nil }
        return (x, y)
    }

    // MARK: - Comparisons

    static func equals(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.none, .none): return true
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equals($0, $1) }
        case (.dict(let x), .dict(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in zip(x.keys, x.values) {
                guard let other = y[key], equals(value, other) else { return false }
            }
            return true
        case (.date(let x), .date(let y)): return x == y
        case (.object(let x), .object(let y)): return x === y
        case (.function(let x), .function(let y)): return x === y
        default:
            if let (x, y) = doubles(a, b) { return x == y }
            return false
        }
    }

    /// `a < b` (Python's ordering; mixing types other than numbers is a `TypeError`).
    static func less(_ a: Value, _ b: Value, _ op: String = "<") throws -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.string(let x), .string(let y)): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        case (.date(let x), .date(let y)): return x < y
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)):
            for (p, q) in zip(x, y) where !equals(p, q) { return try less(p, q, op) }
            return x.count < y.count
        default:
            if let (x, y) = doubles(a, b) { return x < y }
            throw TemplateRuntimeError(
                .typeError,
                "'\(op)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'"
            )
        }
    }

    /// `needle in haystack`.
    static func contains(_ haystack: Value, _ needle: Value) throws -> Bool {
        switch haystack {
        case .string(let text):
            guard case .string(let part) = needle else {
                throw TemplateRuntimeError(
                    .typeError,
                    "'in <string>' requires string as left operand, not \(needle.typeName)"
                )
            }
            return part.isEmpty || text.contains(part)
        case .list(let items), .tuple(let items): return items.contains { equals($0, needle) }
        case .dict(let dict):
            guard TemplateDict.isHashable(needle) else {
                throw TemplateRuntimeError(.typeError, "unhashable type: '\(needle.typeName)'")
            }
            return dict[needle] != nil
        case .object(let object):
            guard let items = try object.templateIterate() else { break }
            return items.contains { equals($0, needle) }
        default: break
        }
        throw TemplateRuntimeError(.typeError, "argument of type '\(haystack.typeName)' is not iterable")
    }

    static func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): true
        case (.bool(let x), .bool(let y)): x == y
        case (.object(let x), .object(let y)): x === y
        case (.function(let x), .function(let y)): x === y
        case (.int(let x), .int(let y)): x == y && (-5...256).contains(x)
        default: false
        }
    }
}

extension TemplateValue {
    /// The integer of an int or bool (Python's `bool` is an `int`), or `nil`.
    @inline(__always)
    public var integer: Int? {
        switch self {
        case .int(let number): number
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }

    var isInteger: Bool { integer != nil }

    /// The number of an int, bool or float, or `nil`.
    @inline(__always)
    public var number: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }
}
