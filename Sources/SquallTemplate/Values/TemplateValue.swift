public import FoundationEssentials
public import SquallEscape

/// A value in a template: what expressions compute and what the application passes in.
///
/// Python's types as templates see them. Applications rarely build these by hand: ``TemplateValue/init(_:)``
/// converts ordinary Swift values (strings, numbers, `Bool`, `Date`, arrays, dictionaries, optionals,
/// `Encodable` models, ``TemplateObject``s), and the literal protocols let a namespace be written as
/// `["title": "Home", "count": 3]`.
public enum TemplateValue: Sendable {
    /// Python's `None`.
    case none
    /// `True` or `False`.
    case bool(Bool)
    /// An integer (64-bit: arithmetic that overflows is an error, where Python would grow the number).
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A string.
    case string(String)
    /// A list.
    case list([TemplateValue])
    /// A tuple (what `enumerate`, `items()` and `a, b` produce).
    case tuple([TemplateValue])
    /// A dictionary, keys in insertion order.
    case dict(TemplateDict)
    /// A point in time; shown and taken apart in UTC (as a naive Python `datetime`).
    case date(Date)
    /// An application object with attributes (see ``TemplateObject``).
    case object(any TemplateObject)
    /// A function templates can call.
    case function(TemplateFunction)
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A list literal.
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    /// A dictionary literal with string keys, in the order written.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        var dict = TemplateDict()
        for (key, value) in elements { dict[.string(key)] = value }
        self = .dict(dict)
    }
    /// `nil` is `None`.
    public init(nilLiteral: ()) { self = .none }
}

/// A type that knows its template form; conform your own types to control how templates see them.
public protocol TemplateValueConvertible {
    /// The value templates see.
    var templateValue: TemplateValue { get }
}

/// Lets ``TemplateValue/init(_:)`` see through optionals held in an `Any`.
private protocol OptionalProtocol {
    var wrappedAny: Any? { get }
}

extension Optional: OptionalProtocol {
    fileprivate var wrappedAny: Any? {
        switch self {
        case .some(let value): value
        case .none: nil
        }
    }
}

extension TemplateValue {
    /// Converts an ordinary Swift value (the conversion behind every namespace).
    ///
    /// - `TemplateValue`, ``TemplateValueConvertible``, ``TemplateObject``, ``TemplateFunction``: as they are.
    /// - `String`, `Substring`, `Character` → string; `Bool` → bool; every integer type → int; `Double`, `Float`
    ///   → double; `Date` → date; `nil` → `None`.
    /// - Arrays → list; dictionaries → dict (Swift dictionaries have no order, so keys are sorted).
    /// - Other `Encodable` values (your models) → dicts in declaration order whose keys templates can read as
    ///   attributes (`user.name`) or items (`user["name"]`); `nil` properties are `None`, dates stay dates.
    /// - Anything else → its `String(describing:)` text.
    public init(_ value: Any) {
        self = Self.convert(value, depth: 0)
    }

    private static func convert(_ value: Any, depth: Int) -> TemplateValue {
        if depth > 64 { return .string(String(describing: value)) }
        // Plain values and collections first: on Linux, casting a Swift collection to a class-bound existential
        // (TemplateObject) bridges it to an NSDictionary/NSArray, which costs microseconds per value.
        switch value {
        case let value as TemplateValue: return value
        case let value as String: return .string(value)
        case let value as Int: return .int(value)
        case let value as Bool: return .bool(value)
        case let value as Double: return .double(value)
        case let value as [String: Any]:
            var dict = TemplateDict()
            for key in value.keys.sorted() { dict[.string(key)] = convert(value[key] as Any, depth: depth + 1) }
            return .dict(dict)
        case let value as [Any]: return .list(value.map { convert($0, depth: depth + 1) })
        case let value as Date: return .date(value)
        case let value as Substring: return .string(String(value))
        case let value as Character: return .string(String(value))
        case let value as Float: return .double(Double(value))
        case let value as any BinaryInteger: return Int(exactly: value).map { .int($0) } ?? .double(Double(value))
        case let value as TemplateFunction: return .function(value)
        case let value as any OptionalProtocol:
            guard let wrapped = value.wrappedAny else { return .none }
            return convert(wrapped, depth: depth + 1)
        case let value as [AnyHashable: Any]:
            var dict = TemplateDict()
            let entries = value.map { (convert($0.key.base, depth: depth + 1), $0.value) }
            for (key, item) in entries.sorted(by: { $0.0.str < $1.0.str }) {
                dict[key] = convert(item, depth: depth + 1)
            }
            return .dict(dict)
        case let value as any TemplateValueConvertible: return value.templateValue
        case let value as any TemplateObject: return .object(value)
        case let value as any Encodable:
            if let converted = try? TemplateValueEncoder.encode(value) { return converted }
            return .string(String(describing: value))
        default: return .string(String(describing: value))
        }
    }

    /// The template form of a JSON value (objects become dicts in their order).
    public init(json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .list(items.map(TemplateValue.init(json:)))
        case .object(let members):
            var dict = TemplateDict()
            for member in members { dict[.string(member.key)] = TemplateValue(json: member.value) }
            self = .dict(dict)
        }
    }
}


