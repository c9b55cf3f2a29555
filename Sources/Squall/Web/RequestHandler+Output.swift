import FoundationEssentials
import Logging
public import NIOCore
public import SquallHTTP

extension RequestHandler {
    /// Built once: every handler starts from these headers (copy-on-write makes the assignment free).
    static let defaultHeaders: HTTPHeaders = ["Content-Type": "text/html; charset=UTF-8"]

    /// Resets status, headers and buffered output to their defaults (Tornado's `clear`); headers already sent
    /// cannot be taken back.
    public func clear() {
        headers = Self.defaultHeaders
        outputBuffer.clear()
        statusCode = 200
        reason = nil
        // As Tornado: cookies set before an error still go out with the error page.
        restoreNewCookies()
    }

    /// Sets the response status (and optionally a custom reason phrase).
    ///
    /// As Tornado 6.5.3+: a reason phrase containing `<`, or any character a status line may not carry (control
    /// characters such as CR and LF), is replaced by `Unknown`, so no reason can split a response or inject
    /// markup into an error page.
    public func setStatus(_ status: Int, reason: String? = nil) {
        statusCode = status
        self.reason = reason.map { Self.isSafeReasonPhrase($0) ? $0 : "Unknown" }
    }

    /// Tornado's check: no `<`, and only tab, space, visible ASCII and obs-text (non-ASCII).
    static func isSafeReasonPhrase(_ reason: String) -> Bool {
        !reason.isEmpty
            && reason.unicodeScalars.allSatisfy { scalar in
                scalar != "<"
                    && (scalar == "\t" || scalar == " " || (0x21...0x7E).contains(scalar.value) || scalar.value >= 0x80)
            }
    }

    /// The response status.
    public func getStatus() -> Int { statusCode }

    /// Sets a response header, replacing earlier values.
    ///
    /// - Throws: ``HTTPError`` (500) if the value contains CR, LF or NUL: response splitting is refused, as in
    ///   Tornado.
    public func setHeader(_ name: String, _ value: String) throws {
        headers[name] = try Self.checkedHeaderValue(name, value)
    }

    /// Adds a response header value, keeping earlier ones (for headers such as `Set-Cookie`).
    ///
    /// - Throws: ``HTTPError`` (500) for CR, LF or NUL in the value.
    public func addHeader(_ name: String, _ value: String) throws {
        headers.add(name, try Self.checkedHeaderValue(name, value))
    }

    /// Removes a response header.
    public func clearHeader(_ name: String) {
        headers.remove(name)
    }

    /// The response headers set so far.
    public var responseHeaders: HTTPHeaders { headers }

    static func checkedHeaderValue(_ name: String, _ value: String) throws -> String {
        let unsafe: (UInt8) -> Bool = { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
        if value.utf8.contains(where: unsafe) || name.utf8.contains(where: unsafe) || name.contains(":") {
            throw HTTPError(500, logMessage: "Unsafe header \(String(reflecting: name)): \(String(reflecting: value))")
        }
        return value
    }

    /// Appends text to the response body (sent at ``flush()`` or ``finish()``).
    public func write(_ text: String) {
        outputBuffer.writeString(text)
    }

    /// Appends bytes to the response body.
    public func write(_ bytes: ByteBuffer) {
        var bytes = bytes
        outputBuffer.writeBuffer(&bytes)
    }

    /// Appends bytes to the response body.
    public func write(_ bytes: [UInt8]) {
        outputBuffer.writeBytes(bytes)
    }

    /// Writes `value` as JSON and sets `Content-Type: application/json; charset=UTF-8` (Tornado's `write(dict)`).
    ///
    /// As Tornado's `json_encode`, `</` is written as `<\/` so the output is safe inside a `<script>`. Object keys
    /// are sorted.
    /// - Throws: the encoder's error if `value` cannot be encoded.
    public func write(json value: some Encodable) throws {
        let encoder = JSONEncoder()
        // Sorted keys: Swift's encoder has no insertion order to keep, and output should not vary run to run.
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = try encoder.encode(value)
        var previous: UInt8 = 0
        for byte in data {
            if previous == UInt8(ascii: "<") && byte == UInt8(ascii: "/") {
                outputBuffer.writeInteger(UInt8(ascii: "\\"))
            }
            outputBuffer.writeInteger(byte)
            previous = byte
        }
        headers["Content-Type"] = "application/json; charset=UTF-8"
    }

    /// Sends the status, headers and everything written so far, and waits while the client is slow; later
    /// writes are sent as further chunks (chunked encoding when no `Content-Length` was set).
    ///
    /// Output passes through the application's ``OutputTransform``s (gzip, for example) on the way.
    public func flush() async throws {
        try await flush(finishing: false)
    }

    /// Tornado's `flush(include_footers)`: `finishing` marks the response's last chunk for the transforms.
    func flush(finishing: Bool) async throws {
        var chunk = outputBuffer
        outputBuffer = ByteBuffer()
        if !headersWritten {
            headersWritten = true
            var status = statusCode
            var headers = self.headers
            for transform in outputTransforms {
                try transform.transformFirstChunk(
                    status: &status,
                    headers: &headers,
                    chunk: &chunk,
                    finishing: finishing
                )
            }
            statusCode = status
            self.headers = headers
            try await response.writeHead(status: statusCode, reason: reason, headers: headers)
        } else {
            for transform in outputTransforms {
                try transform.transformChunk(&chunk, finishing: finishing)
            }
        }
        if chunk.readableBytes > 0 && request.method != "HEAD" { try await response.write(chunk) }
    }

    /// Finishes the response: sends what is buffered (with `Content-Length` when nothing was flushed yet),
    /// then runs ``onFinish()`` and logs the request.
    ///
    /// As Tornado's `finish`, a GET or HEAD response with status 200 that was not flushed gets an `Etag` (see
    /// ``computeEtag()``) unless it has one, and becomes a bodiless 304 when the request's `If-None-Match`
    /// matches it (``checkEtagHeader()``). Responses that carry no body (1xx, 204, 304) lose what was written and
    /// their `Content-Length`, `Content-Type`, `Content-Encoding` and `Content-Language` headers.
    /// - Throws: ``HTTPError`` (500) if called twice.
    public func finish() async throws {
        guard !finished else { throw HTTPError(500, logMessage: "finish() called twice") }
        if !headersWritten {
            if statusCode == 200 && (request.method == "GET" || request.method == "HEAD") && !headers.contains("Etag") {
                try setEtagHeader()
                if checkEtagHeader() {
                    outputBuffer.clear()
                    statusCode = 304
                    reason = nil
                }
            }
            if Self.isBodiless(statusCode) {
                outputBuffer.clear()
                // RFC 7232 4.1: a 304 carries no representation metadata beyond what it lists.
                for name in ["Content-Length", "Content-Type", "Content-Encoding", "Content-Language"] {
                    headers.remove(name)
                }
            } else if !headers.contains("Content-Length") {
                headers["Content-Length"] = String(outputBuffer.readableBytes)
            }
        }
        finished = true
        defer {
            onFinish()
            application.logRequest(self)
        }
        do {
            try await sendLastChunk()
        } catch {
            // A transform failed or the client went away: the response cannot be completed.
            response.abort()
            throw error
        }
    }

    private func sendLastChunk() async throws {
        if headersWritten {
            try await flush(finishing: true)
            try await response.finish()
            return
        }
        headersWritten = true
        var status = statusCode
        var headers = self.headers
        var chunk = outputBuffer
        outputBuffer = ByteBuffer()
        for transform in outputTransforms {
            try transform.transformFirstChunk(status: &status, headers: &headers, chunk: &chunk, finishing: true)
        }
        statusCode = status
        self.headers = headers
        if request.method == "HEAD" || Self.isBodiless(status) {
            // `respond` would add a `Content-Length` these responses must not get.
            try await response.writeHead(status: status, reason: reason, headers: headers)
            try await response.finish()
        } else {
            try await response.respond(status: status, reason: reason, headers: headers, body: chunk)
        }
    }

    /// Statuses whose responses carry no body (Tornado's `_should_not_send_content`).
    static func isBodiless(_ status: Int) -> Bool {
        status == 204 || status == 304 || (100..<200).contains(status)
    }

    /// Redirects to `url` (Tornado's `redirect`): 302, or 301 when `permanent`, or the given `status`.
    ///
    /// - Throws: ``HTTPError`` (500) if headers were already sent or `url` contains CR/LF.
    public func redirect(_ url: String, permanent: Bool = false, status: Int? = nil) async throws {
        guard !headersWritten else {
            throw HTTPError(500, logMessage: "Cannot redirect after headers have been written")
        }
        let code = status ?? (permanent ? 301 : 302)
        guard (300..<400).contains(code) else {
            throw HTTPError(500, logMessage: "redirect status must be 3xx, not \(code)")
        }
        try setHeader("Location", url)
        setStatus(code)
        try await finish()
    }

    /// Sends an error response (Tornado's `send_error`): clears what was written, sets `status`, and calls
    /// ``writeError(_:error:)`` for the body.
    public func sendError(
        _ status: Int = 500,
        reason: String? = nil,
        error: (any Error)? = nil,
        headers extra: [(String, String)] = []
    ) async throws {
        if headersWritten {
            if !finished {
                finished = true
                response.abort()
            }
            return
        }
        clear()
        setStatus(status, reason: reason)
        for (name, value) in extra { try setHeader(name, value) }
        do {
            try await writeError(status, error: error)
        } catch {
            application.appLog.error("Uncaught error in writeError: \(String(reflecting: error))")
        }
        if !finished { try await finish() }
    }
}
