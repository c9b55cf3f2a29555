public import SquallMonitorProtocol

/// Everything the dashboard shows, as plain state: the heart that input and server messages change and
/// views read. It never touches the terminal or the network, so tests drive it directly.
///
/// Times (`now`) are seconds on one clock chosen by the caller (the UI loop uses the wall clock).
public struct DashboardModel: Sendable {
    /// A line in the status bar.
    public struct Status: Sendable, Equatable {
        /// The text.
        public var text: String
        /// Whether it reports a failure.
        public var isError: Bool
    }

    /// A command sent and not yet answered.
    struct PendingCommand: Sendable, Equatable {
        var action: CommandAction
        var description: String
        var killSlowSeconds: Double?
    }

    /// The session settings.
    public var options: DashboardOptions
    /// The server's hello, once received.
    public private(set) var hello: Hello?
    /// The snapshot on screen (held still while frozen).
    public private(set) var snapshot: Snapshot?
    /// When the snapshot on screen arrived.
    public private(set) var snapshotTime: Double = 0
    /// The newest snapshot received (differs from ``snapshot`` while frozen).
    public private(set) var latest: Snapshot?
    /// The link's state.
    public var link: LinkState = .connecting
    /// The tab shown.
    public var tab: Tab = .connections
    /// Whether the display is frozen.
    public private(set) var frozen = false
    /// When the freeze started.
    public private(set) var frozenAt: Double = 0
    /// The connection table's state.
    public var connectionsTable = TableState()
    /// The WebSocket table's state.
    public var webSocketsTable = TableState()
    /// The handler table's state (sorted by count, largest first, by default).
    public var handlersTable = TableState(sortColumn: 2, descending: true)
    /// The loop selection.
    public var loopsTable = TableState()
    /// The warning selection.
    public var warningsTable = TableState()
    /// The log tail.
    public private(set) var logs: LogRing
    /// The log filter text.
    public var logFilter = ""
    /// Whether the log view follows new lines.
    public var logFollow = true
    /// Lines scrolled back from the newest, when not following.
    public var logScrollBack = 0
    /// Log lines the server reported it dropped for this client.
    public private(set) var logsDropped = 0
    /// The WebSocket whose frames are tailed.
    public private(set) var frameTail: Int?
    /// The tailed frames, oldest first.
    public private(set) var frames: [FrameSample] = []
    /// Whether the connection detail pane is open.
    public var detailVisible = false
    /// Whether the help overlay is open.
    public var helpVisible = false
    /// The dialog shown, if any.
    public var dialog: Dialog?
    /// The prompt being typed, if any.
    public var prompt: Prompt?
    /// The status line.
    public var status: Status?
    /// The checks' findings on the snapshot on screen.
    public private(set) var warnings: [Warning] = []
    /// CPU use of the server (0…n cores), from the last two snapshots.
    public private(set) var cpu: Double?
    /// Requests per second, one value per displayed update, oldest first.
    public private(set) var rateHistory: [Double] = []
    /// Closed connections kept visible: the row and when it was seen closing.
    public private(set) var closedRows: [Int: (row: ConnectionRow, at: Double)] = [:]
    /// Rows a table shows per screen (set by the renderer from the terminal size).
    public var visibleRows = 15

    var errorRates = ErrorRateTracker()
    var pendingCommands: [Int: PendingCommand] = [:]
    var nextCommandID = 1
    var frozenLogs: [LogEntry] = []
    var frozenFrames: [FrameSample] = []
    private var previousCPU: (time: Double, seconds: Double)?

    /// The levels `L` offers.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
    static let historyLength = 300
    static let maxClosedRows = 500

    /// Creates an empty model.
    public init(options: DashboardOptions = DashboardOptions()) {
        self.options = options
        self.logs = LogRing(capacity: options.logCapacity)
        if let message = options.initialMessage { self.status = Status(text: message, isError: true) }
    }

    /// The glyph set in use.
    public var glyphs: Glyphs { options.asciiGlyphs ? .ascii : .unicode }

    /// Whether commands are refused (by `--read-only` or by the server).
    public var isReadOnly: Bool { options.readOnly || (hello?.server.readOnly ?? false) }

    /// Seconds the screen's data is behind (while frozen, or while the link is down).
    public func staleness(now: Double) -> Double {
        snapshot == nil ? 0 : max(0, now - snapshotTime)
    }

    // MARK: - Server messages

    /// Applies a message from the server and returns the messages to send back (a subscription after
    /// `hello`).
    public mutating func apply(_ message: ServerMessage, now: Double) -> [ClientMessage] {
        switch message {
        case .hello(let h):
            if let old = hello, old.server.pid != h.server.pid || old.server.startedAt != h.server.startedAt {
                logs.markRestart()
                errorRates = ErrorRateTracker()
                previousCPU = nil
                closedRows.removeAll()
            }
            hello = h
            link = .connected
            pendingCommands.removeAll()
            return [.subscribe(subscription())]
        case .snapshot(let s), .update(let s):
            latest = s
            if !frozen { display(s, now: now) }
        case .logs(let batch):
            logsDropped = max(logsDropped, batch.dropped)
            if frozen {
                frozenLogs += batch.entries
                // Beyond the ring's size the oldest would be evicted anyway; the seq gap marks the loss.
                if frozenLogs.count > logs.capacity { frozenLogs.removeFirst(frozenLogs.count - logs.capacity) }
            } else {
                appendLogs(batch.entries)
            }
        case .frames(let batch):
            guard batch.connectionID == frameTail else { break }
            if frozen {
                frozenFrames += batch.frames
                if frozenFrames.count > options.frameCapacity {
                    frozenFrames.removeFirst(frozenFrames.count - options.frameCapacity)
                }
            } else {
                appendFrames(batch.frames)
            }
        case .ack(let ack):
            return handleAck(ack)
        case .error(let reply):
            var text = "error: \(reply.message)"
            if let id = reply.commandID, let pending = pendingCommands.removeValue(forKey: id) {
                text = "\(pending.description) failed: \(reply.message)"
            }
            if reply.code == "readOnly" { text += " (the server's monitor is read-only)" }
            status = Status(text: text, isError: true)
        }
        return []
    }

    /// Notes that the link dropped; the screen keeps its last data, marked stale by the header.
    public mutating func linkLost(reason: String, attempt: Int, retryAt: Double) {
        link = .retrying(reason: reason, attempt: attempt, retryAt: retryAt)
        pendingCommands.removeAll()
    }

    /// Freezes or thaws the display; thawing shows the newest data at once.
    public mutating func setFrozen(_ value: Bool, now: Double) {
        guard value != frozen else { return }
        frozen = value
        if value {
            frozenAt = now
        } else {
            if let latest, latest != snapshot { display(latest, now: now) }
            appendLogs(frozenLogs)
            appendFrames(frozenFrames)
            frozenLogs.removeAll()
            frozenFrames.removeAll()
        }
    }

    /// Forgets closed rows older than the linger time.
    public mutating func expireClosedRows(now: Double) {
        closedRows = closedRows.filter { now - $0.value.at < options.closedLinger }
    }

    private mutating func display(_ s: Snapshot, now: Double) {
        trackClosedRows(old: snapshot, new: s, now: now)
        if let prev = previousCPU, s.serverTime > prev.time {
            cpu = max(0, (s.process.cpuSeconds - prev.seconds) / (s.serverTime - prev.time))
        }
        previousCPU = (s.serverTime, s.process.cpuSeconds)
        rateHistory.append(s.totals.requestRate)
        if rateHistory.count > DashboardModel.historyLength { rateHistory.removeFirst() }
        errorRates.record(s.handlers, time: s.serverTime)
        snapshot = s
        snapshotTime = now
        warnings = Warnings.compute(snapshot: s, errorRates: errorRates, thresholds: options.thresholds)
        if let d = s.detail, d.state == .closed { closedRows[d.id] = (d, now) }
    }

    private mutating func trackClosedRows(old: Snapshot?, new: Snapshot, now: Double) {
        expireClosedRows(now: now)
        for row in new.connections.rows where row.state == .closed || row.closedAgo != nil {
            closedRows[row.id] = closedRows[row.id] ?? (row, now - (row.closedAgo ?? 0))
        }
        // A row that vanished from a complete table closed (a partial page could just have scrolled).
        guard let old, old.connections.offset == 0, old.connections.total == old.connections.rows.count,
            new.connections.offset == 0, new.connections.total == new.connections.rows.count
        else { return }
        let present = Set(new.connections.rows.map(\.id))
        for row in old.connections.rows where !present.contains(row.id) && closedRows[row.id] == nil {
            guard closedRows.count < DashboardModel.maxClosedRows else { break }
            var closed = row
            closed.state = .closed
            closed.current = nil
            closedRows[row.id] = (closed, now)
        }
    }

    private mutating func appendLogs(_ entries: [LogEntry]) {
        let before = logs.lines.count
        let evictedBefore = logs.evicted
        logs.append(entries)
        if !logFollow {
            // Keep the lines on screen still while new ones arrive below.
            let added = logs.lines.count - before + (logs.evicted - evictedBefore)
            let query = LogQuery(logFilter)
            let newLines = logs.lines.suffix(max(0, min(added, logs.lines.count)))
            logScrollBack += query.isEmpty ? newLines.count : newLines.filter(query.matches).count
        }
    }

    private mutating func appendFrames(_ new: [FrameSample]) {
        frames += new
        if frames.count > options.frameCapacity { frames.removeFirst(frames.count - options.frameCapacity) }
    }

    private mutating func handleAck(_ ack: CommandAck) -> [ClientMessage] {
        guard let pending = pendingCommands.removeValue(forKey: ack.commandID) else {
            status = Status(text: ack.message, isError: false)
            return []
        }
        if case .killSlow(_, _, true) = pending.action, let seconds = pending.killSlowSeconds {
            let count = ack.count ?? ack.ids.count
            if count == 0 {
                status = Status(
                    text: "no connection has a request running longer than \(Format.duration(seconds))",
                    isError: false
                )
            } else {
                dialog = .killSlow(seconds: seconds, count: count)
            }
            return []
        }
        status = Status(text: "ok: \(ack.message)", isError: false)
        return []
    }

    // MARK: - Subscription

    /// The subscription matching what the operator looks at now.
    public func subscription() -> Subscription {
        func query(_ state: TableState, columns: [Column<ConnectionRow>]) -> TableQuery {
            let column = columns.indices.contains(state.sortColumn) ? columns[state.sortColumn] : nil
            let limit = min(MonitorProtocol.maxRows, ((state.scroll + visibleRows * 2 + 200) / 500 + 1) * 500)
            return TableQuery(
                sort: column?.serverKey ?? .id,
                descending: column?.serverKey == nil ? false : state.descending,
                filter: state.filter,
                offset: 0,
                limit: limit
            )
        }
        return Subscription(
            rate: max(0.1, min(MonitorProtocol.maxRate, options.refreshRate)),
            views: MonitorView.allCases,
            connections: query(connectionsTable, columns: Columns.connections),
            webSockets: query(webSocketsTable, columns: Columns.webSockets),
            logs: LogFilter(backlog: 500),
            detailConnection: detailVisible ? connectionsTable.selectedID : nil,
            frameTail: frameTail
        )
    }

    mutating func setFrameTail(_ id: Int?) {
        frameTail = id
        frames.removeAll()
        frozenFrames.removeAll()
    }
}
