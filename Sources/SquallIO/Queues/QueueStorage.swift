import DequeModule
import HeapModule

/// The order in which a queue hands out its items; the only thing that differs between ``Queue``,
/// ``LifoQueue`` and ``PriorityQueue``, which share ``QueueCore`` for waiting and backpressure.
protocol QueueStorage<Element>: Sendable {
    associatedtype Element: Sendable

    init()
    var count: Int { get }
    mutating func push(_ element: Element)
    /// Removes and returns the next item to hand out, or `nil` if there is none.
    mutating func pop() -> Element?
}

/// First in, first out: ``Queue``.
struct FIFOStorage<Element: Sendable>: QueueStorage {
    private var items = Deque<Element>()

    var count: Int { items.count }
    mutating func push(_ element: Element) { items.append(element) }
    mutating func pop() -> Element? { items.popFirst() }
}

/// Last in, first out: ``LifoQueue``.
struct LIFOStorage<Element: Sendable>: QueueStorage {
    private var items: [Element] = []

    var count: Int { items.count }
    mutating func push(_ element: Element) { items.append(element) }
    mutating func pop() -> Element? { items.popLast() }
}

/// Smallest first, as Python's `heapq`: ``PriorityQueue``.
struct PriorityStorage<Element: Comparable & Sendable>: QueueStorage {
    private var items = Heap<Element>()

    var count: Int { items.count }
    mutating func push(_ element: Element) { items.insert(element) }
    mutating func pop() -> Element? { items.popMin() }
}
