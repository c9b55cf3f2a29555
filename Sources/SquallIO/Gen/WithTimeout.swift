/// Runs `operation` in a child task and gives up on it once `timeout` passes; Tornado's `gen.with_timeout`.
///
/// On timeout the operation's task is cancelled and ``TimeoutError`` is thrown. Because the operation runs as
/// a structured child task, the error is thrown only once the operation has returned: cancellation-aware code
/// (anything awaiting `Task.sleep`, the locks and queues of this module, NIO futures bridged with
/// cancellation) stops promptly, but an operation that ignores cancellation delays the error until it ends.
/// Unlike Tornado, the operation is not left running in the background.
///
/// ```swift
/// let body = try await withTimeout(.seconds(5)) { try await client.fetch(url) }
/// ```
/// - Parameters:
///   - timeout: How long the operation may run.
///   - operation: The work to run; it runs in a child task, concurrently with the caller, so it must be
///     `@Sendable`.
/// - Returns: What `operation` returns, if it finishes first.
/// - Throws: ``TimeoutError`` if `timeout` passes first; otherwise whatever `operation` throws, including
///   `CancellationError` when the calling task is cancelled.
public func withTimeout<Result: Sendable>(
    _ timeout: Duration,
    operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result.self) { group in
        group.addTask(operation: operation)
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimeoutError(operation: "withTimeout", timeout: timeout)
        }
        // Whichever child finishes first decides; the group cancels and awaits the other on the way out.
        defer { group.cancelAll() }
        guard let result = try await group.next() else {
            throw CancellationError()  // Unreachable: the group has two children.
        }
        return result
    }
}
