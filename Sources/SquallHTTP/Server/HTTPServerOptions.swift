/// Limits, timeouts and behaviour of an ``HTTPServer``, with Tornado's names and defaults.
public struct HTTPServerOptions: Sendable {
    /// The most bytes a request's start line and headers may take (Tornado: 64 KiB); more is answered with 431.
    public var maxHeaderSize = 64 * 1024
    /// The largest request body accepted (Tornado: 100 MiB); a larger one is answered with 413 without being read.
    public var maxBodySize = 100 * 1024 * 1024
    /// How long a body may take to arrive once its headers have (Tornado's `body_timeout`); `nil`: no limit.
    public var bodyTimeout: Duration?
    /// How long a keep-alive connection may sit idle between requests (Tornado: 3600 s).
    public var idleConnectionTimeout: Duration = .seconds(3600)
    /// How long a client may take to send a request's headers once it starts (new in Squall: a slowloris
    /// guard; Tornado has none). `nil`: no limit.
    public var headerTimeout: Duration? = .seconds(60)
    /// Close every connection after one response (Tornado's `no_keep_alive`).
    public var noKeepAlive = false
    /// Honour `X-Real-Ip` / `X-Forwarded-For` and `X-Scheme` / `X-Forwarded-Proto` for the remote address and
    /// protocol, as when running behind a reverse proxy (Tornado's `xheaders`).
    public var xheaders = false
    /// Proxies whose addresses are skipped when reading `X-Forwarded-For` from the right (Tornado's
    /// `trusted_downstream`).
    public var trustedDownstream: Set<String> = []
    /// Decompress `Content-Encoding: gzip` request bodies before the handler sees them (Tornado's
    /// `decompress_request`); the decompressed size counts against ``maxBodySize``.
    public var decompressRequest = false
    /// The size of the pieces a streamed body is delivered in, at most (Tornado's `chunk_size`: 64 KiB).
    public var chunkSize = 64 * 1024
    /// How long ``HTTPServer/stop(gracePeriod:)`` waits, by default, for requests in progress to finish.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// Limits for parsing urlencoded and multipart bodies into arguments (Tornado 6.5's `ParseBodyConfig`).
    public var bodyConfig: ParseBodyConfig = .default
    /// The most query-string fields parsed into arguments (Tornado 6.5.8: 1,000).
    public var maxQueryFields = 1000
    /// The `Server` header sent with every response; `nil` sends none.
    public var serverHeader: String? = "Squall"

    /// Options with Tornado's defaults.
    public init() {}
}
