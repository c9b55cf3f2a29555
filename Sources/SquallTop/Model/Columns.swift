public import SquallMonitorProtocol

/// A value a table sorts by.
public enum SortValue: Sendable, Comparable {
    /// Numbers sort numerically (and before text).
    case number(Double)
    /// Text sorts case-insensitively.
    case text(String)

    /// Numbers first, then text.
    public static func < (a: SortValue, b: SortValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x < y
        case (.text(let x), .text(let y)): x.lowercased() < y.lowercased()
        case (.number, .text): true
        case (.text, .number): false
        }
    }
}

/// A column of one of the dashboard's tables: title, width, how to show and sort a row.
public struct Column<Row>: Sendable {
    /// The title.
    public var title: String
    /// The width in columns (the flexible column's minimum).
    public var width: Int
    /// Whether the column takes the remaining width.
    public var flexible: Bool
    /// Whether values are right-aligned (numbers).
    public var alignRight: Bool
    /// The cell text.
    public var value: @Sendable (Row) -> String
    /// The sort value.
    public var sortValue: @Sendable (Row) -> SortValue
    /// The server-side sort key, when the server can sort by this column.
    public var serverKey: ConnectionSortKey?

    /// Creates a column.
    public init(
        _ title: String,
        width: Int,
        flexible: Bool = false,
        alignRight: Bool = false,
        serverKey: ConnectionSortKey? = nil,
        value: @escaping @Sendable (Row) -> String,
        sortValue: @escaping @Sendable (Row) -> SortValue
    ) {
        self.title = title
        self.width = width
        self.flexible = flexible
        self.alignRight = alignRight
        self.serverKey = serverKey
        self.value = value
        self.sortValue = sortValue
    }
}

/// The columns of the dashboard's tables.
public enum Columns {
    /// The connection table's columns.
    public static let connections: [Column<ConnectionRow>] = [
        Column(
            "ID",
            width: 6,
            alignRight: true,
            serverKey: .id,
            value: { "\($0.id)" },
            sortValue: { .number(Double($0.id)) }
        ),
        Column("PEER", width: 21, serverKey: .peer, value: { $0.peer }, sortValue: { .text($0.peer) }),
        Column(
            "LP",
            width: 2,
            alignRight: true,
            serverKey: .loop,
            value: { "\($0.loop)" },
            sortValue: { .number(Double($0.loop)) }
        ),
        Column(
            "STATE",
            width: 9,
            serverKey: .state,
            value: { $0.state.rawValue },
            sortValue: { .text($0.state.rawValue) }
        ),
        Column(
            "AGE",
            width: 6,
            alignRight: true,
            serverKey: .age,
            value: { Format.duration($0.age) },
            sortValue: { .number($0.age) }
        ),
        Column(
            "IDLE",
            width: 6,
            alignRight: true,
            serverKey: .idle,
            value: { Format.duration($0.idle) },
            sortValue: { .number($0.idle) }
        ),
        Column(
            "IN",
            width: 6,
            alignRight: true,
            serverKey: .bytesIn,
            value: { Format.bytes($0.bytesIn) },
            sortValue: { .number(Double($0.bytesIn)) }
        ),
        Column(
            "OUT",
            width: 6,
            alignRight: true,
            serverKey: .bytesOut,
            value: { Format.bytes($0.bytesOut) },
            sortValue: { .number(Double($0.bytesOut)) }
        ),
        Column(
            "REQS",
            width: 5,
            alignRight: true,
            serverKey: .requests,
            value: { Format.count($0.requests) },
            sortValue: { .number(Double($0.requests)) }
        ),
        Column(
            "ELAPSED",
            width: 7,
            alignRight: true,
            serverKey: .elapsed,
            value: { $0.current.map { Format.duration($0.elapsed) } ?? "" },
            sortValue: { .number($0.current?.elapsed ?? -1) }
        ),
        Column(
            "REQUEST",
            width: 8,
            flexible: true,
            value: { $0.current.map { "\($0.method) \($0.path)" } ?? "" },
            sortValue: { .text($0.current.map { "\($0.method) \($0.path)" } ?? "") }
        ),
    ]

    /// The WebSocket table's columns.
    public static let webSockets: [Column<ConnectionRow>] = [
        Column(
            "ID",
            width: 6,
            alignRight: true,
            serverKey: .id,
            value: { "\($0.id)" },
            sortValue: { .number(Double($0.id)) }
        ),
        Column(
            "PATH",
            width: 10,
            flexible: true,
            value: { $0.webSocket?.path ?? "" },
            sortValue: { .text($0.webSocket?.path ?? "") }
        ),
        Column("PEER", width: 21, serverKey: .peer, value: { $0.peer }, sortValue: { .text($0.peer) }),
        Column(
            "AGE",
            width: 6,
            alignRight: true,
            serverKey: .age,
            value: { Format.duration($0.age) },
            sortValue: { .number($0.age) }
        ),
        Column(
            "PROTO",
            width: 6,
            value: { $0.webSocket?.subprotocol ?? "-" },
            sortValue: { .text($0.webSocket?.subprotocol ?? "") }
        ),
        Column(
            "Z",
            width: 1,
            value: { $0.webSocket?.compression == nil ? "-" : "z" },
            sortValue: { .text($0.webSocket?.compression ?? "") }
        ),
        Column(
            "MSG IN",
            width: 6,
            alignRight: true,
            serverKey: .messages,
            value: { Format.count($0.webSocket?.messagesIn ?? 0) },
            sortValue: { .number(Double($0.webSocket?.messagesIn ?? 0)) }
        ),
        Column(
            "MSG OUT",
            width: 7,
            alignRight: true,
            value: { Format.count($0.webSocket?.messagesOut ?? 0) },
            sortValue: { .number(Double($0.webSocket?.messagesOut ?? 0)) }
        ),
        Column(
            "IN",
            width: 6,
            alignRight: true,
            serverKey: .bytesIn,
            value: { Format.bytes($0.webSocket?.bytesIn ?? 0) },
            sortValue: { .number(Double($0.webSocket?.bytesIn ?? 0)) }
        ),
        Column(
            "OUT",
            width: 6,
            alignRight: true,
            serverKey: .bytesOut,
            value: { Format.bytes($0.webSocket?.bytesOut ?? 0) },
            sortValue: { .number(Double($0.webSocket?.bytesOut ?? 0)) }
        ),
        Column(
            "LAST",
            width: 6,
            alignRight: true,
            value: { $0.webSocket?.lastMessageAge.map(Format.duration) ?? "-" },
            sortValue: { .number($0.webSocket?.lastMessageAge ?? -1) }
        ),
        Column(
            "RTT",
            width: 6,
            alignRight: true,
            value: { $0.webSocket?.pingRTT.map(Format.duration) ?? "-" },
            sortValue: { .number($0.webSocket?.pingRTT ?? -1) }
        ),
        Column(
            "QUEUE",
            width: 6,
            alignRight: true,
            value: { Format.bytes($0.webSocket?.queuedBytes ?? 0) },
            sortValue: { .number(Double($0.webSocket?.queuedBytes ?? 0)) }
        ),
    ]

    /// The handler table's columns (the sparkline column is drawn by the view).
    public static let handlers: [Column<HandlerStats>] = [
        Column("ROUTE", width: 12, flexible: true, value: { $0.route }, sortValue: { .text($0.route) }),
        Column("METHOD", width: 7, value: { $0.method }, sortValue: { .text($0.method) }),
        Column(
            "COUNT",
            width: 7,
            alignRight: true,
            value: { Format.count($0.count) },
            sortValue: { .number(Double($0.count)) }
        ),
        Column("REQ/S", width: 6, alignRight: true, value: { Format.rate($0.rate) }, sortValue: { .number($0.rate) }),
        Column(
            "INFL",
            width: 4,
            alignRight: true,
            value: { "\($0.inFlight)" },
            sortValue: { .number(Double($0.inFlight)) }
        ),
        Column(
            "ERR%",
            width: 5,
            alignRight: true,
            value: { Format.percent($0.errorRate) },
            sortValue: { .number($0.errorRate) }
        ),
        Column(
            "P50",
            width: 6,
            alignRight: true,
            value: { Format.duration($0.recent.p50) },
            sortValue: { .number($0.recent.p50) }
        ),
        Column(
            "P90",
            width: 6,
            alignRight: true,
            value: { Format.duration($0.recent.p90) },
            sortValue: { .number($0.recent.p90) }
        ),
        Column(
            "P99",
            width: 6,
            alignRight: true,
            value: { Format.duration($0.recent.p99) },
            sortValue: { .number($0.recent.p99) }
        ),
        Column(
            "MAX",
            width: 6,
            alignRight: true,
            value: { Format.duration($0.total.max) },
            sortValue: { .number($0.total.max) }
        ),
    ]

    /// Whether a connection row matches a filter the way the server matches it (peer, state, method,
    /// path or route, case-insensitively; WebSocket rows also by path).
    public static func matches(_ row: ConnectionRow, filter: String) -> Bool {
        let f = filter.lowercased()
        if f.isEmpty { return true }
        var fields = [row.peer, row.state.rawValue]
        if let c = row.current { fields += [c.method, c.path, c.route ?? ""] }
        if let ws = row.webSocket { fields.append(ws.path) }
        return fields.contains { $0.lowercased().contains(f) }
    }

    /// `rows` sorted by `column` (ties by `id`), largest first when `descending`.
    public static func sorted<Row>(
        _ rows: [Row],
        by column: Column<Row>,
        descending: Bool,
        id: (Row) -> SortValue
    ) -> [Row] {
        let keyed = rows.map { (column.sortValue($0), id($0), $0) }
        return keyed.sorted { a, b in
            if a.0 != b.0 { return descending ? b.0 < a.0 : a.0 < b.0 }
            return a.1 < b.1
        }.map { $0.2 }
    }
}
