import HTTPBenchSupport
import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Answers each request once its end arrives: `GET /plaintext`, `GET /json`, else 404; one instance per connection.
///
/// Sends `Server`, `Date`, `Content-Type` and `Content-Length`, encodes the JSON body with a new `JSONEncoder` per
/// request (as the Squall server does), and flushes once per read burst, so pipelined requests share a write.
final class HelloHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let plaintext = "Hello, World!"
    private static let notFound = "Not Found"

    private var request: HTTPRequestHead?
    private var dateHeader = DateHeaderCache()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            // The routes take no body; a sent one is read and dropped.
            break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var body = context.channel.allocator.buffer(capacity: 32)
        let status: HTTPResponseStatus
        let contentType: String
        switch (head.method, head.uri) {
        case (.GET, "/plaintext"):
            status = .ok
            contentType = "text/plain"
            body.writeString(Self.plaintext)
        case (.GET, "/json"):
            status = .ok
            contentType = "application/json"
            do {
                body.writeBytes(try JSONEncoder().encode(HelloMessage.hello))
            } catch {
                context.fireErrorCaught(error)
                return
            }
        default:
            status = .notFound
            contentType = "text/plain"
            body.writeString(Self.notFound)
        }

        let keepAlive = head.isKeepAlive
        var headers = HTTPHeaders()
        headers.reserveCapacity(5)
        headers.add(name: "Server", value: "nio")
        headers.add(name: "Date", value: dateHeader.current())
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        if !keepAlive { headers.add(name: "Connection", value: "close") }

        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil
        )
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        if keepAlive {
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }
}
