import CZlib
import NIOCore

/// The negotiated parameters of the permessage-deflate extension (RFC 7692), plus this side's zlib settings.
public struct PerMessageDeflateParameters: Sendable, Equatable {
    /// The server starts each message with an empty compression context.
    public var serverNoContextTakeover = false
    /// The client starts each message with an empty compression context.
    public var clientNoContextTakeover = false
    /// The server's LZ77 window, 8–15 bits.
    public var serverMaxWindowBits = 15
    /// The client's LZ77 window, 8–15 bits.
    public var clientMaxWindowBits = 15
    /// This side's zlib compression level, 0–9 (Tornado: zlib's default, 6).
    public var compressionLevel = 6
    /// This side's zlib memory level, 1–9 (Tornado: 8).
    public var memoryLevel = 8

    /// Parameters with RFC 7692's defaults (full windows, context takeover both ways).
    public init() {}

    /// The `Sec-WebSocket-Extensions` value that announces these parameters.
    public var headerValue: String {
        var value = "permessage-deflate"
        if serverNoContextTakeover { value += "; server_no_context_takeover" }
        if clientNoContextTakeover { value += "; client_no_context_takeover" }
        if serverMaxWindowBits != 15 { value += "; server_max_window_bits=\(serverMaxWindowBits)" }
        if clientMaxWindowBits != 15 { value += "; client_max_window_bits=\(clientMaxWindowBits)" }
        return value
    }
}

/// Why a compressed message was refused.
enum PerMessageDeflateError: Error {
    /// The decompressed message would exceed the size limit.
    case tooBig
    /// zlib refused the data or failed.
    case zlib(Int32)
}

/// The compressor and decompressor of one connection, over the system zlib with raw deflate streams.
final class PerMessageDeflate {
    private let deflateStream: UnsafeMutablePointer<z_stream>
    private let inflateStream: UnsafeMutablePointer<z_stream>
    private let resetsCompressor: Bool
    private let resetsDecompressor: Bool
    private var released = false
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
    private static let step = 16 * 1024

    init(role: WebSocketConnection.Role, parameters: PerMessageDeflateParameters) throws {
        let ownBits = role == .server ? parameters.serverMaxWindowBits : parameters.clientMaxWindowBits
        let peerBits = role == .server ? parameters.clientMaxWindowBits : parameters.serverMaxWindowBits
        resetsCompressor = role == .server ? parameters.serverNoContextTakeover : parameters.clientNoContextTakeover
        resetsDecompressor = role == .server ? parameters.clientNoContextTakeover : parameters.serverNoContextTakeover
        deflateStream = .allocate(capacity: 1)
        deflateStream.initialize(to: z_stream())
        inflateStream = .allocate(capacity: 1)
        inflateStream.initialize(to: z_stream())
        // zlib cannot compress with an 8-bit window and uses 9 instead (which a peer asking for 8 can still
        // inflate only if it inflates with 9); inflating accepts 8.
        let deflateCode = czlib_deflate_init_raw(
            deflateStream,
            Int32(min(max(parameters.compressionLevel, 0), 9)),
            Int32(min(max(ownBits, 9), 15)),
            Int32(min(max(parameters.memoryLevel, 1), 9))
        )
        let inflateCode = czlib_inflate_init_raw(inflateStream, Int32(min(max(peerBits, 8), 15)))
        guard deflateCode == Z_OK, inflateCode == Z_OK else {
            if deflateCode == Z_OK { deflateEnd(deflateStream) }
            if inflateCode == Z_OK { inflateEnd(inflateStream) }
            deflateStream.deinitialize(count: 1)
            deflateStream.deallocate()
            inflateStream.deinitialize(count: 1)
            inflateStream.deallocate()
            released = true
            throw PerMessageDeflateError.zlib(deflateCode == Z_OK ? inflateCode : deflateCode)
        }
    }

    deinit { release() }

    /// Frees zlib's memory (about 300 KiB per connection at the defaults) as soon as the connection closes.
    func release() {
        guard !released else { return }
        released = true
        deflateEnd(deflateStream)
        inflateEnd(inflateStream)
        deflateStream.deinitialize(count: 1)
        deflateStream.deallocate()
        inflateStream.deinitialize(count: 1)
        inflateStream.deallocate()
    }

    /// Compresses one whole message: deflate with a sync flush, without the final `00 00 FF FF`.
    func compress(_ input: ByteBuffer, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        guard !released else { throw PerMessageDeflateError.zlib(Z_STREAM_ERROR) }
        var output = allocator.buffer(capacity: input.readableBytes / 2 + 64)
        var input = input
        try input.readWithUnsafeReadableBytes { bytes in
            deflateStream.pointee.next_in = UnsafeMutablePointer(
                mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
            )
            deflateStream.pointee.avail_in = uInt(bytes.count)
            while true {
                var code = Z_OK
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.step) { space in
                    deflateStream.pointee.next_out = space.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    deflateStream.pointee.avail_out = uInt(space.count)
                    code = deflate(deflateStream, Z_SYNC_FLUSH)
                    return space.count - Int(deflateStream.pointee.avail_out)
                }
                guard code == Z_OK || code == Z_BUF_ERROR else { throw PerMessageDeflateError.zlib(code) }
                if deflateStream.pointee.avail_out != 0 || code == Z_BUF_ERROR { break }
            }
            return bytes.count
        }
        deflateStream.pointee.next_in = nil
        deflateStream.pointee.next_out = nil
        if output.readableBytes >= 4, output.readableBytesView.suffix(4).elementsEqual(Self.tail) {
            output.moveWriterIndex(to: output.writerIndex - 4)
        }
        if output.readableBytes == 0 { output.writeInteger(UInt8(0)) }
        if resetsCompressor { deflateReset(deflateStream) }
        return output
    }

    /// Decompresses one frame of a message, appending to `output` (the message so far); `final` adds RFC 7692's
    /// tail and ends the message.
    ///
    /// - Throws: ``PerMessageDeflateError/tooBig`` as soon as `output` would exceed `limit` bytes.
    func decompress(_ input: ByteBuffer, final: Bool, into output: inout ByteBuffer, limit: Int) throws {
        guard !released else { throw PerMessageDeflateError.zlib(Z_STREAM_ERROR) }
        var input = input
        try inflate(&input, into: &output, limit: limit)
        if final {
            var tail = ByteBuffer(bytes: Self.tail)
            try inflate(&tail, into: &output, limit: limit)
            if resetsDecompressor { inflateReset(inflateStream) }
        }
    }

    private func inflate(_ input: inout ByteBuffer, into output: inout ByteBuffer, limit: Int) throws {
        try input.readWithUnsafeReadableBytes { bytes in
            inflateStream.pointee.next_in = UnsafeMutablePointer(
                mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
            )
            inflateStream.pointee.avail_in = uInt(bytes.count)
            defer {
                inflateStream.pointee.next_in = nil
                inflateStream.pointee.next_out = nil
            }
            while true {
                var code = Z_OK
                // Room for about what the input may inflate to, so small fragments do not grow the buffer much.
                let room = min(Self.step, max(256, Int(inflateStream.pointee.avail_in) * 4))
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { space in
                    inflateStream.pointee.next_out = space.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    inflateStream.pointee.avail_out = uInt(space.count)
                    code = CZlib.inflate(inflateStream, Z_SYNC_FLUSH)
                    return space.count - Int(inflateStream.pointee.avail_out)
                }
                if output.readableBytes > limit { throw PerMessageDeflateError.tooBig }
                switch code {
                case Z_OK:
                    if inflateStream.pointee.avail_in == 0 && inflateStream.pointee.avail_out != 0 {
                        return bytes.count
                    }
                case Z_BUF_ERROR:
                    return bytes.count
                case Z_STREAM_END:
                    // A peer may end the deflate stream (BFINAL); start a fresh one for the next message.
                    inflateReset(inflateStream)
                    if inflateStream.pointee.avail_in == 0 { return bytes.count }
                default:
                    throw PerMessageDeflateError.zlib(code)
                }
            }
        }
    }
}
