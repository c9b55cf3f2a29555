public import NIOCore
import Synchronization

/// What a server connection is doing, as the monitor shows it.
public enum HTTPConnectionPhase: UInt8, Sendable {
    /// Keep-alive, waiting for the next request.
    case idle = 0
    /// A request head or body is arriving.
    case reading = 1
    /// The delegate is handling a request.
    case handling = 2
    /// The response is being written.
    case writing = 3
    /// The connection was taken over by another protocol (a WebSocket).
    case upgraded = 4
    /// The connection is closed.
    case closed = 5
}

/// A live view of one server connection, and a handle to close it: what an ``HTTPServerObserver`` gets for
/// each connection it is told about.
///
/// The connection's loop updates the counters as it works (relaxed atomics; a few nanoseconds each); any
/// thread may read them or call ``close()``, which hops to the connection's loop. Only servers with an
/// observer create these, so an unobserved server pays nothing.
public final class HTTPConnectionControl: Sendable {
    /// The connection this describes.
    public let info: HTTPConnectionInfo
    private let channel: any Channel
    private let received = Atomic<Int>(0)
    private let sent = Atomic<Int>(0)
    private let served = Atomic<Int>(0)
    private let phaseValue = Atomic<UInt8>(HTTPConnectionPhase.idle.rawValue)
    private let lastActivityNanos: Atomic<Int64>
    private let currentRequest = Mutex<HTTPServerRequest?>(nil)

    init(info: HTTPConnectionInfo, channel: any Channel) {
        self.info = info
        self.channel = channel
        lastActivityNanos = Atomic(Int64(NIODeadline.now().uptimeNanoseconds))
    }

    /// Bytes received so far.
    public var bytesIn: Int { received.load(ordering: .relaxed) }
    /// Bytes sent so far.
    public var bytesOut: Int { sent.load(ordering: .relaxed) }
    /// Requests whose responses have been written.
    public var requests: Int { served.load(ordering: .relaxed) }
    /// What the connection is doing.
    public var phase: HTTPConnectionPhase {
        HTTPConnectionPhase(rawValue: phaseValue.load(ordering: .relaxed)) ?? .idle
    }
    /// When bytes last moved either way, on `NIODeadline`'s clock.
    public var lastActivity: NIODeadline {
        NIODeadline.uptimeNanoseconds(UInt64(max(0, lastActivityNanos.load(ordering: .relaxed))))
    }
    /// The request being handled, if any.
    public var request: HTTPServerRequest? { currentRequest.withLock { $0 } }

    /// Closes the connection at once (an operator's kill); safe from any thread.
    public func close() {
        channel.close(promise: nil)
    }

    /// Marks the connection as taken over by another protocol, such as a WebSocket.
    public func markUpgraded() {
        setPhase(.upgraded)
        currentRequest.withLock { $0 = nil }
    }

    /// Records bytes received or sent by a protocol that took the connection over.
    public func recordTraffic(received count: Int = 0, sent sentCount: Int = 0) {
        if count > 0 { received.add(count, ordering: .relaxed) }
        if sentCount > 0 { sent.add(sentCount, ordering: .relaxed) }
        touch()
    }

    // MARK: - Updated by the connection's handlers

    func bytesReceived(_ count: Int) {
        received.add(count, ordering: .relaxed)
        touch()
        if phaseValue.load(ordering: .relaxed) == HTTPConnectionPhase.idle.rawValue { setPhase(.reading) }
    }

    func bytesSent(_ count: Int) {
        sent.add(count, ordering: .relaxed)
        touch()
    }

    func requestStarted(_ request: HTTPServerRequest) {
        currentRequest.withLock { $0 = request }
        setPhase(.handling)
    }

    func responseStarted() {
        if phase == .handling { setPhase(.writing) }
    }

    func responseEnded() {
        served.add(1, ordering: .relaxed)
        currentRequest.withLock { $0 = nil }
        if phase != .upgraded { setPhase(.idle) }
    }

    func closed() {
        setPhase(.closed)
        currentRequest.withLock { $0 = nil }
    }

    func setPhase(_ phase: HTTPConnectionPhase) {
        phaseValue.store(phase.rawValue, ordering: .relaxed)
    }

    private func touch() {
        lastActivityNanos.store(Int64(NIODeadline.now().uptimeNanoseconds), ordering: .relaxed)
    }
}
