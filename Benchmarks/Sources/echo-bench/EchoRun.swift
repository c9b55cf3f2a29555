import NIOCore

/// One client run's shared state: the message, whether connections keep sending, and what the measured window
/// counted.
///
/// Every connection's handler, and every block the client schedules, runs on the single ``eventLoop``; all
/// mutable state is touched only there, which is what makes `@unchecked Sendable` sound.
final class EchoRun: @unchecked Sendable {
    let eventLoop: any EventLoop
    /// The message each connection sends: `size - 1` bytes of `x` and a newline.
    let message: ByteBuffer
    /// Whether handlers send their next message when an echo completes.
    private(set) var isRunning = false
    private var isMeasuring = false
    private var handlers: [EchoClientHandler] = []
    private var errors = 0
    /// Round-trip times, in nanoseconds, of the round trips completed inside the measured window.
    private var latencies: [Int64] = []
    private var windowStart = NIODeadline.distantPast
    private var windowEnd = NIODeadline.distantPast
    private var cpuStart = 0.0
    private var cpuEnd = 0.0

    init(eventLoop: any EventLoop, messageSize: Int) {
        self.eventLoop = eventLoop
        var message = ByteBuffer(repeating: UInt8(ascii: "x"), count: messageSize - 1)
        message.writeInteger(UInt8(ascii: "\n"))
        self.message = message
        latencies.reserveCapacity(1 << 20)
    }

    var messageSize: Int { message.readableBytes }

    func register(_ handler: EchoClientHandler) {
        eventLoop.assertInEventLoop()
        handlers.append(handler)
    }

    /// Starts every registered connection's first round trip.
    func start() {
        eventLoop.assertInEventLoop()
        isRunning = true
        for handler in handlers { handler.sendNext() }
    }

    /// Opens the measured window: from now on completed round trips count.
    func beginWindow() {
        eventLoop.assertInEventLoop()
        cpuStart = processCPUSeconds()
        windowStart = .now()
        isMeasuring = true
    }

    /// Closes the measured window and stops every connection after its current round trip.
    func endWindow() {
        eventLoop.assertInEventLoop()
        windowEnd = .now()
        cpuEnd = processCPUSeconds()
        isMeasuring = false
        isRunning = false
    }

    func roundTripCompleted(after latency: TimeAmount) {
        if isMeasuring { latencies.append(latency.nanoseconds) }
    }

    func recordError() {
        eventLoop.assertInEventLoop()
        errors += 1
    }

    /// What the measured window counted; call after ``endWindow()``.
    func summary() -> EchoSummary {
        eventLoop.assertInEventLoop()
        let seconds = Double((windowEnd - windowStart).nanoseconds) / 1_000_000_000
        latencies.sort()
        return EchoSummary(
            messages: latencies.count,
            seconds: seconds,
            p50Nanoseconds: percentile(0.50),
            p99Nanoseconds: percentile(0.99),
            errors: errors,
            cpuSeconds: cpuEnd - cpuStart
        )
    }

    /// The nearest-rank percentile of the sorted latencies, or 0 when there are none.
    private func percentile(_ fraction: Double) -> Int64 {
        guard !latencies.isEmpty else { return 0 }
        let rank = Int((Double(latencies.count) * fraction).rounded(.up))
        return latencies[min(max(rank, 1), latencies.count) - 1]
    }
}

/// The figures of one client run's measured window.
struct EchoSummary: Sendable {
    let messages: Int
    let seconds: Double
    let p50Nanoseconds: Int64
    let p99Nanoseconds: Int64
    let errors: Int
    /// CPU time the client process used inside the window (all threads).
    let cpuSeconds: Double

    /// The `RESULT` line `echo.sh` parses.
    var resultLine: String {
        let perSecond = seconds > 0 ? Double(messages) / seconds : 0
        let cpuPercent = seconds > 0 ? cpuSeconds / seconds * 100 : 0
        return "RESULT msgs_per_sec=\(Int(perSecond.rounded())) msgs=\(messages) seconds=\(format(seconds, 3))"
            + " p50_us=\(format(Double(p50Nanoseconds) / 1000, 1)) p99_us=\(format(Double(p99Nanoseconds) / 1000, 1))"
            + " errors=\(errors) client_cpu_pct=\(format(cpuPercent, 1))"
    }
}

/// `value` with exactly `decimals` digits after the point, without Foundation's `String(format:)`.
private func format(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    guard decimals > 0 else { return String(whole) }
    let fraction = String(abs(scaled) % Int(scale))
    let sign = scaled < 0 && whole == 0 ? "-" : ""
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
