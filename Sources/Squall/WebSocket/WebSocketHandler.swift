import Logging
public import NIOCore
public import SquallWebSocket

/// The base class of WebSocket handlers: Tornado's `tornado.websocket.WebSocketHandler`.
///
/// Route it like any handler and override the callbacks:
///
/// ```swift
/// final class EchoHandler: WebSocketHandler {
///     override func onMessage(_ message: WebSocketMessage) async throws {
///         try await writeMessage(message)
///     }
/// }
/// let app = try Application([(#"/echo"#, EchoHandler.self)])
/// ```
///
/// A GET with a valid RFC 6455 handshake is upgraded: ``open()`` runs first (with ``pathArgs`` set), then
/// ``onMessage(_:)`` once per message, in order and one at a time, then ``onClose()`` once the connection is
/// gone, with ``closeCode`` and ``closeReason`` from the peer's close frame. Bad handshakes are answered with
/// 400 (or 426 for an unsupported version) and a reason; a cross-origin request that ``checkOrigin(_:)``
/// refuses gets 403.
///
/// Limits come from the application's ``Settings`` (``Settings/websocketMaxMessageSize``, ping interval and
/// timeout); permessage-deflate is used when ``getCompressionOptions()`` returns options and the client offers
/// it. Like every handler, an instance lives on its connection's loop: do not hand it to other tasks, except
/// through ``writeMessage(_:)`` and ``close(code:reason:)``, which may be called from anywhere.
open class WebSocketHandler: RequestHandler, WebSocketConnectionDelegate, @unchecked Sendable {
    /// The protocol connection once open; `nil` before the handshake.
    public internal(set) var webSocketConnection: WebSocketConnection?
    /// The subprotocol chosen by ``selectSubprotocol(_:)``, if any.
    public internal(set) var selectedSubprotocol: String?

    /// WebSockets answer GET only; other methods get 405.
    open override class var supportedMethods: [String] { ["GET"] }

    /// Upgrades the request to a WebSocket (Tornado's `WebSocketHandler.get`); see the class description.
    public override final func get() async throws {
        try await upgradeToWebSocket()
    }

    // MARK: - Callbacks to override

    /// Runs when the connection opens, before any message (Tornado's `open(*args)`); the route's groups are in
    /// ``pathArgs`` and ``pathKwargs``. Throwing closes the connection with 1011.
    open func open() async throws {}

    /// Handles one message; the next is delivered only after this returns. Throwing closes the connection
    /// with 1011, as an uncaught error does in Tornado.
    open func onMessage(_ message: WebSocketMessage) async throws {}

    /// Runs once the connection is closed (Tornado's `on_close`); ``closeCode`` and ``closeReason`` say how.
    open func onClose() async {}

    /// Runs when a ping arrives; the pong has already been sent.
    open func onPing(_ data: [UInt8]) async {}

    /// Runs when a pong arrives.
    open func onPong(_ data: [UInt8]) async {}

    /// Chooses one of the client's subprotocols (Tornado's `select_subprotocol`); the default chooses none.
    open func selectSubprotocol(_ subprotocols: [String]) -> String? { nil }

    /// Whether a WebSocket may be opened from `origin` (Tornado's `check_origin`); the default accepts only
    /// the request's own host, so other sites' pages cannot open WebSockets with the user's cookies.
    ///
    /// Override it to allow other origins; returning `true` for all of them is only safe for WebSockets that
    /// do not authenticate with cookies.
    open func checkOrigin(_ origin: String) -> Bool {
        guard let host = Self.host(ofOrigin: origin) else { return false }
        return host == request.host.lowercased()
    }

    /// The compression this handler accepts (Tornado's `get_compression_options`); `nil` (the default) turns
    /// permessage-deflate off.
    open func getCompressionOptions() -> WebSocketCompressionOptions? { nil }

    // MARK: - State

    /// The code of the peer's close frame, if it sent one.
    public var closeCode: Int? { webSocketConnection?.closeCode }

    /// The reason of the peer's close frame, if it sent one.
    public var closeReason: String? { webSocketConnection?.closeReason }

    /// The largest message accepted (``Settings/websocketMaxMessageSize``, Tornado's `max_message_size`).
    open var maxMessageSize: Int { settings.websocketMaxMessageSize }

    /// How often to ping the client (``Settings/websocketPingInterval``).
    open var pingInterval: Duration? { settings.websocketPingInterval }

    /// How long a ping may go unanswered (``Settings/websocketPingTimeout``).
    open var pingTimeout: Duration? { settings.websocketPingTimeout }

    // MARK: - Sending

    /// Sends a text message; waits while the client reads slowly.
    ///
    /// - Throws: ``SquallWebSocket/WebSocketClosedError`` when the connection is closing or closed.
    public func writeMessage(_ text: String) async throws {
        try await writeMessage(.text(text))
    }

    /// Sends a binary message; waits while the client reads slowly.
    public func writeMessage(binary bytes: [UInt8]) async throws {
        try await writeMessage(.binary(ByteBuffer(bytes: bytes)))
    }

    /// Sends a message; waits while the client reads slowly.
    public func writeMessage(_ message: WebSocketMessage) async throws {
        guard let webSocketConnection else { throw WebSocketClosedError() }
        try await webSocketConnection.send(message)
    }

    /// Sends a ping (at most 125 bytes of data).
    public func ping(_ data: [UInt8] = []) async throws {
        guard let webSocketConnection else { throw WebSocketClosedError() }
        try await webSocketConnection.ping(ByteBuffer(bytes: data))
    }

    /// Starts the closing handshake (Tornado's `close(code, reason)`); ``onClose()`` runs once it completes.
    public func close(code: Int? = nil, reason: String? = nil) {
        webSocketConnection?.close(code: code, reason: reason)
    }

    // MARK: - WebSocketConnectionDelegate

    /// Runs ``open()``; part of the connection's protocol, not for overriding.
    public func webSocketOpened() async {
        do {
            try await open()
        } catch {
            logError(error, in: "open")
            close(code: WebSocketCloseCode.internalError, reason: "internal error")
        }
    }

    /// Runs ``onMessage(_:)``; part of the connection's protocol, not for overriding.
    public func webSocketReceived(_ message: WebSocketMessage) async {
        do {
            try await onMessage(message)
        } catch {
            logError(error, in: "onMessage")
            close(code: WebSocketCloseCode.internalError, reason: "internal error")
        }
    }

    /// Runs ``onPing(_:)``; part of the connection's protocol, not for overriding.
    public func webSocketReceivedPing(_ data: ByteBuffer) async {
        await onPing(Array(data.readableBytesView))
    }

    /// Runs ``onPong(_:)``; part of the connection's protocol, not for overriding.
    public func webSocketReceivedPong(_ data: ByteBuffer) async {
        await onPong(Array(data.readableBytesView))
    }

    /// Runs ``onClose()`` and ``RequestHandler/onFinish()``; part of the connection's protocol.
    public func webSocketClosed() async {
        await onClose()
        onFinish()
    }

    private func logError(_ error: any Error, in callback: String) {
        application.appLog.error(
            "Uncaught error in WebSocket \(callback) \(requestSummary): \(String(reflecting: error))",
            metadata: ["squall.request.route": .string(route)]
        )
    }

    /// The lower-cased host (with port) of an `Origin` value such as `https://example.com:8080`.
    static func host(ofOrigin origin: String) -> String? {
        let parts = origin.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        // "scheme:", "", "host[:port]", ...
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty else { return nil }
        let host = parts[2]
        return host.isEmpty ? nil : host.lowercased()
    }
}
