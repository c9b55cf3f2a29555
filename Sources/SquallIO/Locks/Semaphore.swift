/// A counter of permits that tasks acquire and release; Tornado's `tornado.locks.Semaphore`.
///
/// ``acquire(timeout:)`` takes a permit, suspending while there are none; ``release()`` returns one, handing
/// it to the longest-waiting task if any. Use it to limit concurrency, for example the number of requests in
/// flight. ``release()`` is not checked against the initial value; use ``BoundedSemaphore`` to catch a
/// release without a matching acquire.
///
/// ```swift
/// let slots = Semaphore(value: 4)
/// try await slots.withAcquired { try await fetch(url) }
/// ```
public final class Semaphore: Sendable {
    private let pool: PermitPool

    /// Creates a semaphore holding `value` permits.
    ///
    /// - Parameter value: The initial number of permits, 1 by default. It must not be negative (Tornado
    ///   raises `ValueError`); like `Array(repeating:count:)`, a negative value stops the program, so check a
    ///   value read from configuration before passing it.
    public init(value: Int = 1) {
        precondition(value >= 0, "Semaphore(value:) requires a value >= 0, got \(value)")
        pool = PermitPool(available: value, limit: nil)
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
        try await pool.acquire(timeout: timeout, operation: "Semaphore.acquire")
    }

    /// Returns a permit, waking the longest-waiting task if there is one.
    public func release() {
        _ = pool.release()
    }

    /// Runs `body` holding a permit and releases it afterwards, even if `body` throws; Tornado's
    /// `async with semaphore:`.
    ///
    /// - Parameters:
    ///   - timeout: How long to wait for the permit; `nil` (the default) waits indefinitely.
    ///   - isolation: Where `body` runs; leave the default, the caller's own actor (or none).
    ///   - body: The work to do while holding the permit; it runs in the caller's isolation.
    /// - Returns: What `body` returns.
    /// - Throws: ``TimeoutError`` or `CancellationError` from acquiring (then `body` does not run), or
    ///   whatever `body` throws.
    public func withAcquired<Result>(
        timeout: Duration? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await pool.withPermit(
            timeout: timeout,
            operation: "Semaphore.acquire",
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
