/// The waiting, backpressure and task accounting behind ``Queue``, ``LifoQueue`` and ``PriorityQueue``,
/// following Tornado's `tornado.queues.Queue`.
///
/// A `put` that finds a `get` waiting hands the item straight over; a `get` that frees a slot admits the
/// longest-waiting blocked `put`. A blocked `put` that times out or is cancelled takes its item with it.
final class QueueCore<Storage: QueueStorage>: Sendable {
    typealias Element = Storage.Element

    private struct State: Sendable {
        var items = Storage()
        /// Items put and not yet matched by `taskDone()`, as Tornado's `_unfinished_tasks`.
        var unfinishedTasks = 0
        var getters = WaiterList<Element, Void>()
        /// Blocked `put` calls, each carrying the item it will add once admitted.
        var putters = WaiterList<Void, Element>()
        var joiners = WaiterList<Void, Void>()

        func isFull(maxsize: Int) -> Bool {
            maxsize > 0 && items.count >= maxsize
        }

        /// Adds `item` unless the queue is full.
        mutating func tryPut(_ item: Element, maxsize: Int, wakeups: inout Wakeups) -> Bool {
            // Getters only wait on an empty queue, so the item goes straight to the longest-waiting one.
            if getters.wakeFirst(with: item, into: &wakeups) != nil {
                unfinishedTasks += 1
                return true
            }
            guard !isFull(maxsize: maxsize) else { return false }
            items.push(item)
            unfinishedTasks += 1
            return true
        }

        /// Removes the next item, if any, admitting a blocked put into the freed slot.
        mutating func tryGet(wakeups: inout Wakeups) -> Element? {
            // Admit the putter before popping, as Tornado does, so a LIFO or priority queue hands out the
            // right item among all of them, including the one just admitted.
            if let admitted = putters.wakeFirst(with: (), into: &wakeups) {
                items.push(admitted)
                unfinishedTasks += 1
            }
            return items.pop()
        }
    }

    let maxsize: Int
    private let state = WaitableState(State())

    init(maxsize: Int, typeName: String) {
        precondition(maxsize >= 0, "\(typeName)(maxsize:) requires maxsize >= 0 (0 means unbounded), got \(maxsize)")
        self.maxsize = maxsize
    }

    var qsize: Int {
        state.withLock { $0.items.count }
    }

    var full: Bool {
        state.withLock { $0.isFull(maxsize: maxsize) }
    }

    var unfinishedTasks: Int {
        state.withLock { $0.unfinishedTasks }
    }

    /// Suspended getters, putters and joiners, for tests.
    var waiterCounts: (getters: Int, putters: Int, joiners: Int) {
        state.withLock { ($0.getters.count, $0.putters.count, $0.joiners.count) }
    }

    func put(_ item: Element, timeout: Duration?, operation: String) async throws {
        let maxsize = maxsize
        try await state.wait(in: \.putters, payload: item, timeout: timeout) { state, wakeups in
            state.tryPut(item, maxsize: maxsize, wakeups: &wakeups) ? () : nil
        }.get(operation: operation, timeout: timeout)
    }

    func putNowait(_ item: Element) throws(QueueFull) {
        let maxsize = maxsize
        let added = state.update { state, wakeups in
            state.tryPut(item, maxsize: maxsize, wakeups: &wakeups)
        }
        guard added else { throw QueueFull(maxsize: maxsize) }
    }

    func get(timeout: Duration?, operation: String) async throws -> Element {
        try await state.wait(in: \.getters, timeout: timeout) { state, wakeups in
            state.tryGet(wakeups: &wakeups)
        }.get(operation: operation, timeout: timeout)
    }

    func getNowait() throws(QueueEmpty) -> Element {
        guard let item = state.update({ state, wakeups in state.tryGet(wakeups: &wakeups) }) else {
            throw QueueEmpty()
        }
        return item
    }

    func taskDone() throws(QueueError) {
        let accepted = state.update { state, wakeups in
            guard state.unfinishedTasks > 0 else { return false }
            state.unfinishedTasks -= 1
            if state.unfinishedTasks == 0 {
                state.joiners.wakeAll(with: (), into: &wakeups)
            }
            return true
        }
        guard accepted else { throw QueueError.taskDoneCalledTooManyTimes }
    }

    func join(timeout: Duration?, operation: String) async throws {
        try await state.wait(in: \.joiners, timeout: timeout) { state, _ in
            state.unfinishedTasks == 0 ? () : nil
        }.get(operation: operation, timeout: timeout)
    }
}
