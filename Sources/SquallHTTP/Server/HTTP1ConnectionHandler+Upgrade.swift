import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import SquallIO

/// Handing a connection over to another protocol after `101 Switching Protocols` (WebSocket's upgrade).
///
/// The pipeline keeps the byte accounting at the socket end and the channel stays on its loop; the HTTP/1
/// handlers leave in the order NIO's own upgrader uses: first everything between the parser and the
/// application, then the new protocol's handlers are added, and the parser leaves last, so bytes the client
/// sent right after its request (the parser stops at an upgrade) flow into the new handlers.
extension HTTP1ConnectionHandler {
    func upgrade(
        _ writer: HTTPResponseWriter,
        head: HTTPResponseHead,
        install: @escaping @Sendable (any Channel) throws -> Void
    ) -> EventLoopFuture<Void> {
        guard let context, !closed, currentWriter === writer, case .handling = state else {
            return loop.eventLoop.makeFailedFuture(
                HTTPOutputError("the connection can only be upgraded by the handler of a fully read request")
            )
        }
        upgraded = true
        control?.markUpgraded()
        currentWriter = nil
        requestsServed += 1
        state = .rejecting  // nothing else may be read or written as HTTP from here on
        let channel = context.channel
        // The close future completes on the channel's loop, where the accounting handler lives.
        let counts = NIOLoopBound(accounting, eventLoop: channel.eventLoop)
        let observer = self.observer
        let info = self.info
        let request = writer.request
        let startedAt = loop.time()
        accounting.onBytesReceived = nil
        let promise = loop.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: promise)
        return promise.futureResult.flatMapThrowing { [self] in
            observer?.requestFinished(request, status: 101, bytesOut: 0, duration: loop.time() - startedAt)
            let pipeline = channel.pipeline.syncOperations
            try pipeline.removeHandler(
                context: pipeline.context(handlerType: HTTPServerPipelineHandler.self),
                promise: nil
            )
            if let decompressor = try? pipeline.context(handlerType: NIOHTTPRequestDecompressor.self) {
                pipeline.removeHandler(context: decompressor, promise: nil)
            }
            pipeline.removeHandler(encoder, promise: nil)
            pipeline.removeHandler(self, promise: nil)
            try install(channel)
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            pipeline.removeHandler(context: decoder, promise: nil)
            let requests = requestsServed
            let control = self.control
            channel.closeFuture.whenComplete { _ in
                control?.closed()
                observer?.connectionClosed(
                    info,
                    bytesIn: counts.value.bytesIn,
                    bytesOut: counts.value.bytesOut,
                    requests: requests
                )
            }
        }.flatMapErrorThrowing { error in
            channel.close(promise: nil)
            throw error
        }
    }
}
