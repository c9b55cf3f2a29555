import NIOCore
import SquallIO
import Testing

@testable import SquallHTTP

/// Records what an HTTPServerObserver is told.
final class RecordingObserver: HTTPServerObserver {
    let events = Shared<[String]>([])

    func connectionOpened(_ connection: HTTPConnectionInfo, control: HTTPConnectionControl) {
        events.update {
            $0.append("open peer=\(connection.peer.hasPrefix("127.0.0.1:")) loop=\(connection.loopIndex >= 0)")
        }
    }
    func requestStarted(_ request: HTTPServerRequest) {
        events.update { $0.append("start \(request.method) \(request.path)") }
    }
    func requestFinished(_ request: HTTPServerRequest, status: Int, bytesOut: Int, duration: Double) {
        events.update { $0.append("finish \(request.path) \(status) bytes=\(bytesOut) timed=\(duration >= 0)") }
    }
    func connectionClosed(_ connection: HTTPConnectionInfo, bytesIn: Int, bytesOut: Int, requests: Int) {
        events.update { $0.append("close in=\(bytesIn > 0) out=\(bytesOut > 0) requests=\(requests)") }
    }
}

@Suite struct ServerConnectionTests {
    @Test func aClientThatStallsInItsHeadersIsCutOff() async throws {
        var options = HTTPServerOptions()
        options.headerTimeout = .milliseconds(200)
        try await withHTTPServer(options: options, handler: { _, response in try await response.respond(body: "") }) {
            port in
            let client = try await RawClient.connect(port)
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow")
            #expect(try await client.readUntilClose() == "")
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        var options = HTTPServerOptions()
        options.idleConnectionTimeout = .milliseconds(200)
        try await withHTTPServer(options: options, handler: { _, response in try await response.respond(body: "k") }) {
            port in
            let client = try await RawClient.connect(port)
            try await client.send(get())
            #expect(try await client.readResponse().body == "k")
            #expect(try await client.readUntilClose() == "")
        }
    }

    @Test func aBodyThatStallsIsCutOff() async throws {
        var options = HTTPServerOptions()
        options.bodyTimeout = .milliseconds(200)
        try await withHTTPServer(options: options, handler: { _, response in try await response.respond(body: "") }) {
            port in
            let client = try await RawClient.connect(port)
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try await client.readUntilClose() == "")
        }
    }

    @Test func xheadersGiveTheProxysViewOfTheClient() async throws {
        var options = HTTPServerOptions()
        options.xheaders = true
        options.trustedDownstream = ["10.0.0.9"]
        let seen = Shared<[String]>([])
        try await withHTTPServer(
            options: options,
            handler: { request, response in
                seen.update { $0.append("\(request.remoteIP) \(request.protocol)") }
                try await response.respond(body: "")
            }
        ) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get(extra: "X-Real-Ip: 4.4.4.4\r\nX-Scheme: https\r\n"))
            _ = try await client.readResponse()
            try await client.send(
                get(extra: "X-Forwarded-For: 1.2.3.4, 5.6.7.8, 10.0.0.9\r\nX-Forwarded-Proto: http, https\r\n")
            )
            _ = try await client.readResponse()
            try await client.send(get(extra: "X-Real-Ip: not-an-ip\r\nX-Scheme: gopher\r\n"))
            _ = try await client.readResponse()
        }
        #expect(seen.value == ["4.4.4.4 https", "5.6.7.8 https", "127.0.0.1 http"])
    }

    @Test func withoutXheadersProxyHeadersAreIgnored() async throws {
        let seen = Shared("")
        try await withHTTPServer(handler: { request, response in
            seen.value = request.remoteIP
            try await response.respond(body: "")
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get(extra: "X-Real-Ip: 4.4.4.4\r\n"))
            _ = try await client.readResponse()
        }
        #expect(seen.value == "127.0.0.1")
    }

    @Test func gzipRequestBodiesAreDecompressedWhenAsked() async throws {
        // Python: gzip.compress(b"a=1&b=hello", mtime=0)
        let gzipped: [UInt8] = [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0xb4, 0x35, 0x54, 0x4b, 0xb2,
            0xcd, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xf8, 0x56, 0x7c, 0x35, 0x0b, 0x00, 0x00, 0x00,
        ]
        var options = HTTPServerOptions()
        options.decompressRequest = true
        let seen = Shared<[String]>([])
        try await withHTTPServer(
            options: options,
            handler: { request, response in
                seen.value = [
                    String(buffer: request.body), request.headers["Content-Encoding"] ?? "-",
                    request.headers["X-Consumed-Content-Encoding"] ?? "-",
                    String(decoding: request.bodyArguments["b"]?.first ?? [], as: UTF8.self),
                ]
                try await response.respond(body: "")
            }
        ) { port in
            let client = try await RawClient.connect(port)
            try await client.send(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: \(gzipped.count)\r\n\r\n"
            )
            try await client.send(gzipped)
            let response = try await client.readResponse()
            #expect(response.status == 200, "\(response.statusLine) \(response.body)")
        }
        #expect(seen.value == ["a=1&b=hello", "-", "gzip", "hello"])
    }

    @Test func stopLetsRequestsInProgressFinishAndClosesIdleConnections() async throws {
        let slowStarted = Shared(false)
        let server = HTTPServer { request, response in
            if request.path == "/slow" {
                slowStarted.value = true
                try await Task.sleep(for: .milliseconds(300))
            }
            try await response.respond(body: request.path)
        }
        try await server.listen(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        let idle = try await RawClient.connect(port)
        try await idle.send(get("/fast"))
        #expect(try await idle.readResponse().body == "/fast")
        let busy = try await RawClient.connect(port)
        try await busy.send(get("/slow"))
        // Stop only once the slow request is in its handler; before that the connection counts as idle.
        try await waitUntil("the slow request is being handled") { slowStarted.value }
        let stopping = Task { await server.stop(gracePeriod: .seconds(5)) }
        #expect(try await idle.readUntilClose() == "")
        #expect(try await busy.readResponse().body == "/slow")
        #expect(try await busy.readUntilClose() == "")
        await stopping.value
        await #expect(throws: TCPConnectError.self) { try await RawClient.connect(port) }
    }

    @Test func stopClosesWhatIsStillOpenAfterTheGracePeriod() async throws {
        let server = HTTPServer { _, response in
            try await Task.sleep(for: .seconds(30))
            try await response.respond(body: "never")
        }
        try await server.listen(port: 0, address: "127.0.0.1")
        let client = try await RawClient.connect(try #require(server.port))
        try await client.send(get())
        try await waitUntil("the request is in progress") { server.connectionCount == 1 }
        await server.stop(gracePeriod: .milliseconds(200))
        #expect(try await client.readUntilClose() == "")
    }

    @Test func theObserverSeesConnectionsAndRequests() async throws {
        let observer = RecordingObserver()
        try await withHTTPServer(
            observer: observer,
            handler: { request, response in
                try await response.respond(status: request.path == "/missing" ? 404 : 200, body: "abc")
            }
        ) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get("/a"))
            _ = try await client.readResponse()
            try await client.send(get("/missing", extra: "Connection: close\r\n"))
            _ = try await client.readResponse()
            _ = try await client.readUntilClose()
            try await waitUntil("the close is reported") { observer.events.value.count == 6 }
        }
        #expect(
            observer.events.value == [
                "open peer=true loop=true", "start GET /a", "finish /a 200 bytes=3 timed=true", "start GET /missing",
                "finish /missing 404 bytes=3 timed=true", "close in=true out=true requests=2",
            ]
        )
    }

    @Test func streamedBodiesArriveInChunksBeforeTheyEnd() async throws {
        struct Streaming: HTTPServerDelegate {
            let chunks: Shared<[String]>
            func bodyMode(for request: HTTPServerRequest) -> HTTPBodyMode { .streamed }
            func handle(_ request: HTTPServerRequest, _ response: HTTPResponseWriter) async throws {
                guard let body = request.bodyStream else { return }
                var total = 0
                for try await chunk in body {
                    chunks.update { $0.append(String(buffer: chunk)) }
                    total += chunk.readableBytes
                    if total == 5 { try await response.writeHead(status: 200, headers: ["X-Seen": "first"]) }
                }
                try await response.write("got \(total)")
                try await response.finish()
            }
        }
        let chunks = Shared<[String]>([])
        let server = HTTPServer(delegate: Streaming(chunks: chunks))
        try await withHTTPServer(server) { port in
            let client = try await RawClient.connect(port)
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n")
            try await waitUntil("the first chunk reached the handler") { chunks.value == ["first"] }
            try await client.send("6\r\nsecond\r\n0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("X-Seen") == "first")
            #expect(response.body == "got 11")
        }
    }
}

@Suite struct ServerBackpressureTests {
    @Test func aStreamingResponseWaitsForASlowClient() async throws {
        let written = Shared(0)
        let finished = Shared(false)
        try await withHTTPServer(handler: { _, response in
            try await response.writeHead(status: 200)
            let chunk = ByteBuffer(repeating: 0x61, count: 64 * 1024)
            for _ in 0..<1024 {  // 64 MiB if nothing held it back
                try await response.write(chunk)
                written.update { $0 += chunk.readableBytes }
            }
            try await response.finish()
            finished.value = true
        }) { port in
            let client = try await RawClient.connect(port)
            try await client.send(get())
            // The client reads nothing: the handler must stall at roughly the socket buffers' size.
            var last = -1
            try await waitUntil("the writer stalls") {
                try await Task.sleep(for: .milliseconds(300))
                defer { last = written.value }
                return written.value == last
            }
            #expect(
                written.value < 32 * 1024 * 1024,
                "handler wrote \(written.value) bytes to a client reading nothing"
            )
            #expect(!finished.value)
            let response = try await client.readResponse()
            #expect(response.body.utf8.count == 64 * 1024 * 1024)
            try await waitUntil("the handler finished") { finished.value }
        }
    }

    @Test func aStreamedBodyIsReadNoFasterThanTheHandlerConsumesIt() async throws {
        struct SlowConsumer: HTTPServerDelegate {
            let consumed: Shared<Int>
            let release: Shared<Bool>
            func bodyMode(for request: HTTPServerRequest) -> HTTPBodyMode { .streamed }
            func handle(_ request: HTTPServerRequest, _ response: HTTPResponseWriter) async throws {
                guard let body = request.bodyStream else { return }
                for try await chunk in body {
                    while !release.value { try await Task.sleep(for: .milliseconds(5)) }
                    consumed.update { $0 += chunk.readableBytes }
                }
                try await response.respond(body: "\(consumed.value)")
            }
        }
        let consumed = Shared(0)
        let release = Shared(false)
        var options = HTTPServerOptions()
        options.chunkSize = 16 * 1024
        let total = 64 * 1024 * 1024
        let server = HTTPServer(options: options, delegate: SlowConsumer(consumed: consumed, release: release))
        try await withHTTPServer(server) { port in
            let client = try await RawClient.connect(port)
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(total)\r\n\r\n")
            let sent = Shared(0)
            let sender = Task {
                let chunk = ByteBuffer(repeating: 0x62, count: 256 * 1024)
                while sent.value < total {
                    try await client.stream.write(chunk)
                    sent.update { $0 += chunk.readableBytes }
                }
            }
            var last = -1
            try await waitUntil("the client's upload stalls") {
                try await Task.sleep(for: .milliseconds(300))
                defer { last = sent.value }
                return sent.value == last
            }
            #expect(sent.value < total / 2, "server accepted \(sent.value) bytes while the handler read nothing")
            release.value = true
            try await sender.value
            #expect(try await client.readResponse().body == "\(total)")
        }
    }
}
