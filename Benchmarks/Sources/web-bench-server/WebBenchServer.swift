import HTTPBenchSupport
import Logging
import Foundation
import Squall

/// `web-bench-server`: the hello-world benchmark through the whole framework: an ``Application`` with 100
/// routes and a ``RequestHandler`` per request.
///
/// ```
/// web-bench-server [--port P] [--threads N]      # or PORT=P THREADS=N web-bench-server
/// ```
///
/// `GET /plaintext` and `GET /json` answer as in `http-bench-server`; `GET /user/<digits>` answers
/// `user <digits>` from a path argument. Those three routes are the last of 100: 97 other routes
/// (`/section<N>/item/([0-9]+)`) come first, so every request is matched against the whole table.
///
/// With `MONITOR=1` in the environment the application runs with the built-in monitor on (its admin listener on
/// loopback, token from `MONITOR_TOKEN` or random) and prints `ADMIN <port> <token>` before `READY`.
///
/// Logging is at warning level, so the access log's info lines for 2xx responses are not written: the same as
/// Tornado without logging configured (and as the shared harness runs Vapor).
@main
struct WebBenchServer {
    static let usage = """
        usage: web-bench-server [--port P] [--threads N]

        Serves GET /plaintext, /json and /user/<id> through a Squall Application with 100 routes on 127.0.0.1
        and prints 'READY <port>'. --port (else env PORT, else 0), --threads event loops (else env THREADS, else 1).
        """

    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        await runServer(name: "web-bench-server", usage: usage) { settings in
            var rules = try (0..<97).map { try url("/section\($0)/item/([0-9]+)", UserHandler.self) }
            rules.append(try url("/plaintext", PlaintextHandler.self))
            rules.append(try url("/json", JSONHandler.self))
            rules.append(try url("/user/([0-9]+)", UserHandler.self))
            let group = IOLoopGroup(loopCount: settings.threads)
            var appSettings = Settings()
            let monitorOn = ProcessInfo.processInfo.environment["MONITOR"] == "1"
            if monitorOn {
                var monitor = MonitorSettings()
                monitor.group = group
                monitor.discovery = false
                monitor.token = ProcessInfo.processInfo.environment["MONITOR_TOKEN"]
                appSettings.monitor = monitor
            }
            let app = Application(rules: rules, settings: appSettings)
            let server = try await app.listen(settings.port, address: "127.0.0.1", group: group)
            if let monitor = app.monitor, let adminPort = monitor.adminPort {
                emit("ADMIN \(adminPort) \(monitor.token)")
            }
            emit("READY \(server.port ?? settings.port)")
            try await group.loops[0].run()
        }
    }
}

final class PlaintextHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        try setHeader("Content-Type", "text/plain")
        write("Hello, World!")
    }
}

final class JSONHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        try write(json: HelloMessage.hello)
    }
}

final class UserHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        write("user \(pathArgs.first.flatMap { $0 } ?? "")")
    }
}
