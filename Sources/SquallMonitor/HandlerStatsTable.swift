import NIOCore
import SquallMonitorProtocol
import NIOConcurrencyHelpers
import Synchronization

/// Latency and status figures per route and method, sharded by loop: each loop records into its own shard, and
/// a snapshot merges them. Bounded: at most `maxRoutes` keys per shard, each with fixed-size histograms.
final class HandlerStatsTable: Sendable {
    /// Seconds of per-second histograms kept for the sliding window and the sparkline.
    static let windowSeconds = 30
    /// Seconds the "recent" percentiles cover.
    static let recentSeconds = 10

    struct Key: Hashable, Sendable {
        var route: String
        var method: String
    }

    struct Stats: Sendable {
        var count = 0
        var statusClasses = [0, 0, 0, 0, 0]
        var total = LatencyHistogram()
        /// Per-second histograms, indexed by second modulo ``HandlerStatsTable/windowSeconds``.
        var window = [LatencyHistogram](repeating: LatencyHistogram(), count: HandlerStatsTable.windowSeconds)
        var windowSecond = [Int](repeating: -1, count: HandlerStatsTable.windowSeconds)
        /// 5xx answers per second, in the same slots as ``window``.
        var windowErrors = [Int](repeating: 0, count: HandlerStatsTable.windowSeconds)
        /// Durations per status code in OpenTelemetry's buckets: what /metrics exports as
        /// `http_server_request_duration_seconds`, kept here so a request costs no Prometheus lock.
        var durations: [Int: DurationBuckets] = [:]

        mutating func record(seconds: Double, status: Int, second: Int) {
            count += 1
            let code = min(max(status, 100), 599)
            if let index = durations.index(forKey: code) {
                durations.values[index].record(seconds)
            } else if durations.count < HandlerStatsTable.maxStatusesPerRoute {
                var buckets = DurationBuckets()
                buckets.record(seconds)
                durations[code] = buckets
            }
            let statusClass = min(5, max(1, status / 100)) - 1
            statusClasses[statusClass] += 1
            total.record(seconds)
            let slot = second % HandlerStatsTable.windowSeconds
            if windowSecond[slot] != second {
                window[slot].reset()
                windowSecond[slot] = second
                windowErrors[slot] = 0
            }
            window[slot].record(seconds)
            if status >= 500 { windowErrors[slot] += 1 }
        }
    }

    /// Distinct status codes per route and method that get their own duration series.
    static let maxStatusesPerRoute = 32

    /// Counts of durations at or below each of ``MonitorMetrics/buckets`` (not cumulative; the last slot is
    /// `+Inf`), their sum and count.
    struct DurationBuckets: Sendable {
        var counts = [Int](repeating: 0, count: MonitorMetrics.buckets.count + 1)
        var sum = 0.0
        var count = 0

        mutating func record(_ seconds: Double) {
            var index = 0
            let bounds = MonitorMetrics.buckets
            while index < bounds.count, seconds > bounds[index] { index += 1 }
            counts[index] += 1
            sum += seconds
            count += 1
        }

        mutating func merge(_ other: DurationBuckets) {
            for i in counts.indices { counts[i] += other.counts[i] }
            sum += other.sum
            count += other.count
        }
    }

    /// One exported duration series: label values and buckets merged over the loops.
    struct DurationSeries: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private let shards: [NIOLockedValueBox<[Key: Stats]>]
    private let maxRoutes: Int

    init(loops: Int, maxRoutes: Int) {
        shards = (0..<max(1, loops)).map { _ in NIOLockedValueBox([:]) }
        self.maxRoutes = max(1, maxRoutes)
    }

    /// Records one finished request.
    func record(loop: Int, route: String, method: String, status: Int, seconds: Double, now: NIODeadline = .now()) {
        let second = Int(now.uptimeNanoseconds / 1_000_000_000)
        shards[abs(loop) % shards.count].withLockedValue { table in
            var key = Key(route: route, method: method)
            if let index = table.index(forKey: key) {
                table.values[index].record(seconds: seconds, status: status, second: second)
                return
            }
            if table.count >= maxRoutes { key = Key(route: HandlerStats.overflowRoute, method: method) }
            table[key, default: Stats()].record(seconds: seconds, status: status, second: second)
        }
    }

    /// The duration histograms per (method label, route, status), merged over the loops. Only the bucket
    /// counters are copied under each shard's lock, so the loops' tables stay uniquely owned.
    func durationSeries() -> [DurationSeries: DurationBuckets] {
        var merged: [DurationSeries: DurationBuckets] = [:]
        for shard in shards {
            shard.withLockedValue { table in
                for (key, stats) in table {
                    let method = MonitorMetrics.methodLabelValue(key.method)
                    for (status, buckets) in stats.durations {
                        merged[DurationSeries(method: method, route: key.route, status: status), default: DurationBuckets()]
                            .merge(buckets)
                    }
                }
            }
        }
        return merged
    }

    /// Request counts over every route: since start, by error class, and over the last `seconds` whole seconds.
    struct Counts: Sendable {
        var requests = 0
        var clientErrors = 0
        var serverErrors = 0
        var recentRequests = 0
        var recentServerErrors = 0
    }

    func counts(recentSeconds seconds: Int, now: NIODeadline = .now()) -> Counts {
        let second = Int(now.uptimeNanoseconds / 1_000_000_000)
        var counts = Counts()
        for shard in shards {
            shard.withLockedValue { table in
                for stats in table.values {
                    counts.requests += stats.count
                    counts.clientErrors += stats.statusClasses[3]
                    counts.serverErrors += stats.statusClasses[4]
                    for slot in 0..<Self.windowSeconds {
                        let s = stats.windowSecond[slot]
                        guard s < second, s >= second - seconds else { continue }
                        counts.recentRequests += stats.window[slot].total
                        counts.recentServerErrors += stats.windowErrors[slot]
                    }
                }
            }
        }
        return counts
    }

    /// Merged figures per route and method; `inFlight` comes from the caller (it counts live requests).
    func snapshot(inFlight: [Key: Int], now: NIODeadline = .now()) -> [HandlerStats] {
        let second = Int(now.uptimeNanoseconds / 1_000_000_000)
        var merged: [Key: Stats] = [:]
        for shard in shards {
            let copy = shard.withLockedValue { $0 }
            for (key, stats) in copy {
                guard var into = merged[key] else {
                    merged[key] = stats
                    continue
                }
                into.count += stats.count
                for i in 0..<5 { into.statusClasses[i] += stats.statusClasses[i] }
                into.total.merge(stats.total)
                for slot in 0..<Self.windowSeconds {
                    if into.windowSecond[slot] == stats.windowSecond[slot] {
                        into.window[slot].merge(stats.window[slot])
                        into.windowErrors[slot] += stats.windowErrors[slot]
                    } else if stats.windowSecond[slot] > into.windowSecond[slot] {
                        into.window[slot] = stats.window[slot]
                        into.windowSecond[slot] = stats.windowSecond[slot]
                        into.windowErrors[slot] = stats.windowErrors[slot]
                    }
                }
                merged[key] = into
            }
        }
        var keys = Set(merged.keys)
        for (key, count) in inFlight where count > 0 { keys.insert(key) }
        return keys.map { key in
            let stats = merged[key] ?? Stats()
            var recent = LatencyHistogram()
            var history: [Double] = []
            // The current second is still filling; the window ends with the last whole second.
            for back in stride(from: Self.windowSeconds, through: 1, by: -1) {
                let s = second - back
                guard s >= 0 else {
                    history.append(0)
                    continue
                }
                let slot = s % Self.windowSeconds
                let valid = stats.windowSecond[slot] == s
                if valid && back <= Self.recentSeconds { recent.merge(stats.window[slot]) }
                history.append(valid ? stats.window[slot].value(at: 0.99) : 0)
            }
            return HandlerStats(
                route: key.route,
                method: key.method,
                count: stats.count,
                inFlight: inFlight[key] ?? 0,
                statusClasses: stats.statusClasses,
                rate: Double(recent.total) / Double(Self.recentSeconds),
                total: Self.percentiles(stats.total),
                recent: Self.percentiles(recent),
                history: history
            )
        }.sorted { ($0.route, $0.method) < ($1.route, $1.method) }
    }

    static func percentiles(_ h: LatencyHistogram) -> Percentiles {
        Percentiles(
            p50: h.value(at: 0.5),
            p90: h.value(at: 0.9),
            p99: h.value(at: 0.99),
            p999: h.value(at: 0.999),
            max: h.maxValue,
            count: h.total
        )
    }
}
