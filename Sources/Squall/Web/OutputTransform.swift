public import NIOCore
public import SquallHTTP

/// Modifies a response on its way out, for example to compress it (Tornado's `OutputTransform`).
///
/// The application creates one instance of each of its ``Application/transforms`` per request, when the handler
/// first sends output. ``RequestHandler/flush()`` and ``RequestHandler/finish()`` pass the first chunk of the
/// body, with the status and headers, through ``transformFirstChunk(status:headers:chunk:finishing:)`` and every
/// later chunk through ``transformChunk(_:finishing:)``; `finishing` is `true` for the last chunk of the
/// response (which may be empty). Transforms run in order, each seeing the previous one's output.
///
/// A transform belongs to one request on its connection's loop, so it needs no locking.
public protocol OutputTransform: AnyObject, SendableMetatype {
    /// Creates the transform for one request.
    init(request: HTTPServerRequest)

    /// Transforms the status, headers and first chunk of the body before the head is sent.
    ///
    /// - Parameters:
    ///   - status: the response status; may be changed.
    ///   - headers: the response headers; may be changed (a transform that changes the body's length must fix or
    ///     remove `Content-Length`).
    ///   - chunk: the first part of the body; replaced by the transformed bytes.
    ///   - finishing: whether this chunk is the whole body.
    /// - Throws: any error, which ends the response by closing the connection.
    func transformFirstChunk(status: inout Int, headers: inout HTTPHeaders, chunk: inout ByteBuffer, finishing: Bool)
        throws

    /// Transforms a later chunk of the body.
    ///
    /// - Parameters:
    ///   - chunk: the bytes to send; replaced by the transformed bytes.
    ///   - finishing: whether this is the last chunk of the response.
    /// - Throws: any error, which ends the response by closing the connection.
    func transformChunk(_ chunk: inout ByteBuffer, finishing: Bool) throws
}

extension OutputTransform {
    /// Leaves the status, headers and chunk unchanged.
    public func transformFirstChunk(
        status: inout Int,
        headers: inout HTTPHeaders,
        chunk: inout ByteBuffer,
        finishing: Bool
    ) throws {}

    /// Leaves the chunk unchanged.
    public func transformChunk(_ chunk: inout ByteBuffer, finishing: Bool) throws {}
}
