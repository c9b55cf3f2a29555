import Squall
import SquallHTTP
import SquallTesting
import Testing

/// Writes a large text body that Squall's gzip transform compresses.
final class LargeTextHandler: RequestHandler, @unchecked Sendable {
    static let text = String(repeating: "squall says hello. ", count: 5000)

    override func get() async throws { write(Self.text) }
}

@Suite struct HTTPClientBodyTests {
    static func gzipApp() throws -> Application {
        var settings = Settings()
        settings.compressResponse = true
        return Application(rules: [try url("/.*", LargeTextHandler.self)], settings: settings)
    }

    @Test func gzipResponsesAreDecompressed() async throws {
        try await withTestServer(try Self.gzipApp()) { server in
            let client = HTTPClient()
            defer { Task { try? await client.close() } }
            let response = try await client.fetch(server.url("/"))
            #expect(response.headers["Content-Encoding"] == "gzip")
            #expect(response.text == LargeTextHandler.text)

            // The server really compressed: the undecoded body is gzip and much smaller.
            let raw = try await client.fetch(
                HTTPRequest(server.url("/"), headers: ["Accept-Encoding": "gzip"], decompressResponse: false)
            )
            #expect(Array(raw.body.readableBytesView.prefix(2)) == [0x1f, 0x8b])
            #expect(raw.body.readableBytes < LargeTextHandler.text.utf8.count / 10)

            let plain = try await client.fetch(HTTPRequest(server.url("/"), decompressResponse: false))
            #expect(plain.headers["Content-Encoding"] == nil)
            #expect(plain.text == LargeTextHandler.text)
            try await client.close()
        }
    }

    @Test func streamingCallbackGetsALargeBodyInChunksInsteadOfBuffering() async throws {
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let pieces = 64  // 4 MiB
        let received = Shared((chunks: 0, bytes: 0, largest: 0))
        try await withServerAndClient(handler: { _, writer in
            try await writer.writeHead(headers: ["Content-Length": String(piece.count * pieces)])
            for _ in 0..<pieces { try await writer.write(ByteBuffer(bytes: piece)) }
            try await writer.finish()
        }) { client, base in
            let request = HTTPRequest(
                base + "/",
                streamingCallback: { chunk in
                    received.update {
                        $0.chunks += 1
                        $0.bytes += chunk.readableBytes
                        $0.largest = max($0.largest, chunk.readableBytes)
                    }
                }
            )
            let response = try await client.fetch(request)
            #expect(response.body.readableBytes == 0)
            #expect(response.code == 200)
        }
        let seen = received.value
        #expect(seen.bytes == piece.count * pieces)
        #expect(seen.chunks > 1)
        #expect(seen.largest < piece.count * pieces / 4)
    }

    @Test func anErrorFromTheStreamingCallbackEndsTheFetch() async throws {
        struct Stop: Error {}
        try await withServerAndClient(handler: { _, writer in
            try await writer.respond(body: String(repeating: "y", count: 100_000))
        }) { client, base in
            let request = HTTPRequest(base + "/", streamingCallback: { _ in throw Stop() })
            await #expect(throws: Stop.self) { try await client.fetch(request) }
            // The client stays usable.
            let again = try await client.fetch(base + "/")
            #expect(again.body.readableBytes == 100_000)
        }
    }

    @Test func bodiesOverMaxBodySizeFailWhetherLengthIsDeclaredOrNot() async throws {
        try await withServerAndClient(
            maxBodySize: 1000,
            handler: { request, writer in
                let body = String(repeating: "z", count: request.path == "/small" ? 1000 : 1001)
                if request.path == "/chunked" {
                    try await writer.writeHead()
                    try await writer.write(String(body.prefix(600)))
                    try await writer.write(String(body.dropFirst(600)))
                    try await writer.finish()
                } else {
                    try await writer.respond(body: body)
                }
            }
        ) { client, base in
            #expect(try await client.fetch(base + "/small").body.readableBytes == 1000)
            for path in ["/declared", "/chunked"] {
                let error = try await #require(throws: HTTPClientError.self) { try await client.fetch(base + path) }
                #expect(error.cause == .bodyTooLarge, "\(path)")
            }
            let streamed = HTTPRequest(base + "/chunked", streamingCallback: { _ in })
            let error = try await #require(throws: HTTPClientError.self) { try await client.fetch(streamed) }
            #expect(error.cause == .bodyTooLarge)
        }
    }
}
