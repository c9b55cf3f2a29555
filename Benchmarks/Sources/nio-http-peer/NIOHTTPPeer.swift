import HTTPBenchSupport
import NIOCore
import NIOHTTP1
import NIOPosix

/// `nio-http-peer`: the baseline of the HTTP benchmark, a raw SwiftNIO hello-world server (NIOHTTP1 and one
/// channel handler, no framework), equivalent to the company's shared `bench/peers/nio` server so that the
/// benchmark has its baseline without that folder.
///
/// ```
/// nio-http-peer [--port P] [--threads N]      # or PORT=P THREADS=N nio-http-peer
/// ```
///
/// Same routes and bodies as `http-bench-server`; listens on 127.0.0.1, prints `READY <port>`, runs until killed.
@main
struct NIOHTTPPeer {
    static let usage = """
        usage: nio-http-peer [--port P] [--threads N]

        Serves GET /plaintext and GET /json on 127.0.0.1 with raw SwiftNIO (NIOHTTP1) and prints 'READY <port>'.
        --port (else env PORT, else 0 = a free port), --threads event loops (else env THREADS, else 1).
        """

    static func main() async {
        await runServer(name: "nio-http-peer", usage: usage) { settings in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: settings.threads)
            // The socket options of Squall's TCPServer, so that only the HTTP layers differ.
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 128)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Response encoder, request decoder, pipelining (answers in request order) and a 400 for
                        // unparsable requests, then the application's handler.
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                            withPipeliningAssistance: true,
                            withErrorHandling: true
                        )
                        try channel.pipeline.syncOperations.addHandler(HelloHandler())
                    }
                }
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: settings.port).get()
            emit("READY \(channel.localAddress?.port ?? settings.port)")
            try await channel.closeFuture.get()
        }
    }
}
