import Foundation
import NIOCore
import SquallHTTP
import SquallIO
public import SquallMonitorProtocol

extension Monitor {
    /// The server's state as `subscription` asks for it: the content of `snapshot` and `update` messages.
    ///
    /// Runs on the caller's thread (the admin loop for dashboard sessions); it copies each loop's shard under
    /// that shard's lock only briefly, so application loops are never stalled for long.
    public func snapshot(for subscription: Subscription = Subscription(), logsDropped: Int = 0) -> Snapshot {
        let now = NIODeadline.now()
        let entries = registry.entries()
        let views = Set(subscription.views)
        var snapshot = Snapshot(
            serverTime: Date().timeIntervalSince1970,
            process: ProcessFigures.read(startedAt: startedAt),
            totals: totals(entries: entries),
            logsDropped: logsDropped
        )
        let needsRows = views.contains(.connections) || views.contains(.webSockets) || views.contains(.handlers)
            || subscription.detailConnection != nil
        let rows = needsRows ? entries.map { ConnectionRegistry.row($0, now: now) } : []
        if views.contains(.loops) {
            snapshot.loops = lag.snapshot(connections: registry.countsPerShard(), now: now)
        }
        if views.contains(.connections) {
            let all = rows + registry.recentlyClosed(now: now)
            snapshot.connections = Self.page(all, query: subscription.connections)
        }
        if views.contains(.webSockets) {
            snapshot.webSockets = Self.page(rows.filter { $0.webSocket != nil }, query: subscription.webSockets)
        }
        if views.contains(.handlers) {
            var inFlight: [HandlerStatsTable.Key: Int] = [:]
            for row in rows {
                guard let current = row.current, row.state == .handling || row.state == .writing else { continue }
                let key = HandlerStatsTable.Key(route: current.route ?? HandlerStats.unmatchedRoute, method: current.method)
                inFlight[key, default: 0] += 1
            }
            snapshot.handlers = handlers.snapshot(inFlight: inFlight, now: now)
        }
        if let id = subscription.detailConnection {
            snapshot.detail = rows.first { $0.id == id } ?? registry.recentlyClosed(now: now).first { $0.id == id }
        }
        return snapshot
    }

    /// Sorts, filters and cuts a table as a query asks.
    static func page(_ rows: [ConnectionRow], query: TableQuery) -> TablePage<ConnectionRow> {
        let needle = query.filter.lowercased()
        let filtered = needle.isEmpty ? rows : rows.filter { matches($0, needle) }
        // Sort small keys, not the rows: moving 10,000 full rows around was most of a dashboard update's cost.
        var keyed = filtered.indices.map { index in SortEntry(filtered[index], by: query.sort, index: index) }
        keyed.sort { a, b in
            let result = a.orders(before: b)
            return query.descending ? !result : result
        }
        let limit = max(0, min(query.limit, MonitorProtocol.maxRows))
        let offset = max(0, min(query.offset, keyed.count))
        let end = min(keyed.count, offset + limit)
        return TablePage(total: keyed.count, offset: offset, rows: keyed[offset..<end].map { filtered[$0.index] })
    }

    /// One row's sort key (a number or a text, then the id to break ties) and its position.
    struct SortEntry {
        let number: Double
        let text: String
        let id: Int
        let index: Int

        init(_ row: ConnectionRow, by key: ConnectionSortKey, index: Int) {
            id = row.id
            self.index = index
            switch key {
            case .peer: (number, text) = (0, row.peer)
            case .state: (number, text) = (0, row.state.rawValue)
            default: (number, text) = (Monitor.sortNumber(row, key), "")
            }
        }

        func orders(before other: SortEntry) -> Bool {
            if text != other.text { return text < other.text }
            if number != other.number { return number < other.number }
            return id < other.id
        }
    }

    /// The numeric sort key of a row (text keys are handled by ``SortEntry``).
    static func sortNumber(_ row: ConnectionRow, _ key: ConnectionSortKey) -> Double {
        switch key {
        case .id: Double(row.id)
        case .loop: Double(row.loop)
        case .age: row.age
        case .idle: row.idle
        case .bytesIn: Double(row.bytesIn)
        case .bytesOut: Double(row.bytesOut)
        case .requests: Double(row.requests)
        case .elapsed: row.current?.elapsed ?? -1
        case .messages: Double((row.webSocket?.messagesIn ?? 0) + (row.webSocket?.messagesOut ?? 0))
        case .peer, .state: 0
        }
    }

    private static func matches(_ row: ConnectionRow, _ needle: String) -> Bool {
        if row.peer.lowercased().contains(needle) || row.state.rawValue.contains(needle) { return true }
        if String(row.id) == needle { return true }
        if let current = row.current {
            if current.method.lowercased().contains(needle) || current.path.lowercased().contains(needle) { return true }
            if let route = current.route, route.lowercased().contains(needle) { return true }
        }
        if let ws = row.webSocket, ws.path.lowercased().contains(needle) { return true }
        return false
    }
}
