/// The few Python `str` behaviours Tornado's output depends on, so Squall gives the same answers.
///
/// Python indexes strings by code point, so these work on Unicode scalars, never on `Character`s.
package enum PythonText {
    /// Python's `str.isspace()`: the characters `str.strip()` removes when called without arguments.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Python's `str.strip()` (Unicode whitespace on both ends).
    static func strip<S: BidirectionalCollection<Unicode.Scalar>>(_ scalars: S) -> S.SubSequence {
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return scalars[scalars.endIndex...] }
        return scalars[first...last]
    }

    /// Python's `str.strip()` of a string.
    static func strip(_ text: some StringProtocol) -> String {
        String(scalars: strip(text.unicodeScalars))
    }

    /// Python's `str.isprintable()` for one character (Unicode 14 categories, as Python 3.11).
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    /// Python's `repr()` of a string, which Tornado puts in its error messages (`%r`).
    package static func repr(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        let quote: Unicode.Scalar = scalars.contains("'") && !scalars.contains("\"") ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for scalar in scalars {
            switch scalar {
            case quote, "\\":
                out.append("\\")
                out.append(scalar)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            default:
                if isPrintable(scalar) {
                    out.append(scalar)
                } else if scalar.value < 0x100 {
                    out.append(contentsOf: "\\x\(hex(scalar.value, width: 2))".unicodeScalars)
                } else if scalar.value < 0x10000 {
                    out.append(contentsOf: "\\u\(hex(scalar.value, width: 4))".unicodeScalars)
                } else {
                    out.append(contentsOf: "\\U\(hex(scalar.value, width: 8))".unicodeScalars)
                }
            }
        }
        out.append(quote)
        return String(out)
    }

    /// Lower-case hexadecimal, zero-padded to `width` digits.
    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python's `str.replace(old, new)`: non-overlapping, left to right.
    static func replace(_ scalars: [Unicode.Scalar], _ old: [Unicode.Scalar], _ new: [Unicode.Scalar])
        -> [Unicode.Scalar]
    {
        guard !old.isEmpty, scalars.count >= old.count else { return scalars }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        var i = 0
        while i < scalars.count {
            if i + old.count <= scalars.count, scalars[i..<i + old.count].elementsEqual(old) {
                out.append(contentsOf: new)
                i += old.count
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return out
    }

    /// The message of the `UnicodeDecodeError` Python raises for `bytes.decode("utf-8")`, or `nil` when the bytes
    /// are valid UTF-8.
    ///
    /// Python reports the first maximal ill-formed subsequence, as the Unicode standard defines it.
    static func utf8DecodeError(_ bytes: ArraySlice<UInt8>) -> String? {
        let base = bytes.startIndex
        var i = base
        while i < bytes.endIndex {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let continuations: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: continuations = 1
            case 0xE0:
                continuations = 2
                secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: continuations = 2
            case 0xED:
                continuations = 2
                secondRange = 0x80...0x9F
            case 0xF0:
                continuations = 3
                secondRange = 0x90...0xBF
            case 0xF1...0xF3: continuations = 3
            case 0xF4:
                continuations = 3
                secondRange = 0x80...0x8F
            default:
                return decodeErrorMessage(bytes, start: i - base, length: 1, reason: "invalid start byte")
            }
            for k in 1...continuations {
                guard i + k < bytes.endIndex else {
                    return decodeErrorMessage(bytes, start: i - base, length: k, reason: "unexpected end of data")
                }
                let range = k == 1 ? secondRange : 0x80...0xBF
                guard range.contains(bytes[i + k]) else {
                    return decodeErrorMessage(bytes, start: i - base, length: k, reason: "invalid continuation byte")
                }
            }
            i += continuations + 1
        }
        return nil
    }

    private static func decodeErrorMessage(_ bytes: ArraySlice<UInt8>, start: Int, length: Int, reason: String)
        -> String
    {
        if length == 1 {
            let byte = bytes[bytes.startIndex + start]
            return "'utf-8' codec can't decode byte 0x\(hex(UInt32(byte), width: 2)) in position \(start): \(reason)"
        }
        return "'utf-8' codec can't decode bytes in position \(start)-\(start + length - 1): \(reason)"
    }
}

extension String {
    /// The string made of these Unicode scalars.
    init(scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self.init(view)
    }
}
