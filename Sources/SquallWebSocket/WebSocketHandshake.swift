import Crypto

/// The pieces of the RFC 6455 opening handshake both sides need.
public enum WebSocketHandshake {
    /// The GUID RFC 6455 appends to the key before hashing.
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The `Sec-WebSocket-Accept` value for a `Sec-WebSocket-Key`: base64 of the SHA-1 of key and GUID.
    public static func acceptValue(forKey key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array((key + guid).utf8))
        return base64(Array(digest))
    }

    /// A fresh random `Sec-WebSocket-Key` (16 random bytes, base64).
    public static func makeKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Whether `key` is a valid `Sec-WebSocket-Key`: base64 of exactly 16 bytes.
    public static func isValidKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count == 24, bytes[22] == UInt8(ascii: "="), bytes[23] == UInt8(ascii: "=") else { return false }
        return bytes[0..<22].allSatisfy { alphabet.contains($0) }
    }

    /// The comma-separated tokens of a header value, trimmed (`Connection`, `Sec-WebSocket-Protocol`).
    public static func tokens(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// Parses a `Sec-WebSocket-Extensions` value into extensions with their parameters, in order.
    public static func parseExtensions(_ value: String) -> [(name: String, parameters: [String: String?])] {
        tokens(value).map { item in
            var parts = item.split(separator: ";").map { $0.trimmingSpaces() }
            let name = parts.isEmpty ? "" : parts.removeFirst().lowercased()
            var parameters: [String: String?] = [:]
            for part in parts where !part.isEmpty {
                if let equals = part.firstIndex(of: "=") {
                    var parameterValue = part[part.index(after: equals)...].trimmingSpaces()
                    if parameterValue.count >= 2, parameterValue.hasPrefix("\""), parameterValue.hasSuffix("\"") {
                        parameterValue = String(parameterValue.dropFirst().dropLast())
                    }
                    parameters[part[..<equals].trimmingSpaces().lowercased()] = .some(parameterValue)
                } else {
                    parameters[part.lowercased()] = .some(nil)
                }
            }
            return (name, parameters)
        }
    }

    private static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = Int(bytes[index])
            let b1 = index + 1 < bytes.count ? Int(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? Int(bytes[index + 2]) : 0
            out.append(table[b0 >> 2])
            out.append(table[((b0 & 0x03) << 4) | (b1 >> 4)])
            out.append(index + 1 < bytes.count ? table[((b1 & 0x0F) << 2) | (b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? table[b2 & 0x3F] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard scalars[before] == " " || scalars[before] == "\t" else { break }
            end = before
        }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
