import NIOCore

/// One client connection: sends the run's message, waits until as many bytes have come back, records the round
/// trip, and sends again while the run lasts.
final class EchoClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let run: EchoRun
    private var context: ChannelHandlerContext?
    /// Bytes of the current echo still to arrive; 0 while no message is in flight.
    private var pending = 0
    private var sentAt = NIODeadline.distantPast
    /// Whether this connection already counted an error, so one failure counts once.
    private var failed = false

    init(run: EchoRun) {
        self.run = run
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        run.register(self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends one message; the next goes out when its echo is complete.
    func sendNext() {
        guard let context, context.channel.isActive else { return }
        pending = run.messageSize
        sentAt = .now()
        context.writeAndFlush(Self.wrapOutboundOut(run.message), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = Self.unwrapInboundIn(data).readableBytes
        guard count <= pending else {
            // More came back than was sent: the server is not echoing; stop this connection.
            fail(context: context)
            return
        }
        pending -= count
        guard pending == 0 else { return }
        run.roundTripCompleted(after: .now() - sentAt)
        if run.isRunning { sendNext() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A connection that closes while the run lasts was dropped by the server.
        if run.isRunning && !failed {
            failed = true
            run.recordError()
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context)
    }

    private func fail(context: ChannelHandlerContext) {
        pending = 0
        if !failed {
            failed = true
            run.recordError()
        }
        context.close(promise: nil)
    }
}
