/// The dashboard's screens, in tab order.
public enum Tab: Int, Sendable, CaseIterable, Equatable {
    /// Live TCP connections.
    case connections
    /// Open WebSockets and their frame tails.
    case webSockets
    /// Per-route latencies.
    case handlers
    /// Event-loop lag.
    case loops
    /// The request and application log.
    case logs
    /// Client-side checks (lints) on the server's state.
    case warnings

    /// The tab's title.
    public var title: String {
        switch self {
        case .connections: "Connections"
        case .webSockets: "WebSockets"
        case .handlers: "Handlers"
        case .loops: "Loops"
        case .logs: "Logs"
        case .warnings: "Warnings"
        }
    }

    /// The digit key that jumps to this tab (`1`…`6`).
    public var digit: Character {
        Character(String(rawValue + 1))
    }
}
