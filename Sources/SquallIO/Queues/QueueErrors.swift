/// Thrown by `getNowait()` on an empty queue; Tornado's `tornado.queues.QueueEmpty`.
public struct QueueEmpty: Error, Equatable, Sendable, CustomStringConvertible {
    /// Creates the error.
    public init() {}

    /// The message a user reads: what happened and why.
    public var description: String {
        "queue is empty: getNowait() found no item; use get() to wait for one"
    }
}

/// Thrown by `putNowait(_:)` on a full queue; Tornado's `tornado.queues.QueueFull`.
public struct QueueFull: Error, Equatable, Sendable, CustomStringConvertible {
    /// The capacity of the queue that was full.
    public var maxsize: Int

    /// Creates the error for a queue holding `maxsize` items.
    public init(maxsize: Int) {
        self.maxsize = maxsize
    }

    /// The message a user reads: what happened and why.
    public var description: String {
        "queue is full: it already holds its maxsize of \(maxsize) items; use put() to wait for room"
    }
}

/// Misuse of a queue's task accounting.
public enum QueueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `taskDone()` was called more times than items were put (Tornado raises `ValueError`).
    case taskDoneCalledTooManyTimes

    /// The message a user reads: what happened and why.
    public var description: String {
        switch self {
        case .taskDoneCalledTooManyTimes:
            "taskDone() called too many times: call it once per item taken with get(), after processing it"
        }
    }
}
