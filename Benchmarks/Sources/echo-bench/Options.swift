/// The `--name value` flags of one subcommand, parsed by hand so the benchmark needs no argument parser.
struct Options {
    private var values: [String: String] = [:]

    /// Parses `arguments` (everything after the subcommand) as `--name value` pairs.
    ///
    /// - Parameter allowed: the flag names this subcommand knows, without the leading dashes.
    /// - Throws: ``UsageError`` for an unknown flag, a flag without a value, or a stray argument.
    init(_ arguments: ArraySlice<String>, allowed: Set<String>) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { throw UsageError("unexpected argument '\(argument)'") }
            let name = String(argument.dropFirst(2))
            guard allowed.contains(name) else { throw UsageError("unknown option '--\(name)'") }
            guard let value = rest.popFirst() else { throw UsageError("option '--\(name)' needs a value") }
            values[name] = value
        }
    }

    /// The integer value of `--name`, or `defaultValue` when it is absent.
    ///
    /// - Throws: ``UsageError`` if the value is not an integer within `range`, or is absent with no default.
    func int(_ name: String, default defaultValue: Int? = nil, in range: ClosedRange<Int>) throws -> Int {
        guard let text = values[name] else {
            guard let defaultValue else { throw UsageError("option '--\(name)' is required") }
            return defaultValue
        }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError("--\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
        }
        return value
    }

    /// The value of `--name` in seconds (fractions allowed), or `defaultValue` when it is absent.
    ///
    /// - Throws: ``UsageError`` if the value is not a number of at least `minimum` seconds.
    func seconds(_ name: String, default defaultValue: Double, minimum: Double) throws -> Double {
        guard let text = values[name] else { return defaultValue }
        guard let value = Double(text), value.isFinite, value >= minimum else {
            throw UsageError("--\(name) must be a number of seconds, at least \(minimum), not '\(text)'")
        }
        return value
    }
}

/// A command line that `echo-bench` cannot run; the message says what to fix.
struct UsageError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
