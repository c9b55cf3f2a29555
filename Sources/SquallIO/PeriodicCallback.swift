import Synchronization

/// Calls a function every `callbackTime` on an ``IOLoop``: Tornado's `PeriodicCallback`.
///
/// If a run takes longer than the period (or the loop was blocked), the missed runs are skipped and the next
/// run happens at the next point on the original schedule, as Tornado does, instead of piling up. An async
/// callback is awaited before the next run is scheduled, so runs never overlap. `jitter` (0...1) varies each
/// period by up to ±`jitter`/2 of it, to keep many timers from firing in lockstep.
public final class PeriodicCallback: Sendable {
    /// The period between runs.
    public let callbackTime: Duration
    /// The fraction of the period by which each run may move, 0 for none.
    public let jitter: Double
    /// The loop the callback runs on.
    public let loop: IOLoop
    private let callback: @Sendable () async -> Void
    private let state = Mutex(State())

    private struct State {
        var running = false
        var generation = 0
        var nextTimeout = 0.0
        var scheduled: ScheduledCallback?
    }

    /// Creates a periodic callback; call ``start()`` to begin.
    ///
    /// - Parameters:
    ///   - callbackTime: the period; must be positive (a zero or negative period is treated as 1 ms).
    ///   - jitter: 0 (default) for an exact period, up to 1 to vary each period by up to ±50 %.
    ///   - loop: the loop to run on; defaults to ``IOLoop/current``.
    ///   - callback: the work to run; an async callback is awaited before the next run is scheduled.
    public init(
        callbackTime: Duration,
        jitter: Double = 0,
        loop: IOLoop = .current,
        _ callback: @escaping @Sendable () async -> Void
    ) {
        self.callbackTime = callbackTime > .zero ? callbackTime : .milliseconds(1)
        self.jitter = min(max(jitter, 0), 1)
        self.loop = loop
        self.callback = callback
    }

    /// Whether the callback is scheduled to run again.
    public var isRunning: Bool { state.withLock { $0.running } }

    /// Starts the timer; the first run happens one period from now. Does nothing if already running.
    public func start() {
        let now = loop.time()
        let generation = state.withLock { state -> Int? in
            guard !state.running else { return nil }
            state.running = true
            state.generation += 1
            state.nextTimeout = now
            return state.generation
        }
        if let generation { scheduleNext(generation: generation) }
    }

    /// Stops the timer; a run already in progress finishes, but no further run starts.
    public func stop() {
        let scheduled = state.withLock { state -> ScheduledCallback? in
            state.running = false
            defer { state.scheduled = nil }
            return state.scheduled
        }
        scheduled?.cancel()
    }

    private var periodSeconds: Double {
        let (seconds, attoseconds) = callbackTime.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private func scheduleNext(generation: Int) {
        let now = loop.time()
        let period = periodSeconds * (jitter > 0 ? 1 + jitter * (Double.random(in: 0..<1) - 0.5) : 1)
        state.withLock { state in
            guard state.running, state.generation == generation else { return }
            state.nextTimeout = Self.nextTimeout(after: state.nextTimeout, now: now, period: period)
            state.scheduled = loop.callAt(state.nextTimeout) { [self] in
                run(generation: generation)
            }
        }
    }

    private func run(generation: Int) {
        guard state.withLock({ $0.running && $0.generation == generation }) else { return }
        loop.spawn { [self] in
            await callback()
            scheduleNext(generation: generation)
        }
    }

    /// The time of the next run: one period after the previous scheduled time, or, if that is already past,
    /// the first point on the original schedule after `now` (missed runs are skipped, not replayed).
    static func nextTimeout(after previous: Double, now: Double, period: Double) -> Double {
        if previous <= now {
            return previous + ((now - previous) / period).rounded(.down) * period + period
        }
        return previous + period
    }
}
