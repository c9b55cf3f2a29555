#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How an HTTP benchmark server listens: its port and its number of event loops.
///
/// Each comes from a flag (`--port P`, `--threads N`), else from the environment (`PORT`, `THREADS`, as the
/// shared peer servers read them), else from the default. Servers always bind 127.0.0.1.
public struct ServerSettings: Sendable {
    /// The TCP port to listen on; 0 lets the kernel pick a free one (the server prints it in `READY <port>`).
    public var port: Int
    /// The number of event loops (threads); the benchmark runs every server with 1.
    public var threads: Int

    /// Reads the settings from the command line (without the program name) and the environment.
    ///
    /// - Parameters:
    ///   - arguments: `--port P` and `--threads N`, in any order; `-h`/`--help` throws ``UsageError`` with no
    ///     message, which callers answer with their usage text.
    ///   - defaultPort: the port when neither `--port` nor `PORT` is given.
    /// - Throws: ``UsageError`` for an unknown flag, a missing value, or a value out of range.
    public init(arguments: some Sequence<String>, defaultPort: Int = 0) throws {
        var flags: [String: String] = [:]
        var rest = Array(arguments)[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help":
                throw UsageError("")
            case "--port", "--threads":
                guard let value = rest.popFirst() else { throw UsageError("option '\(argument)' needs a value") }
                flags[String(argument.dropFirst(2))] = value
            default:
                throw UsageError("unexpected argument '\(argument)'")
            }
        }
        port = try Self.integer(flags["port"], orEnvironment: "PORT", default: defaultPort, in: 0...65535, flag: "port")
        threads = try Self.integer(flags["threads"], orEnvironment: "THREADS", default: 1, in: 1...256, flag: "threads")
    }

    private static func integer(
        _ flag: String?,
        orEnvironment name: String,
        default defaultValue: Int,
        in range: ClosedRange<Int>,
        flag flagName: String
    ) throws -> Int {
        let text = flag ?? getenv(name).map { String(cString: $0) }
        guard let text, !text.isEmpty else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            let source = flag == nil ? "\(name) (environment)" : "--\(flagName)"
            throw UsageError("\(source) must be an integer in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
        }
        return value
    }
}

/// A command line a benchmark server cannot run; the message says what to fix (empty when help was asked for).
public struct UsageError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
