#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `Date` header value (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), built at most once a second.
///
/// One per connection, so it needs no lock; a server would share one per event loop, which costs the same here.
struct DateHeaderCache {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private var second: time_t = -1
    private var value = ""

    /// The header value for the current second.
    mutating func current() -> String {
        var now = time(nil)
        if now != second {
            second = now
            var fields = tm()
            gmtime_r(&now, &fields)
            value = Self.format(fields)
        }
        return value
    }

    private static func format(_ fields: tm) -> String {
        func twoDigits(_ number: Int32) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(weekdays[Int(fields.tm_wday)]), \(twoDigits(fields.tm_mday)) \(months[Int(fields.tm_mon)]) "
            + "\(fields.tm_year + 1900) \(twoDigits(fields.tm_hour)):\(twoDigits(fields.tm_min)):"
            + "\(twoDigits(fields.tm_sec)) GMT"
    }
}
