// squall-ws-echo: the WebSocket echo server and client the Autobahn conformance script drives
// (Tests/Conformance/autobahn/run.sh), also handy for benchmarks.
//
//   squall-ws-echo server [--port 9001] [--address 127.0.0.1] [--no-compression] [--threads N]
//   squall-ws-echo client --url ws://127.0.0.1:9001 [--agent squall] [--no-compression]
//
// The server echoes text as text and binary as binary on every path, with permessage-deflate on and a 64 MiB
// message limit (Autobahn's 9.* cases send 16 MiB messages). The client runs Autobahn's fuzzingserver
// protocol: it asks for the case count, echoes every case, then asks the server to write its reports.
import Foundation
import Squall

final class EchoHandler: WebSocketHandler, @unchecked Sendable {
    nonisolated(unsafe) static var compression = true

    override func getCompressionOptions() -> WebSocketCompressionOptions? {
        Self.compression ? WebSocketCompressionOptions() : nil
    }

    override func onMessage(_ message: WebSocketMessage) async throws {
        try await writeMessage(message)
    }
}

func option(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func runServer(_ arguments: [String]) async throws {
    let port = Int(option("--port", arguments) ?? "9001") ?? 9001
    let address = option("--address", arguments) ?? "127.0.0.1"
    EchoHandler.compression = !arguments.contains("--no-compression")
    var settings = Settings()
    settings.websocketMaxMessageSize = 64 * 1024 * 1024
    let app = Application(rules: [try url("/.*", EchoHandler.self)], settings: settings)
    // --threads N: serve on N loops of our own (benchmarks pin the server to one core with one loop).
    let group = option("--threads", arguments).flatMap(Int.init).map { IOLoopGroup(loopCount: max(1, $0)) } ?? .shared
    let server = try await app.listen(port, address: address, group: group)
    print("squall-ws-echo serving ws://\(address):\(server.port ?? port)/")
    while true { try await Task.sleep(for: .seconds(3600)) }
}

func runClient(_ arguments: [String]) async throws {
    let base = option("--url", arguments) ?? "ws://127.0.0.1:9001"
    let agent = option("--agent", arguments) ?? "squall"
    let compression: WebSocketCompressionOptions? =
        arguments.contains("--no-compression") ? nil : WebSocketCompressionOptions()
    let maxSize = 64 * 1024 * 1024
    let counter = try await websocketConnect("\(base)/getCaseCount")
    guard let text = await counter.readMessage()?.text, let count = Int(text) else { fail("no case count") }
    print("\(count) cases")
    for number in 1...max(count, 1) where count > 0 {
        do {
            let ws = try await websocketConnect(
                "\(base)/runCase?case=\(number)&agent=\(agent)",
                compressionOptions: compression,
                maxMessageSize: maxSize
            )
            for await message in ws {
                do { try await ws.writeMessage(message) } catch { break }
            }
        } catch {
            print("case \(number): \(error)")
        }
    }
    let reports = try await websocketConnect("\(base)/updateReports?agent=\(agent)")
    while await reports.readMessage() != nil {}
    print("reports updated")
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "server": try await runServer(arguments)
case "client": try await runClient(arguments)
default: fail("usage: squall-ws-echo server [--port N] | client --url ws://127.0.0.1:PORT [--agent NAME]")
}
