import FoundationEssentials

/// A UTC wall-clock time on the proleptic Gregorian calendar at microsecond resolution, as Python's
/// `datetime` holds it, worked out without Foundation's calendars so every platform gives the same answer.
struct CivilTime: Sendable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    let microseconds: Int64
    let year: Int
    let month: Int
    let day: Int
    let hour: Int
    let minute: Int
    /// Monday is 0, as Python's `weekday()`.
    let weekday: Int

    static let microsecondsPerSecond: Int64 = 1_000_000
    static let microsecondsPerDay: Int64 = 86_400 * microsecondsPerSecond
    // Python's datetime covers 0001-01-01 to 9999-12-31; times outside are clamped to that range.
    static let minimumSeconds: Double = -62_135_596_800
    static let maximumSeconds: Double = 253_402_300_799

    /// The microsecond count of `date`, rounded half to even as Python's `fromtimestamp`, clamped to
    /// Python's `datetime` range (a NaN date counts as the epoch).
    static func microseconds(of date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970
        guard !seconds.isNaN else { return 0 }
        let clamped = min(max(seconds, minimumSeconds), maximumSeconds)
        let whole = clamped.rounded(.down)
        let fraction = ((clamped - whole) * 1_000_000).rounded(.toNearestOrEven)
        return Int64(whole) * microsecondsPerSecond + Int64(fraction)
    }

    init(microseconds: Int64) {
        self.microseconds = microseconds
        let days = Self.floorDivide(microseconds, Self.microsecondsPerDay)
        let inDay = microseconds - days * Self.microsecondsPerDay
        let secondOfDay = Int(inDay / Self.microsecondsPerSecond)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        weekday = Int(Self.floorModulo(days + 3, 7))
        // Howard Hinnant's civil_from_days.
        let shifted = days + 719_468
        let era = Self.floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
    }

    /// This time moved by `minutes` minutes (at most about 1,900 years either way, which no UTC offset needs).
    func adding(minutes: Int) -> CivilTime {
        let bounded = Int64(min(max(minutes, -1_000_000_000), 1_000_000_000))
        return CivilTime(microseconds: microseconds + bounded * 60 * Self.microsecondsPerSecond)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
