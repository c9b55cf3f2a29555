/// A locale: translations of the application's strings into one language, and date, list and number
/// formatting for it (Tornado's `tornado.locale.Locale`).
///
/// Get one from the loaded translations with ``get(_:)-(String...)`` (the closest supported match for the codes
/// given, else the default locale), or from a ``LocaleCatalog`` you hold yourself:
///
/// ```swift
/// try Locale.loadTranslations(directory: "translations")   // es_LA.csv, fr.csv, ...
/// let locale = Locale.get("es_LA")
/// locale.translate("Sign out")                             // "Cerrar sesión"
/// locale.translate("%(name)s liked this", plural: "%(name)s liked this", count: 2)
/// ```
///
/// A `Locale` is an immutable value, safe to share between event loops. When a file also imports Foundation,
/// whose `Locale` has the same name, write `SquallLocale.Locale`.
public struct Locale: Sendable {
    /// The locale's code, such as `en_US` or `es`.
    public let code: String
    /// The locale's name in its own language, from ``names``, or `"Unknown"`.
    public let name: String
    /// Whether the language is written right to left (codes starting with `fa`, `ar` or `he`, as Tornado).
    public let rtl: Bool
    let translations: Translations
    let months: [String]
    let weekdays: [String]

    /// Makes a locale without translations: strings come back as given, dates and numbers are formatted by the
    /// rules for `code` (Tornado's `CSVLocale(code, {})`). Use ``get(_:)-(String...)`` for loaded translations.
    public init(code: String) {
        self.init(code: code, translations: .none)
    }

    /// Makes a locale that translates with `translations`.
    init(code: String, translations: Translations) {
        self.code = code
        self.name = Locale.names[code]?.name ?? "Unknown"
        self.rtl = ["fa", "ar", "he"].contains { code.hasPrefix($0) }
        self.translations = translations
        let lookup = { (message: String) in translations.translate(message) }
        self.months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ].map(lookup)
        self.weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].map(lookup)
    }

    /// Returns the translation of `message`, or `message` itself when there is none.
    public func translate(_ message: String) -> String {
        translations.translate(message)
    }

    /// Returns the translation of `message` for `count` items: the singular form when `count == 1`, else the
    /// plural (`plural` itself when there is no translation); with gettext translations, the form the
    /// catalog's `Plural-Forms` rule picks.
    ///
    /// - Parameters:
    ///   - message: The singular text, also the key of the translation.
    ///   - plural: The plural text.
    ///   - count: How many items the text is about.
    public func translate(_ message: String, plural: String, count: Int) -> String {
        translations.translate(message, plural: plural, count: count)
    }

    /// Returns the translation of `message` in `context` (gettext's `pgettext`), so that one English word
    /// can have several translations ("right" as in law, "right" as in correct).
    ///
    /// Only gettext translations have contexts; CSV translations ignore `context` (Tornado logs a warning).
    /// Without a translation in the context, the result is `message` itself.
    public func pgettext(_ context: String, _ message: String) -> String {
        translations.pgettext(context, message)
    }

    /// Returns the translation of `message` in `context` for `count` items (see ``pgettext(_:_:)`` and
    /// ``translate(_:plural:count:)``); without a translation in the context, the translation without context.
    ///
    /// - Parameters:
    ///   - context: The message context (gettext's `msgctxt`).
    ///   - message: The singular text.
    ///   - plural: The plural text.
    ///   - count: How many items the text is about.
    public func pgettext(_ context: String, _ message: String, plural: String, count: Int) -> String {
        translations.pgettext(context, message, plural: plural, count: count)
    }

    /// Returns `parts` as a comma-separated list with "and" before the last: `"A, B and C"`, `"A and B"`, `"A"`,
    /// or `""` for no parts (Tornado's `list`); Persian locales join with `" و "` instead of commas.
    public func list(_ parts: [String]) -> String {
        guard let last = parts.last else { return "" }
        if parts.count == 1 { return last }
        let comma = code.hasPrefix("fa") ? " \u{0648} " : ", "
        return PythonFormat.format(
            translate("%(commas)s and %(last)s"),
            ["commas": .string(parts.dropLast().joined(separator: comma)), "last": .string(last)]
        )
    }

    /// Returns `value` with commas between groups of three digits for `en` and `en_US` (`"1,234,567"`), and
    /// plain digits for every other locale, as Tornado's `friendly_number`.
    ///
    /// Like Tornado, negative numbers group their text including the sign (`-123` becomes `"-,123"`).
    public func friendlyNumber(_ value: Int) -> String {
        let text = String(value)
        guard code == "en" || code == "en_US" else { return text }
        var groups: [Substring] = []
        var end = text.endIndex
        while end > text.startIndex {
            let start = text.index(end, offsetBy: -3, limitedBy: text.startIndex) ?? text.startIndex
            groups.append(text[start..<end])
            end = start
        }
        return groups.reversed().joined(separator: ",")
    }
}
