/// An application object templates can read attributes of (`{{ user.name }}`), for values that are not plain
/// data (plain data converts by itself; see ``TemplateValue/init(_:)``).
///
/// ```swift
/// final class Cart: TemplateObject {
///     let items: [String]
///     init(items: [String]) { self.items = items }
///     func templateAttribute(_ name: String) throws -> TemplateValue? {
///         switch name {
///         case "items": TemplateValue(items)
///         case "total": .function(TemplateFunction("total") { _ in .int(self.items.count) })
///         default: nil
///         }
///     }
/// }
/// ```
public protocol TemplateObject: AnyObject, Sendable {
    /// The attribute `name`, or `nil` when there is none (the template then fails with an `AttributeError`).
    func templateAttribute(_ name: String) throws -> TemplateValue?
    /// `object[key]`, or `nil` when the object is not subscriptable or has no such item.
    func templateItem(_ key: TemplateValue) throws -> TemplateValue?
    /// The values `{% for x in object %}` iterates over, or `nil` when the object is not iterable.
    func templateIterate() throws -> [TemplateValue]?
    /// Calls the object (`object(...)` in a template); the default says it is not callable.
    func templateCall(_ arguments: TemplateArguments) throws -> TemplateValue
    /// What `{{ object }}` writes (Python's `str(object)`); the default is the type's name.
    var templateDescription: String { get }
}

extension TemplateObject {
    /// No items.
    public func templateItem(_ key: TemplateValue) throws -> TemplateValue? { nil }
    /// Not iterable.
    public func templateIterate() throws -> [TemplateValue]? { nil }
    /// Not callable.
    public func templateCall(_ arguments: TemplateArguments) throws -> TemplateValue {
        throw TemplateRuntimeError(.typeError, "'\(type(of: self))' object is not callable")
    }
    /// The type's name.
    public var templateDescription: String { "<\(type(of: self)) object>" }
}

/// A function templates can call, such as the escape functions or a helper of the application's.
public final class TemplateFunction: Sendable {
    /// The name used in error messages.
    public let name: String
    let body: @Sendable (TemplateArguments) throws -> TemplateValue
    /// Set for the built-in escape functions the renderer runs without a call.
    let builtin: BuiltinEscape?

    /// A function of positional and keyword arguments.
    ///
    /// - Parameters:
    ///   - name: the name shown in errors.
    ///   - body: the function; throw ``TemplateRuntimeError`` (or any error) to fail the render.
    public init(_ name: String, _ body: @escaping @Sendable (TemplateArguments) throws -> TemplateValue) {
        self.name = name
        self.body = body
        builtin = nil
    }

    init(_ name: String, builtin: BuiltinEscape?, _ body: @escaping @Sendable (TemplateArguments) throws -> TemplateValue) {
        self.name = name
        self.body = body
        self.builtin = builtin
    }

    /// Calls the function.
    public func callAsFunction(_ arguments: TemplateArguments) throws -> TemplateValue { try body(arguments) }
}

/// The escape functions the renderer applies directly, without building call arguments.
enum BuiltinEscape: Sendable {
    case xhtmlEscape
}

/// The arguments of a call from a template: positional values, then `name=value` pairs.
public struct TemplateArguments: Sendable {
    /// Positional arguments.
    public var positional: [TemplateValue]
    /// Keyword arguments, in the order written.
    public var keywords: [(name: String, value: TemplateValue)]

    /// Arguments for a call.
    public init(_ positional: [TemplateValue] = [], keywords: [(name: String, value: TemplateValue)] = []) {
        self.positional = positional
        self.keywords = keywords
    }

    /// The argument at `position`, or the keyword argument `name`, or `nil`.
    public func value(_ position: Int, _ name: String? = nil) -> TemplateValue? {
        if position < positional.count { return positional[position] }
        guard let name else { return nil }
        return keywords.last { $0.name == name }?.value
    }

    /// Like ``value(_:_:)`` but the argument is required.
    /// - Throws: ``TemplateRuntimeError`` (`TypeError`) when it is missing.
    public func required(_ position: Int, _ name: String? = nil, function: String) throws -> TemplateValue {
        guard let value = value(position, name) else {
            throw TemplateRuntimeError(
                .typeError,
                "\(function)() missing required argument: '\(name ?? "argument \(position + 1)")'"
            )
        }
        return value
    }

    /// Fails unless there are at most `count` positional arguments and only the keywords in `allowed`.
    /// - Throws: ``TemplateRuntimeError`` (`TypeError`).
    public func check(function: String, maxPositional count: Int, keywords allowed: Set<String> = []) throws {
        if positional.count > count {
            throw TemplateRuntimeError(
                .typeError,
                "\(function)() takes at most \(count) positional arguments but \(positional.count) were given"
            )
        }
        for keyword in keywords where !allowed.contains(keyword.name) {
            throw TemplateRuntimeError(.typeError, "\(function)() got an unexpected keyword argument '\(keyword.name)'")
        }
    }
}
