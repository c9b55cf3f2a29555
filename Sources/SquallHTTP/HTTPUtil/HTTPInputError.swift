/// Thrown when an HTTP message from a remote peer is malformed (Tornado's `HTTPInputError`).
///
/// The ``message`` is short and says what was wrong, in Tornado's words where Tornado has them; the server sends
/// it as the body of a 400 response, so it never contains more of the input than Tornado would echo.
public struct HTTPInputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was wrong with the input, for example `"multipart/form-data has too many parts"`.
    public var message: String

    /// Creates the error with a message saying what was wrong.
    public init(_ message: String) {
        self.message = message
    }

    /// The ``message``, so the error prints as what went wrong.
    public var description: String { message }
}
