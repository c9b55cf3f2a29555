public import Foundation
public import Logging
import SquallMonitorProtocol
import Synchronization

/// The monitor's swift-log integration: captures application log records into the monitors' log rings,
/// lets the dashboard change the log level, and can silence the terminal while squall-top is attached.
///
/// Install it once at program start:
/// ```swift
/// LoggingSystem.bootstrap { label in MonitorLogHandler(label: label) }
/// ```
public struct MonitorLogHandler: LogHandler {
    private let label: String
    private var inner: any LogHandler

    /// A handler for `label` that records into every running monitor and forwards to `inner` (by default
    /// swift-log's standard-error handler) unless the console is muted.
    public init(label: String, inner: (any LogHandler)? = nil) {
        self.label = label
        self.inner = inner ?? StreamLogHandler.standardError(label: label)
        self.inner.logLevel = .trace
    }

    /// The level shared by every `MonitorLogHandler` in the process (the dashboard's `setLogLevel` changes it).
    public var logLevel: Logger.Level {
        get { MonitorLogging.level }
        set { MonitorLogging.level = newValue }
    }

    /// Metadata added to every record of this logger.
    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    /// Records the message in the monitors' rings (except access-log lines, which monitors record with their
    /// request fields) and writes it to the inner handler unless the console is muted.
    public func log(event: LogEvent) {
        if label != "squall.access" {
            var text = "\(event.message)"
            if let metadata = event.metadata, !metadata.isEmpty {
                text += " " + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            }
            MonitorLogging.record(level: event.level, label: label, message: text)
        }
        if let file = MonitorLogging.redirectTarget {
            let line = "\(event.level) \(label): \(event.message)\n"
            file.write(Data(line.utf8))
        } else if !MonitorLogging.consoleMuted {
            inner.log(event: event)
        }
    }
}

/// Process-wide state behind ``MonitorLogHandler``.
public enum MonitorLogging {
    private struct WeakMonitor: @unchecked Sendable {
        weak var monitor: Monitor?
    }

    private static let monitors = Mutex<[WeakMonitor]>([])
    private static let levelValue = Atomic<UInt8>(2)  // info
    private static let muted = Atomic<Bool>(false)
    private static let redirected = Mutex<FileHandle?>(nil)

    /// Sends ``MonitorLogHandler`` output to a file instead of the terminal (after detaching a dashboard).
    public static func redirect(to file: FileHandle?) {
        redirected.withLock { $0 = file }
    }

    static var redirectTarget: FileHandle? { redirected.withLock { $0 } }
    private static let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]

    /// The process's log level for ``MonitorLogHandler`` loggers.
    public static var level: Logger.Level {
        get { levels[Int(levelValue.load(ordering: .relaxed)) % levels.count] }
        set { levelValue.store(UInt8(levels.firstIndex(of: newValue) ?? 2), ordering: .relaxed) }
    }

    /// Whether ``MonitorLogHandler`` loggers stop writing to the terminal (while a dashboard owns it).
    public static var consoleMuted: Bool {
        get { muted.load(ordering: .relaxed) }
        set { muted.store(newValue, ordering: .relaxed) }
    }

    static func register(_ monitor: Monitor) {
        monitors.withLock { list in
            list.removeAll { $0.monitor == nil }
            list.append(WeakMonitor(monitor: monitor))
        }
    }

    static func unregister(_ monitor: Monitor) {
        monitors.withLock { list in list.removeAll { $0.monitor == nil || $0.monitor === monitor } }
    }

    static func record(level: Logger.Level, label: String, message: String) {
        let targets = monitors.withLock { $0.compactMap(\.monitor) }
        for monitor in targets { monitor.recordLog(kind: .app, level: level, label: label, message: message) }
    }

    /// Parses a level name (`trace` … `critical`).
    public static func parseLevel(_ name: String) -> Logger.Level? {
        Logger.Level(rawValue: name.lowercased())
    }
}
