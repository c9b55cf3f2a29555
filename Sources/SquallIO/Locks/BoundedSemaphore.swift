/// A ``Semaphore`` that refuses to hold more permits than it started with; Tornado's
/// `tornado.locks.BoundedSemaphore`.
///
/// Releasing more often than acquiring usually means a bug; here ``release()`` throws
/// ``SemaphoreError/releasedTooManyTimes(initialValue:)`` instead of silently raising the limit.
public final class BoundedSemaphore: Sendable {
    private let pool: PermitPool

    /// Creates a semaphore holding, and never exceeding, `value` permits.
    ///
    /// - Parameter value: The initial and maximum number of permits, 1 by default. It must not be negative
    ///   (Tornado raises `ValueError`); a negative value stops the program, so check a value read from
    ///   configuration before passing it.
    public init(value: Int = 1) {
        precondition(value >= 0, "BoundedSemaphore(value:) requires a value >= 0, got \(value)")
        pool = PermitPool(available: value, limit: value)
    }

    /// The number of permits available right now; 0 while tasks are waiting.
    public var value: Int {
        pool.available
    }

    /// Takes a permit, suspending until one is released if none is available.
    ///
    /// Waiters are served in arrival order. A permit that is free is taken without suspending, even by a
    /// cancelled task.
    /// - Parameter timeout: How long to wait; `nil` (the default) waits indefinitely.
    /// - Throws: ``TimeoutError`` if `timeout` passes first; `CancellationError` if the calling task is
    ///   cancelled while waiting. Either way no permit is taken and the waiter is removed.
    public func acquire(timeout: Duration? = nil) async throws {
        try await pool.acquire(timeout: timeout, operation: "BoundedSemaphore.acquire")
    }

    /// Returns a permit, waking the longest-waiting task if there is one.
    ///
    /// - Throws: ``SemaphoreError/releasedTooManyTimes(initialValue:)`` if every permit is already
    ///   available; the semaphore is left unchanged.
    public func release() throws {
        guard pool.release() else {
            throw SemaphoreError.releasedTooManyTimes(initialValue: pool.limit ?? 0)
        }
    }

    /// Runs `body` holding a permit and releases it afterwards, even if `body` throws; Tornado's
    /// `async with semaphore:`.
    ///
    /// - Parameters:
    ///   - timeout: How long to wait for the permit; `nil` (the default) waits indefinitely.
    ///   - isolation: Where `body` runs; leave the default, the caller's own actor (or none).
    ///   - body: The work to do while holding the permit; it runs in the caller's isolation. It must not
    ///     call ``release()`` itself.
    /// - Returns: What `body` returns.
    /// - Throws: ``TimeoutError`` or `CancellationError` from acquiring (then `body` does not run), whatever
    ///   `body` throws, or ``SemaphoreError/releasedTooManyTimes(initialValue:)`` if `body` released the
    ///   permit itself.
    public func withAcquired<Result>(
        timeout: Duration? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await pool.withPermit(
            timeout: timeout,
            operation: "BoundedSemaphore.acquire",
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

/// Misuse of a ``BoundedSemaphore``.
public enum SemaphoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// ``BoundedSemaphore/release()`` was called with every permit already available, that is more often
    /// than ``BoundedSemaphore/acquire(timeout:)``.
    case releasedTooManyTimes(initialValue: Int)

    /// The message a user reads: what happened and why.
    public var description: String {
        switch self {
        case .releasedTooManyTimes(let initialValue):
            "BoundedSemaphore released too many times: all \(initialValue) permits are already available; "
                + "each release() must match an earlier acquire()"
        }
    }
}
