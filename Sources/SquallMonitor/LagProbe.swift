import NIOCore
import SquallMonitorProtocol
import NIOConcurrencyHelpers
import Synchronization

/// Measures how late scheduled work runs on each application loop: every interval a task is scheduled on the
/// loop, and the time between when it should have run and when it ran is that loop's lag.
final class LagProbe: Sendable {
    /// Samples kept per loop (a minute at the default 50 ms interval).
    static let sampleCapacity = 1_200
    /// Seconds of per-second maxima kept for the history graph.
    static let historySeconds = 60

    struct LoopLag: Sendable {
        var current = 0.0
        var samples: [Double] = []
        var next = 0
        var secondMax = [Double](repeating: 0, count: LagProbe.historySeconds)
        var secondOf = [Int](repeating: -1, count: LagProbe.historySeconds)
        /// The longest request that finished on the loop since the last probe, and its route.
        var longestRoute: String?
        var longestDuration = 0.0
        var worstLag = 0.0
        var worstRoute: String?
        var worstSecond = -1
        /// The second of the previous probe.
        var lastSecond = -1

        mutating func record(_ lag: Double, second: Int) {
            current = lag
            if samples.count < LagProbe.sampleCapacity {
                samples.append(lag)
            } else {
                samples[next] = lag
                next = (next + 1) % LagProbe.sampleCapacity
            }
            let slot = second % LagProbe.historySeconds
            if secondOf[slot] != second {
                secondOf[slot] = second
                secondMax[slot] = 0
            }
            secondMax[slot] = max(secondMax[slot], lag)
            // A spike is blamed on the longest request that finished on the loop since the previous probe.
            if lag >= worstLag || second - worstSecond > LagProbe.historySeconds {
                worstLag = lag
                worstSecond = second
                worstRoute = lag > 0.01 ? longestRoute : nil
            }
            longestRoute = nil
            longestDuration = 0
        }
    }

    private let loops: [any EventLoop]
    private let state: [NIOLockedValueBox<LoopLag>]
    private let interval: TimeAmount
    private let scheduled = Mutex<[Scheduled<Void>?]>([])
    private let running = Atomic<Bool>(false)

    /// Run on each loop once a second, from the probe's own task (the monitor samples WebSocket queues there).
    private let everySecond: @Sendable (Int) -> Void

    init(loops: [any EventLoop], interval: Duration, everySecond: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.loops = loops
        self.everySecond = everySecond
        state = loops.map { _ in NIOLockedValueBox(LoopLag()) }
        let (seconds, attoseconds) = interval.components
        self.interval = .nanoseconds(max(1_000_000, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        scheduled.withLock { $0 = Array(repeating: nil, count: loops.count) }
    }

    func start() {
        guard !running.exchange(true, ordering: .relaxed) else { return }
        for index in loops.indices { schedule(index) }
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        let tasks = scheduled.withLock { list -> [Scheduled<Void>?] in
            defer { list = Array(repeating: nil, count: list.count) }
            return list
        }
        for task in tasks { task?.cancel() }
    }

    private func schedule(_ index: Int) {
        guard running.load(ordering: .relaxed) else { return }
        let due = NIODeadline.now() + interval
        let task = loops[index].scheduleTask(deadline: due) { [self] in
            let now = NIODeadline.now()
            let lag = max(0, Double((now - due).nanoseconds) / 1e9)
            let second = Int(now.uptimeNanoseconds / 1_000_000_000)
            let newSecond = state[index].withLockedValue { loopLag in
                defer { loopLag.lastSecond = second }
                loopLag.record(lag, second: second)
                return loopLag.lastSecond != second
            }
            if newSecond { everySecond(index) }
            schedule(index)
        }
        scheduled.withLock { if index < $0.count { $0[index] = task } }
    }

    /// Notes a request that finished on a loop, so a lag spike can name the route that was running.
    func requestFinished(loop: Int, route: String, duration: Double) {
        guard loop >= 0, loop < state.count, duration > 0.01 else { return }
        let second = Int(NIODeadline.now().uptimeNanoseconds / 1_000_000_000)
        state[loop].withLockedValue { lag in
            // The probe may have run (late) before this request's end was reported: blame it afterwards.
            if lag.worstRoute == nil, lag.worstLag > 0.01, second - lag.worstSecond <= 1, duration >= lag.worstLag / 2 {
                lag.worstRoute = route
            }
            if duration > lag.longestDuration {
                lag.longestDuration = duration
                lag.longestRoute = route
            }
        }
    }

    /// The lag of one loop now.
    func current(loop: Int) -> Double {
        guard loop >= 0, loop < state.count else { return 0 }
        return state[loop].withLockedValue { $0.current }
    }

    /// Per-loop figures: current, p99 and max over the kept samples, and the per-second history.
    func snapshot(connections: [Int], now: NIODeadline = .now()) -> [LoopStats] {
        let second = Int(now.uptimeNanoseconds / 1_000_000_000)
        return state.enumerated().map { index, mutex in
            let lag = mutex.withLockedValue { $0 }
            let sorted = lag.samples.sorted()
            let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
            var history: [Double] = []
            for back in stride(from: Self.historySeconds - 1, through: 0, by: -1) {
                let s = second - back
                let slot = ((s % Self.historySeconds) + Self.historySeconds) % Self.historySeconds
                history.append(s >= 0 && lag.secondOf[slot] == s ? lag.secondMax[slot] : 0)
            }
            return LoopStats(
                index: index,
                current: lag.current,
                p99: p99,
                max: sorted.last ?? 0,
                history: history,
                worstRoute: lag.worstRoute,
                connections: index < connections.count ? connections[index] : 0
            )
        }
    }
}
