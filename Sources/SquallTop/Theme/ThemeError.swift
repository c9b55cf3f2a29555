/// A mistake in a theme file, naming where it is: `file:line: what`.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path (or the name given to the parser).
    public var file: String
    /// The 1-based line, or 0 when the error is about the whole file (unreadable, not found).
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
