/// Formats seconds since the Unix epoch as an HTTP date, such as `"Sun, 06 Nov 1994 08:49:37 GMT"` (Tornado's
/// `format_timestamp`).
///
/// Fractions of a second are rounded to microseconds and then dropped, as Python's `datetime` does, so
/// `0.9999995` formats as second 1. Python cannot format dates outside the years 1-9999 (or NaN); Squall clamps
/// them to the first or last second of that range (NaN is the epoch) rather than failing.
public func formatTimestamp(_ secondsSince1970: Double) -> String {
    HTTPDate.format(second: HTTPDate.wholeSecond(secondsSince1970))
}

/// RFC 9110 IMF-fixdate formatting without Foundation or the C locale.
enum HTTPDate {
    /// 0001-01-01T00:00:00Z, the earliest instant Python's `datetime` holds.
    static let earliest: Int64 = -62_135_596_800
    /// 9999-12-31T23:59:59Z, the latest whole second Python's `datetime` holds.
    static let latest: Int64 = 253_402_300_799

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The whole second Python's `datetime.fromtimestamp` shows for `seconds`, clamped to years 1-9999.
    static func wholeSecond(_ seconds: Double) -> Int64 {
        guard !seconds.isNaN else { return 0 }
        guard seconds > Double(earliest) else { return earliest }
        guard seconds < Double(latest + 1) else { return latest }
        // As CPython's _PyTime_DoubleToDenominator: split off the integer part, round the fraction to
        // microseconds (half to even), and carry.
        let integer = seconds.rounded(.towardZero)
        let micros = ((seconds - integer) * 1_000_000).rounded(.toNearestOrEven)
        var whole = Int64(integer)
        if micros >= 1_000_000 {
            whole += 1
        } else if micros < 0 {
            whole -= 1
        }
        return min(max(whole, earliest), latest)
    }

    /// The IMF-fixdate of a whole second since the epoch, which must be within years 1-9999.
    static func format(second: Int64) -> String {
        let days = second >= 0 ? second / 86_400 : (second - 86_399) / 86_400
        let secondOfDay = Int(second - days * 86_400)
        let (year, month, day) = civilDate(daysSince1970: days)
        let weekday = Int(((days + 4) % 7 + 7) % 7)
        var out = weekdays[weekday] + ", "
        out += twoDigits(day) + " " + months[month - 1] + " "
        let yearText = String(year)
        out += String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + " "
        out += twoDigits(secondOfDay / 3600) + ":" + twoDigits(secondOfDay / 60 % 60) + ":"
        out += twoDigits(secondOfDay % 60) + " GMT"
        return out
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }

    /// Year, month (1-12) and day (1-31) of the proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
