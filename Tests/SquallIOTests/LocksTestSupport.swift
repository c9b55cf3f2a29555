import Synchronization
import Testing

/// Thrown by ``eventually(_:sourceLocation:_:)`` when its condition never holds.
struct ConditionNeverHeld: Error {}

/// Polls `condition` until it holds, so a test can wait for a task to reach a suspension point (for example,
/// to be counted as a waiter) without guessing a sleep.
///
/// The 60-second cap only stops a broken test from hanging; tests never assert how long anything took.
func eventually(
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(60)
    while !condition() {
        guard clock.now < deadline else {
            Issue.record(comment ?? "condition never held", sourceLocation: sourceLocation)
            throw ConditionNeverHeld()
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// A thread-safe list that concurrent tasks append to, recording the order things happened in.
final class Recorder<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) {
        storage.withLock { $0.append(value) }
    }

    var values: [Value] {
        storage.withLock { $0 }
    }
}

/// A thread-safe counter that also remembers the highest value it reached.
final class HighWaterCounter: Sendable {
    private let storage = Mutex<(current: Int, highest: Int)>((0, 0))

    func increment() {
        storage.withLock {
            $0.current += 1
            $0.highest = max($0.highest, $0.current)
        }
    }

    func decrement() {
        storage.withLock { $0.current -= 1 }
    }

    var highest: Int {
        storage.withLock { $0.highest }
    }
}

/// Durations for tests that wait: only ever used to make something time out, never to assert speed.
enum TestDurations {
    /// Far longer than any test runs, for operations that must only end by timeout or cancellation.
    static let forever = Duration.seconds(3600)
    /// A timeout for waits that are expected to time out.
    static let short = Duration.milliseconds(50)
}
