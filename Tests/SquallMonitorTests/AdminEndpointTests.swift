import Foundation
import NIOCore
import SquallHTTP
import SquallIO
import SquallMonitorProtocol
import SquallTesting
import Testing

@testable import SquallMonitor

@Suite struct AdminEndpointTests {
    private func fetch(_ monitor: Monitor, _ path: String, headers: [(String, String)]) async throws -> TestResponse {
        let client = try await TestClient.connect(port: monitor.adminPort ?? 0)
        defer { client.close() }
        return try await client.fetch(path, headers: headers + [("Connection", "close")])
    }

    @Test func requestsWithoutTheRightTokenOrFromABrowserAreRefused() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, _ in
            let missing = try await fetch(monitor, "/healthz", headers: [])
            #expect(missing.status == 401)
            let wrong = try await fetch(monitor, "/metrics", headers: [("Authorization", "Bearer nope")])
            #expect(wrong.status == 401)
            let browser = try await fetch(
                monitor,
                "/snapshot",
                headers: [("Authorization", "Bearer test-token"), ("Origin", "http://evil.example")]
            )
            #expect(browser.status == 403)
            let ok = try await fetch(monitor, "/healthz", headers: [("Authorization", "Bearer test-token")])
            #expect(ok.status == 200)

            let noToken = try await RawWebSocket.connect(port: monitor.adminPort ?? 0)
            #expect(noToken.handshake.status == 401)
            let hijack = try await RawWebSocket.connect(
                port: monitor.adminPort ?? 0,
                headers: [("Authorization", "Bearer test-token"), ("Origin", "http://evil.example")]
            )
            #expect(hijack.handshake.status == 403)
            let viaSubprotocol = try await RawWebSocket.connect(
                port: monitor.adminPort ?? 0,
                protocols: [MonitorProtocol.subprotocol, "bearer.test-token"]
            )
            #expect(viaSubprotocol.handshake.status == 101)
            #expect(viaSubprotocol.handshake.headers["Sec-WebSocket-Protocol"] == MonitorProtocol.subprotocol)
        }
    }

    @Test func theSnapshotEndpointServesTheProtocolsJSON() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, port in
            let client = try await TestClient.connect(port: port)
            _ = try await client.fetch("/hello")
            let response = try await fetch(monitor, "/snapshot", headers: [("Authorization", "Bearer test-token")])
            #expect(response.status == 200)
            let snapshot = try MonitorCodec.decode(Snapshot.self, from: response.text)
            #expect(snapshot.totals.openConnections == 1)
            #expect(snapshot.totals.requests == 1 && snapshot.totals.serverErrors == 0)
            #expect(snapshot.connections.rows.first?.requests == 1)
            #expect(snapshot.handlers.contains { $0.route == HandlerStats.unmatchedRoute && $0.count == 1 })
            client.close()
        }
    }

    @Test func metricsCarryTheOpenTelemetryNamedSeries() async throws {
        try await withMonitoredServer(handler: { _, response in try await response.respond(body: "x") }) {
            monitor, _, port in
            _ = try await TestServerFetch.get(port: port, "/a")
            let response = try await fetch(monitor, "/metrics", headers: [("Authorization", "Bearer test-token")])
            #expect(response.status == 200)
            let text = response.text
            for series in [
                "http_server_request_duration_seconds_bucket", "http_server_active_requests",
                "squall_connections_open", "squall_websocket_connections_open", "squall_event_loop_lag_seconds",
            ] {
                #expect(text.contains(series), "missing \(series)")
            }
            #expect(text.contains(#"http_request_method="GET""#))
            #expect(text.contains(#"http_response_status_code="200""#))
            #expect(text.contains(#"http_route="(unmatched)""#))
            if let python = PythonTool.withModule("prometheus_client") {
                let families = try python.run(
                    """
                    import sys
                    from prometheus_client.parser import text_string_to_metric_families
                    families = list(text_string_to_metric_families(sys.stdin.read()))
                    names = sorted(f.name for f in families)
                    counts = [s.value for f in families for s in f.samples
                              if s.name == "http_server_request_duration_seconds_count"
                              and s.labels.get("http_route") == "(unmatched)"
                              and s.labels.get("http_request_method") == "GET"
                              and s.labels.get("http_response_status_code") == "200"]
                    infinite = [s.value for f in families for s in f.samples
                                if s.name == "http_server_request_duration_seconds_bucket" and s.labels.get("le") == "+Inf"]
                    print(",".join(names) + " count=" + ",".join(str(int(c)) for c in counts)
                          + " inf=" + ",".join(str(int(c)) for c in infinite))
                    """,
                    input: text
                )
                #expect(families.contains("http_server_request_duration_seconds"))
                #expect(families.contains(" count=1 inf=1"), "\(families)")
                #expect(families.contains("squall_event_loop_lag_seconds"))
            } else {
                withKnownIssue("Python's prometheus_client is not installed (set SQUALL_PYTHON); parser check skipped") {
                    Issue.record("prometheus_client unavailable")
                }
            }
        }
    }

    @Test func durationBucketsIncludeTheirUpperBoundAndLabelValuesAreEscaped() {
        var buckets = HandlerStatsTable.DurationBuckets()
        buckets.record(0.005)
        buckets.record(0.0051)
        buckets.record(11)
        #expect(buckets.counts[0] == 1 && buckets.counts[1] == 1 && buckets.counts.last == 1)
        #expect(buckets.count == 3 && abs(buckets.sum - 11.0101) < 1e-9)
        #expect(MonitorMetrics.escape("a\"b\\c\n") == #"a\"b\\c\n"#)
        #expect(MonitorMetrics.escape("/plain") == "/plain")
    }

    @Test func unusualMethodsShareOneLabelValue() {
        #expect(MonitorMetrics.methodLabelValue("GET") == "GET")
        #expect(MonitorMetrics.methodLabelValue("PROPFIND") == "_OTHER")
    }
}

/// One request on a fresh connection.
enum TestServerFetch {
    static func get(port: Int, _ path: String) async throws -> TestResponse {
        let client = try await TestClient.connect(port: port)
        defer { client.close() }
        return try await client.fetch(path, headers: [("Connection", "close")])
    }
}

/// A Python interpreter that has a given module: `$SQUALL_PYTHON` (CI's venv) or `python3`.
struct PythonTool {
    let path: String

    static func withModule(_ module: String) -> PythonTool? {
        let candidates = [ProcessInfo.processInfo.environment["SQUALL_PYTHON"], "/usr/bin/python3"].compactMap { $0 }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let tool = PythonTool(path: candidate)
            if (try? tool.run("import \(module)")) != nil { return tool }
        }
        return nil
    }

    @discardableResult
    func run(_ script: String, input: String = "") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MonitorTestError("python exited \(process.terminationStatus)") }
        return String(decoding: output, as: UTF8.self)
    }
}
