public import SquallMonitorProtocol

/// A confirmation or choice the dashboard shows over the current screen; every dialog's default (Enter,
/// Esc) is the harmless answer.
public enum Dialog: Sendable, Equatable {
    /// Kill one connection (`k`).
    case killConnection(ConnectionRow)
    /// Kill every connection whose request runs longer than `seconds` (`K`), after a dry run counted them.
    case killSlow(seconds: Double, count: Int)
    /// Close a WebSocket with a close code (`c`).
    case closeWebSocket(ConnectionRow, code: Int)
    /// Choose the server's log level (`L`); `selected` indexes ``DashboardModel/logLevels``.
    case setLogLevel(selected: Int)
    /// Pause (or resume) accepting connections (`P`).
    case pauseAccepting(resume: Bool)
    /// Quitting while attached in-process: stop the server, detach, or stay.
    case quitAttached
}

/// A line of text the operator types in the status line.
public struct Prompt: Sendable, Equatable {
    /// What the text is for.
    public enum Purpose: Sendable, Equatable {
        /// The filter of a tab's table or log (`/`).
        case filter(Tab)
        /// The seconds threshold for `K`.
        case killSlowSeconds
        /// The close code for `c`.
        case closeCode(ConnectionRow)
    }

    /// What the text is for.
    public var purpose: Purpose
    /// The text typed so far.
    public var text: String

    /// The largest prompt text kept.
    public static let maxLength = 200

    /// Creates a prompt.
    public init(purpose: Purpose, text: String = "") {
        self.purpose = purpose
        self.text = text
    }

    /// The label shown before the text.
    public var label: String {
        switch purpose {
        case .filter(.logs): "filter (text, status:5xx, method:GET, route:/x, level:error): "
        case .filter: "filter: "
        case .killSlowSeconds: "kill connections whose request runs longer than (seconds): "
        case .closeCode(let row): "close WebSocket \(row.id) with code: "
        }
    }
}

/// How a dashboard session ended.
public enum QuitChoice: Sendable, Equatable {
    /// The operator quit (standalone squall-top).
    case quit
    /// Attached in-process: the operator chose to stop the server.
    case stopServer
    /// Attached in-process: the operator chose to leave the server running without the dashboard.
    case detach
    /// Ctrl-C or a termination signal.
    case interrupted
}

/// The state of the link to the server, as the header shows it.
public enum LinkState: Sendable, Equatable {
    /// Connecting for the first time.
    case connecting
    /// Connected and receiving.
    case connected
    /// The link dropped or could not be made; retrying at `retryAt` (seconds, same clock as the model's).
    case retrying(reason: String, attempt: Int, retryAt: Double)
    /// A condition retrying cannot fix (wrong token, protocol mismatch).
    case failed(reason: String)
}
