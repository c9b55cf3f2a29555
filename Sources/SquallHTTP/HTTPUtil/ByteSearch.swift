/// Linear-time search for a byte string (Knuth-Morris-Pratt), so a hostile body cannot make multipart parsing
/// quadratic.
struct ByteSearch {
    let needle: [UInt8]
    private let failure: [Int]

    /// Prepares to search for `needle`, which must not be empty.
    init(_ needle: [UInt8]) {
        self.needle = needle
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in needle.indices.dropFirst() {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        self.failure = failure
    }

    /// The index where the first occurrence of the needle in `haystack` starts, or `nil`.
    func firstIndex(in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty else { return haystack.startIndex }
        var k = 0
        for i in haystack.indices {
            while k > 0 && haystack[i] != needle[k] { k = failure[k - 1] }
            if haystack[i] == needle[k] { k += 1 }
            if k == needle.count { return i - needle.count + 1 }
        }
        return nil
    }

    /// The index where the last occurrence of `needle` in `haystack` starts, or `nil` (Python's `bytes.rfind`).
    static func lastIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty else { return haystack.endIndex }
        // Knuth-Morris-Pratt for the reversed needle, walking the haystack backwards without copying it.
        let reversed = ByteSearch(needle.reversed())
        var k = 0
        var i = haystack.endIndex
        while i > haystack.startIndex {
            i -= 1
            let byte = haystack[i]
            while k > 0 && byte != reversed.needle[k] { k = reversed.failure[k - 1] }
            if byte == reversed.needle[k] { k += 1 }
            if k == needle.count { return i }
        }
        return nil
    }

    /// Python's `data.split(needle, maxSplits)`: at most `maxSplits` splits, so at most `maxSplits + 1` pieces.
    func split(_ haystack: ArraySlice<UInt8>, maxSplits: Int) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = haystack.startIndex
        while pieces.count < maxSplits, let found = firstIndex(in: haystack[start...]) {
            pieces.append(haystack[start..<found])
            start = found + needle.count
        }
        pieces.append(haystack[start...])
        return pieces
    }
}
