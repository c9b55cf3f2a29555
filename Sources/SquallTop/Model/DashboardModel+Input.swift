public import SquallMonitorProtocol

/// What handling one key produced.
public struct InputOutcome: Sendable, Equatable {
    /// Messages to send to the server.
    public var messages: [ClientMessage] = []
    /// Set when the session should end.
    public var quit: QuitChoice?

    /// Creates an outcome.
    public init(messages: [ClientMessage] = [], quit: QuitChoice? = nil) {
        self.messages = messages
        self.quit = quit
    }
}

extension DashboardModel {
    /// Handles a key: changes the model and returns what to send and whether to quit.
    ///
    /// Ctrl-C always quits at once. A subscription is returned whenever the key changed what the server
    /// should send (sort, filter, detail, frame tail, scroll depth).
    public mutating func handle(_ key: Key, now: Double) -> InputOutcome {
        if key == .interrupt { return InputOutcome(quit: .interrupted) }
        if key == .resize { return InputOutcome() }
        let before = subscription()
        var outcome = InputOutcome()
        if helpVisible {
            helpVisible = false
        } else if dialog != nil {
            outcome = handleDialog(key, now: now)
        } else if prompt != nil {
            outcome = handlePrompt(key, now: now)
        } else {
            outcome = handleNormal(key, now: now)
        }
        let after = subscription()
        if after != before, link == .connected { outcome.messages.append(.subscribe(after)) }
        return outcome
    }

    /// Handles a mouse action already mapped to its target.
    public mutating func handle(_ action: MouseAction, now: Double) -> InputOutcome {
        guard dialog == nil, prompt == nil else { return InputOutcome() }
        helpVisible = false
        let before = subscription()
        switch action {
        case .selectTab(let t): tab = t
        case .selectRow(let i):
            var t = currentTable
            t.select(index: i, ids: currentIDs(), visibleRows: visibleRows)
            currentTable = t
        case .sortColumn(let c): sort(column: c)
        case .scroll(let delta): move(delta)
        }
        let after = subscription()
        return InputOutcome(messages: after != before && link == .connected ? [.subscribe(after)] : [])
    }

    private mutating func handleNormal(_ key: Key, now: Double) -> InputOutcome {
        switch key {
        case .character("q"), .character("Q"):
            if options.attached {
                dialog = .quitAttached
                return InputOutcome()
            }
            return InputOutcome(quit: .quit)
        case .character("?"):
            helpVisible = true
        case .tab, .character("l"): tab = Tab(rawValue: (tab.rawValue + 1) % Tab.allCases.count) ?? .connections
        case .backTab, .character("h"):
            tab = Tab(rawValue: (tab.rawValue + Tab.allCases.count - 1) % Tab.allCases.count) ?? .connections
        case .character(let c) where c.isNumber:
            if let n = c.wholeNumberValue, let t = Tab(rawValue: n - 1) { tab = t }
        case .character(" "), .character("f"): setFrozen(!frozen, now: now)
        case .up, .character("\u{10}"): move(-1)
        case .down, .character("j"), .character("\u{0E}"): move(1)
        case .pageUp, .character("\u{15}"): move(-max(1, visibleRows - 1))
        case .pageDown, .character("\u{04}"): move(max(1, visibleRows - 1))
        case .home, .character("g"): move(Int.min / 2)
        case .end, .character("G"): move(Int.max / 2)
        case .character("/"):
            prompt = Prompt(purpose: .filter(tab), text: currentFilter)
        case .character("s"), .character(">"), .right: sort(column: currentTable.sortColumn + 1, cycle: true)
        case .character("<"), .left: sort(column: currentTable.sortColumn - 1, cycle: true)
        case .character("r"):
            var t = currentTable
            t.descending.toggle()
            currentTable = t
        case .character("A"): options.asciiGlyphs.toggle()
        case .enter: enter()
        case .escape:
            if frameTail != nil {
                setFrameTail(nil)
            } else if detailVisible {
                detailVisible = false
            } else if !currentFilter.isEmpty {
                currentFilter = ""
            }
        case .character("k"): return requestKill()
        case .character("K"):
            guard commandAllowed() else { break }
            prompt = Prompt(purpose: .killSlowSeconds, text: "\(Int(options.thresholds.slowRequest))")
        case .character("c"):
            guard commandAllowed() else { break }
            guard let row = selectedConnection(), row.webSocket != nil, row.state != .closed else {
                status = Status(text: "select an open WebSocket to close (WebSockets tab)", isError: true)
                break
            }
            prompt = Prompt(purpose: .closeCode(row), text: "1001")
        case .character("L"):
            guard commandAllowed() else { break }
            dialog = .setLogLevel(selected: 2)
        case .character("P"):
            guard commandAllowed() else { break }
            dialog = .pauseAccepting(resume: snapshot?.totals.acceptingPaused ?? false)
        default: break
        }
        return InputOutcome()
    }

    private mutating func handleDialog(_ key: Key, now: Double) -> InputOutcome {
        guard let current = dialog else { return InputOutcome() }
        let yes = key == .character("y") || key == .character("Y")
        switch current {
        case .quitAttached:
            switch key {
            case .character("s"), .character("S"): return InputOutcome(quit: .stopServer)
            case .character("d"), .character("D"): return InputOutcome(quit: .detach)
            case .escape, .enter, .character("n"), .character("c"): dialog = nil
            default: break
            }
        case .setLogLevel(let selected):
            switch key {
            case .up, .character("\u{10}"): dialog = .setLogLevel(selected: max(0, selected - 1))
            case .down, .character("j"), .character("\u{0E}"):
                dialog = .setLogLevel(selected: min(DashboardModel.logLevels.count - 1, selected + 1))
            case .enter:
                dialog = nil
                let level = DashboardModel.logLevels[max(0, min(DashboardModel.logLevels.count - 1, selected))]
                return send(.setLogLevel(level: level), "set log level \(level)")
            case .escape, .character("n"), .character("q"): dialog = nil
            default: break
            }
        case .killConnection(let row):
            if yes {
                dialog = nil
                return send(.killConnection(id: row.id), "kill connection \(row.id)")
            }
            if isDismiss(key) { dialog = nil }
        case .killSlow(let seconds, _):
            if yes {
                dialog = nil
                return send(
                    .killSlow(olderThan: nil, requestSlowerThan: seconds, dryRun: false),
                    "kill requests slower than \(Format.duration(seconds))"
                )
            }
            if isDismiss(key) { dialog = nil }
        case .closeWebSocket(let row, let code):
            if yes {
                dialog = nil
                return send(
                    .closeWebSocket(id: row.id, code: code, reason: "closed by squall-top"),
                    "close WebSocket \(row.id)"
                )
            }
            if isDismiss(key) { dialog = nil }
        case .pauseAccepting(let resume):
            if yes {
                dialog = nil
                return resume ? send(.resumeAccepting, "resume accepting") : send(.pauseAccepting, "pause accepting")
            }
            if isDismiss(key) { dialog = nil }
        }
        return InputOutcome()
    }

    /// Enter, Esc, `n` and `q` answer No; other keys are ignored so a stray key cannot confirm.
    private func isDismiss(_ key: Key) -> Bool {
        key == .enter || key == .escape || key == .character("n") || key == .character("N") || key == .character("q")
    }

    private mutating func handlePrompt(_ key: Key, now: Double) -> InputOutcome {
        guard var p = prompt else { return InputOutcome() }
        switch key {
        case .character(let c):
            if p.text.count < Prompt.maxLength, !c.isControlLike { p.text.append(c) }
        case .backspace:
            if !p.text.isEmpty { p.text.removeLast() }
        case .escape:
            if case .filter = p.purpose { currentFilter = "" }
            prompt = nil
            return InputOutcome()
        case .enter:
            prompt = nil
            return submit(p)
        default:
            return InputOutcome()
        }
        prompt = p
        if case .filter = p.purpose { currentFilter = p.text }
        return InputOutcome()
    }

    private mutating func submit(_ p: Prompt) -> InputOutcome {
        switch p.purpose {
        case .filter:
            currentFilter = p.text
        case .killSlowSeconds:
            guard let seconds = Double(p.text.trimmed(of: " ")), seconds.isFinite, seconds >= 0 else {
                status = Status(text: "'\(p.text)' is not a number of seconds", isError: true)
                return InputOutcome()
            }
            var outcome = send(
                .killSlow(olderThan: nil, requestSlowerThan: seconds, dryRun: true),
                "count requests slower than \(Format.duration(seconds))"
            )
            if case .command(let c) = outcome.messages.first { pendingCommands[c.id]?.killSlowSeconds = seconds }
            outcome.quit = nil
            return outcome
        case .closeCode(let row):
            guard let code = Int(p.text.trimmed(of: " ")), (1000...4999).contains(code) else {
                status = Status(text: "'\(p.text)' is not a close code (1000-4999)", isError: true)
                return InputOutcome()
            }
            dialog = .closeWebSocket(row, code: code)
        }
        return InputOutcome()
    }

    /// The current tab's filter text.
    var currentFilter: String {
        get { tab == .logs ? logFilter : currentTable.filter }
        set {
            if tab == .logs {
                logFilter = newValue
                logScrollBack = 0
            } else {
                var t = currentTable
                t.filter = newValue
                t.scroll = 0
                currentTable = t
            }
        }
    }

    private mutating func move(_ delta: Int) {
        if tab == .logs {
            let count = logLines().count
            let maxBack = max(0, count - visibleRows)
            logScrollBack = max(0, min(maxBack, logScrollBack - max(-count - 1, min(count + 1, delta))))
            logFollow = logScrollBack == 0
            return
        }
        var t = currentTable
        let ids = currentIDs()
        let clamped = max(-ids.count, min(ids.count, delta))
        t.move(by: clamped, ids: ids, visibleRows: tab == .connections && detailVisible ? visibleRows - 7 : visibleRows)
        currentTable = t
    }

    private mutating func sort(column: Int, cycle: Bool = false) {
        let count: Int
        switch tab {
        case .connections: count = Columns.connections.count
        case .webSockets: count = Columns.webSockets.count
        case .handlers: count = Columns.handlers.count
        default: return
        }
        var t = currentTable
        let c = cycle ? (column + count) % count : max(0, min(count - 1, column))
        if !cycle, c == t.sortColumn {
            t.descending.toggle()
        } else {
            t.sortColumn = c
        }
        currentTable = t
    }

    private mutating func enter() {
        switch tab {
        case .connections: detailVisible.toggle()
        case .webSockets:
            if frameTail != nil {
                setFrameTail(nil)
            } else if let row = selectedConnection() {
                setFrameTail(row.id)
            }
        case .warnings:
            guard let row = selectedConnection() else { break }
            tab = .connections
            connectionsTable.selectedID = row.id
            if let i = connectionRows().firstIndex(where: { $0.id == row.id }) {
                connectionsTable.select(index: i, ids: connectionRows().map(\.id), visibleRows: visibleRows)
            }
        case .logs:
            logFollow = true
            logScrollBack = 0
        default: break
        }
    }

    private mutating func requestKill() -> InputOutcome {
        guard commandAllowed() else { return InputOutcome() }
        guard let row = selectedConnection() else {
            status = Status(text: "select a connection to kill (Connections or WebSockets tab)", isError: true)
            return InputOutcome()
        }
        guard row.state != .closed else {
            status = Status(text: "connection \(row.id) is already closed", isError: true)
            return InputOutcome()
        }
        dialog = .killConnection(row)
        return InputOutcome()
    }

    private mutating func commandAllowed() -> Bool {
        if isReadOnly {
            status = Status(text: "read-only: commands are disabled", isError: true)
            return false
        }
        if link != .connected {
            status = Status(text: "not connected: commands are disabled until the link is back", isError: true)
            return false
        }
        return true
    }

    /// Sends a command and remembers it until the ack or error.
    private mutating func send(_ action: CommandAction, _ description: String) -> InputOutcome {
        guard commandAllowed() else { return InputOutcome() }
        let id = nextCommandID
        nextCommandID += 1
        pendingCommands[id] = PendingCommand(action: action, description: description)
        status = Status(text: "\(description)…", isError: false)
        return InputOutcome(messages: [.command(Command(id: id, action: action))])
    }
}
