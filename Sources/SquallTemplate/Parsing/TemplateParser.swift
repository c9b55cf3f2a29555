/// Tornado's `_parse`: splits template text into a tree of ``Node``s.
struct TemplateParser {
    private let name: String
    private let s: [Unicode.Scalar]
    private var pos = 0
    private var line = 1
    private var whitespace: WhitespaceMode
    private var autoescape: String?
    private var depth = 0
    private static let maxDepth = 200

    /// Parses `text`; `autoescape` is the template's setting before its own `{% autoescape %}` directives.
    static func parse(_ text: String, name: String, whitespace: WhitespaceMode, autoescape: String?) throws(ParseError) -> ParsedFile {
        var parser = TemplateParser(name: name, s: Array(text.unicodeScalars), whitespace: whitespace, autoescape: autoescape)
        let body = try parser.parse(inBlock: nil, inLoop: nil)
        return ParsedFile(name: name, body: body, autoescape: parser.autoescape)
    }

    private init(name: String, s: [Unicode.Scalar], whitespace: WhitespaceMode, autoescape: String?) {
        self.name = name
        self.s = s
        self.whitespace = whitespace
        self.autoescape = autoescape
    }

    private func error(_ message: String) -> ParseError { ParseError(message, filename: name, line: line) }

    private var remaining: Int { s.count - pos }

    private func find(_ needle: String, from start: Int = 0) -> Int {
        let pattern = Array(needle.unicodeScalars)
        var index = pos + start
        while index + pattern.count <= s.count {
            if s[index] == pattern[0] && Array(s[index..<(index + pattern.count)]) == pattern { return index - pos }
            index += 1
        }
        return -1
    }

    private mutating func consume(_ count: Int? = nil) -> String {
        let end = count.map { pos + $0 } ?? s.count
        let piece = s[pos..<end]
        line += piece.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        pos = end
        return String(String.UnicodeScalarView(piece))
    }

    private func at(_ offset: Int) -> Unicode.Scalar { s[pos + offset] }

    private static let intermediateParents: [String: Set<String>] = [
        "else": ["if", "for", "while", "try"], "elif": ["if"], "except": ["try"], "finally": ["try"],
    ]

    private mutating func parse(inBlock: String?, inLoop: String?) throws(ParseError) -> [Node] {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw error("Blocks nested more than \(Self.maxDepth) deep") }
        var body: [Node] = []
        while true {
            // Find the next template directive.
            var curly = 0
            while true {
                curly = find("{", from: curly)
                if curly == -1 || curly + 1 == remaining {
                    if let inBlock { throw error("Missing {% end %} block for \(inBlock)") }
                    body.append(.text(consume(), line: line, whitespace: whitespace))
                    return body
                }
                let next = at(curly + 1)
                if next != "{" && next != "%" && next != "#" {
                    curly += 1
                    continue
                }
                // With more than two curlies in a row, use the innermost ones.
                if curly + 2 < remaining && next == "{" && at(curly + 2) == "{" {
                    curly += 1
                    continue
                }
                break
            }
            if curly > 0 {
                let text = consume(curly)
                body.append(.text(text, line: line, whitespace: whitespace))
            }
            let startBrace = consume(2)
            let startLine = line
            // Directives escaped as "{{!" or "{%!" come out as the braces.
            if remaining > 0 && at(0) == "!" {
                _ = consume(1)
                body.append(.text(startBrace, line: startLine, whitespace: whitespace))
                continue
            }
            if startBrace == "{#" {
                let end = find("#}")
                if end == -1 { throw error("Missing end comment #}") }
                _ = consume(end)
                _ = consume(2)
                continue
            }
            if startBrace == "{{" {
                let end = find("}}")
                if end == -1 { throw error("Missing end expression }}") }
                let contents = PythonTextStrip.strip(consume(end))
                _ = consume(2)
                if contents.isEmpty { throw error("Empty expression") }
                body.append(.expression(contents, line: startLine, raw: false, module: false))
                continue
            }
            let end = find("%}")
            if end == -1 { throw error("Missing end block %}") }
            let contents = PythonTextStrip.strip(consume(end))
            _ = consume(2)
            if contents.isEmpty { throw error("Empty block tag ({% %})") }
            let (op, suffixRaw) = Self.partition(contents)
            let suffix = PythonTextStrip.strip(suffixRaw)
            if let parents = Self.intermediateParents[op] {
                guard let inBlock else {
                    throw error("\(op) outside \(Self.pythonSet(parents)) block")
                }
                guard parents.contains(inBlock) else {
                    throw error("\(op) block cannot be attached to \(inBlock) block")
                }
                body.append(.intermediate(contents, line: startLine))
                continue
            }
            switch op {
            case "end":
                if inBlock == nil { throw error("Extra {% end %} block") }
                return body
            case "comment": continue
            case "extends":
                let path = Self.stripQuotes(suffix)
                if path.isEmpty { throw error("extends missing file path") }
                body.append(.extends(path, line: startLine))
            case "import", "from":
                if suffix.isEmpty { throw error("import missing statement") }
                body.append(.statement(contents, line: startLine))
            case "include":
                let path = Self.stripQuotes(suffix)
                if path.isEmpty { throw error("include missing file path") }
                body.append(.include(path, from: name, line: startLine))
            case "set":
                if suffix.isEmpty { throw error("set missing statement") }
                body.append(.statement("set " + suffix, line: startLine))
            case "autoescape":
                autoescape = suffix == "None" ? nil : suffix
            case "whitespace":
                guard let mode = WhitespaceMode(rawValue: suffix) else { throw error("invalid whitespace mode \(suffix)") }
                whitespace = mode
            case "raw":
                body.append(.expression(suffix, line: startLine, raw: true, module: false))
            case "module":
                body.append(.expression(suffix, line: startLine, raw: true, module: true))
            case "apply", "block", "try", "if", "for", "while":
                let blockBody: [Node]
                switch op {
                case "for", "while": blockBody = try parse(inBlock: op, inLoop: op)
                case "apply": blockBody = try parse(inBlock: op, inLoop: nil)
                default: blockBody = try parse(inBlock: op, inLoop: inLoop)
                }
                switch op {
                case "apply":
                    if suffix.isEmpty { throw ParseError("apply missing method name", filename: name, line: line) }
                    body.append(.apply(suffix, line: startLine, body: blockBody))
                case "block":
                    if suffix.isEmpty { throw ParseError("block missing name", filename: name, line: line) }
                    body.append(.block(suffix, template: name, line: startLine, body: blockBody))
                default:
                    body.append(.control(contents, line: startLine, body: blockBody))
                }
            case "break", "continue":
                if inLoop == nil { throw error("\(op) outside {'for', 'while'} block") }
                body.append(.statement(contents, line: startLine))
            default:
                throw error("unknown operator: \(TemplateValue.pythonRepr(op))")
            }
        }
    }

    /// Python's `str.partition(" ")`.
    static func partition(_ text: String) -> (String, String) {
        guard let space = text.firstIndex(of: " ") else { return (text, "") }
        return (String(text[..<space]), String(text[text.index(after: space)...]))
    }

    /// Python's `suffix.strip('"').strip("'")`.
    static func stripQuotes(_ text: String) -> String {
        var t = Substring(text)
        while t.first == "\"" { t = t.dropFirst() }
        while t.last == "\"" { t = t.dropLast() }
        while t.first == "'" { t = t.dropFirst() }
        while t.last == "'" { t = t.dropLast() }
        return String(t)
    }

    /// How Python prints the set of allowed parents in its error message.
    private static func pythonSet(_ parents: Set<String>) -> String {
        "{" + parents.sorted().map { "'\($0)'" }.joined(separator: ", ") + "}"
    }
}

import SquallEscape

/// `str.strip()` for the parser.
enum PythonTextStrip {
    static func strip(_ text: String) -> String { PythonText.strip(text) }
}
