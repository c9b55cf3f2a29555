public import SquallHTTP

/// What a matched rule extracted from the request: Tornado's `path_args` / `path_kwargs`, still
/// percent-encoded bytes decoded as text by the handler.
public struct RouteParameters: Sendable, Equatable {
    /// Positional groups, in order; `nil` for an optional group that did not take part in the match.
    public var pathArgs: [String?]
    /// Named groups.
    public var pathKwargs: [String: String?]

    /// Creates parameters.
    public init(pathArgs: [String?] = [], pathKwargs: [String: String?] = [:]) {
        self.pathArgs = pathArgs
        self.pathKwargs = pathKwargs
    }
}

/// Decides whether a rule applies to a request: Tornado's `tornado.routing.Matcher`.
public protocol Matcher: Sendable {
    /// The parameters to pass to the target if the rule applies, or `nil` if it does not.
    func match(_ request: HTTPServerRequest) -> RouteParameters?
    /// The URL path for `arguments`, if this matcher can be reversed (see ``ReversibleRouter/reverseURL(_:_:)``).
    func reverse(_ arguments: [String]) -> String?
}

extension Matcher {
    /// The path for `arguments`, or `nil` if this matcher cannot be reversed; see ``Matcher/reverse(_:)``.
    public func reverse(_ arguments: [String]) -> String? { nil }
}

/// Matches every request (Tornado's `AnyMatches`).
public struct AnyMatches: Matcher {
    /// Creates the matcher.
    public init() {}

    /// The route parameters if the rule applies to `request`, else `nil`; see ``Matcher/match(_:)``.
    public func match(_ request: HTTPServerRequest) -> RouteParameters? { RouteParameters() }
}

/// Matches requests whose host name matches a pattern (Tornado's `HostMatches`), anchored at both ends.
public struct HostMatches: Matcher {
    let pattern: RoutePattern

    /// Creates the matcher; `pattern` is a regular expression for ``SquallHTTP/HTTPServerRequest/hostName``.
    /// - Throws: ``RoutePatternError`` if the pattern is not a valid regular expression.
    public init(_ pattern: String) throws {
        self.pattern = try RoutePattern(pattern)
    }

    /// The route parameters if the rule applies to `request`, else `nil`; see ``Matcher/match(_:)``.
    public func match(_ request: HTTPServerRequest) -> RouteParameters? {
        pattern.match(request.hostName) != nil ? RouteParameters() : nil
    }
}

/// Matches requests for the application's default host (Tornado's `DefaultHostMatches`): used by
/// ``Application/addHandlers(_:_:)`` so that requests without a proxy's `X-Real-Ip` header fall back to the
/// default host's handlers.
public struct DefaultHostMatches: Matcher {
    let defaultHost: String?
    let pattern: RoutePattern

    /// Creates the matcher for an application whose default host is `defaultHost`.
    public init(defaultHost: String?, hostPattern: String) throws {
        self.defaultHost = defaultHost
        self.pattern = try RoutePattern(hostPattern)
    }

    /// The route parameters if the rule applies to `request`, else `nil`; see ``Matcher/match(_:)``.
    public func match(_ request: HTTPServerRequest) -> RouteParameters? {
        guard !request.headers.contains("X-Real-Ip"), let defaultHost, pattern.match(defaultHost) != nil else {
            return nil
        }
        return RouteParameters()
    }
}

/// Matches request paths against a regular expression (Tornado's `PathMatches`), anchored at the start and,
/// unless the pattern already ends with `$`, at the end. Groups must be all positional or all named.
public struct PathMatches: Matcher {
    /// The pattern as given.
    public var pattern: String { compiled.source }
    let compiled: RoutePattern

    /// Creates the matcher.
    /// - Throws: ``RoutePatternError`` for an invalid expression or a mix of named and positional groups.
    public init(_ pattern: String) throws {
        compiled = try RoutePattern(pattern)
        if compiled.hasNamedGroups && compiled.groupCount != compiled.namedGroupCount {
            throw RoutePatternError(
                pattern: pattern,
                reason: "groups in url regexes must either be all named or all positional"
            )
        }
    }

    /// The route parameters if the rule applies to `request`, else `nil`; see ``Matcher/match(_:)``.
    public func match(_ request: HTTPServerRequest) -> RouteParameters? {
        guard let groups = compiled.match(request.path) else { return nil }
        if compiled.groupCount == 0 { return RouteParameters() }
        if compiled.hasNamedGroups {
            var kwargs: [String: String?] = [:]
            for group in groups { if let name = group.name { kwargs[name] = group.value } }
            return RouteParameters(pathKwargs: kwargs)
        }
        return RouteParameters(pathArgs: groups.map(\.value))
    }

    /// The path for `arguments`, or `nil` if this matcher cannot be reversed; see ``Matcher/reverse(_:)``.
    public func reverse(_ arguments: [String]) -> String? {
        compiled.reverse(arguments)
    }
}
