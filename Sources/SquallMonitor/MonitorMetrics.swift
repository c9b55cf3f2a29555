import Prometheus

/// The Prometheus series the monitor exports. Names and labels are defined here, once, following the
/// OpenTelemetry HTTP semantic conventions as Prometheus renders them; label values never come from raw
/// input (routes are capped, methods outside the standard set become `_OTHER`, as OpenTelemetry says).
final class MonitorMetrics: Sendable {
    static let requestDuration = "http_server_request_duration_seconds"
    static let activeRequests = "http_server_active_requests"
    static let connectionsOpen = "squall_connections_open"
    static let webSocketsOpen = "squall_websocket_connections_open"
    static let loopLag = "squall_event_loop_lag_seconds"

    static let methodLabel = "http_request_method"
    static let routeLabel = "http_route"
    static let statusLabel = "http_response_status_code"
    static let loopLabel = "loop"

    /// OpenTelemetry's recommended buckets for HTTP durations, in seconds.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

    /// The methods that keep their own label value.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// The registry the monitor writes to: the process's shared one, so user metrics created through
    /// swift-metrics after ``Monitor/bootstrapMetrics()`` appear in the same /metrics output.
    let registry: PrometheusCollectorRegistry
    private let active: Gauge
    private let connections: Gauge
    private let webSockets: Gauge
    private let lag: [Gauge]
    private let maxSeries: Int

    init(registry: PrometheusCollectorRegistry, loops: Int, maxRoutes: Int) {
        self.registry = registry
        active = registry.makeGauge(descriptor: Self.descriptor(Self.activeRequests, "Number of HTTP server requests in flight."), labels: [])
        connections = registry.makeGauge(descriptor: Self.descriptor(Self.connectionsOpen, "Open TCP connections of the Squall servers in this process."), labels: [])
        webSockets = registry.makeGauge(descriptor: Self.descriptor(Self.webSocketsOpen, "Open WebSocket connections."), labels: [])
        lag = (0..<loops).map {
            registry.makeGauge(descriptor: Self.descriptor(Self.loopLag, "How late the latest lag probe ran on each event loop."), labels: [(Self.loopLabel, String($0))])
        }
        // Routes × a few methods × the status codes seen: a hard cap keeps the series count bounded.
        maxSeries = max(64, maxRoutes * 8)
    }

    /// A descriptor for a full series name: Prometheus joins `metricName` and `unitName` with `_`.
    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        let cut = name.lastIndex(of: "_") ?? name.endIndex
        let unit = cut == name.endIndex ? "" : String(name[name.index(after: cut)...])
        return MetricNameDescriptor(metricName: String(name[..<cut]), unitName: unit, helpText: help)
    }

    static func methodLabelValue(_ method: String) -> String {
        knownMethods.contains(method) ? method : "_OTHER"
    }

    /// Sets the gauges from the monitor's live figures, just before an export.
    func updateGauges(activeRequests: Int, connections open: Int, webSockets ws: Int, lags: [Double]) {
        active.set(Double(activeRequests))
        connections.set(Double(open))
        webSockets.set(Double(ws))
        for (index, gauge) in lag.enumerated() where index < lags.count { gauge.set(lags[index]) }
    }

    /// The Prometheus text exposition of every series in the registry, then the request-duration histogram
    /// from the handler table (at most ``maxSeries`` series, busiest first).
    func exposition(durations: [HandlerStatsTable.DurationSeries: HandlerStatsTable.DurationBuckets]) -> String {
        var text = registry.emitToString()
        guard !durations.isEmpty else { return text }
        let name = Self.requestDuration
        text += "# HELP \(name) Duration of HTTP server requests.\n# TYPE \(name) histogram\n"
        let series = durations.sorted { $0.value.count > $1.value.count }.prefix(maxSeries)
            .sorted { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }
        for (key, buckets) in series {
            let labels = "\(Self.methodLabel)=\"\(Self.escape(key.method))\",\(Self.routeLabel)=\"\(Self.escape(key.route))\","
                + "\(Self.statusLabel)=\"\(key.status)\""
            var cumulative = 0
            for (index, bound) in Self.buckets.enumerated() {
                cumulative += buckets.counts[index]
                text += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n"
            }
            text += "\(name)_bucket{\(labels),le=\"+Inf\"} \(buckets.count)\n"
            text += "\(name)_sum{\(labels)} \(buckets.sum)\n"
            text += "\(name)_count{\(labels)} \(buckets.count)\n"
        }
        return text
    }

    /// A label value as the Prometheus text format writes it: backslash, quote and newline escaped.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
