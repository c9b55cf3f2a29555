public import NIOCore

/// One request for ``HTTPClient/fetch(_:raiseError:)``, with Tornado's `HTTPRequest` options in Swift casing.
///
/// Defaults are Tornado's: 20 s connect and request timeouts, redirects followed up to 5 times, gzip responses
/// decompressed. The body goes out as given; `POST`, `PATCH` and `PUT` need one and other methods must not
/// have one, unless ``allowNonstandardMethods`` is set (Tornado's check, which catches a forgotten body).
public struct HTTPRequest: Sendable {
    /// The absolute URL to fetch (`http://` or `https://`).
    public var url: String
    /// The request method, such as `GET` or `POST`.
    public var method: String
    /// Extra request headers; `User-Agent`, `Authorization`, `If-Modified-Since` and `Accept-Encoding` are added
    /// from the other options unless already present.
    public var headers: HTTPHeaders
    /// The request body, or `nil` for none.
    public var body: ByteBuffer?
    /// The user name for basic authentication; sent only together with ``authPassword``.
    public var authUsername: String?
    /// The password for basic authentication.
    public var authPassword: String?
    /// How long establishing a connection may take (Tornado's default: 20 s).
    public var connectTimeout: Duration
    /// How long the whole request may take, from sending it to the last byte of the body (default 20 s).
    /// Each redirect hop gets the full timeout again, as in Tornado.
    public var requestTimeout: Duration
    /// Whether 301, 302, 303, 307 and 308 responses are followed (default `true`).
    public var followRedirects: Bool
    /// How many redirects are followed before the fetch fails with ``HTTPClientError/Cause/tooManyRedirects``.
    public var maxRedirects: Int
    /// The `User-Agent` header to send, if any.
    public var userAgent: String?
    /// Whether to ask for gzip (`Accept-Encoding: gzip`) and decompress the response body (default `true`).
    public var decompressResponse: Bool
    /// Allows any method, and a body with any method or none (Tornado's `allow_nonstandard_methods`).
    public var allowNonstandardMethods: Bool
    /// Receives the body of the final response chunk by chunk instead of buffering it in
    /// ``HTTPResponse/body``, which then stays empty. Bodies of redirects that are followed are not delivered.
    public var streamingCallback: (@Sendable (ByteBuffer) async throws -> Void)?
    /// Receives the head of the final response line by line, as Tornado's `header_callback`: the status line,
    /// then each `Name: value` line, then an empty line, each ending in `\r\n`.
    public var headerCallback: (@Sendable (String) -> Void)?
    /// Sends `If-Modified-Since` with this time, in seconds since 1970.
    public var ifModifiedSince: Double?

    /// The methods Tornado's client sends without ``allowNonstandardMethods``.
    static let standardMethods: Set<String> = ["GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"]

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - url: the absolute URL to fetch.
    ///   - method: the request method (default `GET`).
    ///   - headers: extra request headers.
    ///   - body: the body: a `String` (sent as UTF-8), `[UInt8]` or `ByteBuffer`.
    ///   - authUsername: the user name for basic authentication.
    ///   - authPassword: the password for basic authentication.
    ///   - connectTimeout: the limit for establishing a connection (20 s).
    ///   - requestTimeout: the limit for the whole request (20 s).
    ///   - followRedirects: whether redirects are followed (`true`).
    ///   - maxRedirects: how many redirects are followed (5).
    ///   - userAgent: the `User-Agent` header to send.
    ///   - decompressResponse: whether gzip responses are asked for and decompressed (`true`).
    ///   - allowNonstandardMethods: whether any method and body combination is allowed (`false`).
    ///   - streamingCallback: receives the response body in chunks instead of buffering it.
    ///   - headerCallback: receives the response head line by line.
    ///   - ifModifiedSince: sends `If-Modified-Since` with this time (seconds since 1970).
    public init(
        _ url: String,
        method: String = "GET",
        headers: HTTPHeaders = HTTPHeaders(),
        body: (any HTTPRequestBodyConvertible)? = nil,
        authUsername: String? = nil,
        authPassword: String? = nil,
        connectTimeout: Duration = .seconds(20),
        requestTimeout: Duration = .seconds(20),
        followRedirects: Bool = true,
        maxRedirects: Int = 5,
        userAgent: String? = nil,
        decompressResponse: Bool = true,
        allowNonstandardMethods: Bool = false,
        streamingCallback: (@Sendable (ByteBuffer) async throws -> Void)? = nil,
        headerCallback: (@Sendable (String) -> Void)? = nil,
        ifModifiedSince: Double? = nil
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body?.requestBody
        self.authUsername = authUsername
        self.authPassword = authPassword
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
        self.decompressResponse = decompressResponse
        self.allowNonstandardMethods = allowNonstandardMethods
        self.streamingCallback = streamingCallback
        self.headerCallback = headerCallback
        self.ifModifiedSince = ifModifiedSince
    }

    /// Tornado's checks before anything is sent: a known method, and a body exactly when the method expects one.
    func validate() throws(HTTPClientError) {
        if allowNonstandardMethods { return }
        guard Self.standardMethods.contains(method) else {
            throw HTTPClientError(
                cause: .invalidRequest,
                message: "unknown method \(method) (set allowNonstandardMethods to send it)"
            )
        }
        let bodyExpected = ["POST", "PATCH", "PUT"].contains(method)
        if bodyExpected != (body != nil) {
            let must = bodyExpected ? "must not" : "must"
            throw HTTPClientError(
                cause: .invalidRequest,
                message: "body \(must) be nil for method \(method) (unless allowNonstandardMethods is true)"
            )
        }
    }
}

/// A value that can be sent as a request body: `String` (as UTF-8), `[UInt8]`, `Substring` or `ByteBuffer`.
public protocol HTTPRequestBodyConvertible: Sendable {
    /// The bytes to send.
    var requestBody: ByteBuffer { get }
}

extension String: HTTPRequestBodyConvertible {
    /// The string as UTF-8.
    public var requestBody: ByteBuffer { ByteBuffer(string: self) }
}

extension Substring: HTTPRequestBodyConvertible {
    /// The string as UTF-8.
    public var requestBody: ByteBuffer { ByteBuffer(string: String(self)) }
}

extension Array: HTTPRequestBodyConvertible where Element == UInt8 {
    /// The bytes themselves.
    public var requestBody: ByteBuffer { ByteBuffer(bytes: self) }
}

extension ByteBuffer: HTTPRequestBodyConvertible {
    /// The buffer's readable bytes.
    public var requestBody: ByteBuffer { self }
}
