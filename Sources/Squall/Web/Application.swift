public import Logging
public import SquallHTTP
public import SquallIO
import Synchronization

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
///
/// With ``Settings/staticPath`` set, the application serves that directory with ``Settings/staticHandlerClass``
/// (a ``StaticFileHandler``) under ``Settings/staticURLPrefix``, and `/favicon.ico` and `/robots.txt` from it,
/// before its own rules, as Tornado does.
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
    /// The built-in monitor, when ``Settings/monitor`` is set; ``listen(_:address:serverOptions:group:)`` starts it.
    public let monitor: Monitor?
    let wildcardRouter: RuleRouter
    let defaultRouter: RuleRouter
    private let transformTypes: Mutex<[any OutputTransform.Type]>

    /// Creates an application from rules (see ``url(_:_:arguments:name:)``).
    ///
    /// - Parameters:
    ///   - rules: the routes, tried in order (after the static file routes when ``Settings/staticPath`` is set).
    ///   - defaultHost: see ``defaultHost``.
    ///   - transforms: the output transforms every response goes through (see ``transforms``); by default
    ///     ``GZipContentEncoding`` when ``Settings/compressResponse`` is on, otherwise none.
    ///   - settings: the application's settings.
    ///   - logFunction: replaces the access log line.
    public init(
        rules: [Rule],
        defaultHost: String? = nil,
        transforms: [any OutputTransform.Type]? = nil,
        settings: Settings = Settings(),
        logFunction: (@Sendable (RequestHandler) -> Void)? = nil
    ) {
        let monitor = settings.monitor.map { Monitor(settings: $0) }
        var settings = settings
        if let monitor, settings.webSocketObserver == nil {
            // The monitor counts WebSocket messages and closes WebSockets on command.
            settings.webSocketObserver = monitor
            settings.webSocketObserverPreviews = monitor.settings.framePreviews
        }
        self.settings = settings
        self.monitor = monitor
        self.defaultHost = defaultHost
        self.logFunction = logFunction
        self.accessLog = Logger(label: "squall.access")
        self.appLog = Logger(label: "squall.application")
        transformTypes = Mutex(transforms ?? (settings.compressResponse ? [GZipContentEncoding.self] : []))
        wildcardRouter = RuleRouter(Self.staticRules(settings, log: appLog) + rules)
        defaultRouter = RuleRouter([Rule(AnyMatches(), .router(wildcardRouter))])
    }

    /// Creates an application from `(pattern, handler)` pairs, the shape of Tornado's handler list.
    ///
    /// - Throws: ``RoutePatternError`` for an invalid pattern.
    public convenience init(
        _ handlers: [(String, RequestHandler.Type)],
        defaultHost: String? = nil,
        transforms: [any OutputTransform.Type]? = nil,
        settings: Settings = Settings(),
        logFunction: (@Sendable (RequestHandler) -> Void)? = nil
    ) throws {
        let rules = try handlers.map { try url($0.0, $0.1) }
        self.init(
            rules: rules,
            defaultHost: defaultHost,
            transforms: transforms,
            settings: settings,
            logFunction: logFunction
        )
    }

    /// The output transforms applied to every response, in order (Tornado's `Application.transforms`).
    public var transforms: [any OutputTransform.Type] { transformTypes.withLock { $0 } }

    /// Appends an output transform for responses started from now on (Tornado's `add_transform`).
    public func addTransform(_ transform: any OutputTransform.Type) {
        transformTypes.withLock { $0.append(transform) }
    }

    func makeTransforms(for request: HTTPServerRequest) -> [any OutputTransform] {
        transforms.map { $0.init(request: request) }
    }

    /// The versioned URL of static file `path` (Tornado's `static_url` without a handler): the static URL
    /// prefix, the path, and `?v=` with the file's version unless `includeVersion` is false; see
    /// ``StaticFileHandler/makeStaticURL(settings:path:includeVersion:)``.
    ///
    /// Versions are cached for the whole process; `path` should name a known static file, not come from a
    /// request. The first call for a file reads it on the calling thread, as in Tornado.
    /// - Throws: ``HTTPError`` (500) without ``Settings/staticPath``, (403) for a path outside it.
    public func staticURL(_ path: String, includeVersion: Bool = true) throws -> String {
        guard settings.staticPath != nil else {
            throw HTTPError(
                500,
                logMessage: "You must define the staticPath setting in your application to use staticURL"
            )
        }
        return try settings.staticHandlerClass.makeStaticURL(
            settings: settings,
            path: path,
            includeVersion: includeVersion
        )
    }

    /// The rules Tornado adds for `static_path`: the static prefix, `/favicon.ico` and `/robots.txt`.
    private static func staticRules(_ settings: Settings, log: Logger) -> [Rule] {
        guard let staticPath = settings.staticPath else { return [] }
        var arguments = settings.staticHandlerArguments
        arguments["path"] = staticPath
        // In the order Tornado's repeated insert(0, ...) leaves them.
        let patterns = [#"/(robots\.txt)"#, #"/(favicon\.ico)"#, escapeRegex(settings.staticURLPrefix) + "(.*)"]
        return patterns.compactMap { pattern in
            do {
                return Rule(try PathMatches(pattern), .handler(settings.staticHandlerClass, arguments: arguments))
            } catch {
                log.error("Cannot serve static files at \(String(reflecting: pattern)): \(error)")
                return nil
            }
        }
    }

    /// Python's `re.escape` for the characters that mean something in a pattern.
    private static func escapeRegex(_ text: String) -> String {
        var out = ""
        for character in text {
            if ".^$*+?{}[]\\|()#-&~ ".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
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

    /// The path of the rule called `name` with `arguments` in its groups, or `nil`.
    public func reverseURL(_ name: String, _ arguments: [String]) -> String? {
        defaultRouter.reverseURL(name, arguments)
    }

    /// The handler the first matching rule leads to, or `nil`; see ``Router/findHandler(_:)``.
    public func findHandler(_ request: HTTPServerRequest) -> RouteMatch? {
        guard var match = defaultRouter.findHandler(request) else { return nil }
        // The innermost application that matched owns the handler (Tornado nests applications the same way).
        if match.application == nil { match.application = self }
        return match
    }

    /// Starts an ``SquallHTTP/HTTPServer`` for this application on `port` (Tornado's `Application.listen`).
    ///
    /// - Parameters:
    ///   - address: the address to bind; `nil` listens on every interface, as Tornado does.
    ///   - serverOptions: limits and behaviour of the HTTP server.
    ///   - group: the loops to serve on.
    /// - Returns: the running server, to stop it later.
    /// - Throws: ``MonitorGroupMismatch`` when the monitor is on and `group` is not its
    ///   ``MonitorSettings/group``; the listener's errors.
    @discardableResult
    public func listen(
        _ port: Int,
        address: String? = nil,
        serverOptions: HTTPServerOptions = HTTPServerOptions(),
        group: IOLoopGroup = .shared
    ) async throws -> HTTPServer {
        if let monitor, monitor.group !== group {
            // The monitor's lag probes and tables belong to one group's loops: serving elsewhere would show the
            // wrong loops' lag.
            throw MonitorGroupMismatch()
        }
        let server = HTTPServer(group: group, options: serverOptions, observer: monitor, delegate: self)
        try await server.listen(port: port, address: address)
        if let monitor {
            monitor.attach(server)
            try await monitor.start()
        }
        return server
    }

    // MARK: - Serving

    /// Routes `request` to its handler and runs it; see ``SquallHTTP/HTTPServerDelegate/handle(_:_:)``.
    public func handle(_ request: HTTPServerRequest, _ response: HTTPResponseWriter) async throws {
        let match = findHandler(request)
        if monitor != nil, let route = match?.route, !route.isEmpty { request.route = route }
        switch match?.target {
        case .closure(let closure):
            try await closure(request, response)
        case .handler(let type, let arguments):
            if settings.staticPath != nil && !(settings.staticHashCache ?? !settings.debug) {
                // Tornado's static_hash_cache=False (the debug default): versions are recomputed per request.
                settings.staticHandlerClass.reset()
            }
            let owner = match?.application ?? self
            let handler = type.init(application: owner, request: request, response: response)
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
        let line = "\(status) \(handler.requestSummary) \(rounded)ms"
        monitor?.recordRequest(
            message: line,
            level: level,
            request: handler.request,
            status: status,
            duration: handler.request.requestTime(),
            bytes: handler.response.bodyBytesWritten,
            route: handler.route.isEmpty ? nil : handler.route
        )
        accessLog.log(
            level: level,
            "\(line)",
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

/// ``Application/listen(_:address:serverOptions:group:)`` was given a group the monitor does not watch: set
/// ``MonitorSettings/group`` to the group the application serves on.
public struct MonitorGroupMismatch: Error, CustomStringConvertible, Sendable {
    /// What went wrong and how to fix it.
    public var description: String {
        "the monitor watches another IOLoopGroup's loops: set settings.monitor.group to the group passed to listen"
    }
}
