/// Raised for a route or host pattern that cannot be used, saying which and why.
public struct RoutePatternError: Error, CustomStringConvertible, Sendable {
    /// The pattern as given.
    public var pattern: String
    /// What is wrong with it.
    public var reason: String

    /// Creates the error.
    public init(pattern: String, reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    /// The message a user reads: what happened and why.
    public var description: String { "bad route pattern \(String(reflecting: pattern)): \(reason)" }
}

/// A compiled route pattern with Tornado's anchoring, a literal fast path, and Tornado's reversal rules.
///
/// Most routes are literal (`/about`) or a literal prefix followed by groups (`/user/([0-9]+)`): a literal
/// route is compared as a string and a prefixed one is only handed to the regex engine when the path starts
/// with its prefix, so a table of many routes costs string comparisons, not regex runs.
///
/// `@unchecked Sendable`: the compiled `Regex` is never mutated after `init` (which runs one match to force
/// its lazy compilation), and matching does not mutate it.
final class RoutePattern: @unchecked Sendable {
    struct Group {
        var name: String?
        var value: String?
    }

    let source: String
    private let regex: Regex<AnyRegexOutput>
    /// The whole pattern when it has no regex syntax at all (matched by string comparison).
    private let literal: String?
    /// The text every match must start with.
    private let literalPrefix: String
    let groupCount: Int
    let namedGroupCount: Int
    var hasNamedGroups: Bool { namedGroupCount > 0 }
    /// Literal pieces between groups, for reversing; `nil` when the pattern is too complex to reverse.
    private let reversePieces: [String]?

    init(_ pattern: String) throws {
        source = pattern
        var anchored = pattern
        if !anchored.hasSuffix("$") { anchored += "$" }
        do {
            regex = try Regex(anchored)
        } catch {
            throw RoutePatternError(pattern: pattern, reason: "\(error)")
        }
        let body = Self.stripAnchors(pattern)
        let counts = Self.countGroups(body)
        groupCount = counts.all
        namedGroupCount = counts.named
        literal = Self.unescapeLiteral(body)
        literalPrefix = Self.literalPrefix(body)
        reversePieces = Self.reversePieces(body, groupCount: groupCount)
        _ = try? regex.prefixMatch(in: "")
    }

    /// The groups of a match of the whole `text`, or `nil`.
    func match(_ text: String) -> [Group]? {
        // Byte comparisons: String's own are Unicode-aware and several times slower, and paths compare as
        // bytes in Tornado too.
        if let literal { return literal.utf8.elementsEqual(text.utf8) ? [] : nil }
        guard text.utf8.starts(with: literalPrefix.utf8), let match = try? regex.prefixMatch(in: text) else {
            return nil
        }
        guard groupCount > 0 else { return [] }
        var groups: [Group] = []
        for index in 1..<match.output.count {
            let group = match.output[index]
            groups.append(Group(name: group.name, value: group.substring.map(String.init)))
        }
        return groups
    }

    /// Tornado's `PathMatches.reverse`: the literal text with each group replaced by its argument, escaped as
    /// Tornado's `url_escape(plus=False)` does.
    func reverse(_ arguments: [String]) -> String? {
        guard let pieces = reversePieces, arguments.count == groupCount else { return nil }
        var result = pieces[0]
        for (index, argument) in arguments.enumerated() {
            result += Self.escapePathArgument(argument) + pieces[index + 1]
        }
        return result
    }

    private static func stripAnchors(_ pattern: String) -> Substring {
        var body = Substring(pattern)
        if body.hasPrefix("^") { body = body.dropFirst() }
        if body.hasSuffix("$") && !body.hasSuffix("\\$") { body = body.dropLast() }
        return body
    }

    /// Capturing groups: `(` not escaped and not `(?:`-style, but counting `(?P<name>` and `(?<name>`.
    private static func countGroups(_ body: Substring) -> (all: Int, named: Int) {
        var all = 0
        var named = 0
        var escaped = false
        var inClass = false
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            defer { index = body.index(after: index) }
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass:
                let rest = body[body.index(after: index)...]
                if rest.hasPrefix("?P<") || (rest.hasPrefix("?<") && !rest.hasPrefix("?<=") && !rest.hasPrefix("?<!")) {
                    all += 1
                    named += 1
                } else if !rest.hasPrefix("?") {
                    all += 1
                }
            default: break
            }
        }
        return (all, named)
    }

    private static let special: Set<Character> = [
        ".", "^", "$", "*", "+", "?", "{", "}", "[", "]", "\\", "|", "(", ")",
    ]

    /// The pattern as plain text if it has no regex syntax (escaped punctuation allowed), else `nil`.
    private static func unescapeLiteral(_ body: Substring) -> String? {
        var out = ""
        var escaped = false
        for character in body {
            if escaped {
                guard !character.isLetter && !character.isNumber else { return nil }
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if special.contains(character) {
                return nil
            } else {
                out.append(character)
            }
        }
        return escaped ? nil : out
    }

    /// The literal text before the first regex syntax (conservatively dropping the last character if it is
    /// followed by a quantifier).
    private static func literalPrefix(_ body: Substring) -> String {
        var out = ""
        var escaped = false
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            if escaped {
                guard !character.isLetter && !character.isNumber else { break }
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if special.contains(character) {
                if "*?{".contains(character), !out.isEmpty { out.removeLast() }
                break
            } else {
                out.append(character)
            }
            index = body.index(after: index)
        }
        return out
    }

    /// Tornado's `_find_groups`: literal pieces around each group, or `nil` when the pattern has nested or
    /// non-capturing parentheses or regex syntax outside its groups.
    private static func reversePieces(_ body: Substring, groupCount: Int) -> [String]? {
        guard body.filter({ $0 == "(" }).count == groupCount else { return nil }
        let fragments = body.split(separator: "(", omittingEmptySubsequences: false)
        var pieces: [String] = []
        for (offset, fragment) in fragments.enumerated() {
            if offset == 0 {
                guard let text = unescapeLiteral(fragment) else { return nil }
                pieces.append(text)
                continue
            }
            guard let close = fragment.firstIndex(of: ")"),
                let text = unescapeLiteral(fragment[fragment.index(after: close)...])
            else { return nil }
            pieces.append(text)
        }
        return pieces
    }

    /// Tornado's `url_escape(value, plus=False)`: percent-encodes all but letters, digits, `_.-~` and `/`.
    static func escapePathArgument(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}
