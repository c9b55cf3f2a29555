public import NIOCore
import NIOHTTP1
import SquallIO

/// Writes the response to one request: Tornado's `HTTP1Connection.write_headers` / `write` / `finish`.
///
/// Either call ``respond(status:headers:body:)`` once, or ``writeHead(status:reason:headers:)``, any number of
/// ``write(_:)-(ByteBuffer)`` calls and ``finish()``. Without a `Content-Length` header an HTTP/1.1 response is
/// sent chunked; an HTTP/1.0 one ends by closing the connection. Responses to `HEAD` carry headers only.
/// `Server` and `Date` headers are added unless present. Writes wait while the client reads slowly.
///
/// Its state belongs to the connection's loop (hence `@unchecked Sendable`); the delegate runs there, and
/// calls made from elsewhere hop to it.
public final class HTTPResponseWriter: @unchecked Sendable {
    /// The request this response answers.
    public let request: HTTPServerRequest
    let handler: HTTP1ConnectionHandler
    private var status = 200
    private var bytesOut = 0
    /// Body bytes written so far (before any transfer encoding).
    public var bodyBytesWritten: Int { bytesOut }
    /// Whether the status line and headers have been written.
    public private(set) var headWritten = false
    /// Whether the response has been finished.
    public private(set) var finished = false

    init(handler: HTTP1ConnectionHandler, request: HTTPServerRequest) {
        self.handler = handler
        self.request = request
    }

    /// Whether the client's connection has closed; writes would fail.
    public var isConnectionClosed: Bool { handler.isClosed }

    /// Calls `callback` on the connection's loop if the client's connection closes before the response is
    /// finished (Tornado's `on_connection_close`); at once if it already has.
    public func setCloseCallback(_ callback: @escaping @Sendable () -> Void) {
        let handler = self.handler
        // One slot the connection handler calls directly: registering a listener per request showed up in
        // profiles of the web framework, which sets this callback for every request.
        let register = { [self] in
            if handler.isClosed {
                if !finished { callback() }
            } else {
                closeCallback = callback
            }
        }
        if handler.loop.inLoop {
            register()
        } else {
            nonisolated(unsafe) let register = register
            handler.loop.addCallback { register() }
        }
    }

    private var closeCallback: (@Sendable () -> Void)?

    /// Called by the connection handler when the connection closes under this response.
    func connectionClosed() {
        guard !finished, let callback = closeCallback else { return }
        closeCallback = nil
        callback()
    }

    /// Writes the status line and headers.
    ///
    /// - Parameters:
    ///   - status: the status code (default 200).
    ///   - reason: the reason phrase; the standard one for `status` when `nil`.
    ///   - headers: the response headers; include `Content-Length` to avoid chunked encoding.
    /// - Throws: ``HTTPOutputError`` if the head was already written, ``SquallIO/StreamClosedError`` if the
    ///   connection is gone.
    public func writeHead(status: Int = 200, reason: String? = nil, headers: HTTPHeaders = HTTPHeaders()) async throws {
        try await onLoop { try self.writeHeadNow(status: status, reason: reason, headers: headers, flush: true) }
    }

    /// Writes a piece of the body, writing a 200 head first if none was written; waits while the client is slow.
    public func write(_ chunk: ByteBuffer) async throws {
        try await onLoop {
            if !self.headWritten {
                try self.writeHeadNow(status: 200, reason: nil, headers: HTTPHeaders(), flush: false)
            }
            try self.writeBodyNow(chunk, flush: true)
        }
        try await handler.waitUntilWritable()
    }

    /// Writes `text` as UTF-8; see ``write(_:)-(ByteBuffer)``.
    public func write(_ text: String) async throws {
        try await write(ByteBuffer(string: text))
    }

    /// Ends the response (writing a head with `Content-Length: 0` first if none was written).
    public func finish() async throws {
        try await onLoop { try self.finishNow() }
    }

    /// Sends a complete response in one go: the fastest way to answer.
    public func respond(
        status: Int = 200,
        reason: String? = nil,
        headers: HTTPHeaders = HTTPHeaders(),
        body: ByteBuffer = ByteBuffer()
    )
        async throws
    {
        if handler.loop.inLoop {
            // The common case, kept free of closure allocations and suspensions: handlers run on their loop.
            try respondNow(status: status, reason: reason, headers: headers, body: body)
        } else {
            try await handler.loop.eventLoop.submit {
                try self.respondNow(status: status, reason: reason, headers: headers, body: body)
            }.get()
        }
        if !handler.isWritable && !handler.isClosed { try await handler.waitUntilWritable() }
    }

    private func respondNow(status: Int, reason: String?, headers: HTTPHeaders, body: ByteBuffer) throws {
        var headers = headers
        if !headers.nio.contains(name: "content-length") {
            headers.nio.add(name: "Content-Length", value: String(body.readableBytes))
        }
        try writeHeadNow(status: status, reason: reason, headers: headers, flush: false)
        if body.readableBytes > 0 { try writeBodyNow(body, flush: false) }
        try finishNow()
    }

    /// Sends a complete text response; see ``respond(status:headers:body:)``.
    public func respond(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: String) async throws {
        try await respond(status: status, headers: headers, body: ByteBuffer(string: body))
    }

    // MARK: - On the loop

    private func onLoop(_ body: @escaping () throws -> Void) async throws {
        if handler.loop.inLoop {
            try body()
        } else {
            nonisolated(unsafe) let body = body
            try await handler.loop.eventLoop.submit { try body() }.get()
        }
    }

    private func writeHeadNow(status: Int, reason: String?, headers: HTTPHeaders, flush: Bool) throws {
        guard !headWritten else { throw HTTPOutputError("the response head was already written") }
        guard !handler.isClosed else { throw StreamClosedError() }
        // As Tornado's HTTP1Connection: a CR, LF or NUL in any header or the reason would split the response.
        let unsafe: (UInt8) -> Bool = { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
        for (name, value) in headers.nio where name.utf8.contains(where: unsafe) || value.utf8.contains(where: unsafe) {
            throw HTTPOutputError("Newline or NUL in response header \(String(reflecting: name))")
        }
        if let reason, reason.utf8.contains(where: unsafe) {
            throw HTTPOutputError("Newline or NUL in reason phrase \(String(reflecting: reason))")
        }
        headWritten = true
        handler.control?.responseStarted()
        self.status = status
        var nio = headers.nio
        if let server = handler.options.serverHeader, !nio.contains(name: "server") {
            nio.add(name: "Server", value: server)
        }
        if !nio.contains(name: "date") { nio.add(name: "Date", value: handler.currentDate()) }
        let bodiless = request.method == "HEAD" || status < 200 || status == 204 || status == 304
        if let connection = nio.first(name: "connection"), connection.lowercased().contains("close") {
            handler.keepAlive = false
        }
        if request.version == "HTTP/1.0" {
            if handler.keepAlive && (bodiless || nio.contains(name: "content-length")) {
                nio.replaceOrAdd(name: "Connection", value: "keep-alive")
            } else {
                handler.keepAlive = false
            }
        } else if !handler.keepAlive && !nio.contains(name: "connection") {
            nio.add(name: "Connection", value: "close")
        }
        // NIO maps well-known codes to their standard phrase; a custom reason needs the `.custom` case.
        let responseStatus =
            reason.map { HTTPResponseStatus.custom(code: UInt(clamping: status), reasonPhrase: $0) }
            ?? HTTPResponseStatus(statusCode: status)
        let version: HTTPVersion = request.version == "HTTP/1.0" ? .http1_0 : .http1_1
        handler.encoder.nextResponseIsBodiless = request.method == "HEAD"
        handler.write(
            .head(HTTPResponseHead(version: version, status: responseStatus, headers: nio)),
            flush: flush,
            promise: nil
        )
    }

    private func writeBodyNow(_ chunk: ByteBuffer, flush: Bool) throws {
        guard !finished else { throw HTTPOutputError("the response was already finished") }
        guard !handler.isClosed else { throw StreamClosedError() }
        bytesOut += chunk.readableBytes
        handler.write(.body(.byteBuffer(chunk)), flush: flush, promise: nil)
    }

    private func finishNow() throws {
        guard !finished else { return }
        if !headWritten { try writeHeadNow(status: 200, reason: nil, headers: ["Content-Length": "0"], flush: false) }
        finished = true
        guard !handler.isClosed else { throw StreamClosedError() }
        let keepOpen = handler.responseEnding(self)
        guard !keepOpen else {
            // The connection stays open, so nothing waits for the end to reach the wire: no promise and no
            // callback (a promise per response cost about a tenth of a hello-world's throughput). The observer
            // hears of the end when it is handed to the channel.
            handler.write(.end(nil), flush: true, promise: nil)
            if handler.observer != nil {
                handler.responseEnded(self, status: status, bytesOut: bytesOut, keepOpen: true)
            }
            return
        }
        let promise = handler.loop.eventLoop.makePromise(of: Void.self)
        let status = self.status
        let bytesOut = self.bytesOut
        promise.futureResult.whenComplete { [handler, self] _ in
            handler.responseEnded(self, status: status, bytesOut: bytesOut, keepOpen: keepOpen)
        }
        handler.write(.end(nil), flush: true, promise: promise)
    }

    /// The delegate threw: answer 500 if nothing was sent yet, otherwise cut the connection.
    func handlerFailed(_ error: any Error) {
        guard !finished else { return }
        if headWritten {
            finished = true
            handler.close()
            return
        }
        var headers = HTTPHeaders()
        headers["Content-Type"] = "text/plain; charset=UTF-8"
        let body = ByteBuffer(string: "500: Internal Server Error\n")
        headers["Content-Length"] = String(body.readableBytes)
        do {
            try writeHeadNow(status: 500, reason: nil, headers: headers, flush: false)
            try writeBodyNow(body, flush: false)
            try finishNow()
        } catch {
            handler.close()
        }
    }

    /// Gives up on the response: marks it finished and closes the connection (for errors after the head went out).
    package func abort() {
        let handler = self.handler
        let close = { [self] in
            finished = true
            handler.close()
        }
        if handler.loop.inLoop {
            close()
        } else {
            nonisolated(unsafe) let close = close
            handler.loop.addCallback { close() }
        }
    }

    /// The server answered in the handler's place (a protocol error): further writes fail.
    func abandon() {
        headWritten = true
        finished = true
    }

    /// The delegate returned: finish what it left open.
    func finishIfNeeded() {
        guard !finished, !handler.isClosed else { return }
        do { try finishNow() } catch { handler.close() }
    }
}

/// Raised when a response is written out of order (a second head, a write after finish).
public struct HTTPOutputError: Error, CustomStringConvertible, Sendable {
    /// What was wrong.
    public var message: String

    /// Creates the error with a message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message a user reads: what happened and why.
    public var description: String { message }
}
