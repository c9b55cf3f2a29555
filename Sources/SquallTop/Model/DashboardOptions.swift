/// Settings of a dashboard session.
public struct DashboardOptions: Sendable {
    /// Screen updates per second asked from the server (and redraws).
    public var refreshRate: Double = 4
    /// Refuse to send commands (kill, close, log level, pause).
    public var readOnly = false
    /// Running in-process next to the server: quitting asks whether to stop the server or detach.
    public var attached = false
    /// Draw with ASCII only.
    public var asciiGlyphs = false
    /// Warning thresholds.
    public var thresholds = WarningThresholds()
    /// Seconds a closed connection stays visible, dimmed.
    public var closedLinger: Double = 5
    /// Log lines kept.
    public var logCapacity = 10_000
    /// Frame samples kept for the tailed WebSocket.
    public var frameCapacity = 1_000

    /// A message for the status line at start (e.g. a theme file error), shown as an error.
    public var initialMessage: String?

    /// Default options.
    public init() {}
}
