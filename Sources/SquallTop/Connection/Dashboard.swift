import Foundation
import SquallMonitorProtocol

/// How a dashboard session ended.
public enum DashboardResult: Sendable, Equatable {
    /// The operator quit (with their choice when attached).
    case quit(QuitChoice)
    /// The link failed in a way retrying cannot fix.
    case failed(MonitorConnectError)
}

/// Runs the dashboard in the terminal: the entry point of `squall-top` and of in-process attach.
public enum Dashboard {
    /// Runs the dashboard against a monitor URL and token until the operator quits; blocks the calling
    /// thread (call it from the main thread or a dedicated one, never from a Swift concurrency task).
    public static func run(
        url: String,
        token: String,
        theme: Theme = .defaultDark,
        options: DashboardOptions = DashboardOptions()
    ) -> DashboardResult {
        run(connector: WebSocketMonitorConnector(url: url, token: token), theme: theme, options: options)
    }

    /// Runs the dashboard on a thread of its own and returns how it ended, for programs that attach it to a
    /// server in the same process (set ``DashboardOptions/attached`` so quitting asks stop or detach).
    public static func runAttached(url: String, token: String, theme: Theme = .defaultDark, options: DashboardOptions)
        async -> DashboardResult
    {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: run(url: url, token: token, theme: theme, options: options))
            }
            thread.name = "squall-top"
            thread.start()
        }
    }

    /// Runs the dashboard with any connector (tests use a fake one); blocks the calling thread.
    public static func run(connector: any MonitorConnector, theme: Theme, options: DashboardOptions) -> DashboardResult
    {
        let terminal = Terminal(theme: theme)
        defer { terminal.restore() }
        var model = DashboardModel(options: options)
        if !terminal.unicode { model.options.asciiGlyphs = true }
        let link = MonitorLink(connector: connector)
        link.start()
        defer { link.stop() }
        let frameInterval = 1 / max(0.5, min(MonitorProtocol.maxRate, options.refreshRate))
        var lastDraw = 0.0
        var redrawNow = true
        while true {
            let now = Date().timeIntervalSince1970
            if terminal.takeSignal() != 0 || terminal.hungUp { return .quit(.interrupted) }
            for event in link.drain() {
                switch event {
                case .message(let m):
                    for out in model.apply(m, now: now) { link.send(out) }
                case .lost(let reason, let attempt, let retryAt):
                    model.linkLost(reason: reason, attempt: attempt, retryAt: retryAt)
                case .fatal(let error):
                    return .failed(error)
                }
            }
            let size = terminal.size
            model.visibleRows = DashboardRenderer.visibleRows(height: size.height)
            if redrawNow || now - lastDraw >= frameInterval {
                model.expireClosedRows(now: now)
                terminal.draw(DashboardRenderer.render(model, width: size.width, height: size.height, now: now))
                lastDraw = now
                redrawNow = false
            }
            guard let input = terminal.read(timeoutMilliseconds: 50) else { continue }
            let outcome: InputOutcome
            switch input {
            case .key(let key):
                outcome = model.handle(key, now: now)
            case .mouse(let x, let y, let button):
                guard
                    let action = DashboardRenderer.hitTest(
                        x: x,
                        y: y,
                        button: button,
                        model: model,
                        width: size.width,
                        height: size.height
                    )
                else { continue }
                outcome = model.handle(action, now: now)
            }
            for m in outcome.messages { link.send(m) }
            if let quit = outcome.quit { return .quit(quit) }
            redrawNow = true
        }
    }
}
