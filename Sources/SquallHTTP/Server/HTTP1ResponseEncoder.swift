import NIOCore
import NIOHTTP1

/// Serialises response parts to HTTP/1.x bytes, with chunked framing when the response has no length.
///
/// Squall's own rather than NIO's `HTTPResponseEncoder` because framing depends on the request: a response
/// to `HEAD`, a 1xx/204/304 response, or one the connection handler marks bodiless must carry neither a body
/// nor a chunked terminator, whatever its headers say. The connection handler sets ``nextResponseIsBodiless``
/// before writing each head; all of this runs on the channel's loop.
final class HTTP1ResponseEncoder: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    /// Set by the connection handler before it writes a head: no body bytes for this response.
    var nextResponseIsBodiless = false
    private var chunked = false
    private var bodiless = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            var buffer = context.channel.allocator.buffer(capacity: 256)
            let informational = head.status.code < 200
            if !informational {
                bodiless = nextResponseIsBodiless || head.status.code == 204 || head.status.code == 304
                chunked =
                    !bodiless && head.version.minor >= 1 && !head.headers.contains(name: "content-length")
                    && !head.headers.contains(name: "transfer-encoding")
            }
            Self.writeHead(head, chunked: chunked && !informational, into: &buffer)
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
        case .body(let body):
            guard !bodiless, body.readableBytes > 0 else {
                promise?.succeed(())
                return
            }
            if chunked {
                var prefix = context.channel.allocator.buffer(capacity: 12)
                prefix.writeString(String(body.readableBytes, radix: 16))
                prefix.writeStaticString("\r\n")
                context.write(wrapOutboundOut(.byteBuffer(prefix)), promise: nil)
                context.write(wrapOutboundOut(body), promise: nil)
                context.write(wrapOutboundOut(.byteBuffer(ByteBuffer(staticString: "\r\n"))), promise: promise)
            } else {
                context.write(wrapOutboundOut(body), promise: promise)
            }
        case .end:
            if chunked && !bodiless {
                context.write(wrapOutboundOut(.byteBuffer(ByteBuffer(staticString: "0\r\n\r\n"))), promise: promise)
            } else {
                // Nothing to send, but the promise must still complete after everything written before it.
                context.write(
                    wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(capacity: 0))),
                    promise: promise
                )
            }
            chunked = false
            bodiless = false
            nextResponseIsBodiless = false
        }
    }

    static func writeHead(_ head: HTTPResponseHead, chunked: Bool, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(head.version.minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ")
        buffer.writeString(String(head.status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(head.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for (name, value) in head.headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        if chunked { buffer.writeStaticString("Transfer-Encoding: chunked\r\n") }
        buffer.writeStaticString("\r\n")
    }
}

/// Counts the bytes a connection reads and writes, and tells the connection handler when bytes arrive (which
/// starts the header timeout). First in the pipeline, so it sees the raw socket traffic.
final class HTTPConnectionAccounting: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private(set) var bytesIn = 0
    private(set) var bytesOut = 0
    /// Called with the size of each read, before the bytes are parsed.
    var onBytesReceived: ((Int) -> Void)?
    /// The monitor's live view of the connection, if the server is observed.
    var control: HTTPConnectionControl?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        bytesIn += count
        control?.bytesReceived(count)
        onBytesReceived?(count)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let count = unwrapOutboundIn(data).readableBytes
        bytesOut += count
        control?.bytesSent(count)
        context.write(data, promise: promise)
    }
}
