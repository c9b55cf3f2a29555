package import NIOHTTP1

/// A case-insensitive, multi-valued, order-preserving collection of HTTP headers (Tornado's `HTTPHeaders`).
///
/// Names compare case-insensitively and come out in Tornado's `Http-Header-Case` (see ``normalizeName(_:)``).
/// A name may have several values (``add(_:_:)``, ``getList(_:)``); the subscript joins them with `","` as
/// Tornado's `headers[name]` does. Iteration yields ``allPairs``: Tornado's `get_all()` order, which groups the
/// values of each name at the position where the name first appeared.
///
/// The headers are stored as a `NIOHTTP1.HTTPHeaders`, so the server converts to and from NIO without copying.
/// ``add(_:_:)`` and the subscript do not validate (as Tornado's `__setitem__`); ``parse(_:)`` and
/// ``parseLine(_:)``, which read untrusted input, do.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible, Equatable {
    /// The headers as NIO stores them, in arrival order, names as they were added or received.
    package var nio: NIOHTTP1.HTTPHeaders

    /// Creates empty headers.
    public init() {
        nio = NIOHTTP1.HTTPHeaders()
    }

    /// Wraps headers NIO parsed or built, without copying them.
    package init(_ nio: NIOHTTP1.HTTPHeaders) {
        self.nio = nio
    }

    /// Creates headers from name-value pairs, in order; a repeated name gets several values.
    public init(_ pairs: [(String, String)]) {
        self.init()
        for (name, value) in pairs { add(name, value) }
    }

    /// Creates headers from a literal such as `["Content-Type": "text/html"]`; a repeated name gets several values.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Adds a value for `name`, keeping any values it already has (Tornado's `add`, without its validation).
    public mutating func add(_ name: String, _ value: String) {
        nio.add(name: Self.normalizeName(name), value: value)
    }

    /// All values of `name` joined with `","`, or `nil` when there are none; setting replaces all values, and
    /// setting `nil` removes the header.
    ///
    /// Replacing keeps the header where its first value was, as Tornado's `headers[name] = value` does.
    public subscript(name: String) -> String? {
        get {
            let values = nio[name]
            switch values.count {
            case 0: return nil
            case 1: return values[0]
            default: return values.joined(separator: ",")
            }
        }
        set {
            guard let newValue else {
                nio.remove(name: name)
                return
            }
            guard nio.contains(name: name) else {
                nio.add(name: Self.normalizeName(name), value: newValue)
                return
            }
            var replaced = NIOHTTP1.HTTPHeaders()
            var done = false
            for (existing, value) in nio {
                if !Self.sameName(existing, name) {
                    replaced.add(name: existing, value: value)
                } else if !done {
                    replaced.add(name: Self.normalizeName(name), value: newValue)
                    done = true
                }
            }
            nio = replaced
        }
    }

    /// Every value of `name` in the order added, or `[]` (Tornado's `get_list`).
    public func getList(_ name: String) -> [String] {
        nio[name]
    }

    /// Whether `name` has at least one value (compared case-insensitively).
    public func contains(_ name: String) -> Bool {
        nio.contains(name: name)
    }

    /// Removes every value of `name`; removing a missing name does nothing.
    public mutating func remove(_ name: String) {
        nio.remove(name: name)
    }

    /// The number of distinct header names, as Tornado's `len(headers)` (not the number of values).
    public var count: Int {
        var seen = Set<String>()
        for (name, _) in nio { seen.insert(Self.key(name)) }
        return seen.count
    }

    /// Whether there are no headers.
    public var isEmpty: Bool { nio.isEmpty }

    /// The distinct names in `Http-Header-Case`, in the order they first appeared (Tornado's `keys()`).
    public var names: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for (name, _) in nio where seen.insert(Self.key(name)).inserted {
            names.append(Self.normalizeName(name))
        }
        return names
    }

    /// Every (name, value) pair, names in `Http-Header-Case` (Tornado's `get_all()`).
    ///
    /// The values of a name are grouped at the position where the name first appeared: `A: 1`, `B: 2`, `A: 3`
    /// come out as `A: 1`, `A: 3`, `B: 2`, as in Tornado.
    public var allPairs: [(name: String, value: String)] {
        var groups: [(name: String, values: [String])] = []
        var positions: [String: Int] = [:]
        for (name, value) in nio {
            let key = Self.key(name)
            if let position = positions[key] {
                groups[position].values.append(value)
            } else {
                positions[key] = groups.count
                groups.append((Self.normalizeName(name), [value]))
            }
        }
        var pairs: [(name: String, value: String)] = []
        pairs.reserveCapacity(nio.count)
        for group in groups {
            for value in group.values { pairs.append((group.name, value)) }
        }
        return pairs
    }

    /// Iterates over ``allPairs``.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        allPairs.makeIterator()
    }

    /// The headers as `Name: value` lines ending in `"\n"`, in ``allPairs`` order (Tornado's `str(headers)`).
    public var description: String {
        allPairs.map { "\($0.name): \($0.value)\n" }.joined()
    }

    /// The headers as `Name: value` lines ending in `"\r\n"`, in ``allPairs`` order, ready for the wire.
    public var serialized: String {
        allPairs.map { "\($0.name): \($0.value)\r\n" }.joined()
    }

    /// Whether both have the same names with the same comma-joined values, in any order (Tornado's mapping
    /// equality: `"a,b"` added once equals `"a"` and `"b"` added separately).
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        let names = lhs.names
        guard names.count == rhs.count else { return false }
        return names.allSatisfy { lhs[$0] == rhs[$0] }
    }

    /// Maps a header name to `Http-Header-Case`: each `-`-separated word capitalised (Tornado's
    /// `_normalize_header`, so `"coNtent-TYPE"` becomes `"Content-Type"`).
    public static func normalizeName(_ name: String) -> String {
        if isNormalizedASCII(name) { return name }
        var out = String.UnicodeScalarView()
        var startOfWord = true
        for scalar in name.unicodeScalars {
            if scalar == "-" {
                out.append(scalar)
                startOfWord = true
            } else if startOfWord {
                out.append(contentsOf: scalar.properties.titlecaseMapping.unicodeScalars)
                startOfWord = false
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// Whether `name` is ASCII and already in `Http-Header-Case`, the common case that needs no copy.
    private static func isNormalizedASCII(_ name: String) -> Bool {
        var startOfWord = true
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                startOfWord = true
                continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                if startOfWord { return false }
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if !startOfWord { return false }
            case 0x80...:
                return false
            default:
                break
            }
            startOfWord = false
        }
        return true
    }

    /// The name with ASCII letters lower-cased: equal keys are the same header, as NIO compares names.
    static func key(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return name }
        return String(
            decoding: name.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 },
            as: UTF8.self
        )
    }

    /// Whether two names are the same header, as NIO compares them (ASCII case-insensitively).
    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count
            && zip(lhs.utf8, rhs.utf8).allSatisfy { a, b in
                a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
            }
    }
}
