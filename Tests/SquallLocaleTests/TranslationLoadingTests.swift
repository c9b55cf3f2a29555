import Foundation
import Testing

@testable import SquallLocale

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("squall-locale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path + "/" + name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func write(_ name: String, _ text: String) throws { try write(name, Array(text.utf8)) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Loading translation files: the errors a bad file gives, the limits, what is skipped with a warning.
@Suite struct TranslationLoadingTests {
    static func csvError(_ text: [UInt8], name: String = "es.csv") throws -> LocaleError? {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write(name, text)
        do {
            _ = try LocaleCatalog.loadCSV(directory: directory.path)
            return nil
        } catch {
            return error
        }
    }

    @Test func anUnterminatedQuoteIsAnErrorNamingTheLineItOpensOn() throws {
        let error = try #require(try Self.csvError(Array("\"a\",\"b\"\n\"c\",\"d\n\ne,f\n".utf8)))
        guard case .invalidCSV(let path, let line, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(path.hasSuffix("/es.csv"))
        #expect(line == 2)
        #expect(error.description.contains("es.csv:2: "))
    }

    @Test func invalidUTF8IsAnErrorNamingItsLine() throws {
        let error = try #require(
            try Self.csvError(Array("\"a\",\"b\"\r\n\"c\",\"d\"\r\n\"e\",\"".utf8) + [0xFF, 0x22])
        )
        #expect(error.description.hasSuffix("es.csv:3: invalid UTF-8"))
    }

    @Test func truncatedUTF16IsAnError() throws {
        let error = try #require(try Self.csvError([0xFF, 0xFE, 0x41]))
        guard case .invalidCSV(_, 1, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
    }

    @Test func aFieldOverPythonsLimitIsAnError() throws {
        let long = String(repeating: "x", count: CSVTranslationFile.fieldLimit + 1)
        let error = try #require(try Self.csvError(Array("\"a\",\"b\"\n\"\(long)\",\"c\"\n".utf8)))
        #expect(error.description.contains("es.csv:2: field larger than field limit (131072)"))
        // A field of exactly the limit is fine.
        let fits = String(repeating: "x", count: CSVTranslationFile.fieldLimit)
        #expect(try Self.csvError(Array("\"\(fits)\",\"c\"\n".utf8)) == nil)
    }

    @Test func aFileOverTheSizeLimitIsRefused() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write("es.csv", String(repeating: "\"a\",\"b\"\n", count: 100))
        #expect(throws: LocaleError.fileTooLarge(path: directory.path + "/es.csv", size: 800, limit: 799)) {
            try LocaleCatalog.loadCSV(directory: directory.path, maxFileSize: 799)
        }
        #expect(try LocaleCatalog.loadCSV(directory: directory.path, maxFileSize: 800).supportedLocales.contains("es"))
    }

    @Test func aNameWithTwoDotsIsAnErrorAndANonLocaleNameIsSkipped() throws {
        let error = try #require(try Self.csvError(Array("a,b\n".utf8), name: "es.old.csv"))
        #expect(error == .invalidFileName(path: error.path))
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write("Spanish.csv", "a,b\n")
        try directory.write("es_la.csv", "a,b\n")
        try directory.write("notes.txt", "a,b\n")
        let catalog = try LocaleCatalog.loadCSV(directory: directory.path)
        #expect(catalog.supportedLocales == ["en_US"])
        #expect(catalog.warnings.count == 2)
        #expect(catalog.warnings.contains { $0.hasPrefix("Unrecognized locale 'Spanish'") })
    }

    @Test func theFixtureCatalogWarnsAboutItsUnknownPluralIndicator() throws {
        let catalog = try LocaleFixtures.catalog("csv")
        #expect(catalog.warnings.contains("Unrecognized plural indicator 'bogus' in es_LA.csv line 50"))
        #expect(catalog.supportedLocales == ["en_GB", "en_US", "es_LA", "fa_IR", "fr", "zh_CN"])
    }

    @Test func aMissingDirectoryIsUnreadable() {
        #expect {
            try LocaleCatalog.loadCSV(directory: "/nonexistent/squall-locale")
        } throws: { error in
            if case .unreadable(let path, _) = error as? LocaleError { return path == "/nonexistent/squall-locale" }
            return false
        }
    }

    static func moError(_ bytes: [UInt8]) throws -> String? {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write("de/LC_MESSAGES/app.mo", bytes)
        do {
            _ = try LocaleCatalog.loadGettext(directory: directory.path, domain: "app")
            return nil
        } catch {
            #expect(error.description.hasPrefix(directory.path + "/de/LC_MESSAGES/app.mo: "))
            return error.description
        }
    }

    /// A little-endian `.mo` file with `entries` in order.
    static func mo(_ entries: [(String, String)], version: UInt32 = 0) -> [UInt8] {
        func word(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let count = entries.count
        let header =
            word(0x9504_12de) + word(Int(version)) + word(count) + word(28) + word(28 + 8 * count)
            + word(0) + word(0)
        var data: [UInt8] = []
        var tables: [UInt8] = []
        let start = 28 + 16 * count
        for text in entries.map(\.0) + entries.map(\.1) {
            tables += word(text.utf8.count) + word(start + data.count)
            data += Array(text.utf8) + [0]
        }
        return header + tables + data
    }

    @Test func malformedMOFilesAreErrorsNamingTheFile() throws {
        #expect(try Self.moError([1, 2, 3])?.contains("Bad magic number") == true)
        #expect(try Self.moError([0xde, 0x12, 0x04, 0x95, 0, 0])?.contains("File is corrupt") == true)
        #expect(try Self.moError(Self.mo([("a", "b")], version: 2 << 16))?.contains("Bad version number 2") == true)
        var truncated = Self.mo([("a", "b")])
        truncated.removeLast(2)
        #expect(try Self.moError(truncated)?.contains("File is corrupt") == true)
        let latin2 = Self.mo([("", "Content-Type: text/plain; charset=ISO-8859-2\n"), ("a", "b")])
        #expect(try Self.moError(latin2)?.contains("unsupported charset ISO-8859-2") == true)
        let badRule = Self.mo([("", "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=n +;\n")]
        )
        #expect(try Self.moError(badRule)?.contains("invalid plural rule") == true)
        let asciiOnly = Self.mo([("a", "é")])
        #expect(try Self.moError(asciiOnly)?.contains("not valid ascii") == true)
        #expect(try Self.moError(Self.mo([("", "Content-Type: text/plain; charset=UTF-8\n"), ("a", "é")])) == nil)
    }

    @Test func gettextLoadsOnlyTheDomainAsked() throws {
        let catalog = try LocaleFixtures.catalog("gettext")
        #expect(catalog.supportedLocales == ["ar", "de", "en_US", "ja", "pt_BR", "ru"])
        #expect(catalog.get("it").code == "en_US")
        #expect(catalog.get("ru").translate("Sign out") == "Выйти")
    }

    @Test func theDefaultLocaleNeedsNoFileAndCanBeChanged() throws {
        let catalog = try LocaleFixtures.catalog("csv").withDefaultLocale("fr")
        #expect(catalog.get("xx").code == "fr")
        #expect(catalog.get("xx").translate("Sign out") == "Se déconnecter")
        let unknownDefault = catalog.withDefaultLocale("pt_PT")
        #expect(unknownDefault.get("xx").code == "pt_PT")
        #expect(unknownDefault.supportedLocales.contains("pt_PT"))
        // A default without translations is supported only while it is the default.
        #expect(!unknownDefault.supportedLocales.contains("en_US"))
        #expect(!catalog.withDefaultLocale("de").supportedLocales.contains("pt_PT"))
    }
}

extension LocaleError {
    var path: String {
        switch self {
        case .unreadable(let path, _), .fileTooLarge(let path, _, _), .invalidCSV(let path, _, _),
            .invalidFileName(let path), .invalidMO(let path, _):
            path
        }
    }
}
