import NIOCore
import SquallHTTP
import SquallMonitorProtocol
import NIOConcurrencyHelpers
import Synchronization

/// Every open connection of the monitored servers, sharded by event loop so a loop recording an open or close
/// only contends with a snapshot of its own shard, never with other loops.
final class ConnectionRegistry: Sendable {
    /// A registered connection.
    struct Entry: Sendable {
        let control: HTTPConnectionControl
        var webSocket: WebSocketRecord?
    }

    /// A recently closed connection, kept for a few seconds so the dashboard can show it leaving.
    struct ClosedEntry: Sendable {
        let row: ConnectionRow
        let closedAt: NIODeadline
    }

    private let shards: [NIOLockedValueBox<[Int: Entry]>]
    private let closed = Mutex<[ClosedEntry]>([])
    private let closedCapacity = 256
    private let retention: TimeAmount
    private let accepted = Atomic<Int>(0)

    init(loops: Int, retention: Duration) {
        shards = (0..<max(1, loops)).map { _ in NIOLockedValueBox([:]) }
        let (seconds, attoseconds) = retention.components
        self.retention = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    private func shard(_ loop: Int) -> NIOLockedValueBox<[Int: Entry]> {
        shards[abs(loop) % shards.count]
    }

    var acceptedCount: Int { accepted.load(ordering: .relaxed) }

    func opened(_ control: HTTPConnectionControl) {
        accepted.add(1, ordering: .relaxed)
        shard(control.info.loopIndex).withLockedValue { $0[control.info.id] = Entry(control: control) }
    }

    func closed(_ info: HTTPConnectionInfo, now: NIODeadline = .now()) {
        let entry = shard(info.loopIndex).withLockedValue { $0.removeValue(forKey: info.id) }
        guard let entry else { return }
        var row = Self.row(entry, now: now)
        row.state = .closed
        closed.withLock { list in
            list.removeAll { now - $0.closedAt > retention }
            if list.count >= closedCapacity { list.removeFirst(list.count - closedCapacity + 1) }
            list.append(ClosedEntry(row: row, closedAt: now))
        }
    }

    func entry(id: Int) -> Entry? {
        for shard in shards {
            if let entry = shard.withLockedValue({ $0[id] }) { return entry }
        }
        return nil
    }

    func updateWebSocket(id: Int, loop: Int? = nil, _ body: (inout WebSocketRecord) -> Void) {
        let apply: (inout [Int: Entry]) -> Bool = { entries in
            guard var entry = entries[id], var record = entry.webSocket else { return false }
            body(&record)
            entry.webSocket = record
            entries[id] = entry
            return true
        }
        if let loop {
            _ = shard(loop).withLockedValue(apply)
            return
        }
        for shard in shards where shard.withLockedValue(apply) { return }
    }

    /// Samples the outgoing queue of every WebSocket on `loop`; called on that loop (by the lag probe, once a
    /// second), where reading a channel's buffered bytes needs no hop.
    func sampleWebSocketQueues(loop: Int) {
        shard(loop).withLockedValue { entries in
            // Walk by index and write through `values`: iterating the dictionary while assigning to it would
            // copy the whole shard (every connection on the loop) on the first change.
            var index = entries.startIndex
            while index != entries.endIndex {
                if let read = entries.values[index].webSocket?.readQueuedBytes, let bytes = read() {
                    entries.values[index].webSocket?.queuedBytes = bytes
                }
                entries.formIndex(after: &index)
            }
        }
    }

    func attachWebSocket(id: Int, _ record: WebSocketRecord) {
        for shard in shards {
            let done = shard.withLockedValue { entries -> Bool in
                guard var entry = entries[id] else { return false }
                entry.webSocket = record
                entries[id] = entry
                return true
            }
            if done { return }
        }
    }

    /// All open entries (copied out of each shard in turn; no shard is held while the caller works).
    func entries() -> [Entry] {
        var all: [Entry] = []
        for shard in shards { all.append(contentsOf: shard.withLockedValue { Array($0.values) }) }
        return all
    }

    /// Connections open per loop index.
    func countsPerShard() -> [Int] {
        shards.map { $0.withLockedValue { $0.count } }
    }

    /// Rows of the recently closed connections, with how long ago they closed.
    func recentlyClosed(now: NIODeadline = .now()) -> [ConnectionRow] {
        closed.withLock { list in
            list.removeAll { now - $0.closedAt > retention }
            return list.map { entry in
                var row = entry.row
                row.closedAgo = Double((now - entry.closedAt).nanoseconds) / 1e9
                return row
            }
        }
    }

    /// The table row of a connection at `now`.
    static func row(_ entry: Entry, now: NIODeadline) -> ConnectionRow {
        let control = entry.control
        let info = control.info
        // Connection and request start times are on IOLoop.time()'s clock: NIODeadline's uptime in seconds.
        let nowSeconds = Double(now.uptimeNanoseconds) / 1e9
        let state: ConnectionState
        switch control.phase {
        case .idle: state = .idle
        case .reading: state = .reading
        case .handling: state = .handling
        case .writing: state = .writing
        case .upgraded: state = entry.webSocket == nil ? .handling : .webSocket
        case .closed: state = .closed
        }
        var current: CurrentRequest?
        if let request = control.request {
            current = CurrentRequest(
                method: request.method,
                path: request.path,
                route: request.route,
                elapsed: max(0, nowSeconds - request.startTime)
            )
        }
        return ConnectionRow(
            id: info.id,
            loop: info.loopIndex,
            peer: info.peer,
            local: info.local,
            state: state,
            age: max(0, nowSeconds - info.openedAt),
            idle: max(0, Double((now - control.lastActivity).nanoseconds) / 1e9),
            bytesIn: control.bytesIn,
            bytesOut: control.bytesOut,
            requests: control.requests,
            current: current,
            webSocket: entry.webSocket?.stats(now: now)
        )
    }
}
