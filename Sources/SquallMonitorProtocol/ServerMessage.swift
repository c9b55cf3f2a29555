import Foundation

/// A message from the server to a dashboard client: `{"type": "...", "data": {...}}`.
public enum ServerMessage: Codable, Sendable, Equatable {
    /// First message of a session: who the server is.
    case hello(Hello)
    /// The full state, once after `hello` and on each new subscription.
    case snapshot(Snapshot)
    /// The periodic state at the subscribed rate (latest wins when the client is slow).
    case update(Snapshot)
    /// Log entries matching the client's filter.
    case logs(LogBatch)
    /// Frames of the WebSocket the client tails.
    case frames(FrameBatch)
    /// A command was carried out.
    case ack(CommandAck)
    /// A command failed, or a client message was not understood.
    case error(ErrorReply)

    private enum CodingKeys: String, CodingKey { case type, data }

    /// The message's `type` on the wire.
    public var type: String {
        switch self {
        case .hello: "hello"
        case .snapshot: "snapshot"
        case .update: "update"
        case .logs: "logs"
        case .frames: "frames"
        case .ack: "ack"
        case .error: "error"
        }
    }

    /// Decodes a message by its `type`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "hello": self = .hello(try c.decode(Hello.self, forKey: .data))
        case "snapshot": self = .snapshot(try c.decode(Snapshot.self, forKey: .data))
        case "update": self = .update(try c.decode(Snapshot.self, forKey: .data))
        case "logs": self = .logs(try c.decode(LogBatch.self, forKey: .data))
        case "frames": self = .frames(try c.decode(FrameBatch.self, forKey: .data))
        case "ack": self = .ack(try c.decode(CommandAck.self, forKey: .data))
        case "error": self = .error(try c.decode(ErrorReply.self, forKey: .data))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown type '\(type)'")
        }
    }

    /// Encodes the message with its `type` and `data`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .hello(let v): try c.encode(v, forKey: .data)
        case .snapshot(let v): try c.encode(v, forKey: .data)
        case .update(let v): try c.encode(v, forKey: .data)
        case .logs(let v): try c.encode(v, forKey: .data)
        case .frames(let v): try c.encode(v, forKey: .data)
        case .ack(let v): try c.encode(v, forKey: .data)
        case .error(let v): try c.encode(v, forKey: .data)
        }
    }
}

/// A message from a dashboard client to the server.
public enum ClientMessage: Codable, Sendable, Equatable {
    /// Replace the subscription (rate, views, table queries, log filter, detail streams).
    case subscribe(Subscription)
    /// Ask for one `snapshot` now.
    case snapshot
    /// Run a command.
    case command(Command)

    private enum CodingKeys: String, CodingKey { case type, data }

    /// The message's `type` on the wire.
    public var type: String {
        switch self {
        case .subscribe: "subscribe"
        case .snapshot: "snapshot"
        case .command: "command"
        }
    }

    /// Decodes a message by its `type`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "subscribe": self = .subscribe(try c.decode(Subscription.self, forKey: .data))
        case "snapshot": self = .snapshot
        case "command": self = .command(try c.decode(Command.self, forKey: .data))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown type '\(type)'")
        }
    }

    /// Encodes the message with its `type` and `data`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .subscribe(let v): try c.encode(v, forKey: .data)
        case .snapshot: break
        case .command(let v): try c.encode(v, forKey: .data)
        }
    }
}

/// Encodes and decodes protocol messages as the JSON text the WebSocket carries.
public enum MonitorCodec {
    /// The JSON text of a message (keys sorted, so output is stable).
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf",
            negativeInfinity: "-inf",
            nan: "nan"
        )
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a message from JSON text; throws `DecodingError` with the path of the bad field.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf",
            negativeInfinity: "-inf",
            nan: "nan"
        )
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// A one-line description of a decoding error, naming the field path (for `error` replies).
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at '\(p)'"
        }
        switch error {
        case .dataCorrupted(let c): return "malformed JSON\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "missing field '\(key.stringValue)'\(path(c))"
        case .typeMismatch(_, let c): return "wrong type\(path(c)): \(c.debugDescription)"
        case .valueNotFound(_, let c): return "missing value\(path(c))"
        @unknown default: return "\(error)"
        }
    }
}
