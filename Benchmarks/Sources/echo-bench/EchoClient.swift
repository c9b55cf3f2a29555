import NIOCore
import NIOPosix

/// The load generator: `conns` connections on one event loop, each in a request/response loop of one message at a
/// time, measured for `duration` seconds after `warmup` seconds.
struct EchoClient {
    var port: Int
    var connections: Int
    var messageSize: Int
    var duration: Double
    var warmup: Double

    /// Runs the load against 127.0.0.1:``port`` and returns what the measured window counted.
    ///
    /// - Throws: the connect error when not a single connection could be opened.
    func run() async throws -> EchoSummary {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let eventLoop = group.next()
        let run = EchoRun(eventLoop: eventLoop, messageSize: messageSize)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoClientHandler(run: run))
                }
            }

        var channels: [any Channel] = []
        var lastError: (any Error)?
        for _ in 0..<connections {
            do {
                channels.append(try await bootstrap.connect(host: "127.0.0.1", port: port).get())
            } catch {
                lastError = error
                try await eventLoop.submit { run.recordError() }.get()
            }
        }
        if channels.isEmpty, let lastError {
            try await group.shutdownGracefully()
            throw lastError
        }

        let warmupEnd = TimeAmount.nanoseconds(Int64(warmup * 1_000_000_000))
        let windowEnd = warmupEnd + .nanoseconds(Int64(duration * 1_000_000_000))
        try await eventLoop.flatSubmit {
            run.start()
            eventLoop.scheduleTask(in: warmupEnd) { run.beginWindow() }
            return eventLoop.scheduleTask(in: windowEnd) { run.endWindow() }.futureResult
        }.get()

        for channel in channels {
            try? await channel.close()
        }
        let summary = try await eventLoop.submit { run.summary() }.get()
        try await group.shutdownGracefully()
        return summary
    }
}
