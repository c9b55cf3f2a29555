import Crypto
import NIOCore

extension RequestHandler {
    /// Sets the `Etag` response header to ``computeEtag()`` (Tornado's `set_etag_header`); sets nothing when it
    /// returns `nil`.
    ///
    /// ``finish()`` calls this for GET and HEAD responses with status 200 that set no `Etag` themselves.
    /// - Throws: ``HTTPError`` (500) if the etag contains CR, LF or NUL.
    public func setEtagHeader() throws {
        if let etag = computeEtag() { try setHeader("Etag", etag) }
    }

    /// Whether the request's `If-None-Match` matches the response's `Etag` header, so a 304 should be sent
    /// (Tornado's `check_etag_header`).
    ///
    /// `If-None-Match: *` matches any etag; a list matches if any of its entries does; entity tags are compared
    /// weakly (a `W/` prefix on either side is ignored), as RFC 7232 asks for `If-None-Match`. Set the `Etag`
    /// header first (``setEtagHeader()``); ``finish()`` calls this on its own, so use it directly only to answer
    /// 304 before doing expensive work:
    ///
    /// ```swift
    /// try setEtagHeader()
    /// if checkEtagHeader() {
    ///     setStatus(304)
    ///     return
    /// }
    /// ```
    public func checkEtagHeader() -> Bool {
        let computed = Array((headers["Etag"] ?? "").utf8)
        let candidates = Self.entityTags(in: Array((request.headers["If-None-Match"] ?? "").utf8))
        guard !computed.isEmpty, let first = candidates.first else { return false }
        if first == [UInt8(ascii: "*")] { return true }
        let target = Self.opaqueTag(computed)
        return candidates.contains { Self.opaqueTag($0) == target }
    }

    /// The quoted hexadecimal SHA-1 digest of the body written so far: Tornado's default `compute_etag`, so the
    /// same body gets the same etag from Squall and from Tornado.
    func bufferEtag() -> String {
        var hasher = Insecure.SHA1()
        outputBuffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        return "\"" + Self.lowercaseHex(hasher.finalize()) + "\""
    }

    /// Tornado's `re.findall(rb'\*|(?:W/)?"[^"]*"', header)`: every `*` and (weak or strong) quoted tag.
    static func entityTags(in header: [UInt8]) -> [[UInt8]] {
        let quote = UInt8(ascii: "\"")
        var tags: [[UInt8]] = []
        var index = 0
        while index < header.count {
            if header[index] == UInt8(ascii: "*") {
                tags.append([UInt8(ascii: "*")])
                index += 1
                continue
            }
            var quoteIndex = index
            if header[index] == UInt8(ascii: "W"), index + 2 < header.count, header[index + 1] == UInt8(ascii: "/"),
                header[index + 2] == quote
            {
                quoteIndex = index + 2
            }
            if header[quoteIndex] == quote, let close = header[(quoteIndex + 1)...].firstIndex(of: quote) {
                tags.append(Array(header[index...close]))
                index = close + 1
            } else {
                index += 1
            }
        }
        return tags
    }

    /// An entity tag without its weakness prefix, for weak comparison.
    static func opaqueTag(_ tag: [UInt8]) -> ArraySlice<UInt8> {
        tag.starts(with: [UInt8(ascii: "W"), UInt8(ascii: "/")]) ? tag.dropFirst(2) : tag[...]
    }

    /// Lower-case hexadecimal digits of `bytes`, as Python's `hexdigest()`.
    static func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
