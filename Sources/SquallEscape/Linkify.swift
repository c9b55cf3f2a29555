/// Turns URLs in plain text into links, HTML-escaping the rest (Tornado's `linkify`).
///
/// `linkify("Hello http://tornadoweb.org!")` is `Hello <a href="http://tornadoweb.org">http://tornadoweb.org</a>!`.
/// URLs are found with Tornado's pattern (a `scheme://` or `www.` start; trailing punctuation stays outside;
/// balanced parentheses stay inside).
/// - Parameters:
///   - text: plain text (it is escaped with ``xhtmlEscape(_:)`` first).
///   - shorten: shorten long URLs in the link text (the full URL goes in a `title`).
///   - extraParams: extra attributes for each `<a>` tag, such as `rel="nofollow"`; a closure gets the link's
///     `href` and returns the attributes for it.
///   - requireProtocol: only link URLs that start with a scheme (not bare `www.` addresses).
///   - permittedProtocols: schemes that are linked; others are left as text. Never allow `javascript`.
public func linkify(
    _ text: String,
    shorten: Bool = false,
    extraParams: String = "",
    requireProtocol: Bool = false,
    permittedProtocols: [String] = ["http", "https"]
) -> String {
    let params = extraParams.isEmpty ? "" : " " + PythonText.strip(extraParams)
    return Linkifier(shorten: shorten, params: { _ in params }, requireProtocol: requireProtocol,
        permitted: permittedProtocols
    ).run(xhtmlEscape(text))
}

/// ``linkify(_:shorten:extraParams:requireProtocol:permittedProtocols:)`` with attributes chosen per link:
/// `extraParams` receives each link's `href`.
public func linkify(
    _ text: String,
    shorten: Bool = false,
    extraParams: @escaping (String) -> String,
    requireProtocol: Bool = false,
    permittedProtocols: [String] = ["http", "https"]
) -> String {
    Linkifier(
        shorten: shorten,
        params: { " " + PythonText.strip(extraParams($0)) },
        requireProtocol: requireProtocol,
        permitted: permittedProtocols
    ).run(xhtmlEscape(text))
}

/// Tornado's `_URL_RE` matched by hand (same backtracking outcome) and its `make_link`.
struct Linkifier {
    let shorten: Bool
    let params: (String) -> String
    let requireProtocol: Bool
    let permitted: [String]

    typealias Scalars = [Unicode.Scalar]

    func run(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var position = 0
        var copied = 0
        while position < s.count {
            if let match = match(s, at: position) {
                out.append(contentsOf: s[copied..<position])
                out.append(contentsOf: makeLink(s, match).unicodeScalars)
                position = match.end
                copied = position
            } else {
                position += 1
            }
        }
        out.append(contentsOf: s[copied...])
        return String(out)
    }

    struct Match {
        var start: Int
        var end: Int
        var proto: Range<Int>?
        var slashes: Range<Int>?
    }

    private func isWord(_ s: Scalars, _ i: Int) -> Bool { i >= 0 && i < s.count && PythonText.isWord(s[i]) }

    func match(_ s: Scalars, at p: Int) -> Match? {
        guard isWord(s, p - 1) != isWord(s, p) else { return nil }
        // ([\w-]+):(/{1,3})
        var runEnd = p
        while runEnd < s.count, PythonText.isWord(s[runEnd]) || s[runEnd] == "-" { runEnd += 1 }
        if runEnd > p, runEnd < s.count, s[runEnd] == ":" {
            var slashEnd = runEnd + 1
            while slashEnd < s.count, slashEnd - runEnd - 1 < 3, s[slashEnd] == "/" { slashEnd += 1 }
            var count = slashEnd - runEnd - 1
            while count >= 1 {
                if let end = body(s, from: runEnd + 1 + count) {
                    return Match(start: p, end: end, proto: p..<runEnd, slashes: (runEnd + 1)..<(runEnd + 1 + count))
                }
                count -= 1
            }
        }
        // www[.]
        if p + 4 <= s.count, s[p] == "w", s[p + 1] == "w", s[p + 2] == "w", s[p + 3] == ".",
            let end = body(s, from: p + 4)
        {
            return Match(start: p, end: end, proto: nil, slashes: nil)
        }
        return nil
    }

    /// The length of the unit at `i` (a character other than space, `&`, `(`, `)`, or `&amp;` / `&quot;`).
    private func unit(_ s: Scalars, _ i: Int) -> Int? {
        guard i < s.count else { return nil }
        let c = s[i]
        if c == "&" {
            if hasPrefix(s, i, "&amp;") { return 5 }
            if hasPrefix(s, i, "&quot;") { return 6 }
            return nil
        }
        if c == "(" || c == ")" || PythonText.isSpace(c) { return nil }
        return 1
    }

    private func hasPrefix(_ s: Scalars, _ i: Int, _ literal: String) -> Bool {
        var j = i
        for scalar in literal.unicodeScalars {
            guard j < s.count, s[j] == scalar else { return false }
            j += 1
        }
        return true
    }

    private static let notLast = Set("!\"#$%&'()*+,.:;<=>?@[\\]^`{|}~".unicodeScalars)

    private func isLastAllowed(_ c: Unicode.Scalar) -> Bool { !Self.notLast.contains(c) && !PythonText.isSpace(c) }

    /// `(?:A|B)+` from `start`: the end of the match, or `nil` when not even one piece matches.
    private func body(_ s: Scalars, from start: Int) -> Int? {
        var position = start
        var matched = false
        while true {
            // A: units, the last one a single character that may end a URL.
            var i = position
            var lastGood: Int?
            while let length = unit(s, i) {
                if length == 1, isLastAllowed(s[i]) { lastGood = i + 1 }
                i += length
            }
            if let lastGood {
                position = lastGood
                matched = true
                continue
            }
            // B: a parenthesised run of units.
            if position < s.count, s[position] == "(" {
                var j = position + 1
                while let length = unit(s, j) { j += length }
                if j < s.count, s[j] == ")" {
                    position = j + 1
                    matched = true
                    continue
                }
            }
            return matched ? position : nil
        }
    }

    private func makeLink(_ s: Scalars, _ m: Match) -> String {
        let urlScalars = Array(s[m.start..<m.end])
        let url = String(String.UnicodeScalarView(urlScalars))
        let proto = m.proto.map { String(String.UnicodeScalarView(s[$0])) }
        if requireProtocol && proto == nil { return url }
        if let proto, !permitted.contains(proto) { return url }
        let href = proto == nil ? "http://" + url : url
        var params = self.params(href)
        var display = urlScalars
        let maxLength = 30
        if shorten && display.count > maxLength {
            let beforeClip = display
            let protoLength = m.proto.map { $0.count + 1 + (m.slashes?.count ?? 0) } ?? 0
            let parts = Array(display[protoLength...]).split(separator: "/", omittingEmptySubsequences: false)
            if parts.count > 1 {
                let firstEight = Array(parts[1].prefix(8))
                let beforeQuery = firstEight.split(separator: "?", omittingEmptySubsequences: false).first ?? []
                let beforeDot = Array(beforeQuery).split(separator: ".", omittingEmptySubsequences: false).first ?? []
                display = Array(display[..<protoLength]) + Array(parts[0]) + ["/"] + Array(beforeDot)
            }
            if Double(display.count) > Double(maxLength) * 1.5 { display = Array(display.prefix(maxLength)) }
            if display != beforeClip {
                if let amp = display.lastIndex(of: "&"), amp > maxLength - 5 { display = Array(display[..<amp]) }
                display += Array("...".unicodeScalars)
                if display.count >= beforeClip.count {
                    display = beforeClip
                } else {
                    params += " title=\"\(href)\""
                }
            }
        }
        return "<a href=\"\(href)\"\(params)>\(String(String.UnicodeScalarView(display)))</a>"
    }
}
