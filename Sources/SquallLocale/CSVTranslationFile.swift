/// Reads Tornado's CSV translation files: Python's `csv` module in the default "excel" dialect over the file's
/// text, which is UTF-16 with a byte-order mark, else UTF-8 (with or without a BOM), as Tornado detects it.
enum CSVTranslationFile {
    /// Python's `csv.field_size_limit()` default: a longer field is an error.
    static let fieldLimit = 131_072

    /// Parses one file's bytes into translations; rows whose plural indicator is not `plural`, `singular`,
    /// `unknown` or empty are skipped with a warning, as Tornado logs and skips them.
    ///
    /// - Throws: ``LocaleError/invalidCSV(path:line:reason:)`` naming the line of the problem.
    static func parse(_ bytes: [UInt8], path: String, name: String) throws(LocaleError) -> (CSVTranslations, [String]) {
        let text = try decode(bytes, path: path)
        var table = CSVTranslations()
        var warnings: [String] = []
        for (line, row) in try rows(text, path: path) where row.count >= 2 {
            let fields = row.map(PythonText.strip)
            let indicator = fields.count > 2 && !fields[2].isEmpty ? fields[2] : "unknown"
            switch indicator {
            case "unknown": table.unknown[fields[0]] = fields[1]
            case "singular": table.singular[fields[0]] = fields[1]
            case "plural": table.plural[fields[0]] = fields[1]
            default: warnings.append("Unrecognized plural indicator \(repr(indicator)) in \(name) line \(line)")
            }
        }
        return (table, warnings)
    }

    /// The file's text with Python's universal newlines (`\r\n` and `\r` read as `\n`).
    static func decode(_ bytes: [UInt8], path: String) throws(LocaleError) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let littleEndian = bytes[0] == 0xFF
            guard bytes.count % 2 == 0 else {
                throw .invalidCSV(path: path, line: 1, reason: "truncated UTF-16 data (an odd number of bytes)")
            }
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2 - 1)
            for index in stride(from: 2, to: bytes.count, by: 2) {
                let (low, high) = littleEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
                units.append(UInt16(high) << 8 | UInt16(low))
            }
            var parser = Unicode.UTF16.ForwardParser()
            var iterator = units.makeIterator()
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let encoded): scalars.append(Unicode.UTF16.decode(encoded))
                case .emptyInput: return newlinesNormalised(scalars)
                case .error:
                    throw .invalidCSV(path: path, line: lineCount(scalars), reason: "invalid UTF-16 (a lone surrogate)")
                }
            }
        }
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes[(hasBOM ? 3 : 0)...].makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): scalars.append(Unicode.UTF8.decode(encoded))
            case .emptyInput: return newlinesNormalised(scalars)
            case .error: throw .invalidCSV(path: path, line: lineCount(scalars), reason: "invalid UTF-8")
            }
        }
    }

    private static func lineCount(_ scalars: [Unicode.Scalar]) -> Int {
        newlinesNormalised(scalars).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }

    private static func newlinesNormalised(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard scalars.contains("\r") else { return scalars }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\r" {
                out.append("\n")
                if index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
            } else {
                out.append(scalars[index])
            }
            index += 1
        }
        return out
    }

    private enum State { case startRecord, startField, inField, inQuotedField, quoteInQuotedField, eatNewline }

    /// Python's `csv.reader` (excel dialect, not strict) over `text`: each row with the line it starts on.
    ///
    /// Python accepts a quoted field left open at the end of the file, taking the rest of the file into it; that
    /// is almost always a mistake in a translation file, so here it is an error naming the line it opened on.
    static func rows(_ text: [Unicode.Scalar], path: String) throws(LocaleError) -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var fieldLength = 0
        var state = State.startRecord
        var line = 1
        var rowLine = 1
        var quoteLine = 1

        func add(_ scalar: Unicode.Scalar) throws(LocaleError) {
            guard fieldLength < fieldLimit else {
                throw .invalidCSV(path: path, line: line, reason: "field larger than field limit (\(fieldLimit))")
            }
            field.append(scalar)
            fieldLength += 1
        }
        func save() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            fieldLength = 0
        }
        // One character, or `nil` for the end of a line, as Python's `parse_process_char` takes them.
        func process(_ scalar: Unicode.Scalar?) throws(LocaleError) {
            let lineEnd = scalar == nil || scalar == "\n"
            switch state {
            case .startRecord:
                if scalar == nil { return }
                if scalar == "\n" {
                    state = .eatNewline
                    return
                }
                rowLine = line
                state = .startField
                try process(scalar)
            case .startField, .inField:
                if lineEnd {
                    save()
                    state = scalar == nil ? .startRecord : .eatNewline
                } else if scalar == "," {
                    save()
                    state = .startField
                } else if scalar == "\"", state == .startField {
                    quoteLine = line
                    state = .inQuotedField
                } else if let scalar {
                    try add(scalar)
                    state = .inField
                }
            case .inQuotedField:
                if scalar == "\"" {
                    state = .quoteInQuotedField
                } else if let scalar {
                    try add(scalar)
                }
            case .quoteInQuotedField:
                if scalar == "\"" {
                    try add("\"")
                    state = .inQuotedField
                } else if scalar == "," {
                    save()
                    state = .startField
                } else if lineEnd {
                    save()
                    state = scalar == nil ? .startRecord : .eatNewline
                } else if let scalar {
                    try add(scalar)
                    state = .inField
                }
            case .eatNewline:
                if scalar == nil { state = .startRecord }
            }
        }

        var start = 0
        while start < text.count {
            let end = text[start...].firstIndex(of: "\n").map { $0 + 1 } ?? text.count
            for index in start..<end { try process(text[index]) }
            try process(nil)
            if state == .startRecord {
                if !fields.isEmpty { rows.append((rowLine, fields)) }
                fields = []
            }
            line += 1
            start = end
        }
        if state == .inQuotedField {
            throw .invalidCSV(path: path, line: quoteLine, reason: "quoted field opened here is never closed")
        }
        return rows
    }

    /// Python's `repr` of a short string, for warnings.
    private static func repr(_ text: String) -> String { "'" + text.replacingOccurrences("'", "\\'") + "'" }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
