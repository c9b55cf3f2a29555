// The request headers StaticFileHandler reads, parsed exactly as Tornado parses them (Tornado 6.6's
// `httputil._parse_request_range` and Python's `email.utils.parsedate_to_datetime`), so Squall honours and
// ignores the same `Range` and `If-Modified-Since` values.

extension StaticFileHandler {
    /// A `Range` header as slice bounds, or `nil` to ignore it (Tornado's `_parse_request_range`).
    ///
    /// `bytes=1-2` is `(1, 3)`, `bytes=6-` is `(6, nil)`, `bytes=-6` is `(-6, nil)` (a suffix), `bytes=-0` is
    /// `(nil, 0)` and `bytes=` is `(nil, nil)`. Other units, several ranges and numbers Python's `int()` would
    /// not take give `nil`.
    static func parseRequestRange(_ header: String) -> (start: Int?, end: Int?)? {
        let (unitPart, valuePart) = partition(header[...], "=")
        guard strip(unitPart) == "bytes" else { return nil }
        let (startText, endText) = partition(strip(valuePart), "-")
        guard let start = optionalInt(startText), var end = optionalInt(endText) else { return nil }
        var first = start
        if end != nil {
            if first == nil {
                if end != 0 {
                    first = end.map { -$0 }
                    end = nil
                }
            } else {
                end = end.map { $0 + 1 }
            }
        }
        return (first, end)
    }

    /// `Content-Range` for the slice `start..<end` of `size` bytes (Tornado's `_get_content_range`).
    static func contentRange(start: Int?, end: Int?, size: Int) -> String {
        let first = start ?? 0
        let last = (end ?? size) - 1
        return "bytes \(first)-\(last)/\(size)"
    }

    /// Python's `str.partition`.
    private static func partition(_ text: Substring, _ separator: Character) -> (Substring, Substring) {
        guard let index = text.firstIndex(of: separator) else { return (text, "") }
        return (text[..<index], text[text.index(after: index)...])
    }

    /// Python's `str.strip()`.
    private static func strip(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[first...last])
    }

    /// Tornado's `_int_or_none`: `.some(nil)` for blank text, `.some(value)` for a number, `nil` when `int()`
    /// would raise.
    private static func optionalInt(_ text: Substring) -> Int?? {
        let stripped = strip(text)
        if stripped.isEmpty { return .some(nil) }
        guard let value = pythonInt(stripped) else { return nil }
        return .some(value)
    }

    /// Python's `int(text)` for ASCII text: surrounding whitespace, an optional sign, digits with single
    /// underscores between them. Magnitudes are capped at 2^53 (far beyond any file) so later arithmetic cannot
    /// overflow where Python's unbounded integers would not.
    static func pythonInt(_ text: Substring) -> Int? {
        var scalars = Array(strip(text).unicodeScalars)[...]
        var negative = false
        if let sign = scalars.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            scalars = scalars.dropFirst()
        }
        guard let first = scalars.first, let last = scalars.last, first != "_", last != "_" else { return nil }
        let cap = 1 << 53
        var value = 0
        var previousUnderscore = false
        for scalar in scalars {
            if scalar == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard scalar.isASCII, let digit = Int(String(scalar)) else { return nil }
            value = min(value * 10 + digit, cap)
        }
        return negative ? -value : value
    }

    // MARK: - Dates

    private static let monthNames = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]
    private static let dayNames: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    /// Python's `_timezones`, as `±hhmm`.
    private static let timeZones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "AST": -400, "ADT": -300, "EST": -500, "EDT": -400, "CST": -600,
        "CDT": -500, "MST": -700, "MDT": -600, "PST": -800, "PDT": -700,
    ]

    /// Seconds since the epoch for an RFC 2822 / HTTP date (IMF-fixdate, RFC 850 or asctime), or `nil` where
    /// Python's `email.utils.parsedate_to_datetime` (and so Tornado's `If-Modified-Since` check) fails. A date
    /// without a known zone is UTC, as Tornado treats it.
    static func parseEmailDate(_ text: String) -> Int64? {
        var data = text.split(whereSeparator: { $0.unicodeScalars.allSatisfy(\.properties.isWhitespace) })
            .map(String.init)
        guard !data.isEmpty else { return nil }
        if data[0].hasSuffix(",") || dayNames.contains(data[0].lowercased()) {
            data.removeFirst()
        } else if let comma = data[0].lastIndex(of: ",") {
            data[0] = String(data[0][data[0].index(after: comma)...])
        }
        if data.count == 3 {
            let parts = data[0].split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 3 { data = parts.map(String.init) + data[1...] }
        }
        if data.count == 4 {
            let last = data[3]
            let sign = last.firstIndex(of: "+") ?? last.firstIndex(of: "-")
            if let sign, sign > last.startIndex {
                data[3] = String(last[..<sign])
                data.append(String(last[sign...]))
            } else {
                data.append("")
            }
        }
        guard data.count >= 5 else { return nil }
        var (day, month, year, time, zone) = (data[0], data[1], data[2], data[3], data[4])
        guard !day.isEmpty, !month.isEmpty, !year.isEmpty else { return nil }
        month = month.lowercased()
        if !monthNames.contains(month) {
            (day, month) = (month, day.lowercased())
            guard monthNames.contains(month) else { return nil }
        }
        guard var monthNumber = monthNames.firstIndex(of: month).map({ $0 + 1 }) else { return nil }
        if monthNumber > 12 { monthNumber -= 12 }
        if day.hasSuffix(",") { day.removeLast() }
        if let colon = year.firstIndex(of: ":"), colon > year.startIndex { (year, time) = (time, year) }
        if year.hasSuffix(",") {
            year.removeLast()
            if year.isEmpty { return nil }
        }
        guard let yearFirst = year.unicodeScalars.first else { return nil }
        if !("0"..."9").contains(yearFirst) { (year, zone) = (zone, year) }
        guard !time.isEmpty else { return nil }
        if time.hasSuffix(",") { time.removeLast() }
        var clock = time.split(separator: ":", omittingEmptySubsequences: false)
        if clock.count == 1 && time.contains(".") {
            // Some mail programs separate the time with dots.
            clock = time.split(separator: ".", omittingEmptySubsequences: false)
        }
        guard clock.count == 2 || clock.count == 3 else { return nil }
        guard var yearNumber = pythonInt(Substring(year)), let dayNumber = pythonInt(Substring(day)),
            let hour = pythonInt(clock[0]), let minute = pythonInt(clock[1]),
            let second = clock.count == 3 ? pythonInt(clock[2]) : 0
        else { return nil }
        if yearNumber < 100 { yearNumber += yearNumber > 68 ? 1900 : 2000 }
        var offset = 0
        let upperZone = zone.uppercased()
        if let known = timeZones[upperZone] {
            offset = known
        } else if let number = pythonInt(Substring(upperZone)) {
            offset = number
        }
        let offsetSeconds = (offset < 0 ? -1 : 1) * ((abs(offset) / 100) * 3600 + (abs(offset) % 100) * 60)
        // datetime() and timezone() refuse what they cannot represent; Tornado then ignores the header.
        guard (1...9999).contains(yearNumber), (1...daysIn(month: monthNumber, year: yearNumber)).contains(dayNumber),
            (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second),
            abs(offsetSeconds) < 86400
        else { return nil }
        let days = daysSinceEpoch(year: yearNumber, month: monthNumber, day: dayNumber)
        return Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
