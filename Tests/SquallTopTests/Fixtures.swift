import SquallMonitorProtocol

@testable import SquallTop

/// Builders of protocol values for the tests.
enum Fixtures {
    static let hello = Hello(
        server: ServerInfo(
            program: "squall-demo",
            pid: 4242,
            version: "0.1.0",
            addresses: ["127.0.0.1:8888"],
            startedAt: 1_000,
            loops: 2,
            framePreviews: true
        )
    )

    static func row(
        _ id: Int,
        peer: String? = nil,
        state: ConnectionState = .idle,
        age: Double = 10,
        idle: Double = 1,
        request: CurrentRequest? = nil,
        webSocket: WebSocketStats? = nil
    ) -> ConnectionRow {
        ConnectionRow(
            id: id,
            loop: id % 2,
            peer: peer ?? "127.0.0.1:\(50_000 + id)",
            local: "127.0.0.1:8888",
            state: state,
            age: age,
            idle: idle,
            bytesIn: id * 100,
            bytesOut: id * 1000,
            requests: id,
            current: request,
            webSocket: webSocket
        )
    }

    static func snapshot(
        time: Double = 2_000,
        rows: [ConnectionRow] = [],
        webSockets: [ConnectionRow] = [],
        handlers: [HandlerStats] = [],
        loops: [LoopStats]? = nil,
        cpuSeconds: Double = 1
    ) -> Snapshot {
        Snapshot(
            serverTime: time,
            process: ProcessStats(uptime: time - 1_000, rssBytes: 45 << 20, cpuSeconds: cpuSeconds, openFiles: 12),
            totals: Totals(
                requests: 1234,
                serverErrors: 3,
                requestRate: 56.7,
                errorRate: 0.01,
                activeRequests: 2,
                openConnections: rows.count,
                openWebSockets: webSockets.count
            ),
            loops: loops ?? [
                LoopStats(index: 0, current: 0.0004, p99: 0.001, max: 0.002, history: [0.001, 0.0005], connections: 3),
                LoopStats(index: 1, current: 0.0003, p99: 0.001, max: 0.001, history: [0.0002], connections: 2),
            ],
            connections: TablePage(total: rows.count, offset: 0, rows: rows),
            webSockets: TablePage(total: webSockets.count, offset: 0, rows: webSockets),
            handlers: handlers
        )
    }

    /// A model that has received hello and one snapshot.
    static func model(
        rows: [ConnectionRow] = [],
        webSockets: [ConnectionRow] = [],
        handlers: [HandlerStats] = [],
        options: DashboardOptions = DashboardOptions()
    ) -> DashboardModel {
        var m = DashboardModel(options: options)
        _ = m.apply(.hello(hello), now: 2_000)
        _ = m.apply(.snapshot(snapshot(rows: rows, webSockets: webSockets, handlers: handlers)), now: 2_000)
        return m
    }

    static let threeRows = [
        row(1, age: 30),
        row(
            2,
            state: .handling,
            age: 5,
            request: CurrentRequest(method: "GET", path: "/slow", route: "/slow", elapsed: 2)
        ),
        row(3, peer: "10.0.0.9:4000", age: 60),
    ]
}
