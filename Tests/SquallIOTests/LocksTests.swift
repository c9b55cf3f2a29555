import Testing

@testable import SquallIO

/// `tornado.locks` behaviour: ``Event``, ``Condition``, ``Semaphore``, ``BoundedSemaphore`` and ``Lock``.
struct LocksTests {
    struct EventTests {
        @Test func startsClearedAndReflectsSetAndClear() {
            let event = Event()
            #expect(!event.isSet)
            event.set()
            #expect(event.isSet)
            event.clear()
            #expect(!event.isSet)
        }

        @Test func waitReturnsAtOnceWhenAlreadySet() async throws {
            let event = Event()
            event.set()
            try await event.wait()
            try await event.wait(timeout: TestDurations.forever)
        }

        @Test func setWakesEveryWaiter() async throws {
            let event = Event()
            let waiters = (0..<3).map { _ in Task { try await event.wait() } }
            try await eventually("event.waiterCount == 3") { event.waiterCount == 3 }
            event.set()
            for waiter in waiters {
                try await waiter.value
            }
            #expect(event.waiterCount == 0)
        }

        @Test func waitAfterClearSuspendsUntilTheNextSet() async throws {
            let event = Event()
            event.set()
            event.clear()
            await #expect(throws: TimeoutError.self) { try await event.wait(timeout: TestDurations.short) }
            let waiter = Task { try await event.wait() }
            try await eventually("event.waiterCount == 1") { event.waiterCount == 1 }
            event.set()
            try await waiter.value
        }

        @Test func waitThrowsTimeoutErrorAndLeavesNoWaiterBehind() async throws {
            let event = Event()
            let error = await #expect(throws: TimeoutError.self) {
                try await event.wait(timeout: TestDurations.short)
            }
            #expect(error?.operation == "Event.wait")
            #expect(error?.timeout == TestDurations.short)
            #expect(event.waiterCount == 0)
        }

        @Test func cancelledWaitThrowsCancellationErrorAndIsRemoved() async throws {
            let event = Event()
            let waiter = Task { try await event.wait() }
            try await eventually("event.waiterCount == 1") { event.waiterCount == 1 }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(event.waiterCount == 0)
        }

        @Test func waitInAnAlreadyCancelledTaskThrowsWithoutSuspending() async throws {
            let event = Event()
            let waiter = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await event.wait()
            }
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(event.waiterCount == 0)
        }
    }

    struct ConditionTests {
        @Test func notifyWakesTheLongestWaitingTaskFirst() async throws {
            let condition = Condition()
            let woken = Recorder<String>()
            let first = Task {
                try await condition.wait()
                woken.append("first")
            }
            try await eventually("condition.waiterCount == 1") { condition.waiterCount == 1 }
            let second = Task {
                try await condition.wait()
                woken.append("second")
            }
            try await eventually("condition.waiterCount == 2") { condition.waiterCount == 2 }

            condition.notify()
            try await first.value
            #expect(woken.values == ["first"])
            #expect(condition.waiterCount == 1)

            condition.notify()
            try await second.value
            #expect(woken.values == ["first", "second"])
        }

        @Test func waitReturnsTrueWhenNotified() async throws {
            let condition = Condition()
            let waiter = Task { try await condition.wait(timeout: TestDurations.forever) }
            try await eventually("condition.waiterCount == 1") { condition.waiterCount == 1 }
            condition.notify()
            #expect(try await waiter.value)
        }

        @Test func notifyWithACountWakesThatManyWaiters() async throws {
            let condition = Condition()
            let woken = Recorder<Int>()
            let waiters = (0..<3).map { index in
                Task {
                    try await condition.wait()
                    woken.append(index)
                }
            }
            try await eventually("condition.waiterCount == 3") { condition.waiterCount == 3 }

            condition.notify(2)
            try await eventually("woken.values.count == 2") { woken.values.count == 2 }
            #expect(condition.waiterCount == 1)

            condition.notify(5)  // More than are waiting: wakes the one left.
            for waiter in waiters {
                try await waiter.value
            }
            #expect(Set(woken.values) == [0, 1, 2])
        }

        @Test func notifyAllWakesEveryWaiter() async throws {
            let condition = Condition()
            let waiters = (0..<4).map { _ in Task { try await condition.wait() } }
            try await eventually("condition.waiterCount == 4") { condition.waiterCount == 4 }
            condition.notifyAll()
            for waiter in waiters {
                #expect(try await waiter.value)
            }
            #expect(condition.waiterCount == 0)
        }

        @Test func notifyWithNoWaitersIsNotRemembered() async throws {
            let condition = Condition()
            condition.notify()
            condition.notifyAll()
            #expect(try await condition.wait(timeout: TestDurations.short) == false)
        }

        @Test func waitReturnsFalseOnTimeoutAndLeavesNoWaiterBehind() async throws {
            let condition = Condition()
            #expect(try await condition.wait(timeout: TestDurations.short) == false)
            #expect(condition.waiterCount == 0)
        }

        @Test func timedOutWaiterDoesNotConsumeALaterNotify() async throws {
            let condition = Condition()
            let timedOut = Task { try await condition.wait(timeout: TestDurations.short) }
            try await eventually("condition.waiterCount == 1") { condition.waiterCount == 1 }
            let patient = Task { try await condition.wait() }
            try await eventually("condition.waiterCount == 2") { condition.waiterCount == 2 }
            #expect(try await timedOut.value == false)

            condition.notify()
            #expect(try await patient.value)
        }

        @Test func cancelledWaiterIsRemovedAndTheNextWaiterGetsTheNotify() async throws {
            let condition = Condition()
            let cancelled = Task { try await condition.wait() }
            try await eventually("condition.waiterCount == 1") { condition.waiterCount == 1 }
            let patient = Task { try await condition.wait() }
            try await eventually("condition.waiterCount == 2") { condition.waiterCount == 2 }

            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(condition.waiterCount == 1)

            condition.notify()
            #expect(try await patient.value)
        }
    }

    struct SemaphoreTests {
        @Test func startsWithOnePermitByDefault() {
            #expect(Semaphore().value == 1)
        }

        @Test func acquireAndReleaseCountPermits() async throws {
            let semaphore = Semaphore(value: 2)
            try await semaphore.acquire()
            #expect(semaphore.value == 1)
            try await semaphore.acquire()
            #expect(semaphore.value == 0)
            semaphore.release()
            #expect(semaphore.value == 1)
            semaphore.release()
            semaphore.release()  // Unbounded: may exceed the initial value.
            #expect(semaphore.value == 3)
        }

        @Test func releaseHandsThePermitToWaitersInArrivalOrder() async throws {
            let semaphore = Semaphore(value: 0)
            let acquired = Recorder<String>()
            let first = Task {
                try await semaphore.acquire()
                acquired.append("first")
            }
            try await eventually("semaphore.waiterCount == 1") { semaphore.waiterCount == 1 }
            let second = Task {
                try await semaphore.acquire()
                acquired.append("second")
            }
            try await eventually("semaphore.waiterCount == 2") { semaphore.waiterCount == 2 }

            semaphore.release()
            try await first.value
            #expect(acquired.values == ["first"])
            #expect(semaphore.value == 0)  // Handed over, not returned to the pool.

            semaphore.release()
            try await second.value
            #expect(acquired.values == ["first", "second"])
            #expect(semaphore.value == 0)
        }

        @Test func acquireThrowsTimeoutErrorWhenNoPermitIsReleased() async throws {
            let semaphore = Semaphore(value: 0)
            let error = await #expect(throws: TimeoutError.self) {
                try await semaphore.acquire(timeout: TestDurations.short)
            }
            #expect(error?.operation == "Semaphore.acquire")
            #expect(semaphore.waiterCount == 0)
            semaphore.release()
            #expect(semaphore.value == 1)  // The timed-out waiter did not take it.
        }

        @Test func cancelledAcquirerIsRemovedAndTheNextWaiterGetsTheRelease() async throws {
            let semaphore = Semaphore(value: 0)
            let cancelled = Task { try await semaphore.acquire() }
            try await eventually("semaphore.waiterCount == 1") { semaphore.waiterCount == 1 }
            let patient = Task { try await semaphore.acquire() }
            try await eventually("semaphore.waiterCount == 2") { semaphore.waiterCount == 2 }

            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(semaphore.waiterCount == 1)

            semaphore.release()
            try await patient.value
            #expect(semaphore.value == 0)
            #expect(semaphore.waiterCount == 0)
        }

        @Test func withAcquiredLimitsConcurrencyToTheNumberOfPermits() async throws {
            let semaphore = Semaphore(value: 2)
            let inside = HighWaterCounter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await semaphore.withAcquired {
                            inside.increment()
                            for _ in 0..<5 { await Task.yield() }
                            inside.decrement()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(inside.highest <= 2)
            #expect(semaphore.value == 2)
        }

        @Test func withAcquiredReturnsTheBodysResultAndReleasesEvenWhenTheBodyThrows() async throws {
            struct BodyFailed: Error {}
            let semaphore = Semaphore(value: 1)
            #expect(try await semaphore.withAcquired { semaphore.value } == 0)
            #expect(semaphore.value == 1)
            await #expect(throws: BodyFailed.self) {
                try await semaphore.withAcquired { throw BodyFailed() }
            }
            #expect(semaphore.value == 1)
        }

        @Test func withAcquiredThrowsTimeoutErrorWithoutRunningTheBody() async throws {
            let semaphore = Semaphore(value: 0)
            let ran = Recorder<Bool>()
            await #expect(throws: TimeoutError.self) {
                try await semaphore.withAcquired(timeout: TestDurations.short) { ran.append(true) }
            }
            #expect(ran.values.isEmpty)
            #expect(semaphore.value == 0)
        }
    }

    struct BoundedSemaphoreTests {
        @Test func releasePastTheInitialValueThrowsAndChangesNothing() async throws {
            let semaphore = BoundedSemaphore(value: 2)
            #expect(throws: SemaphoreError.releasedTooManyTimes(initialValue: 2)) { try semaphore.release() }
            #expect(semaphore.value == 2)

            try await semaphore.acquire()
            try semaphore.release()
            #expect(semaphore.value == 2)
            #expect(throws: SemaphoreError.releasedTooManyTimes(initialValue: 2)) { try semaphore.release() }
        }

        @Test func releaseHandsThePermitToAWaiter() async throws {
            let semaphore = BoundedSemaphore(value: 1)
            try await semaphore.acquire()
            let waiter = Task { try await semaphore.acquire() }
            try await eventually("semaphore.waiterCount == 1") { semaphore.waiterCount == 1 }
            try semaphore.release()
            try await waiter.value
            #expect(semaphore.value == 0)
        }

        @Test func acquireThrowsTimeoutErrorWhenNoPermitIsReleased() async throws {
            let semaphore = BoundedSemaphore(value: 1)
            try await semaphore.acquire()
            let error = await #expect(throws: TimeoutError.self) {
                try await semaphore.acquire(timeout: TestDurations.short)
            }
            #expect(error?.operation == "BoundedSemaphore.acquire")
            #expect(semaphore.waiterCount == 0)
        }

        @Test func withAcquiredReportsABodyThatReleasedThePermitItself() async throws {
            let semaphore = BoundedSemaphore(value: 1)
            await #expect(throws: SemaphoreError.releasedTooManyTimes(initialValue: 1)) {
                try await semaphore.withAcquired { try semaphore.release() }
            }
            #expect(semaphore.value == 1)
        }

        @Test func releasedTooManyTimesExplainsTheMistake() {
            let description = String(describing: SemaphoreError.releasedTooManyTimes(initialValue: 3))
            #expect(description.contains("released too many times"))
            #expect(description.contains("3"))
        }
    }

    struct LockTests {
        @Test func isLockedReflectsAcquireAndRelease() async throws {
            let lock = Lock()
            #expect(!lock.isLocked)
            try await lock.acquire()
            #expect(lock.isLocked)
            try lock.release()
            #expect(!lock.isLocked)
        }

        @Test func releasingAnUnlockedLockThrows() async throws {
            let lock = Lock()
            #expect(throws: LockError.releasedWhileUnlocked) { try lock.release() }
            try await lock.acquire()
            try lock.release()
            #expect(throws: LockError.releasedWhileUnlocked) { try lock.release() }
            #expect(!lock.isLocked)
        }

        @Test func withLockLetsOnlyOneTaskInAtATime() async throws {
            let lock = Lock()
            let inside = HighWaterCounter()
            let finished = Recorder<Int>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await lock.withLock {
                            inside.increment()
                            for _ in 0..<5 { await Task.yield() }
                            inside.decrement()
                        }
                        finished.append(index)
                    }
                }
                try await group.waitForAll()
            }
            #expect(inside.highest == 1)
            #expect(finished.values.count == 8)
            #expect(!lock.isLocked)
        }

        @Test func waitersGetTheLockInArrivalOrder() async throws {
            let lock = Lock()
            let order = Recorder<String>()
            try await lock.acquire()
            let first = Task { try await lock.withLock { order.append("first") } }
            try await eventually("lock.waiterCount == 1") { lock.waiterCount == 1 }
            let second = Task { try await lock.withLock { order.append("second") } }
            try await eventually("lock.waiterCount == 2") { lock.waiterCount == 2 }

            try lock.release()
            try await first.value
            try await second.value
            #expect(order.values == ["first", "second"])
            #expect(!lock.isLocked)
        }

        @Test func acquireThrowsTimeoutErrorWhileAnotherTaskHoldsTheLock() async throws {
            let lock = Lock()
            try await lock.acquire()
            let error = await #expect(throws: TimeoutError.self) {
                try await lock.acquire(timeout: TestDurations.short)
            }
            #expect(error?.operation == "Lock.acquire")
            #expect(lock.waiterCount == 0)
            try lock.release()
            #expect(!lock.isLocked)  // The timed-out waiter was not handed the lock.
        }

        @Test func cancelledWaiterIsRemovedAndTheNextWaiterGetsTheLock() async throws {
            let lock = Lock()
            try await lock.acquire()
            let cancelled = Task { try await lock.acquire() }
            try await eventually("lock.waiterCount == 1") { lock.waiterCount == 1 }
            let patient = Task { try await lock.acquire() }
            try await eventually("lock.waiterCount == 2") { lock.waiterCount == 2 }

            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(lock.waiterCount == 1)

            try lock.release()
            try await patient.value
            #expect(lock.isLocked)  // Now held by `patient`.
            try lock.release()
            #expect(!lock.isLocked)
        }

        @Test func withLockReleasesWhenTheBodyThrows() async throws {
            struct BodyFailed: Error {}
            let lock = Lock()
            await #expect(throws: BodyFailed.self) {
                try await lock.withLock { throw BodyFailed() }
            }
            #expect(!lock.isLocked)
        }

        @Test func withLockReportsABodyThatReleasedTheLockItself() async throws {
            let lock = Lock()
            await #expect(throws: LockError.releasedWhileUnlocked) {
                try await lock.withLock { try lock.release() }
            }
            #expect(!lock.isLocked)
        }

        @Test func withLockWorksFromAnActor() async throws {
            actor Counter {
                var value = 0
                func incrementUnderLock(_ lock: Lock) async throws {
                    try await lock.withLock {
                        value += 1  // Runs on the actor: no `await` needed for its state.
                    }
                }
            }
            let counter = Counter()
            try await counter.incrementUnderLock(Lock())
            #expect(await counter.value == 1)
        }
    }

    struct RaceTests {
        @Test func semaphoreKeepsItsCountThroughRacingTimeoutsCancellationsAndReleases() async throws {
            let semaphore = Semaphore(value: 2)
            let holders = HighWaterCounter()
            let cancellable = (0..<10).map { _ in
                Task {
                    while !Task.isCancelled {
                        try await semaphore.acquire()
                        holders.increment()
                        await Task.yield()
                        holders.decrement()
                        semaphore.release()
                    }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        for _ in 0..<20 {
                            do {
                                try await semaphore.acquire(timeout: .microseconds(Int.random(in: 1...500)))
                            } catch is TimeoutError {
                                continue
                            }
                            holders.increment()
                            await Task.yield()
                            holders.decrement()
                            semaphore.release()
                        }
                    }
                }
                try await group.waitForAll()
            }
            for task in cancellable {
                task.cancel()
            }
            for task in cancellable {
                _ = await task.result  // Ends by CancellationError from acquire, or by seeing isCancelled.
            }
            #expect(holders.highest <= 2)
            #expect(semaphore.value == 2)
            #expect(semaphore.waiterCount == 0)
        }
    }
}
