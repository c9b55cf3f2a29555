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
        write("<html><title>\(status): \(phrase)</title><body>\(status): \(phrase)</body></html>")
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
