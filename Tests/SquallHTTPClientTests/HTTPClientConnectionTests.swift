import Squall
import SquallHTTP
import Testing

@Suite struct HTTPClientConnectionTests {
    @Test func sequentialFetchesReuseOneKeepAliveConnection() async throws {
        let connections = Shared<Set<Int>>([])
        try await withServerAndClient(handler: { request, writer in
            connections.update { _ = $0.insert(request.connectionID) }
            try await writer.respond(body: "ok")
        }) { client, base in
            for _ in 0..<5 { _ = try await client.fetch(base + "/") }
        }
        #expect(connections.value.count == 1)
    }

    @Test func maxClientsLimitsConcurrentRequestsAndQueuesTheRest() async throws {
        let load = Shared((current: 0, peak: 0, connections: Set<Int>()))
        try await withServerAndClient(
            maxClients: 2,
            handler: { request, writer in
                load.update {
                    $0.current += 1
                    $0.peak = max($0.peak, $0.current)
                    $0.connections.insert(request.connectionID)
                }
                try await Task.sleep(for: .milliseconds(150))
                load.update { $0.current -= 1 }
                try await writer.respond(body: "ok")
            }
        ) { client, base in
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<5 { group.addTask { try await client.fetch(base + "/").text } }
                var texts: [String] = []
                for try await text in group { texts.append(text) }
                #expect(texts == Array(repeating: "ok", count: 5))
            }
        }
        #expect(load.value.peak == 2)
        #expect(load.value.connections.count <= 2)
    }

    @Test func aQueuedRequestTimesOutWithAQueueTimeout() async throws {
        try await withServerAndClient(
            maxClients: 1,
            handler: { _, writer in
                try await Task.sleep(for: .milliseconds(800))
                try await writer.respond(body: "slow")
            }
        ) { client, base in
            async let slow = client.fetch(base + "/")
            try await Task.sleep(for: .milliseconds(100))
            let error = try await #require(throws: HTTPClientError.self) {
                try await client.fetch(HTTPRequest(base + "/", requestTimeout: .milliseconds(200)))
            }
            #expect(error.cause == .queueTimeout)
            #expect(error.code == 599)
            #expect(error.message == "Timeout in request queue")
            #expect(try await slow.text == "slow")
        }
    }

    @Test func aSlowHandlerFailsWithARequestTimeout() async throws {
        try await withServerAndClient(handler: { _, writer in
            try await Task.sleep(for: .seconds(2))
            try await writer.respond(body: "late")
        }) { client, base in
            let error = try await #require(throws: HTTPClientError.self) {
                try await client.fetch(HTTPRequest(base + "/", requestTimeout: .milliseconds(200)))
            }
            #expect(error.cause == .requestTimeout)
            #expect(error.code == 599)
            #expect(error.message == "Timeout during request")
        }
    }

    @Test func aClosedPortFailsWithConnectionRefused() async throws {
        let server = HTTPServer(handler: echoHandler)
        try await server.listen(port: 0, address: "127.0.0.1")
        let port = try #require(server.port)
        await server.stop(gracePeriod: .zero)
        let client = HTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.fetch("http://127.0.0.1:\(port)/")
        }
        try await client.close()
        #expect(error?.cause == .connectionRefused)
        #expect(error?.code == 599)
    }

    @Test func aBadURLIsAnInvalidRequest() async throws {
        let client = HTTPClient()
        for url in ["not a url", "ftp://127.0.0.1/file", "http:///path"] {
            let error = await #expect(throws: HTTPClientError.self) { try await client.fetch(url) }
            #expect(error?.cause == .invalidRequest, "\(url)")
        }
        try await client.close()
    }
}

@Suite struct HTTPClientTimeoutTests {
    @Test func aBodyThatStallsFailsWithARequestTimeout() async throws {
        try await withServerAndClient(handler: { _, writer in
            try await writer.writeHead(headers: ["Content-Length": "10"])
            try await writer.write("12345")
            try await Task.sleep(for: .seconds(2))
            try await writer.write("67890")
            try await writer.finish()
        }) { client, base in
            let error = try await #require(throws: HTTPClientError.self) {
                try await client.fetch(HTTPRequest(base + "/", requestTimeout: .milliseconds(300)))
            }
            #expect(error.cause == .requestTimeout)
        }
    }

    #if canImport(Glibc)
        @Test func aListenerThatNeverAcceptsFailsWithAConnectTimeout() async throws {
            let listener = try FullBacklogListener()
            defer { listener.close() }
            let client = HTTPClient()
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.fetch(
                    HTTPRequest("http://127.0.0.1:\(listener.port)/", connectTimeout: .milliseconds(300))
                )
            }
            try await client.close()
            #expect(error?.cause == .connectTimeout)
            #expect(error?.message == "Timeout while connecting")
        }
    #endif

    @Test func cancellingTheTaskCancelsTheFetch() async throws {
        try await withServerAndClient(handler: { _, writer in
            try await Task.sleep(for: .seconds(2))
            try await writer.respond(body: "late")
        }) { client, base in
            let task = Task { try await client.fetch(base + "/") }
            try await Task.sleep(for: .milliseconds(100))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
        }
    }
}
