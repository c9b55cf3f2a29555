import DequeModule
import Synchronization

/// How a suspended waiter was released: handed a value, or abandoned by its timeout or its task's cancellation.
enum WaitOutcome<Value: Sendable>: Sendable {
    case resumed(Value)
    case timedOut
    case cancelled
}

/// The continuation a suspended waiter is parked on; it is resumed exactly once, by whoever removes it from its list.
typealias WaiterContinuation<Value: Sendable> = CheckedContinuation<WaitOutcome<Value>, Never>

/// Identifies one waiter so its timeout or cancellation can remove exactly that waiter.
struct WaiterID: Hashable, Sendable {
    private static let counter = Atomic<UInt64>(0)

    private let rawValue: UInt64

    /// A process-wide unique identifier, available before the waiter joins a list (the cancellation
    /// handler must capture it before the waiter exists).
    static func next() -> WaiterID {
        WaiterID(rawValue: counter.add(1, ordering: .relaxed).newValue)
    }
}

/// The FIFO of tasks suspended on one condition of a lock or queue, kept inside that primitive's mutex.
///
/// Waiters leave the list either by being woken (in arrival order) or by ``remove(_:)`` when their
/// timeout passes or their task is cancelled, so a departed waiter can never swallow a later wake-up.
/// `Payload` is data the waiter brings along (a blocked `put`'s item); it is `Void` everywhere else.
struct WaiterList<Value: Sendable, Payload: Sendable>: Sendable {
    struct Entry: Sendable {
        let id: WaiterID
        let continuation: WaiterContinuation<Value>
        let payload: Payload
    }

    private var entries: Deque<Entry> = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    mutating func append(_ id: WaiterID, _ continuation: WaiterContinuation<Value>, payload: Payload) {
        entries.append(Entry(id: id, continuation: continuation, payload: payload))
    }

    /// Removes the waiter `id` if it is still waiting, returning its continuation for the caller to resume.
    ///
    /// Linear in the number of waiters; only timeouts and cancellations take this path.
    mutating func remove(_ id: WaiterID) -> WaiterContinuation<Value>? {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return nil }
        return entries.remove(at: index).continuation
    }

    /// Removes the longest-waiting waiter and schedules it to be resumed with `value`, returning its payload.
    mutating func wakeFirst(with value: Value, into wakeups: inout Wakeups) -> Payload? {
        guard let entry = entries.popFirst() else { return nil }
        wakeups.resume(entry.continuation, with: value)
        return entry.payload
    }

    /// Removes every waiter and schedules each to be resumed with `value`.
    mutating func wakeAll(with value: Value, into wakeups: inout Wakeups) {
        while wakeFirst(with: value, into: &wakeups) != nil {}
    }
}

/// Continuations collected while a primitive's mutex is held, resumed by ``resumeAll()`` once it is released.
///
/// Resuming outside the lock keeps the critical section short; the waiters still wake in the order they were
/// added.
struct Wakeups: Sendable {
    private var pending: [@Sendable () -> Void] = []

    mutating func resume<Value: Sendable>(_ continuation: WaiterContinuation<Value>, with value: Value) {
        pending.append { continuation.resume(returning: .resumed(value)) }
    }

    func resumeAll() {
        for resume in pending {
            resume()
        }
    }
}
