/// Constants of the monitor's wire protocol, shared by the server (SquallMonitor) and squall-top.
///
/// The protocol is JSON over a WebSocket: every message is one text frame holding one object with a `type`
/// field and a `data` field (see ``ServerMessage`` and ``ClientMessage``). docs/monitor-protocol.md describes
/// every message with an example.
public enum MonitorProtocol {
    /// The protocol version this build speaks; `hello` carries the server's, and a client refuses another major.
    public static let version = 1
    /// The WebSocket subprotocol a client offers and the server selects.
    public static let subprotocol = "squall-monitor.v1"
    /// Prefix of the second subprotocol a client may offer to carry its token where it cannot set headers:
    /// `bearer.<token>`. The server never selects it.
    public static let tokenSubprotocolPrefix = "bearer."
    /// The path of the dashboard WebSocket on the admin listener.
    public static let webSocketPath = "/ws"
    /// The default and largest update rates a client may ask for, in updates per second.
    public static let defaultRate = 4.0
    /// The largest update rate the server honours; faster requests are clamped.
    public static let maxRate = 20.0
    /// The largest number of table rows the server sends per view in one update.
    public static let maxRows = 5_000
    /// The largest client message the server accepts, in bytes.
    public static let maxClientMessageSize = 64 * 1024
}
