#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The current time as an HTTP date for the `Date` header, formatted at most once per second.
///
/// Keep one per event loop (it is a value, not shared): ``current()`` reads the wall clock with `clock_gettime`
/// and reuses the last string while the second has not changed.
package struct HTTPDateCache: Sendable {
    private var cachedSecond = Int64.min
    private var cachedText = ""

    /// Creates an empty cache; the first ``current()`` formats.
    package init() {}

    /// The current time as `"Sun, 06 Nov 1994 08:49:37 GMT"`.
    package mutating func current() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return text(forSecond: Int64(now.tv_sec))
    }

    /// The HTTP date of a whole second since the epoch, reusing the last result for the same second.
    package mutating func text(forSecond second: Int64) -> String {
        if second != cachedSecond {
            cachedText = HTTPDate.format(second: min(max(second, HTTPDate.earliest), HTTPDate.latest))
            cachedSecond = second
        }
        return cachedText
    }
}
