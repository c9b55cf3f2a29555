import Logging
public import SquallHTTP

/// The base class of request handlers: Tornado's `tornado.web.RequestHandler`.
///
/// Subclass it and override the methods you serve:
///
/// ```swift
/// final class UserHandler: RequestHandler {
///     override func get() async throws {
///         let id = pathArgs.first.flatMap { $0 } ?? ""
///         write("user \(id)")
///     }
/// }
/// ```
///
/// A new instance handles each request: ``initialize(_:)`` receives the route's arguments, then ``prepare()``
/// runs, then the method for the request's verb (``get()``, ``post()``, ...), then the response is finished
/// (unless the handler already did), ``onFinish()`` runs and the request is logged. A thrown ``HTTPError``
/// becomes that status; any other error becomes a 500 and is logged.
///
/// An instance lives on its connection's loop for the whole request (hence `@unchecked Sendable`): do not hand
/// it to other tasks.
open class RequestHandler: @unchecked Sendable {
    /// The application serving the request.
    public let application: Application
    /// The request.
    public let request: HTTPServerRequest
    let response: HTTPResponseWriter
    /// The route's positional groups, percent-decoded; `nil` for an optional group that matched nothing.
    public internal(set) var pathArgs: [String?] = []
    /// The route's named groups, percent-decoded.
    public internal(set) var pathKwargs: [String: String?] = [:]
    /// The label of the matched route (its name, or its pattern).
    public internal(set) var route = ""

    var statusCode = 200
    var reason: String?
    var headers = HTTPHeaders()
    var outputBuffer = ByteBuffer()
    var headersWritten = false
    /// Whether the response has been finished (Tornado's `_finished`).
    public internal(set) var finished = false

    // Cookies set by this handler (in order, with their Set-Cookie values), the XSRF token, and the current
    // user, each worked out at most once per request (see RequestHandler+Cookies/XSRF/Authentication.swift).
    var newCookies: [(name: String, header: String)] = []
    var cachedRawXSRFToken: RawXSRFToken?
    var cachedXSRFToken: String?
    var currentUserLoaded = false
    var loadedCurrentUser: (any Sendable)?
    var cachedLocale: Locale?
    /// This response's output transforms (Tornado's `_transforms`), made from the application's when output is
    /// first sent.
    lazy var outputTransforms: [any OutputTransform] = application.makeTransforms(for: request)

    /// Creates the handler for one request; the application calls this, not user code.
    public required init(application: Application, request: HTTPServerRequest, response: HTTPResponseWriter) {
        self.application = application
        self.request = request
        self.response = response
        clear()
    }

    /// The application's settings.
    public var settings: Settings { application.settings }

    // MARK: - Lifecycle to override

    /// The HTTP methods this handler accepts; others get 405 with an `Allow` header.
    open class var supportedMethods: [String] { ["GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"] }

    /// Receives the route's arguments (Tornado's `initialize(**kwargs)`), before ``prepare()``.
    open func initialize(_ arguments: HandlerArguments) {}

    /// Runs before the method for every request; finishing the response here skips the method.
    open func prepare() async throws {}

    /// Handles GET; the default answers 405.
    open func get() async throws { throw unsupported() }
    /// Handles HEAD; the default answers 405.
    open func head() async throws { throw unsupported() }
    /// Handles POST; the default answers 405.
    open func post() async throws { throw unsupported() }
    /// Handles DELETE; the default answers 405.
    open func delete() async throws { throw unsupported() }
    /// Handles PATCH; the default answers 405.
    open func patch() async throws { throw unsupported() }
    /// Handles PUT; the default answers 405.
    open func put() async throws { throw unsupported() }
    /// Handles OPTIONS; the default answers 405.
    open func options() async throws { throw unsupported() }

    /// Runs after the response is finished, for cleanup (Tornado's `on_finish`).
    open func onFinish() {}

    /// The `Etag` for the response (Tornado's `compute_etag`); return `nil` to turn automatic etags off.
    ///
    /// The default is the quoted hexadecimal SHA-1 digest of the body written so far, exactly as Tornado's, so
    /// a body gets the same etag from both. ``finish()`` uses it for GET and HEAD responses with status 200 that
    /// were not flushed, answering 304 when the request's `If-None-Match` matches (see ``checkEtagHeader()``).
    open func computeEtag() -> String? { bufferEtag() }

    /// Runs if the client closes the connection before the response is finished (Tornado's
    /// `on_connection_close`); long-polling handlers use it to stop waiting.
    open func onConnectionClose() {}

    /// Writes the body of an error page; override for custom error pages (Tornado's `write_error`).
    ///
    /// The default is a short HTML page with the status and reason; with ``Settings/serveTraceback`` (default:
    /// debug mode) it is a plain-text description of `error` instead.
    open func writeError(_ status: Int, error: (any Error)?) async throws {
        let phrase = reason ?? HTTPStatus.reason(status)
        if settings.showsErrorDetails, let error {
            headers["Content-Type"] = "text/plain; charset=UTF-8"
            write("\(status): \(phrase)\n\n\(String(reflecting: error))\n")
            return
        }
        let message = Self.escapeHTML(phrase)
        write("<html><title>\(status): \(message)</title><body>\(status): \(message)</body></html>")
    }

    /// Returns the locale of the logged-in user, or `nil` to use the browser's (Tornado's `get_user_locale`);
    /// ``locale`` calls it at most once per request. The default is `nil`.
    open func getUserLocale() -> Locale? { nil }

    // MARK: - Security hooks to override

    /// Returns the logged-in user, or `nil` (Tornado's `get_current_user`); the default is `nil`.
    ///
    /// Override it to read the user from a signed cookie, for example
    /// `try getSecureCookie("user").map { User(id: $0) }`. Read the result through ``currentUser``, which calls this
    /// at most once per request; to load the user asynchronously, use ``prepare()`` and ``setCurrentUser(_:)``.
    open func getCurrentUser() throws -> (any Sendable)? { nil }

    /// The URL ``authenticated()`` sends users who are not logged in to (Tornado's `get_login_url`); the default
    /// is ``Settings/loginURL``.
    ///
    /// - Throws: ``HTTPError`` (500) when ``Settings/loginURL`` is not set.
    open func getLoginURL() throws -> String { try settingsLoginURL() }

    /// Checks the request's XSRF token against the `_xsrf` cookie (Tornado's `check_xsrf_cookie`); runs before
    /// ``prepare()`` on POST, PUT, PATCH, DELETE (every method but GET, HEAD and OPTIONS) when
    /// ``Settings/xsrfCookies`` is on.
    ///
    /// The token comes from the `_xsrf` argument or the `X-XSRFToken` or `X-CSRFToken` header. Override it to
    /// exempt a handler (as ``ErrorHandler`` does), never to weaken the comparison.
    /// - Throws: ``HTTPError`` (403) when the token is missing, malformed, or not the cookie's.
    open func checkXSRFCookie() throws { try verifyXSRFCookie() }

    /// Whether a state-changing request that looks cross-origin, from `origin` (its `Origin` header), may proceed
    /// (Tornado 6.6's `check_trusted_origin`); the default accepts exactly the origins in
    /// ``Settings/trustedOrigins``.
    ///
    /// Called before ``prepare()`` (so it cannot rely on authentication) when ``Settings/crossOriginProtection``
    /// is on, and only for requests that are not known to be same-origin. Returning `true` for every origin
    /// exempts the handler: only do that for endpoints that do not authenticate with cookies.
    open func checkTrustedOrigin(_ origin: String) -> Bool { isTrustedOrigin(origin) }

    /// Tornado's `xhtml_escape` (the five characters it replaces).
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private func unsupported() -> HTTPError {
        var error = HTTPError(405)
        error.headers = [("Allow", Self.supportedMethods.joined(separator: ", "))]
        return error
    }

    // MARK: - Running a request

    func run(parameters: RouteParameters, route: String, arguments: HandlerArguments) async {
        self.route = route
        response.setCloseCallback { [self] in onConnectionClose() }
        do {
            guard Self.supportedMethods.contains(request.method) else { throw unsupported() }
            pathArgs = try parameters.pathArgs.map { try $0.map { try decodePathArgument($0) } }
            pathKwargs = try parameters.pathKwargs.mapValues { try $0.map { try decodePathArgument($0) } }
            initialize(arguments)
            try crossOriginProtection()
            try await prepare()
            if !finished { try await callMethod() }
            if !finished { try await finish() }
        } catch {
            await handleRequestException(error)
        }
    }

    private func callMethod() async throws {
        switch request.method {
        case "GET": try await get()
        case "HEAD": try await head()
        case "POST": try await post()
        case "DELETE": try await delete()
        case "PATCH": try await patch()
        case "PUT": try await put()
        case "OPTIONS": try await options()
        default: throw unsupported()
        }
    }

    private func decodePathArgument(_ raw: String) throws -> String {
        let bytes = PercentEncoding.decode(ArraySlice(raw.utf8), plusAsSpace: false)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw HTTPError(400, logMessage: "Invalid unicode in path argument \(String(reflecting: raw))")
        }
        return text
    }

    /// Turns an error thrown while handling into a response (Tornado's `_handle_request_exception`).
    func handleRequestException(_ error: any Error) async {
        if finished { return }
        let httpError: HTTPError
        if let error = error as? HTTPError {
            httpError = error
            if let message = error.logMessage {
                application.appLog.warning("\(error.status) \(requestSummary): \(message)")
            }
        } else if let error = error as? MissingArgumentError {
            httpError = error.httpError
        } else {
            httpError = HTTPError(500)
            application.appLog.error(
                "Uncaught error \(requestSummary): \(String(reflecting: error))",
                metadata: ["squall.request.route": .string(route)]
            )
        }
        if headersWritten {
            // The status line is gone; all that is left is to cut the connection.
            finished = true
            response.abort()
            application.logRequest(self)
            onFinish()
            return
        }
        do {
            try await sendError(httpError.status, reason: httpError.reason, error: error, headers: httpError.headers)
        } catch {
            response.abort()
        }
    }

    /// `METHOD URI (remote IP)`, as Tornado's `_request_summary`.
    public var requestSummary: String {
        "\(request.method) \(request.uri) (\(request.remoteIP))"
    }
}
