/// One language's messages from a GNU gettext `.mo` file, looked up as Python's `gettext.GNUTranslations`.
struct GettextCatalog: Sendable {
    /// Messages without plural forms (including the metadata entry under `""`), by msgid.
    private(set) var messages: [String: String] = [:]
    /// Plural forms by the singular msgid, in the catalog's order.
    private(set) var plurals: [String: [String]] = [:]
    /// The catalog's `Plural-Forms` rule, or English's when the catalog has none.
    private(set) var rule = PluralRule.germanic

    /// Python's `gettext`: the message's translation, else its translation as a plural for one item, else
    /// `message`.
    func gettext(_ message: String) -> String {
        if let translated = messages[message] { return translated }
        if let forms = plurals[message], let form = rule.form(for: 1), forms.indices.contains(form) {
            return forms[form]
        }
        return message
    }

    /// Python's `ngettext`: the form the plural rule picks for `count`, else `singular` for one item and
    /// `plural` for any other count.
    func ngettext(_ singular: String, _ plural: String, _ count: Int) -> String {
        if let forms = plurals[singular], let form = rule.form(for: count), forms.indices.contains(form) {
            return forms[form]
        }
        return count == 1 ? singular : plural
    }

    private enum Charset {
        case ascii, utf8, latin1

        init?(name: String) {
            switch name.lowercased().replacing("_", with: "-") {
            case "utf-8", "utf8", "u8", "utf": self = .utf8
            case "ascii", "us-ascii", "646", "us": self = .ascii
            case "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "8859", "cp819", "iso-ir-100": self = .latin1
            default: return nil
            }
        }

        func decode(_ bytes: ArraySlice<UInt8>) -> String? {
            switch self {
            case .utf8: return String(validating: bytes, as: UTF8.self)
            case .ascii: return bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: UTF8.self) : nil
            case .latin1:
                var scalars = String.UnicodeScalarView()
                for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
                return String(scalars)
            }
        }
    }

    /// Parses a `.mo` file, little- or big-endian, as Python's `GNUTranslations._parse`.
    ///
    /// - Throws: ``LocaleError/invalidMO(path:reason:)`` for a bad magic number or version, offsets past the
    ///   end of the file, text not in the declared charset, an unsupported charset or a bad `Plural-Forms`
    ///   rule.
    init(bytes: [UInt8], path: String) throws(LocaleError) {
        func fail(_ reason: String) -> LocaleError { .invalidMO(path: path, reason: reason) }
        func word(_ offset: Int, bigEndian: Bool) -> Int? {
            guard offset >= 0, offset <= bytes.count - 4 else { return nil }
            let value = bytes[offset..<offset + 4].enumerated().reduce(UInt32(0)) { result, item in
                result | UInt32(item.element) << (bigEndian ? 24 - 8 * item.offset : 8 * item.offset)
            }
            return Int(value)
        }
        guard let magic = word(0, bigEndian: false) else { throw fail("Bad magic number (file too short)") }
        let bigEndian: Bool
        switch magic {
        case 0x9504_12de: bigEndian = false
        case 0xde12_0495: bigEndian = true
        default: throw fail("Bad magic number")
        }
        guard let version = word(4, bigEndian: bigEndian), let count = word(8, bigEndian: bigEndian),
            let originals = word(12, bigEndian: bigEndian), let translations = word(16, bigEndian: bigEndian)
        else { throw fail("File is corrupt (header too short)") }
        guard version >> 16 <= 1 else { throw fail("Bad version number \(version >> 16)") }
        // Each entry takes at least 16 bytes of tables, so a count beyond that is corrupt, not a long loop.
        guard count <= bytes.count / 16 + 1 else { throw fail("File is corrupt (\(count) entries)") }
        var charset: Charset?
        for entry in 0..<count {
            guard let originalLength = word(originals + 8 * entry, bigEndian: bigEndian),
                let originalOffset = word(originals + 8 * entry + 4, bigEndian: bigEndian),
                let translationLength = word(translations + 8 * entry, bigEndian: bigEndian),
                let translationOffset = word(translations + 8 * entry + 4, bigEndian: bigEndian)
            else { throw fail("File is corrupt (entry \(entry) is past the end of the file)") }
            // Python insists each string ends before the last byte (msgfmt always writes a NUL after it).
            guard originalOffset + originalLength < bytes.count, translationOffset + translationLength < bytes.count
            else { throw fail("File is corrupt (entry \(entry) is past the end of the file)") }
            let original = bytes[originalOffset..<originalOffset + originalLength]
            let translation = bytes[translationOffset..<translationOffset + translationLength]
            if originalLength == 0 {
                let metadata = try Self.parseMetadata(translation, fail: fail)
                if let name = metadata.charset {
                    guard let known = Charset(name: name) else { throw fail("unsupported charset \(name)") }
                    charset = known
                }
                if let expression = metadata.pluralExpression {
                    guard let rule = PluralRule(expression) else { throw fail("invalid plural rule \(expression)") }
                    self.rule = rule
                }
            }
            let encoding = charset ?? .ascii
            let parts = original.split(separator: 0, omittingEmptySubsequences: false)
            if parts.count > 1 {
                guard parts.count == 2, let singular = encoding.decode(parts[0]) else {
                    throw fail("entry \(entry) has a malformed plural msgid")
                }
                var forms: [String] = []
                for part in translation.split(separator: 0, omittingEmptySubsequences: false) {
                    guard let form = encoding.decode(part) else {
                        throw fail("entry \(entry) is not valid \(encoding)")
                    }
                    forms.append(form)
                }
                plurals[singular] = forms
            } else {
                guard let key = encoding.decode(original), let value = encoding.decode(translation) else {
                    throw fail("entry \(entry) is not valid \(encoding)")
                }
                messages[key] = value
            }
        }
    }

    /// The charset and plural expression from the metadata entry's `Content-Type` and `Plural-Forms` headers.
    private static func parseMetadata(
        _ bytes: ArraySlice<UInt8>,
        fail: (String) -> LocaleError
    ) throws(LocaleError) -> (charset: String?, pluralExpression: String?) {
        var charset: String?
        var plural: String?
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            guard let text = String(validating: line, as: UTF8.self) else { throw fail("metadata is not UTF-8") }
            let item = PythonText.strip(text)
            if item.isEmpty || item.hasPrefix("#-#-#-#-#") && item.hasSuffix("#-#-#-#-#") { continue }
            guard let colon = item.firstIndex(of: ":") else { continue }
            let key = PythonText.strip(item[..<colon]).lowercased()
            let value = PythonText.strip(item[item.index(after: colon)...])
            if key == "content-type" {
                guard let range = value.firstRange(of: "charset=") else {
                    throw fail("Content-Type header has no charset")
                }
                charset = String(value[range.upperBound...].split(separator: "charset=").first ?? "")
            } else if key == "plural-forms" {
                let fields = value.split(separator: ";", omittingEmptySubsequences: false)
                guard fields.count > 1, let range = fields[1].firstRange(of: "plural=") else {
                    throw fail("Plural-Forms header has no plural= rule")
                }
                plural = String(fields[1][range.upperBound...].split(separator: "plural=").first ?? "")
            }
        }
        return (charset, plural)
    }
}
