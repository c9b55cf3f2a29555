import HTTPBenchSupport
import NIOCore
import NIOPosix

/// The baseline: a raw SwiftNIO echo server, as NIO's own `NIOEchoServer` example, with the socket options
/// Squall's ``TCPServer`` sets, on one event loop.
enum NIOEchoServer {
    /// Listens on 127.0.0.1:`port` (0 picks a free port), prints `READY <port>` and echoes until killed.
    static func run(port: Int) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 128)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        emit("READY \(channel.localAddress?.port ?? port)")
        try await channel.closeFuture.get()
    }
}

/// Writes back every buffer it reads and flushes once per read burst; no framing, no back-pressure handler, so
/// the baseline is as cheap as an echo server on NIO gets.
private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
