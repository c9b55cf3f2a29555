import Testing

@testable import SquallIO

/// `tornado.queues` behaviour: ``Queue``, ``PriorityQueue`` and ``LifoQueue``.
struct QueueTests {
    struct FIFOTests {
        @Test func getReturnsItemsInTheOrderTheyWerePut() async throws {
            let queue = Queue<Int>()
            for item in [1, 2, 3] {
                try await queue.put(item)
            }
            #expect(try await queue.get() == 1)
            #expect(try queue.getNowait() == 2)
            #expect(try await queue.get(timeout: TestDurations.forever) == 3)
        }

        @Test func sizePropertiesReflectTheContents() throws {
            let queue = Queue<String>(maxsize: 2)
            #expect(queue.maxsize == 2)
            #expect(queue.empty && !queue.full && queue.qsize == 0)
            try queue.putNowait("a")
            #expect(!queue.empty && !queue.full && queue.qsize == 1)
            try queue.putNowait("b")
            #expect(queue.full && queue.qsize == 2)
        }

        @Test func anUnboundedQueueIsNeverFull() throws {
            let queue = Queue<Int>()
            #expect(queue.maxsize == 0)
            for item in 0..<1000 {
                try queue.putNowait(item)
            }
            #expect(!queue.full)
            #expect(queue.qsize == 1000)
        }

        @Test func putNowaitOnAFullQueueThrowsQueueFull() throws {
            let queue = Queue<Int>(maxsize: 1)
            try queue.putNowait(1)
            #expect(throws: QueueFull(maxsize: 1)) { try queue.putNowait(2) }
            #expect(queue.qsize == 1)
        }

        @Test func getNowaitOnAnEmptyQueueThrowsQueueEmpty() {
            let queue = Queue<Int>()
            #expect(throws: QueueEmpty()) { try queue.getNowait() }
        }

        @Test func errorsExplainWhatToDoInstead() {
            #expect(String(describing: QueueFull(maxsize: 4)).contains("put()"))
            #expect(String(describing: QueueEmpty()).contains("get()"))
            #expect(String(describing: QueueError.taskDoneCalledTooManyTimes).contains("taskDone()"))
        }
    }

    struct BackpressureTests {
        @Test func putOnAFullQueueWaitsUntilAGetMakesRoom() async throws {
            let queue = Queue<Int>(maxsize: 1)
            try await queue.put(1)
            let blockedPut = Task { try await queue.put(2) }
            try await eventually("queue.core.waiterCounts.putters == 1") { queue.core.waiterCounts.putters == 1 }
            #expect(queue.qsize == 1)  // The blocked item has not been added.

            #expect(try await queue.get() == 1)
            try await blockedPut.value
            #expect(queue.qsize == 1)
            #expect(try queue.getNowait() == 2)
        }

        @Test func blockedPutsAreAdmittedInArrivalOrder() async throws {
            let queue = Queue<Int>(maxsize: 1)
            try await queue.put(0)
            let first = Task { try await queue.put(1) }
            try await eventually("queue.core.waiterCounts.putters == 1") { queue.core.waiterCounts.putters == 1 }
            let second = Task { try await queue.put(2) }
            try await eventually("queue.core.waiterCounts.putters == 2") { queue.core.waiterCounts.putters == 2 }

            #expect(try await queue.get() == 0)
            try await first.value
            #expect(try await queue.get() == 1)
            try await second.value
            #expect(try await queue.get() == 2)
        }

        @Test func putThrowsTimeoutErrorWhileFullAndDoesNotAddTheItem() async throws {
            let queue = Queue<Int>(maxsize: 1)
            try await queue.put(1)
            let error = await #expect(throws: TimeoutError.self) {
                try await queue.put(2, timeout: TestDurations.short)
            }
            #expect(error?.operation == "Queue.put")
            #expect(queue.core.waiterCounts.putters == 0)
            #expect(try queue.getNowait() == 1)
            #expect(queue.empty)
            #expect(queue.core.unfinishedTasks == 1)  // Only the item that was put counts.
        }

        @Test func cancelledPutIsRemovedAndItsItemDiscarded() async throws {
            let queue = Queue<Int>(maxsize: 1)
            try await queue.put(1)
            let cancelled = Task { try await queue.put(2) }
            try await eventually("queue.core.waiterCounts.putters == 1") { queue.core.waiterCounts.putters == 1 }
            let patient = Task { try await queue.put(3) }
            try await eventually("queue.core.waiterCounts.putters == 2") { queue.core.waiterCounts.putters == 2 }

            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(queue.core.waiterCounts.putters == 1)

            #expect(try await queue.get() == 1)
            try await patient.value
            #expect(try await queue.get() == 3)
            #expect(queue.empty)
        }
    }

    struct GetWaitTests {
        @Test func getWaitsForAPutAndReceivesTheItemDirectly() async throws {
            let queue = Queue<String>()
            let getter = Task { try await queue.get() }
            try await eventually("queue.core.waiterCounts.getters == 1") { queue.core.waiterCounts.getters == 1 }
            try queue.putNowait("hello")
            #expect(try await getter.value == "hello")
            #expect(queue.empty)
        }

        @Test func gettersAreServedInArrivalOrder() async throws {
            let queue = Queue<Int>()
            let first = Task { try await queue.get() }
            try await eventually("queue.core.waiterCounts.getters == 1") { queue.core.waiterCounts.getters == 1 }
            let second = Task { try await queue.get() }
            try await eventually("queue.core.waiterCounts.getters == 2") { queue.core.waiterCounts.getters == 2 }
            try await queue.put(10)
            try await queue.put(20)
            #expect(try await first.value == 10)
            #expect(try await second.value == 20)
        }

        @Test func getThrowsTimeoutErrorOnAnEmptyQueueAndLeavesNoGetterBehind() async throws {
            let queue = Queue<Int>()
            let error = await #expect(throws: TimeoutError.self) {
                try await queue.get(timeout: TestDurations.short)
            }
            #expect(error?.operation == "Queue.get")
            #expect(queue.core.waiterCounts.getters == 0)
            try queue.putNowait(1)
            #expect(queue.qsize == 1)  // Not swallowed by the timed-out getter.
        }

        @Test func cancelledGetterIsRemovedAndTheNextGetterReceivesTheItem() async throws {
            let queue = Queue<Int>()
            let cancelled = Task { try await queue.get() }
            try await eventually("queue.core.waiterCounts.getters == 1") { queue.core.waiterCounts.getters == 1 }
            let patient = Task { try await queue.get() }
            try await eventually("queue.core.waiterCounts.getters == 2") { queue.core.waiterCounts.getters == 2 }

            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(queue.core.waiterCounts.getters == 1)

            try await queue.put(7)
            #expect(try await patient.value == 7)
            #expect(queue.empty)
        }
    }

    struct TaskTrackingTests {
        @Test func joinReturnsAtOnceWhenNoItemWasEverPut() async throws {
            try await Queue<Int>().join()
        }

        @Test func joinWaitsUntilEveryItemIsMarkedDone() async throws {
            let queue = Queue<Int>()
            try await queue.put(1)
            try await queue.put(2)
            let joiner = Task { try await queue.join() }
            try await eventually("queue.core.waiterCounts.joiners == 1") { queue.core.waiterCounts.joiners == 1 }

            _ = try await queue.get()
            _ = try await queue.get()
            try queue.taskDone()
            #expect(queue.core.waiterCounts.joiners == 1)  // One item is still unfinished.
            try queue.taskDone()
            try await joiner.value
            #expect(queue.core.waiterCounts.joiners == 0)
        }

        @Test func joinThrowsTimeoutErrorWhileTasksAreUnfinished() async throws {
            let queue = Queue<Int>()
            try await queue.put(1)
            _ = try await queue.get()  // Taken but not marked done.
            let error = await #expect(throws: TimeoutError.self) {
                try await queue.join(timeout: TestDurations.short)
            }
            #expect(error?.operation == "Queue.join")
            #expect(queue.core.waiterCounts.joiners == 0)
        }

        @Test func taskDoneCalledMoreTimesThanItemsPutThrows() async throws {
            let queue = Queue<Int>()
            #expect(throws: QueueError.taskDoneCalledTooManyTimes) { try queue.taskDone() }
            try await queue.put(1)
            _ = try await queue.get()
            try queue.taskDone()
            #expect(throws: QueueError.taskDoneCalledTooManyTimes) { try queue.taskDone() }
        }

        @Test func itemsHandedStraightToAGetterStillCountAsUnfinished() async throws {
            let queue = Queue<Int>()
            let getter = Task { try await queue.get() }
            try await eventually("queue.core.waiterCounts.getters == 1") { queue.core.waiterCounts.getters == 1 }
            try await queue.put(1)
            _ = try await getter.value
            await #expect(throws: TimeoutError.self) { try await queue.join(timeout: TestDurations.short) }
            try queue.taskDone()
            try await queue.join()
        }
    }

    struct OrderingTests {
        @Test func priorityQueueReturnsTheSmallestItemFirst() async throws {
            let queue = PriorityQueue<Int>()
            for item in [5, 1, 4, 2, 3] {
                try await queue.put(item)
            }
            var taken: [Int] = []
            while !queue.empty {
                taken.append(try await queue.get())
            }
            #expect(taken == [1, 2, 3, 4, 5])
        }

        @Test func priorityQueueOrdersCustomComparableItems() throws {
            struct Job: Comparable, Sendable {
                var priority: Int
                var name: String
                static func < (lhs: Job, rhs: Job) -> Bool { lhs.priority < rhs.priority }
            }
            let queue = PriorityQueue<Job>()
            try queue.putNowait(Job(priority: 10, name: "low"))
            try queue.putNowait(Job(priority: 0, name: "high"))
            #expect(try queue.getNowait().name == "high")
            #expect(try queue.getNowait().name == "low")
        }

        @Test func fullPriorityQueueConsidersABlockedPutsItemBeforeHandingOut() async throws {
            // As Tornado: a get admits the longest-waiting put first, then takes the smallest of all items.
            let queue = PriorityQueue<Int>(maxsize: 1)
            try await queue.put(5)
            let blockedPut = Task { try await queue.put(1) }
            try await eventually("queue.core.waiterCounts.putters == 1") { queue.core.waiterCounts.putters == 1 }
            #expect(try await queue.get() == 1)
            try await blockedPut.value
            #expect(try queue.getNowait() == 5)
        }

        @Test func priorityQueueHasTheSameWaitingBehaviour() async throws {
            let queue = PriorityQueue<Int>(maxsize: 1)
            #expect(throws: QueueEmpty()) { try queue.getNowait() }
            try queue.putNowait(1)
            #expect(throws: QueueFull(maxsize: 1)) { try queue.putNowait(2) }
            let error = await #expect(throws: TimeoutError.self) {
                try await queue.put(2, timeout: TestDurations.short)
            }
            #expect(error?.operation == "PriorityQueue.put")
            _ = try queue.getNowait()
            try queue.taskDone()
            try await queue.join()
        }

        @Test func lifoQueueReturnsTheNewestItemFirst() async throws {
            let queue = LifoQueue<Int>()
            for item in [1, 2, 3] {
                try await queue.put(item)
            }
            #expect(try await queue.get() == 3)
            #expect(try await queue.get() == 2)
            #expect(try queue.getNowait() == 1)
        }

        @Test func lifoQueueHasTheSameWaitingBehaviour() async throws {
            let queue = LifoQueue<Int>(maxsize: 1)
            let getter = Task { try await queue.get() }
            try await eventually("queue.core.waiterCounts.getters == 1") { queue.core.waiterCounts.getters == 1 }
            try await queue.put(42)
            #expect(try await getter.value == 42)
            let error = await #expect(throws: TimeoutError.self) {
                try await queue.get(timeout: TestDurations.short)
            }
            #expect(error?.operation == "LifoQueue.get")
            try queue.taskDone()
            #expect(throws: QueueError.taskDoneCalledTooManyTimes) { try queue.taskDone() }
        }
    }

    struct AsyncIterationTests {
        @Test func forAwaitTakesItemsInQueueOrder() async throws {
            let queue = Queue<Int>()
            let consumer = Task {
                var taken: [Int] = []
                for await item in queue {
                    taken.append(item)
                    try queue.taskDone()
                    if taken.count == 3 { break }
                }
                return taken
            }
            for item in [1, 2, 3] {
                try await queue.put(item)
            }
            #expect(try await consumer.value == [1, 2, 3])
            try await queue.join()
        }

        @Test func forAwaitWaitsForItemsPutLater() async throws {
            let queue = PriorityQueue<Int>()
            let consumer = Task {
                var iterator = queue.makeAsyncIterator()
                return await iterator.next()
            }
            try await eventually("queue.core.waiterCounts.getters == 1") { queue.core.waiterCounts.getters == 1 }
            try await queue.put(9)
            #expect(await consumer.value == 9)
        }

        @Test func iterationEndsWhenTheIteratingTaskIsCancelled() async throws {
            let queue = LifoQueue<Int>()
            let consumer = Task {
                var count = 0
                for await _ in queue {
                    count += 1
                }
                return count
            }
            try await queue.put(1)
            try await eventually("queue.core.waiterCounts.getters == 1") { queue.core.waiterCounts.getters == 1 }
            consumer.cancel()
            #expect(await consumer.value == 1)
            #expect(queue.core.waiterCounts.getters == 0)
        }
    }

    struct RaceTests {
        @Test func concurrentProducersAndConsumersWithTimeoutsExchangeEveryItemExactlyOnce() async throws {
            let queue = Queue<Int>(maxsize: 2)
            let producers = 4
            let itemsPerProducer = 150
            let total = producers * itemsPerProducer
            let consumed = Recorder<Int>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        for offset in 0..<itemsPerProducer {
                            let item = producer * itemsPerProducer + offset
                            // Retry until admitted: a timed-out put must not have added its item.
                            while true {
                                do {
                                    try await queue.put(item, timeout: .microseconds(Int.random(in: 1...300)))
                                    break
                                } catch is TimeoutError {}
                            }
                        }
                    }
                }
                for _ in 0..<4 {
                    group.addTask {
                        while consumed.values.count < total {
                            do {
                                consumed.append(try await queue.get(timeout: .milliseconds(1)))
                                try queue.taskDone()
                            } catch is TimeoutError {}
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(consumed.values.sorted() == Array(0..<total))
            #expect(queue.empty)
            #expect(queue.core.waiterCounts == (getters: 0, putters: 0, joiners: 0))
            try await queue.join()
        }
    }
}
