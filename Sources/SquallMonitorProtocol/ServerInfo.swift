/// Who the monitored server is; sent once in ``Hello``.
public struct ServerInfo: Codable, Sendable, Equatable {
    /// The program name (e.g. `squall-demo`).
    public var program: String
    /// The process id.
    public var pid: Int32
    /// Squall's version.
    public var version: String
    /// The application's listening addresses, as `ip:port`.
    public var addresses: [String]
    /// When the server started, in seconds since 1970.
    public var startedAt: Double
    /// How many event loops serve the application.
    public var loops: Int
    /// Whether the server refuses commands (a read-only monitor).
    public var readOnly: Bool
    /// Whether WebSocket frame previews may include message text.
    public var framePreviews: Bool

    /// Creates server info.
    public init(
        program: String,
        pid: Int32,
        version: String,
        addresses: [String],
        startedAt: Double,
        loops: Int,
        readOnly: Bool = false,
        framePreviews: Bool = false
    ) {
        self.program = program
        self.pid = pid
        self.version = version
        self.addresses = addresses
        self.startedAt = startedAt
        self.loops = loops
        self.readOnly = readOnly
        self.framePreviews = framePreviews
    }
}

/// The first message on every dashboard session.
public struct Hello: Codable, Sendable, Equatable {
    /// The server's protocol version (``MonitorProtocol/version``).
    public var protocolVersion: Int
    /// The server.
    public var server: ServerInfo

    /// Creates a hello.
    public init(protocolVersion: Int = MonitorProtocol.version, server: ServerInfo) {
        self.protocolVersion = protocolVersion
        self.server = server
    }
}

/// Process-wide figures, read from the OS at each update.
public struct ProcessStats: Codable, Sendable, Equatable {
    /// Seconds since the server started.
    public var uptime: Double
    /// Resident set size in bytes.
    public var rssBytes: Int
    /// User plus system CPU time used so far, in seconds (a client derives CPU % from two updates).
    public var cpuSeconds: Double
    /// Open file descriptors.
    public var openFiles: Int

    /// Creates process figures.
    public init(uptime: Double = 0, rssBytes: Int = 0, cpuSeconds: Double = 0, openFiles: Int = 0) {
        self.uptime = uptime
        self.rssBytes = rssBytes
        self.cpuSeconds = cpuSeconds
        self.openFiles = openFiles
    }
}

/// Server-wide counters.
public struct Totals: Codable, Sendable, Equatable {
    /// Requests finished since start.
    public var requests: Int
    /// Requests finished with a 4xx status since start.
    public var clientErrors: Int
    /// Requests finished with a 5xx status since start.
    public var serverErrors: Int
    /// Requests finished per second over the last few seconds.
    public var requestRate: Double
    /// The share of requests in that window that ended 5xx (0…1).
    public var errorRate: Double
    /// Requests being handled now.
    public var activeRequests: Int
    /// Open TCP connections (WebSockets included).
    public var openConnections: Int
    /// Open WebSockets.
    public var openWebSockets: Int
    /// Connections accepted since start.
    public var acceptedConnections: Int
    /// Whether the server has paused accepting new connections.
    public var acceptingPaused: Bool

    /// Creates counters.
    public init(
        requests: Int = 0,
        clientErrors: Int = 0,
        serverErrors: Int = 0,
        requestRate: Double = 0,
        errorRate: Double = 0,
        activeRequests: Int = 0,
        openConnections: Int = 0,
        openWebSockets: Int = 0,
        acceptedConnections: Int = 0,
        acceptingPaused: Bool = false
    ) {
        self.requests = requests
        self.clientErrors = clientErrors
        self.serverErrors = serverErrors
        self.requestRate = requestRate
        self.errorRate = errorRate
        self.activeRequests = activeRequests
        self.openConnections = openConnections
        self.openWebSockets = openWebSockets
        self.acceptedConnections = acceptedConnections
        self.acceptingPaused = acceptingPaused
    }
}
