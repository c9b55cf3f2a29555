public import SquallMonitorProtocol

/// The checks squall-top runs on each update, like tokio-console's lints.
public enum WarningKind: String, Sendable, CaseIterable {
    /// An event loop's lag passed a threshold.
    case loopLag = "loop-lag"
    /// A request has been running longer than a threshold.
    case slowRequest = "slow-request"
    /// A connection idle for long holds a slot.
    case idleConnection = "idle-connection"
    /// A WebSocket's outgoing queue is backing up.
    case webSocketBackpressure = "ws-backpressure"
    /// A route's recent error rate jumped above its usual one.
    case errorRateJump = "error-rate-jump"

    /// Why the check matters and what to do.
    public var explanation: String {
        switch self {
        case .loopLag:
            "Something blocks this event loop (CPU-bound or blocking code in a handler); every connection on "
                + "the loop waits. The worst route shown ran when the lag was measured."
        case .slowRequest:
            "A request has run for a long time: a slow backend, a missing timeout, or a stuck handler. Kill it "
                + "with k, or all such with K."
        case .idleConnection:
            "A keep-alive connection has moved no bytes for a long time but holds a file descriptor and "
                + "memory. Lower idle_connection_timeout, or kill it with k."
        case .webSocketBackpressure:
            "The server writes to this WebSocket faster than the peer reads; its queue grows in memory. The "
                + "client may be slow or gone: close it with c."
        case .errorRateJump:
            "This route's share of 5xx answers over the last seconds is far above its long-run share: look "
                + "at the Logs tab with the filter route:<route> status:5xx."
        }
    }
}

/// How bad a warning is.
public enum Severity: Int, Sendable, Comparable {
    /// Worth a look.
    case warning = 1
    /// Needs action.
    case critical = 2

    /// Orders warnings before criticals.
    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}

/// One finding of a check.
public struct Warning: Sendable, Equatable {
    /// Which check.
    public var kind: WarningKind
    /// How bad.
    public var severity: Severity
    /// What it is about (`loop 2`, `conn 17 127.0.0.1:5000`, `GET /api`).
    public var subject: String
    /// The figure that tripped it, with the threshold.
    public var detail: String
    /// The connection concerned, if any (so the operator can act on it).
    public var connectionID: Int?

    /// Creates a warning.
    public init(kind: WarningKind, severity: Severity, subject: String, detail: String, connectionID: Int? = nil) {
        self.kind = kind
        self.severity = severity
        self.subject = subject
        self.detail = detail
        self.connectionID = connectionID
    }
}

/// The thresholds of the checks, and of the header's lag colours.
public struct WarningThresholds: Sendable, Equatable {
    /// Loop lag (seconds) shown as warning.
    public var loopLagWarning: Double = 0.02
    /// Loop lag (seconds) shown as critical.
    public var loopLagCritical: Double = 0.1
    /// A request running longer (seconds) is slow.
    public var slowRequest: Double = 10
    /// A keep-alive connection idle longer (seconds) is flagged.
    public var idleConnection: Double = 300
    /// WebSocket queued bytes that count as backing up.
    public var queuedBytes: Int = 1 << 20
    /// The recent 5xx share a route must reach to be flagged.
    public var errorRateMinimum: Double = 0.05
    /// How many times its long-run share the recent share must be.
    public var errorRateJumpFactor: Double = 3
    /// How many recent requests a route needs before its error rate counts.
    public var errorRateMinimumRequests: Int = 10

    /// Default thresholds.
    public init() {}

    /// The role for a lag value.
    public func role(forLag lag: Double) -> Role {
        lag >= loopLagCritical ? .critical : lag >= loopLagWarning ? .warning : .ok
    }
}

/// Runs the checks.
public enum Warnings {
    /// The findings for `snapshot`; `errorRates` supplies recent per-route error shares.
    public static func compute(
        snapshot: Snapshot,
        errorRates: ErrorRateTracker,
        thresholds t: WarningThresholds
    ) -> [Warning] {
        var out: [Warning] = []
        for loop in snapshot.loops where loop.current >= t.loopLagWarning || loop.max >= t.loopLagCritical {
            let worst = max(loop.current, loop.max)
            let route = loop.worstRoute.map { ", worst during \($0)" } ?? ""
            out.append(
                Warning(
                    kind: .loopLag,
                    severity: worst >= t.loopLagCritical ? .critical : .warning,
                    subject: "loop \(loop.index)",
                    detail: "lag \(Format.duration(loop.current)) now, max \(Format.duration(loop.max)) "
                        + "(threshold \(Format.duration(t.loopLagWarning)))\(route)"
                )
            )
        }
        var seen = Set<Int>()
        for row in snapshot.connections.rows + snapshot.webSockets.rows where seen.insert(row.id).inserted {
            guard row.state != .closed, row.closedAgo == nil else { continue }
            if let request = row.current, request.elapsed >= t.slowRequest {
                out.append(
                    Warning(
                        kind: .slowRequest,
                        severity: request.elapsed >= t.slowRequest * 3 ? .critical : .warning,
                        subject: "conn \(row.id) \(row.peer)",
                        detail: "\(request.method) \(request.path) running \(Format.duration(request.elapsed)) "
                            + "(threshold \(Format.duration(t.slowRequest)))",
                        connectionID: row.id
                    )
                )
            }
            if row.state == .idle, row.idle >= t.idleConnection {
                out.append(
                    Warning(
                        kind: .idleConnection,
                        severity: .warning,
                        subject: "conn \(row.id) \(row.peer)",
                        detail: "idle \(Format.duration(row.idle)) (threshold \(Format.duration(t.idleConnection)))",
                        connectionID: row.id
                    )
                )
            }
            if let ws = row.webSocket, ws.queuedBytes >= t.queuedBytes {
                out.append(
                    Warning(
                        kind: .webSocketBackpressure,
                        severity: ws.queuedBytes >= t.queuedBytes * 8 ? .critical : .warning,
                        subject: "ws \(row.id) \(ws.path)",
                        detail: "\(Format.bytes(ws.queuedBytes)) queued (threshold \(Format.bytes(t.queuedBytes)))",
                        connectionID: row.id
                    )
                )
            }
        }
        for jump in errorRates.jumps(thresholds: t) {
            out.append(
                Warning(
                    kind: .errorRateJump,
                    severity: jump.recent >= 0.5 ? .critical : .warning,
                    subject: "\(jump.method) \(jump.route)",
                    detail: "5xx \(Format.percent(jump.recent)) of the last \(jump.requests) requests, "
                        + "usually \(Format.percent(jump.baseline))"
                )
            )
        }
        return out.sorted { ($0.severity, $0.kind.rawValue) > ($1.severity, $1.kind.rawValue) }
    }
}
