public import NIOCore
import SquallIO
import Synchronization

/// One HTTP request as the server received it: Tornado's `HTTPServerRequest`.
///
/// For a buffered request (the default) ``body`` holds the whole body and the arguments include the parsed
/// urlencoded or multipart body. For a request whose body is streamed (see ``HTTPServerDelegate``) ``body`` is
/// empty, the body arrives through ``bodyStream``, and only query arguments are parsed.
public final class HTTPServerRequest: Sendable {
    /// The request method, for example `GET`.
    public let method: String
    /// The request target as sent: path and query.
    public let uri: String
    /// The path part of ``uri``, still percent-encoded.
    public let path: String
    /// The query part of ``uri`` without the `?`; empty if there is none.
    public let query: String
    /// The protocol version, `HTTP/1.0` or `HTTP/1.1`.
    public let version: String
    /// The request headers.
    public let headers: HTTPHeaders
    /// The whole body of a buffered request (after gzip decoding when the server decompresses); empty when
    /// streamed.
    public let body: ByteBuffer
    /// The client's address; with ``HTTPServerOptions/xheaders`` the address the proxy reports.
    public let remoteIP: String
    /// `http` or `https`; with ``HTTPServerOptions/xheaders`` the scheme the proxy reports.
    public let `protocol`: String
    /// The `Host` header, or `127.0.0.1` when the request has none (HTTP/1.0).
    public var host: String { headers["Host"] ?? "127.0.0.1" }
    /// ``host`` lower-cased without its port.
    public var hostName: String { splitHostAndPort(host.lowercased()).host }
    /// Query arguments, name to values (raw bytes, decoded by the web layer), in arrival order per name.
    public let queryArguments: [String: [[UInt8]]]
    /// Arguments from a urlencoded or multipart body.
    public let bodyArguments: [String: [[UInt8]]]
    /// Files uploaded in a multipart body, by field name.
    public let files: [String: [HTTPFile]]
    /// When the server finished reading the request's headers, on ``SquallIO/IOLoop/time()``'s clock.
    public let startTime: Double
    /// The server's identifier for the connection the request came on (see ``HTTPServerObserver``).
    public let connectionID: Int
    /// The streamed body of a request the delegate chose to stream; `nil` for buffered requests.
    public let bodyStream: HTTPRequestBody?
    /// The live view of the request's connection, when the server has an ``HTTPServerObserver``.
    public let connectionControl: HTTPConnectionControl?
    private let routeName = Mutex<String?>(nil)

    /// The route that matched the request (its name or pattern), set by the router for instrumentation;
    /// `nil` until routed or when nothing matched.
    public var route: String? {
        get { routeName.withLock { $0 } }
        set { routeName.withLock { $0 = newValue } }
    }

    init(
        head: RequestHead,
        body: ByteBuffer,
        bodyArguments: [String: [[UInt8]]],
        files: [String: [HTTPFile]],
        bodyStream: HTTPRequestBody?,
        connectionControl: HTTPConnectionControl? = nil
    ) {
        method = head.method
        uri = head.uri
        path = head.path
        query = head.query
        version = head.version
        headers = head.headers
        remoteIP = head.remoteIP
        self.protocol = head.protocol
        queryArguments = head.queryArguments
        startTime = head.startTime
        connectionID = head.connectionID
        self.body = body
        self.bodyArguments = bodyArguments
        self.files = files
        self.bodyStream = bodyStream
        self.connectionControl = connectionControl
    }

    /// Query and body arguments together, query first (Tornado's `arguments`).
    public var arguments: [String: [[UInt8]]] {
        guard !bodyArguments.isEmpty else { return queryArguments }
        return queryArguments.merging(bodyArguments) { $0 + $1 }
    }

    /// The cookies sent with the request, parsed as browsers send them.
    public var cookies: [String: String] {
        guard let header = headers["Cookie"] else { return [:] }
        return parseCookie(header)
    }

    /// The URL the client asked for: protocol, host and URI.
    public var fullURL: String { "\(`protocol`)://\(host)\(uri)" }

    /// Seconds since the request's headers were read (Tornado's `request_time()` while it is in progress).
    public func requestTime() -> Double {
        IOLoop.current.time() - startTime
    }
}

/// What the connection handler knows once a request's headers are in.
struct RequestHead: Sendable {
    var method: String
    var uri: String
    var path: String
    var query: String
    var version: String
    var headers: HTTPHeaders
    var remoteIP: String
    var `protocol`: String
    var queryArguments: [String: [[UInt8]]]
    var startTime: Double
    var connectionID: Int
}
