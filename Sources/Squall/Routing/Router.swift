public import SquallHTTP
import Synchronization

/// Arguments a route passes to its handler's ``RequestHandler/initialize(_:)`` (Tornado's `kwargs`).
public typealias HandlerArguments = [String: any Sendable]

/// What a rule sends a request to.
public enum RuleTarget: Sendable {
    /// A ``RequestHandler`` subclass, created for each request and given these arguments.
    case handler(RequestHandler.Type, arguments: HandlerArguments)
    /// A nested router or application; if it finds nothing, routing continues with the next rule.
    case router(any Router)
    /// A plain HTTP handler closure (Tornado's `FallbackHandler`, for mounting non-Squall code).
    case closure(@Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void)
}

/// A routing rule: a matcher, a target and an optional name for ``ReversibleRouter/reverseURL(_:_:)``
/// (Tornado's `Rule`; a rule with a ``PathMatches`` matcher and a handler is Tornado's `URLSpec`).
public struct Rule: Sendable {
    /// Decides whether the rule applies.
    public var matcher: any Matcher
    /// Where matching requests go.
    public var target: RuleTarget
    /// The name to reverse the rule by.
    public var name: String?

    /// Creates a rule.
    public init(_ matcher: any Matcher, _ target: RuleTarget, name: String? = nil) {
        self.matcher = matcher
        self.target = target
        self.name = name
    }

    /// A label for the route in logs and metrics: its name, or its path pattern.
    public var label: String {
        if let name { return name }
        if let path = matcher as? PathMatches { return path.pattern }
        return String(describing: type(of: matcher))
    }
}

/// Tornado's `url()`: a rule sending requests whose path matches `pattern` to `handler`.
///
/// - Throws: ``RoutePatternError`` for an invalid pattern.
public func url(
    _ pattern: String,
    _ handler: RequestHandler.Type,
    arguments: HandlerArguments = [:],
    name: String? = nil
) throws -> Rule {
    Rule(try PathMatches(pattern), .handler(handler, arguments: arguments), name: name)
}

/// A router's answer: where the request goes and what the matched rule extracted.
public struct RouteMatch: Sendable {
    /// The target of the matched rule.
    public var target: RuleTarget
    /// The path arguments the matcher extracted.
    public var parameters: RouteParameters
    /// The matched rule's ``Rule/label``.
    public var route: String
    /// The application whose rules matched, when applications are nested: its handlers run with its settings.
    public var application: Application?

    /// Creates a match.
    public init(target: RuleTarget, parameters: RouteParameters, route: String, application: Application? = nil) {
        self.target = target
        self.parameters = parameters
        self.route = route
        self.application = application
    }
}

/// Finds where a request goes (Tornado's `Router`).
public protocol Router: Sendable {
    /// The handler for `request`, or `nil` if this router has none.
    func findHandler(_ request: HTTPServerRequest) -> RouteMatch?
}

/// A router that can also build URLs for its named rules (Tornado's `ReversibleRouter`).
public protocol ReversibleRouter: Router {
    /// The path for the rule called `name` with `arguments` substituted for its groups, or `nil`.
    func reverseURL(_ name: String, _ arguments: [String]) -> String?
}

/// Tries its rules in order and uses the first that matches (Tornado's `RuleRouter` and
/// `ReversibleRuleRouter`). Rules can be added while serving.
public final class RuleRouter: ReversibleRouter {
    /// Rules are kept as references: scanning a table of value-type rules copies each rule's existential
    /// matcher and target payload for every request, which showed up as the main cost of routing.
    private final class Entry: Sendable {
        let rule: Rule
        init(_ rule: Rule) { self.rule = rule }
    }

    private let storage: Mutex<[Entry]>

    /// Creates a router with `rules`.
    public init(_ rules: [Rule] = []) {
        storage = Mutex(rules.map(Entry.init))
    }

    /// The rules, in the order they are tried.
    public var rules: [Rule] { storage.withLock { $0.map(\.rule) } }

    /// Appends rules.
    public func addRules(_ rules: [Rule]) {
        storage.withLock { $0.append(contentsOf: rules.map(Entry.init)) }
    }

    /// Inserts a rule before the last one (Tornado's `rules.insert(-1, rule)`, used for host rules).
    public func insertBeforeLast(_ rule: Rule) {
        storage.withLock { entries in
            entries.insert(Entry(rule), at: max(0, entries.count - 1))
        }
    }

    /// The handler the first matching rule leads to, or `nil`; see ``Router/findHandler(_:)``.
    public func findHandler(_ request: HTTPServerRequest) -> RouteMatch? {
        let entries = storage.withLock { $0 }
        for entry in entries {
            guard let parameters = entry.rule.matcher.match(request) else { continue }
            if case .router(let nested) = entry.rule.target {
                if let found = nested.findHandler(request) { return found }
                continue
            }
            return RouteMatch(target: entry.rule.target, parameters: parameters, route: entry.rule.label)
        }
        return nil
    }

    /// The path of the rule called `name` with `arguments` in its groups, or `nil`.
    public func reverseURL(_ name: String, _ arguments: [String]) -> String? {
        for rule in rules {
            if rule.name == name, let path = rule.matcher.reverse(arguments) { return path }
            if case .router(let nested) = rule.target, let reversible = nested as? any ReversibleRouter,
                let path = reversible.reverseURL(name, arguments)
            {
                return path
            }
        }
        return nil
    }
}
