import Foundation
import SquallMonitorProtocol
import Synchronization

/// Reads the process's own figures from the OS (Linux: /proc/self; elsewhere: getrusage only).
enum ProcessFigures {
    static func read(startedAt: Double) -> ProcessStats {
        var usage = rusage()
        #if os(Linux)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return ProcessStats(
            uptime: max(0, Date().timeIntervalSince1970 - startedAt),
            rssBytes: residentBytes() ?? Int(usage.ru_maxrss) * 1024,
            cpuSeconds: cpu,
            openFiles: cachedOpenFiles()
        )
    }

    /// Resident set size from /proc/self/statm (pages × page size).
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The last count of open files and when it was taken (monotonic seconds).
    private static let openFilesCache = Mutex<(at: Double, count: Int)?>(nil)

    /// ``openFiles()`` at most once a second: listing /proc/self/fd of a server with 10,000 connections
    /// took a fifth of the admin loop's time per update.
    static func cachedOpenFiles() -> Int {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        if let cached = openFilesCache.withLock({ $0 }), now - cached.at < 1 { return cached.count }
        let count = openFiles()
        openFilesCache.withLock { $0 = (now, count) }
        return count
    }

    /// Open file descriptors (entries of /proc/self/fd, less the one used to list it).
    static func openFiles() -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return 0 }
        return max(0, names.count - 1)
    }
}
