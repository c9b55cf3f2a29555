public import Logging
public import SquallHTTP
public import SquallIO

/// A web application: routes, settings and the glue that turns requests into ``RequestHandler`` runs
/// (Tornado's `tornado.web.Application`).
///
/// ```swift
/// final class MainHandler: RequestHandler {
///     override func get() async throws { write("Hello, world") }
/// }
/// let app = try Application([(#"/"#, MainHandler.self)], settings: .init(debug: true))
/// try await app.listen(8888)
/// ```
///
/// The application is an ``SquallHTTP/HTTPServerDelegate`` and a ``ReversibleRouter``, so it can be served by
/// any ``SquallHTTP/HTTPServer`` or nested inside another application's rules.
public final class Application: HTTPServerDelegate, ReversibleRouter {
    /// The settings every handler sees.
    public let settings: Settings
    /// The host whose handlers serve requests that carry no `X-Real-Ip` header, when host rules are used.
    public let defaultHost: String?
    /// The logger for the access log (Tornado's `tornado.access`).
    public let accessLog: Logger
    /// The logger for handler errors (Tornado's `tornado.application`).
    public let appLog: Logger
    /// Called instead of the default access log line after each request, if set.
    public let logFunction: (@Sendable (RequestHandler) -> Void)?
    let wildcardRouter: RuleRouter
    let defaultRouter: RuleRouter

    /// Creates an application from rules (see ``url(_:_:arguments:name:)``).
    ///
    /// - Parameters:
    ///   - rules: the routes, tried in order.
    ///   - defaultHost: see ``defaultHost``.
    ///   - settings: the application's settings.
    ///   - logFunction: replaces the access log line.
    public init(
        rules: [Rule],
        defaultHost: String? = nil,
        settings: Settings = Settings(),
        logFunction: (@Sendable (RequestHandler) -> Void)? = nil
    ) {
        self.settings = settings
        self.defaultHost = defaultHost
        self.logFunction = logFunction
        self.accessLog = Logger(label: "squall.access")
        self.appLog = Logger(label: "squall.application")
        wildcardRouter = RuleRouter(rules)
        defaultRouter = RuleRouter([Rule(AnyMatches(), .router(wildcardRouter))])
    }

    /// Creates an application from `(pattern, handler)` pairs, the shape of Tornado's handler list.
    ///
    /// - Throws: ``RoutePatternError`` for an invalid pattern.
    public convenience init(
        _ handlers: [(String, RequestHandler.Type)],
        defaultHost: String? = nil,
        settings: Settings = Settings(),
        logFunction: (@Sendable (RequestHandler) -> Void)? = nil
    ) throws {
        let rules = try handlers.map { try url($0.0, $0.1) }
        self.init(rules: rules, defaultHost: defaultHost, settings: settings, logFunction: logFunction)
    }

    /// Adds rules that apply to requests whose host name matches `hostPattern` (Tornado's `add_handlers`);
    /// host rules are tried in the order added, before the host-independent rules.
    ///
    /// - Throws: ``RoutePatternError`` for an invalid host pattern.
    public func addHandlers(_ hostPattern: String, _ rules: [Rule]) throws {
        let hostRouter = RuleRouter(rules)
        defaultRouter.insertBeforeLast(Rule(try HostMatches(hostPattern), .router(hostRouter)))
        if defaultHost != nil {
            wildcardRouter.addRules([
                Rule(try DefaultHostMatches(defaultHost: defaultHost, hostPattern: hostPattern), .router(hostRouter))
            ])
        }
    }

    /// The path of the route called `name`, with `arguments` filling its groups (Tornado's `reverse_url`).
    ///
    /// - Throws: ``RoutePatternError`` if no route has that name or its pattern cannot be reversed with that
    ///   many arguments.
    public func reverseURL(_ name: String, _ arguments: any CustomStringConvertible...) throws -> String {
        guard let path = reverseURL(name, arguments.map(\.description)) else {
            throw RoutePatternError(
                pattern: name,
                reason: "no reversible route named \(name) takes \(arguments.count) arguments"
            )
        }
        return path
    }

    public func reverseURL(_ name: String, _ arguments: [String]) -> String? {
        defaultRouter.reverseURL(name, arguments)
    }

    public func findHandler(_ request: HTTPServerRequest) -> RouteMatch? {
        defaultRouter.findHandler(request)
    }

    /// Starts an ``SquallHTTP/HTTPServer`` for this application on `port` (Tornado's `Application.listen`).
    ///
    /// - Parameters:
    ///   - address: the address to bind; `nil` listens on every interface, as Tornado does.
    ///   - serverOptions: limits and behaviour of the HTTP server.
    ///   - group: the loops to serve on.
    /// - Returns: the running server, to stop it later.
    @discardableResult
    public func listen(
        _ port: Int,
        address: String? = nil,
        serverOptions: HTTPServerOptions = HTTPServerOptions(),
        group: IOLoopGroup = .shared
    ) async throws -> HTTPServer {
        let server = HTTPServer(group: group, options: serverOptions, delegate: self)
        try await server.listen(port: port, address: address)
        return server
    }

    // MARK: - Serving

    public func handle(_ request: HTTPServerRequest, _ response: HTTPResponseWriter) async throws {
        let match = findHandler(request)
        switch match?.target {
        case .closure(let closure):
            try await closure(request, response)
        case .handler(let type, let arguments):
            let handler = type.init(application: self, request: request, response: response)
            await handler.run(
                parameters: match?.parameters ?? RouteParameters(),
                route: match?.route ?? "",
                arguments: arguments
            )
        case .router, .none:
            let type = settings.defaultHandlerClass ?? ErrorHandler.self
            let handler = type.init(application: self, request: request, response: response)
            let arguments = settings.defaultHandlerClass == nil ? ["statusCode": 404] : settings.defaultHandlerArguments
            await handler.run(parameters: RouteParameters(), route: "", arguments: arguments)
        }
    }

    /// Writes the access log line for a finished request (Tornado's `log_request`): info below 400, warning for
    /// 4xx, error for 5xx.
    func logRequest(_ handler: RequestHandler) {
        if let logFunction {
            logFunction(handler)
            return
        }
        let status = handler.getStatus()
        let level: Logger.Level = status < 400 ? .info : status < 500 ? .warning : .error
        let milliseconds = handler.request.requestTime() * 1000
        let rounded = (milliseconds * 100).rounded() / 100
        accessLog.log(
            level: level,
            "\(status) \(handler.requestSummary) \(rounded)ms",
            metadata: [
                "squall.request.method": .string(handler.request.method),
                "squall.request.uri": .string(handler.request.uri),
                "squall.request.status": .stringConvertible(status),
                "squall.request.route": .string(handler.route),
                "squall.request.remote_ip": .string(handler.request.remoteIP),
                "squall.connection.id": .stringConvertible(handler.request.connectionID),
            ]
        )
    }
}
