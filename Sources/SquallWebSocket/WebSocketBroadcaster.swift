import DequeModule
import NIOCore
import SquallIO
import Synchronization

/// Sends each message to many WebSockets (a chat room, a live feed) without letting a slow client hold back
/// the others.
///
/// Every member has its own bounded queue and its own writer on its connection's loop; ``broadcast(_:)``
/// only appends to the queues and never waits. When a member's queue is full (the client reads more slowly
/// than messages arrive), ``OverflowPolicy`` decides: close that client with 1008 (the default), or drop the
/// message for that client only.
///
/// ```swift
/// let room = WebSocketBroadcaster(maxQueuedMessages: 64, whenFull: .disconnect)
///
/// final class ChatHandler: WebSocketHandler, @unchecked Sendable {
///     override func open() async throws {
///         if let connection = webSocketConnection { room.join(connection) }
///     }
///     override func onMessage(_ message: WebSocketMessage) async throws {
///         room.broadcast(message)
///     }
///     override func onClose() async {
///         if let connection = webSocketConnection { room.leave(connection) }
///     }
/// }
/// ```
public final class WebSocketBroadcaster: Sendable {
    /// What happens when a member's queue is full.
    public enum OverflowPolicy: Sendable {
        /// Close the slow client with 1008 (policy violation) and remove it.
        case disconnect
        /// Skip this message for the slow client; it stays a member.
        case dropMessages
    }

    /// How many messages may wait for one member.
    public let maxQueuedMessages: Int
    /// What happens when a member's queue is full.
    public let policy: OverflowPolicy
    private let members = Mutex<[ObjectIdentifier: Member]>([:])
    private let counters = Mutex<(dropped: Int, disconnected: Int)>((0, 0))

    /// Creates an empty broadcaster.
    ///
    /// - Parameters:
    ///   - maxQueuedMessages: the queue limit per member (at least 1).
    ///   - whenFull: the policy for a member whose queue is full.
    public init(maxQueuedMessages: Int = 64, whenFull: OverflowPolicy = .disconnect) {
        self.maxQueuedMessages = max(1, maxQueuedMessages)
        policy = whenFull
    }

    /// The number of members.
    public var count: Int { members.withLock { $0.count } }

    /// Messages dropped for slow members so far (``OverflowPolicy/dropMessages``).
    public var droppedMessages: Int { counters.withLock { $0.dropped } }

    /// Members closed for being slow so far (``OverflowPolicy/disconnect``).
    public var disconnectedMembers: Int { counters.withLock { $0.disconnected } }

    /// Adds a connection; it receives every message broadcast from now on.
    public func join(_ connection: WebSocketConnection) {
        let member = Member(connection: connection, owner: self)
        members.withLock { $0[ObjectIdentifier(connection)] = member }
    }

    /// Removes a connection (call it from `onClose`); nothing happens if it is not a member.
    public func leave(_ connection: WebSocketConnection) {
        _ = members.withLock { $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Queues `message` for every member; returns at once. Callable from any thread.
    public func broadcast(_ message: WebSocketMessage) {
        let snapshot = members.withLock { Array($0.values) }
        for member in snapshot { member.offer(message) }
    }

    fileprivate func overflowed(_ member: Member) {
        switch policy {
        case .disconnect:
            leave(member.connection)
            counters.withLock { $0.disconnected += 1 }
            member.connection.close(code: WebSocketCloseCode.policyViolation, reason: "too slow")
        case .dropMessages:
            counters.withLock { $0.dropped += 1 }
        }
    }
}

/// One member's queue and writer; its state belongs to the connection's loop.
private final class Member: @unchecked Sendable {
    let connection: WebSocketConnection
    let owner: WebSocketBroadcaster
    private var queue = Deque<WebSocketMessage>()
    private var writing = false

    init(connection: WebSocketConnection, owner: WebSocketBroadcaster) {
        self.connection = connection
        self.owner = owner
    }

    func offer(_ message: WebSocketMessage) {
        guard connection.loop.inLoop else {
            connection.loop.eventLoop.execute { self.offer(message) }
            return
        }
        guard queue.count < owner.maxQueuedMessages else {
            owner.overflowed(self)
            return
        }
        queue.append(message)
        guard !writing else { return }
        writing = true
        connection.loop.spawnImmediately { await self.drain() }
    }

    private func drain() async {
        while let message = queue.popFirst() {
            do {
                try await connection.send(message)
            } catch {
                queue.removeAll()
                break
            }
        }
        writing = false
    }
}
