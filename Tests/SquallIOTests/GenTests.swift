import Testing

@testable import SquallIO

/// `tornado.gen` helpers: ``withTimeout(_:operation:)``, ``Gen/sleep(_:)`` and ``Gen/multi(_:)``.
struct GenTests {
    struct OperationFailed: Error, Equatable {
        var index = 0
    }

    struct WithTimeoutTests {
        @Test func returnsTheOperationsResultWhenItFinishesInTime() async throws {
            let result = try await withTimeout(TestDurations.forever) { 42 }
            #expect(result == 42)
        }

        @Test func throwsTimeoutErrorAndCancelsAnOperationThatRunsTooLong() async throws {
            let observedCancellation = Recorder<Bool>()
            let error = await #expect(throws: TimeoutError.self) {
                try await withTimeout(TestDurations.short) {
                    do {
                        try await Task.sleep(for: TestDurations.forever)
                    } catch {
                        observedCancellation.append(error is CancellationError)
                        throw error
                    }
                }
            }
            #expect(error?.operation == "withTimeout")
            #expect(error?.timeout == TestDurations.short)
            // withTimeout only returns after its child task ended, so the operation saw the cancellation.
            #expect(observedCancellation.values == [true])
        }

        @Test func rethrowsTheOperationsOwnError() async {
            await #expect(throws: OperationFailed()) {
                try await withTimeout(TestDurations.forever) { () async throws -> Int in throw OperationFailed() }
            }
        }

        @Test func cancellingTheCallerCancelsTheOperation() async throws {
            let started = Event()
            let caller = Task {
                try await withTimeout(TestDurations.forever) {
                    started.set()
                    try await Task.sleep(for: TestDurations.forever)
                }
            }
            try await started.wait()
            caller.cancel()
            await #expect(throws: CancellationError.self) { try await caller.value }
        }

        @Test func canTimeOutAWaitThatHasNoTimeoutOfItsOwn() async throws {
            let queue = Queue<Int>()
            await #expect(throws: TimeoutError.self) {
                try await withTimeout(TestDurations.short) { try await queue.get() }
            }
            #expect(queue.core.waiterCounts.getters == 0)  // The cancelled get removed its waiter.
        }

        @Test func genNamespaceFormBehavesTheSame() async throws {
            #expect(try await Gen.withTimeout(TestDurations.forever) { "done" } == "done")
            await #expect(throws: TimeoutError.self) {
                try await Gen.withTimeout(TestDurations.short) { try await Gen.sleep(TestDurations.forever) }
            }
        }
    }

    struct SleepTests {
        @Test func sleepReturnsAfterTheDuration() async throws {
            try await Gen.sleep(.milliseconds(1))
        }

        @Test func sleepThrowsCancellationErrorWhenTheTaskIsCancelled() async throws {
            let sleeper = Task { try await Gen.sleep(TestDurations.forever) }
            sleeper.cancel()
            await #expect(throws: CancellationError.self) { try await sleeper.value }
        }
    }

    struct MultiTests {
        @Test func returnsResultsInTheOrderGivenEvenWhenTheyFinishInReverse() async throws {
            // Each operation waits for the one after it, so they finish last-to-first.
            let finished = (0..<3).map { _ in Event() }
            let completionOrder = Recorder<Int>()
            let operations: [@Sendable () async throws -> String] = (0..<3).map { index in
                {
                    if index + 1 < finished.count {
                        try await finished[index + 1].wait()
                    }
                    completionOrder.append(index)
                    finished[index].set()
                    return "result \(index)"
                }
            }
            let results = try await Gen.multi(operations)
            #expect(results == ["result 0", "result 1", "result 2"])
            #expect(completionOrder.values == [2, 1, 0])
        }

        @Test func runsTheOperationsConcurrently() async throws {
            // Would deadlock if run one after another: each waits for the other to arrive.
            let arrived = (0..<2).map { _ in Event() }
            let operations: [@Sendable () async throws -> Int] = (0..<2).map { index in
                {
                    arrived[index].set()
                    try await arrived[1 - index].wait()
                    return index
                }
            }
            #expect(try await Gen.multi(operations) == [0, 1])
        }

        @Test func emptyArrayReturnsNoResults() async throws {
            let operations: [@Sendable () async throws -> Int] = []
            #expect(try await Gen.multi(operations).isEmpty)
        }

        @Test func dictionaryFormReturnsResultsUnderTheirKeys() async throws {
            let operations: [String: @Sendable () async throws -> Int] = [
                "one": { 1 },
                "two": { 2 },
                "three": { 3 },
            ]
            #expect(try await Gen.multi(operations) == ["one": 1, "two": 2, "three": 3])
        }

        @Test func firstErrorIsRethrownAndTheOtherOperationsAreCancelled() async throws {
            let observedCancellation = Recorder<Bool>()
            let slowStarted = Event()
            let operations: [@Sendable () async throws -> Int] = [
                {
                    do {
                        slowStarted.set()
                        try await Task.sleep(for: TestDurations.forever)
                        return 0
                    } catch {
                        observedCancellation.append(error is CancellationError)
                        throw error
                    }
                },
                {
                    try await slowStarted.wait()
                    throw OperationFailed(index: 1)
                },
            ]
            await #expect(throws: OperationFailed(index: 1)) { try await Gen.multi(operations) }
            #expect(observedCancellation.values == [true])
        }

        @Test func dictionaryFormRethrowsTheFirstError() async {
            let operations: [String: @Sendable () async throws -> Int] = [
                "fails": { throw OperationFailed(index: 7) },
                "hangs": {
                    try await Task.sleep(for: TestDurations.forever)
                    return 0
                },
            ]
            await #expect(throws: OperationFailed(index: 7)) { try await Gen.multi(operations) }
        }
    }
}
