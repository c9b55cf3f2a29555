import Foundation
import Logging
import NIOCore
import SquallHTTP
import SquallIO
public import SquallMonitorProtocol

extension Monitor {
    /// Carries out an operator's command and returns the reply (`ack` or `error`), logging an audit line that
    /// names who asked (`peer`) and what.
    public func perform(_ command: Command, peer: String) async -> ServerMessage {
        let reply = await carryOut(command)
        let outcome: String
        switch reply {
        case .ack(let ack): outcome = "ok: \(ack.message)"
        case .error(let error): outcome = "refused (\(error.code)): \(error.message)"
        default: outcome = "?"
        }
        let line = "monitor command \(command.action.name) from \(peer): \(outcome)"
        logger.notice(
            "\(line)",
            metadata: ["squall.monitor.peer": .string(peer), "squall.monitor.command": .string(command.action.name)]
        )
        recordLog(kind: .audit, level: .notice, label: "squall.monitor", message: line)
        return reply
    }

    private func carryOut(_ command: Command) async -> ServerMessage {
        let id = command.id
        if settings.readOnly {
            return .error(ErrorReply(commandID: id, code: "readOnly", message: "this monitor is read-only"))
        }
        switch command.action {
        case .killConnection(let target):
            guard let entry = registry.entry(id: target) else {
                return .error(ErrorReply(commandID: id, code: "notFound", message: "no open connection \(target)"))
            }
            entry.control.close()
            return .ack(
                CommandAck(
                    commandID: id,
                    message: "closed connection \(target) (\(entry.control.info.peer))",
                    count: 1,
                    ids: [target]
                )
            )
        case .closeWebSocket(let target, let code, let reason):
            guard let entry = registry.entry(id: target), let webSocket = entry.webSocket else {
                return .error(ErrorReply(commandID: id, code: "notFound", message: "no open WebSocket \(target)"))
            }
            guard Self.isSendableCloseCode(code) else {
                return .error(ErrorReply(commandID: id, code: "badArgument", message: "close code \(code) cannot be sent"))
            }
            guard reason.utf8.count <= 123 else {
                return .error(ErrorReply(commandID: id, code: "badArgument", message: "close reason over 123 bytes"))
            }
            webSocket.close(code, reason)
            return .ack(CommandAck(commandID: id, message: "closing WebSocket \(target) with \(code)", count: 1, ids: [target]))
        case .killSlow(let olderThan, let slowerThan, let dryRun):
            guard olderThan != nil || slowerThan != nil else {
                return .error(
                    ErrorReply(commandID: id, code: "badArgument", message: "killSlow needs olderThan or requestSlowerThan")
                )
            }
            let victims = slowConnections(olderThan: olderThan, requestSlowerThan: slowerThan)
            let ids = victims.map(\.control.info.id).sorted()
            if !dryRun { for victim in victims { victim.control.close() } }
            let what = dryRun ? "would close" : "closed"
            return .ack(CommandAck(commandID: id, message: "\(what) \(ids.count) connection(s)", count: ids.count, ids: ids))
        case .setLogLevel(let name):
            guard let level = MonitorLogging.parseLevel(name) else {
                return .error(ErrorReply(commandID: id, code: "badArgument", message: "unknown log level '\(name)'"))
            }
            MonitorLogging.level = level
            return .ack(CommandAck(commandID: id, message: "log level set to \(level.rawValue)"))
        case .pauseAccepting:
            for server in servers { await server.pauseAccepting() }
            acceptingPaused = true
            return .ack(CommandAck(commandID: id, message: "paused accepting new connections"))
        case .resumeAccepting:
            for server in servers { await server.resumeAccepting() }
            acceptingPaused = false
            return .ack(CommandAck(commandID: id, message: "accepting new connections again"))
        }
    }

    /// Connections whose current request has run longer than `requestSlowerThan` seconds, or that are older
    /// than `olderThan` seconds.
    func slowConnections(olderThan: Double?, requestSlowerThan: Double?) -> [ConnectionRegistry.Entry] {
        let now = NIODeadline.now()
        return registry.entries().filter { entry in
            let row = ConnectionRegistry.row(entry, now: now)
            if let limit = requestSlowerThan, let current = row.current, current.elapsed > limit { return true }
            if let limit = olderThan, row.age > limit { return true }
            return false
        }
    }

    /// Close codes an endpoint may send (RFC 6455 section 7.4).
    static func isSendableCloseCode(_ code: Int) -> Bool {
        (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)
    }
}
