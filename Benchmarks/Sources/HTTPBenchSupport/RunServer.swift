#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a server's `main`: reads its ``ServerSettings``, calls `body`, and turns a usage error into the usage
/// text and exit status 2 (0 for `--help`), any other error into a message and exit status 1.
///
/// - Parameters:
///   - name: the program name, for messages.
///   - usage: the usage text printed with a usage error.
///   - body: starts the server with the settings, prints `READY <port>`, and normally never returns.
public func runServer(
    name: String,
    usage: String,
    _ body: @Sendable (ServerSettings) async throws -> Void
) async -> Never {
    do {
        try await body(ServerSettings(arguments: CommandLine.arguments.dropFirst()))
        exit(0)
    } catch let error as UsageError {
        if error.description.isEmpty {
            emit(usage)
            exit(0)
        }
        emitError("\(name): \(error)\n\(usage)")
        exit(2)
    } catch {
        emitError("\(name): \(error)")
        exit(1)
    }
}
