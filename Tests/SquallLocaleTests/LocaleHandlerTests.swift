import Squall
import SquallTesting
import Synchronization
import Testing

/// Writes the request's locale and a translated string.
final class GreetingHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        write("\(locale.code)|\(locale.translate("Sign out"))|\(locale.rtl)")
    }
}

/// Prefers the `lang` argument over the browser's languages, as an application would prefer a user's setting.
final class PreferenceHandler: RequestHandler, @unchecked Sendable {
    static let userLocaleCalls = Mutex(0)

    override func getUserLocale() -> SquallLocale.Locale? {
        Self.userLocaleCalls.withLock { $0 += 1 }
        guard let lang = try? getArgument("lang", default: nil) else { return nil }
        return SquallLocale.Locale.get(lang)
    }

    override func get() async throws {
        // Read twice: getUserLocale runs once per request.
        let first = locale.code
        write("\(first) \(locale.code) \(getBrowserLocale(default: "fr").code)")
    }
}

/// Sets the locale itself before reading it.
final class AssignedLocaleHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        locale = SquallLocale.Locale.get("zh_CN")
        write(locale.translate("Sign out"))
    }
}

/// The process-wide catalog and `RequestHandler.locale`, over real sockets. Serialized: these tests load the
/// fixture translations into `Locale.catalog`, which every handler in the process reads (requests without an
/// `Accept-Language` header still get `en_US`).
@Suite(.serialized) struct LocaleHandlerTests {
    init() throws {
        try SquallLocale.Locale.loadTranslations(directory: LocaleFixtures.directory + "/csv")
    }

    static func app() throws -> Application {
        Application(rules: [
            try url("/greet", GreetingHandler.self),
            try url("/pref", PreferenceHandler.self),
            try url("/assigned", AssignedLocaleHandler.self),
        ])
    }

    @Test func acceptLanguagePicksTheLocaleAndTheHandlerWritesItsTranslation() async throws {
        try await withTestServer(try Self.app()) { server in
            let cases: [(String?, String)] = [
                ("es-la", "es_LA|Cerrar sesión|false"),
                ("de;q=0.9, fr-CA;q=0.95, es;q=0.1", "fr|Se déconnecter|false"),
                ("fa-IR", "fa_IR|خروج|true"),
                ("es_LA;q=0, zh-cn;q=0.5", "zh_CN|登出|false"),
                ("ja, it", "en_US|Sign out|false"),
                (nil, "en_US|Sign out|false"),
            ]
            for (header, expected) in cases {
                let headers = header.map { [("Accept-Language", $0)] } ?? []
                let response = try await server.fetch("/greet", headers: headers)
                #expect(response.status == 200)
                #expect(response.text == expected, "\(header ?? "no header")")
            }
        }
    }

    @Test func getUserLocaleWinsOverTheBrowserAndRunsOncePerRequest() async throws {
        try await withTestServer(try Self.app()) { server in
            let before = PreferenceHandler.userLocaleCalls.withLock { $0 }
            let preferred = try await server.fetch("/pref?lang=zh_CN", headers: [("Accept-Language", "es-LA")])
            #expect(preferred.text == "zh_CN zh_CN es_LA")
            #expect(PreferenceHandler.userLocaleCalls.withLock { $0 } == before + 1)
            let browser = try await server.fetch("/pref", headers: [("Accept-Language", "es;q=0")])
            // No usable language: the default's closest locale (en_US unless the caller names another).
            #expect(browser.text == "en_US en_US fr")
            let assigned = try await server.fetch("/assigned", headers: [("Accept-Language", "es")])
            #expect(assigned.text == "登出")
        }
    }

    @Test func theSharedCatalogCanBeReloadedWhileOtherTasksReadIt() async throws {
        let directory = LocaleFixtures.directory + "/csv"
        await withTaskGroup(of: Bool.self) { group in
            for reader in 0..<8 {
                group.addTask {
                    (0..<500).allSatisfy { _ in
                        let locale = SquallLocale.Locale.get(reader.isMultiple(of: 2) ? "es_LA" : "fr")
                        let text = locale.translate("Sign out")
                        return text == "Cerrar sesión" || text == "Se déconnecter"
                    }
                }
            }
            group.addTask {
                (0..<50).allSatisfy { _ in
                    (try? SquallLocale.Locale.loadTranslations(directory: directory)) != nil
                }
            }
            for await consistent in group { #expect(consistent) }
        }
        #expect(SquallLocale.Locale.getSupportedLocales() == ["en_GB", "en_US", "es_LA", "fa_IR", "fr", "zh_CN"])
        #expect(SquallLocale.Locale.catalog.defaultLocale == "en_US")
    }
}
