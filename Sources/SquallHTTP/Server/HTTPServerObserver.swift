/// Receives an ``HTTPServer``'s connection and request events: the hooks the built-in monitor uses.
///
/// Called on the connection's event loop, synchronously, on every connection and request: implementations
/// must be cheap and must not block (record and return).
public protocol HTTPServerObserver: Sendable {
    /// A connection was accepted; `control` stays valid for its life (live counters, state, and a way to close
    /// it from any thread).
    func connectionOpened(_ connection: HTTPConnectionInfo, control: HTTPConnectionControl)
    /// A request's headers were read and it is about to be handled.
    func requestStarted(_ request: HTTPServerRequest)
    /// A request's response was written completely (or the connection failed while writing it).
    func requestFinished(_ request: HTTPServerRequest, status: Int, bytesOut: Int, duration: Double)
    /// A connection closed.
    func connectionClosed(_ connection: HTTPConnectionInfo, bytesIn: Int, bytesOut: Int, requests: Int)
}

/// Identifies a connection to an ``HTTPServerObserver``.
public struct HTTPConnectionInfo: Sendable, Hashable {
    /// A number unique among the process's connections.
    public var id: Int
    /// The index of the loop the connection lives on (``SquallIO/IOLoop/index``).
    public var loopIndex: Int
    /// The client's address, as `ip:port`.
    public var peer: String
    /// The local address the connection arrived on, as `ip:port`.
    public var local: String
    /// When the connection was accepted, on ``SquallIO/IOLoop/time()``'s clock.
    public var openedAt: Double
}
