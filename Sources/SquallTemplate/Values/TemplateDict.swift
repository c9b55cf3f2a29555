import FoundationEssentials

/// A dictionary as templates see it: Python's `dict`, keys in insertion order.
///
/// Keys are strings, numbers, booleans, `None` or tuples of those (as in Python, `1`, `1.0` and `True` are the
/// same key).
public struct TemplateDict: Sendable {
    /// One reference instead of three arrays: values are copied often while rendering and rarely changed.
    private final class Storage: @unchecked Sendable {
        // Mutated only while uniquely referenced (copy-on-write), so never shared while changing.
        var keys: [TemplateValue] = []
        var values: [TemplateValue] = []
        var index: [HashKey: Int] = [:]

        func copy() -> Storage {
            let other = Storage()
            other.keys = keys
            other.values = values
            other.index = index
            return other
        }
    }

    private var storage = Storage()

    /// An empty dictionary.
    public init() {}

    /// The keys, in insertion order.
    public var keys: [TemplateValue] { storage.keys }
    /// The values, in the order of ``keys``.
    public var values: [TemplateValue] { storage.values }
    /// The number of entries.
    public var count: Int { storage.keys.count }

    /// The value for `key`, or `nil`; setting `nil` is not supported (templates cannot delete keys).
    public subscript(key: TemplateValue) -> TemplateValue? {
        get {
            guard let hash = key.hashKey, let position = storage.index[hash] else { return nil }
            return storage.values[position]
        }
        set {
            guard let newValue, let hash = key.hashKey else { return }
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            if let position = storage.index[hash] {
                storage.values[position] = newValue
            } else {
                storage.index[hash] = storage.keys.count
                storage.keys.append(key)
                storage.values.append(newValue)
            }
        }
    }

    /// The value for a string key, or `nil`.
    public subscript(string key: String) -> TemplateValue? {
        let storage = self.storage
        // Rows of data have a handful of keys: comparing them beats hashing.
        if storage.keys.count <= 8 {
            for position in storage.keys.indices {
                if case .string(let candidate) = storage.keys[position], candidate == key { return storage.values[position] }
            }
            return nil
        }
        guard let position = storage.index[.string(key)] else { return nil }
        return storage.values[position]
    }

    /// Whether `key` can be a dictionary key (is hashable in Python).
    static func isHashable(_ key: TemplateValue) -> Bool { key.hashKey != nil }
}

/// What Python hashes a key to, so that equal keys (`1`, `1.0`, `True`) collide.
enum HashKey: Hashable, Sendable {
    case none
    case int(Int)
    case double(Double)
    case string(String)
    case tuple([HashKey])
    case date(Double)
}

extension TemplateValue {
    /// The hashable form of a Python-hashable value, or `nil` (lists, dicts, objects).
    var hashKey: HashKey? {
        switch self {
        case .none: HashKey.none
        case .bool(let flag): .int(flag ? 1 : 0)
        case .int(let number): .int(number)
        case .double(let number):
            if let integer = Int(exactly: number) { .int(integer) } else { .double(number) }
        case .string(let text): .string(text)
        case .tuple(let items):
            items.reduce(into: [HashKey]?.some([])) { partial, item in
                guard let key = item.hashKey else {
                    partial = nil
                    return
                }
                partial?.append(key)
            }.map { .tuple($0) }
        case .date(let date): .date(date.timeIntervalSince1970)
        case .list, .dict, .object, .function: nil
        }
    }
}
