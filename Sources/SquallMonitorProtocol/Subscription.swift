/// The parts of the server state a client wants in its updates.
public enum MonitorView: String, Codable, Sendable, CaseIterable {
    /// The connection table.
    case connections
    /// The WebSocket table.
    case webSockets = "websockets"
    /// Per-route figures.
    case handlers
    /// Event-loop lag.
    case loops
    /// The log stream (`logs` messages).
    case logs
}

/// The columns a connection table can be sorted by.
public enum ConnectionSortKey: String, Codable, Sendable, CaseIterable {
    /// Connection id (the order of acceptance).
    case id
    /// Peer address.
    case peer
    /// Loop index.
    case loop
    /// State.
    case state
    /// Age.
    case age
    /// Idle time.
    case idle
    /// Bytes received.
    case bytesIn
    /// Bytes sent.
    case bytesOut
    /// Requests served.
    case requests
    /// Elapsed time of the current request.
    case elapsed
    /// Messages either way (WebSocket table).
    case messages
}

/// Which rows of a table a client shows.
public struct TableQuery: Codable, Sendable, Equatable {
    /// The sort column.
    public var sort: ConnectionSortKey
    /// Largest first.
    public var descending: Bool
    /// Case-insensitive text every shown row must contain (in peer, state, method, path or route); empty: all.
    public var filter: String
    /// The first row to send.
    public var offset: Int
    /// How many rows to send at most (capped by ``MonitorProtocol/maxRows``).
    public var limit: Int

    /// Creates a query.
    public init(
        sort: ConnectionSortKey = .id,
        descending: Bool = false,
        filter: String = "",
        offset: Int = 0,
        limit: Int = 200
    ) {
        self.sort = sort
        self.descending = descending
        self.filter = filter
        self.offset = offset
        self.limit = limit
    }
}

/// Which log entries a client wants.
public struct LogFilter: Codable, Sendable, Equatable {
    /// Case-insensitive text the entry's message must contain; empty: all.
    public var text: String
    /// Status classes to keep (1…5) for request entries; empty: all.
    public var statusClasses: [Int]
    /// The method request entries must have; `nil`: all.
    public var method: String?
    /// The route request entries must have; `nil`: all.
    public var route: String?
    /// Whether application log records are included.
    public var includeApp: Bool
    /// How many already-logged entries to send first (at most the ring's size).
    public var backlog: Int

    /// Creates a filter.
    public init(
        text: String = "",
        statusClasses: [Int] = [],
        method: String? = nil,
        route: String? = nil,
        includeApp: Bool = true,
        backlog: Int = 200
    ) {
        self.text = text
        self.statusClasses = statusClasses
        self.method = method
        self.route = route
        self.includeApp = includeApp
        self.backlog = backlog
    }
}

/// What a client asks the server to send, and how often; each `subscribe` replaces the previous one.
public struct Subscription: Codable, Sendable, Equatable {
    /// Updates per second (default ``MonitorProtocol/defaultRate``, clamped to ``MonitorProtocol/maxRate``).
    public var rate: Double
    /// The views to fill.
    public var views: [MonitorView]
    /// The connection table's rows.
    public var connections: TableQuery
    /// The WebSocket table's rows.
    public var webSockets: TableQuery
    /// The log stream's filter (used when ``views`` has `logs`).
    public var logs: LogFilter
    /// A connection to send in ``Snapshot/detail``.
    public var detailConnection: Int?
    /// A WebSocket whose frames to stream as `frames` messages.
    public var frameTail: Int?

    /// Creates a subscription.
    public init(
        rate: Double = MonitorProtocol.defaultRate,
        views: [MonitorView] = MonitorView.allCases,
        connections: TableQuery = TableQuery(),
        webSockets: TableQuery = TableQuery(),
        logs: LogFilter = LogFilter(),
        detailConnection: Int? = nil,
        frameTail: Int? = nil
    ) {
        self.rate = rate
        self.views = views
        self.connections = connections
        self.webSockets = webSockets
        self.logs = logs
        self.detailConnection = detailConnection
        self.frameTail = frameTail
    }
}
