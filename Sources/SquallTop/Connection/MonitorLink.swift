import Foundation
import SquallIO
public import SquallMonitorProtocol
import Synchronization

/// What the link reports to the UI loop.
public enum LinkEvent: Sendable, Equatable {
    /// A message from the server.
    case message(ServerMessage)
    /// The link dropped (or could not be made); the next attempt is at `retryAt` (seconds since 1970).
    case lost(reason: String, attempt: Int, retryAt: Double)
    /// A failure retrying cannot fix; the link has stopped.
    case fatal(MonitorConnectError)
}

/// Keeps a session with the server alive: connects, forwards messages into an inbox the UI loop drains
/// without waiting, sends the UI's messages, and reconnects with exponential backoff when the link drops.
public final class MonitorLink: Sendable {
    /// The most events kept undrained; older ones are dropped (updates are superseded anyway, and lost
    /// log lines show as a gap).
    public static let maxPendingEvents = 5_000

    private struct State {
        var events: [LinkEvent] = []
        var connection: (any MonitorConnection)?
        var tasks: [Task<Void, Never>] = []
    }

    private let connector: any MonitorConnector
    private let state = Mutex(State())
    private let outbox: AsyncStream<ClientMessage>
    private let outboxContinuation: AsyncStream<ClientMessage>.Continuation
    private let initialDelay: Double
    private let maxDelay: Double

    /// Creates a link; call ``start()`` to connect.
    /// - Parameters:
    ///   - initialDelay: seconds before the first retry; doubles per failed attempt up to `maxDelay`.
    public init(connector: any MonitorConnector, initialDelay: Double = 0.25, maxDelay: Double = 5) {
        self.connector = connector
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        (outbox, outboxContinuation) = AsyncStream.makeStream(
            of: ClientMessage.self,
            bufferingPolicy: .bufferingNewest(256)
        )
    }

    /// Starts connecting and sending.
    public func start() {
        let supervise = Task { [self] in await self.supervise() }
        let send = Task { [self] in
            for await message in outbox {
                guard let connection = state.withLock({ $0.connection }) else { continue }
                // A send on a dying link fails; the supervisor notices the drop and reconnects.
                try? await connection.send(message)
            }
        }
        state.withLock { $0.tasks = [supervise, send] }
    }

    /// Queues a message for the server (dropped while disconnected: the UI re-subscribes after `hello`).
    public func send(_ message: ClientMessage) {
        outboxContinuation.yield(message)
    }

    /// Takes the events received since the last call; never waits.
    public func drain() -> [LinkEvent] {
        state.withLock { s in
            let events = s.events
            s.events.removeAll(keepingCapacity: true)
            return events
        }
    }

    /// Stops: cancels the tasks and closes the session without waiting for the server.
    public func stop() {
        let (tasks, connection) = state.withLock { s in
            let r = (s.tasks, s.connection)
            s.tasks = []
            s.connection = nil
            return r
        }
        outboxContinuation.finish()
        for t in tasks { t.cancel() }
        if let connection { Task { await connection.close() } }
    }

    func post(_ event: LinkEvent) {
        state.withLock { s in
            s.events.append(event)
            if s.events.count > MonitorLink.maxPendingEvents {
                s.events.removeFirst(s.events.count - MonitorLink.maxPendingEvents)
            }
        }
    }

    private func supervise() async {
        var attempt = 0
        while !Task.isCancelled {
            var reason = "the server closed the link"
            do {
                let connection = try await connector.connect()
                state.withLock { $0.connection = connection }
                for try await message in connection.messages {
                    if case .hello(let hello) = message {
                        guard hello.protocolVersion == MonitorProtocol.version else {
                            post(.fatal(.protocolMismatch(server: hello.protocolVersion)))
                            await connection.close()
                            return
                        }
                        attempt = 0
                    }
                    post(.message(message))
                }
            } catch let error as MonitorConnectError {
                post(.fatal(error))
                return
            } catch {
                reason = MonitorLink.describe(error)
            }
            state.withLock { $0.connection = nil }
            if Task.isCancelled { return }
            attempt += 1
            let delay = min(maxDelay, initialDelay * pow(2, Double(min(attempt - 1, 16))))
            post(.lost(reason: reason, attempt: attempt, retryAt: Date().timeIntervalSince1970 + delay))
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? TCPConnectError {
            switch e.reason {
            case .refused: return "connection refused"
            case .timedOut: return "timed out"
            default: break
            }
        }
        let text = String(describing: error)
        let lower = text.lowercased()
        if lower.contains("refused") { return "connection refused" }
        if lower.contains("timeout") || lower.contains("timed out") { return "timed out" }
        return TextLayout.truncate(text.replacingOccurrences(of: "\n", with: " "), to: 100)
    }
}
