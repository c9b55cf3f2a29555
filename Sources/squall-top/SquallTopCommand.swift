import ArgumentParser
import Foundation
import SquallMonitorProtocol
import SquallTop

/// `squall-top`: the terminal dashboard for Squall servers.
@main
struct SquallTopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "squall-top",
        abstract: "A terminal dashboard for running Squall servers: connections, WebSockets, handlers, loops, logs.",
        discussion: """
            With no options, finds local servers from their discovery files (\(Discovery.directory())): one is \
            attached at once, several are offered in a list. Exit codes: 0 quit, 2 bad arguments or URL, \
            3 token refused, 4 protocol version mismatch, 5 no server found, 130 interrupted.
            """,
        version: "squall-top \(SquallTopInfo.version) (monitor protocol \(MonitorProtocol.version))"
    )

    @Option(help: "The monitor's WebSocket URL, e.g. ws://127.0.0.1:40123/ws (needs --token).")
    var url: String?

    @Option(help: "The monitor's bearer token (with --url).")
    var token: String?

    @Option(help: "Attach to the local server with this process id (from its discovery file).")
    var pid: Int32?

    @Option(
        help:
            "A theme name from Themes/ (default, light, high-contrast, monochrome, gruvbox, solarized-dark) or a .theme file path."
    )
    var theme: String = "default"

    @Option(help: "Screen updates per second (0.5-20).")
    var refresh: Double = 4

    @Flag(help: "Watch only: refuse to send kill, close, log-level and pause commands.")
    var readOnly = false

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    @Option(help: "Seconds after which a running request counts as slow (Warnings, K's default).")
    var slowRequest: Double = 10

    @Option(help: "Seconds after which an idle keep-alive connection is flagged.")
    var idleConnection: Double = 300

    @Option(help: "Event-loop lag in milliseconds shown as warning (critical at 5x).")
    var lagWarning: Double = 20

    @Flag(help: "List the local servers found and exit.")
    var list = false

    func validate() throws {
        guard refresh.isFinite, refresh >= 0.5, refresh <= MonitorProtocol.maxRate else {
            throw ValidationError("--refresh must be between 0.5 and \(Int(MonitorProtocol.maxRate))")
        }
        if url != nil, token == nil { throw ValidationError("--url needs --token") }
        if url != nil, pid != nil { throw ValidationError("give --url or --pid, not both") }
    }

    func run() throws {
        guard list || (isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1) else {
            fail("squall-top needs a terminal on standard input and output (or use --list)", code: 2)
        }
        let (loadedTheme, themeError) = ThemeLocator.standard().load(theme)
        if let themeError {
            FileHandle.standardError.write(Data("squall-top: \(themeError); using the default theme\n".utf8))
        }
        let target: (url: String, token: String)
        if let url, let token {
            target = (url, token)
        } else {
            let servers = Discovery.list()
            if list {
                printList(servers)
                return
            }
            if let pid {
                guard let record = servers.first(where: { $0.pid == pid }) else {
                    fail("no Squall server with pid \(pid) in \(Discovery.directory())", code: 5)
                }
                target = (record.adminURL, record.token)
            } else if servers.isEmpty {
                fail(
                    "no running Squall server found in \(Discovery.directory()) (start one with the monitor on, or pass --url and --token)",
                    code: 5
                )
            } else if servers.count == 1 {
                target = (servers[0].adminURL, servers[0].token)
            } else {
                let record = pick(servers)
                target = (record.adminURL, record.token)
            }
        }
        var options = DashboardOptions()
        options.refreshRate = refresh
        options.initialMessage = themeError.map { "\($0); using the default theme" }
        options.readOnly = readOnly
        options.asciiGlyphs = ascii
        options.thresholds.slowRequest = slowRequest
        options.thresholds.idleConnection = idleConnection
        options.thresholds.loopLagWarning = lagWarning / 1000
        options.thresholds.loopLagCritical = lagWarning * 5 / 1000
        switch Dashboard.run(url: target.url, token: target.token, theme: loadedTheme, options: options) {
        case .quit(.interrupted):
            throw ExitCode(130)
        case .quit:
            return
        case .failed(let error):
            fail(error.description, code: error.exitCode)
        }
    }

    private func printList(_ servers: [DiscoveryRecord]) {
        if servers.isEmpty { print("no running Squall server found in \(Discovery.directory())") }
        for (i, s) in servers.enumerated() { print(describe(s, index: i + 1)) }
    }

    private func describe(_ s: DiscoveryRecord, index: Int) -> String {
        let uptime = Format.duration(Date().timeIntervalSince1970 - s.startedAt)
        let address = s.appAddresses.joined(separator: ",")
        return "\(index)) \(s.program)  pid \(s.pid)  \(address.isEmpty ? "-" : address)  up \(uptime)  \(s.adminURL)"
    }

    private func pick(_ servers: [DiscoveryRecord]) -> DiscoveryRecord {
        print("Several Squall servers are running:")
        printList(servers)
        while true {
            print("Attach to which (1-\(servers.count), q to quit)? ", terminator: "")
            guard let line = readLine() else { fail("no choice made", code: 1) }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if answer == "q" { Foundation.exit(0) }
            if let n = Int(answer), (1...servers.count).contains(n) { return servers[n - 1] }
        }
    }

    private func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("squall-top: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
