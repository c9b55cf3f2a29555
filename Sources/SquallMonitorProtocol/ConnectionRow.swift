/// What a connection is doing.
public enum ConnectionState: String, Codable, Sendable, CaseIterable {
    /// Keep-alive, waiting for the next request.
    case idle
    /// A request head or body is arriving.
    case reading
    /// The application's handler runs.
    case handling
    /// The response is being written.
    case writing
    /// Upgraded to a WebSocket.
    case webSocket = "websocket"
    /// Closing or closed (kept visible for a few seconds after the close).
    case closed
}

/// The request a connection is serving now.
public struct CurrentRequest: Codable, Sendable, Equatable {
    /// The HTTP method.
    public var method: String
    /// The request path (without the query).
    public var path: String
    /// The route's name or pattern, if routing has happened.
    public var route: String?
    /// Seconds the request has been running.
    public var elapsed: Double

    /// Creates a current-request record.
    public init(method: String, path: String, route: String? = nil, elapsed: Double) {
        self.method = method
        self.path = path
        self.route = route
        self.elapsed = elapsed
    }
}

/// WebSocket figures of an upgraded connection.
public struct WebSocketStats: Codable, Sendable, Equatable {
    /// The request path of the upgrade.
    public var path: String
    /// The selected subprotocol.
    public var subprotocol: String?
    /// The negotiated compression (e.g. `permessage-deflate`), if any.
    public var compression: String?
    /// Messages received.
    public var messagesIn: Int
    /// Messages sent.
    public var messagesOut: Int
    /// Payload bytes received.
    public var bytesIn: Int
    /// Payload bytes sent.
    public var bytesOut: Int
    /// Seconds since the last message either way (`nil` before the first).
    public var lastMessageAge: Double?
    /// The last measured ping round trip, in seconds.
    public var pingRTT: Double?
    /// Bytes waiting to be written to the peer.
    public var queuedBytes: Int

    /// Creates WebSocket figures.
    public init(
        path: String,
        subprotocol: String? = nil,
        compression: String? = nil,
        messagesIn: Int = 0,
        messagesOut: Int = 0,
        bytesIn: Int = 0,
        bytesOut: Int = 0,
        lastMessageAge: Double? = nil,
        pingRTT: Double? = nil,
        queuedBytes: Int = 0
    ) {
        self.path = path
        self.subprotocol = subprotocol
        self.compression = compression
        self.messagesIn = messagesIn
        self.messagesOut = messagesOut
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.lastMessageAge = lastMessageAge
        self.pingRTT = pingRTT
        self.queuedBytes = queuedBytes
    }
}

/// One row of the connection table.
public struct ConnectionRow: Codable, Sendable, Equatable, Identifiable {
    /// The connection's id: unique in the process, and the only way commands name a connection.
    public var id: Int
    /// The index of the event loop serving it.
    public var loop: Int
    /// The client's address, `ip:port`.
    public var peer: String
    /// The local address, `ip:port`.
    public var local: String
    /// What it is doing.
    public var state: ConnectionState
    /// Seconds since it was accepted.
    public var age: Double
    /// Seconds since bytes last moved either way.
    public var idle: Double
    /// Bytes received.
    public var bytesIn: Int
    /// Bytes sent.
    public var bytesOut: Int
    /// Requests served.
    public var requests: Int
    /// The request in progress, if any.
    public var current: CurrentRequest?
    /// WebSocket figures, when upgraded.
    public var webSocket: WebSocketStats?
    /// Seconds since it closed, for rows kept visible after the close.
    public var closedAgo: Double?

    /// Creates a row.
    public init(
        id: Int,
        loop: Int,
        peer: String,
        local: String,
        state: ConnectionState,
        age: Double,
        idle: Double,
        bytesIn: Int = 0,
        bytesOut: Int = 0,
        requests: Int = 0,
        current: CurrentRequest? = nil,
        webSocket: WebSocketStats? = nil,
        closedAgo: Double? = nil
    ) {
        self.id = id
        self.loop = loop
        self.peer = peer
        self.local = local
        self.state = state
        self.age = age
        self.idle = idle
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.requests = requests
        self.current = current
        self.webSocket = webSocket
        self.closedAgo = closedAgo
    }
}

/// A window of a sorted, filtered table: the rows the client shows plus the size of the whole.
public struct TablePage<Row: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// Rows matching the filter, before the limit.
    public var total: Int
    /// The offset of the first row.
    public var offset: Int
    /// The rows.
    public var rows: [Row]

    /// Creates a page.
    public init(total: Int = 0, offset: Int = 0, rows: [Row] = []) {
        self.total = total
        self.offset = offset
        self.rows = rows
    }
}
