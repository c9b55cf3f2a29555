public import NIOCore
import SquallIO

/// A request body delivered as it arrives, for delegates that stream bodies (Tornado's `data_received`).
///
/// Iterate it once: `for try await chunk in request.bodyStream!`. Backpressure reaches the client: while the
/// iterating code is behind by more than a few chunks, the server stops reading the socket. Iteration throws
/// ``SquallIO/StreamClosedError`` if the connection closes before the body ends, and ``HTTPInputError`` if the
/// body exceeds ``HTTPServerOptions/maxBodySize``.
public struct HTTPRequestBody: AsyncSequence, Sendable {
    /// Each element is the next piece of the body.
    public typealias Element = ByteBuffer
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BodyFlowControl
    >

    let producer: Producer

    /// Iterates the body's chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator

        public mutating func next() async throws -> ByteBuffer? {
            try await base.next()
        }
    }

    /// An iterator over the body's chunks; iterate the body only once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: producer.makeAsyncIterator())
    }

    /// Reads the rest of the body into one buffer.
    ///
    /// - Throws: ``HTTPInputError`` if it is longer than `maxBytes`.
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        var all = ByteBuffer()
        for try await var chunk in self {
            guard all.readableBytes + chunk.readableBytes <= maxBytes else {
                throw HTTPInputError("request body is larger than \(maxBytes) bytes")
            }
            all.writeBuffer(&chunk)
        }
        return all
    }
}

/// Turns the body consumer's demand into socket reads: pauses the connection's reads when the consumer is
/// behind, resumes them when it asks for more.
struct BodyFlowControl: NIOAsyncSequenceProducerDelegate {
    let handler: HTTP1ConnectionHandler

    func produceMore() {
        let handler = self.handler
        handler.loop.addCallback { handler.resumeReading() }
    }

    func didTerminate() {
        // The consumer stopped listening; keep reading so the rest of the body is drained and discarded.
        let handler = self.handler
        handler.loop.addCallback { handler.resumeReading() }
    }
}

/// The connection handler's end of a streamed body; used on the connection's loop only.
final class HTTPRequestBodySource {
    let body: HTTPRequestBody
    private let source: HTTPRequestBody.Producer.Source
    private unowned let handler: HTTP1ConnectionHandler

    init(handler: HTTP1ConnectionHandler) {
        self.handler = handler
        let made = HTTPRequestBody.Producer.makeSequence(
            elementType: ByteBuffer.self,
            failureType: (any Error).self,
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8),
            finishOnDeinit: false,
            delegate: BodyFlowControl(handler: handler)
        )
        self.source = made.source
        self.body = HTTPRequestBody(producer: made.sequence)
    }

    func yield(_ chunk: ByteBuffer) {
        switch source.yield(chunk) {
        case .stopProducing: handler.pauseReading()
        case .produceMore, .dropped: break
        }
    }

    func finish() { source.finish() }
    func fail(_ error: any Error) { source.finish(error) }
}
