import Synchronization

/// The process-wide catalog. Loading swaps in a new immutable snapshot; readers copy the current one, so a
/// request never sees a half-loaded catalog.
private let sharedCatalog = Mutex(LocaleCatalog())

extension Locale {
    /// The process-wide translations that ``get(_:)-(String...)`` reads: none until a loader runs.
    ///
    /// Load at startup, before serving; replacing it later is safe (requests already holding a `Locale` keep
    /// the one they have).
    public static var catalog: LocaleCatalog {
        get { sharedCatalog.withLock { $0 } }
        set { sharedCatalog.withLock { $0 = newValue } }
    }

    /// The closest supported locale for `codes` in ``catalog`` (Tornado's `tornado.locale.get`).
    ///
    /// Codes are tried in order: each exactly (`pt-BR` and `pt_br` mean `pt_BR`), then its language alone
    /// (`pt`); without a match, the default locale.
    public static func get(_ codes: String...) -> Locale { catalog.get(codes) }

    /// The closest supported locale for `codes` in ``catalog`` (see ``get(_:)-(String...)``).
    public static func get(_ codes: [String]) -> Locale { catalog.get(codes) }

    /// Sets the locale of the application's own strings, returned when nothing better matches (Tornado's
    /// `set_default_locale`); the default is `en_US`. It needs no translation file.
    public static func setDefaultLocale(_ code: String) {
        sharedCatalog.withLock { $0 = $0.withDefaultLocale(code) }
    }

    /// The codes ``get(_:)-(String...)`` can return (Tornado's `get_supported_locales`).
    public static func getSupportedLocales() -> Set<String> { catalog.supportedLocales }

    /// Loads Tornado CSV translations (`LOCALE.csv` files) from `directory` into ``catalog``, replacing what was
    /// loaded before and keeping the default locale (Tornado's `load_translations`); see
    /// ``LocaleCatalog/loadCSV(directory:defaultLocale:maxFileSize:)`` for the format.
    ///
    /// - Returns: The warnings of the load (see ``LocaleCatalog/warnings``).
    /// - Throws: ``LocaleError`` naming the file (and line); ``catalog`` is then unchanged.
    @discardableResult
    public static func loadTranslations(
        directory: String,
        maxFileSize: Int = LocaleCatalog.defaultMaxFileSize
    ) throws(LocaleError) -> [String] {
        let loaded = try LocaleCatalog.loadCSV(
            directory: directory,
            defaultLocale: catalog.defaultLocale,
            maxFileSize: maxFileSize
        )
        // Keep a default locale set while the files were being read.
        sharedCatalog.withLock { $0 = loaded.withDefaultLocale($0.defaultLocale) }
        return loaded.warnings
    }

    /// Loads gettext `.mo` translations (`DIRECTORY/LANG/LC_MESSAGES/DOMAIN.mo`) into ``catalog``, replacing what
    /// was loaded before and keeping the default locale (Tornado's `load_gettext_translations`).
    ///
    /// - Throws: ``LocaleError`` naming the file; ``catalog`` is then unchanged.
    public static func loadGettextTranslations(
        directory: String,
        domain: String,
        maxFileSize: Int = LocaleCatalog.defaultMaxFileSize
    ) throws(LocaleError) {
        let loaded = try LocaleCatalog.loadGettext(
            directory: directory,
            domain: domain,
            defaultLocale: catalog.defaultLocale,
            maxFileSize: maxFileSize
        )
        sharedCatalog.withLock { $0 = loaded.withDefaultLocale($0.defaultLocale) }
    }
}
