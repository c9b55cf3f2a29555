import FoundationEssentials
import SquallEscape

/// The names every template sees (Tornado's `Template.generate` namespace): `escape`, `xhtml_escape`,
/// `url_escape`, `json_encode`, `squeeze`, `linkify` and `datetime`.
enum DefaultNamespace {
    typealias Value = TemplateValue

    static let xhtmlEscapeFunction = TemplateFunction("xhtml_escape", builtin: .xhtmlEscape) { arguments in
        .string(xhtmlEscape(try text(arguments, 0, "xhtml_escape")))
    }

    static let values: [String: Value] = [
        "escape": .function(xhtmlEscapeFunction),
        "xhtml_escape": .function(xhtmlEscapeFunction),
        "url_escape": .function(
            TemplateFunction("url_escape") { arguments in
                try arguments.check(function: "url_escape", maxPositional: 2, keywords: ["value", "plus"])
                let plus = arguments.value(1, "plus")?.isTruthy ?? true
                return .string(urlEscape(try text(arguments, 0, "url_escape", name: "value"), plus: plus))
            }
        ),
        "json_encode": .function(
            TemplateFunction("json_encode") { arguments in
                .string(jsonEncode(try json(try arguments.required(0, "value", function: "json_encode"))))
            }
        ),
        "squeeze": .function(TemplateFunction("squeeze") { .string(squeeze(try text($0, 0, "squeeze"))) }),
        "linkify": .function(
            TemplateFunction("linkify") { arguments in
                try arguments.check(
                    function: "linkify",
                    maxPositional: 5,
                    keywords: ["text", "shorten", "extra_params", "require_protocol", "permitted_protocols"]
                )
                let protocols = try arguments.value(4, "permitted_protocols").map(PythonAccess.iterate)?.map(\.str)
                let shorten = arguments.value(1, "shorten")?.isTruthy ?? false
                let requireProtocol = arguments.value(3, "require_protocol")?.isTruthy ?? false
                let text = try text(arguments, 0, "linkify", name: "text")
                if let params = arguments.value(2, "extra_params"), case .function = params {
                    // Collect the first error from the callback; linkify itself cannot throw.
                    return .string(
                        try LinkifyCallback.run(text, params, shorten, requireProtocol, protocols ?? ["http", "https"])
                    )
                }
                return .string(
                    linkify(
                        text,
                        shorten: shorten,
                        extraParams: arguments.value(2, "extra_params")?.str ?? "",
                        requireProtocol: requireProtocol,
                        permittedProtocols: protocols ?? ["http", "https"]
                    )
                )
            }
        ),
        "datetime": .object(DatetimeModule.shared),
    ]

    static func text(_ arguments: TemplateArguments, _ position: Int, _ function: String, name: String? = nil) throws -> String {
        let value = try arguments.required(position, name, function: function)
        guard case .string(let text) = value else {
            throw TemplateRuntimeError(.typeError, "\(function)() expected str, got \(value.typeName)")
        }
        return text
    }

    /// The JSON form of a template value, as Python's `json.dumps` sees it.
    static func json(_ value: Value, depth: Int = 0) throws -> JSONValue {
        if depth > 256 { throw TemplateRuntimeError(.valueError, "Circular reference detected") }
        switch value {
        case .none: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .list(let items), .tuple(let items): return .array(try items.map { try json($0, depth: depth + 1) })
        case .dict(let dict):
            var members: [(key: String, value: JSONValue)] = []
            for (key, item) in zip(dict.keys, dict.values) {
                let name: String
                switch key {
                case .string(let text): name = text
                case .bool(let flag): name = flag ? "true" : "false"
                case .none: name = "null"
                case .int, .double: name = key.str
                default: throw TemplateRuntimeError(.typeError, "keys must be str, int, float, bool or None, not \(key.typeName)")
                }
                members.append((name, try json(item, depth: depth + 1)))
            }
            return .object(members)
        default:
            throw TemplateRuntimeError(.typeError, "Object of type \(value.typeName) is not JSON serializable")
        }
    }
}

/// `linkify(..., extra_params=callable)` from a template.
enum LinkifyCallback {
    static func run(
        _ text: String,
        _ callback: TemplateValue,
        _ shorten: Bool,
        _ requireProtocol: Bool,
        _ protocols: [String]
    ) throws -> String {
        var failure: (any Error)?
        let result = linkify(text, shorten: shorten, extraParams: { href in
            do {
                return try PythonAccess.call(callback, TemplateArguments([.string(href)])).str
            } catch {
                if failure == nil { failure = error }
                return ""
            }
        }, requireProtocol: requireProtocol, permittedProtocols: protocols)
        if let failure { throw failure }
        return result
    }
}

/// The `datetime` name: `datetime.datetime.now()`, `utcnow()`, `fromtimestamp(t)`, `utcfromtimestamp(t)`
/// (all in UTC; templates have no time zones).
final class DatetimeModule: TemplateObject {
    static let shared = DatetimeModule()

    func templateAttribute(_ name: String) throws -> TemplateValue? {
        switch name {
        case "datetime": .object(self)
        case "now", "utcnow": .function(TemplateFunction(name) { _ in .date(Date()) })
        case "fromtimestamp", "utcfromtimestamp":
            .function(
                TemplateFunction(name) { arguments in
                    guard let seconds = try arguments.required(0, function: name).number else {
                        throw TemplateRuntimeError(.typeError, "\(name)() needs a number")
                    }
                    return .date(Date(timeIntervalSince1970: seconds))
                }
            )
        default: nil
        }
    }

    var templateDescription: String { "<module 'datetime'>" }
}
