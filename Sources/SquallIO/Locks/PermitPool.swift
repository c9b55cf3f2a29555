/// The counting logic behind ``Semaphore``, ``BoundedSemaphore`` and ``Lock``.
///
/// A release with tasks waiting hands the permit straight to the longest waiter instead of returning it to
/// the pool, so a task arriving later can't barge ahead of the queue.
final class PermitPool: Sendable {
    private struct State: Sendable {
        var available: Int
        var waiters = WaiterList<Void, Void>()
    }

    private let state: WaitableState<State>
    /// The most permits the pool may hold; `nil` for an unbounded semaphore.
    let limit: Int?

    init(available: Int, limit: Int?) {
        state = WaitableState(State(available: available))
        self.limit = limit
    }

    var available: Int {
        state.withLock { $0.available }
    }

    var waiterCount: Int {
        state.withLock { $0.waiters.count }
    }

    func acquire(timeout: Duration?, operation: String) async throws {
        try await state.wait(in: \.waiters, timeout: timeout) { state, _ in
            guard state.available > 0 else { return nil }
            state.available -= 1
            return ()
        }.get(operation: operation, timeout: timeout)
    }

    /// Returns a permit, or returns `false` and changes nothing if the pool is already at its limit.
    func release() -> Bool {
        state.update { state, wakeups in
            // Checked before waking anyone, as Tornado's BoundedSemaphore does.
            if let limit, state.available >= limit { return false }
            if state.waiters.wakeFirst(with: (), into: &wakeups) == nil {
                state.available += 1
            }
            return true
        }
    }

    /// Runs `body` holding a permit, then gives it back with `release` whether `body` returns or throws.
    ///
    /// `release` is the owner's public release, so a bounded owner reports a permit that `body` already gave
    /// back itself; when `body` throws, its error wins over any error from `release`.
    func withPermit<Result>(
        timeout: Duration?,
        operation: String,
        release: () throws -> Void,
        isolation: isolated (any Actor)?,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await acquire(timeout: timeout, operation: operation)
        let result: Result
        do {
            result = try await body()
        } catch {
            try? release()
            throw error
        }
        try release()
        return result
    }
}
