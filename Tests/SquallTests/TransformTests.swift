import CZlib
import Squall
import SquallTesting
import Synchronization
import Testing

/// Decodes a gzip stream with the system zlib, independently of the code under test.
func gunzip(_ buffer: ByteBuffer) throws -> [UInt8] {
    struct GunzipError: Error { var code: Int32 }
    var stream = z_stream()
    guard czlib_inflate_init_gzip(&stream) == Z_OK else { throw GunzipError(code: -1) }
    defer { inflateEnd(&stream) }
    var input = Array(buffer.readableBytesView)
    var output: [UInt8] = []
    var piece = [UInt8](repeating: 0, count: 64 * 1024)
    var code = Z_OK
    input.withUnsafeMutableBufferPointer { bytes in
        stream.next_in = bytes.baseAddress
        stream.avail_in = uInt(bytes.count)
        repeat {
            piece.withUnsafeMutableBufferPointer { space in
                stream.next_out = space.baseAddress
                stream.avail_out = uInt(space.count)
                code = inflate(&stream, Z_NO_FLUSH)
                output += space.prefix(space.count - Int(stream.avail_out))
            }
        } while code == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
    }
    guard code == Z_STREAM_END, stream.avail_in == 0 else { throw GunzipError(code: code) }
    return output
}

/// Writes bodies of different types and sizes, in one piece or flushed.
final class CompressibleHandler: RequestHandler, @unchecked Sendable {
    static let large = "hello world" + String(repeating: "!", count: GZipContentEncoding.minLength)

    override func head() async throws { try await get() }

    override func get() async throws {
        for vary in try getArguments("vary") { try addHeader("Vary", vary) }
        if let type = try getArgument("type", default: nil) { try setHeader("Content-Type", type) }
        switch request.path {
        case "/small": write("hello world")
        case "/encoded":
            try setHeader("Content-Encoding", "identity")
            write(Self.large)
        case "/stream":
            // Flushed responses are compressed whatever their size, as Tornado's.
            write("part one;")
            try await flush()
            write("part two;")
            try await flush()
            write("end")
        case "/noisy":
            // Letters from a small LCG: compresses to well over zlib's output step per chunk.
            for piece in Self.noisy { write(piece) }
        case "/noisy-stream":
            for piece in Self.noisy {
                write(piece)
                try await flush()
            }
        default: write(Self.large)
        }
    }

    static let noisy: [[UInt8]] = {
        var state: UInt32 = 12345
        return (0..<3).map { _ in
            (0..<200_000).map { _ in
                state = state &* 1_103_515_245 &+ 12345
                return UInt8(ascii: "a") + UInt8((state >> 16) % 26)
            }
        }
    }()
}

/// Records every chunk the framework sends, and tags responses, to show how transforms are called.
final class RecordingTransform: OutputTransform {
    static let calls = Mutex<[String]>([])
    private let path: String

    init(request: HTTPServerRequest) { path = request.path }

    func transformFirstChunk(status: inout Int, headers: inout HTTPHeaders, chunk: inout ByteBuffer, finishing: Bool) {
        Self.calls.withLock { $0.append("\(path) first \(status) \(chunk.readableBytes) \(finishing)") }
        headers["X-Transformed"] = "yes"
        if path == "/teapot" { status = 418 }
    }

    func transformChunk(_ chunk: inout ByteBuffer, finishing: Bool) {
        Self.calls.withLock { $0.append("\(path) chunk \(chunk.readableBytes) \(finishing)") }
        chunk = ByteBuffer(string: String(buffer: chunk).uppercased())
    }
}

@Suite struct TransformTests {
    static let gzip = [("Accept-Encoding", "gzip, deflate")]

    static func app(compress: Bool = true, transforms: [any OutputTransform.Type]? = nil) throws -> Application {
        var settings = Settings()
        settings.compressResponse = compress
        return Application(
            rules: [try url("/.*", CompressibleHandler.self)],
            transforms: transforms,
            settings: settings
        )
    }

    @Test func largeTextResponsesAreGzippedWithTheirNewLength() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/", headers: Self.gzip)
            #expect(response.headers["Content-Encoding"] == "gzip")
            #expect(response.headers["Vary"] == "Accept-Encoding")
            #expect(response.headers["Content-Length"] == String(response.body.readableBytes))
            #expect(response.body.readableBytes < CompressibleHandler.large.utf8.count)
            #expect(try gunzip(response.body) == Array(CompressibleHandler.large.utf8))
        }
    }

    @Test func onlyCompressibleTypesLongEnoughAreCompressed() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let small = try await server.fetch("/small", headers: Self.gzip)
            #expect(small.headers["Content-Encoding"] == nil)
            #expect(small.headers["Vary"] == "Accept-Encoding")
            #expect(small.text == "hello world")
            let image = try await server.fetch("/?type=image/png", headers: Self.gzip)
            #expect(image.headers["Content-Encoding"] == nil)
            #expect(image.text == CompressibleHandler.large)
            for type in ["application/json", "image/svg%2Bxml", "text/plain;%20charset=UTF-8", "text/css"] {
                let response = try await server.fetch("/?type=\(type)", headers: Self.gzip)
                #expect(response.headers["Content-Encoding"] == "gzip", "\(type)")
            }
            let alreadyEncoded = try await server.fetch("/encoded", headers: Self.gzip)
            #expect(alreadyEncoded.headers["Content-Encoding"] == "identity")
            #expect(alreadyEncoded.text == CompressibleHandler.large)
        }
    }

    @Test func clientsThatDoNotAcceptGzipGetPlainResponsesWithVary() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/")
            #expect(response.headers["Content-Encoding"] == nil)
            #expect(response.headers["Vary"] == "Accept-Encoding")
            #expect(response.text == CompressibleHandler.large)
            let other = try await server.fetch("/", headers: [("Accept-Encoding", "br")])
            #expect(other.headers["Content-Encoding"] == nil)
        }
    }

    @Test func varyIsExtendedNotReplaced() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let one = try await server.fetch("/?vary=Accept-Language", headers: Self.gzip)
            #expect(one.headers["Content-Encoding"] == "gzip")
            let oneVary = one.headers["Vary"]?.split(separator: ",").map { $0.trimmingPrefix(" ") }
            #expect(oneVary == ["Accept-Language", "Accept-Encoding"])
            let two = try await server.fetch("/?vary=Accept-Language&vary=Cookie", headers: Self.gzip)
            let twoVary = two.headers["Vary"]?.split(separator: ",").map { $0.trimmingPrefix(" ") }
            #expect(twoVary == ["Accept-Language", "Cookie", "Accept-Encoding"])
        }
    }

    @Test func flushedResponsesAreStreamedAsOneGzipStream() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let response = try await server.fetch("/stream", headers: Self.gzip)
            #expect(response.headers["Content-Encoding"] == "gzip")
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            #expect(response.headers["Content-Length"] == nil)
            #expect(try gunzip(response.body) == Array("part one;part two;end".utf8))
        }
    }

    @Test func largeBodiesCompressWholeAndStreamed() async throws {
        let expected = CompressibleHandler.noisy.flatMap { $0 }
        try await withTestServer(try Self.app()) { server async throws in
            let whole = try await server.fetch("/noisy", headers: Self.gzip)
            #expect(whole.headers["Content-Length"] == String(whole.body.readableBytes))
            #expect(try gunzip(whole.body) == expected)
            let streamed = try await server.fetch("/noisy-stream", headers: Self.gzip)
            #expect(streamed.headers["Transfer-Encoding"] == "chunked")
            #expect(try gunzip(streamed.body) == expected)
        }
    }

    @Test func headResponsesAndNotModifiedResponsesCarryNoGzipBody() async throws {
        try await withTestServer(try Self.app()) { server async throws in
            let plain = try await server.fetch("/", headers: Self.gzip)
            let etag = try #require(plain.headers["Etag"])
            let client = try await TestClient.connect(port: server.port)
            defer { client.close() }
            let head = try await client.fetch("/", method: "HEAD", headers: Self.gzip)
            #expect(head.headers["Content-Encoding"] == "gzip")
            #expect(head.headers["Content-Length"] == plain.headers["Content-Length"])
            let cached = try await client.fetch("/", headers: Self.gzip + [("If-None-Match", etag)])
            #expect(cached.status == 304)
            #expect(cached.headers["Content-Encoding"] == nil)
            #expect(cached.headers["Vary"] == "Accept-Encoding")
            // The connection is still in step.
            #expect(
                try gunzip(try await client.fetch("/", headers: Self.gzip).body)
                    == Array(CompressibleHandler.large.utf8)
            )
        }
    }

    @Test func explicitTransformsReplaceTheSettingsDefault() async throws {
        try await withTestServer(try Self.app(compress: true, transforms: [])) { server async throws in
            let response = try await server.fetch("/", headers: Self.gzip)
            #expect(response.headers["Content-Encoding"] == nil)
            #expect(response.headers["Vary"] == nil)
        }
        try await withTestServer(try Self.app(compress: false)) { server async throws in
            #expect(try await server.fetch("/", headers: Self.gzip).headers["Vary"] == nil)
        }
    }

    @Test func customTransformsSeeEveryChunkWithTheFinishingFlag() async throws {
        let app = try Self.app(compress: false, transforms: [RecordingTransform.self])
        RecordingTransform.calls.withLock { $0.removeAll() }
        try await withTestServer(app) { server async throws in
            let whole = try await server.fetch("/small")
            #expect(whole.headers["X-Transformed"] == "yes")
            #expect(whole.text == "hello world")
            let streamed = try await server.fetch("/stream")
            #expect(streamed.text == "part one;PART TWO;END")
            #expect(try await server.fetch("/teapot").status == 418)
        }
        let calls = RecordingTransform.calls.withLock { $0 }
        #expect(
            calls == [
                "/small first 200 11 true",
                "/stream first 200 9 false", "/stream chunk 9 false", "/stream chunk 3 true",
                "/teapot first 200 1035 true",
            ]
        )
    }

    @Test func transformsCanBeAddedToARunningApplication() async throws {
        let app = try Self.app(compress: false)
        #expect(app.transforms.isEmpty)
        app.addTransform(GZipContentEncoding.self)
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/", headers: Self.gzip).headers["Content-Encoding"] == "gzip")
        }
    }
}
