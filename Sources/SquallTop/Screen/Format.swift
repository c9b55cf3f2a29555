import Foundation

/// Short human-readable numbers for narrow table columns.
public enum Format {
    /// Bytes as `512B`, `1.5K`, `12M`, `3.2G`.
    public static func bytes(_ n: Int) -> String {
        let units = ["B", "K", "M", "G", "T"]
        var v = Double(max(0, n))
        var i = 0
        while v >= 1024, i < units.count - 1 {
            v /= 1024
            i += 1
        }
        if i == 0 { return "\(Int(v))B" }
        return v < 10 ? String(format: "%.1f", v) + units[i] : "\(Int(v.rounded()))\(units[i])"
    }

    /// A duration in seconds as `850µs`, `12ms`, `3.4s`, `5m02s`, `2h03m`, `3d04h`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let s = max(0, seconds)
        if s < 0.001 { return "\(Int((s * 1_000_000).rounded()))µs" }
        if s < 1 { return s < 0.01 ? String(format: "%.1fms", s * 1000) : "\(Int((s * 1000).rounded()))ms" }
        if s < 60 { return String(format: "%.1fs", s) }
        let total = Int(s)
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        if total < 86400 { return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60) }
        return String(format: "%dd%02dh", total / 86400, (total % 86400) / 3600)
    }

    /// A rate with one decimal below 100 and none above.
    public static func rate(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        if v >= 10_000 { return String(format: "%.0fk", v / 1000) }
        return v < 100 ? String(format: "%.1f", v) : String(format: "%.0f", v)
    }

    /// A fraction (0…1) as a percentage.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        let p = fraction * 100
        return p < 10 ? String(format: "%.1f%%", p) : String(format: "%.0f%%", p)
    }

    /// A count with `k`/`M` past 10 000.
    public static func count(_ n: Int) -> String {
        if n >= 10_000_000 { return "\(n / 1_000_000)M" }
        if n >= 10_000 { return "\(n / 1000)k" }
        return "\(n)"
    }

    /// A wall-clock time (local) as `HH:MM:SS`.
    public static func clock(_ time: Double) -> String {
        var t = time_t(time)
        var parts = tm()
        localtime_r(&t, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
