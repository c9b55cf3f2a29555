import HTTPBenchSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `echo-bench`: the two echo servers of the comparison and the client that loads them.
///
/// ```
/// echo-bench server squall --port P
/// echo-bench server nio --port P
/// echo-bench client --port P [--conns 64] [--size 64] [--duration 10] [--warmup 2]
/// ```
///
/// Servers bind 127.0.0.1 only and print `READY <port>`; the client prints one `RESULT` line.
@main
struct EchoBench {
    static let usage = """
        usage: echo-bench server (squall | nio) --port P
               echo-bench client --port P [--conns 64] [--size 64] [--duration 10] [--warmup 2]

        Servers listen on 127.0.0.1 (port 0 picks one) and print 'READY <port>' once accepting.
        The client keeps one message of --size bytes (newline included) in flight per connection and prints
        'RESULT msgs_per_sec=… msgs=… seconds=… p50_us=… p99_us=… errors=… client_cpu_pct=…'.
        """

    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        do {
            switch (arguments.first, arguments.dropFirst().first) {
            case ("server", "squall"):
                let options = try Options(arguments.dropFirst(2), allowed: ["port"])
                try await SquallEchoServer.run(port: options.int("port", in: 0...65535))
            case ("server", "nio"):
                let options = try Options(arguments.dropFirst(2), allowed: ["port"])
                try await NIOEchoServer.run(port: options.int("port", in: 0...65535))
            case ("client", _):
                let options = try Options(
                    arguments.dropFirst(),
                    allowed: ["port", "conns", "size", "duration", "warmup"]
                )
                let client = EchoClient(
                    port: try options.int("port", in: 1...65535),
                    connections: try options.int("conns", default: 64, in: 1...10_000),
                    // The Squall server reads lines of at most 64 KiB.
                    messageSize: try options.int("size", default: 64, in: 1...65536),
                    duration: try options.seconds("duration", default: 10, minimum: 0.1),
                    warmup: try options.seconds("warmup", default: 2, minimum: 0)
                )
                let summary = try await client.run()
                emit(summary.resultLine)
                if summary.messages == 0 { exit(1) }
            case ("-h", _), ("--help", _):
                emit(usage)
            default:
                throw UsageError("expected 'server squall', 'server nio' or 'client'")
            }
        } catch let error as UsageError {
            emitError("echo-bench: \(error)\n\(usage)")
            exit(2)
        } catch {
            emitError("echo-bench: \(error)")
            exit(1)
        }
    }
}
