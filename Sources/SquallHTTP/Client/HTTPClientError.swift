/// Raised by ``HTTPClient/fetch(_:raiseError:)``: an HTTP error status, or a failure to get a response at all
/// (Tornado's `HTTPClientError`, with the cause spelled out).
///
/// For a response with a non-2xx status, ``code`` is that status and ``response`` is the response. For failures
/// without a response, ``code`` is 599, as in Tornado, and ``cause`` says what went wrong.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// Why a fetch failed.
    public enum Cause: Sendable, Hashable {
        /// The server answered with a status outside 200...299 (and it was not a redirect being followed).
        case httpStatus
        /// More redirects than ``HTTPRequest/maxRedirects``; ``HTTPClientError/response`` is the last redirect.
        case tooManyRedirects
        /// Nothing listens on the target port.
        case connectionRefused
        /// The host name could not be resolved.
        case unresolvableHost
        /// The connection was not established within ``HTTPRequest/connectTimeout``.
        case connectTimeout
        /// The response was not complete within ``HTTPRequest/requestTimeout``.
        case requestTimeout
        /// All ``HTTPClient/maxClients`` slots stayed busy for the lesser of the two timeouts.
        case queueTimeout
        /// The response body is larger than ``HTTPClient/maxBodySize``.
        case bodyTooLarge
        /// The server closed the connection before the response was complete.
        case streamClosed
        /// The request is not valid: bad URL, unknown method, or a body where none belongs.
        case invalidRequest
        /// The client was closed.
        case clientClosed
        /// Another failure; see ``HTTPClientError/underlying``.
        case other
    }

    /// The HTTP status, or 599 when there is no response.
    public var code: Int
    /// A message a user can act on; for an HTTP status, its reason phrase.
    public var message: String
    /// The response, for ``Cause/httpStatus`` and ``Cause/tooManyRedirects``.
    public var response: HTTPResponse?
    /// Why the fetch failed.
    public var cause: Cause
    /// The error the transport reported, if any.
    public var underlying: (any Error)?

    /// Creates the error.
    ///
    /// - Parameters:
    ///   - code: the HTTP status, or 599 when there is no response.
    ///   - message: what went wrong.
    ///   - response: the response, if there is one.
    ///   - cause: why the fetch failed.
    ///   - underlying: the transport's error, if any.
    public init(
        code: Int = 599,
        message: String,
        response: HTTPResponse? = nil,
        cause: Cause,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.response = response
        self.cause = cause
        self.underlying = underlying
    }

    init(cause: Cause, message: String, underlying: (any Error)? = nil) {
        self.init(code: 599, message: message, cause: cause, underlying: underlying)
    }

    /// `HTTP 404: Not Found`, as Tornado prints it.
    public var description: String {
        let detail = underlying.map { " (\($0))" } ?? ""
        return "HTTP \(code): \(message)\(detail)"
    }
}
