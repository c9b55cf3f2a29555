import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `stat` says about a path.
struct FileStatus: Sendable {
    var mode: UInt32
    /// Size in bytes.
    var size: Int
    /// Modification time, in whole seconds since the epoch (Tornado truncates it too).
    var modified: Int

    var isRegularFile: Bool { mode & 0o170000 == 0o100000 }
    var isDirectory: Bool { mode & 0o170000 == 0o040000 }
    var isSymbolicLink: Bool { mode & 0o170000 == 0o120000 }
}

/// A file system call failed.
struct FileSystemError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var errno: Int32

    var description: String {
        "\(operation) \(String(reflecting: path)): \(String(cString: strerror(errno)))"
    }
}

/// The few POSIX calls static file serving needs, on paths that callers have checked contain no NUL (a C
/// string would silently end there).
enum FileSystem {
    /// `stat` (following symlinks), or `nil` if the path cannot be stat'ed.
    static func status(_ path: String) -> FileStatus? {
        var info = stat()
        guard path.withCString({ stat($0, &info) }) == 0 else { return nil }
        return FileStatus(info)
    }

    /// `lstat` (not following a final symlink), or `nil`.
    static func linkStatus(_ path: String) -> FileStatus? {
        var info = stat()
        guard path.withCString({ lstat($0, &info) }) == 0 else { return nil }
        return FileStatus(info)
    }

    /// The target of symlink `path`, or `nil`.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = path.withCString { readlink($0, &buffer, buffer.count - 1) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The process's working directory ("/" if it cannot be read).
    static func currentDirectory() -> String {
        guard let pointer = getcwd(nil, 0) else { return "/" }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Opens a regular file for reading.
    ///
    /// Opened non-blocking so a FIFO put in the file's place cannot hang the calling thread, then checked with
    /// `fstat`: anything but a regular file is refused.
    /// - Throws: ``FileSystemError``.
    static func openRegularFile(_ path: String) throws -> Int32 {
        let descriptor = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard descriptor >= 0 else { throw FileSystemError(operation: "open", path: path, errno: errno) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw FileSystemError(operation: "fstat", path: path, errno: code)
        }
        guard FileStatus(info).isRegularFile else {
            close(descriptor)
            throw FileSystemError(operation: "open", path: path, errno: EISDIR)
        }
        return descriptor
    }

    /// Reads up to `count` bytes at `offset`; an empty buffer means end of file.
    /// - Throws: ``FileSystemError``.
    static func read(_ descriptor: Int32, at offset: Int, count: Int, path: String) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        while true {
            var result = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { space in
                result = pread(descriptor, space.baseAddress, count, off_t(offset))
                return max(result, 0)
            }
            if result >= 0 { return buffer }
            if errno != EINTR { throw FileSystemError(operation: "read", path: path, errno: errno) }
        }
    }

    /// Closes a descriptor from ``openRegularFile(_:)``.
    static func close(_ descriptor: Int32) {
        #if canImport(Darwin)
            _ = Darwin.close(descriptor)
        #elseif canImport(Glibc)
            _ = Glibc.close(descriptor)
        #elseif canImport(Musl)
            _ = Musl.close(descriptor)
        #endif
    }
}

extension FileStatus {
    init(_ info: stat) {
        #if canImport(Darwin)
            let seconds = info.st_mtimespec.tv_sec
        #else
            let seconds = info.st_mtim.tv_sec
        #endif
        self.init(mode: UInt32(info.st_mode), size: Int(info.st_size), modified: Int(seconds))
    }
}
