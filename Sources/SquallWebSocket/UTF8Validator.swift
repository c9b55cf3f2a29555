/// Validates UTF-8 incrementally, so a fragmented text message is refused at the first bad byte (RFC 6455
/// asks endpoints to fail fast) even when a character is split across frames.
///
/// Follows the well-formed byte sequences of Unicode's table 3-7: no overlong forms, no surrogates, nothing
/// above U+10FFFF.
struct UTF8Validator {
    private var remaining = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Whether the bytes fed so far end on a character boundary.
    var isComplete: Bool { remaining == 0 }

    /// Feeds `bytes`; returns `false` as soon as they cannot be (the start of) valid UTF-8.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes {
            if remaining == 0 {
                if byte < 0x80 { continue }
                lower = 0x80
                upper = 0xBF
                switch byte {
                case 0xC2...0xDF: remaining = 1
                case 0xE0:
                    remaining = 2
                    lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
                case 0xED:
                    remaining = 2
                    upper = 0x9F
                case 0xF0:
                    remaining = 3
                    lower = 0x90
                case 0xF1...0xF3: remaining = 3
                case 0xF4:
                    remaining = 3
                    upper = 0x8F
                default: return false
                }
            } else {
                guard byte >= lower, byte <= upper else { return false }
                lower = 0x80
                upper = 0xBF
                remaining -= 1
            }
        }
        return true
    }
}
