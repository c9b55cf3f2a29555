import Foundation
import NIOCore
import SquallHTTP
import SquallIO
import SquallMonitorProtocol
import SquallTesting
import Testing

@testable import SquallMonitor

@Suite struct ConnectionRegistryTests {
    @Test func theTableFollowsAConnectionFromRequestToIdleToClosed() async throws {
        let release = Event()
        try await withMonitoredServer(handler: { request, response in
            if request.path == "/slow" { try await release.wait() }
            try await response.respond(body: "done")
        }) { monitor, _, port in
            let client = try await startRequest(port: port, path: "/slow")
            let handling = await eventually {
                monitor.snapshot().connections.rows.contains { $0.state == .handling && $0.current?.path == "/slow" }
            }
            #expect(handling)
            release.set()
            _ = try await client.readResponse()
            let idle = await eventually {
                monitor.snapshot().connections.rows.contains { $0.state == .idle && $0.requests == 1 && $0.bytesIn > 0 }
            }
            #expect(idle)
            client.close()
            let closed = await eventually {
                let rows = monitor.snapshot().connections.rows
                return rows.count == 1 && rows[0].state == .closed && rows[0].closedAgo != nil
            }
            #expect(closed)
            #expect(monitor.snapshot().totals.openConnections == 0)
        }
    }

    @Test func tablesAreSortedFilteredAndCutAsTheQueryAsks() {
        let rows = (1...10).map { i in
            ConnectionRow(id: i, loop: i % 2, peer: "127.0.0.1:\(5000 + i)", local: "127.0.0.1:80", state: i == 3 ? .handling : .idle,
                          age: Double(i), idle: Double(10 - i), bytesIn: i * 100)
        }
        let byBytes = Monitor.page(rows, query: TableQuery(sort: .bytesIn, descending: true, limit: 3))
        #expect(byBytes.total == 10)
        #expect(byBytes.rows.map(\.id) == [10, 9, 8])
        let filtered = Monitor.page(rows, query: TableQuery(filter: "HANDLING"))
        #expect(filtered.rows.map(\.id) == [3])
        let paged = Monitor.page(rows, query: TableQuery(sort: .id, offset: 8, limit: 5))
        #expect(paged.rows.map(\.id) == [9, 10])
        #expect(paged.offset == 8)
    }
}

@Suite struct LatencyHistogramTests {
    @Test func percentilesOfKnownDataAreWithinTheBucketPrecision() {
        var histogram = LatencyHistogram()
        for ms in 1...1000 { histogram.record(Double(ms) / 1000) }
        #expect(histogram.total == 1000)
        for (quantile, expected) in [(0.5, 0.5), (0.9, 0.9), (0.99, 0.99), (0.999, 0.999)] {
            let value = histogram.value(at: quantile)
            #expect(abs(value - expected) / expected < 0.07, "q\(quantile) = \(value)")
        }
        #expect(histogram.value(at: 1) == 1.0)
        #expect(histogram.maxValue == 1.0)
    }

    @Test func tinyAndHugeValuesLandInTheEndBuckets() {
        var histogram = LatencyHistogram()
        histogram.record(0)
        histogram.record(1e-9)
        histogram.record(1e9)
        #expect(histogram.total == 3)
        #expect(histogram.value(at: 0.5) <= 1e-6)
        #expect(histogram.maxValue == 1e9)
    }

    @Test func mergingAddsCounts() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for _ in 0..<10 { a.record(0.001) }
        for _ in 0..<30 { b.record(0.1) }
        a.merge(b)
        #expect(a.total == 40)
        #expect(abs(a.value(at: 0.5) - 0.1) < 0.007)
    }

    @Test func handlerStatsSeparateRoutesAndCapTheirNumber() {
        let table = HandlerStatsTable(loops: 2, maxRoutes: 2)
        table.record(loop: 0, route: "/a", method: "GET", status: 200, seconds: 0.01)
        table.record(loop: 1, route: "/a", method: "GET", status: 500, seconds: 0.02)
        table.record(loop: 0, route: "/b", method: "GET", status: 404, seconds: 0.03)
        table.record(loop: 0, route: "/c", method: "GET", status: 200, seconds: 0.04)
        let stats = table.snapshot(inFlight: [:])
        let a = stats.first { $0.route == "/a" }
        #expect(a?.count == 2)
        #expect(a?.statusClasses == [0, 1, 0, 0, 1])
        #expect(a?.errorRate == 0.5)
        #expect(stats.contains { $0.route == HandlerStats.overflowRoute && $0.count == 1 })
        #expect(!stats.contains { $0.route == "/c" })
    }
}

@Suite struct LogRingTests {
    @Test func theRingWrapsAndReportsWhatAReaderMissed() {
        let ring = LogRing(capacity: 5)
        for i in 1...12 {
            ring.append { LogEntry(seq: $0, time: 0, kind: .app, level: "info", message: "line \(i)") }
        }
        let read = ring.read(after: 0, limit: 100) { _ in true }
        #expect(read.entries.map(\.message) == (8...12).map { "line \($0)" })
        #expect(read.missed == 7)
        #expect(read.last == 12)
        let again = ring.read(after: read.last, limit: 100) { _ in true }
        #expect(again.entries.isEmpty && again.missed == 0)
    }

    @Test func aBusyReaderGetsTheNewestMatchesAndCountsTheRest() {
        let ring = LogRing(capacity: 100)
        for i in 1...30 {
            ring.append { LogEntry(seq: $0, time: 0, kind: .app, level: "info", message: "line \(i)") }
        }
        let even: (LogEntry) -> Bool = { Int($0.message.dropFirst(5)).map { $0 % 2 == 0 } ?? false }
        let read = ring.read(after: 0, limit: 4, filter: even)
        #expect(read.entries.map(\.message) == [24, 26, 28, 30].map { "line \($0)" })
        #expect(read.missed == 11)
        #expect(read.last == 30)
    }

    @Test func filtersSelectByTextStatusMethodAndRoute() {
        let ring = LogRing(capacity: 100)
        let requests: [(Int, String, String)] = [(200, "GET", "/a"), (404, "GET", "/b"), (500, "POST", "/a")]
        for (status, method, route) in requests {
            ring.append {
                LogEntry(seq: $0, time: 0, kind: .request, level: "info", message: "\(status) \(method) \(route)",
                         method: method, route: route, status: status)
            }
        }
        ring.append { LogEntry(seq: $0, time: 0, kind: .app, level: "warning", message: "disk almost full") }
        func messages(_ filter: LogFilter) -> [String] {
            ring.read(after: 0, limit: 100) { filter.matches($0) }.entries.map(\.message)
        }
        #expect(messages(LogFilter(statusClasses: [4, 5])) == ["404 GET /b", "500 POST /a"])
        #expect(messages(LogFilter(method: "GET")) == ["200 GET /a", "404 GET /b"])
        #expect(messages(LogFilter(route: "/a")) == ["200 GET /a", "500 POST /a"])
        #expect(messages(LogFilter(text: "DISK")) == ["disk almost full"])
        #expect(messages(LogFilter(includeApp: false)).count == 3)
    }
}
