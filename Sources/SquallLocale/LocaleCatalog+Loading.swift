import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension LocaleCatalog {
    /// Loads Tornado CSV translations from `directory` (Tornado's `load_translations`).
    ///
    /// Each file is named after its locale, `LOCALE.csv` (`es_LA.csv`, `fr.csv`), and holds rows of two or
    /// three columns: the message, its translation, and optionally `singular` or `plural` (empty or `unknown`
    /// for a message without plural forms). Files are UTF-16 with a byte-order mark, else UTF-8; surrounding
    /// whitespace of each field is removed. Other files in the directory are ignored; files whose name is not a
    /// locale code and rows with an unknown plural indicator are skipped and reported in ``warnings``.
    ///
    /// - Parameters:
    ///   - directory: The directory holding the `.csv` files.
    ///   - defaultLocale: The locale of the application's own strings.
    ///   - maxFileSize: The largest file accepted, in bytes.
    /// - Throws: ``LocaleError`` naming the file (and line) for a file that cannot be read, is too large or is
    ///   malformed.
    public static func loadCSV(
        directory: String,
        defaultLocale: String = "en_US",
        maxFileSize: Int = defaultMaxFileSize
    ) throws(LocaleError) -> LocaleCatalog {
        var translations: [String: Translations] = [:]
        var warnings: [String] = []
        for name in try listDirectory(directory).sorted() where name.hasSuffix(".csv") {
            let path = directory + "/" + name
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .invalidFileName(path: path) }
            let code = String(parts[0])
            guard isLocaleCode(code) else {
                warnings.append("Unrecognized locale '\(code)' (path: \(path))")
                continue
            }
            let bytes = try readFile(path, limit: maxFileSize)
            let (table, fileWarnings) = try CSVTranslationFile.parse(bytes, path: path, name: name)
            translations[code] = .csv(table)
            warnings += fileWarnings
        }
        return LocaleCatalog(defaultLocale: defaultLocale, translations: translations, warnings: warnings)
    }

    /// Loads gettext translations from `directory`, laid out as `DIRECTORY/LANG/LC_MESSAGES/DOMAIN.mo`
    /// (Tornado's `load_gettext_translations`).
    ///
    /// `.mo` files of either byte order are read directly (no system gettext), with their `Plural-Forms` rule
    /// and message contexts (for ``Locale/pgettext(_:_:)``). Make them with GNU gettext's `msgfmt`.
    ///
    /// - Parameters:
    ///   - directory: The root of the locale tree.
    ///   - domain: The file name of the catalogs without `.mo`.
    ///   - defaultLocale: The locale of the application's own strings.
    ///   - maxFileSize: The largest file accepted, in bytes.
    /// - Throws: ``LocaleError`` naming the file for one that cannot be read, is too large or is malformed
    ///   (Tornado logs such a file and skips its language).
    public static func loadGettext(
        directory: String,
        domain: String,
        defaultLocale: String = "en_US",
        maxFileSize: Int = defaultMaxFileSize
    ) throws(LocaleError) -> LocaleCatalog {
        var translations: [String: Translations] = [:]
        for language in try listDirectory(directory).sorted() {
            let path = "\(directory)/\(language)/LC_MESSAGES/\(domain).mo"
            guard !language.hasPrefix("."), FileManager.default.fileExists(atPath: path) else { continue }
            let bytes = try readFile(path, limit: maxFileSize)
            translations[language] = .gettext(try GettextCatalog(bytes: bytes, path: path))
        }
        return LocaleCatalog(defaultLocale: defaultLocale, translations: translations, warnings: [])
    }

    /// Tornado's `[a-z]+(_[A-Z]+)?$`.
    static func isLocaleCode(_ code: String) -> Bool {
        let parts = code.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, parts[0].unicodeScalars.allSatisfy({ ("a"..."z").contains($0) })
        else { return false }
        return parts.count == 1 || !parts[1].isEmpty && parts[1].unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
    }

    private static func listDirectory(_ directory: String) throws(LocaleError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .unreadable(path: directory, reason: "\(error)")
        }
    }

    /// The file's bytes, refusing one over `limit` without reading more than `limit + 1` bytes of it.
    private static func readFile(_ path: String, limit: Int) throws(LocaleError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            guard bytes.count <= limit else { throw .fileTooLarge(path: path, size: bytes.count, limit: limit) }
        }
    }
}
