import HTTPBenchSupport
import SquallIO

/// The Squall side of the comparison: a line echo server written as an application would write it, with
/// ``TCPServer`` and ``IOStream`` on one loop.
enum SquallEchoServer {
    /// Listens on 127.0.0.1:`port` (0 picks a free port), prints `READY <port>` and echoes until killed.
    static func run(port: Int) async throws {
        let group = IOLoopGroup(loopCount: 1)
        let server = TCPServer(group: group) { stream, _ in
            while true {
                guard let line = try? await stream.readUntil("\n", maxBytes: 65536) else { return }
                do {
                    try await stream.write(line)
                } catch {
                    return
                }
            }
        }
        try await server.listen(port: port, address: "127.0.0.1")
        emit("READY \(server.port ?? port)")
        // Nobody calls stop(): the script ends the process with a signal.
        try await group.loops[0].run()
    }
}
