/// A flag that tasks can wait on until it is set; Tornado's `tornado.locks.Event`.
///
/// An event starts cleared. ``set()`` wakes every waiting task and lets later ``wait(timeout:)`` calls return
/// at once until ``clear()`` is called.
///
/// ```swift
/// let ready = Event()
/// Task { try await ready.wait(); print("go") }
/// ready.set()
/// ```
public final class Event: Sendable {
    private struct State: Sendable {
        var isSet = false
        var waiters = WaiterList<Void, Void>()
    }

    private let state = WaitableState(State())

    /// Creates a cleared event.
    public init() {}

    /// Whether the event is currently set.
    public var isSet: Bool {
        state.withLock { $0.isSet }
    }

    /// Sets the event, waking every task waiting on it; calling it on a set event does nothing.
    public func set() {
        state.update { state, wakeups in
            guard !state.isSet else { return }
            state.isSet = true
            state.waiters.wakeAll(with: (), into: &wakeups)
        }
    }

    /// Clears the event, so later calls to ``wait(timeout:)`` suspend until the next ``set()``.
    public func clear() {
        state.withLock { $0.isSet = false }
    }

    /// Suspends until the event is set, returning at once if it already is.
    ///
    /// - Parameter timeout: How long to wait; `nil` (the default) waits indefinitely.
    /// - Throws: ``TimeoutError`` if `timeout` passes first; `CancellationError` if the calling task is
    ///   cancelled while waiting. Either way the waiter is removed.
    public func wait(timeout: Duration? = nil) async throws {
        try await state.wait(in: \.waiters, timeout: timeout) { state, _ in
            state.isSet ? () : nil
        }.get(operation: "Event.wait", timeout: timeout)
    }

    /// The number of tasks suspended in ``wait(timeout:)``, for tests.
    var waiterCount: Int {
        state.withLock { $0.waiters.count }
    }
}
