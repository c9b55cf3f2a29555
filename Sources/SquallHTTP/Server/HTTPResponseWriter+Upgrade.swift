public import NIOCore
import NIOHTTP1
import SquallIO

extension HTTPResponseWriter {
    /// Answers the request with `101 Switching Protocols` and hands the connection over to another protocol
    /// (how a WebSocket handler takes over its connection after routing, as in Tornado).
    ///
    /// Once the 101 is on the wire, the HTTP/1 handlers leave the channel's pipeline and `install` adds the new
    /// protocol's handlers, on the connection's loop; bytes the client sent after its request reach them. The
    /// connection stays in the server's registry (``HTTPServer/connectionCount``, graceful stop: its handlers
    /// receive NIO's `ChannelShouldQuiesceEvent` and should close) and its observer still hears of its close.
    /// The response counts as finished; nothing more can be written through this writer.
    ///
    /// - Parameters:
    ///   - headers: the 101 response's headers (`Upgrade`, `Connection` and the protocol's own).
    ///   - install: adds the new protocol's handlers to the channel's pipeline (use its `syncOperations`).
    /// - Throws: ``HTTPOutputError`` when a response was already started or the request was not read
    ///   completely, ``SquallIO/StreamClosedError`` when the connection is gone, or what `install` throws (the
    ///   connection is then closed).
    public func upgrade(
        headers: HTTPHeaders,
        install: @escaping @Sendable (any Channel) throws -> Void
    ) async throws {
        guard !headWritten, !finished else { throw HTTPOutputError("a response was already started") }
        let head = HTTPResponseHead(version: .http1_1, status: .switchingProtocols, headers: headers.nio)
        let handler = self.handler
        let future = handler.loop.eventLoop.flatSubmit { [self] () -> EventLoopFuture<Void> in
            guard !handler.isClosed else {
                return handler.loop.eventLoop.makeFailedFuture(StreamClosedError())
            }
            let result = handler.upgrade(self, head: head, install: install)
            abandon()
            return result
        }
        try await future.get()
    }
}
