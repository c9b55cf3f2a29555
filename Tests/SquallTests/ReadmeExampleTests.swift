import Squall
import SquallTesting
import Testing

// The README's examples, kept compiling and working.

final class ReadmeMainHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { write("Hello, world") }
}

final class ReadmeUserHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { write("user \(pathArgs[0] ?? "")") }
}

@Suite struct ReadmeExampleTests {
    @Test func theWebApplicationExampleServesBothRoutes() async throws {
        let app = Application(
            rules: [
                try url(#"/"#, ReadmeMainHandler.self),
                try url(#"/user/([0-9]+)"#, ReadmeUserHandler.self, name: "user"),
            ],
            settings: Settings(debug: true)
        )
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/").text == "Hello, world")
            #expect(try await server.fetch("/user/7").text == "user 7")
            #expect(try app.reverseURL("user", 7) == "/user/7")
        }
    }

    @Test func theHTTPServerExampleAnswers() async throws {
        let server = HTTPServer { request, response in
            try await response.respond(headers: ["Content-Type": "text/plain"], body: "Hello, \(request.path)")
        }
        try await server.listen(port: 0, address: "127.0.0.1")
        let client = try await TestClient.connect(port: try #require(server.port))
        let response = try await client.fetch("/there")
        #expect(response.text == "Hello, /there")
        client.close()
        await server.stop(gracePeriod: .seconds(1))
    }

    @Test func theTCPServerExampleEchoes() async throws {
        let server = TCPServer { stream, _ in
            while let line = try? await stream.readUntil("\n", maxBytes: 64 * 1024) {
                try? await stream.write(line)
            }
        }
        try await server.listen(port: 0, address: "127.0.0.1")
        let client = try await TCPClient().connect(host: "127.0.0.1", port: try #require(server.port))
        try await client.write("ping\n")
        #expect(String(buffer: try await client.readUntil("\n")) == "ping\n")
        client.close()
        await server.stop()
    }
}
