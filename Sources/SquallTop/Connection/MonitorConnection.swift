public import SquallMonitorProtocol

/// One session with a monitored server: messages in, messages out. The model and the tests depend on this,
/// not on the transport.
public protocol MonitorConnection: Sendable {
    /// The server's messages, ending when the session ends (throwing for an abnormal end).
    var messages: AsyncThrowingStream<ServerMessage, any Error> { get }
    /// Sends a message.
    func send(_ message: ClientMessage) async throws
    /// Ends the session.
    func close() async
}

/// Opens sessions (again after each drop).
public protocol MonitorConnector: Sendable {
    /// Connects and completes the WebSocket handshake.
    /// - Throws: ``MonitorConnectError`` for problems retrying cannot fix, anything else for those it may.
    func connect() async throws -> any MonitorConnection
}

/// A connection failure that retrying will not fix.
public enum MonitorConnectError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server refused the token (HTTP 401/403 on the upgrade).
    case unauthorized
    /// The server speaks another protocol version.
    case protocolMismatch(server: Int)
    /// The URL cannot be used.
    case badURL(String)

    /// A message for the operator.
    public var description: String {
        switch self {
        case .unauthorized:
            "the server refused the token (401): check --token, or that the discovery file belongs to this server"
        case .protocolMismatch(let v):
            "the server speaks monitor protocol \(v), this squall-top speaks \(MonitorProtocol.version): use the "
                + "squall-top built with the server's Squall version"
        case .badURL(let reason):
            "bad monitor URL: \(reason)"
        }
    }

    /// The process exit code for this failure.
    public var exitCode: Int32 {
        switch self {
        case .unauthorized: 3
        case .protocolMismatch: 4
        case .badURL: 2
        }
    }
}
