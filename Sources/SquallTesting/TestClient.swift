public import Squall

/// A response read by ``TestClient``.
public struct TestResponse: Sendable {
    /// The protocol version of the status line, such as `HTTP/1.1`.
    public var version: String
    /// The status code.
    public var status: Int
    /// The reason phrase.
    public var reason: String
    /// The response headers.
    public var headers: HTTPHeaders
    /// The body (de-chunked).
    public var body: ByteBuffer
    /// Whether the body arrived with chunked transfer encoding.
    public var isChunked = false

    /// The body as UTF-8 text.
    public var text: String { String(buffer: body) }
}

/// A minimal HTTP/1.1 client over one connection, for tests: it writes exactly the request asked for and
/// parses the response strictly (every read has a 10-second limit, so a broken server fails the test instead
/// of hanging it).
public struct TestClient: Sendable {
    /// The connection.
    public let stream: IOStream

    /// A client over a connection the test already has (for example one it writes raw bytes to).
    public init(stream: IOStream) {
        self.stream = stream
    }

    /// Connects to 127.0.0.1:`port`.
    public static func connect(port: Int) async throws -> TestClient {
        TestClient(stream: try await TCPClient().connect(host: "127.0.0.1", port: port, timeout: .seconds(10)))
    }

    /// Sends a request (with `Host`, and `Content-Length` when there is a body) and reads the response.
    public func fetch(
        _ path: String,
        method: String = "GET",
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> TestResponse {
        var head = "\(method) \(path) HTTP/1.1\r\n"
        if !headers.contains(where: { $0.0.lowercased() == "host" }) { head += "Host: 127.0.0.1\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        try await stream.write(head + "\r\n" + (body ?? ""))
        return try await readResponse(bodiless: method == "HEAD")
    }

    /// Reads one response, framed by Content-Length, chunked encoding, or the connection's close.
    public func readResponse(bodiless: Bool = false) async throws -> TestResponse {
        let head = try await withTimeout(.seconds(10)) { try await stream.readUntil("\r\n\r\n", maxBytes: 1 << 20) }
        let lines = String(buffer: head).split(separator: "\r\n").map(String.init)
        guard let statusLine = lines.first else { throw HTTPInputError("empty response") }
        let parts = statusLine.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw HTTPInputError("bad status line \(statusLine)")
        }
        let headers = try HTTPHeaders.parse(lines.dropFirst().joined(separator: "\r\n") + "\r\n")
        var response = TestResponse(
            version: parts[0],
            status: status,
            reason: parts.count > 2 ? parts[2] : "",
            headers: headers,
            body: ByteBuffer()
        )
        if bodiless || status < 200 || status == 204 || status == 304 { return response }
        if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            response.body = try await withTimeout(.seconds(10)) { try await stream.readBytes(length) }
        } else if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            var body = ByteBuffer()
            while true {
                let line = try await withTimeout(.seconds(10)) { try await stream.readUntil("\r\n", maxBytes: 1024) }
                let text = String(decoding: line.readableBytesView.dropLast(2), as: UTF8.self)
                guard let size = Int(text, radix: 16) else { throw HTTPInputError("bad chunk size \(text)") }
                if size == 0 {
                    _ = try await withTimeout(.seconds(10)) { try await stream.readUntil("\r\n") }
                    break
                }
                var chunk = try await withTimeout(.seconds(10)) { try await stream.readBytes(size + 2) }
                body.writeBuffer(&chunk)
                body.moveWriterIndex(to: body.writerIndex - 2)
            }
            response.body = body
            response.isChunked = true
        } else {
            response.body = try await withTimeout(.seconds(10)) { try await stream.readUntilClose() }
        }
        return response
    }

    /// Closes the connection.
    public func close() { stream.close() }
}
