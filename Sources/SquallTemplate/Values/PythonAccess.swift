/// Attribute, item and slice access, and iteration, as Python does them.
enum PythonAccess {
    typealias Value = TemplateValue

    /// `value.name` (methods come back bound; see ``PythonMethods``).
    static func attribute(_ value: Value, _ name: String) throws -> Value {
        switch value {
        case .object(let object):
            if let result = try object.templateAttribute(name) { return result }
        case .dict(let dict):
            if PythonMethods.dictMethods.contains(name) { return PythonMethods.bound(value, name) }
            // Like Tornado's ObjectDict: keys read as attributes (how Swift models look in templates).
            if let result = dict[string: name] { return result }
        case .date:
            if let result = try PythonMethods.dateAttribute(value, name) { return result }
        case .string:
            if PythonMethods.stringMethods.contains(name) { return PythonMethods.bound(value, name) }
        case .list:
            if PythonMethods.listMethods.contains(name) { return PythonMethods.bound(value, name) }
        case .double(let number):
            if name == "real" { return value }
            if name == "imag" { return .double(0) }
            if name == "is_integer" { return .function(TemplateFunction("is_integer") { _ in .bool(number.rounded() == number) }) }
        default: break
        }
        throw TemplateRuntimeError(.attributeError, "'\(value.typeName)' object has no attribute '\(name)'")
    }

    /// `value[key]`.
    static func item(_ value: Value, _ key: Value) throws -> Value {
        switch value {
        case .dict(let dict):
            guard TemplateDict.isHashable(key) else {
                throw TemplateRuntimeError(.typeError, "unhashable type: '\(key.typeName)'")
            }
            if let result = dict[key] { return result }
            throw TemplateRuntimeError(.keyError, key.repr)
        case .list(let items), .tuple(let items):
            guard let index = key.integer else {
                throw TemplateRuntimeError(
                    .typeError,
                    "\(value.typeName) indices must be integers or slices, not \(key.typeName)"
                )
            }
            let position = index < 0 ? items.count + index : index
            guard position >= 0 && position < items.count else {
                throw TemplateRuntimeError(.indexError, "\(value.typeName) index out of range")
            }
            return items[position]
        case .string(let text):
            guard let index = key.integer else {
                throw TemplateRuntimeError(.typeError, "string indices must be integers, not '\(key.typeName)'")
            }
            let scalars = Array(text.unicodeScalars)
            let position = index < 0 ? scalars.count + index : index
            guard position >= 0 && position < scalars.count else {
                throw TemplateRuntimeError(.indexError, "string index out of range")
            }
            return .string(String(scalars[position]))
        case .object(let object):
            if let result = try object.templateItem(key) { return result }
            throw TemplateRuntimeError(.keyError, key.repr)
        default:
            throw TemplateRuntimeError(.typeError, "'\(value.typeName)' object is not subscriptable")
        }
    }

    /// `value[start:stop:step]`.
    static func slice(_ value: Value, _ start: Value, _ stop: Value, _ step: Value) throws -> Value {
        func bound(_ v: Value) throws -> Int? {
            if case .none = v { return nil }
            guard let number = v.integer else {
                throw TemplateRuntimeError(
                    .typeError,
                    "slice indices must be integers or None or have an __index__ method"
                )
            }
            return number
        }
        let stepValue = try bound(step) ?? 1
        if stepValue == 0 { throw TemplateRuntimeError(.valueError, "slice step cannot be zero") }
        func indices(_ count: Int) throws -> [Int] {
            var lower = try bound(start)
            var upper = try bound(stop)
            if stepValue > 0 {
                lower = clamp(lower ?? 0, count, 0, count)
                upper = clamp(upper ?? count, count, 0, count)
                guard let lower, let upper, lower < upper else { return [] }
                return Array(stride(from: lower, to: upper, by: stepValue))
            }
            lower = clamp(lower ?? count - 1, count, -1, count - 1)
            upper = upper.map { clamp($0, count, -1, count - 1) } ?? -1
            guard let lower, let upper, lower > upper else { return [] }
            return Array(stride(from: lower, to: upper, by: stepValue))
        }
        switch value {
        case .list(let items): return .list(try indices(items.count).map { items[$0] })
        case .tuple(let items): return .tuple(try indices(items.count).map { items[$0] })
        case .string(let text):
            let scalars = Array(text.unicodeScalars)
            if stepValue == 1 {
                let range = try indices(scalars.count)
                guard let first = range.first, let last = range.last else { return .string("") }
                return .string(String(String.UnicodeScalarView(scalars[first...last])))
            }
            return .string(String(String.UnicodeScalarView(try indices(scalars.count).map { scalars[$0] })))
        default:
            throw TemplateRuntimeError(.typeError, "'\(value.typeName)' object is not subscriptable")
        }
    }

    private static func clamp(_ index: Int, _ count: Int, _ low: Int, _ high: Int) -> Int {
        let position = index < 0 ? index + count : index
        return min(max(position, low), high)
    }

    /// The items `for x in value` visits.
    static func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .list(let items), .tuple(let items): return items
        case .dict(let dict): return dict.keys
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        case .object(let object):
            if let items = try object.templateIterate() { return items }
        default: break
        }
        throw TemplateRuntimeError(.typeError, "'\(value.typeName)' object is not iterable")
    }

    /// `len(value)`.
    static func length(_ value: Value) throws -> Int {
        switch value {
        case .list(let items), .tuple(let items): return items.count
        case .dict(let dict): return dict.count
        case .string(let text): return text.unicodeScalars.count
        case .object(let object):
            if let items = try object.templateIterate() { return items.count }
        default: break
        }
        throw TemplateRuntimeError(.typeError, "object of type '\(value.typeName)' has no len()")
    }

    /// Calls a callable value.
    static func call(_ callee: Value, _ arguments: TemplateArguments) throws -> Value {
        switch callee {
        case .function(let function):
            do {
                return try function.body(arguments)
            } catch let error as TemplateRuntimeError {
                throw error
            } catch let error as TemplateError {
                throw error
            } catch {
                throw TemplateRuntimeError(.applicationError, "\(function.name)(): \(error)")
            }
        case .object(let object): return try object.templateCall(arguments)
        default: throw TemplateRuntimeError(.typeError, "'\(callee.typeName)' object is not callable")
        }
    }
}
