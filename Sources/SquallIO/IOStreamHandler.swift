import NIOCore
import Synchronization

/// One read an ``IOStream`` is waiting for, in Tornado's terms.
enum ReadRequest: Sendable {
    case until(delimiter: [UInt8], maxBytes: Int?)
    /// A one-byte delimiter (such as `"\n"`), the common case, without an array to allocate per read.
    case untilByte(UInt8, maxBytes: Int?)
    case regex(matcher: ByteMatcher, maxBytes: Int?)
    case bytes(count: Int, partial: Bool)
    case untilClose
}

/// Finds where a match ends in the buffered bytes, or `nil` if there is none yet.
struct ByteMatcher: Sendable {
    let description: String
    let matchEnd: @Sendable (ByteBufferView) -> Int?
}

/// The state of an ``IOStream`` that other threads may read: whether it is closed, and why.
final class IOStreamSharedState: Sendable {
    private struct State {
        var closed = false
        var error: (any Error)?
    }
    private let state = Mutex(State())
    private let lastReadID = Atomic<Int>(0)

    /// A fresh identifier for a read, so cancelling one read can never cancel a later one.
    func nextReadID() -> Int {
        lastReadID.wrappingAdd(1, ordering: .relaxed).newValue
    }

    var closed: Bool { state.withLock { $0.closed } }
    var error: (any Error)? { state.withLock { $0.error } }

    func markClosed(error: (any Error)?) {
        state.withLock {
            $0.closed = true
            if $0.error == nil { $0.error = error }
        }
    }
}

/// The channel handler behind an ``IOStream``: it buffers what arrives, satisfies the stream's one pending read
/// with Tornado's semantics, and applies backpressure in both directions.
///
/// Reading: the channel keeps `autoRead`, but this handler passes the pipeline's `read()` on only while the
/// buffer holds less than `readChunkSize` bytes or a pending read still needs more, so an application that stops
/// reading stops the socket reads too (the buffer stays within `readChunkSize` plus one read cycle). Writing:
/// ``write(_:)`` hands back a future that completes once NIO has written the bytes to the socket, as Tornado's
/// write future does, so a writer that awaits it cannot outrun a slow peer.
///
/// All state is confined to the channel's event loop: every method must be called there. That confinement is
/// what makes the `@unchecked Sendable` sound; ``IOStream`` hops to the loop before calling in.
final class IOStreamHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct PendingRead {
        let id: Int
        let request: ReadRequest
        let continuation: UnsafeContinuation<ByteBuffer, any Error>
    }

    enum WriteOutcome {
        case written
        case waiting(EventLoopFuture<Void>)
    }

    let maxBufferSize: Int
    let readChunkSize: Int
    let shared: IOStreamSharedState
    private var context: ChannelHandlerContext?
    private var buffer: ByteBuffer
    /// How many buffered bytes the pending delimiter search has already looked at, so a delimiter split across
    /// packets is found without rescanning the whole buffer each time.
    private var scannedBytes = 0
    private var pending: PendingRead?
    private var heldRead = false
    private var closed = false
    private var closeError: (any Error)?
    private var closeCallbacks: [@Sendable ((any Error)?) -> Void] = []
    private var lastWriteID = 0
    private var completedWriteID = 0

    init(maxBufferSize: Int, readChunkSize: Int, shared: IOStreamSharedState) {
        self.maxBufferSize = maxBufferSize
        self.readChunkSize = readChunkSize
        self.shared = shared
        self.buffer = ByteBuffer()
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        buffer = context.channel.allocator.buffer(capacity: 0)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        markClosed(error: nil)
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer.readableBytes == 0 {
            buffer = incoming
        } else {
            buffer.writeBuffer(&incoming)
        }
        satisfyPendingRead()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        markClosed(error: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if closeError == nil { closeError = error }
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if wantsMoreBytes {
            context.read()
        } else {
            heldRead = true
        }
    }

    private var wantsMoreBytes: Bool {
        !closed && (buffer.readableBytes < readChunkSize || pending != nil)
    }

    private func releaseHeldReadIfWanted() {
        guard heldRead, wantsMoreBytes, let context else { return }
        heldRead = false
        context.read()
    }

    // MARK: - Reads

    /// Tries to satisfy `request` from the buffer alone, without waiting; `nil` means more bytes are needed.
    ///
    /// - Throws: ``StreamClosedError`` if the stream is closed and the buffer cannot satisfy the request, or the
    ///   read's own error (which also closes the stream).
    func readNow(_ request: ReadRequest) throws -> ByteBuffer? {
        guard pending == nil else { throw ConcurrentReadError() }
        scannedBytes = 0
        return try attempt(request)
    }

    /// Waits for `request`, resuming `continuation` when it is satisfied or fails.
    func startRead(_ request: ReadRequest, id: Int, continuation: UnsafeContinuation<ByteBuffer, any Error>) {
        if pending != nil {
            continuation.resume(throwing: ConcurrentReadError())
            return
        }
        scannedBytes = 0
        do {
            if let result = try attempt(request) {
                continuation.resume(returning: result)
                return
            }
        } catch {
            continuation.resume(throwing: error)
            return
        }
        pending = PendingRead(id: id, request: request, continuation: continuation)
        checkBufferLimit()
        releaseHeldReadIfWanted()
    }

    /// Whether a read is waiting for bytes (for tests that must act while one is).
    var hasPendingRead: Bool { pending != nil }

    /// Fails the read `id` with `CancellationError` if it is still waiting; the bytes stay buffered.
    func cancelRead(id: Int) {
        guard let waiting = pending, waiting.id == id else { return }
        pending = nil
        waiting.continuation.resume(throwing: CancellationError())
    }

    private func satisfyPendingRead() {
        guard let waiting = pending else { return }
        // Taken out while attempting: a failing attempt closes the stream, which must not see it again.
        pending = nil
        do {
            guard let result = try attempt(waiting.request) else {
                pending = waiting
                checkBufferLimit()
                return
            }
            waiting.continuation.resume(returning: result)
        } catch {
            waiting.continuation.resume(throwing: error)
        }
    }

    private func checkBufferLimit() {
        guard let waiting = pending, buffer.readableBytes >= maxBufferSize else { return }
        pending = nil
        let error = StreamBufferFullError(maxBufferSize: maxBufferSize)
        waiting.continuation.resume(throwing: error)
        close(error: error)
    }

    private func attempt(_ request: ReadRequest) throws -> ByteBuffer? {
        let result: ByteBuffer?
        switch request {
        case .bytes(let count, let partial):
            result = takeBytes(count: count, partial: partial)
        case .until(let delimiter, let maxBytes):
            result = try takeUntil(delimiter: delimiter, maxBytes: maxBytes)
        case .untilByte(let byte, let maxBytes):
            result = try takeUntil(byte: byte, maxBytes: maxBytes)
        case .regex(let matcher, let maxBytes):
            result = try takeUntilMatch(matcher, maxBytes: maxBytes)
        case .untilClose:
            result = closed ? take(buffer.readableBytes) : nil
        }
        if let result {
            releaseHeldReadIfWanted()
            return result
        }
        if closed { throw StreamClosedError(cause: closeError) }
        return nil
    }

    private func take(_ count: Int) -> ByteBuffer {
        scannedBytes = 0
        return buffer.readSlice(length: count) ?? ByteBuffer()
    }

    private func takeBytes(count: Int, partial: Bool) -> ByteBuffer? {
        let available = buffer.readableBytes
        if available >= count { return take(count) }
        if partial && available > 0 { return take(available) }
        return nil
    }

    private func takeUntil(delimiter: [UInt8], maxBytes: Int?) throws -> ByteBuffer? {
        let view = buffer.readableBytesView
        let start = max(0, scannedBytes - delimiter.count + 1)
        if let location = Self.find(delimiter, in: view, from: start) {
            let end = location + delimiter.count
            try checkMaxBytes(end, maxBytes) { "delimiter \(Self.describe(delimiter)) not found within \($0) bytes" }
            return take(end)
        }
        scannedBytes = view.count
        try checkMaxBytes(view.count, maxBytes) { "delimiter \(Self.describe(delimiter)) not found within \($0) bytes" }
        return nil
    }

    private func takeUntil(byte: UInt8, maxBytes: Int?) throws -> ByteBuffer? {
        let found = buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard let base = bytes.baseAddress, scannedBytes < bytes.count,
                let hit = memchr(base + scannedBytes, Int32(byte), bytes.count - scannedBytes)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
        if let location = found {
            try checkMaxBytes(location + 1, maxBytes) {
                "delimiter \(Self.describe([byte])) not found within \($0) bytes"
            }
            return take(location + 1)
        }
        scannedBytes = buffer.readableBytes
        try checkMaxBytes(scannedBytes, maxBytes) { "delimiter \(Self.describe([byte])) not found within \($0) bytes" }
        return nil
    }

    private func takeUntilMatch(_ matcher: ByteMatcher, maxBytes: Int?) throws -> ByteBuffer? {
        let view = buffer.readableBytesView
        if let end = matcher.matchEnd(view) {
            try checkMaxBytes(end, maxBytes) { "regex \(matcher.description) not matched within \($0) bytes" }
            return take(end)
        }
        try checkMaxBytes(view.count, maxBytes) { "regex \(matcher.description) not matched within \($0) bytes" }
        return nil
    }

    private func checkMaxBytes(_ size: Int, _ maxBytes: Int?, message: (Int) -> String) throws {
        guard let maxBytes, size > maxBytes else { return }
        let error = UnsatisfiableReadError(message(maxBytes))
        close(error: error)
        throw error
    }

    /// The offset of the first `delimiter` in `view` at or after `start`.
    static func find(_ delimiter: [UInt8], in view: ByteBufferView, from start: Int) -> Int? {
        guard let first = delimiter.first else { return start <= view.count ? start : nil }
        return view.withContiguousStorageIfAvailable { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var position = start
            let lastStart = bytes.count - delimiter.count
            while position <= lastStart {
                guard let hit = memchr(base + position, Int32(first), lastStart - position + 1) else { return nil }
                let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if delimiter.indices.dropFirst().allSatisfy({ base[offset + $0] == delimiter[$0] }) {
                    return offset
                }
                position = offset + 1
            }
            return nil
        } ?? nil
    }

    private static func describe(_ bytes: [UInt8]) -> String {
        String(reflecting: String(decoding: bytes, as: UTF8.self))
    }

    // MARK: - Writes

    /// Writes and flushes `data`; ``WriteOutcome/written`` if the socket took it at once, otherwise a future that
    /// completes when it has.
    func write(_ data: ByteBuffer) throws -> WriteOutcome {
        guard !closed, let context else { throw StreamClosedError(cause: closeError) }
        lastWriteID += 1
        let id = lastWriteID
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { [self] result in
            completedWriteID = max(completedWriteID, id)
            if case .failure(let error) = result, closeError == nil, !closed { closeError = error }
        }
        context.writeAndFlush(wrapOutboundOut(data), promise: promise)
        if completedWriteID >= id {
            if closed { throw StreamClosedError(cause: closeError) }
            return .written
        }
        return .waiting(promise.futureResult)
    }

    /// The error to report for a write whose future failed.
    func writeFailure(_ error: any Error) -> StreamClosedError {
        StreamClosedError(cause: closeError ?? error)
    }

    // MARK: - Closing

    /// Closes the channel, recording `error` as the reason if none is recorded yet.
    func close(error: (any Error)?) {
        if closeError == nil { closeError = error }
        guard !closed, let context else { return }
        markClosed(error: error)
        context.close(promise: nil)
    }

    /// Calls `callback` with the close reason once the stream closes (at once, on this loop, if it already has).
    func addCloseCallback(_ callback: @escaping @Sendable ((any Error)?) -> Void) {
        if closed {
            callback(closeError)
        } else {
            closeCallbacks.append(callback)
        }
    }

    private func markClosed(error: (any Error)?) {
        guard !closed else { return }
        closed = true
        if closeError == nil { closeError = error }
        shared.markClosed(error: closeError)
        satisfyPendingRead()
        let callbacks = closeCallbacks
        closeCallbacks = []
        for callback in callbacks { callback(closeError) }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
