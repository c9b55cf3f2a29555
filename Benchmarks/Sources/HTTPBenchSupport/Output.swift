#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes `line` and a newline straight to standard output, unbuffered, so the script driving the benchmark sees
/// `READY <port>` at once even when stdout is a file or a pipe.
public func emit(_ line: String) {
    writeAll(STDOUT_FILENO, line + "\n")
}

/// Writes `line` and a newline straight to standard error.
public func emitError(_ line: String) {
    writeAll(STDERR_FILENO, line + "\n")
}

private func writeAll(_ descriptor: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
