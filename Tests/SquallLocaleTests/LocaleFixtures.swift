import Foundation
import SquallLocale

/// The fixtures Tests/SquallLocaleTests/Fixtures/generate_locale_fixtures.py made with Tornado 6.6.1: what Tornado
/// answered for the translations in Fixtures/csv and Fixtures/gettext.
struct LocaleFixtures: Decodable {
    /// One `format_date` call: catalog, code, date and now (microseconds since the epoch), gmt_offset, option
    /// bits (1 relative, 2 shorter, 4 full_format), and Tornado's answer.
    struct FormatDate: Decodable, CustomStringConvertible {
        let catalog: String, code: String, date: Int64, now: Int64, gmtOffset: Int, options: Int, expected: String
        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            catalog = try row.decode(String.self)
            code = try row.decode(String.self)
            date = try row.decode(Int64.self)
            now = try row.decode(Int64.self)
            gmtOffset = try row.decode(Int.self)
            options = try row.decode(Int.self)
            expected = try row.decode(String.self)
        }
        var description: String { "\(catalog) \(code) date \(date) now \(now) offset \(gmtOffset) options \(options)" }
    }
    struct FormatDay: Decodable {
        let catalog: String, code: String, date: Int64, gmtOffset: Int, dow: Bool, expected: String
    }
    struct ListCase: Decodable { let catalog: String, code: String, parts: [String], expected: String }
    struct NumberCase: Decodable { let catalog: String, code: String, value: Int, expected: String }
    struct GetCase: Decodable { let catalog: String, `default`: String?, codes: [String], expected: String }
    struct TranslateCase: Decodable {
        let catalog: String, code: String, message: String, plural: String?, count: Int?, expected: String
    }
    struct PgettextCase: Decodable {
        let catalog: String, code: String, context: String, message: String, plural: String?, count: Int?
        let expected: String
    }
    struct AcceptLanguageCase: Decodable { let catalog: String, header: String?, codes: [String], expected: String }
    struct PluralCase: Decodable { let expression: String, valid: Bool, forms: [Int?] }
    struct NameCase: Decodable { let code: String, name: String, rtl: Bool }

    let generator: String
    let formatDate: [FormatDate]
    let formatDay: [FormatDay]
    let list: [ListCase]
    let friendlyNumber: [NumberCase]
    let get: [GetCase]
    let translate: [TranslateCase]
    let pgettext: [PgettextCase]
    let acceptLanguage: [AcceptLanguageCase]
    let plural: [PluralCase]
    let names: [NameCase]

    /// The Fixtures directory next to this file.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures"
    )
    .path

    static func load() throws -> LocaleFixtures {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/locale_fixtures.json"))
        return try JSONDecoder().decode(LocaleFixtures.self, from: data)
    }

    /// The fixture catalog named `name`: `none` (nothing loaded), `csv` or `gettext`.
    static func catalog(_ name: String) throws -> LocaleCatalog {
        switch name {
        case "csv": try LocaleCatalog.loadCSV(directory: directory + "/csv")
        case "gettext": try LocaleCatalog.loadGettext(directory: directory + "/gettext", domain: "squall")
        default: LocaleCatalog()
        }
    }

    /// The locale a fixture ran on: any code without translations in the `none` catalog (Tornado's
    /// `CSVLocale(code, {})`), else the catalog's locale with exactly that code.
    static func locale(_ catalogName: String, _ code: String, in catalogs: [String: LocaleCatalog]) -> SquallLocale
        .Locale?
    {
        if catalogName == "none" { return SquallLocale.Locale(code: code) }
        return catalogs[catalogName]?.locale(code: code)
    }

    static func allCatalogs() throws -> [String: LocaleCatalog] {
        try Dictionary(uniqueKeysWithValues: ["none", "csv", "gettext"].map { ($0, try catalog($0)) })
    }

    static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }
}
