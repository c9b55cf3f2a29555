/// A mutual-exclusion lock for tasks; Tornado's `tornado.locks.Lock`.
///
/// Tasks waiting in ``acquire(timeout:)`` get the lock in arrival order. The lock is not reentrant and not
/// owned: any task may release it, and a task that acquires it twice waits for itself forever. Prefer
/// ``withLock(timeout:isolation:_:)`` (Tornado's `async with lock:`), which always releases.
///
/// Unlike `Synchronization.Mutex`, the holder may suspend while holding it.
public final class Lock: Sendable {
    private let pool = PermitPool(available: 1, limit: 1)

    /// Creates an unlocked lock.
    public init() {}

    /// Whether some task holds the lock.
    public var isLocked: Bool {
        pool.available == 0
    }

    /// Takes the lock, suspending until it is released if another task holds it.
    ///
    /// A free lock is taken without suspending, even by a cancelled task.
    /// - Parameter timeout: How long to wait; `nil` (the default) waits indefinitely.
    /// - Throws: ``TimeoutError`` if `timeout` passes first; `CancellationError` if the calling task is
    ///   cancelled while waiting. Either way the lock is not taken and the waiter is removed.
    public func acquire(timeout: Duration? = nil) async throws {
        try await pool.acquire(timeout: timeout, operation: "Lock.acquire")
    }

    /// Releases the lock, handing it to the longest-waiting task if there is one.
    ///
    /// - Throws: ``LockError/releasedWhileUnlocked`` if the lock is not held (Tornado raises
    ///   `RuntimeError`); the lock is left unchanged.
    public func release() throws {
        guard pool.release() else { throw LockError.releasedWhileUnlocked }
    }

    /// Runs `body` holding the lock and releases it afterwards, even if `body` throws; Tornado's
    /// `async with lock:`.
    ///
    /// - Parameters:
    ///   - timeout: How long to wait for the lock; `nil` (the default) waits indefinitely.
    ///   - isolation: Where `body` runs; leave the default, the caller's own actor (or none).
    ///   - body: The critical section; it runs in the caller's isolation and must not call ``release()``.
    /// - Returns: What `body` returns.
    /// - Throws: ``TimeoutError`` or `CancellationError` from acquiring (then `body` does not run), whatever
    ///   `body` throws, or ``LockError/releasedWhileUnlocked`` if `body` released the lock itself.
    public func withLock<Result>(
        timeout: Duration? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await pool.withPermit(
            timeout: timeout,
            operation: "Lock.acquire",
            release: release,
            isolation: isolation,
            body
        )
    }

    /// The number of tasks suspended in ``acquire(timeout:)``, for tests.
    var waiterCount: Int {
        pool.waiterCount
    }
}

/// Misuse of a ``Lock``.
public enum LockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// ``Lock/release()`` was called on a lock that no task holds.
    case releasedWhileUnlocked

    /// The message a user reads: what happened and why.
    public var description: String {
        switch self {
        case .releasedWhileUnlocked:
            "Lock.release() called on an unlocked lock; each release() must follow an acquire()"
        }
    }
}
