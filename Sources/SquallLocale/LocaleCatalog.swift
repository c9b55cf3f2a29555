/// A set of loaded translations: the supported locales and the default one (Tornado's module-level state in
/// `tornado.locale`, as an immutable value).
///
/// Loading reads every file once and builds every supported ``Locale``; after that a catalog is only read, so
/// it is safe to share between event loops. The process-wide catalog behind ``Locale/get(_:)-(String...)`` is
/// ``Locale/catalog``; tests and multi-tenant applications can hold catalogs of their own.
public struct LocaleCatalog: Sendable {
    /// The default per-file limit of the loaders: 16 MiB.
    public static let defaultMaxFileSize = 16 << 20

    /// The locale of the application's own strings, returned when nothing better matches (default `en_US`).
    public let defaultLocale: String
    /// Every code ``get(_:)-([String])`` can return: the loaded locales and the default one.
    public let supportedLocales: Set<String>
    /// Problems Tornado logs and skips rather than failing on (unrecognized plural indicators, files named
    /// like no locale), one line each.
    public let warnings: [String]
    private let locales: [String: Locale]
    private let tables: [String: Translations]

    /// A catalog with no translations: every locale gives strings back as written.
    public init(defaultLocale: String = "en_US") {
        self.init(defaultLocale: defaultLocale, translations: [:], warnings: [])
    }

    init(defaultLocale: String, translations: [String: Translations], warnings: [String]) {
        self.defaultLocale = defaultLocale
        self.warnings = warnings
        self.tables = translations
        var locales: [String: Locale] = [:]
        for (code, table) in translations { locales[code] = Locale(code: code, translations: table) }
        if locales[defaultLocale] == nil { locales[defaultLocale] = Locale(code: defaultLocale) }
        self.locales = locales
        self.supportedLocales = Set(locales.keys)
    }

    /// This catalog with `code` as the default locale (Tornado's `set_default_locale`).
    public func withDefaultLocale(_ code: String) -> LocaleCatalog {
        LocaleCatalog(defaultLocale: code, translations: tables, warnings: warnings)
    }

    /// The closest supported locale for `codes`, tried in order (Tornado's `Locale.get_closest`).
    ///
    /// Each code may use `-` or `_` (`pt-BR`, `pt_BR`); a code with more than two parts is skipped; for each code
    /// the exact locale is tried (language lower-cased, region upper-cased), then its language alone. Without a
    /// match, the result is the default locale.
    public func get(_ codes: [String]) -> Locale {
        for original in codes where !original.isEmpty {
            var code = original.replacing("-", with: "_")
            let parts = code.split(separator: "_", omittingEmptySubsequences: false)
            if parts.count > 2 { continue }
            if parts.count == 2 { code = parts[0].lowercased() + "_" + parts[1].uppercased() }
            if let locale = locales[code] { return locale }
            if let locale = locales[parts[0].lowercased()] { return locale }
        }
        return locales[defaultLocale] ?? Locale(code: defaultLocale)
    }

    /// The closest supported locale for `codes` (see ``get(_:)-([String])``).
    public func get(_ codes: String...) -> Locale { get(codes) }

    /// The locale with exactly this code, or `nil` when it is not supported.
    public func locale(code: String) -> Locale? { locales[code] }
}
