/// How a request's body reaches its handler.
public enum HTTPBodyMode: Sendable {
    /// Read the whole body (up to ``HTTPServerOptions/maxBodySize``) before calling the handler, and parse
    /// urlencoded and multipart bodies into arguments.
    case buffered
    /// Call the handler as soon as the headers are in and deliver the body through
    /// ``HTTPServerRequest/bodyStream`` as it arrives, with backpressure (Tornado's `stream_request_body`).
    case streamed
}

/// Handles the requests of an ``HTTPServer``: Tornado's `HTTPServerConnectionDelegate` and
/// `HTTPMessageDelegate` folded into one async call per request.
public protocol HTTPServerDelegate: Sendable {
    /// Chooses, from the headers alone, whether the body is buffered or streamed; the default buffers.
    func bodyMode(for request: HTTPServerRequest) -> HTTPBodyMode

    /// Handles one request, writing the response through `response`.
    ///
    /// Runs on the connection's loop. If it returns without finishing the response, the server finishes it
    /// (an empty 200 if nothing was written). If it throws before writing anything, the client gets a 500;
    /// after that, the connection is closed.
    func handle(_ request: HTTPServerRequest, _ response: HTTPResponseWriter) async throws
}

extension HTTPServerDelegate {
    /// Buffers the body: the default for delegates that do not choose.
    public func bodyMode(for request: HTTPServerRequest) -> HTTPBodyMode { .buffered }
}

/// A delegate made of a closure, for `HTTPServer { request, response in ... }`.
struct ClosureDelegate: HTTPServerDelegate {
    let handler: @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void

    func handle(_ request: HTTPServerRequest, _ response: HTTPResponseWriter) async throws {
        try await handler(request, response)
    }
}
