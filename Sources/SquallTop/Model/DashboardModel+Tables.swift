public import SquallMonitorProtocol

extension DashboardModel {
    /// The connection rows on screen: filtered, sorted, with recently closed rows mixed in.
    public func connectionRows() -> [ConnectionRow] {
        var rows = snapshot?.connections.rows ?? []
        let present = Set(rows.map(\.id))
        rows += closedRows.values.map(\.row).filter { !present.contains($0.id) }
        rows = rows.filter { Columns.matches($0, filter: connectionsTable.filter) }
        let columns = Columns.connections
        let column = columns[max(0, min(columns.count - 1, connectionsTable.sortColumn))]
        return Columns.sorted(rows, by: column, descending: connectionsTable.descending) { .number(Double($0.id)) }
    }

    /// The WebSocket rows on screen, filtered and sorted.
    public func webSocketRows() -> [ConnectionRow] {
        let rows = (snapshot?.webSockets.rows ?? []).filter { Columns.matches($0, filter: webSocketsTable.filter) }
        let columns = Columns.webSockets
        let column = columns[max(0, min(columns.count - 1, webSocketsTable.sortColumn))]
        return Columns.sorted(rows, by: column, descending: webSocketsTable.descending) { .number(Double($0.id)) }
    }

    /// The handler rows on screen, filtered by route or method and sorted.
    public func handlerRows() -> [HandlerStats] {
        let f = handlersTable.filter.lowercased()
        let rows = (snapshot?.handlers ?? []).filter {
            f.isEmpty || $0.route.lowercased().contains(f) || $0.method.lowercased().contains(f)
        }
        let columns = Columns.handlers
        let column = columns[max(0, min(columns.count - 1, handlersTable.sortColumn))]
        return Columns.sorted(rows, by: column, descending: handlersTable.descending) {
            .text($0.method + " " + $0.route)
        }
    }

    /// The loops on screen.
    public func loopRows() -> [LoopStats] {
        (snapshot?.loops ?? []).sorted { $0.index < $1.index }
    }

    /// The log lines passing the filter, oldest first.
    public func logLines() -> [LogLine] {
        let query = LogQuery(logFilter)
        return query.isEmpty ? logs.lines : logs.lines.filter(query.matches)
    }

    /// A stable id per handler row (its position in the server's list is not stable).
    static func handlerID(_ h: HandlerStats) -> Int {
        var hasher = FNV()
        hasher.add(h.method)
        hasher.add(" ")
        hasher.add(h.route)
        return hasher.value
    }

    /// Ids of the rows of the current tab's table, in display order.
    func currentIDs() -> [Int] {
        switch tab {
        case .connections: connectionRows().map(\.id)
        case .webSockets: webSocketRows().map(\.id)
        case .handlers: handlerRows().map(DashboardModel.handlerID)
        case .loops: loopRows().map(\.index)
        case .warnings: Array(warnings.indices)
        case .logs: []
        }
    }

    /// The current tab's table state.
    var currentTable: TableState {
        get {
            switch tab {
            case .connections: connectionsTable
            case .webSockets: webSocketsTable
            case .handlers: handlersTable
            case .loops: loopsTable
            case .warnings, .logs: warningsTable
            }
        }
        set {
            switch tab {
            case .connections: connectionsTable = newValue
            case .webSockets: webSocketsTable = newValue
            case .handlers: handlersTable = newValue
            case .loops: loopsTable = newValue
            case .warnings, .logs: warningsTable = newValue
            }
        }
    }

    /// The selected connection on the Connections or WebSockets tab (or the one a warning names).
    public func selectedConnection() -> ConnectionRow? {
        switch tab {
        case .connections:
            var t = connectionsTable
            let rows = connectionRows()
            return t.resolve(ids: rows.map(\.id)).map { rows[$0] }
        case .webSockets:
            var t = webSocketsTable
            let rows = webSocketRows()
            return t.resolve(ids: rows.map(\.id)).map { rows[$0] }
        case .warnings:
            var t = warningsTable
            guard let i = t.resolve(ids: Array(warnings.indices)), let id = warnings[i].connectionID else { return nil }
            return (snapshot?.connections.rows ?? []).first { $0.id == id }
                ?? (snapshot?.webSockets.rows ?? []).first { $0.id == id }
        default:
            return nil
        }
    }
}

/// FNV-1a, for stable ids of handler rows.
struct FNV {
    var value = Int(bitPattern: 0xcbf2_9ce4_8422_2325)

    mutating func add(_ s: String) {
        for b in s.utf8 {
            value ^= Int(b)
            value = value &* 0x100_0000_01b3
        }
    }
}
