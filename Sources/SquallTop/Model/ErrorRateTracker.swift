public import SquallMonitorProtocol

/// Remembers each route's request and 5xx counts over recent updates, to spot a jump in its error rate.
public struct ErrorRateTracker: Sendable, Equatable {
    /// A route whose recent error share jumped.
    public struct Jump: Sendable, Equatable {
        /// The route.
        public var route: String
        /// The method.
        public var method: String
        /// The 5xx share over the window.
        public var recent: Double
        /// The 5xx share before the window.
        public var baseline: Double
        /// Requests finished in the window.
        public var requests: Int
    }

    private struct Sample: Sendable, Equatable {
        var time: Double
        var counts: [String: (count: Int, errors: Int)]

        static func == (a: Sample, b: Sample) -> Bool {
            a.time == b.time && a.counts.count == b.counts.count
                && a.counts.allSatisfy { k, v in b.counts[k].map { $0 == v } ?? false }
        }
    }

    /// The window compared against the run before it, in seconds.
    public var window: Double
    private var samples: [Sample] = []
    private static let maxSamples = 240

    /// Creates a tracker with a `window` in seconds.
    public init(window: Double = 10) {
        self.window = window
    }

    /// Records the handlers of a snapshot taken at `time` (server clock).
    public mutating func record(_ handlers: [HandlerStats], time: Double) {
        var counts: [String: (count: Int, errors: Int)] = [:]
        for h in handlers {
            counts[h.method + " " + h.route] = (h.count, h.statusClasses.count > 4 ? h.statusClasses[4] : 0)
        }
        if let last = samples.last, time <= last.time { samples.removeAll() }
        samples.append(Sample(time: time, counts: counts))
        // Keep one sample older than the window as the baseline, and bound the history.
        while samples.count > 2, samples[1].time <= time - window { samples.removeFirst() }
        if samples.count > ErrorRateTracker.maxSamples {
            samples.removeFirst(samples.count - ErrorRateTracker.maxSamples)
        }
    }

    /// Routes whose share of 5xx over the window is at least the minimum, and the jump factor times the
    /// share before the window.
    public func jumps(thresholds t: WarningThresholds) -> [Jump] {
        guard let first = samples.first, let last = samples.last, samples.count >= 2 else { return [] }
        var out: [Jump] = []
        for (key, now) in last.counts.sorted(by: { $0.key < $1.key }) {
            let before = first.counts[key] ?? (0, 0)
            let requests = now.count - before.count
            let errors = now.errors - before.errors
            guard requests >= t.errorRateMinimumRequests, errors > 0 else { continue }
            let recent = Double(errors) / Double(requests)
            let baseline = before.count == 0 ? 0 : Double(before.errors) / Double(before.count)
            guard recent >= t.errorRateMinimum, recent >= baseline * t.errorRateJumpFactor else { continue }
            let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
            out.append(
                Jump(
                    route: parts.count > 1 ? parts[1] : key,
                    method: parts.first ?? "",
                    recent: recent,
                    baseline: baseline,
                    requests: requests
                )
            )
        }
        return out
    }
}
