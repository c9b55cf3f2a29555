// squall-demo: a small real Squall application that exercises everything the dashboard shows: Tornado's chat
// demo (a WebSocket chat room and the long-polling chat), a page rendered from templates with static files, a
// JSON API, a slow endpoint and one that blocks its loop, with the built-in monitor on.
//
//   swift run squall-demo                 serve on http://127.0.0.1:8888/ with the monitor on
//   swift run squall-demo --port 0        a free port (printed)
import ArgumentParser
import Foundation
import Logging
import Squall
import SquallTop

@main
struct SquallDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "squall-demo",
        abstract: "The Squall demo server: chat (WebSocket and long polling), templates, a JSON API, slow and blocking endpoints, with the monitor on."
    )

    @Option(help: "The port to serve on (0 picks a free one).")
    var port = 8888

    @Option(help: "The address to serve on.")
    var address = "127.0.0.1"

    @Option(help: "The monitor's admin port (0 picks a free one).")
    var monitorPort = 0

    @Option(help: "A fixed monitor token instead of a random one.")
    var token: String?

    @Flag(help: "Refuse dashboard commands (watch only).")
    var readOnly = false

    @Flag(help: "Start squall-top in this terminal, attached to this server; its log goes to the Logs screen.")
    var attach = false

    @Option(help: "Where the log goes after detaching from the dashboard.")
    var logFile = "squall-demo.log"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (0...65535).contains(monitorPort) else { throw ValidationError("--monitor-port must be from 0 to 65535") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in MonitorLogHandler(label: label) }
        Monitor.bootstrapMetrics()
        let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources")
        var settings = Settings()
        settings.templatePath = resources.appendingPathComponent("templates").path
        settings.staticPath = resources.appendingPathComponent("static").path
        settings.cookieSecret = .single(Self.randomSecret())
        settings.xsrfCookies = true
        var monitor = MonitorSettings()
        monitor.port = monitorPort
        monitor.token = token
        monitor.readOnly = readOnly
        monitor.programName = "squall-demo"
        settings.monitor = monitor
        let app = Application(
            rules: [
                try url("/", MainHandler.self, name: "main"),
                try url("/chatsocket", ChatSocketHandler.self, name: "chatsocket"),
                try url("/a/message/new", MessageNewHandler.self, name: "message-new"),
                try url("/a/message/updates", MessageUpdatesHandler.self, name: "message-updates"),
                try url("/api/status", StatusHandler.self, name: "status"),
                try url("/slow", SlowHandler.self, name: "slow"),
                try url("/block", BlockHandler.self, name: "block"),
            ],
            settings: settings
        )
        let server = try await app.listen(port, address: address)
        let logger = Logger(label: "squall-demo")
        let served = server.port ?? port
        say("squall-demo: serving http://\(address):\(served)/")
        if let admin = app.monitor, let url = admin.adminURL {
            say("monitor: \(url) token=\(admin.token)")
            say("metrics: curl -H 'Authorization: Bearer \(admin.token)' \(admin.adminHTTPURL ?? "")/metrics")
        }
        logger.info("ready")
        if attach, let admin = app.monitor, let url = admin.adminURL {
            MonitorLogging.consoleMuted = true
            var options = DashboardOptions()
            options.attached = true
            let result = await Dashboard.runAttached(url: url, token: admin.token, options: options)
            switch result {
            case .quit(.detach):
                guard let handle = FileHandle(forWritingAtPath: logFile) ?? Self.createLog(logFile) else {
                    say("squall-demo: cannot write \(logFile); the log stays muted")
                    break
                }
                handle.seekToEndOfFile()
                MonitorLogging.redirect(to: handle)
                MonitorLogging.consoleMuted = false
                say("squall-demo: detached; still serving, log in \(logFile) (Ctrl-C stops)")
                await waitForTermination()
            case .quit, .failed:
                MonitorLogging.consoleMuted = false
                if case .failed(let error) = result { say("squall-demo: dashboard failed: \(error)") }
            }
        } else {
            await waitForTermination()
        }
        say("squall-demo: stopping")
        await server.stop(gracePeriod: .seconds(2))
        await app.monitor?.stop()
    }

    static func createLog(_ path: String) -> FileHandle? {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
        return FileHandle(forWritingAtPath: path)
    }

    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
    }
}

/// Writes one line to standard output at once, so the output reads in order when piped.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Returns when the process gets SIGINT or SIGTERM.
func waitForTermination() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let once = OnceFlag()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if once.claim() { continuation.resume() }
            }
            source.resume()
            SignalSources.keep(source)
        }
    }
}

/// Keeps signal sources alive for the process's life.
enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = NSLock()

    static func keep(_ source: any DispatchSourceSignal) {
        lock.lock()
        sources.append(source)
        lock.unlock()
    }
}

/// A flag that is claimed once, from any thread.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}
