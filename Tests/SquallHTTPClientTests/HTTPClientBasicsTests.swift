import Squall
import SquallHTTP
import Testing

@Suite struct HTTPClientBasicsTests {
    @Test func getReturnsCodeHeadersBodyAndTimes() async throws {
        try await withServerAndClient(handler: { _, writer in
            try await writer.respond(headers: ["X-Answer": "42"], body: "hello")
        }) { client, base in
            let response = try await client.fetch(base + "/")
            #expect(response.code == 200)
            #expect(response.reason == "OK")
            #expect(response.headers["X-Answer"] == "42")
            #expect(response.text == "hello")
            #expect(response.effectiveURL == base + "/")
            #expect(response.error == nil)
            #expect(response.requestTime >= 0)
            #expect(response.startTime > 1_600_000_000)
            #expect(response.request.url == base + "/")
            try response.rethrow()
        }
    }

    @Test func postSendsStringBytesAndBufferBodiesWithHeaders() async throws {
        try await withServerAndClient(handler: { request, writer in
            try await writer.respond(
                body: "\(request.method) \(request.headers["X-Test"] ?? "-") \(String(buffer: request.body))"
            )
        }) { client, base in
            let bodies: [any HTTPRequestBodyConvertible] = ["text", Array("bytes".utf8), ByteBuffer(string: "buffer")]
            var texts: [String] = []
            for body in bodies {
                let response = try await client.fetch(
                    base + "/",
                    method: "POST",
                    headers: ["X-Test": "yes"],
                    body: body
                )
                texts.append(response.text)
            }
            #expect(texts == ["POST yes text", "POST yes bytes", "POST yes buffer"])
            let put = try await client.fetch(HTTPRequest(base + "/", method: "PUT", body: "p"))
            #expect(put.text == "PUT - p")
        }
    }

    @Test func non2xxThrowsHTTPClientErrorWithTheResponse() async throws {
        try await withServerAndClient(handler: { _, writer in
            try await writer.respond(status: 404, body: "no such thing")
        }) { client, base in
            let error = try await #require(throws: HTTPClientError.self) { try await client.fetch(base + "/missing") }
            #expect(error.code == 404)
            #expect(error.cause == .httpStatus)
            #expect(error.message == "Not Found")
            #expect(error.description == "HTTP 404: Not Found")
            #expect(error.response?.text == "no such thing")
        }
    }

    @Test func raiseErrorFalseReturnsTheResponseWithItsError() async throws {
        try await withServerAndClient(handler: { _, writer in
            try await writer.respond(status: 500, body: "broken")
        }) { client, base in
            let response = try await client.fetch(base + "/", raiseError: false)
            #expect(response.code == 500)
            #expect(response.text == "broken")
            #expect(response.error?.code == 500)
            #expect(response.error?.cause == .httpStatus)
            #expect(throws: HTTPClientError.self) { try response.rethrow() }
        }
    }

    @Test func optionsBecomeHeaders() async throws {
        try await withServerAndClient(handler: echoHandler) { client, base in
            let agent = try await client.fetch(HTTPRequest(base + "/header/User-Agent", userAgent: "squall-test/1"))
            #expect(agent.text == "squall-test/1")
            let since = try await client.fetch(HTTPRequest(base + "/header/If-Modified-Since", ifModifiedSince: 0))
            #expect(since.text == "Thu, 01 Jan 1970 00:00:00 GMT")
            let gzip = try await client.fetch(base + "/header/Accept-Encoding")
            #expect(gzip.text == "gzip")
            let plain = try await client.fetch(HTTPRequest(base + "/header/Accept-Encoding", decompressResponse: false))
            #expect(plain.text == "<none>")
        }
    }

    @Test func basicAuthSendsTheAuthorizationHeader() async throws {
        try await withServerAndClient(handler: echoHandler) { client, base in
            let request = HTTPRequest(
                base + "/header/Authorization",
                authUsername: "Aladdin",
                authPassword: "open sesame"
            )
            #expect(try await client.fetch(request).text == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
            let short = HTTPRequest(base + "/header/Authorization", authUsername: "a", authPassword: "")
            #expect(try await client.fetch(short).text == "Basic YTo=")
            let none = try await client.fetch(base + "/header/Authorization")
            #expect(none.text == "<none>")
        }
    }

    @Test func methodAndBodyAreCheckedAsTornadoDoes() async throws {
        try await withServerAndClient(handler: echoHandler) { client, base in
            let missingBody = try await #require(throws: HTTPClientError.self) {
                try await client.fetch(base + "/echo", method: "POST")
            }
            #expect(missingBody.cause == .invalidRequest)
            let unexpectedBody = try await #require(throws: HTTPClientError.self) {
                try await client.fetch(base + "/echo", body: "x")
            }
            #expect(unexpectedBody.cause == .invalidRequest)
            let unknown = try await #require(throws: HTTPClientError.self) {
                try await client.fetch(base + "/echo", method: "PROPFIND")
            }
            #expect(unknown.cause == .invalidRequest)
            let allowed = try await client.fetch(
                HTTPRequest(base + "/echo", method: "PROPFIND", body: "x", allowNonstandardMethods: true)
            )
            #expect(allowed.text == "PROPFIND x")
        }
    }

    @Test func headerCallbackGetsTheHeadLineByLine() async throws {
        let lines = Shared<[String]>([])
        try await withServerAndClient(handler: { _, writer in
            try await writer.respond(headers: ["X-One": "1"], body: "ok")
        }) { client, base in
            let request = HTTPRequest(base + "/", headerCallback: { line in lines.update { $0.append(line) } })
            _ = try await client.fetch(request)
        }
        let seen = lines.value
        #expect(seen.first == "HTTP/1.1 200 OK\r\n")
        #expect(seen.contains("X-One: 1\r\n"))
        #expect(seen.last == "\r\n")
    }

    @Test func aClosedClientRefusesToFetch() async throws {
        try await withServerAndClient(handler: echoHandler) { client, base in
            _ = try await client.fetch(base + "/echo")
            try await client.close()
            let error = try await #require(throws: HTTPClientError.self) { try await client.fetch(base + "/echo") }
            #expect(error.cause == .clientClosed)
        }
    }

    @Test func sharedClientIsOnePerGroupAndSurvivesClose() async throws {
        let shared = HTTPClient.shared()
        #expect(shared === HTTPClient.shared(group: .shared))
        try await shared.close()
        let server = HTTPServer(handler: echoHandler)
        try await server.listen(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        let response = try await shared.fetch("http://127.0.0.1:\(port)/echo")
        await server.stop(gracePeriod: .seconds(1))
        #expect(response.text == "GET ")
    }
}
