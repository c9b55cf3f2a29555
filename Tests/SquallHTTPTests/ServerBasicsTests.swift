import NIOCore
import SquallIO
import Testing

@testable import SquallHTTP

@Suite struct ServerBasicsTests {
    @Test func answersAHandlerClosureWithHeadersSquallAdds() async throws {
        try await withHTTPServer(handler: { request, response in
            try await response.respond(headers: ["Content-Type": "text/plain"], body: "Hello, \(request.path)")
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get("/world"))
            let response = try await client.readResponse()
            #expect(response.statusLine == "HTTP/1.1 200 OK")
            #expect(response.body == "Hello, /world")
            #expect(response.header("Content-Length") == "13")
            #expect(response.header("Server") == "Squall")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
        }
    }

    @Test func keepsTheConnectionAliveBetweenRequests() async throws {
        let connections = Shared<Set<Int>>([])
        try await withHTTPServer(handler: { request, response in
            connections.update { _ = $0.insert(request.connectionID) }
            try await response.respond(body: "n")
        }) { port in
            let client = try await RawClient.connect(port)
            for _ in 0..<3 {
                try await client.send(get())
                #expect(try await client.readResponse().status == 200)
            }
            #expect(connections.value.count == 1)
        }
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        try await withHTTPServer(handler: { request, response in
            // The first request is the slowest: its answer must still come first.
            if request.path == "/1" { try await Task.sleep(for: .milliseconds(60)) }
            try await response.respond(body: request.path)
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get("/1") + get("/2") + get("/3"))
            var bodies: [String] = []
            for _ in 0..<3 { bodies.append(try await client.readResponse().body) }
            #expect(bodies == ["/1", "/2", "/3"])
        }
    }

    @Test func readsChunkedRequestBodies() async throws {
        try await withHTTPServer(handler: { request, response in
            try await response.respond(body: request.body)
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            )
            #expect(try await client.readResponse().body == "hello world")
        }
    }

    @Test func writesChunkedResponsesWhenTheLengthIsUnknown() async throws {
        try await withHTTPServer(handler: { _, response in
            try await response.writeHead(status: 200)
            try await response.write("first ")
            try await response.write("second")
            try await response.finish()
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get())
            let response = try await client.readResponse()
            #expect(response.chunked)
            #expect(response.body == "first second")
            try await client.send(get())
            #expect(try await client.readResponse().body == "first second")
        }
    }

    @Test func sends100ContinueBeforeReadingTheBody() async throws {
        try await withHTTPServer(handler: { request, response in
            try await response.respond(body: request.body)
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send("PUT /f HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.statusLine == "HTTP/1.1 100 Continue")
            try await client.send("body")
            #expect(try await client.readResponse().body == "body")
        }
    }

    @Test func answersHeadWithHeadersOnly() async throws {
        try await withHTTPServer(handler: { _, response in
            try await response.respond(body: "twelve bytes")
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try await client.readResponse(bodiless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "12")
            // Had a body been sent, it would be read as the next response's status line.
            try await client.send(get())
            #expect(try await client.readResponse().body == "twelve bytes")
        }
    }

    @Test func headWithoutALengthIsNotChunked() async throws {
        try await withHTTPServer(handler: { _, response in
            try await response.writeHead()
            try await response.write("ignored for HEAD")
            try await response.finish()
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await client.readResponse(bodiless: true)
            try await client.send(get())
            #expect(try await client.readResponse().body == "ignored for HEAD")
        }
    }

    @Test func honoursConnectionClose() async throws {
        try await withHTTPServer(handler: { _, response in try await response.respond(body: "bye") }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get(extra: "Connection: close\r\n"))
            let response = try await client.readResponse()
            #expect(response.header("Connection") == "close")
            #expect(try await client.readUntilClose() == "")
        }
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() async throws {
        try await withHTTPServer(handler: { _, response in try await response.respond(body: "ten") }) { port in
            let plain = try await RawClient.connect(port)
            try await plain.send("GET / HTTP/1.0\r\n\r\n")
            let first = try await plain.readResponse()
            #expect(first.statusLine == "HTTP/1.0 200 OK")
            #expect(try await plain.readUntilClose() == "")

            let kept = try await RawClient.connect(port)
            try await kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try await kept.readResponse()
            #expect(response.header("Connection") == "keep-alive")
            try await kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try await kept.readResponse().body == "ten")
        }
    }

    @Test func noKeepAliveClosesAfterEachResponse() async throws {
        var options = HTTPServerOptions()
        options.noKeepAlive = true
        try await withHTTPServer(options: options, handler: { _, response in try await response.respond(body: "x") }) {
            port in
            let client = try await RawClient.connect(port)
            try await client.send(get())
            #expect(try await client.readResponse().header("Connection") == "close")
            #expect(try await client.readUntilClose() == "")
        }
    }

    @Test func aThrowingHandlerGetsA500AndAnUnfinishedOneIsFinished() async throws {
        struct Boom: Error {}
        try await withHTTPServer(handler: { request, _ in
            if request.path == "/throw" { throw Boom() }
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get("/throw"))
            #expect(try await client.readResponse().status == 500)
            let other = try await RawClient.connect(port)
            try await other.send(get("/silent"))
            let silent = try await other.readResponse()
            #expect(silent.status == 200)
            #expect(silent.header("Content-Length") == "0")
        }
    }

    @Test func exposesTheRequestAsTornadoDoes() async throws {
        let seen = Shared<[String]>([])
        try await withHTTPServer(handler: { request, response in
            seen.value = [
                request.method, request.uri, request.path, request.query, request.version, request.host,
                request.hostName, request.remoteIP, request.protocol, request.fullURL,
                String(decoding: request.queryArguments["a"]?.first ?? [], as: UTF8.self),
                String(decoding: request.bodyArguments["b"]?.first ?? [], as: UTF8.self),
                String(request.arguments.count), request.cookies["session"] ?? "-",
            ]
            try await response.respond(body: "")
        }) { port in
            let client = try await RawClient.connect(port)
            let body = "b=two+words"
            try await client.send(
                "POST /p/a%20th?a=1&c=3 HTTP/1.1\r\nHost: Example.COM:8080\r\nCookie: session=abc; x=y\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            )
            _ = try await client.readResponse()
            #expect(
                seen.value == [
                    "POST", "/p/a%20th?a=1&c=3", "/p/a%20th", "a=1&c=3", "HTTP/1.1", "Example.COM:8080", "example.com",
                    "127.0.0.1", "http", "http://Example.COM:8080/p/a%20th?a=1&c=3", "1", "two words", "3", "abc",
                ]
            )
        }
    }

    @Test func parsesMultipartUploads() async throws {
        let seen = Shared<[String]>([])
        try await withHTTPServer(handler: { request, response in
            let file = request.files["upload"]?.first
            seen.value = [
                file?.filename ?? "-", file?.contentType ?? "-", String(decoding: file?.body ?? [], as: UTF8.self),
            ]
            try await response.respond(body: "")
        }) { port in
            let client = try await RawClient.connect(port)
            let body =
                "--B\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + "file body\r\n--B--\r\n"
            try await client.send(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            )
            _ = try await client.readResponse()
            #expect(seen.value == ["a.txt", "text/plain", "file body"])
        }
    }
}
