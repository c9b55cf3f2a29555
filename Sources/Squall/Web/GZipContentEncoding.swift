import CZlib
public import NIOCore
public import SquallHTTP

/// Compresses responses with gzip for clients that accept it (Tornado's `GZipContentEncoding`).
///
/// An application uses it when ``Settings/compressResponse`` is on (unless it passes its own `transforms`).
/// As in Tornado:
/// - every response gets `Vary: Accept-Encoding`, compressed or not;
/// - only requests whose `Accept-Encoding` mentions `gzip` are answered compressed;
/// - only `text/*` and the types in ``contentTypes`` are compressed, and never a response that already has a
///   `Content-Encoding`;
/// - a response sent in one piece is compressed only from ``minLength`` bytes; one sent in several pieces
///   (``RequestHandler/flush()``) is compressed whatever its size, as a chunked stream with each piece flushed;
/// - the level is ``gzipLevel``, gzip's own default.
public final class GZipContentEncoding: OutputTransform {
    /// The compressible types besides `text/*` (Tornado's `CONTENT_TYPES`).
    public static let contentTypes: Set<String> = [
        "application/javascript",
        "application/x-javascript",
        "application/xml",
        "application/atom+xml",
        "application/json",
        "application/xhtml+xml",
        "image/svg+xml",
    ]
    /// The compression level (Tornado's `GZIP_LEVEL`, 6: gzip's own default, a good CPU/size trade-off).
    public static let gzipLevel = 6
    /// Responses sent in one piece and shorter than this are not compressed (Tornado's `MIN_LENGTH`): the
    /// gzip framing would outweigh the gain.
    public static let minLength = 1024

    private var gzipping: Bool
    private var deflater: GzipDeflater?

    /// Creates the transform for `request`, which decides from its `Accept-Encoding` whether to compress.
    public init(request: HTTPServerRequest) {
        gzipping = (request.headers["Accept-Encoding"] ?? "").contains("gzip")
    }

    /// Adds `Vary: Accept-Encoding`, decides whether to compress, and compresses the first chunk.
    ///
    /// - Throws: ``ZlibError`` if zlib cannot start or fails.
    public func transformFirstChunk(
        status: inout Int,
        headers: inout HTTPHeaders,
        chunk: inout ByteBuffer,
        finishing: Bool
    ) throws {
        if let vary = headers["Vary"] {
            headers["Vary"] = vary + ", Accept-Encoding"
        } else {
            headers["Vary"] = "Accept-Encoding"
        }
        if gzipping {
            let contentType = headers["Content-Type"] ?? ""
            let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
            gzipping =
                Self.isCompressible(String(mediaType ?? ""))
                && (!finishing || chunk.readableBytes >= Self.minLength)
                && !headers.contains("Content-Encoding")
        }
        guard gzipping else { return }
        headers["Content-Encoding"] = "gzip"
        deflater = try GzipDeflater(level: Self.gzipLevel)
        try transformChunk(&chunk, finishing: finishing)
        if headers.contains("Content-Length") {
            // The original length is wrong now. A single chunk knows its new length; otherwise the response
            // falls back to chunked encoding.
            if finishing {
                headers["Content-Length"] = String(chunk.readableBytes)
            } else {
                headers.remove("Content-Length")
            }
        }
    }

    /// Compresses a later chunk (flushing it, or ending the gzip stream when `finishing`).
    ///
    /// - Throws: ``ZlibError`` if zlib fails.
    public func transformChunk(_ chunk: inout ByteBuffer, finishing: Bool) throws {
        guard gzipping, let deflater else { return }
        chunk = try deflater.compress(chunk, finishing: finishing)
    }

    static func isCompressible(_ mediaType: String) -> Bool {
        mediaType.hasPrefix("text/") || contentTypes.contains(mediaType)
    }
}

/// zlib reported an error while compressing (it runs out of memory, or its stream was misused).
public struct ZlibError: Error, CustomStringConvertible, Sendable {
    /// zlib's return code.
    public var code: Int32
    /// What Squall was doing.
    public var operation: String

    /// Creates the error.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The code and the operation, for logs.
    public var description: String { "zlib error \(code) in \(operation)" }
}

/// One gzip stream, fed a chunk at a time: each chunk is sync-flushed so the client can decode it at once
/// (as Python's `GzipFile.flush()` in Tornado), and the last one ends the stream.
final class GzipDeflater {
    // zlib keeps a pointer back to its z_stream, so the struct must not move: it lives in its own allocation.
    private let stream: UnsafeMutablePointer<z_stream>
    private var ended = false
    private static let outputStep = 16 * 1024
    private static let maxSlice = 1 << 30

    init(level: Int) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let code = czlib_deflate_init_gzip(stream, Int32(level))
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZlibError(code: code, operation: "deflateInit2")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `input`, flushing so that everything given so far can be decoded; `finishing` ends the stream.
    func compress(_ input: ByteBuffer, finishing: Bool) throws -> ByteBuffer {
        guard !ended else { throw ZlibError(code: Z_STREAM_ERROR, operation: "deflate after the end") }
        var input = input
        var output = ByteBuffer()
        repeat {
            let slice = min(input.readableBytes, Self.maxSlice)
            let last = slice == input.readableBytes
            let flush = last ? (finishing ? Z_FINISH : Z_SYNC_FLUSH) : Z_NO_FLUSH
            try input.readWithUnsafeReadableBytes { bytes in
                let piece = UnsafeRawBufferPointer(rebasing: bytes.prefix(slice))
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: piece.baseAddress?.assumingMemoryBound(to: Bytef.self)
                )
                stream.pointee.avail_in = uInt(piece.count)
                try run(flush: flush, into: &output)
                return slice
            }
        } while input.readableBytes > 0
        stream.pointee.next_in = nil
        if finishing { ended = true }
        return output
    }

    private func run(flush: Int32, into output: inout ByteBuffer) throws {
        while true {
            var code = Z_OK
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.outputStep) { space in
                let room = min(space.count, Self.maxSlice)
                stream.pointee.next_out = space.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(room)
                code = deflate(stream, flush)
                return room - Int(stream.pointee.avail_out)
            }
            stream.pointee.next_out = nil
            switch code {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // With room left over, zlib has consumed all input and flushed what `flush` asks for; Z_FINISH
                // always has more to write until Z_STREAM_END. Z_BUF_ERROR means no progress was possible.
                if code == Z_BUF_ERROR && flush == Z_FINISH { throw ZlibError(code: code, operation: "deflate") }
                if stream.pointee.avail_out != 0 && flush != Z_FINISH { return }
                if code == Z_BUF_ERROR { return }
            default:
                throw ZlibError(code: code, operation: "deflate")
            }
        }
    }
}
