/// Replaces each run of ASCII control characters and spaces with one space and trims the ends (Tornado's
/// `squeeze`).
///
/// The ends are trimmed of everything Python's `str.strip()` counts as whitespace (so a leading no-break space
/// goes too).
public func squeeze(_ value: String) -> String {
    var out = String.UnicodeScalarView()
    var inRun = false
    for scalar in value.unicodeScalars {
        if scalar.value <= 0x20 {
            if !inRun { out.append(" ") }
            inRun = true
        } else {
            out.append(scalar)
            inRun = false
        }
    }
    return PythonText.strip(String(out))
}

/// The UTF-8 bytes of `value` (Tornado's `utf8`).
public func utf8(_ value: String) -> [UInt8] { Array(value.utf8) }

/// The text of UTF-8 `bytes` (Tornado's `to_unicode`).
///
/// - Throws: ``EscapeError/invalidUTF8`` when the bytes are not valid UTF-8 (Python raises
///   `UnicodeDecodeError`).
public func toUnicode(_ bytes: some Collection<UInt8>) throws(EscapeError) -> String {
    guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
    return text
}

/// Errors of the escape functions.
public enum EscapeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bytes that should be UTF-8 are not.
    case invalidUTF8
    /// Text that should be JSON is not; `offset` counts Unicode scalars from the start.
    case invalidJSON(reason: String, offset: Int)
    /// A value cannot be written as JSON.
    case unencodable(String)

    /// A message for people.
    public var description: String {
        switch self {
        case .invalidUTF8: "invalid UTF-8"
        case .invalidJSON(let reason, let offset): "invalid JSON: \(reason) at offset \(offset)"
        case .unencodable(let reason): "cannot encode as JSON: \(reason)"
        }
    }
}

/// Python's notions of whitespace and its `strip`.
package enum PythonText {
    /// Python's `str.isspace()` for one code point (also what `\s` matches in a `str` pattern).
    @inline(__always)
    package static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default: false
        }
    }

    /// Python's `str.isalnum() or == "_"`: what `\w` matches in a `str` pattern.
    package static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return scalar.properties.numericType != nil
        }
    }

    /// Python's `str.strip()` with no arguments.
    package static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Python's `str.lstrip()` with no arguments.
    package static func lstrip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...])
    }

    /// Python's `str.rstrip()` with no arguments.
    package static func rstrip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[...last])
    }
}
