import Foundation
import Testing

@testable import SquallLocale

/// Squall's answers against Tornado 6.6.1's for the same translations and inputs (Fixtures/locale_fixtures.json).
@Suite struct TornadoDifferentialTests {
    let fixtures: LocaleFixtures
    let catalogs: [String: LocaleCatalog]

    init() throws {
        fixtures = try LocaleFixtures.load()
        catalogs = try LocaleFixtures.allCatalogs()
    }

    @Test func fixturesComeFromTornado661() {
        #expect(fixtures.generator.hasPrefix("Tornado 6.6.1 "))
        #expect(fixtures.formatDate.count > 8000)
    }

    @Test func formatDateMatchesTornadoForEveryDeltaOptionOffsetAndLocale() throws {
        var failures = 0
        for fixture in fixtures.formatDate {
            let locale = try #require(LocaleFixtures.locale(fixture.catalog, fixture.code, in: catalogs))
            let text = locale.formatDate(
                LocaleFixtures.date(microseconds: fixture.date),
                gmtOffset: fixture.gmtOffset,
                relative: fixture.options & 1 != 0,
                shorter: fixture.options & 2 != 0,
                fullFormat: fixture.options & 4 != 0,
                now: LocaleFixtures.date(microseconds: fixture.now)
            )
            if text != fixture.expected {
                failures += 1
                if failures <= 20 { #expect(text == fixture.expected, "\(fixture)") }
            }
        }
        #expect(failures == 0)
    }

    @Test func formatDayMatchesTornado() throws {
        for fixture in fixtures.formatDay {
            let locale = try #require(LocaleFixtures.locale(fixture.catalog, fixture.code, in: catalogs))
            let text = locale.formatDay(
                LocaleFixtures.date(microseconds: fixture.date),
                gmtOffset: fixture.gmtOffset,
                dow: fixture.dow
            )
            #expect(text == fixture.expected, "\(fixture)")
        }
    }

    @Test func listAndFriendlyNumberMatchTornado() throws {
        for fixture in fixtures.list {
            let locale = try #require(LocaleFixtures.locale(fixture.catalog, fixture.code, in: catalogs))
            #expect(locale.list(fixture.parts) == fixture.expected, "\(fixture)")
        }
        for fixture in fixtures.friendlyNumber {
            let locale = try #require(LocaleFixtures.locale(fixture.catalog, fixture.code, in: catalogs))
            #expect(locale.friendlyNumber(fixture.value) == fixture.expected, "\(fixture)")
        }
    }

    @Test func getFallsBackAsTornadoDoes() throws {
        for fixture in fixtures.get {
            var catalog = try #require(catalogs[fixture.catalog])
            if let code = fixture.default { catalog = catalog.withDefaultLocale(code) }
            if fixture.codes == ["<supported>"] {
                #expect(catalog.supportedLocales.sorted().joined(separator: ",") == fixture.expected, "\(fixture)")
            } else {
                #expect(catalog.get(fixture.codes).code == fixture.expected, "\(fixture)")
            }
        }
    }

    @Test func translateMatchesTornadoForCSVAndGettextCatalogs() throws {
        for fixture in fixtures.translate {
            let locale = try #require(LocaleFixtures.locale(fixture.catalog, fixture.code, in: catalogs))
            let text =
                if let plural = fixture.plural, let count = fixture.count {
                    locale.translate(fixture.message, plural: plural, count: count)
                } else {
                    locale.translate(fixture.message)
                }
            #expect(text == fixture.expected, "\(fixture)")
        }
    }

    @Test func pgettextMatchesTornado() throws {
        for fixture in fixtures.pgettext {
            let locale = try #require(LocaleFixtures.locale(fixture.catalog, fixture.code, in: catalogs))
            let text =
                if let plural = fixture.plural, let count = fixture.count {
                    locale.pgettext(fixture.context, fixture.message, plural: plural, count: count)
                } else {
                    locale.pgettext(fixture.context, fixture.message)
                }
            #expect(text == fixture.expected, "\(fixture)")
        }
    }

    @Test func acceptLanguageIsOrderedAndResolvedAsTornadoDoes() throws {
        for fixture in fixtures.acceptLanguage {
            let catalog = try #require(catalogs[fixture.catalog])
            let codes = fixture.header.map(SquallLocale.Locale.acceptLanguageCodes) ?? []
            #expect(codes == fixture.codes, "\(fixture)")
            let chosen = codes.isEmpty ? catalog.get("zz_DEFAULT") : catalog.get(codes)
            #expect(chosen.code == fixture.expected, "\(fixture)")
        }
    }

    @Test func pluralRulesPickTheFormPythonsGettextPicks() {
        let ns = [0, 1, 2, 3, 4, 5, 7, 10, 11, 12, 14, 21, 22, 100, 101, 111, 112, 1001, 1_000_000]
        for fixture in fixtures.plural {
            let rule = PluralRule(fixture.expression)
            #expect((rule != nil) == fixture.valid, "\(fixture.expression)")
            if let rule, fixture.valid {
                #expect(ns.map(rule.form(for:)) == fixture.forms, "\(fixture.expression)")
            }
        }
    }

    @Test func namesAndRightToLeftMatchTornado() {
        for fixture in fixtures.names {
            let locale = SquallLocale.Locale(code: fixture.code)
            #expect(locale.name == fixture.name, "\(fixture)")
            #expect(locale.rtl == fixture.rtl, "\(fixture)")
        }
    }
}
