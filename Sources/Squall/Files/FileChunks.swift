import NIOCore
import SquallIO

/// The bytes of a file from `start` up to `end` (or its end), read in chunks on the thread pool
/// (``SquallIO/IOLoop/runInExecutor(_:_:)``) only as the consumer asks for them, so memory stays bounded by one
/// chunk whatever the file's size.
struct FileChunks: AsyncSequence {
    typealias Element = ByteBuffer

    let path: String
    let start: Int
    let end: Int?
    let chunkSize: Int

    func makeAsyncIterator() -> Iterator {
        Iterator(path: path, offset: start, end: end, chunkSize: chunkSize)
    }

    struct Iterator: AsyncIteratorProtocol {
        let path: String
        var offset: Int
        let end: Int?
        let chunkSize: Int
        private var file: OpenFile?
        private var done = false

        init(path: String, offset: Int, end: Int?, chunkSize: Int) {
            self.path = path
            self.offset = offset
            self.end = end
            self.chunkSize = chunkSize
        }

        mutating func next() async throws -> ByteBuffer? {
            guard !done else { return nil }
            let count = Swift.min(chunkSize, end.map { $0 - self.offset } ?? chunkSize)
            guard count > 0 else { return stop() }
            let path = self.path
            let descriptor: Int32
            if let file {
                descriptor = file.descriptor
            } else {
                descriptor = try await IOLoop.current.runInExecutor { try FileSystem.openRegularFile(path) }
                file = OpenFile(descriptor)
            }
            let offset = self.offset
            let chunk = try await IOLoop.current.runInExecutor {
                try FileSystem.read(descriptor, at: offset, count: count, path: path)
            }
            guard chunk.readableBytes > 0 else { return stop() }
            self.offset += chunk.readableBytes
            return chunk
        }

        private mutating func stop() -> ByteBuffer? {
            done = true
            file = nil
            return nil
        }
    }

    /// Closes its descriptor when the iterator is done with it or dropped.
    private final class OpenFile {
        let descriptor: Int32

        init(_ descriptor: Int32) {
            self.descriptor = descriptor
        }

        deinit {
            FileSystem.close(descriptor)
        }
    }
}
