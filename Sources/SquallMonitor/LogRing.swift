import Foundation
import SquallMonitorProtocol
import Synchronization

/// The last N log entries (finished requests, application log records, audit lines), numbered in order.
///
/// Writers append under a short lock; each dashboard session reads what is newer than the last entry it sent.
/// A session that falls more than the ring's size behind learns how many entries it missed from the gap in
/// sequence numbers: nothing is dropped silently, and nothing grows with a slow reader.
final class LogRing: Sendable {
    private struct Ring: Sendable {
        var entries: [LogEntry] = []
        var start = 0
        var nextSeq = 1
    }

    let capacity: Int
    private let ring = Mutex(Ring())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Appends an entry; its `seq` is assigned here.
    func append(_ make: (Int) -> LogEntry) {
        ring.withLock { ring in
            let entry = make(ring.nextSeq)
            ring.nextSeq += 1
            if ring.entries.count < capacity {
                ring.entries.append(entry)
            } else {
                ring.entries[ring.start] = entry
                ring.start = (ring.start + 1) % capacity
            }
        }
    }

    /// The sequence number the next entry will get.
    var nextSeq: Int { ring.withLock { $0.nextSeq } }

    /// The newest `limit` entries with `seq > after` that pass `filter`, oldest first; plus how many were
    /// missed (overwritten before this read, or matching entries older than the newest `limit`), and the last
    /// sequence number examined. A live tail shows the latest lines and says how many it skipped.
    func read(after: Int, limit: Int, filter: (LogEntry) -> Bool) -> (entries: [LogEntry], missed: Int, last: Int) {
        // Only the copy of the unread entries holds the lock every request's append takes; the filter (a text
        // search, perhaps over the whole ring) runs after it is released.
        let (unread, overwritten, last) = ring.withLock { ring -> ([LogEntry], Int, Int) in
            let count = ring.entries.count
            guard count > 0 else { return ([], 0, after) }
            let oldest = ring.nextSeq - count
            let first = max(after + 1, oldest)
            let unread = (first..<max(first, ring.nextSeq)).map { ring.entries[(ring.start + ($0 - oldest)) % count] }
            return (unread, max(0, oldest - (after + 1)), max(after, ring.nextSeq - 1))
        }
        // Walk back from the newest entry until `limit` matches; older matches are counted, not kept.
        var newestFirst: [LogEntry] = []
        var skipped = 0
        for entry in unread.reversed() where filter(entry) {
            if newestFirst.count < limit { newestFirst.append(entry) } else { skipped += 1 }
        }
        return (newestFirst.reversed(), overwritten + skipped, last)
    }

    /// The sequence number from which a session that wants `backlog` past entries should start reading.
    func backlogStart(_ backlog: Int) -> Int {
        ring.withLock { ring in max(0, ring.nextSeq - 1 - max(0, min(backlog, ring.entries.count))) }
    }
}

extension LogFilter {
    /// Whether an entry passes this filter.
    func matches(_ entry: LogEntry) -> Bool {
        if entry.kind != .request && !includeApp { return false }
        if entry.kind == .request {
            if !statusClasses.isEmpty, let status = entry.status, !statusClasses.contains(status / 100) { return false }
            if let method, entry.method != method { return false }
            if let route, entry.route != route { return false }
        } else if !statusClasses.isEmpty || method != nil || route != nil {
            return false
        }
        if !text.isEmpty && entry.message.range(of: text, options: .caseInsensitive) == nil { return false }
        return true
    }
}
