/// The state of the server as one client sees it: sent as `snapshot` on request and as each periodic `update`.
///
/// Views the client did not subscribe to are empty. Ages and durations are computed by the server at
/// ``serverTime`` so a client needs no clock agreement.
public struct Snapshot: Codable, Sendable, Equatable {
    /// The server's clock when this was taken, in seconds since 1970.
    public var serverTime: Double
    /// Process figures.
    public var process: ProcessStats
    /// Server-wide counters.
    public var totals: Totals
    /// One entry per event loop.
    public var loops: [LoopStats]
    /// The connection table, sorted, filtered and limited as the client's subscription asked.
    public var connections: TablePage<ConnectionRow>
    /// The open WebSockets (connection rows with ``ConnectionRow/webSocket`` set), as asked.
    public var webSockets: TablePage<ConnectionRow>
    /// Per route and method.
    public var handlers: [HandlerStats]
    /// Detail of the connection the client asked for (``Subscription/detailConnection``), if it still exists.
    public var detail: ConnectionRow?
    /// Log entries this client has missed because its queue was full (cumulative).
    public var logsDropped: Int

    /// Creates a snapshot.
    public init(
        serverTime: Double,
        process: ProcessStats = ProcessStats(),
        totals: Totals = Totals(),
        loops: [LoopStats] = [],
        connections: TablePage<ConnectionRow> = TablePage(),
        webSockets: TablePage<ConnectionRow> = TablePage(),
        handlers: [HandlerStats] = [],
        detail: ConnectionRow? = nil,
        logsDropped: Int = 0
    ) {
        self.serverTime = serverTime
        self.process = process
        self.totals = totals
        self.loops = loops
        self.connections = connections
        self.webSockets = webSockets
        self.handlers = handlers
        self.detail = detail
        self.logsDropped = logsDropped
    }
}
