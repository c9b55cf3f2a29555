public import SquallLocale

extension RequestHandler {
    /// The locale for this request (Tornado's `locale`): ``getUserLocale()`` when it returns one, else
    /// ``getBrowserLocale(default:)``.
    ///
    /// Worked out on first use and kept for the rest of the request; set it to override the choice. Templates
    /// use it for `_`, `pgettext` and `locale`.
    public var locale: SquallLocale.Locale {
        get {
            if let cachedLocale { return cachedLocale }
            let chosen = getUserLocale() ?? getBrowserLocale()
            cachedLocale = chosen
            return chosen
        }
        set { cachedLocale = newValue }
    }

    /// The closest supported locale for the request's `Accept-Language` header, by quality value as Tornado's
    /// `get_browser_locale` (see ``SquallLocale/Locale/acceptLanguageCodes(_:)``), from
    /// ``SquallLocale/Locale/catalog``.
    ///
    /// - Parameter default: The code to look up when the header is missing or names no language with a
    ///   quality above 0 (the result is then the closest match for it, as Tornado's `locale.get(default)`).
    public func getBrowserLocale(default defaultCode: String = "en_US") -> SquallLocale.Locale {
        if let header = request.headers["Accept-Language"] {
            let codes = SquallLocale.Locale.acceptLanguageCodes(header)
            if !codes.isEmpty { return SquallLocale.Locale.get(codes) }
        }
        return SquallLocale.Locale.get(defaultCode)
    }
}
