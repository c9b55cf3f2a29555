import FoundationEssentials

/// Encodes `Encodable` values straight into ``TemplateValue``s: structs become dicts in declaration order, `nil`
/// properties become `None` (JSON encoders leave them out), dates stay dates.
struct TemplateValueEncoder {
    static let maxDepth = 256

    static func encode(_ value: any Encodable) throws -> TemplateValue {
        let encoder = NodeEncoder(depth: 0)
        try encoder.encodeAny(value)
        return encoder.node.value
    }
}

/// A value under construction (containers are filled after they are handed out, hence a class).
final class EncodingNode {
    enum Kind {
        case value(TemplateValue)
        case list([EncodingNode])
        case dict([(String, EncodingNode)])
    }

    var kind: Kind = .value(.none)

    var value: TemplateValue {
        switch kind {
        case .value(let value): return value
        case .list(let items): return .list(items.map(\.value))
        case .dict(let members):
            var dict = TemplateDict()
            for (key, node) in members { dict[.string(key)] = node.value }
            return .dict(dict)
        }
    }
}

private struct EncodingDepthError: Error {}

final class NodeEncoder: Encoder {
    let node = EncodingNode()
    let depth: Int
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(depth: Int) { self.depth = depth }

    /// Encodes `value`, keeping dates and the types templates know as they are.
    func encodeAny(_ value: any Encodable) throws {
        if depth > TemplateValueEncoder.maxDepth { throw EncodingDepthError() }
        switch value {
        case let date as Date: node.kind = .value(.date(date))
        case let url as URL: node.kind = .value(.string(url.absoluteString))
        case let convertible as any TemplateValueConvertible: node.kind = .value(convertible.templateValue)
        default:
            if let dictionary = value as? [String: any Encodable] {
                var members: [(String, EncodingNode)] = []
                for key in dictionary.keys.sorted() {
                    guard let item = dictionary[key] else { continue }
                    let child = NodeEncoder(depth: depth + 1)
                    try child.encodeAny(item)
                    members.append((key, child.node))
                }
                node.kind = .dict(members)
            } else {
                try value.encode(to: self)
            }
        }
    }

    func child(_ value: any Encodable) throws -> EncodingNode {
        let encoder = NodeEncoder(depth: depth + 1)
        try encoder.encodeAny(value)
        return encoder.node
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .dict = node.kind {} else { node.kind = .dict([]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .list = node.kind {} else { node.kind = .list([]) }
        return UnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }

    func append(_ key: String, _ child: EncodingNode) {
        guard case .dict(var members) = node.kind else { return }
        if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = child
        } else {
            members.append((key, child))
        }
        node.kind = .dict(members)
    }

    func append(_ child: EncodingNode) {
        guard case .list(var items) = node.kind else { return }
        items.append(child)
        node.kind = .list(items)
    }

    static func leaf(_ value: TemplateValue) -> EncodingNode {
        let node = EncodingNode()
        node.kind = .value(value)
        return node
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: NodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil(forKey key: Key) throws { encoder.append(key.stringValue, NodeEncoder.leaf(.none)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            encoder.append(key.stringValue, try encoder.child(value))
        }
        // `nil` properties become None instead of being left out, so templates can test them.
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
            encoder.append(key.stringValue, NodeEncoder.leaf(value.map(TemplateValue.string) ?? .none))
        }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
            encoder.append(key.stringValue, NodeEncoder.leaf(value.map(TemplateValue.int) ?? .none))
        }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
            encoder.append(key.stringValue, NodeEncoder.leaf(value.map(TemplateValue.double) ?? .none))
        }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
            encoder.append(key.stringValue, NodeEncoder.leaf(value.map(TemplateValue.bool) ?? .none))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type,
            forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            let nested = NodeEncoder(depth: encoder.depth + 1)
            encoder.append(key.stringValue, nested.node)
            return nested.container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = NodeEncoder(depth: encoder.depth + 1)
            encoder.append(key.stringValue, nested.node)
            return nested.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder {
            let nested = NodeEncoder(depth: encoder.depth + 1)
            encoder.append("super", nested.node)
            return nested
        }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let nested = NodeEncoder(depth: encoder.depth + 1)
            encoder.append(key.stringValue, nested.node)
            return nested
        }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let encoder: NodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int {
            if case .list(let items) = encoder.node.kind { return items.count }
            return 0
        }

        mutating func encodeNil() throws { encoder.append(NodeEncoder.leaf(.none)) }
        mutating func encode<T: Encodable>(_ value: T) throws { encoder.append(try encoder.child(value)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = NodeEncoder(depth: encoder.depth + 1)
            encoder.append(nested.node)
            return nested.container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = NodeEncoder(depth: encoder.depth + 1)
            encoder.append(nested.node)
            return nested.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder {
            let nested = NodeEncoder(depth: encoder.depth + 1)
            encoder.append(nested.node)
            return nested
        }
    }

    private struct SingleContainer: SingleValueEncodingContainer {
        let encoder: NodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.node.kind = .value(.none) }
        mutating func encode(_ value: Bool) throws { encoder.node.kind = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { encoder.node.kind = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { encoder.node.kind = .value(.double(value)) }
        mutating func encode(_ value: Float) throws { encoder.node.kind = .value(.double(Double(value))) }
        mutating func encode(_ value: Int) throws { encoder.node.kind = .value(.int(value)) }
        mutating func encode(_ value: Int8) throws { encoder.node.kind = .value(.int(Int(value))) }
        mutating func encode(_ value: Int16) throws { encoder.node.kind = .value(.int(Int(value))) }
        mutating func encode(_ value: Int32) throws { encoder.node.kind = .value(.int(Int(value))) }
        mutating func encode(_ value: Int64) throws { encoder.node.kind = .value(.int(Int(value))) }
        mutating func encode(_ value: UInt) throws { encoder.node.kind = .value(Int(exactly: value).map(TemplateValue.int) ?? .double(Double(value))) }
        mutating func encode(_ value: UInt8) throws { encoder.node.kind = .value(.int(Int(value))) }
        mutating func encode(_ value: UInt16) throws { encoder.node.kind = .value(.int(Int(value))) }
        mutating func encode(_ value: UInt32) throws { encoder.node.kind = .value(.int(Int(value))) }
        mutating func encode(_ value: UInt64) throws { encoder.node.kind = .value(Int(exactly: value).map(TemplateValue.int) ?? .double(Double(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let child = try encoder.child(value)
            encoder.node.kind = child.kind
        }
    }
}
