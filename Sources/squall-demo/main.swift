// squall-demo: the example server. For now an HTTP hello server on Squall's HTTPServer and a line echo server on
// TCPServer + IOStream; later issues turn it into the web/WebSocket demo with squall-top attached.
//
//   swift run squall-demo [--port 8888] [--address 127.0.0.1]
//   curl http://127.0.0.1:8888/         (HTTP on --port)
//   nc 127.0.0.1 8889                   (line echo on --port + 1; "quit" closes)
import Squall

#if canImport(Glibc)
    import Glibc
#endif

/// Writes one line to standard output at once (unbuffered), so the log reads in order when piped.
func say(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in _ = write(STDOUT_FILENO, bytes.baseAddress, bytes.count) }
}

struct DemoOptions {
    var port = 8888
    var address = "127.0.0.1"

    /// Reads `--port N` and `--address A`; returns a message for anything it does not understand.
    static func parse(_ arguments: [String]) -> Result<DemoOptions, DemoUsageError> {
        var options = DemoOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--port":
                guard let value = rest.popFirst(), let port = Int(value), (0...65534).contains(port) else {
                    return .failure(
                        DemoUsageError(
                            message: "--port needs a number from 0 to 65534 (the echo server takes the next port)"
                        )
                    )
                }
                options.port = port
            case "--address":
                guard let value = rest.popFirst() else {
                    return .failure(DemoUsageError(message: "--address needs an IP address or host name"))
                }
                options.address = value
            case "-h", "--help":
                return .failure(DemoUsageError(message: nil))
            default:
                return .failure(DemoUsageError(message: "unknown argument \(flag)"))
            }
        }
        return .success(options)
    }
}

struct DemoUsageError: Error {
    var message: String?
    static let usage =
        "usage: squall-demo [--port N] [--address A]   (defaults: 8888, 127.0.0.1; the echo server uses N+1)"
}

/// Answers every request with a short text saying what was asked.
let web = HTTPServer { request, response in
    let body = "Hello from Squall: \(request.method) \(request.path) from \(request.remoteIP)\n"
    try await response.respond(headers: ["Content-Type": "text/plain; charset=utf-8"], body: body)
}

/// Echoes each line back until the peer sends "quit" or closes; lines are limited to 64 KiB.
let server = TCPServer { stream, address in
    let peer = address.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown peer"
    say("connection from \(peer)")
    do {
        try await stream.write("squall-demo echo server: type a line, get it back; \"quit\" to leave\n")
        while true {
            let line = try await stream.readUntil("\n", maxBytes: 64 * 1024)
            if String(buffer: line).split(whereSeparator: \.isWhitespace) == ["quit"] { break }
            try await stream.write(line)
        }
        try await stream.write("bye\n")
    } catch {
        say("connection from \(peer) ended: \(error)")
        return
    }
    say("connection from \(peer) closed")
}

switch DemoOptions.parse(Array(CommandLine.arguments.dropFirst())) {
case .failure(let error):
    if let message = error.message {
        say("squall-demo: \(message)\n\(DemoUsageError.usage)")
        exit(2)
    }
    say(DemoUsageError.usage)
case .success(let options):
    do {
        try await web.listen(port: options.port, address: options.address)
        let httpPort = web.port ?? options.port
        try await server.listen(port: options.port == 0 ? 0 : options.port + 1, address: options.address)
        let echoPort = server.port ?? options.port + 1
        say(
            "squall-demo: HTTP on http://\(options.address):\(httpPort)/ (try: curl http://\(options.address):\(httpPort)/)"
        )
        say("squall-demo: line echo on \(options.address):\(echoPort) (try: nc \(options.address) \(echoPort))")
        try await IOLoop.current.run()
    } catch {
        say("squall-demo: cannot listen on \(options.address):\(options.port): \(error)")
        exit(1)
    }
}
