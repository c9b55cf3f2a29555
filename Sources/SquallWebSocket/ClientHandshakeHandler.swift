import NIOCore
import SquallIO

/// Sends a client's opening handshake and checks the server's answer; on success it installs the frame codec
/// and a ``WebSocketConnection`` in its place and hands any bytes that followed the answer to them.
final class ClientHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: String
    private let expectedAccept: String
    private let subprotocols: [String]
    private let compression: WebSocketCompressionOptions?
    private let options: WebSocketOptions
    private let path: String
    private let promise: EventLoopPromise<WebSocketClientConnection>
    private var buffer = ByteBuffer()
    private var done = false
    /// The largest handshake answer read (Tornado's client: 64 KiB of headers).
    private static let maxHeadSize = 64 * 1024

    var result: EventLoopFuture<WebSocketClientConnection> { promise.futureResult }

    init(
        request: String,
        expectedAccept: String,
        subprotocols: [String],
        compression: WebSocketCompressionOptions?,
        options: WebSocketOptions,
        path: String,
        eventLoop: any EventLoop
    ) {
        self.request = request
        self.expectedAccept = expectedAccept
        self.subprotocols = subprotocols
        self.compression = compression
        self.options = options
        self.path = path
        promise = eventLoop.makePromise()
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(WebSocketHandshakeError("the server closed the connection during the handshake")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    /// The connect timeout passed before the server's answer arrived.
    func timedOut(_ channel: any Channel, after timeout: Duration) {
        guard !done else { return }
        finish(.failure(TimeoutError(operation: "WebSocket handshake", timeout: timeout)))
        channel.close(promise: nil)
    }

    /// A pipeline torn down before the handshake ended (a failed or abandoned connection attempt) fails it,
    /// so no caller waits forever and no promise is left unfulfilled.
    func handlerRemoved(context: ChannelHandlerContext) {
        finish(.failure(WebSocketHandshakeError("the connection closed before the handshake ended")))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        let view = buffer.readableBytesView
        guard let end = Self.headEnd(view) else {
            if buffer.readableBytes > Self.maxHeadSize {
                fail(context, WebSocketHandshakeError("the server's handshake answer is too large"))
            }
            return
        }
        let headLength = end - view.startIndex
        guard let head = buffer.readString(length: headLength) else { return }
        do {
            let connection = try accept(head: head, context: context)
            done = true
            let rest = buffer
            buffer = ByteBuffer()
            if rest.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(rest)) }
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
            promise.succeed(connection)
        } catch {
            fail(context, error)
        }
    }

    private func accept(head: String, context: ChannelHandlerContext) throws -> WebSocketClientConnection {
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw WebSocketHandshakeError("malformed status line \(String(reflecting: statusLine))")
        }
        guard status == 101 else {
            throw WebSocketHandshakeError("the server answered \(status) instead of 101", status: status)
        }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw WebSocketHandshakeError("malformed header line \(String(reflecting: line))")
            }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        guard headers["upgrade"]?.lowercased() == "websocket",
            WebSocketHandshake.tokens(headers["connection"] ?? "").contains(where: { $0.lowercased() == "upgrade" })
        else { throw WebSocketHandshakeError("the server's answer lacks Upgrade: websocket") }
        guard headers["sec-websocket-accept"] == expectedAccept else {
            throw WebSocketHandshakeError("the server's Sec-WebSocket-Accept does not match the key")
        }
        let subprotocol = headers["sec-websocket-protocol"]
        if let subprotocol, !subprotocols.contains(subprotocol) {
            throw WebSocketHandshakeError("the server chose subprotocol \(subprotocol), which was not offered")
        }
        var deflate: PerMessageDeflateParameters?
        if let value = headers["sec-websocket-extensions"] {
            for item in WebSocketHandshake.parseExtensions(value) {
                guard item.name == "permessage-deflate", let compression, deflate == nil,
                    let parameters = PerMessageDeflateParameters.fromServerResponse(item.parameters, options: compression)
                else { throw WebSocketHandshakeError("the server answered with an extension not offered: \(value)") }
                deflate = parameters
            }
        }
        let client = WebSocketClientConnection(
            selectedSubprotocol: subprotocol,
            extensions: headers["sec-websocket-extensions"]
        )
        let channel = context.channel
        let info = WebSocketConnectionInfo(
            connectionID: ClientConnectionIDs.next(),
            path: path,
            peer: channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown",
            subprotocol: subprotocol,
            compression: deflate?.headerValue
        )
        let connection = try WebSocketConnection(
            role: .client,
            options: options,
            deflate: deflate,
            info: info,
            loop: IOLoop(wrapping: channel.eventLoop),
            delegate: client
        )
        client.attach(connection)
        try WebSocketConnection.install(connection, on: channel)
        return client
    }

    private func fail(_ context: ChannelHandlerContext, _ error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<WebSocketClientConnection, any Error>) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
    }

    /// The index just past the blank line that ends the head, if it has arrived.
    private static func headEnd(_ view: ByteBufferView) -> Int? {
        var index = view.startIndex
        while index + 3 < view.endIndex {
            if view[index] == 0x0D, view[index + 1] == 0x0A, view[index + 2] == 0x0D, view[index + 3] == 0x0A {
                return index + 4
            }
            index += 1
        }
        return nil
    }
}
