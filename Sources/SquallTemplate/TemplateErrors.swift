/// A template syntax error (Tornado's `ParseError`), naming the file and line.
///
/// Its description is Tornado's: `Missing end expression }} at page.html:3`.
public struct ParseError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The template's name (its path under the loader's root, or `<string>`).
    public let filename: String
    /// The line, counting from 1.
    public let line: Int

    /// A parse error.
    public init(_ message: String, filename: String, line: Int) {
        self.message = message
        self.filename = filename
        self.line = line
    }

    /// `message at file:line`.
    public var description: String { "\(message) at \(filename):\(line)" }
}

/// An error while rendering, naming the template, the line and the expression or statement that failed.
///
/// Its description reads `NameError: name 'user' is not defined in page.html:4 ({{ user.name }})`.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// The template the failing code is in.
    public let template: String
    /// Its line.
    public let line: Int
    /// The expression or statement, as written in the template.
    public let expression: String
    /// The underlying error.
    public let cause: TemplateRuntimeError

    /// `Kind: message in template:line (expression)`.
    public var description: String { "\(cause) in \(template):\(line) (\(expression))" }
}

/// What went wrong inside an expression, with Python's exception name.
public struct TemplateRuntimeError: Error, Sendable, CustomStringConvertible {
    /// Python's exception classes, which `{% except Name %}` matches.
    public enum Kind: String, Sendable {
        /// An unknown name.
        case nameError = "NameError"
        /// A missing attribute.
        case attributeError = "AttributeError"
        /// A missing dictionary key.
        case keyError = "KeyError"
        /// A list index out of range.
        case indexError = "IndexError"
        /// An operation on the wrong type.
        case typeError = "TypeError"
        /// A bad value (such as `int("x")`).
        case valueError = "ValueError"
        /// Division by zero.
        case zeroDivisionError = "ZeroDivisionError"
        /// A number too large.
        case overflowError = "OverflowError"
        /// A local name read before it was assigned.
        case unboundLocalError = "UnboundLocalError"
        /// An import of a module the loader does not provide.
        case importError = "ImportError"
        /// A resource limit (loop iterations, sizes) was hit.
        case limitError = "LimitError"
        /// An error thrown by application code called from the template.
        case applicationError = "Exception"
    }

    /// The exception class.
    public let kind: Kind
    /// The message.
    public let message: String

    /// An error of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `Kind: message`.
    public var description: String { "\(kind.rawValue): \(message)" }
}
