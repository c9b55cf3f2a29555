/// Where a log entry came from.
public enum LogKind: String, Codable, Sendable {
    /// A finished HTTP request (the access log).
    case request
    /// An application log record (swift-log).
    case app
    /// A monitor audit line (a command someone ran).
    case audit
}

/// One line of the request or application log.
public struct LogEntry: Codable, Sendable, Equatable {
    /// A number increasing by one per entry across the server's run, so a client sees gaps.
    public var seq: Int
    /// When, in seconds since 1970.
    public var time: Double
    /// The kind of entry.
    public var kind: LogKind
    /// The level (`trace` … `critical`); requests log `info`, `warning` for 4xx and `error` for 5xx.
    public var level: String
    /// The text: for requests, Tornado's access line (`200 GET /path (127.0.0.1) 1.23ms`).
    public var message: String
    /// Request fields (only for `request` entries).
    public var method: String?
    /// The request URI.
    public var uri: String?
    /// The matched route.
    public var route: String?
    /// The response status.
    public var status: Int?
    /// Seconds the request took.
    public var duration: Double?
    /// Response bytes.
    public var bytes: Int?
    /// The client's address.
    public var remoteIP: String?
    /// The connection's id.
    public var connectionID: Int?
    /// The loop's index.
    public var loop: Int?
    /// The logger label (app entries).
    public var label: String?

    /// Creates an entry.
    public init(
        seq: Int,
        time: Double,
        kind: LogKind,
        level: String,
        message: String,
        method: String? = nil,
        uri: String? = nil,
        route: String? = nil,
        status: Int? = nil,
        duration: Double? = nil,
        bytes: Int? = nil,
        remoteIP: String? = nil,
        connectionID: Int? = nil,
        loop: Int? = nil,
        label: String? = nil
    ) {
        self.seq = seq
        self.time = time
        self.kind = kind
        self.level = level
        self.message = message
        self.method = method
        self.uri = uri
        self.route = route
        self.status = status
        self.duration = duration
        self.bytes = bytes
        self.remoteIP = remoteIP
        self.connectionID = connectionID
        self.loop = loop
        self.label = label
    }
}

/// A batch of log entries for one client.
public struct LogBatch: Codable, Sendable, Equatable {
    /// The entries, oldest first.
    public var entries: [LogEntry]
    /// Entries this client has missed so far because its queue was full (cumulative).
    public var dropped: Int

    /// Creates a batch.
    public init(entries: [LogEntry], dropped: Int = 0) {
        self.entries = entries
        self.dropped = dropped
    }
}

/// One sampled WebSocket frame of a connection whose frame tail a client asked for.
public struct FrameSample: Codable, Sendable, Equatable {
    /// `in` (from the peer) or `out`.
    public var direction: String
    /// `text`, `binary`, `ping`, `pong`, `close` or `continuation`.
    public var opcode: String
    /// Payload bytes.
    public var size: Int
    /// When, in seconds since 1970.
    public var time: Double
    /// The start of the text, only when the server enables previews.
    public var preview: String?

    /// Creates a sample.
    public init(direction: String, opcode: String, size: Int, time: Double, preview: String? = nil) {
        self.direction = direction
        self.opcode = opcode
        self.size = size
        self.time = time
        self.preview = preview
    }
}

/// Recent frames of one WebSocket.
public struct FrameBatch: Codable, Sendable, Equatable {
    /// The WebSocket's connection id.
    public var connectionID: Int
    /// New frames since the last batch, oldest first.
    public var frames: [FrameSample]

    /// Creates a batch.
    public init(connectionID: Int, frames: [FrameSample]) {
        self.connectionID = connectionID
        self.frames = frames
    }
}
