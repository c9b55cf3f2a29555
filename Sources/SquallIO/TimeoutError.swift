/// Raised when an operation given a deadline does not finish in time.
///
/// Tornado's `tornado.util.TimeoutError`: thrown by ``withTimeout(_:operation:)``, by the lock and queue
/// waits that take a `timeout:`, and by ``TCPClient`` connects. The operation that timed out has been
/// abandoned (its waiter removed, its child task cancelled) by the time this is thrown.
public struct TimeoutError: Error, CustomStringConvertible, Sendable {
    /// What timed out, for the message (for example `"Queue.get"`).
    public var operation: String
    /// The time limit that passed.
    public var timeout: Duration

    /// Creates a timeout error for `operation` after `timeout`.
    public init(operation: String, timeout: Duration) {
        self.operation = operation
        self.timeout = timeout
    }

    /// The message a user reads: what happened and why.
    public var description: String {
        "\(operation) timed out after \(timeout)"
    }
}
