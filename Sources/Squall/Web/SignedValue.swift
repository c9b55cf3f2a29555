import Crypto
import FoundationEssentials

/// Why a value could not be signed or a decode could not be attempted; a programming or configuration error,
/// never a property of a client's input.
public enum SignedValueError: Error, CustomStringConvertible, Sendable {
    /// The format version asked for is neither 1 nor 2.
    case unsupportedVersion(Int)
    /// The minimum version asked for is above 2, the newest format.
    case unsupportedMinVersion(Int)
    /// Format version 1 cannot carry a key version, so it cannot be used with ``CookieSecret/versioned(_:current:)``.
    case versionedSecretRequiresVersion2
    /// The key version has no key in the ``CookieSecret/versioned(_:current:)`` secret.
    case unknownKeyVersion(Int)
    /// The clock returned a time that is not a finite number of seconds a timestamp can hold.
    case invalidClock(Double)

    /// What went wrong, for logs.
    public var description: String {
        switch self {
        case .unsupportedVersion(let version): "Unsupported signed value version \(version) (use 1 or 2)"
        case .unsupportedMinVersion(let version): "Unsupported min_version \(version) (the newest format is 2)"
        case .versionedSecretRequiresVersion2: "Versioned cookie secrets need signed value version 2"
        case .unknownKeyVersion(let version): "No cookie secret for key version \(version)"
        case .invalidClock(let time): "Clock returned \(time), which is not a usable timestamp"
        }
    }
}

/// Signs and timestamps `value` so it cannot be forged (Tornado's `create_signed_value`), byte for byte as Tornado
/// 6 does, so Tornado accepts what Squall signs.
///
/// Inside a ``RequestHandler``, whose own `createSignedValue(_:_:version:)` uses the application's secret, call
/// this one as `Squall.createSignedValue(secret:name:value:)`.
///
/// Version 2 (the default) is `2|1:<key version>|10:<timestamp>|<len>:<name>|<len>:<base64 value>|<signature>`,
/// signed with HMAC-SHA256 over everything before the signature (hexadecimal); version 1 is
/// `<base64 value>|<timestamp>|<signature>` with HMAC-SHA1 over name, value and timestamp. Use version 1 only to
/// talk to applications older than Tornado 3.2.1: its signature does not separate the name from the value.
///
/// - Parameters:
///   - secret: the key; with ``CookieSecret/versioned(_:current:)`` the key of `keyVersion` (default: the current
///     version) signs, and its version is recorded in the value.
///   - name: the name the value is bound to (for cookies, the cookie's name); decoding under another name fails.
///   - value: the value, as UTF-8.
///   - version: the format, 1 or 2.
///   - clock: seconds since 1970 (default: now); the timestamp is its whole part.
///   - keyVersion: the key version to record (and, with a versioned secret, to sign with); default 0 for a single
///     secret.
/// - Returns: the signed value, ASCII text.
/// - Throws: ``SignedValueError`` for an unsupported version, version 1 with a versioned secret, an unknown key
///   version, or a clock reading that is not a finite timestamp.
public func createSignedValue(
    secret: CookieSecret,
    name: String,
    value: String,
    version: Int = 2,
    clock: (() -> Double)? = nil,
    keyVersion: Int? = nil
) throws -> String {
    try SignedValue.create(
        secret: secret,
        name: name,
        value: Array(value.utf8),
        version: version,
        now: clock?() ?? SignedValue.now(),
        keyVersion: keyVersion
    )
}

/// Signs and timestamps arbitrary bytes, as the `String` overload of `createSignedValue` does with text.
public func createSignedValue(
    secret: CookieSecret,
    name: String,
    value: [UInt8],
    version: Int = 2,
    clock: (() -> Double)? = nil,
    keyVersion: Int? = nil
) throws -> String {
    try SignedValue.create(
        secret: secret,
        name: name,
        value: value,
        version: version,
        now: clock?() ?? SignedValue.now(),
        keyVersion: keyVersion
    )
}

/// The bytes signed into `value` if the signature is valid for `name` and the value is not too old, else `nil`
/// (Tornado's `decode_signed_value`, accepting exactly what Tornado 6 accepts).
///
/// A value is refused (`nil`) when it is missing or empty, when its signature does not match (tampering, another
/// secret, or another `name`: a value cannot be moved to another cookie), when its timestamp is more than
/// `maxAgeDays` old, when its format version is below `minVersion` or unknown, and (version 1 only) when its
/// timestamp is more than 31 days in the future or starts with `0`.
///
/// - Parameters:
///   - secret: the key(s); with ``CookieSecret/versioned(_:current:)`` the key of the version recorded in the value
///     is used (a version 1 value, which records none, is refused; Tornado raises an assertion instead).
///   - name: the name the value must be bound to.
///   - value: the signed value, for example a cookie's value.
///   - maxAgeDays: the oldest timestamp accepted, in days before `clock`.
///   - clock: seconds since 1970 (default: now).
///   - minVersion: the oldest format accepted; 2 refuses version 1 values.
/// - Throws: ``SignedValueError/unsupportedMinVersion(_:)`` if `minVersion` is above 2.
public func decodeSignedValue(
    secret: CookieSecret,
    name: String,
    value: String?,
    maxAgeDays: Double = 31,
    clock: (() -> Double)? = nil,
    minVersion: Int = 1
) throws -> [UInt8]? {
    guard minVersion <= 2 else { throw SignedValueError.unsupportedMinVersion(minVersion) }
    guard let value, !value.isEmpty else { return nil }
    let bytes = Array(value.utf8)
    let version = SignedValue.version(of: bytes)
    guard version >= minVersion else { return nil }
    let now = clock?() ?? SignedValue.now()
    switch version {
    case 1:
        guard case .single(let key) = secret else { return nil }
        return SignedValue.decodeVersion1(key: key, name: name, value: bytes, maxAgeDays: maxAgeDays, now: now)
    case 2:
        return SignedValue.decodeVersion2(secret: secret, name: name, value: bytes, maxAgeDays: maxAgeDays, now: now)
    default:
        return nil
    }
}

/// The key version recorded in a version 2 signed value, without checking its signature (Tornado's
/// `get_signature_key_version`); `nil` for version 1 or malformed values.
public func getSignatureKeyVersion(_ value: String) -> Int? {
    let bytes = Array(value.utf8)
    guard SignedValue.version(of: bytes) >= 2, let fields = SignedValue.fieldsVersion2(bytes) else { return nil }
    return fields.keyVersion.exactValue
}

/// Tornado's signed value formats.
enum SignedValue {
    /// Seconds since 1970, now.
    static func now() -> Double {
        Date().timeIntervalSince1970
    }

    static func create(
        secret: CookieSecret,
        name: String,
        value: [UInt8],
        version: Int,
        now: Double,
        keyVersion: Int?
    ) throws -> String {
        guard now.isFinite, abs(now) < 9.0e18 else { throw SignedValueError.invalidClock(now) }
        let timestamp = Array(String(Int(now.rounded(.towardZero))).utf8)
        let encoded = PythonCodec.base64Encode(value)
        switch version {
        case 1:
            guard case .single(let key) = secret else { throw SignedValueError.versionedSecretRequiresVersion2 }
            let signature = signatureVersion1(key: key, parts: [Array(name.utf8), encoded, timestamp])
            return String(decoding: encoded + [UInt8(ascii: "|")] + timestamp + [UInt8(ascii: "|")], as: UTF8.self)
                + signature
        case 2:
            let keyVersion = keyVersion ?? secret.currentKeyVersion
            guard let key = secret.key(version: keyVersion) else {
                throw SignedValueError.unknownKeyVersion(keyVersion)
            }
            // Field lengths count what Python's len() counts: characters for the name, bytes for the rest.
            var toSign = Array("2|".utf8)
            toSign += field(Array(String(keyVersion).utf8))
            toSign += field(timestamp)
            toSign += Array("\(name.unicodeScalars.count):".utf8) + Array(name.utf8) + [UInt8(ascii: "|")]
            toSign += field(encoded)
            return String(decoding: toSign, as: UTF8.self) + signatureVersion2(key: key, signed: toSign)
        default:
            throw SignedValueError.unsupportedVersion(version)
        }
    }

    private static func field(_ bytes: [UInt8]) -> [UInt8] {
        Array("\(bytes.count):".utf8) + bytes + [UInt8(ascii: "|")]
    }

    /// Tornado's `_get_version`: the leading `N|` (N from 1 to 999) of a value, else 1.
    ///
    /// Tornado matches `^([1-9][0-9]*)\|(.*)$`, in which `.` stops at a newline and `$` also matches before a final
    /// newline; a value with any other newline is version 1.
    static func version(of value: [UInt8]) -> Int {
        guard let digits = versionDigits(value), let version = Int(String(decoding: digits, as: UTF8.self)),
            version <= 999
        else { return 1 }
        return version
    }

    /// The digits of a leading `N|` as Tornado's `_signed_value_version_re` matches it, or `nil`.
    static func versionDigits(_ value: [UInt8]) -> ArraySlice<UInt8>? {
        guard let first = value.first, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else { return nil }
        let end = value.firstIndex { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? value.endIndex
        guard end < value.endIndex, value[end] == UInt8(ascii: "|") else { return nil }
        if let newline = value[(end + 1)...].firstIndex(of: UInt8(ascii: "\n")), newline != value.count - 1 {
            return nil
        }
        // An absurdly long number is still a match (Tornado then treats it as version 1).
        return value[..<end]
    }

    // MARK: - Version 1

    static func decodeVersion1(key: String, name: String, value: [UInt8], maxAgeDays: Double, now: Double) -> [UInt8]? {
        let parts = value.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let signature = signatureVersion1(key: key, parts: [Array(name.utf8), Array(parts[0]), Array(parts[1])])
        guard PythonCodec.constantTimeEquals(parts[2], Array(signature.utf8)) else { return nil }
        guard let timestamp = PythonInteger(bytes: parts[1]) else { return nil }
        if timestamp.doubleValue < now - maxAgeDays * 86400 { return nil }
        // The version 1 signature has no delimiters, so digits can move from the value into the timestamp
        // without breaking it; a timestamp far in the future (or with a leading zero) is such a forgery.
        if timestamp.doubleValue > now + 31 * 86400 { return nil }
        if parts[1].first == UInt8(ascii: "0") { return nil }
        return PythonCodec.base64Decode(parts[0])
    }

    static func signatureVersion1(key: String, parts: [[UInt8]]) -> String {
        var hmac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: Array(key.utf8)))
        for part in parts { hmac.update(data: part) }
        return PythonCodec.hexEncode(hmac.finalize())
    }

    // MARK: - Version 2

    /// The fields of a version 2 value, as Tornado's `_decode_fields_v2` splits them.
    struct Fields {
        var keyVersion: PythonInteger
        var timestamp: ArraySlice<UInt8>
        var name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        var signature: ArraySlice<UInt8>
    }

    /// Tornado's `_decode_fields_v2`, including how Python slices with a negative length; `nil` where it raises.
    static func fieldsVersion2(_ value: [UInt8]) -> Fields? {
        var rest = value.count > 2 ? value[2...] : []
        var fields: [ArraySlice<UInt8>] = []
        for _ in 0..<4 {
            let colon = rest.firstIndex(of: UInt8(ascii: ":"))
            let lengthText = colon.map { rest[..<$0] } ?? rest
            let afterColon = colon.map { rest[($0 + 1)...] } ?? rest[rest.endIndex...]
            guard let length = PythonInteger(bytes: lengthText)?.clampedValue else { return nil }
            let text = Array(afterColon)
            fields.append(ArraySlice(pythonSlice(text, to: length)))
            guard pythonSlice(text, from: length, to: length + 1) == [UInt8(ascii: "|")] else { return nil }
            rest = ArraySlice(pythonSlice(text, from: length + 1))
        }
        guard let keyVersion = PythonInteger(bytes: fields[0]) else { return nil }
        return Fields(keyVersion: keyVersion, timestamp: fields[1], name: fields[2], value: fields[3], signature: rest)
    }

    /// Python's `bytes[start:end]`: negative bounds count from the end; out-of-range bounds are clamped.
    private static func pythonSlice(_ bytes: [UInt8], from start: Int? = nil, to end: Int? = nil) -> ArraySlice<UInt8> {
        func clamp(_ index: Int) -> Int {
            index < 0 ? max(0, bytes.count + index) : min(index, bytes.count)
        }
        let lower = start.map(clamp) ?? 0
        let upper = end.map(clamp) ?? bytes.count
        return lower < upper ? bytes[lower..<upper] : []
    }

    static func decodeVersion2(
        secret: CookieSecret,
        name: String,
        value: [UInt8],
        maxAgeDays: Double,
        now: Double
    ) -> [UInt8]? {
        guard let fields = fieldsVersion2(value) else { return nil }
        // As Tornado's value[:-len(passed_sig)]: an empty signature leaves nothing signed.
        let signed = fields.signature.isEmpty ? [] : value[..<(value.count - fields.signature.count)]
        guard let keyVersion = fields.keyVersion.exactValue, let key = secret.key(version: keyVersion) else {
            return nil
        }
        let expected = signatureVersion2(key: key, signed: Array(signed))
        guard PythonCodec.constantTimeEquals(fields.signature, Array(expected.utf8)) else { return nil }
        guard fields.name.elementsEqual(name.utf8) else { return nil }
        guard let timestamp = PythonInteger(bytes: fields.timestamp) else { return nil }
        if timestamp.doubleValue < now - maxAgeDays * 86400 { return nil }
        return PythonCodec.base64Decode(fields.value)
    }

    static func signatureVersion2(key: String, signed: [UInt8]) -> String {
        PythonCodec.hexEncode(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(key.utf8))))
    }
}

extension CookieSecret {
    /// The key version new values record: the current one, or 0 for a single secret.
    var currentKeyVersion: Int {
        switch self {
        case .single: 0
        case .versioned(_, let current): current
        }
    }

    /// The key that signs values of `version`: the single secret whatever the version, or the versioned key.
    func key(version: Int) -> String? {
        switch self {
        case .single(let key): key
        case .versioned(let keys, _): keys[version]
        }
    }

    /// Whether there is no key at all (Tornado treats an empty `cookie_secret` as missing).
    var isEmpty: Bool {
        switch self {
        case .single(let key): key.isEmpty
        case .versioned(let keys, _): keys.isEmpty
        }
    }
}
