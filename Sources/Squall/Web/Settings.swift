public import SquallTemplate
public import SquallWebSocket

/// An application's settings: Tornado's `settings` dictionary as a typed struct.
///
/// Settings that later parts of Squall use (templates, static files, XSRF, cookies, WebSockets) are declared
/// here so applications configure everything in one place; ``values`` holds the application's own.
public struct Settings: Sendable {
    /// Debug mode: error pages describe the error (see ``serveTraceback``).
    public var debug = false
    /// The secret(s) for signed cookies: one key, or versioned keys with the current version.
    public var cookieSecret: CookieSecret?
    /// Require an XSRF token on POST, PUT, PATCH and DELETE.
    public var xsrfCookies = false
    /// Attributes of the `_xsrf` cookie (for example `secure`, `sameSite`).
    public var xsrfCookieOptions: [String: String] = [:]
    /// Refuse state-changing requests (every method but GET, HEAD and OPTIONS) that a browser sent from another
    /// site, judged by `Sec-Fetch-Site` and `Origin` (Tornado 6.6's `cross_origin_protection`); off by default.
    ///
    /// See ``RequestHandler/checkTrustedOrigin(_:)`` for exceptions.
    public var crossOriginProtection = false
    /// Origins (such as `https://app.example.com`, compared exactly) whose cross-origin requests
    /// ``crossOriginProtection`` lets through (Tornado's `trusted_origins`).
    public var trustedOrigins: Set<String> = []
    /// Where ``RequestHandler/getLoginURL()`` sends users who are not logged in.
    public var loginURL: String?
    /// The directory static files are served from, if any.
    public var staticPath: String?
    /// The URL prefix of static files.
    public var staticURLPrefix = "/static/"
    /// The handler class that serves ``staticPath`` (Tornado's `static_handler_class`).
    public var staticHandlerClass: StaticFileHandler.Type = StaticFileHandler.self
    /// Route arguments for ``staticHandlerClass`` besides `path`, such as `defaultFilename` (Tornado's
    /// `static_handler_args`).
    public var staticHandlerArguments: HandlerArguments = [:]
    /// Keep static file versions cached between requests (Tornado's `static_hash_cache`); defaults to the
    /// opposite of ``debug``, so edited files get new versions while developing.
    public var staticHashCache: Bool?
    /// The directory templates are loaded from, if any.
    public var templatePath: String?
    /// The name of the escape function templates use for `{{ }}` (Tornado's default `xhtml_escape`; `nil` turns
    /// autoescaping off).
    public var autoescape: String? = "xhtml_escape"
    /// The whitespace mode of templates (Tornado's `template_whitespace`); by default `.single` for `.html` and
    /// `.js` files and `.all` for others.
    public var templateWhitespace: WhitespaceMode?
    /// The loader ``RequestHandler/render(_:_:)`` uses instead of one for ``templatePath`` (Tornado's
    /// `template_loader`).
    public var templateLoader: BaseLoader?
    /// Keep compiled templates between requests (Tornado's `compiled_template_cache`); defaults to the opposite
    /// of ``debug``, so edited templates show up while developing.
    public var compiledTemplateCache: Bool?
    /// UI modules by name, for `{% module Name(...) %}` (Tornado's `ui_modules`).
    public var uiModules: [String: UIModule.Type] = [:]
    /// Functions templates can call as `name(...)`; each receives the handler first (Tornado's `ui_methods`).
    public var uiMethods: [String: @Sendable (RequestHandler, TemplateArguments) throws -> TemplateValue] = [:]
    /// Compress responses with gzip when the client accepts it.
    public var compressResponse = false
    /// The handler for requests no route matches (default: a 404 error page).
    public var defaultHandlerClass: RequestHandler.Type?
    /// Arguments for ``defaultHandlerClass``.
    public var defaultHandlerArguments: HandlerArguments = [:]
    /// Describe errors in error pages; defaults to ``debug``.
    public var serveTraceback: Bool?
    /// Close WebSockets whose messages exceed this size (Tornado: 10 MiB).
    public var websocketMaxMessageSize = 10 * 1024 * 1024
    /// Ping WebSocket clients this often, if set.
    public var websocketPingInterval: Duration?
    /// Close WebSockets that do not answer a ping within this time (Tornado 6.6: defaults to the interval, and
    /// is cut to it when longer).
    public var websocketPingTimeout: Duration?
    /// Who hears of every WebSocket's open, messages, ping round trips and close (the monitor), if anyone.
    public var webSocketObserver: (any WebSocketObserver)?
    /// Give ``webSocketObserver`` the first 64 characters of text messages (off: messages may be private).
    public var webSocketObserverPreviews = false
    /// The built-in monitor (live connections, latencies, loop lag, request log, /metrics and the squall-top
    /// endpoint); `nil` (the default) leaves it off.
    public var monitor: MonitorSettings?
    /// Values of the application's own, by name.
    public var values: [String: any Sendable] = [:]

    /// Settings with Tornado's defaults, optionally in debug mode.
    public init(debug: Bool = false) {
        self.debug = debug
    }

    /// Whether error pages describe the error.
    public var showsErrorDetails: Bool { serveTraceback ?? debug }
}

/// The key(s) signed cookies are made with.
public enum CookieSecret: Sendable {
    /// One key.
    case single(String)
    /// Several keys by version, and the version new cookies use (Tornado's key versioning).
    case versioned([Int: String], current: Int)
}
