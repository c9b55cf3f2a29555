public import NIOCore

/// A connected byte stream with Tornado's `IOStream` read and write semantics, as a face over a NIO `Channel`.
///
/// Reads: ``readUntil(_:maxBytes:)-(String,_)``, ``readUntilRegex(_:maxBytes:)``, ``readBytes(_:partial:)``,
/// ``readUntilClose()`` and ``readInto(_:partial:)``; one read may be outstanding at a time. Bytes that arrive
/// beyond what a read asks for stay buffered for the next read. Writes: ``write(_:)-(ByteBuffer)`` returns once
/// the bytes have been written to the socket, so a writer facing a slow reader waits instead of growing memory.
///
/// Every method may be called from any task; called from the stream's own loop (as handlers started by
/// ``TCPServer`` are), reads already satisfied by buffered bytes and writes the socket accepts at once complete
/// without suspending.
public final class IOStream: Sendable {
    /// Tornado's default limit on buffered incoming bytes: 100 MiB.
    public static let defaultMaxBufferSize = 100 * 1024 * 1024
    /// How far ahead of the application the stream reads from the socket by default: 64 KiB, Tornado's
    /// `read_chunk_size`.
    public static let defaultReadChunkSize = 64 * 1024

    /// The NIO channel underneath, for code that uses SwiftNIO directly.
    public let channel: any Channel
    /// The loop this stream's connection lives on.
    public let loop: IOLoop
    /// The most bytes this stream buffers for one read; a read that needs more fails with
    /// ``StreamBufferFullError`` and closes the stream.
    public var maxBufferSize: Int { handler.maxBufferSize }

    let handler: IOStreamHandler
    private let shared: IOStreamSharedState

    init(channel: any Channel, handler: IOStreamHandler, shared: IOStreamSharedState) {
        self.channel = channel
        self.handler = handler
        self.shared = shared
        self.loop = IOLoop(wrapping: channel.eventLoop)
    }

    /// Adds an ``IOStream`` to `channel`'s pipeline and returns the stream; for code that builds its own NIO
    /// bootstrap. Must be called on the channel's event loop, before the channel becomes active.
    ///
    /// - Parameters:
    ///   - maxBufferSize: the buffered-bytes limit (default 100 MiB).
    ///   - readChunkSize: how many bytes may be read ahead of the application (default 64 KiB).
    public static func attach(
        to channel: any Channel,
        maxBufferSize: Int = IOStream.defaultMaxBufferSize,
        readChunkSize: Int = IOStream.defaultReadChunkSize
    ) throws -> IOStream {
        let shared = IOStreamSharedState()
        let handler = IOStreamHandler(
            maxBufferSize: max(1, maxBufferSize),
            readChunkSize: max(1, min(readChunkSize, maxBufferSize)),
            shared: shared
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        return IOStream(channel: channel, handler: handler, shared: shared)
    }

    // MARK: - Reading

    /// Reads up to and including the first `delimiter`.
    ///
    /// - Parameter maxBytes: if the delimiter is not found within this many bytes, the read fails with
    ///   ``UnsatisfiableReadError`` and the stream is closed (Tornado's behaviour).
    /// - Throws: ``StreamClosedError`` if the stream closes first, ``StreamBufferFullError`` past
    ///   ``maxBufferSize``.
    public func readUntil(_ delimiter: [UInt8], maxBytes: Int? = nil) async throws -> ByteBuffer {
        if delimiter.count == 1 { return try await read(.untilByte(delimiter[0], maxBytes: maxBytes)) }
        return try await read(.until(delimiter: delimiter, maxBytes: maxBytes))
    }

    /// Reads up to and including the first `delimiter`, given as UTF-8 text; see ``readUntil(_:maxBytes:)-([UInt8],_)``.
    public func readUntil(_ delimiter: String, maxBytes: Int? = nil) async throws -> ByteBuffer {
        let utf8 = delimiter.utf8
        if utf8.count == 1, let byte = utf8.first { return try await read(.untilByte(byte, maxBytes: maxBytes)) }
        return try await read(.until(delimiter: Array(utf8), maxBytes: maxBytes))
    }

    /// Reads up to and including the end of the first match of `regex`.
    ///
    /// The buffered bytes are matched as ISO-8859-1 text, one character per byte, with Unicode-scalar semantics,
    /// so a pattern such as `/\r?\n\r?\n/` behaves as it does on bytes in Tornado.
    /// - Parameter maxBytes: if there is no match within this many bytes, the read fails with
    ///   ``UnsatisfiableReadError`` and the stream is closed.
    public func readUntilRegex<Output>(_ regex: sending Regex<Output>, maxBytes: Int? = nil) async throws -> ByteBuffer
    {
        // `sending` hands the regex over to this read; only the stream's loop uses it from here on, one match at a
        // time, while this call waits.
        nonisolated(unsafe) let pattern = regex.matchingSemantics(.unicodeScalar)
        let matcher = ByteMatcher(description: String(describing: Output.self)) { view in
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: view.lazy.map { Unicode.Scalar($0) })
            let text = String(scalars)
            guard let match = try? pattern.firstMatch(in: text) else { return nil }
            return text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: match.range.upperBound)
        }
        return try await read(.regex(matcher: matcher, maxBytes: maxBytes))
    }

    /// Reads exactly `count` bytes, or, with `partial`, whatever is available as soon as at least one byte is.
    ///
    /// - Throws: ``StreamClosedError`` if the stream closes before enough bytes arrive.
    public func readBytes(_ count: Int, partial: Bool = false) async throws -> ByteBuffer {
        try await read(.bytes(count: max(0, count), partial: partial))
    }

    /// Reads everything until the peer closes the connection.
    ///
    /// - Throws: ``StreamBufferFullError`` if more than ``maxBufferSize`` bytes arrive first.
    public func readUntilClose() async throws -> ByteBuffer {
        try await read(.untilClose)
    }

    /// Fills `buffer` from the stream (or, with `partial`, as much of it as is available once any byte is) and
    /// returns the number of bytes stored.
    public func readInto(_ buffer: inout [UInt8], partial: Bool = false) async throws -> Int {
        let bytes = try await read(.bytes(count: buffer.count, partial: partial))
        let count = bytes.readableBytes
        bytes.withUnsafeReadableBytes { source in
            buffer.withUnsafeMutableBytes { target in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<count]))
            }
        }
        return count
    }

    private func read(_ request: ReadRequest) async throws -> ByteBuffer {
        let handler = self.handler
        let eventLoop = channel.eventLoop
        let onLoop = eventLoop.inEventLoop
        if onLoop, let ready = try handler.readNow(request) {
            return ready
        }
        let id = shared.nextReadID()
        return try await withTaskCancellationHandler {
            // Unsafe continuation: the handler resumes each pending read exactly once (satisfied, failed, closed
            // or cancelled), and the checked variant costs an allocation per read.
            try await withUnsafeThrowingContinuation { continuation in
                // A task cancelled before this point has already run its cancellation handler, possibly before
                // the read below reaches the loop; check here so such a read cannot wait forever.
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else if onLoop {
                    handler.startRead(request, id: id, continuation: continuation)
                } else {
                    eventLoop.execute { handler.startRead(request, id: id, continuation: continuation) }
                }
            }
        } onCancel: {
            eventLoop.execute { handler.cancelRead(id: id) }
        }
    }

    /// Whether a read is currently waiting for bytes; asked on the stream's loop.
    func hasPendingRead() async -> Bool {
        let handler = self.handler
        return (try? await channel.eventLoop.submit { handler.hasPendingRead }.get()) ?? false
    }

    // MARK: - Writing

    /// Writes `data` and returns once it has been written to the socket.
    ///
    /// If the peer reads slowly, this waits: at most one write per writer is buffered, so memory stays bounded.
    /// - Throws: ``StreamClosedError`` if the stream is closed or closes before the data is written.
    public func write(_ data: ByteBuffer) async throws {
        let handler = self.handler
        let outcome: IOStreamHandler.WriteOutcome
        if channel.eventLoop.inEventLoop {
            outcome = try handler.write(data)
        } else {
            outcome = try await channel.eventLoop.submit { try handler.write(data) }.get()
        }
        guard case .waiting(let future) = outcome else { return }
        do {
            try await future.get()
        } catch {
            if channel.eventLoop.inEventLoop { throw handler.writeFailure(error) }
            throw try await channel.eventLoop.submit { handler.writeFailure(error) }.get()
        }
    }

    /// Writes `bytes`; see ``write(_:)-(ByteBuffer)``.
    public func write(_ bytes: some Sequence<UInt8>) async throws {
        try await write(ByteBuffer(bytes: bytes))
    }

    /// Writes `text` as UTF-8; see ``write(_:)-(ByteBuffer)``.
    public func write(_ text: String) async throws {
        try await write(ByteBuffer(string: text))
    }

    // MARK: - Closing and options

    /// Closes the stream. Reads waiting on it fail with ``StreamClosedError`` carrying `error` as the cause.
    ///
    /// Bytes already passed to a completed ``write(_:)-(ByteBuffer)`` have reached the socket and are delivered.
    public func close(error: (any Error)? = nil) {
        let handler = self.handler
        if channel.eventLoop.inEventLoop {
            handler.close(error: error)
        } else {
            channel.eventLoop.execute { handler.close(error: error) }
        }
    }

    /// Whether the stream is closed (Tornado's `closed()`).
    public var isClosed: Bool { shared.closed }

    /// Why the stream closed: the connection error, read error or error given to ``close(error:)``; `nil` while
    /// open or after an orderly close.
    public var error: (any Error)? { shared.error }

    /// Suspends until the stream is closed and returns the reason (see ``error``).
    public func waitForClose() async -> (any Error)? {
        await withCheckedContinuation { continuation in
            setCloseCallback { continuation.resume(returning: $0) }
        }
    }

    /// Calls `callback` on the stream's loop when the stream closes, with the reason (see ``error``); at once if
    /// it is already closed. Several callbacks may be set; each runs once.
    public func setCloseCallback(_ callback: @escaping @Sendable ((any Error)?) -> Void) {
        let handler = self.handler
        if channel.eventLoop.inEventLoop {
            handler.addCloseCallback(callback)
        } else {
            channel.eventLoop.execute { handler.addCloseCallback(callback) }
        }
    }

    /// Turns Nagle's algorithm off (`true`) or on: with it off, small writes go out at once.
    public func setNoDelay(_ value: Bool) async throws {
        try await channel.setOption(ChannelOptions.socketOption(.tcp_nodelay), value: value ? 1 : 0).get()
    }

    /// The address of the peer, if the connection has one.
    public var remoteAddress: SocketAddress? { channel.remoteAddress }
    /// The local address of the connection.
    public var localAddress: SocketAddress? { channel.localAddress }
}
