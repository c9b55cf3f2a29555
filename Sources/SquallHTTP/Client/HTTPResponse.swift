public import NIOCore

/// The response to ``HTTPClient/fetch(_:raiseError:)`` (Tornado's `HTTPResponse`).
///
/// A response with a status outside 200...299 carries an ``error``; ``rethrow()`` throws it.
public final class HTTPResponse: Sendable, CustomStringConvertible {
    /// The request as it was given to ``HTTPClient/fetch(_:raiseError:)``, before any redirect.
    public let request: HTTPRequest
    /// The HTTP status code.
    public let code: Int
    /// The reason phrase for ``code``.
    public let reason: String
    /// The response headers.
    public let headers: HTTPHeaders
    /// The body, decompressed if the request asked for it; empty when a ``HTTPRequest/streamingCallback`` got it.
    public let body: ByteBuffer
    /// The URL this response came from, after redirects.
    public let effectiveURL: String
    /// Seconds from sending the request (after any wait in the ``HTTPClient/maxClients`` queue) to the end of the
    /// body, redirects included.
    public let requestTime: Double
    /// When the request left the queue and started, in seconds since 1970.
    public let startTime: Double
    /// Why the response counts as an error, if it does.
    let errorCause: HTTPClientError.Cause?

    init(
        request: HTTPRequest,
        code: Int,
        reason: String,
        headers: HTTPHeaders,
        body: ByteBuffer,
        effectiveURL: String,
        requestTime: Double,
        startTime: Double,
        tooManyRedirects: Bool
    ) {
        self.request = request
        self.code = code
        self.reason = reason
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.requestTime = requestTime
        self.startTime = startTime
        if tooManyRedirects {
            errorCause = .tooManyRedirects
        } else {
            errorCause = (200..<300).contains(code) ? nil : .httpStatus
        }
    }

    /// The error this response stands for: set for a status outside 200...299, `nil` otherwise.
    public var error: HTTPClientError? {
        guard let errorCause else { return nil }
        let message =
            errorCause == .tooManyRedirects ? "too many redirects (more than \(request.maxRedirects))" : reason
        return HTTPClientError(code: code, message: message, response: self, cause: errorCause)
    }

    /// The body as UTF-8 text.
    public var text: String { String(buffer: body) }

    /// Throws ``error`` if there is one (Tornado's `rethrow`).
    public func rethrow() throws(HTTPClientError) {
        if let error { throw error }
    }

    /// `HTTPResponse(code: 200, effectiveURL: ...)`.
    public var description: String { "HTTPResponse(code: \(code), effectiveURL: \(effectiveURL))" }
}
