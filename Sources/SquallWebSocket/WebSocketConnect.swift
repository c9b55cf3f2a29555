import NIOCore
import NIOPosix
public import SquallIO
import Synchronization

/// Opens a client WebSocket (Tornado's `websocket_connect`).
///
/// ```swift
/// let ws = try await websocketConnect("ws://127.0.0.1:8888/echo")
/// try await ws.writeMessage("hello")
/// let reply = await ws.readMessage()
/// ```
///
/// - Parameters:
///   - url: a `ws://` URL (`wss://` is refused until Squall has TLS).
///   - headers: extra request headers (for example `Origin`, `Cookie`).
///   - subprotocols: offered in `Sec-WebSocket-Protocol`; the server's choice is in
///     ``WebSocketClientConnection/selectedSubprotocol``.
///   - compressionOptions: offer permessage-deflate with these zlib settings when set.
///   - maxMessageSize: overrides ``WebSocketOptions/maxMessageSize`` when set.
///   - pingInterval: overrides ``WebSocketOptions/pingInterval`` when set.
///   - options: limits, ping timeout, observer.
///   - connectTimeout: how long connecting and the handshake may take together (Tornado: 20 s).
///   - group: the loops to run the connection on.
/// - Throws: ``WebSocketHandshakeError`` for a bad URL or a refused or malformed handshake,
///   ``SquallIO/TimeoutError`` when `connectTimeout` passes, or the connection error.
public func websocketConnect(
    _ url: String,
    headers: [(String, String)] = [],
    subprotocols: [String] = [],
    compressionOptions: WebSocketCompressionOptions? = nil,
    maxMessageSize: Int? = nil,
    pingInterval: Duration? = nil,
    options: WebSocketOptions = WebSocketOptions(),
    connectTimeout: Duration = .seconds(20),
    group: IOLoopGroup = .shared
) async throws -> WebSocketClientConnection {
    let target = try WebSocketURL(url)
    var options = options
    if let maxMessageSize { options.maxMessageSize = maxMessageSize }
    if let pingInterval { options.pingInterval = pingInterval }
    let key = WebSocketHandshake.makeKey()
    var request = "GET \(target.resource) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nUpgrade: websocket\r\n"
    request += "Connection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
    if !subprotocols.isEmpty { request += "Sec-WebSocket-Protocol: \(subprotocols.joined(separator: ", "))\r\n" }
    if compressionOptions != nil { request += "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" }
    for (name, value) in headers {
        let unsafe: (UInt8) -> Bool = { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
        guard !name.utf8.contains(where: unsafe), !value.utf8.contains(where: unsafe) else {
            throw WebSocketHandshakeError("header \(String(reflecting: name)) contains a newline or NUL")
        }
        request += "\(name): \(value)\r\n"
    }
    request += "\r\n"
    let loop = group.next()
    let started = NIODeadline.now()
    let expectedAccept = WebSocketHandshake.acceptValue(forKey: key)
    let path = target.resource
    let handshakeOptions = options
    let requestHead = request
    // One handshake handler per channel: NIO may try more than one address (IPv6, then IPv4) and every attempt
    // gets its own pipeline. The winner's handshake is found by its channel; a losing or failed attempt's
    // handler fails its own promise when its pipeline is torn down.
    let handshakes = Mutex<[ObjectIdentifier: EventLoopFuture<WebSocketClientConnection>]>([:])
    let bootstrap = ClientBootstrap(group: loop.eventLoop)
        .connectTimeout(TimeAmount(connectTimeout))
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let handshake = ClientHandshakeHandler(
                    request: requestHead,
                    expectedAccept: expectedAccept,
                    subprotocols: subprotocols,
                    compression: compressionOptions,
                    options: handshakeOptions,
                    path: path,
                    eventLoop: channel.eventLoop
                )
                try channel.pipeline.syncOperations.addHandler(handshake)
                handshakes.withLock { $0[ObjectIdentifier(channel)] = handshake.result }
            }
        }
    let channel: any Channel
    do {
        channel = try await bootstrap.connect(host: target.host, port: target.port).get()
    } catch let error as ChannelError {
        if case .connectTimeout = error { throw TimeoutError(operation: "WebSocket connect", timeout: connectTimeout) }
        throw error
    }
    guard let result = handshakes.withLock({ $0[ObjectIdentifier(channel)] }) else {
        channel.close(promise: nil)
        throw WebSocketHandshakeError("the connection has no handshake handler")
    }
    // Connecting and the handshake share the one timeout.
    let left = connectTimeout - Duration.nanoseconds((NIODeadline.now() - started).nanoseconds)
    let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(max(left, .milliseconds(1)))) {
        channel.pipeline.handler(type: ClientHandshakeHandler.self).whenSuccess { handshake in
            handshake.timedOut(channel, after: connectTimeout)
        }
    }
    defer { deadline.cancel() }
    return try await result.get()
}

/// Raised when a WebSocket handshake cannot be made or is refused.
public struct WebSocketHandshakeError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public var description: String
    /// The HTTP status the server answered with, when it answered but did not switch protocols.
    public var status: Int?

    /// Creates the error.
    public init(_ description: String, status: Int? = nil) {
        self.description = description
        self.status = status
    }
}

/// A `ws://` URL taken apart.
struct WebSocketURL {
    var host: String
    var port: Int
    var resource: String
    var hostHeader: String

    init(_ url: String) throws {
        let lower = url.lowercased()
        guard lower.hasPrefix("ws://") else {
            if lower.hasPrefix("wss://") { throw WebSocketHandshakeError("wss:// needs TLS, which Squall lacks so far") }
            throw WebSocketHandshakeError("not a ws:// URL: \(url)")
        }
        let rest = url.dropFirst(5)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var resource = String(rest[authority.endIndex...].prefix { $0 != "#" })
        if resource.isEmpty || resource.hasPrefix("?") { resource = "/" + resource }
        self.resource = resource
        hostHeader = String(authority)
        var hostPart = Substring(authority)
        var port = 80
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw WebSocketHandshakeError("bad host in \(url)") }
            let after = hostPart[hostPart.index(after: close)...]
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()) else { throw WebSocketHandshakeError("bad port in \(url)") }
                port = number
            }
        } else if let colon = hostPart.lastIndex(of: ":") {
            guard let number = Int(hostPart[hostPart.index(after: colon)...]) else {
                throw WebSocketHandshakeError("bad port in \(url)")
            }
            port = number
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty, (1...65535).contains(port) else { throw WebSocketHandshakeError("bad URL \(url)") }
        host = String(hostPart)
        self.port = port
    }
}

/// Process-unique ids for client connections, as the observer sees them.
enum ClientConnectionIDs {
    static let last = Atomic<Int>(0)

    static func next() -> Int { last.wrappingAdd(1, ordering: .relaxed).newValue }
}
