/// Tornado's `tornado.gen` helpers, namespaced so that `Gen.sleep` can't be confused with the C library's
/// `sleep(_:)` that Foundation and Glibc export.
///
/// ``withTimeout(_:operation:)`` is also a free function, since nothing else in the standard library or
/// Foundation uses that name.
public enum Gen {
    /// Suspends the calling task for `duration`; Tornado's `gen.sleep`.
    ///
    /// It never blocks a thread, unlike the C `sleep`.
    /// - Throws: `CancellationError` if the calling task is cancelled before `duration` has passed.
    public static func sleep(_ duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }

    /// Runs `operation` in a child task and gives up on it once `timeout` passes; Tornado's
    /// `gen.with_timeout`, the same as the free function ``SquallIO/withTimeout(_:operation:)``.
    ///
    /// - Throws: ``TimeoutError`` if `timeout` passes first; otherwise whatever `operation` throws.
    public static func withTimeout<Result: Sendable>(
        _ timeout: Duration,
        operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await SquallIO.withTimeout(timeout, operation: operation)
    }
}
