/// A queue that hands out its smallest item first; Tornado's `tornado.queues.PriorityQueue`.
///
/// Items are ordered by `<`, lowest first, as Python's `heapq`; where Tornado code puts `(priority, item)`
/// tuples, put a `Comparable` struct ordered by its priority. Equal items come out in no particular order. Everything but the order of ``get(timeout:)`` behaves as in
/// ``Queue``: `maxsize` backpressure, arrival-order waiters, ``taskDone()`` and ``join(timeout:)``.
public final class PriorityQueue<Element: Comparable & Sendable>: Sendable {
    let core: QueueCore<PriorityStorage<Element>>

    /// Creates an empty queue.
    ///
    /// - Parameter maxsize: The most items the queue holds before ``put(_:timeout:)`` waits; 0 (the default)
    ///   means unbounded. It must not be negative (Tornado raises `ValueError`); a negative value stops the
    ///   program, so check a value read from configuration before passing it.
    public init(maxsize: Int = 0) {
        core = QueueCore(maxsize: maxsize, typeName: "PriorityQueue")
    }

    /// The most items the queue holds, or 0 if it is unbounded.
    public var maxsize: Int { core.maxsize }

    /// The number of items in the queue.
    public var qsize: Int { core.qsize }

    /// Whether the queue holds no items.
    public var empty: Bool { core.qsize == 0 }

    /// Whether the queue holds `maxsize` items, so ``put(_:timeout:)`` would wait; never true when unbounded.
    public var full: Bool { core.full }

    /// Adds `item`, suspending while the queue is full.
    ///
    /// - Parameters:
    ///   - item: The item to add.
    ///   - timeout: How long to wait for room; `nil` (the default) waits indefinitely.
    /// - Throws: ``TimeoutError`` if `timeout` passes first; `CancellationError` if the calling task is
    ///   cancelled while waiting. Either way `item` is not added.
    public func put(_ item: Element, timeout: Duration? = nil) async throws {
        try await core.put(item, timeout: timeout, operation: "PriorityQueue.put")
    }

    /// Adds `item` without waiting.
    ///
    /// - Throws: ``QueueFull`` if the queue is full.
    public func putNowait(_ item: Element) throws(QueueFull) {
        try core.putNowait(item)
    }

    /// Removes and returns the smallest item, suspending until one is available.
    ///
    /// - Parameter timeout: How long to wait for an item; `nil` (the default) waits indefinitely.
    /// - Throws: ``TimeoutError`` if `timeout` passes first; `CancellationError` if the calling task is
    ///   cancelled while waiting. Either way no item is taken.
    public func get(timeout: Duration? = nil) async throws -> Element {
        try await core.get(timeout: timeout, operation: "PriorityQueue.get")
    }

    /// Removes and returns the smallest item without waiting.
    ///
    /// - Throws: ``QueueEmpty`` if the queue holds no item.
    public func getNowait() throws(QueueEmpty) -> Element {
        try core.getNowait()
    }

    /// Records that an item taken from the queue has been processed, for ``join(timeout:)``.
    ///
    /// - Throws: ``QueueError/taskDoneCalledTooManyTimes`` if called more times than items were put.
    public func taskDone() throws(QueueError) {
        try core.taskDone()
    }

    /// Suspends until every item ever put has been matched by a ``taskDone()``.
    ///
    /// - Parameter timeout: How long to wait; `nil` (the default) waits indefinitely.
    /// - Throws: ``TimeoutError`` if `timeout` passes first; `CancellationError` if the calling task is
    ///   cancelled while waiting.
    public func join(timeout: Duration? = nil) async throws {
        try await core.join(timeout: timeout, operation: "PriorityQueue.join")
    }
}

extension PriorityQueue: AsyncSequence {
    /// Never fails: iteration ends, rather than throws, when the iterating task is cancelled.
    public typealias Failure = Never

    /// Takes items from a ``PriorityQueue`` with ``PriorityQueue/get(timeout:)`` as they arrive.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// Never fails: see ``next()``.
        public typealias Failure = Never

        let queue: PriorityQueue

        /// Waits for and removes the smallest item; returns `nil` only when the iterating task is cancelled.
        public mutating func next() async -> Element? {
            try? await queue.get()
        }
    }

    /// Returns an iterator that takes items as they arrive, Tornado's `async for item in queue`.
    ///
    /// The sequence never ends by itself; iteration ends when the iterating task is cancelled. Each item is
    /// removed from the queue, so still call ``taskDone()`` for it if anyone uses ``join(timeout:)``.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(queue: self)
    }
}
