/// Raised by an ``IOStream`` operation on a stream that is closed, or that closed while the operation waited.
///
/// ``cause`` is the real reason the stream closed (a connection reset, an ``UnsatisfiableReadError``, a
/// ``StreamBufferFullError``, the error passed to ``IOStream/close(error:)``), or `nil` when the peer simply
/// closed the connection.
public struct StreamClosedError: Error, CustomStringConvertible, Sendable {
    /// Why the stream closed, or `nil` for an orderly close by the peer or by ``IOStream/close(error:)``.
    public var cause: (any Error)?

    /// Creates the error with the reason the stream closed.
    public init(cause: (any Error)? = nil) {
        self.cause = cause
    }

    /// The message a user reads: what happened and why.
    public var description: String {
        if let cause { return "Stream is closed: \(cause)" }
        return "Stream is closed"
    }
}

/// Raised when a read cannot be satisfied within its `maxBytes` limit; the stream is closed as well.
public struct UnsatisfiableReadError: Error, CustomStringConvertible, Sendable {
    /// What could not be found or read, in words.
    public var message: String

    /// Creates the error with a message saying what could not be read.
    public init(_ message: String) {
        self.message = message
    }

    /// The message a user reads: what happened and why.
    public var description: String { message }
}

/// Raised when a read would need more than the stream's ``IOStream/maxBufferSize`` bytes buffered; the stream
/// is closed as well.
public struct StreamBufferFullError: Error, CustomStringConvertible, Sendable {
    /// The limit that was reached.
    public var maxBufferSize: Int

    /// Creates the error for a stream whose limit is `maxBufferSize`.
    public init(maxBufferSize: Int) {
        self.maxBufferSize = maxBufferSize
    }

    /// The message a user reads: what happened and why.
    public var description: String {
        "Reached maximum read buffer size (\(maxBufferSize) bytes)"
    }
}

/// Raised when a second read is started on an ``IOStream`` while another is still waiting.
///
/// Tornado allows one outstanding read per stream; so does Squall. The waiting read is not disturbed.
public struct ConcurrentReadError: Error, CustomStringConvertible, Sendable {
    /// Creates the error.
    public init() {}

    /// The message a user reads: what happened and why.
    public var description: String { "IOStream already has a read in progress; reads must not overlap" }
}
