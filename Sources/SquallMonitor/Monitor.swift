import Foundation
public import Logging
import NIOCore
import NIOPosix
public import SquallHTTP
public import SquallIO
import SquallMonitorProtocol
public import Prometheus
import Synchronization

/// The built-in monitor: instruments every connection and request of the servers it observes, and serves
/// them on a separate admin listener (/metrics, /healthz, /snapshot and the dashboard WebSocket squall-top
/// attaches to).
///
/// The admin listener and all aggregation run on the monitor's own event loop (its own thread), so the
/// dashboard answers, and can kill connections, while the application's loops are blocked. Recording on the
/// application's loops is a few atomic adds and short per-loop locks.
///
/// Applications normally turn it on with `settings.monitor = MonitorSettings()`; the application then creates
/// it and starts it on `listen`.
public final class Monitor: HTTPServerObserver, Sendable {
    /// The settings it was created with.
    public let settings: MonitorSettings
    /// The bearer token the admin listener requires.
    public let token: String
    /// Squall's version as the monitor reports it.
    public static let squallVersion = "0.1.0"

    let registry: ConnectionRegistry
    let handlers: HandlerStatsTable
    let lag: LagProbe
    let log: LogRing
    let metrics: MonitorMetrics
    let startedAt: Double
    let loopCount: Int
    /// The loops this monitor probes: the application must serve on them.
    public let group: IOLoopGroup
    let logger: Logger
    let adminGroup: MultiThreadedEventLoopGroup
    /// What dashboard sessions have sent and skipped (for tests and the overhead benchmark).
    let sessionStats = SessionStats()
    private let state = Mutex(State())
    private let tails = FrameTails()

    struct State {
        var servers: [TCPServer] = []
        var listener: (any Channel)?
        var discoveryPath: String?
        var acceptingPaused = false
        var started = false
    }

    /// Creates a monitor for servers running on `group`.
    ///
    /// - Parameters:
    ///   - settings: listener, auth and instrument settings.
    ///   - group: the application's loops (one lag probe and one registry shard each); `nil`:
    ///     ``MonitorSettings/group``, else ``SquallIO/IOLoopGroup/shared``.
    ///   - metricsRegistry: where Prometheus series go; by default the process's shared registry (see
    ///     ``bootstrapMetrics()``).
    public init(
        settings: MonitorSettings = MonitorSettings(),
        group: IOLoopGroup? = nil,
        metricsRegistry: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry
    ) {
        let group = group ?? settings.group ?? .shared
        self.group = group
        self.settings = settings
        token = settings.token ?? Self.randomToken()
        loopCount = group.loops.count
        registry = ConnectionRegistry(loops: loopCount, retention: settings.closedRetention)
        handlers = HandlerStatsTable(loops: loopCount, maxRoutes: settings.maxRoutes)
        let registry = self.registry
        lag = LagProbe(loops: group.loops.map(\.eventLoop), interval: settings.lagProbeInterval) { loop in
            registry.sampleWebSocketQueues(loop: loop)
        }
        log = LogRing(capacity: settings.logCapacity)
        metrics = MonitorMetrics(registry: metricsRegistry, loops: loopCount, maxRoutes: settings.maxRoutes)
        startedAt = Date().timeIntervalSince1970
        logger = Logger(label: "squall.monitor")
        adminGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        MonitorLogging.register(self)
    }

    deinit {
        MonitorLogging.unregister(self)
        // Not the blocking shutdown: the last reference may go away on an event loop thread, where blocking is a bug.
        adminGroup.shutdownGracefully { _ in }
    }

    /// Makes swift-metrics write to the same Prometheus registry the monitor exports, so an application's own
    /// counters, gauges and timers appear on /metrics. Call once, at program start, before creating metrics.
    public static func bootstrapMetrics() {
        MetricsBootstrap.once()
    }

    // MARK: - Servers

    /// Adds a server whose listeners ``CommandAction/pauseAccepting`` pauses and whose addresses `hello` names.
    public func attach(_ server: TCPServer) {
        state.withLock { $0.servers.append(server) }
    }

    /// The application addresses, `ip:port`.
    public var appAddresses: [String] {
        state.withLock { $0.servers }.flatMap { server in
            server.localAddresses.map { address in
                let ip = address.ipAddress ?? "?"
                return ip.contains(":") ? "[\(ip)]:\(address.port ?? 0)" : "\(ip):\(address.port ?? 0)"
            }
        }
    }

    var servers: [TCPServer] { state.withLock { $0.servers } }

    /// Sets the started flag and returns its previous value.
    func stateStarted(_ value: Bool) -> Bool {
        state.withLock { state in
            defer { state.started = value }
            return state.started
        }
    }

    func setListener(_ channel: any Channel) { state.withLock { $0.listener = channel } }
    func setDiscoveryPath(_ path: String) { state.withLock { $0.discoveryPath = path } }
    var listenerChannel: (any Channel)? { state.withLock { $0.listener } }

    func takeListenerAndDiscovery() -> ((any Channel)?, String?) {
        state.withLock { state in
            defer {
                state.listener = nil
                state.discoveryPath = nil
            }
            return (state.listener, state.discoveryPath)
        }
    }

    var acceptingPaused: Bool {
        get { state.withLock { $0.acceptingPaused } }
        set { state.withLock { $0.acceptingPaused = newValue } }
    }

    // MARK: - HTTPServerObserver

    /// Registers a new connection.
    public func connectionOpened(_ connection: HTTPConnectionInfo, control: HTTPConnectionControl) {
        registry.opened(control)
    }

    /// Nothing to do: the connection's control already shows the request.
    public func requestStarted(_ request: HTTPServerRequest) {}

    /// Records a finished request's latency and status.
    public func requestFinished(_ request: HTTPServerRequest, status: Int, bytesOut: Int, duration: Double) {
        let route = request.route ?? HandlerStats.unmatchedRoute
        let loop = request.connectionControl?.info.loopIndex ?? 0
        handlers.record(loop: loop, route: route, method: request.method, status: status, seconds: duration)
        lag.requestFinished(loop: loop, route: route, duration: duration)
    }

    /// Moves a closed connection to the recently-closed list.
    public func connectionClosed(_ connection: HTTPConnectionInfo, bytesIn: Int, bytesOut: Int, requests: Int) {
        registry.closed(connection)
        tails.stop(connection.id)
    }

    // MARK: - Request log

    /// Adds a finished request to the log ring, with the same text as the access log line.
    public func recordRequest(
        message: String,
        level: Logger.Level,
        request: HTTPServerRequest,
        status: Int,
        duration: Double,
        bytes: Int,
        route: String?
    ) {
        let now = Date().timeIntervalSince1970
        let loop = request.connectionControl?.info.loopIndex
        log.append { seq in
            LogEntry(
                seq: seq,
                time: now,
                kind: .request,
                level: level.rawValue,
                message: message,
                method: request.method,
                uri: request.uri,
                route: route,
                status: status,
                duration: duration,
                bytes: bytes,
                remoteIP: request.remoteIP,
                connectionID: request.connectionID,
                loop: loop
            )
        }
    }

    /// Adds an application log record (or an audit line) to the log ring.
    func recordLog(kind: LogKind, level: Logger.Level, label: String, message: String) {
        let now = Date().timeIntervalSince1970
        log.append { seq in
            LogEntry(seq: seq, time: now, kind: kind, level: level.rawValue, message: message, label: label)
        }
    }

    // MARK: - Figures

    /// The whole seconds the request and error rates cover.
    static let rateSeconds = 5

    /// Server-wide counters now.
    func totals(entries: [ConnectionRegistry.Entry]) -> Totals {
        let counts = handlers.counts(recentSeconds: Self.rateSeconds)
        var active = 0
        var webSockets = 0
        for entry in entries {
            switch entry.control.phase {
            case .handling, .writing: active += 1
            case .upgraded where entry.webSocket != nil: webSockets += 1
            default: break
            }
        }
        return Totals(
            requests: counts.requests,
            clientErrors: counts.clientErrors,
            serverErrors: counts.serverErrors,
            requestRate: Double(counts.recentRequests) / Double(Self.rateSeconds),
            errorRate: counts.recentRequests == 0
                ? 0 : Double(counts.recentServerErrors) / Double(counts.recentRequests),
            activeRequests: active,
            openConnections: entries.count,
            openWebSockets: webSockets,
            acceptedConnections: registry.acceptedCount,
            acceptingPaused: acceptingPaused
        )
    }

    /// Who the server is, for `hello`.
    func serverInfo() -> ServerInfo {
        ServerInfo(
            program: settings.resolvedProgramName,
            pid: getpid(),
            version: Self.squallVersion,
            addresses: appAddresses,
            startedAt: startedAt,
            loops: loopCount,
            readOnly: settings.readOnly,
            framePreviews: settings.framePreviews
        )
    }

    /// The Prometheus text of /metrics.
    public func metricsText() -> String {
        let entries = registry.entries()
        let totals = totals(entries: entries)
        let lags = (0..<loopCount).map { lag.current(loop: $0) }
        metrics.updateGauges(
            activeRequests: totals.activeRequests,
            connections: totals.openConnections,
            webSockets: totals.openWebSockets,
            lags: lags
        )
        return metrics.exposition(durations: handlers.durationSeries())
    }

    var frameTails: FrameTails { tails }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

/// Counters of the dashboard sessions' output.
final class SessionStats: Sendable {
    private let sent = Atomic<Int>(0)
    private let skipped = Atomic<Int>(0)

    /// Bytes of messages written to dashboard sockets.
    var bytesSent: Int { sent.load(ordering: .relaxed) }
    /// Ticks skipped because a dashboard's socket was not writable (its update coalesced into the next).
    var coalesced: Int { skipped.load(ordering: .relaxed) }

    func wrote(_ count: Int) { sent.add(count, ordering: .relaxed) }
    func skippedTick() { skipped.add(1, ordering: .relaxed) }
}

/// Bootstraps swift-metrics with the shared Prometheus registry at most once per process.
enum MetricsBootstrap {
    private static let done = Mutex(false)

    static func once() {
        let first = done.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { MetricsSystemBridge.bootstrap() }
    }
}
