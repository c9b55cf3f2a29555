import Foundation
import Squall

/// The chat page (Tornado's chat demo `MainHandler`): the recent messages, rendered from templates.
final class MainHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        try await render("index.html", ["messages": ChatRoom.shared.cache.map(Self.context)])
    }

    static func context(_ message: ChatMessage) -> [String: String] {
        ["id": message.id, "body": message.body, "html": message.html]
    }
}

/// Makes a message with its HTML rendered from `message.html`, as Tornado's demo does.
func makeMessage(_ handler: RequestHandler, body: String) async throws -> ChatMessage {
    let id = UUID().uuidString.lowercased()
    let html = try handler.renderString("message.html", ["message": ["id": id, "body": body]])
    return ChatMessage(id: id, body: body, html: html)
}

/// The WebSocket chat (Tornado's `ChatSocketHandler`): every message goes to every open socket.
final class ChatSocketHandler: WebSocketHandler, @unchecked Sendable {
    override func open() async throws {
        if let connection = webSocketConnection { ChatRoom.shared.sockets.join(connection) }
    }

    override func onMessage(_ message: WebSocketMessage) async throws {
        guard case .text(let text) = message else { return }
        struct Incoming: Decodable { var body: String }
        guard let incoming = try? JSONDecoder().decode(Incoming.self, from: Data(text.utf8)),
            !incoming.body.isEmpty, incoming.body.utf8.count <= 4_096
        else {
            close(code: 1003, reason: "expected {\"body\": \"...\"} up to 4 KiB")
            return
        }
        ChatRoom.shared.post(try await makeMessage(self, body: incoming.body))
    }

    override func onClose() async {
        if let connection = webSocketConnection { ChatRoom.shared.sockets.leave(connection) }
    }
}

/// Posts a message for the long-polling chat (Tornado's `MessageNewHandler`).
final class MessageNewHandler: RequestHandler, @unchecked Sendable {
    override func post() async throws {
        let body = try getArgument("body")
        guard body.utf8.count <= 4_096 else { throw HTTPError(400, reason: "message over 4 KiB") }
        let message = try await makeMessage(self, body: body)
        ChatRoom.shared.post(message)
        if let next = try getArgument("next", default: nil) {
            try await redirect(next.hasPrefix("/") && !next.hasPrefix("//") ? next : "/")
        } else {
            try write(json: message)
        }
    }
}

/// Waits for messages after a cursor (Tornado's `MessageUpdatesHandler`), up to 30 seconds.
final class MessageUpdatesHandler: RequestHandler, @unchecked Sendable {
    override func post() async throws {
        let cursor = try getArgument("cursor", default: nil)
        let messages = await ChatRoom.shared.waitForUpdates(after: cursor, timeout: .seconds(30))
        try write(json: ["messages": messages])
    }
}

/// A small JSON API: what the server is doing.
final class StatusHandler: RequestHandler, @unchecked Sendable {
    struct Status: Encodable {
        var server = "squall-demo"
        var messages: Int
        var time: Double
        var connection: Int
    }

    override func get() async throws {
        try write(json: Status(messages: ChatRoom.shared.cache.count, time: Date().timeIntervalSince1970,
                               connection: request.connectionID))
    }
}

/// Answers after `seconds` (default 10, at most 300) without blocking its loop: a slow request to kill.
final class SlowHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        let seconds = Double(try getArgument("seconds", default: "10") ?? "10") ?? 10
        guard seconds.isFinite, seconds >= 0, seconds <= 300 else {
            throw HTTPError(400, reason: "seconds must be between 0 and 300")
        }
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        write("slept \(seconds) s\n")
    }
}

/// Blocks its event loop for `ms` milliseconds (default 200, at most 5,000): what a careless handler does,
/// to watch the loop-lag probe.
final class BlockHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        let ms = Int(try getArgument("ms", default: "200") ?? "200") ?? 200
        guard (0...5_000).contains(ms) else { throw HTTPError(400, reason: "ms must be between 0 and 5000") }
        usleep(UInt32(ms) * 1000)
        write("blocked the loop for \(ms) ms\n")
    }
}
