/// Latency percentiles in seconds.
public struct Percentiles: Codable, Sendable, Equatable {
    /// Median.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 99th percentile.
    public var p99: Double
    /// 99.9th percentile.
    public var p999: Double
    /// Largest value seen.
    public var max: Double
    /// How many values these describe.
    public var count: Int

    /// Creates percentiles.
    public init(p50: Double = 0, p90: Double = 0, p99: Double = 0, p999: Double = 0, max: Double = 0, count: Int = 0) {
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
        self.max = max
        self.count = count
    }
}

/// Figures for one route and method.
public struct HandlerStats: Codable, Sendable, Equatable {
    /// The route's name, or its pattern; unmatched paths share one route (``HandlerStats/unmatchedRoute``).
    public var route: String
    /// The HTTP method.
    public var method: String
    /// Requests finished since start.
    public var count: Int
    /// Requests running now.
    public var inFlight: Int
    /// Finished requests by status class: index 0 is 1xx … index 4 is 5xx.
    public var statusClasses: [Int]
    /// Requests finished per second over the last 10 s.
    public var rate: Double
    /// Latency over the whole run.
    public var total: Percentiles
    /// Latency over the last 10 s.
    public var recent: Percentiles
    /// The p99 latency of each of the last seconds, oldest first (for a sparkline).
    public var history: [Double]

    /// The route label shared by requests that matched no route.
    public static let unmatchedRoute = "(unmatched)"
    /// The route label used once the number of distinct routes reaches the monitor's cap.
    public static let overflowRoute = "(other)"

    /// Creates handler figures.
    public init(
        route: String,
        method: String,
        count: Int = 0,
        inFlight: Int = 0,
        statusClasses: [Int] = [0, 0, 0, 0, 0],
        rate: Double = 0,
        total: Percentiles = Percentiles(),
        recent: Percentiles = Percentiles(),
        history: [Double] = []
    ) {
        self.route = route
        self.method = method
        self.count = count
        self.inFlight = inFlight
        self.statusClasses = statusClasses
        self.rate = rate
        self.total = total
        self.recent = recent
        self.history = history
    }

    /// The share of finished requests that ended 5xx (0…1).
    public var errorRate: Double {
        let errors = statusClasses.count > 4 ? statusClasses[4] : 0
        return count == 0 ? 0 : Double(errors) / Double(count)
    }
}

/// Event-loop lag of one loop.
public struct LoopStats: Codable, Sendable, Equatable {
    /// The loop's index.
    public var index: Int
    /// The lag of the latest probe, in seconds.
    public var current: Double
    /// The 99th percentile over the window (last 60 s).
    public var p99: Double
    /// The largest lag over the window.
    public var max: Double
    /// The largest lag of each of the last seconds, oldest first.
    public var history: [Double]
    /// The route whose handler was running on this loop when the worst lag of the window was measured.
    public var worstRoute: String?
    /// Open connections on this loop.
    public var connections: Int

    /// Creates loop figures.
    public init(
        index: Int,
        current: Double = 0,
        p99: Double = 0,
        max: Double = 0,
        history: [Double] = [],
        worstRoute: String? = nil,
        connections: Int = 0
    ) {
        self.index = index
        self.current = current
        self.p99 = p99
        self.max = max
        self.history = history
        self.worstRoute = worstRoute
        self.connections = connections
    }
}
