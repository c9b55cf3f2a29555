import NIOCore
import SquallIO
import Testing

@testable import SquallHTTP

/// One malformed request and what the server must answer.
struct BadRequestCase: CustomStringConvertible, Sendable {
    var name: String
    var request: String
    var status: Int
    var reasonContains: String

    var description: String { name }
}

@Suite struct ServerStrictParsingTests {
    static let cases: [BadRequestCase] = [
        .init(
            name: "non-digit Content-Length",
            request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello",
            status: 400,
            reasonContains: "Content-Length"
        ),
        .init(
            name: "unequal repeated Content-Length",
            request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            status: 400,
            reasonContains: "Content-Length"
        ),
        .init(
            name: "Content-Length with unequal list",
            request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello!",
            status: 400,
            reasonContains: "Content-Length"
        ),
        .init(
            name: "Transfer-Encoding and Content-Length",
            request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            status: 400,
            reasonContains: "Content-Length"
        ),
        .init(
            name: "gzip, chunked",
            request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            status: 400,
            reasonContains: "Transfer-Encoding"
        ),
        .init(
            name: "repeated Transfer-Encoding",
            request:
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            status: 400,
            reasonContains: "Transfer-Encoding"
        ),
        .init(
            name: "unknown Transfer-Encoding",
            request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: compress\r\n\r\n",
            status: 400,
            reasonContains: "Transfer-Encoding"
        ),
        .init(
            name: "non-hex chunk size",
            request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
            status: 400,
            reasonContains: "chunk"
        ),
        .init(
            name: "signed chunk size",
            request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n",
            status: 400,
            reasonContains: "chunk"
        ),
        .init(
            name: "obs-fold",
            request: "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
            status: 400,
            reasonContains: "header"
        ),
        .init(name: "missing Host on HTTP/1.1", request: "GET / HTTP/1.1\r\n\r\n", status: 400, reasonContains: "Host"),
        .init(
            name: "invalid Host",
            request: "GET / HTTP/1.1\r\nHost: exa mple.com\r\n\r\n",
            status: 400,
            reasonContains: "Host"
        ),
        .init(
            name: "two Host headers",
            request: "GET / HTTP/1.1\r\nHost: a.com\r\nHost: b.com\r\n\r\n",
            status: 400,
            reasonContains: "Host"
        ),
        .init(
            name: "comma in Host",
            request: "GET / HTTP/1.1\r\nHost: a.com,b.com\r\n\r\n",
            status: 400,
            reasonContains: "Host"
        ),
        .init(
            name: "control character in the target",
            request: "GET /a\u{01}b HTTP/1.1\r\nHost: x\r\n\r\n",
            status: 400,
            reasonContains: "request"
        ),
        .init(name: "malformed request line", request: "GARBAGE\r\n\r\n", status: 400, reasonContains: ""),
        .init(
            name: "HTTP/2.0 request line",
            request: "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
            status: 400,
            reasonContains: "version"
        ),
    ]

    @Test(arguments: cases)
    func rejectsMalformedRequestsWithAReason(_ bad: BadRequestCase) async throws {
        let handled = Shared(0)
        try await withHTTPServer(handler: { _, response in
            handled.update { $0 += 1 }
            try await response.respond(body: "handled")
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(bad.request)
            let response = try await client.readResponse()
            #expect(response.status == bad.status, "\(bad.name): \(response.statusLine) \(response.body)")
            #expect(
                response.body.lowercased().contains(bad.reasonContains.lowercased()),
                "\(bad.name): \(response.body)"
            )
            #expect(response.header("Connection") == "close")
            #expect(try await client.readUntilClose() == "")
            #expect(handled.value == 0)
            // The server keeps serving everyone else.
            let other = try await RawClient.connect(port)
            try await other.send(get())
            #expect(try await other.readResponse().body == "handled")
        }
    }

    @Test func repeatedEqualContentLengthsCollapse() async throws {
        try await withHTTPServer(handler: { request, response in try await response.respond(body: request.body) }) {
            port in
            let client = try await RawClient.connect(port)
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello")
            let response = try await client.readResponse()
            // SwiftNIO's parser (llhttp) refuses any repeated Content-Length, equal or not, with a 400 before
            // Squall sees the request. Stricter than Tornado, never smuggling-prone; tracked until Squall parses
            // request heads itself.
            withKnownIssue("llhttp rejects repeated equal Content-Length values that Tornado collapses") {
                #expect(response.status == 200, "\(response.statusLine) \(response.body)")
                #expect(response.body == "hello")
            }
        }
    }

    @Test func headersLargerThanTheLimitGet431() async throws {
        var options = HTTPServerOptions()
        options.maxHeaderSize = 1024
        try await withHTTPServer(options: options, handler: { _, response in try await response.respond(body: "") }) {
            port in
            let client = try await RawClient.connect(port)
            try await client.send(get(extra: "X-Big: \(String(repeating: "a", count: 4096))\r\n"))
            #expect(try await client.readResponse().status == 431)
        }
    }

    @Test func aBodyOverTheLimitGets413WithoutBeingRead() async throws {
        var options = HTTPServerOptions()
        options.maxBodySize = 1000
        try await withHTTPServer(options: options, handler: { _, response in try await response.respond(body: "") }) {
            port in
            let client = try await RawClient.connect(port)
            // Only the head is sent: the answer must not wait for the 10 MB the client announced.
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.body.contains("1000"))
        }
    }

    @Test func aChunkedBodyOverTheLimitGets413() async throws {
        var options = HTTPServerOptions()
        options.maxBodySize = 10
        try await withHTTPServer(options: options, handler: { _, response in try await response.respond(body: "") }) {
            port in
            let client = try await RawClient.connect(port)
            try await client.send(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n"
            )
            #expect(try await client.readResponse().status == 413)
        }
    }

    @Test func tooManyQueryFieldsGet400() async throws {
        try await withHTTPServer(handler: { _, response in try await response.respond(body: "") }) { port in
            let client = try await RawClient.connect(port)
            let query = (0..<1001).map { "f\($0)=v" }.joined(separator: "&")
            try await client.send(get("/?\(query)"))
            #expect(try await client.readResponse().status == 400)
        }
    }

    @Test func tooManyMultipartPartsGet400() async throws {
        try await withHTTPServer(handler: { _, response in try await response.respond(body: "") }) { port in
            let client = try await RawClient.connect(port)
            let part = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n"
            let body = String(repeating: part, count: 101) + "--B--\r\n"
            try await client.send(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            )
            #expect(try await client.readResponse().status == 400)
        }
    }
}
