public import SquallMonitorProtocol

/// One line of the log tail: an entry, or a marker for lines that never arrived.
public enum LogLine: Sendable, Equatable {
    /// A log entry.
    case entry(LogEntry)
    /// `count` lines were lost between the neighbouring entries (seen as a gap in sequence numbers).
    case gap(count: Int)
    /// The server restarted; older lines belong to its previous run.
    case restart
}

/// The bounded log tail: the newest ``capacity`` lines, with gaps in sequence numbers made visible.
public struct LogRing: Sendable, Equatable {
    /// The most lines kept.
    public let capacity: Int
    /// The lines, oldest first.
    public private(set) var lines: [LogLine] = []
    /// The sequence number of the newest entry.
    public private(set) var lastSeq: Int?
    /// Lines the client saw missing from the sequence (in total).
    public private(set) var missing: Int = 0
    /// Lines evicted from the front of the ring to respect ``capacity``.
    public private(set) var evicted: Int = 0

    /// Creates an empty ring.
    public init(capacity: Int = 10_000) {
        self.capacity = max(10, capacity)
    }

    /// Appends entries; entries already seen (by sequence number, e.g. a backlog resent after a reconnect)
    /// are skipped. Returns how many lines were added.
    @discardableResult
    public mutating func append(_ entries: [LogEntry]) -> Int {
        var added = 0
        for entry in entries {
            if let last = lastSeq {
                if entry.seq <= last { continue }
                if entry.seq > last + 1 {
                    let lost = entry.seq - last - 1
                    missing += lost
                    lines.append(.gap(count: lost))
                    added += 1
                }
            }
            lines.append(.entry(entry))
            lastSeq = entry.seq
            added += 1
        }
        trim()
        return added
    }

    /// Marks a server restart: sequence numbers start again.
    public mutating func markRestart() {
        if !lines.isEmpty { lines.append(.restart) }
        lastSeq = nil
        trim()
    }

    private mutating func trim() {
        guard lines.count > capacity else { return }
        // Drop a tenth at once so trimming stays amortised O(1) per line.
        let excess = lines.count - capacity + capacity / 10
        lines.removeFirst(excess)
        evicted += excess
    }
}

/// A parsed log filter: free text plus `status:`, `method:`, `route:` and `level:` terms.
public struct LogQuery: Sendable, Equatable {
    /// Text the message must contain (case-insensitive).
    public var text: String = ""
    /// A status class 1…5 (`status:5xx`) or exact status (`status:404`).
    public var status: Int?
    /// Whether ``status`` is a class rather than an exact code.
    public var statusIsClass = false
    /// The method (`method:GET`).
    public var method: String?
    /// Text the route must contain (`route:/api`).
    public var route: String?
    /// The lowest level shown (`level:warning`).
    public var minimumLevel: Int?

    /// The log levels in increasing severity.
    public static let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Parses a filter string such as `status:5xx method:post timeout`.
    public init(_ filter: String = "") {
        var words: [String] = []
        for token in filter.split(separator: " ").map(String.init) {
            let lower = token.lowercased()
            if lower.hasPrefix("status:") {
                let v = lower.dropFirst(7)
                if v.count == 3, v.hasSuffix("xx"), let c = Int(v.prefix(1)) {
                    status = c
                    statusIsClass = true
                } else if let n = Int(v) {
                    status = n
                    statusIsClass = n < 10
                } else {
                    words.append(token)
                }
            } else if lower.hasPrefix("method:") {
                method = String(token.dropFirst(7)).uppercased()
            } else if lower.hasPrefix("route:") {
                route = String(token.dropFirst(6)).lowercased()
            } else if lower.hasPrefix("level:"), let i = LogQuery.levels.firstIndex(of: String(lower.dropFirst(6))) {
                minimumLevel = i
            } else {
                words.append(token)
            }
        }
        text = words.joined(separator: " ").lowercased()
    }

    /// Whether nothing is filtered.
    public var isEmpty: Bool {
        text.isEmpty && status == nil && method == nil && route == nil && minimumLevel == nil
    }

    /// Whether `line` passes; gap and restart markers always do.
    public func matches(_ line: LogLine) -> Bool {
        guard case .entry(let e) = line else { return true }
        if let status {
            guard let s = e.status else { return false }
            if statusIsClass ? s / 100 != status : s != status { return false }
        }
        if let method, e.method?.uppercased() != method { return false }
        if let route, !(e.route ?? e.uri ?? "").lowercased().contains(route) { return false }
        if let minimumLevel, (LogQuery.levels.firstIndex(of: e.level.lowercased()) ?? 2) < minimumLevel {
            return false
        }
        if !text.isEmpty, !e.message.lowercased().contains(text) { return false }
        return true
    }
}
