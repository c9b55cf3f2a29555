import Foundation
import NIOCore
import Squall
import SquallTesting
import Synchronization

/// Echoes every message back.
final class EchoHandler: WebSocketHandler, @unchecked Sendable {
    override func onMessage(_ message: WebSocketMessage) async throws {
        try await writeMessage(message)
    }
}

/// Echoes with permessage-deflate enabled.
final class CompressedEchoHandler: WebSocketHandler, @unchecked Sendable {
    override func getCompressionOptions() -> WebSocketCompressionOptions? { WebSocketCompressionOptions() }

    override func onMessage(_ message: WebSocketMessage) async throws {
        try await writeMessage(message)
    }
}

/// What the handlers of a test saw, shared with the test.
final class EventLog: Sendable {
    private let events = Mutex<[String]>([])
    private let waiters = Mutex<[(String, CheckedContinuation<Void, Never>)]>([])

    func record(_ event: String) {
        events.withLock { $0.append(event) }
        let ready = waiters.withLock { list -> [CheckedContinuation<Void, Never>] in
            let matched = list.filter { event.hasPrefix($0.0) }.map(\.1)
            list.removeAll { event.hasPrefix($0.0) }
            return matched
        }
        for waiter in ready { waiter.resume() }
    }

    var all: [String] { events.withLock { $0 } }

    /// Waits until an event starting with `prefix` has been recorded.
    func wait(for prefix: String) async {
        await withCheckedContinuation { continuation in
            let seen = events.withLock { list in
                if list.contains(where: { $0.hasPrefix(prefix) }) { return true }
                waiters.withLock { $0.append((prefix, continuation)) }
                return false
            }
            if seen { continuation.resume() }
        }
    }

    static let shared = EventLog()
}

/// Records its lifecycle in the ``EventLog`` passed as the route argument `log`.
final class RecordingHandler: WebSocketHandler, @unchecked Sendable {
    var log = EventLog()
    private var inFlight = 0

    override func initialize(_ arguments: HandlerArguments) {
        if let log = arguments["log"] as? EventLog { self.log = log }
    }

    override func selectSubprotocol(_ subprotocols: [String]) -> String? {
        subprotocols.contains("chat") ? "chat" : nil
    }

    override func open() async throws {
        log.record("open \(pathArgs.compactMap { $0 }.joined(separator: ","))")
    }

    override func onMessage(_ message: WebSocketMessage) async throws {
        inFlight += 1
        if inFlight > 1 { log.record("overlap") }
        // Suspend in the middle, so a second delivery could overlap if the connection allowed it.
        await Task.yield()
        log.record("message \(message.text ?? "binary \(message.size)")")
        switch message.text {
        case "close me": close(code: 4002, reason: "as asked")
        case "ping me": try await ping([1, 2, 3])
        case "throw": throw HTTPError(500)
        default: break
        }
        inFlight -= 1
    }

    override func onPong(_ data: [UInt8]) async {
        log.record("pong \(data)")
    }

    override func onPing(_ data: [UInt8]) async {
        log.record("ping \(data)")
    }

    override func onClose() async {
        log.record("close \(closeCode.map(String.init) ?? "nil") \(closeReason ?? "nil")")
    }
}

/// Serves `handlers` (patterns and classes, with route arguments) with `settings` on a test server.
func withWebSocketServer<T>(
    _ rules: [Rule],
    settings: Settings = Settings(),
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let app = Application(rules: rules, settings: settings)
    return try await withTestServer(app, body)
}

/// A hand-driven WebSocket client over a plain TCP stream, for sending frames the Squall client never would.
struct RawWebSocket {
    let stream: IOStream

    /// Connects and completes the handshake; returns the client and the server's response head.
    static func connect(port: Int, path: String = "/", extraHeaders: String = "") async throws -> RawWebSocket {
        let stream = try await TCPClient().connect(host: "127.0.0.1", port: port)
        let request =
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n"
        try await stream.write(request)
        let head = String(buffer: try await stream.readUntil("\r\n\r\n", maxBytes: 65536))
        guard head.hasPrefix("HTTP/1.1 101") else { throw WebSocketHandshakeError(head) }
        return RawWebSocket(stream: stream)
    }

    /// Sends one frame, masked unless `masked` is false.
    func send(
        opcode: UInt8,
        _ payload: [UInt8],
        fin: Bool = true,
        rsv: UInt8 = 0,
        masked: Bool = true
    ) async throws {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            frame.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.append(maskBit | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(maskBit | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        if masked {
            frame += key
            frame += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
        } else {
            frame += payload
        }
        try await stream.write(frame)
    }

    /// Reads one frame the server sent: opcode, payload, fin.
    func readFrame() async throws -> (opcode: UInt8, payload: [UInt8], fin: Bool) {
        let header = Array(try await stream.readBytes(2).readableBytesView)
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            length = Array(try await stream.readBytes(2).readableBytesView).reduce(0) { $0 << 8 | Int($1) }
        } else if length == 127 {
            length = Array(try await stream.readBytes(8).readableBytesView).reduce(0) { $0 << 8 | Int($1) }
        }
        let payload = length == 0 ? [] : Array(try await stream.readBytes(length).readableBytesView)
        return (header[0] & 0x0F, payload, header[0] & 0x80 != 0)
    }

    /// Reads frames until a close frame; returns its code (nil for an empty close).
    func readCloseCode() async throws -> Int? {
        while true {
            let frame = try await readFrame()
            guard frame.opcode == 0x8 else { continue }
            guard frame.payload.count >= 2 else { return nil }
            return Int(frame.payload[0]) << 8 | Int(frame.payload[1])
        }
    }

    /// A close frame payload with `code`.
    static func closePayload(_ code: Int, _ reason: String = "") -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
    }
}

/// The Python interpreter with the `websockets` package: `SQUALL_PYTHON` (CI sets it), else a `python3` on the
/// PATH that can import it; `nil` when there is none.
let pythonWithWebsockets: String? = {
    var candidates: [String] = []
    if let configured = ProcessInfo.processInfo.environment["SQUALL_PYTHON"] { candidates.append(configured) }
    candidates.append("/usr/bin/env")
    for candidate in candidates {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: candidate)
        process.arguments = (candidate == "/usr/bin/env" ? ["python3"] : []) + ["-c", "import websockets"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            continue
        }
        if process.terminationStatus == 0 { return candidate }
    }
    return nil
}()

/// Runs a Python script (with the `websockets` package) and returns its standard output.
func runPython(_ script: String, arguments: [String] = []) async throws -> String {
    guard let python = pythonWithWebsockets else { throw WebSocketHandshakeError("no python with websockets") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + ["-c", script] + arguments
    let output = Pipe()
    process.standardOutput = output
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    // Read on a thread: the pipe must be drained while the process runs.
    let data = await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: data)
        }
    }
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw WebSocketHandshakeError("python failed: \(message)\n\(text)")
    }
    return text
}

/// A Python process (with `websockets`) running in the background, such as a server for the Squall client.
final class PythonProcess: Sendable {
    private let process: Process
    private let output: Pipe

    init(_ script: String) throws {
        guard let python = pythonWithWebsockets else { throw WebSocketHandshakeError("no python with websockets") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + ["-c", script]
        output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The next line the process prints (read on a thread, as pipe reads block).
    func readLine() async throws -> String {
        let handle = output.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                while true {
                    let data = handle.readData(ofLength: 1)
                    guard let byte = data.first, byte != 0x0A else { break }
                    bytes.append(byte)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    func stop() {
        if process.isRunning { process.terminate() }
    }
}
