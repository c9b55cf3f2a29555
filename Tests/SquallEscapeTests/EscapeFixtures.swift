import FoundationEssentials
import SquallEscape

/// The fixtures Tornado 6.6.1 produced (Fixtures/escape_fixtures.json, from generate_escape_fixtures.py).
enum EscapeFixtures {
    static let all: JSONValue = {
        let path = String(#filePath).split(separator: "/").dropLast().joined(separator: "/")
        let url = URL(fileURLWithPath: "/" + path + "/Fixtures/escape_fixtures.json")
        guard let data = try? Data(contentsOf: url) else { return .null }
        return (try? jsonDecode(String(decoding: data, as: UTF8.self))) ?? .null
    }()

    /// The cases of one function.
    static func cases(_ name: String) -> [JSONValue] {
        guard case .array(let items)? = all[name] else { return [] }
        return items
    }
}

extension JSONValue {
    /// The string of a `.string`, or `nil`.
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The flag of a `.bool`, or `nil`.
    var bool: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }
}
