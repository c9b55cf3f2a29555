import AsyncHTTPClient
import NIOCore
import NIOHTTPCompression
public import SquallIO
import Synchronization

/// An asynchronous HTTP/1.1 client with a connection pool (Tornado's `AsyncHTTPClient`).
///
/// ```swift
/// let client = HTTPClient()
/// let response = try await client.fetch("http://127.0.0.1:8888/")
/// print(response.code, response.text)
/// try await client.close()
/// ```
///
/// The transport is swift-server's AsyncHTTPClient: connections are kept alive and reused per host. Squall adds
/// Tornado's semantics on top: at most ``maxClients`` requests run at once across all hosts, the rest queue
/// (and fail with ``HTTPClientError/Cause/queueTimeout`` after the lesser of their two timeouts), redirects are
/// followed per request as Tornado does, and errors are ``HTTPClientError``s.
///
/// Call ``close()`` when done with a client you created; ``shared(group:)`` clients live for the process.
public final class HTTPClient: Sendable {
    /// The loops connections run on.
    public let group: IOLoopGroup
    /// How many requests may run at once; more wait in a queue (Tornado's default: 10).
    public let maxClients: Int
    /// How long an unused pooled connection stays open.
    public let idleTimeout: Duration
    /// The largest response body accepted, in bytes after decompression, also when streamed (Tornado's
    /// `max_body_size`, default 100 MiB); a larger one fails with ``HTTPClientError/Cause/bodyTooLarge``.
    public let maxBodySize: Int
    private let isShared: Bool
    private let slots: Semaphore
    private let state = Mutex(State())

    private struct State {
        var closed = false
        var engines: [EngineKey: AsyncHTTPClient.HTTPClient] = [:]
    }

    /// The options that AsyncHTTPClient only takes per client; requests that differ in them use separate pools.
    private struct EngineKey: Hashable {
        var decompress: Bool
        var connectTimeout: Duration
    }

    private static let sharedClients = Mutex<[ObjectIdentifier: HTTPClient]>([:])

    /// Creates a client with its own connection pool.
    ///
    /// - Parameters:
    ///   - group: the loops to run connections on (default ``SquallIO/IOLoopGroup/shared``).
    ///   - maxClients: how many requests may run at once (Tornado's default: 10); at least 1.
    ///   - idleTimeout: how long an unused pooled connection stays open (60 s).
    ///   - maxBodySize: the largest response body accepted, in bytes (Tornado's default: 100 MiB).
    public convenience init(
        group: IOLoopGroup = .shared,
        maxClients: Int = 10,
        idleTimeout: Duration = .seconds(60),
        maxBodySize: Int = 100 * 1024 * 1024
    ) {
        self.init(
            group: group,
            maxClients: maxClients,
            idleTimeout: idleTimeout,
            maxBodySize: maxBodySize,
            isShared: false
        )
    }

    private init(group: IOLoopGroup, maxClients: Int, idleTimeout: Duration, maxBodySize: Int, isShared: Bool) {
        self.group = group
        self.maxClients = max(1, maxClients)
        self.idleTimeout = idleTimeout
        self.maxBodySize = max(0, maxBodySize)
        self.isShared = isShared
        self.slots = Semaphore(value: self.maxClients)
    }

    /// The client shared by everything running on `group`, with the default options (Tornado's
    /// `AsyncHTTPClient()` without `force_instance`). Its ``close()`` does nothing.
    public static func shared(group: IOLoopGroup = .shared) -> HTTPClient {
        sharedClients.withLock { clients in
            if let client = clients[ObjectIdentifier(group)] { return client }
            let client = HTTPClient(
                group: group,
                maxClients: 10,
                idleTimeout: .seconds(60),
                maxBodySize: 100 * 1024 * 1024,
                isShared: true
            )
            clients[ObjectIdentifier(group)] = client
            return client
        }
    }

    deinit {
        // A client dropped without `close()` still releases its connections.
        for engine in state.withLock({ Array($0.engines.values) }) {
            engine.shutdown().whenComplete { _ in }
        }
    }

    /// Closes every pooled connection; later fetches fail with ``HTTPClientError/Cause/clientClosed``.
    ///
    /// Does nothing on a ``shared(group:)`` client. Fetches still running may fail.
    public func close() async throws {
        if isShared { return }
        let engines = state.withLock { state in
            state.closed = true
            defer { state.engines = [:] }
            return Array(state.engines.values)
        }
        for engine in engines { try await engine.shutdown() }
    }

    /// Takes one of the ``maxClients`` slots, waiting in line for at most `timeout`.
    func acquireSlot(timeout: Duration) async throws {
        do {
            try await slots.acquire(timeout: timeout)
        } catch is TimeoutError {
            throw HTTPClientError(cause: .queueTimeout, message: "Timeout in request queue")
        }
    }

    /// Returns a slot taken with ``acquireSlot(timeout:)``.
    func releaseSlot() { slots.release() }

    /// The AsyncHTTPClient instance for `request`'s per-client options, created on first use.
    func engine(for request: HTTPRequest) throws(HTTPClientError) -> AsyncHTTPClient.HTTPClient {
        let key = EngineKey(decompress: request.decompressResponse, connectTimeout: request.connectTimeout)
        let engine: AsyncHTTPClient.HTTPClient? = state.withLock { state in
            if state.closed { return nil }
            if let engine = state.engines[key] { return engine }
            let engine = AsyncHTTPClient.HTTPClient(
                eventLoopGroup: group.eventLoopGroup,
                configuration: configuration(for: key)
            )
            state.engines[key] = engine
            return engine
        }
        guard let engine else { throw HTTPClientError(cause: .clientClosed, message: "fetch() on a closed client") }
        return engine
    }

    private func configuration(for key: EngineKey) -> AsyncHTTPClient.HTTPClient.Configuration {
        var pool = AsyncHTTPClient.HTTPClient.Configuration.ConnectionPool(
            idleTimeout: TimeAmount(idleTimeout),
            concurrentHTTP1ConnectionsPerHostSoftLimit: maxClients
        )
        // A refused connect should fail the request at once, as in Tornado, not be retried until the timeout.
        pool.retryConnectionEstablishment = false
        var configuration = AsyncHTTPClient.HTTPClient.Configuration(
            // Squall follows redirects itself: per request, with Tornado's method rewriting.
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(key.connectTimeout), read: nil),
            connectionPool: pool,
            decompression: key.decompress ? .enabled(limit: .none) : .disabled
        )
        configuration.httpVersion = .http1Only
        return configuration
    }
}
