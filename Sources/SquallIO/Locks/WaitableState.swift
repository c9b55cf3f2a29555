import Synchronization

/// The mutex-guarded state of a lock or queue, plus the one implementation of "suspend until woken, timed out
/// or cancelled" that every primitive in Locks/ and Queues/ shares.
///
/// Invariants that make wake-ups neither lost nor doubled:
/// - a waiter is checked for readiness and appended to its ``WaiterList`` under the same lock acquisition
///   that a waker uses to pop it, so a wake-up can't slip in between;
/// - a continuation lives in exactly one list; whoever removes it under the lock (waker, timer or
///   cancellation handler) is the only one that resumes it;
/// - the timeout timer is cancelled as soon as the wait ends, so no sleeping task outlives its waiter.
final class WaitableState<State: Sendable>: Sendable {
    private let mutex: Mutex<State>

    init(_ initialState: State) {
        mutex = Mutex(initialState)
    }

    /// Reads or mutates the state under the lock.
    func withLock<Result: Sendable>(_ body: (inout State) throws -> Result) rethrows -> Result {
        try mutex.withLock { state in try body(&state) }
    }

    /// Mutates the state under the lock, then resumes the waiters `body` woke once the lock is released.
    func update<Result: Sendable>(_ body: (inout State, inout Wakeups) throws -> Result) rethrows -> Result {
        let (result, wakeups) = try mutex.withLock { state in
            var wakeups = Wakeups()
            let result = try body(&state, &wakeups)
            return (result, wakeups)
        }
        wakeups.resumeAll()
        return result
    }

    /// Returns at once if `ifReady` produces a value, otherwise parks the calling task in `list` until a waker
    /// hands it a value, `timeout` passes, or the task is cancelled.
    ///
    /// A task that is already cancelled still gets a value `ifReady` can produce without waiting; it is only
    /// refused (with `.cancelled`) when it would have to suspend.
    /// - Parameters:
    ///   - list: The waiter list, inside the state, that wakers pop from.
    ///   - payload: Data stored with the waiter and discarded if it leaves by timeout or cancellation.
    ///   - timeout: How long to wait; `nil` waits indefinitely.
    ///   - ifReady: Runs under the lock; takes the resource and returns the value if no wait is needed.
    func wait<Value: Sendable, Payload: Sendable>(
        in list: any WritableKeyPath<State, WaiterList<Value, Payload>> & Sendable,
        payload: Payload,
        timeout: Duration?,
        ifReady: (inout State, inout Wakeups) -> Value?
    ) async -> WaitOutcome<Value> {
        if let value = update({ state, wakeups in ifReady(&state, &wakeups) }) {
            return .resumed(value)
        }
        let id = WaiterID.next()
        var timer: Task<Void, Never>?
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: WaiterContinuation<Value>) in
                let immediate: WaitOutcome<Value>? = update { state, wakeups in
                    // Re-checked under the lock: the resource may have been freed since the fast path.
                    if let value = ifReady(&state, &wakeups) { return .resumed(value) }
                    // The cancellation handler may already have run and found nothing to remove.
                    if Task.isCancelled { return .cancelled }
                    state[keyPath: list].append(id, continuation, payload: payload)
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                } else if let timeout {
                    timer = Task { await self.expire(id, in: list, after: timeout) }
                }
            }
        } onCancel: {
            withLock { $0[keyPath: list].remove(id) }?.resume(returning: .cancelled)
        }
        timer?.cancel()
        return outcome
    }

    private func expire<Value: Sendable, Payload: Sendable>(
        _ id: WaiterID,
        in list: any WritableKeyPath<State, WaiterList<Value, Payload>> & Sendable,
        after timeout: Duration
    ) async {
        do {
            try await Task.sleep(for: timeout)
        } catch {
            return  // The wait ended first and cancelled this timer.
        }
        withLock { $0[keyPath: list].remove(id) }?.resume(returning: .timedOut)
    }
}

extension WaitableState {
    /// ``wait(in:payload:timeout:ifReady:)`` for waiters that carry no payload.
    func wait<Value: Sendable>(
        in list: any WritableKeyPath<State, WaiterList<Value, Void>> & Sendable,
        timeout: Duration?,
        ifReady: (inout State, inout Wakeups) -> Value?
    ) async -> WaitOutcome<Value> {
        await wait(in: list, payload: (), timeout: timeout, ifReady: ifReady)
    }
}

extension WaitOutcome {
    /// The handed-over value, or the error a throwing wait reports: ``TimeoutError`` naming `operation`,
    /// or `CancellationError`.
    func get(operation: String, timeout: Duration?) throws -> Value {
        switch self {
        case .resumed(let value):
            return value
        case .timedOut:
            throw TimeoutError(operation: operation, timeout: timeout ?? .zero)
        case .cancelled:
            throw CancellationError()
        }
    }
}
