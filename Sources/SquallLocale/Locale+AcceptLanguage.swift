extension Locale {
    /// The language codes of an `Accept-Language` header, most preferred first, as Tornado's
    /// `get_browser_locale` orders them.
    ///
    /// Entries are split on `,`; an entry's quality is its first parameter when that is `q=…` (read as Python's
    /// `float`; unparsable or negative is 0), else 1. Entries of quality 0 (or NaN) are dropped, the rest are
    /// sorted by quality, highest first, keeping the header's order between equals. Codes are returned as
    /// written (trimmed); ``get(_:)-([String])`` normalises them.
    public static func acceptLanguageCodes(_ header: String) -> [String] {
        var weighted: [(code: String, quality: Double)] = []
        for entry in header.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = PythonText.strip(entry).split(separator: ";", omittingEmptySubsequences: false)
            var quality = 1.0
            if parts.count > 1 {
                let parameter = PythonText.strip(parts[1])
                if parameter.hasPrefix("q=") {
                    quality = PythonText.parseFloat(parameter.dropFirst(2)) ?? 0
                    if quality < 0 { quality = 0 }
                }
            }
            if quality > 0 { weighted.append((String(parts[0]), quality)) }
        }
        // Swift's sort is not stable; sorting by (quality, position) keeps equals in header order.
        return weighted.enumerated()
            .sorted {
                $0.element.quality != $1.element.quality
                    ? $0.element.quality > $1.element.quality : $0.offset < $1.offset
            }
            .map(\.element.code)
    }
}
