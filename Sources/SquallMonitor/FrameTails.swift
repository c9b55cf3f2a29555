import SquallMonitorProtocol
import Synchronization

/// Samples of WebSocket frames, kept only for connections a dashboard tails (a bounded ring each).
final class FrameTails: Sendable {
    static let capacity = 256

    private struct Tail: Sendable {
        var subscribers = 0
        var frames: [FrameSample] = []
        var nextSeq = 0
    }

    private let tails = Mutex<[Int: Tail]>([:])
    private let active = Atomic<Int>(0)

    /// Whether any WebSocket is tailed: a cheap check before sampling anything.
    var isActive: Bool { active.load(ordering: .relaxed) > 0 }

    func subscribe(_ id: Int) {
        tails.withLock { $0[id, default: Tail()].subscribers += 1 }
        active.add(1, ordering: .relaxed)
    }

    func unsubscribe(_ id: Int) {
        let removed = tails.withLock { tails -> Bool in
            guard var tail = tails[id] else { return false }
            tail.subscribers -= 1
            tails[id] = tail.subscribers > 0 ? tail : nil
            return true
        }
        if removed { active.subtract(1, ordering: .relaxed) }
    }

    /// Forgets a closed connection's samples (its subscribers see no more frames).
    func stop(_ id: Int) {
        guard isActive else { return }
        tails.withLock { tails in
            if var tail = tails[id] {
                tail.frames.removeAll()
                tails[id] = tail
            }
        }
    }

    func record(_ id: Int, _ sample: FrameSample) {
        guard isActive else { return }
        tails.withLock { tails in
            guard var tail = tails[id] else { return }
            if tail.frames.count >= Self.capacity { tail.frames.removeFirst(tail.frames.count - Self.capacity + 1) }
            tail.frames.append(sample)
            tail.nextSeq += 1
            tails[id] = tail
        }
    }

    /// Frames recorded after the caller's cursor (a count of frames seen), and the new cursor.
    func read(_ id: Int, after cursor: Int) -> (frames: [FrameSample], cursor: Int) {
        tails.withLock { tails in
            guard let tail = tails[id] else { return ([], cursor) }
            let available = min(tail.frames.count, max(0, tail.nextSeq - cursor))
            return (Array(tail.frames.suffix(available)), tail.nextSeq)
        }
    }
}
