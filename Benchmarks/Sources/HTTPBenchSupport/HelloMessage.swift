/// The body of `GET /json`, `{"message":"Hello, World!"}` once encoded (27 bytes with `JSONEncoder`'s defaults),
/// as every peer server sends it.
public struct HelloMessage: Encodable, Sendable {
    /// The greeting; always "Hello, World!" in the benchmark.
    public let message: String

    /// The one message the servers encode, afresh for every request.
    public static let hello = HelloMessage(message: "Hello, World!")
}
