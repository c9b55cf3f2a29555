import NIOCore
import SquallIO
import Testing

@testable import SquallHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Requests, built as the corpus builds them

/// The request builders of Tornado's `security_corpus_test.py`, byte for byte.
enum Corpus {
    /// Tornado's `request()`: an HTTP/1.1 request with `Host: example.com` and `Connection: close`, a
    /// `Content-Length` for `body` unless `headers` set a `Transfer-Encoding`, and the head encoded as Latin-1
    /// (so `"\u{A0}"` in `headers` is the single byte 0xA0, as the corpus sends it).
    static func request(_ method: String, _ target: String, headers: String = "", body: [UInt8]? = nil) -> [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n"
        if let body, !headers.contains("Transfer-Encoding") {
            head += "Content-Length: \(body.count)\r\n"
        }
        return latin1(head + headers + "\r\n") + (body ?? [])
    }

    /// Tornado's `post()`: a POST to `/echo` with `contentType`.
    static func post(_ contentType: String, _ body: [UInt8]) -> [UInt8] {
        request("POST", "/echo", headers: "Content-Type: \(contentType)\r\n", body: body)
    }

    /// Tornado's `multipart()`: a `multipart/form-data` POST with boundary `1234` and these parts.
    static func multipart(_ parts: [[UInt8]]) -> [UInt8] {
        let body = parts.flatMap { Array("--1234\r\n".utf8) + $0 + Array("\r\n".utf8) } + Array("--1234--\r\n".utf8)
        return post("multipart/form-data; boundary=1234", body)
    }

    /// Tornado's `PART`: a well-formed field `a=b`.
    static let part = Array("Content-Disposition: form-data; name=\"a\"\r\n\r\nb".utf8)

    /// Tornado's `FILE_PART % filename`: a file field `f` with the given file name.
    static func filePart(_ filename: [UInt8]) -> [UInt8] {
        Array("Content-Disposition: form-data; name=\"f\"; filename=\"".utf8) + filename + Array("\"\r\n\r\nb".utf8)
    }

    /// Python's `str.encode("latin1")`: one byte per character.
    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { scalar in
            precondition(scalar.value <= 0xFF, "not Latin-1: \(scalar)")
            return UInt8(scalar.value)
        }
    }
}

// MARK: - The corpus's default application, at the HTTP layer

/// The corpus's `default` application as a plain request handler.
///
/// `/echo` (GET or POST) answers as Tornado's `EchoHandler` does, with the number of cookies, arguments and
/// files it parsed, so "was the body parsed" means the same thing. `/status` and `/header` are the HTTP-layer
/// halves of the corpus's `StatusHandler` and `HeaderHandler`: they put a query argument into the reason phrase
/// or a response header unvalidated, to show what the response writer lets reach the wire.
@Sendable func corpusApp(_ request: HTTPServerRequest, _ response: HTTPResponseWriter) async throws {
    func argument(_ name: String) -> String? {
        request.queryArguments[name]?.last.map { String(decoding: $0, as: UTF8.self) }
    }
    switch request.path {
    case "/echo":
        guard request.method == "GET" || request.method == "POST" else {
            try await response.respond(status: 405, body: "405: Method Not Allowed")
            return
        }
        // Reading `cookies` parses them, as Tornado's handler does on first use.
        let json =
            "{\"cookies\": \(request.cookies.count), \"arguments\": \(request.arguments.count), "
            + "\"files\": \(request.files.count)}"
        try await response.respond(headers: ["Content-Type": "application/json; charset=UTF-8"], body: json)
    case "/status":
        try await response.writeHead(
            status: Int(argument("code") ?? "") ?? 200,
            reason: argument("reason"),
            headers: ["Content-Length": "2"]
        )
        try await response.write("ok")
        try await response.finish()
    case "/header":
        try await response.writeHead(headers: ["X-Test": argument("value") ?? "", "Content-Length": "2"])
        try await response.write("ok")
        try await response.finish()
    default:
        try await response.respond(status: 404, body: "404: Not Found")
    }
}

// MARK: - Sending and reading

/// Tornado's `SecurityCorpusTest.send`: writes `request` on a new connection and returns the raw response (the
/// head, then a body framed by `Content-Length` or by the close), or no bytes if the server closed without
/// answering. Every read gives up after 10 seconds.
func corpusSend(port: Int, _ request: [UInt8]) async throws -> [UInt8] {
    let client = try await RawClient.connect(port)
    defer { client.close() }
    let stream = client.stream
    do {
        // A server that rejects a request early may close before it has read it all; the answer it sent
        // first is still in the client's buffer, so a failed write does not end the exchange.
        try await stream.write(ByteBuffer(bytes: request))
    } catch is StreamClosedError {}
    do {
        return try await withTimeout(.seconds(10)) {
            let head = Array(try await stream.readUntil("\r\n\r\n", maxBytes: 1 << 20).readableBytesView)
            let body: ByteBuffer
            if let length = contentLength(inHead: head) {
                body = try await stream.readBytes(length)
            } else {
                body = try await stream.readUntilClose()
            }
            return head + Array(body.readableBytesView)
        }
    } catch is StreamClosedError {
        return []
    }
}

/// The `Content-Length` of a response head, if it has one.
private func contentLength(inHead head: [UInt8]) -> Int? {
    let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n").dropFirst()
    for line in lines {
        guard let colon = line.firstIndex(of: ":") else { continue }
        if line[..<colon].lowercased() == "content-length" {
            return Int(line[line.index(after: colon)...].trimmingASCIISpaces())
        }
    }
    return nil
}

/// A raw response, for test messages: its first 200 bytes as Latin-1, control characters escaped.
func describeResponse(_ response: [UInt8]) -> String {
    guard !response.isEmpty else { return "(closed without a response)" }
    return String(String.UnicodeScalarView(response.prefix(200).map { Unicode.Scalar($0) })).debugDescription
}

extension Array where Element == UInt8 {
    /// The status line's first two fields, such as `["HTTP/1.1", "400"]`; empty for an empty response.
    var statusFields: [String] {
        let line = prefix { $0 != 0x0D && $0 != 0x0A }
        return line.split(separator: 0x20, maxSplits: 2).prefix(2).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `needle` occurs anywhere in these bytes.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

// MARK: - Linear scaling

/// A server whose connections all live on one loop of their own, so that the CPU time of that loop's thread is
/// the work the server does for its requests (accepting, parsing, the handler, writing), and nothing else: not
/// the client's, not other tests', not other processes'.
struct MeteredServer {
    let loop: IOLoop

    /// Runs `body` with a metered server listening on 127.0.0.1, and stops it afterwards.
    static func run<T>(
        options: HTTPServerOptions,
        handler: @escaping @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void,
        _ body: (MeteredServer, Int) async throws -> T
    ) async throws -> T {
        let group = IOLoopGroup(loopCount: 1)
        let metered = MeteredServer(loop: group.loops[0])
        let outcome: Result<T, any Error>
        do {
            let server = HTTPServer(group: group, options: options, handler: handler)
            outcome = .success(try await withHTTPServer(server) { port in try await body(metered, port) })
        } catch {
            outcome = .failure(error)
        }
        // The server must be gone before its loop shuts down: NIO's quiescing helper inside it fails a promise on
        // that loop when it is freed, which NIO reports as an error (and will make a crash).
        try await group.shutdown()
        return try outcome.get()
    }

    /// The CPU time the server's loop thread has used so far.
    func cpuTime() async throws -> Duration {
        try await loop.eventLoop.submit { threadCPUTime() }.get()
    }
}

/// The CPU time the calling thread has used.
private func threadCPUTime() -> Duration {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return .seconds(Int64(time.tv_sec)) + .nanoseconds(Int64(time.tv_nsec))
}

/// Tornado's `assert_linear_scaling` (tornado/test/util.py), method for method: fails if one call of `operation`
/// with `n2` costs more than `maxRatio` times one with `n1`.
///
/// As in Tornado: only CPU time is counted (here the server loop's, read with `cpuTime`, where Tornado reads
/// the whole process's), so waiting for a core on a busy machine does not count; each size is repeated until
/// its calls take at least 100 ms; each size is measured `rounds` times, alternately, and the lowest cost is
/// kept, since interference only ever adds time; the whole measurement is retried `attempts` times before
/// failing. A quick measurement (after a warm-up) passes at once if its ratio is under three quarters of
/// `maxRatio`. No wall-clock threshold is asserted anywhere.
func expectLinearScaling(
    _ what: String,
    n1: Int,
    n2: Int,
    maxRatio: Double,
    rounds: Int = 3,
    attempts: Int = 3,
    cpuTime: () async throws -> Duration,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ operation: (Int) async throws -> Void
) async throws {
    let quickTime = Duration.milliseconds(20)
    let minTime = Duration.milliseconds(100)

    func timeCalls(_ n: Int, _ iterations: Int) async throws -> Duration {
        let start = try await cpuTime()
        for _ in 0..<iterations { try await operation(n) }
        return try await cpuTime() - start
    }

    // Doubles the count until the calls take `minTime`, as `timeit.Timer.autorange`; returns the cost per call too.
    func calibrate(_ n: Int, _ minTime: Duration) async throws -> (iterations: Int, perCall: Duration) {
        var iterations = 1
        while true {
            let elapsed = try await timeCalls(n, iterations)
            if elapsed >= minTime { return (iterations, elapsed / iterations) }
            iterations *= 2
        }
    }

    _ = try await calibrate(n1, quickTime)
    let quick1 = try await calibrate(n1, quickTime)
    let quick2 = try await calibrate(n2, quickTime)
    if quick2.perCall / quick1.perCall <= maxRatio * 0.75 { return }

    var t1 = Duration.zero
    var t2 = Duration.zero
    for _ in 0..<attempts {
        let (iterations1, first1) = try await calibrate(n1, minTime)
        let (iterations2, first2) = try await calibrate(n2, minTime)
        t1 = first1
        t2 = first2
        for _ in 0..<(rounds - 1) {
            t1 = min(t1, try await timeCalls(n1, iterations1) / iterations1)
            t2 = min(t2, try await timeCalls(n2, iterations2) / iterations2)
        }
        if t2 / t1 <= maxRatio { return }
    }
    Issue.record(
        """
        \(what) does not scale linearly: n=\(n1) took \(t1) and n=\(n2) took \(t2) of server CPU, a ratio of \
        \(t2 / t1) (limit \(maxRatio)), in each of \(attempts) attempts
        """,
        sourceLocation: sourceLocation
    )
}
