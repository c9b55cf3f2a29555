import DequeModule
public import NIOCore
import Synchronization

/// A client WebSocket returned by ``websocketConnect(_:headers:subprotocols:compressionOptions:options:connectTimeout:group:)``
/// (Tornado's `WebSocketClientConnection`).
///
/// Read with ``readMessage()`` (`nil` once closed) or iterate it as an `AsyncSequence`; write with
/// ``writeMessage(_:)``. Messages are handed over one at a time: while the application does not read, the
/// connection stops reading from its socket, so a fast server cannot fill memory.
public final class WebSocketClientConnection: WebSocketConnectionDelegate, AsyncSequence, Sendable {
    /// Messages, ending when the connection closes.
    public typealias Element = WebSocketMessage

    private struct State {
        var messages = Deque<WebSocketMessage>()
        var reader: CheckedContinuation<WebSocketMessage?, Never>?
        var producer: CheckedContinuation<Void, Never>?
        var closed = false
        var pings = 0
        var pongs = 0
    }

    private let state = Mutex(State())
    private let connection = Mutex<WebSocketConnection?>(nil)
    /// The subprotocol the server chose, if any.
    public let selectedSubprotocol: String?
    /// The `Sec-WebSocket-Extensions` the server answered with, if any.
    public let extensions: String?

    init(selectedSubprotocol: String?, extensions: String?) {
        self.selectedSubprotocol = selectedSubprotocol
        self.extensions = extensions
    }

    func attach(_ connection: WebSocketConnection) {
        self.connection.withLock { $0 = connection }
    }

    private var protocolConnection: WebSocketConnection? { connection.withLock { $0 } }

    /// The code of the server's close frame, if it sent one.
    public var closeCode: Int? { closed.code }

    /// The reason of the server's close frame, if it sent one.
    public var closeReason: String? { closed.reason }

    private let closedState = Mutex<(code: Int?, reason: String?)>((nil, nil))
    private var closed: (code: Int?, reason: String?) { closedState.withLock { $0 } }

    // MARK: - Reading

    /// The next message, waiting for it; `nil` once the connection is closed and every message was read.
    public func readMessage() async -> WebSocketMessage? {
        await withCheckedContinuation { continuation in
            let (message, producer, done) = state.withLock {
                state -> (WebSocketMessage?, CheckedContinuation<Void, Never>?, Bool) in
                if let message = state.messages.popFirst() {
                    defer { state.producer = nil }
                    return (message, state.producer, false)
                }
                if state.closed { return (nil, nil, true) }
                state.reader = continuation
                return (nil, nil, false)
            }
            producer?.resume()
            if let message {
                continuation.resume(returning: message)
            } else if done {
                continuation.resume(returning: nil)
            }
        }
    }

    /// Iterates the messages until the connection closes.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let connection: WebSocketClientConnection

        /// The next message, or `nil` once closed.
        public mutating func next() async -> WebSocketMessage? {
            await connection.readMessage()
        }
    }

    /// Iterates the messages until the connection closes.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(connection: self) }

    /// How many pings and pongs the server has sent (for tests and diagnostics).
    public var controlFramesReceived: (pings: Int, pongs: Int) { state.withLock { ($0.pings, $0.pongs) } }

    // MARK: - Writing

    /// Sends a message; waits while the server reads slowly.
    ///
    /// - Throws: ``WebSocketClosedError`` when closing or closed.
    public func writeMessage(_ message: WebSocketMessage) async throws {
        guard let connection = protocolConnection else { throw WebSocketClosedError() }
        try await connection.send(message)
    }

    /// Sends a text message; see ``writeMessage(_:)-(WebSocketMessage)``.
    public func writeMessage(_ text: String) async throws {
        try await writeMessage(.text(text))
    }

    /// Sends a binary message; see ``writeMessage(_:)-(WebSocketMessage)``.
    public func writeMessage(binary bytes: [UInt8]) async throws {
        try await writeMessage(.binary(ByteBuffer(bytes: bytes)))
    }

    /// Sends a ping (at most 125 bytes).
    public func ping(_ data: [UInt8] = []) async throws {
        guard let connection = protocolConnection else { throw WebSocketClosedError() }
        try await connection.ping(ByteBuffer(bytes: data))
    }

    /// Starts the closing handshake; ``readMessage()`` returns `nil` once it completes.
    public func close(code: Int? = nil, reason: String? = nil) {
        protocolConnection?.close(code: code, reason: reason)
    }

    // MARK: - WebSocketConnectionDelegate

    /// Part of the connection's protocol.
    public func webSocketOpened() async {}

    /// Hands the message to a reader, waiting until one takes it (the connection reads no further meanwhile).
    public func webSocketReceived(_ message: WebSocketMessage) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let reader = state.withLock { state -> CheckedContinuation<WebSocketMessage?, Never>? in
                if let reader = state.reader {
                    state.reader = nil
                    return reader
                }
                state.messages.append(message)
                state.producer = continuation
                return nil
            }
            if let reader {
                reader.resume(returning: message)
                continuation.resume()
            }
        }
    }

    /// Counts the ping.
    public func webSocketReceivedPing(_ data: ByteBuffer) async {
        state.withLock { $0.pings += 1 }
    }

    /// Counts the pong.
    public func webSocketReceivedPong(_ data: ByteBuffer) async {
        state.withLock { $0.pongs += 1 }
    }

    /// Ends reading: a waiting reader gets `nil`.
    public func webSocketClosed() async {
        if let connection = protocolConnection {
            closedState.withLock { $0 = (connection.closeCode, connection.closeReason) }
        }
        let reader = state.withLock { state -> CheckedContinuation<WebSocketMessage?, Never>? in
            state.closed = true
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume(returning: nil)
        connection.withLock { $0 = nil }
    }
}
