/// A fixed-size log-linear histogram of durations in seconds (HdrHistogram's idea, 16 sub-buckets per power of
/// two: values are kept within about 6%), from 1 µs to about 4.6 hours; larger values land in the last bucket.
///
/// Its memory never grows with traffic: 544 counters, allocated on the first value.
struct LatencyHistogram: Sendable {
    static let subBuckets = 16
    static let octaves = 34
    static let bucketCount = subBuckets * octaves

    private(set) var counts: [UInt32]
    private(set) var total = 0
    private(set) var maxValue = 0.0

    /// Empty histograms hold no counters until their first value.
    init() {
        counts = []
    }

    /// The bucket of a value in seconds.
    static func bucket(_ seconds: Double) -> Int {
        let micros = seconds * 1_000_000
        guard micros >= 1 else { return 0 }
        guard micros < Double(UInt64(1) << 62) else { return bucketCount - 1 }
        let value = UInt64(micros)
        let exponent = 63 - value.leadingZeroBitCount  // floor(log2)
        let sub: Int
        if exponent < 4 {
            sub = Int(value) & (subBuckets - 1)
            return min(bucketCount - 1, sub)
        }
        sub = Int((value >> UInt64(exponent - 4)) & UInt64(subBuckets - 1))
        return min(bucketCount - 1, (exponent - 3) * subBuckets + sub)
    }

    /// The largest value (in seconds) a bucket holds, used as the reported percentile value.
    static func upperBound(_ bucket: Int) -> Double {
        if bucket < subBuckets { return Double(bucket + 1) / 1_000_000 }
        let exponent = bucket / subBuckets + 3
        let sub = bucket % subBuckets
        let base = UInt64(1) << UInt64(exponent)
        let step = base / UInt64(subBuckets)
        return Double(base + UInt64(sub + 1) * step) / 1_000_000
    }

    mutating func record(_ seconds: Double) {
        let index = Self.bucket(seconds)
        if counts.isEmpty { counts = [UInt32](repeating: 0, count: Self.bucketCount) }
        counts[index] &+= 1
        total += 1
        if seconds > maxValue { maxValue = seconds }
    }

    mutating func merge(_ other: LatencyHistogram) {
        guard other.total > 0 else { return }
        if counts.isEmpty { counts = [UInt32](repeating: 0, count: Self.bucketCount) }
        for i in 0..<Self.bucketCount where other.counts[i] != 0 { counts[i] &+= other.counts[i] }
        total += other.total
        maxValue = max(maxValue, other.maxValue)
    }

    mutating func reset() {
        guard total > 0 else { return }
        for i in 0..<Self.bucketCount { counts[i] = 0 }
        total = 0
        maxValue = 0
    }

    /// The value below which `quantile` (0…1) of the recorded values fall; never above ``maxValue``.
    func value(at quantile: Double) -> Double {
        guard total > 0 else { return 0 }
        let rank = max(1, Int((quantile * Double(total)).rounded(.up)))
        var seen = 0
        for i in 0..<Self.bucketCount {
            seen += Int(counts[i])
            if seen >= rank { return min(Self.upperBound(i), maxValue) }
        }
        return maxValue
    }
}
