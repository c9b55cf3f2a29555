import Synchronization

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
