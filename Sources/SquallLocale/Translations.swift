/// Where a ``Locale`` finds its translations: nowhere, a Tornado CSV file, or a gettext catalog.
enum Translations: Sendable {
    case none
    case csv(CSVTranslations)
    case gettext(GettextCatalog)

    /// Separates a message's context from the message in gettext catalogs (`msgctxt "\u{4}" msgid`).
    static let contextSeparator = "\u{4}"

    func translate(_ message: String) -> String {
        switch self {
        case .none: message
        case .csv(let table): table.unknown[message] ?? message
        case .gettext(let catalog): catalog.gettext(message)
        }
    }

    func translate(_ message: String, plural: String, count: Int) -> String {
        switch self {
        case .none:
            count == 1 ? message : plural
        case .csv(let table):
            count == 1 ? table.singular[message] ?? message : table.plural[plural] ?? plural
        case .gettext(let catalog):
            catalog.ngettext(message, plural, count)
        }
    }

    func pgettext(_ context: String, _ message: String) -> String {
        guard case .gettext(let catalog) = self else { return translate(message) }
        let result = catalog.gettext(context + Self.contextSeparator + message)
        // Still holding the separator means no translation: Tornado then gives the message untranslated.
        return result.unicodeScalars.contains("\u{4}") ? message : result
    }

    func pgettext(_ context: String, _ message: String, plural: String, count: Int) -> String {
        guard case .gettext(let catalog) = self else { return translate(message, plural: plural, count: count) }
        let separator = Self.contextSeparator
        let result = catalog.ngettext(context + separator + message, context + separator + plural, count)
        return result.unicodeScalars.contains("\u{4}") ? catalog.ngettext(message, plural, count) : result
    }
}

/// A Tornado CSV translation file's rows, by plural indicator: `unknown` (or none given), `singular`, `plural`.
struct CSVTranslations: Sendable {
    var unknown: [String: String] = [:]
    var singular: [String: String] = [:]
    var plural: [String: String] = [:]
}
