import Foundation
public import SquallIO

/// How the built-in monitor runs: set `settings.monitor = MonitorSettings()` on an application to turn it on.
public struct MonitorSettings: Sendable {
    /// The admin listener's address; loopback by default. Another address logs a warning at start.
    public var address = "127.0.0.1"
    /// The admin listener's port; 0 picks a free one (read it from ``Monitor/adminURL``).
    public var port = 0
    /// The bearer token the admin listener requires; `nil` makes a random one per start.
    public var token: String?
    /// Browser origins allowed to talk to the admin listener (requests with any other `Origin` are refused).
    public var allowedOrigins: Set<String> = []
    /// Refuse every command (watch only).
    public var readOnly = false
    /// Let WebSocket frame samples carry the first characters of text messages (off: sizes and types only).
    public var framePreviews = false
    /// How many finished requests and log records the log ring keeps.
    public var logCapacity = 10_000
    /// How many distinct route and method pairs get their own figures; the rest share ``HandlerStats`` `(other)`.
    public var maxRoutes = 200
    /// How often each loop's lag probe runs.
    public var lagProbeInterval: Duration = .milliseconds(50)
    /// How long closed connections stay in the table (dimmed in squall-top).
    public var closedRetention: Duration = .seconds(5)
    /// Write a discovery file so squall-top finds the server without flags.
    public var discovery = true
    /// Where discovery files go; `nil`: ``SquallMonitorProtocol/Discovery/directory(environment:)``.
    public var discoveryDirectory: String?
    /// The program name the dashboard shows; `nil`: the executable's name.
    public var programName: String?
    /// The loops the application serves on, which the monitor probes and shards its tables by; `nil`:
    /// ``SquallIO/IOLoopGroup/shared``. An application listening on another group must name it here.
    public var group: IOLoopGroup?

    /// Monitor settings with the defaults: loopback, a free port, a random token, commands allowed.
    public init() {}

    /// The program name to report.
    var resolvedProgramName: String {
        programName ?? (CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "squall")
    }
}
