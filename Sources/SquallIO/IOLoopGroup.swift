public import NIOCore
public import NIOPosix
import Synchronization

/// A set of event loops, one thread each, that Squall's servers and clients run on.
///
/// Tornado runs one IOLoop per process; Squall runs one loop per core by default and keeps every connection
/// on the loop that accepted it, so a request never hops threads. ``shared`` is the group every API uses
/// when none is passed in; create your own to choose the number of loops (for example one loop when pinned
/// to a single core).
public final class IOLoopGroup: Sendable {
    /// The process-wide group: one loop per core, backed by NIO's singleton `MultiThreadedEventLoopGroup`.
    ///
    /// It lives as long as the process and must not be shut down.
    public static let shared = IOLoopGroup(wrapping: MultiThreadedEventLoopGroup.singleton, ownsGroup: false)

    /// The NIO event loop group underneath, for code that uses SwiftNIO directly.
    public let eventLoopGroup: MultiThreadedEventLoopGroup
    /// The loops of this group, in a fixed order; ``IOLoop/index`` is the position in this array.
    public let loops: [IOLoop]
    private let ownsGroup: Bool
    private let nextIndex = Atomic<Int>(0)

    /// Creates a group with `loopCount` loops, each on its own thread.
    ///
    /// - Parameter loopCount: the number of loops; defaults to the number of cores. Values below 1 become 1.
    public convenience init(loopCount: Int = System.coreCount) {
        self.init(wrapping: MultiThreadedEventLoopGroup(numberOfThreads: max(1, loopCount)), ownsGroup: true)
    }

    /// Wraps an existing NIO group so Squall code can share loops with other SwiftNIO code.
    ///
    /// The caller keeps ownership: ``shutdown()`` does not shut a wrapped group down.
    public convenience init(wrapping group: MultiThreadedEventLoopGroup) {
        self.init(wrapping: group, ownsGroup: false)
    }

    private init(wrapping group: MultiThreadedEventLoopGroup, ownsGroup: Bool) {
        self.eventLoopGroup = group
        self.ownsGroup = ownsGroup
        var loops: [IOLoop] = []
        for (index, loop) in group.makeIterator().enumerated() {
            loops.append(IOLoop.register(loop, index: index))
        }
        self.loops = loops
    }

    /// The next loop in round-robin order, for spreading new work across the group.
    public func next() -> IOLoop {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[index % loops.count]
    }

    /// Stops every loop of a group created with ``init(loopCount:)``, after the work already queued has run.
    ///
    /// Does nothing for ``shared`` or a wrapped group, which their owners shut down.
    public func shutdown() async throws {
        for loop in loops { IOLoop.unregister(loop.eventLoop) }
        if ownsGroup {
            try await eventLoopGroup.shutdownGracefully()
        }
    }
}
