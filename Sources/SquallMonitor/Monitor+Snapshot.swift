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
        let sorted = filtered.sorted { a, b in
            let ordered = compare(a, b, by: query.sort)
            let result = ordered == 0 ? a.id < b.id : ordered < 0
            return query.descending ? !result : result
        }
        let limit = max(0, min(query.limit, MonitorProtocol.maxRows))
        let offset = max(0, min(query.offset, sorted.count))
        let end = min(sorted.count, offset + limit)
        return TablePage(total: sorted.count, offset: offset, rows: Array(sorted[offset..<end]))
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

    /// -1, 0 or 1 as `a` sorts before, with, or after `b` on `key`.
    private static func compare(_ a: ConnectionRow, _ b: ConnectionRow, by key: ConnectionSortKey) -> Int {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
        switch key {
        case .id: return cmp(a.id, b.id)
        case .peer: return cmp(a.peer, b.peer)
        case .loop: return cmp(a.loop, b.loop)
        case .state: return cmp(a.state.rawValue, b.state.rawValue)
        case .age: return cmp(a.age, b.age)
        case .idle: return cmp(a.idle, b.idle)
        case .bytesIn: return cmp(a.bytesIn, b.bytesIn)
        case .bytesOut: return cmp(a.bytesOut, b.bytesOut)
        case .requests: return cmp(a.requests, b.requests)
        case .elapsed: return cmp(a.current?.elapsed ?? -1, b.current?.elapsed ?? -1)
        case .messages:
            let ma = (a.webSocket?.messagesIn ?? 0) + (a.webSocket?.messagesOut ?? 0)
            let mb = (b.webSocket?.messagesIn ?? 0) + (b.webSocket?.messagesOut ?? 0)
            return cmp(ma, mb)
        }
    }
}
