import HTTPBenchSupport
import NIOCore
import SquallHTTP
import SquallIO

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `http-bench-server`: the Squall side of the HTTP benchmark, a hello-world app written as an application would
/// write it, with ``HTTPServer`` and a handler closure.
///
/// ```
/// http-bench-server [--port P] [--threads N]      # or PORT=P THREADS=N http-bench-server
/// ```
///
/// `GET /plaintext` answers 200 `Hello, World!` (text/plain), `GET /json` answers 200
/// `{"message":"Hello, World!"}` (application/json, through a new `JSONEncoder` per request, as the peers encode
/// per request), anything else 404. Listens on 127.0.0.1 with one loop unless told otherwise, prints
/// `READY <port>` once accepting, and runs until killed.
@main
struct HTTPBenchServer {
    static let usage = """
        usage: http-bench-server [--port P] [--threads N]

        Serves GET /plaintext and GET /json on 127.0.0.1 with Squall's HTTPServer and prints 'READY <port>'.
        --port (else env PORT, else 0 = a free port), --threads event loops (else env THREADS, else 1).
        """

    static func main() async {
        await runServer(name: "http-bench-server", usage: usage) { settings in
            let group = IOLoopGroup(loopCount: settings.threads)
            let server = HTTPServer(group: group) { request, response in
                switch (request.method, request.path) {
                case ("GET", "/plaintext"):
                    try await response.respond(headers: ["Content-Type": "text/plain"], body: "Hello, World!")
                case ("GET", "/json"):
                    let json = try JSONEncoder().encode(HelloMessage.hello)
                    try await response.respond(
                        headers: ["Content-Type": "application/json"],
                        body: ByteBuffer(bytes: json)
                    )
                default:
                    try await response.respond(status: 404, headers: ["Content-Type": "text/plain"], body: "Not Found")
                }
            }
            try await server.listen(port: settings.port, address: "127.0.0.1")
            emit("READY \(server.port ?? settings.port)")
            // Nobody calls stop(): the script ends the process with a signal.
            try await group.loops[0].run()
        }
    }
}
