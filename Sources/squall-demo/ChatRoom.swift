import Foundation
import Squall
import Synchronization

/// One chat message, as Tornado's chat demo keeps it.
struct ChatMessage: Codable, Sendable {
    var id: String
    var body: String
    var html: String
}

/// The chat room both demos share (Tornado's `MessageBuffer` and `ChatSocketHandler.waiters`): the last 200
/// messages, the open WebSockets, and the long-polling requests waiting for news.
///
/// Fan-out never waits on a slow member: SquallWebSocket's ``WebSocketBroadcaster`` gives each WebSocket its
/// own bounded queue (64 messages; past that, messages are dropped for that member only).
final class ChatRoom: Sendable {
    static let shared = ChatRoom()
    static let cacheSize = 200
    static let maxWaiters = 10_000

    private struct State {
        var cache: [ChatMessage] = []
        var waiters: [UUID: CheckedContinuation<[ChatMessage], Never>] = [:]
        var waiterCursors: [UUID: String?] = [:]
        /// Waits that timed out before they registered (so they return at once when they do).
        var cancelled: Set<UUID> = []
    }

    private let state = Mutex(State())
    /// The open chat WebSockets.
    let sockets = WebSocketBroadcaster(maxQueuedMessages: 64, whenFull: .dropMessages)

    var cache: [ChatMessage] { state.withLock { $0.cache } }

    /// Stores a message and sends it to every member and waiting long-poll request.
    func post(_ message: ChatMessage) {
        let json = (try? String(decoding: JSONEncoder().encode(message), as: UTF8.self)) ?? "{}"
        let waiters = state.withLock { state in
            state.cache.append(message)
            if state.cache.count > Self.cacheSize { state.cache.removeFirst(state.cache.count - Self.cacheSize) }
            let waiters = state.waiters
            state.waiters = [:]
            state.waiterCursors = [:]
            return waiters
        }
        sockets.broadcast(.text(json))
        for (_, waiter) in waiters { waiter.resume(returning: [message]) }
    }

    /// Wakes a waiting long-poll request with no messages (its time ran out or its client left).
    func cancelWait(_ id: UUID) {
        let waiter = state.withLock { state in
            state.waiterCursors[id] = nil
            let waiter = state.waiters.removeValue(forKey: id)
            if waiter == nil {
                if state.cancelled.count > Self.maxWaiters { state.cancelled.removeAll() }
                state.cancelled.insert(id)
            }
            return waiter
        }
        waiter?.resume(returning: [])
    }

    /// A wait that gives up after `timeout`.
    func waitForUpdates(after cursor: String?, timeout: Duration) async -> [ChatMessage] {
        let id = UUID()
        return await withTaskGroup(of: [ChatMessage]?.self) { group in
            group.addTask { await self.wait(id: id, after: cursor) }
            group.addTask {
                guard (try? await Task.sleep(for: timeout)) != nil else { return nil }
                self.cancelWait(id)
                return nil
            }
            var messages: [ChatMessage] = []
            for await result in group {
                if let result {
                    messages = result
                    group.cancelAll()
                    break
                }
            }
            return messages
        }
    }

    private func wait(id: UUID, after cursor: String?) async -> [ChatMessage] {
        await withCheckedContinuation { continuation in
            let immediate = state.withLock { state -> [ChatMessage]? in
                if state.cancelled.remove(id) != nil { return [] }
                let newer = Self.messages(state.cache, after: cursor)
                if !newer.isEmpty { return newer }
                guard state.waiters.count < Self.maxWaiters else { return [] }
                state.waiters[id] = continuation
                state.waiterCursors[id] = cursor
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    private static func messages(_ cache: [ChatMessage], after cursor: String?) -> [ChatMessage] {
        guard let cursor, !cursor.isEmpty else { return [] }
        guard let index = cache.firstIndex(where: { $0.id == cursor }) else { return cache }
        return Array(cache[(index + 1)...])
    }
}
