/// An action an operator asks the server to take. Targets are named by connection id, never by row position.
public enum CommandAction: Codable, Sendable, Equatable {
    /// Close a TCP connection now.
    case killConnection(id: Int)
    /// Close a WebSocket with a close frame.
    case closeWebSocket(id: Int, code: Int, reason: String)
    /// Close every connection whose current request has run longer than `requestSlowerThan` seconds, or
    /// that is older than `olderThan` seconds; with `dryRun` only count them.
    case killSlow(olderThan: Double?, requestSlowerThan: Double?, dryRun: Bool)
    /// Set the server's log level (`trace` … `critical`).
    case setLogLevel(level: String)
    /// Stop accepting new connections (existing ones continue).
    case pauseAccepting
    /// Accept new connections again.
    case resumeAccepting

    private enum CodingKeys: String, CodingKey {
        case action, id, code, reason, olderThan, requestSlowerThan, dryRun, level
    }

    /// The action's name on the wire.
    public var name: String {
        switch self {
        case .killConnection: "killConnection"
        case .closeWebSocket: "closeWebSocket"
        case .killSlow: "killSlow"
        case .setLogLevel: "setLogLevel"
        case .pauseAccepting: "pauseAccepting"
        case .resumeAccepting: "resumeAccepting"
        }
    }

    /// Decodes `{"action": "killConnection", "id": 7}` and friends.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let action = try c.decode(String.self, forKey: .action)
        switch action {
        case "killConnection":
            self = .killConnection(id: try c.decode(Int.self, forKey: .id))
        case "closeWebSocket":
            self = .closeWebSocket(
                id: try c.decode(Int.self, forKey: .id),
                code: try c.decodeIfPresent(Int.self, forKey: .code) ?? 1000,
                reason: try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
            )
        case "killSlow":
            self = .killSlow(
                olderThan: try c.decodeIfPresent(Double.self, forKey: .olderThan),
                requestSlowerThan: try c.decodeIfPresent(Double.self, forKey: .requestSlowerThan),
                dryRun: try c.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
            )
        case "setLogLevel":
            self = .setLogLevel(level: try c.decode(String.self, forKey: .level))
        case "pauseAccepting":
            self = .pauseAccepting
        case "resumeAccepting":
            self = .resumeAccepting
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .action,
                in: c,
                debugDescription: "unknown action '\(action)'"
            )
        }
    }

    /// Encodes the action as a flat object with an `action` field.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .action)
        switch self {
        case .killConnection(let id):
            try c.encode(id, forKey: .id)
        case .closeWebSocket(let id, let code, let reason):
            try c.encode(id, forKey: .id)
            try c.encode(code, forKey: .code)
            try c.encode(reason, forKey: .reason)
        case .killSlow(let olderThan, let requestSlowerThan, let dryRun):
            try c.encodeIfPresent(olderThan, forKey: .olderThan)
            try c.encodeIfPresent(requestSlowerThan, forKey: .requestSlowerThan)
            try c.encode(dryRun, forKey: .dryRun)
        case .setLogLevel(let level):
            try c.encode(level, forKey: .level)
        case .pauseAccepting, .resumeAccepting:
            break
        }
    }
}

/// A command with the client's id for it; the reply (`ack` or `error`) carries the same id.
public struct Command: Codable, Sendable, Equatable {
    /// Chosen by the client, echoed in the reply.
    public var id: Int
    /// What to do.
    public var action: CommandAction

    /// Creates a command.
    public init(id: Int, action: CommandAction) {
        self.id = id
        self.action = action
    }
}

/// The server's answer to a command that was carried out (or counted, for a dry run).
public struct CommandAck: Codable, Sendable, Equatable {
    /// The command's id.
    public var commandID: Int
    /// What happened, for the status line (e.g. `closed connection 42 (127.0.0.1:5123)`).
    public var message: String
    /// How many connections were affected or, for a dry run, would be.
    public var count: Int?
    /// The connection ids affected.
    public var ids: [Int]

    /// Creates an ack.
    public init(commandID: Int, message: String, count: Int? = nil, ids: [Int] = []) {
        self.commandID = commandID
        self.message = message
        self.count = count
        self.ids = ids
    }
}

/// An error reply: a command that failed, or a message the server could not understand.
public struct ErrorReply: Codable, Sendable, Equatable {
    /// The command's id, when the error answers a command.
    public var commandID: Int?
    /// A stable machine-readable code: `malformed`, `unknownType`, `notFound`, `readOnly`, `badArgument`,
    /// `unsupportedVersion`, `tooLarge`.
    public var code: String
    /// What went wrong, for people.
    public var message: String

    /// Creates an error reply.
    public init(commandID: Int? = nil, code: String, message: String) {
        self.commandID = commandID
        self.code = code
        self.message = message
    }
}
