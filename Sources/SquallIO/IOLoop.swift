public import NIOCore
public import NIOPosix
import Synchronization

/// One event loop: Tornado's `IOLoop`, as a face over a SwiftNIO `EventLoop`.
///
/// Every connection lives on one loop for its whole life. Code that runs on a loop (callbacks added with
/// ``addCallback(_:)``, tasks started with ``spawn(_:)``, stream and server handlers) must not block it:
/// move blocking work to ``runInExecutor(_:_:)``.
///
/// A loop's methods may be called from any thread.
public final class IOLoop: Sendable, Hashable, CustomStringConvertible {
    /// The NIO event loop underneath, for code that uses SwiftNIO directly.
    public let eventLoop: any EventLoop
    /// This loop's position in its ``IOLoopGroup`` (0 for a loop that belongs to no group).
    public let index: Int
    let taskExecutor: EventLoopTaskExecutor
    private let runState = Mutex(RunState())

    private struct RunState {
        var promise: EventLoopPromise<Void>?
        var stopRequested = false
    }

    private static let registry = Mutex<[ObjectIdentifier: IOLoop]>([:])

    private init(eventLoop: any EventLoop, index: Int) {
        self.eventLoop = eventLoop
        self.index = index
        self.taskExecutor = EventLoopTaskExecutor(eventLoop: eventLoop)
    }

    /// The ``IOLoop`` for a NIO event loop, so code that holds a NIO `EventLoop` can use Squall's API on it.
    public convenience init(wrapping eventLoop: any EventLoop) {
        let known = IOLoop.registry.withLock { $0[ObjectIdentifier(eventLoop)] }
        self.init(eventLoop: eventLoop, index: known?.index ?? 0)
    }

    static func register(_ eventLoop: any EventLoop, index: Int) -> IOLoop {
        registry.withLock { loops in
            if let existing = loops[ObjectIdentifier(eventLoop)] { return existing }
            let loop = IOLoop(eventLoop: eventLoop, index: index)
            loops[ObjectIdentifier(eventLoop)] = loop
            return loop
        }
    }

    static func unregister(_ eventLoop: any EventLoop) {
        _ = registry.withLock { $0.removeValue(forKey: ObjectIdentifier(eventLoop)) }
    }

    /// The loop running the calling code.
    ///
    /// On a loop thread (inside a callback, a task started with ``spawn(_:)``, or a stream handler) this is that
    /// loop. Anywhere else it is the first loop of ``IOLoopGroup/shared``, Squall's main loop, as Tornado's
    /// `IOLoop.current()` makes one for a thread that has none.
    public static var current: IOLoop {
        guard let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop else {
            return IOLoopGroup.shared.loops[0]
        }
        if let known = registry.withLock({ $0[ObjectIdentifier(eventLoop)] }) {
            return known
        }
        return register(eventLoop, index: 0)
    }

    /// Whether the calling code runs on this loop's thread.
    public var inLoop: Bool { eventLoop.inEventLoop }

    /// Seconds on the loop's monotonic clock; the reference for ``callAt(_:_:)``.
    public func time() -> Double {
        Double(NIODeadline.now().uptimeNanoseconds) / 1_000_000_000
    }

    /// Runs `callback` on this loop's thread at its next iteration; safe to call from any thread.
    public func addCallback(_ callback: @escaping @Sendable () -> Void) {
        eventLoop.execute(callback)
    }

    /// Runs `callback` on this loop after `delay`.
    ///
    /// - Returns: a handle whose ``ScheduledCallback/cancel()`` stops the callback if it has not run yet.
    @discardableResult
    public func callLater(_ delay: Duration, _ callback: @escaping @Sendable () -> Void) -> ScheduledCallback {
        ScheduledCallback(eventLoop.scheduleTask(in: TimeAmount(delay), callback))
    }

    /// Runs `callback` on this loop when ``time()`` reaches `when` (immediately if that time has passed).
    ///
    /// - Returns: a handle whose ``ScheduledCallback/cancel()`` stops the callback if it has not run yet.
    @discardableResult
    public func callAt(_ when: Double, _ callback: @escaping @Sendable () -> Void) -> ScheduledCallback {
        let nanoseconds = when.isFinite ? UInt64(max(0, when) * 1_000_000_000) : UInt64.max
        let deadline = NIODeadline.uptimeNanoseconds(nanoseconds)
        return ScheduledCallback(eventLoop.scheduleTask(deadline: deadline, callback))
    }

    /// Cancels a callback scheduled with ``callLater(_:_:)`` or ``callAt(_:_:)`` (Tornado's `remove_timeout`).
    public func removeTimeout(_ handle: ScheduledCallback) {
        handle.cancel()
    }

    /// Starts `operation` as a task that runs on this loop's thread and resumes there after every `await`.
    ///
    /// This is how handler code stays on its connection's loop. Do not block inside `operation`.
    @discardableResult
    public func spawn<Success: Sendable>(
        _ operation: sending @escaping () async -> Success
    ) -> Task<Success, Never> {
        Task(executorPreference: taskExecutor, operation: operation)
    }

    /// Starts `operation` as a task on this loop, running it at once on the calling thread when called on this
    /// loop, until its first suspension; afterwards it continues on this loop as with ``spawn(_:)``.
    ///
    /// For work that usually finishes without suspending (a handler answering from memory), this saves the hop
    /// through the loop's task queue. Called from any other thread it behaves exactly like ``spawn(_:)``.
    @discardableResult
    public func spawnImmediately<Success: Sendable>(
        _ operation: sending @escaping () async -> Success
    ) -> Task<Success, Never> {
        guard inLoop else { return Task(executorPreference: taskExecutor, operation: operation) }
        return Task.immediate(executorPreference: taskExecutor, operation: operation)
    }

    /// Starts a throwing `operation` as a task that runs on this loop's thread; see ``spawn(_:)``.
    @discardableResult
    public func spawn<Success: Sendable>(
        _ operation: sending @escaping () async throws -> Success
    ) -> Task<Success, any Error> {
        Task(executorPreference: taskExecutor, operation: operation)
    }

    /// Runs blocking `work` on a thread pool and returns its result without blocking the loop.
    ///
    /// Tornado's `run_in_executor`. The default pool is NIO's shared `NIOThreadPool`.
    /// - Throws: what `work` throws, or NIO's error if the pool has been shut down.
    public func runInExecutor<T: Sendable>(
        _ pool: NIOThreadPool = .singleton,
        _ work: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await pool.runIfActive(work)
    }

    /// Blocks the calling thread until ``stop()`` is called, for programs that own their loop.
    ///
    /// The loop itself runs on its own thread whether or not anyone waits in `start()`; this gives a synchronous
    /// program Tornado's `IOLoop.current().start()` shape. If ``stop()`` was called while nobody was waiting,
    /// this returns at once, as in Tornado.
    /// - Throws: ``IOLoopError/startedOnLoopThread`` if called on a loop thread (it would deadlock), and
    ///   ``IOLoopError/alreadyRunning`` if another caller is already waiting.
    public func start() throws {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil { throw IOLoopError.startedOnLoopThread }
        guard let future = try beginRun() else { return }
        try future.wait()
    }

    /// Suspends until ``stop()`` is called: the async form of ``start()``.
    ///
    /// - Throws: ``IOLoopError/alreadyRunning`` if another caller is already waiting.
    public func run() async throws {
        guard let future = try beginRun() else { return }
        try await future.get()
    }

    /// Makes the caller of ``start()`` or ``run()`` return; callbacks already scheduled still run.
    public func stop() {
        let promise = runState.withLock { state -> EventLoopPromise<Void>? in
            guard let promise = state.promise else {
                state.stopRequested = true
                return nil
            }
            state.promise = nil
            return promise
        }
        promise?.succeed(())
    }

    private func beginRun() throws -> EventLoopFuture<Void>? {
        try runState.withLock { state in
            if state.stopRequested {
                state.stopRequested = false
                return nil
            }
            if state.promise != nil { throw IOLoopError.alreadyRunning }
            let promise = eventLoop.makePromise(of: Void.self)
            state.promise = promise
            return promise.futureResult
        }
    }

    /// Two loops are equal when they wrap the same NIO event loop.
    public static func == (lhs: IOLoop, rhs: IOLoop) -> Bool { lhs.eventLoop === rhs.eventLoop }
    /// Hashes the wrapped NIO event loop's identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(eventLoop)) }
    /// A short description for logs.
    public var description: String { "IOLoop(\(index))" }
}

/// Errors from starting an ``IOLoop``.
public enum IOLoopError: Error, CustomStringConvertible, Sendable {
    /// ``IOLoop/start()`` was called on a loop thread, where waiting would deadlock the loop.
    case startedOnLoopThread
    /// ``IOLoop/start()`` or ``IOLoop/run()`` was called while another caller was already waiting.
    case alreadyRunning

    /// A short description for logs.
    public var description: String {
        switch self {
        case .startedOnLoopThread: "IOLoop.start() cannot be called on a loop thread: it would block that loop"
        case .alreadyRunning: "this IOLoop is already running"
        }
    }
}

/// A callback scheduled on an ``IOLoop``, which can be cancelled until it runs.
public struct ScheduledCallback: Sendable {
    private let scheduled: Scheduled<Void>

    init(_ scheduled: Scheduled<Void>) {
        self.scheduled = scheduled
    }

    /// Stops the callback if it has not started yet; does nothing afterwards.
    public func cancel() {
        scheduled.cancel()
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if nanoseconds.overflow {
            self = seconds < 0 ? .nanoseconds(.min) : .nanoseconds(.max)
        } else {
            self = .nanoseconds(nanoseconds.partialValue + attoseconds / 1_000_000_000)
        }
    }
}
