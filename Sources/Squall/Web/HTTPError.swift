/// Thrown from a handler to answer with an HTTP error status: Tornado's `HTTPError`.
///
/// ```swift
/// throw HTTPError(404)
/// throw HTTPError(403, logMessage: "user \(id) may not see \(path)")
/// ```
public struct HTTPError: Error, CustomStringConvertible, Sendable {
    /// The status code to answer with.
    public var status: Int
    /// A message for the server's log, never shown to the client.
    public var logMessage: String?
    /// The reason phrase; the standard one for ``status`` when `nil`.
    public var reason: String?
    /// Headers to add to the error response (for example `Allow` for a 405).
    public var headers: [(String, String)] = []

    /// Creates the error.
    public init(_ status: Int = 500, logMessage: String? = nil, reason: String? = nil) {
        self.status = status
        self.logMessage = logMessage
        self.reason = reason
    }

    /// The message a user reads: what happened and why.
    public var description: String {
        var text = "HTTP \(status): \(reason ?? HTTPStatus.reason(status))"
        if let logMessage { text += " (\(logMessage))" }
        return text
    }
}

/// A required argument is missing: answered with 400 naming it (Tornado's `MissingArgumentError`).
public struct MissingArgumentError: Error, CustomStringConvertible, Sendable {
    /// The argument's name.
    public var name: String

    /// Creates the error for argument `name`.
    public init(_ name: String) {
        self.name = name
    }

    /// The equivalent ``HTTPError``.
    public var httpError: HTTPError {
        HTTPError(400, logMessage: "Missing argument \(name)", reason: "Missing argument \(name)")
    }

    /// The message a user reads: what happened and why.
    public var description: String { "HTTP 400: Missing argument \(name)" }
}

/// Standard reason phrases.
enum HTTPStatus {
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 416: "Range Not Satisfiable"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Unknown"
        }
    }
}
