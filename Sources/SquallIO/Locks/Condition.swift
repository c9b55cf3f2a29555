/// A condition that lets one task wake others; Tornado's `tornado.locks.Condition`.
///
/// Unlike a POSIX condition variable it is not tied to a lock, because cooperative code checks and waits
/// without interleaving. ``wait(timeout:)`` always suspends; ``notify(_:)`` wakes the longest-waiting tasks
/// first. Notifications are not stored: a `notify` with no one waiting is lost.
public final class Condition: Sendable {
    private struct State: Sendable {
        var waiters = WaiterList<Void, Void>()
    }

    private let state = WaitableState(State())

    /// Creates a condition with no waiters.
    public init() {}

    /// Suspends until notified, or until `timeout` passes.
    ///
    /// - Parameter timeout: How long to wait; `nil` (the default) waits indefinitely.
    /// - Returns: `true` if woken by ``notify(_:)`` or ``notifyAll()``, `false` if `timeout` passed first
    ///   (as Tornado's future resolving to `False`).
    /// - Throws: `CancellationError` if the calling task is cancelled while waiting. A waiter that times out
    ///   or is cancelled is removed and never consumes a later notification.
    @discardableResult
    public func wait(timeout: Duration? = nil) async throws(CancellationError) -> Bool {
        switch await state.wait(in: \.waiters, timeout: timeout, ifReady: { _, _ in nil }) {
        case .resumed: true
        case .timedOut: false
        case .cancelled: throw CancellationError()
        }
    }

    /// Wakes up to `n` waiting tasks, longest-waiting first.
    ///
    /// - Parameter n: How many waiters to wake (default 1); values of 0 or less wake none.
    public func notify(_ n: Int = 1) {
        state.update { state, wakeups in
            var remaining = n
            while remaining > 0, state.waiters.wakeFirst(with: (), into: &wakeups) != nil {
                remaining -= 1
            }
        }
    }

    /// Wakes every waiting task.
    public func notifyAll() {
        state.update { state, wakeups in
            state.waiters.wakeAll(with: (), into: &wakeups)
        }
    }

    /// The number of tasks suspended in ``wait(timeout:)``, for tests.
    var waiterCount: Int {
        state.withLock { $0.waiters.count }
    }
}
