public import FoundationEssentials

extension Locale {
    /// Formats `date` for people, as Tornado's `format_date`: relative for recent times (`"2 minutes ago"`,
    /// `"1 hour ago"`), else `"yesterday at 1:30 pm"`, `"Monday at 1:30 pm"`, `"March 3 at 1:30 pm"` or
    /// `"March 3, 2020 at 1:30 pm"`, each text translated.
    ///
    /// The clock is 12-hour (`1:30 pm`) for `en` and `en_US`, 12-hour with 上午/下午 for `zh_CN`, and 24-hour
    /// (`13:30`) for every other locale. Dates in the future use the full format, except that in relative mode
    /// a date less than a minute ahead (clock skew) counts as now. Dates outside years 1 to 9999 are clamped to
    /// that range.
    ///
    /// - Parameters:
    ///   - date: The time to describe.
    ///   - gmtOffset: The viewer's offset from UTC in minutes, *west* positive as in JavaScript's
    ///     `getTimezoneOffset()` (UTC+1 is `-60`).
    ///   - relative: Whether recent times read as "… ago" and yesterday as "yesterday".
    ///   - shorter: Whether to leave the time of day out of day-level formats.
    ///   - fullFormat: Whether to always give month, day and year (`"July 10, 1980 at 9:15 am"`).
    ///   - now: The current time (injectable for tests); the default is the real clock.
    public func formatDate(
        _ date: Date,
        gmtOffset: Int = 0,
        relative: Bool = true,
        shorter: Bool = false,
        fullFormat: Bool = false,
        now: Date = Date()
    ) -> String {
        let nowMicroseconds = CivilTime.microseconds(of: now)
        var dateMicroseconds = CivilTime.microseconds(of: date)
        var fullFormat = fullFormat
        if dateMicroseconds > nowMicroseconds {
            if relative && dateMicroseconds - nowMicroseconds < 60 * CivilTime.microsecondsPerSecond {
                dateMicroseconds = nowMicroseconds
            } else {
                fullFormat = true
            }
        }
        let localDate = CivilTime(microseconds: dateMicroseconds).adding(minutes: -gmtOffset)
        let localNow = CivilTime(microseconds: nowMicroseconds).adding(minutes: -gmtOffset)
        let localYesterday = CivilTime(microseconds: localNow.microseconds - CivilTime.microsecondsPerDay)
        // Python's timedelta: whole days (floored) and the seconds left over.
        let difference = nowMicroseconds - dateMicroseconds
        let days = CivilTime.floorDivide(difference, CivilTime.microsecondsPerDay)
        let seconds = Int((difference - days * CivilTime.microsecondsPerDay) / CivilTime.microsecondsPerSecond)

        var format: String?
        if !fullFormat {
            if relative && days == 0 {
                if seconds < 50 {
                    return PythonFormat.format(
                        translate("1 second ago", plural: "%(seconds)d seconds ago", count: seconds),
                        ["seconds": .int(seconds)]
                    )
                }
                if seconds < 50 * 60 {
                    let minutes = Int((Double(seconds) / 60).rounded(.toNearestOrEven))
                    return PythonFormat.format(
                        translate("1 minute ago", plural: "%(minutes)d minutes ago", count: minutes),
                        ["minutes": .int(minutes)]
                    )
                }
                let hours = Int((Double(seconds) / 3600).rounded(.toNearestOrEven))
                return PythonFormat.format(
                    translate("1 hour ago", plural: "%(hours)d hours ago", count: hours),
                    ["hours": .int(hours)]
                )
            }
            if days == 0 {
                format = translate("%(time)s")
            } else if days == 1 && localDate.day == localYesterday.day && relative {
                format = shorter ? translate("yesterday") : translate("yesterday at %(time)s")
            } else if days < 5 {
                format = shorter ? translate("%(weekday)s") : translate("%(weekday)s at %(time)s")
            } else if days < 334 {
                // Eleven months: beyond that, "March 3" could mean last year's March.
                format = shorter ? translate("%(month_name)s %(day)s") : translate("%(month_name)s %(day)s at %(time)s")
            }
        }
        let chosen =
            format
            ?? (shorter
                ? translate("%(month_name)s %(day)s, %(year)s")
                : translate("%(month_name)s %(day)s, %(year)s at %(time)s"))
        return PythonFormat.format(
            chosen,
            [
                "month_name": .string(months[localDate.month - 1]),
                "weekday": .string(weekdays[localDate.weekday]),
                "day": .string(String(localDate.day)),
                "year": .string(String(localDate.year)),
                "time": .string(clockTime(localDate)),
            ]
        )
    }

    /// Formats `date` as a day: `"Monday, January 22"`, or `"January 22"` without the day of the week (Tornado's
    /// `format_day`), translated.
    ///
    /// - Parameters:
    ///   - date: The day to describe.
    ///   - gmtOffset: The viewer's offset from UTC in minutes, west positive (see
    ///     ``formatDate(_:gmtOffset:relative:shorter:fullFormat:now:)``).
    ///   - dow: Whether to start with the day of the week.
    public func formatDay(_ date: Date, gmtOffset: Int = 0, dow: Bool = true) -> String {
        let localDate = CivilTime(microseconds: CivilTime.microseconds(of: date)).adding(minutes: -gmtOffset)
        let month = PythonFormatValue.string(months[localDate.month - 1])
        let day = PythonFormatValue.string(String(localDate.day))
        if dow {
            return PythonFormat.format(
                translate("%(weekday)s, %(month_name)s %(day)s"),
                ["month_name": month, "weekday": .string(weekdays[localDate.weekday]), "day": day]
            )
        }
        return PythonFormat.format(translate("%(month_name)s %(day)s"), ["month_name": month, "day": day])
    }

    /// The time of day in this locale's clock.
    private func clockTime(_ time: CivilTime) -> String {
        let minute = time.minute < 10 ? "0\(time.minute)" : "\(time.minute)"
        let hour12 = time.hour % 12 == 0 ? 12 : time.hour % 12
        switch code {
        case "en", "en_US": return "\(hour12):\(minute) \(time.hour >= 12 ? "pm" : "am")"
        case "zh_CN": return "\(time.hour >= 12 ? "\u{4e0b}\u{5348}" : "\u{4e0a}\u{5348}")\(hour12):\(minute)"
        default: return "\(time.hour):\(minute)"
        }
    }
}
