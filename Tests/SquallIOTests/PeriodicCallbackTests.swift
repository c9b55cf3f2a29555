import Testing

@testable import SquallIO

@Suite struct PeriodicCallbackTests {
    @Test func runsRepeatedlyUntilStopped() async throws {
        let count = Box(0)
        let callback = PeriodicCallback(callbackTime: .milliseconds(10)) { count.update { $0 += 1 } }
        #expect(!callback.isRunning)
        callback.start()
        #expect(callback.isRunning)
        try await eventually("five runs") { count.value >= 5 }
        callback.stop()
        #expect(!callback.isRunning)
        let stoppedAt = count.value
        try await Task.sleep(for: .milliseconds(60))
        #expect(count.value <= stoppedAt + 1)
    }

    @Test func missedRunsAreSkippedNotReplayed() {
        // On schedule: one period later.
        #expect(PeriodicCallback.nextTimeout(after: 10.0, now: 9.5, period: 1.0) == 11.0)
        // Exactly due: the next point.
        #expect(PeriodicCallback.nextTimeout(after: 10.0, now: 10.0, period: 1.0) == 11.0)
        // 3.5 periods late: the runs at 11, 12 and 13 are skipped; the next is 14, on the original grid.
        #expect(PeriodicCallback.nextTimeout(after: 10.0, now: 13.5, period: 1.0) == 14.0)
    }

    @Test func aSlowAsyncCallbackNeverOverlapsItself() async throws {
        let running = Box(0)
        let maxRunning = Box(0)
        let runs = Box(0)
        let callback = PeriodicCallback(callbackTime: .milliseconds(5)) {
            let now = running.update {
                $0 += 1; return $0
            }
            maxRunning.update { $0 = max($0, now) }
            try? await Task.sleep(for: .milliseconds(30))
            running.update { $0 -= 1 }
            runs.update { $0 += 1 }
        }
        callback.start()
        try await eventually("three slow runs") { runs.value >= 3 }
        callback.stop()
        #expect(maxRunning.value == 1)
    }

    @Test func jitterKeepsRunning() async throws {
        let count = Box(0)
        let callback = PeriodicCallback(callbackTime: .milliseconds(10), jitter: 0.5) { count.update { $0 += 1 } }
        callback.start()
        try await eventually("three runs") { count.value >= 3 }
        callback.stop()
        #expect(callback.jitter == 0.5)
    }

    @Test func restartingAfterStopRunsAgain() async throws {
        let count = Box(0)
        let callback = PeriodicCallback(callbackTime: .milliseconds(10)) { count.update { $0 += 1 } }
        callback.start()
        try await eventually("first run") { count.value >= 1 }
        callback.stop()
        let before = count.value
        callback.start()
        try await eventually("runs after restart") { count.value >= before + 2 }
        callback.stop()
    }
}
