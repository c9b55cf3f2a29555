#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes `line` and a newline straight to standard output, unbuffered, so the script driving the benchmark sees
/// `READY` and `RESULT` lines at once even when stdout is a file or a pipe.
func emit(_ line: String) {
    writeAll(STDOUT_FILENO, line + "\n")
}

/// Writes `line` and a newline straight to standard error.
func emitError(_ line: String) {
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

/// CPU time (user plus system, all threads) this process has used so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
        // Glibc imports the `who` argument as a plain Int32 but RUSAGE_SELF as an enum case.
        getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
        getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
