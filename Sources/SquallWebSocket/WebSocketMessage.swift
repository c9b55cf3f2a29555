public import NIOCore

/// One complete WebSocket data message: text (valid UTF-8) or binary.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message.
    case text(String)
    /// A binary message.
    case binary(ByteBuffer)

    /// The message's payload size in bytes.
    public var size: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let bytes): bytes.readableBytes
        }
    }

    /// The text of a text message; `nil` for binary.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The bytes of the message (UTF-8 for text).
    public var bytes: [UInt8] {
        switch self {
        case .text(let text): Array(text.utf8)
        case .binary(let buffer): Array(buffer.readableBytesView)
        }
    }
}

/// Close codes of RFC 6455 section 7.4.1, as plain integers (Tornado passes them as `int`).
public enum WebSocketCloseCode {
    /// 1000: the purpose of the connection was fulfilled.
    public static let normal = 1000
    /// 1001: the endpoint is going away (server shutting down, page closed).
    public static let goingAway = 1001
    /// 1002: the peer broke the protocol.
    public static let protocolError = 1002
    /// 1003: a message of a type the endpoint cannot accept.
    public static let unsupportedData = 1003
    /// 1007: a text message that is not valid UTF-8.
    public static let invalidPayload = 1007
    /// 1008: a message that violates the endpoint's policy (also: a broadcast client too slow to keep up).
    public static let policyViolation = 1008
    /// 1009: a message larger than the endpoint accepts.
    public static let messageTooBig = 1009
    /// 1010: the client needed an extension the server did not negotiate.
    public static let mandatoryExtension = 1010
    /// 1011: the server met an unexpected condition.
    public static let internalError = 1011

    /// Whether `code` may appear in a close frame on the wire (1000–1003, 1007–1014, 3000–4999).
    public static func isValidOnWire(_ code: Int) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
