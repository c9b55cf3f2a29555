/// Appends arguments to a URL's query, keeping any it already has (Tornado's `url_concat`).
///
/// The URL is split and rebuilt as Python's `urlparse`/`urlunparse` do: the existing query is decoded and
/// re-encoded (`+` and `%XX` normalised, a name without `=` gets one), the scheme is lower-cased, the fragment is
/// kept after the new query. Names and values are encoded as `application/x-www-form-urlencoded` (UTF-8, spaces as
/// `+`). Python rejects a URL with unbalanced `[` `]` in its host; Squall does not check it.
/// - Parameters:
///   - url: An absolute or relative URL.
///   - args: Arguments to append, in order; a name may repeat.
public func urlConcat(_ url: String, _ args: [(String, String)]) -> String {
    var parsed = PythonURL(url)
    var pairs = parsed.queryPairs()
    pairs.append(contentsOf: args)
    parsed.query = pairs.map { PercentEncoding.quotePlus($0.0) + "=" + PercentEncoding.quotePlus($0.1) }
        .joined(separator: "&")
    return parsed.unparsed
}

/// Appends arguments to a URL's query, in ascending name order (Tornado's `url_concat` with a dict).
///
/// Swift dictionaries have no order, so the names are sorted (by code point) to make the result deterministic;
/// pass an array of pairs instead to choose the order.
public func urlConcat(_ url: String, _ args: [String: String]) -> String {
    urlConcat(url, args.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) })
}

/// A URL split as Python's `urllib.parse.urlparse` splits it (Python 3.11 rules), and put back together as
/// `urlunparse` does.
struct PythonURL {
    var scheme = ""
    var netloc = ""
    var path = ""
    var params = ""
    var query = ""
    var fragment = ""

    /// Schemes whose URLs Python writes with `//` even when the host is empty.
    private static let usesNetloc: Set<String> = [
        "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp", "snews",
        "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss",
    ]

    /// Schemes whose last path segment may carry `;params`.
    private static let usesParams: Set<String> = [
        "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu", "sip", "sips", "mms",
        "sftp", "tel",
    ]

    init(_ url: String) {
        var rest: [Unicode.Scalar] = url.unicodeScalars.drop { $0.value <= 0x20 }.filter {
            $0 != "\t" && $0 != "\r" && $0 != "\n"
        }
        if let colon = rest.firstIndex(of: ":"), colon > 0, rest[0].isASCII, rest[0].properties.isAlphabetic,
            rest[..<colon].allSatisfy(Self.isSchemeChar)
        {
            scheme = String(scalars: rest[..<colon]).lowercased()
            rest = Array(rest[(colon + 1)...])
        }
        if rest.starts(with: ["/", "/"]) {
            let end = rest[2...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            netloc = String(scalars: rest[2..<end])
            rest = Array(rest[end...])
        }
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(scalars: rest[(hash + 1)...])
            rest = Array(rest[..<hash])
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(scalars: rest[(question + 1)...])
            rest = Array(rest[..<question])
        }
        if Self.usesParams.contains(scheme), let semicolon = Self.paramsStart(rest) {
            params = String(scalars: rest[(semicolon + 1)...])
            rest = Array(rest[..<semicolon])
        }
        path = String(scalars: rest)
    }

    /// Python's `_splitparams`: the `;` that starts the last segment's parameters.
    private static func paramsStart(_ path: [Unicode.Scalar]) -> Int? {
        guard let lastSlash = path.lastIndex(of: "/") else { return path.firstIndex(of: ";") }
        return path[lastSlash...].firstIndex(of: ";")
    }

    private static func isSchemeChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "+", "-", ".": return true
        default: return false
        }
    }

    /// Python's `parse_qsl(query, keep_blank_values=True)`: names and values decoded as UTF-8 (invalid bytes become
    /// U+FFFD).
    func queryPairs() -> [(String, String)] {
        let bytes = Array(query.utf8)
        return bytes.split(separator: UInt8(ascii: "&")).map { field in
            let equals = field.firstIndex(of: UInt8(ascii: "=")) ?? field.endIndex
            let name = PercentEncoding.decode(field[..<equals], plusAsSpace: true)
            let value = equals < field.endIndex ? PercentEncoding.decode(field[(equals + 1)...], plusAsSpace: true) : []
            return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
    }

    /// Python's `urlunparse`.
    var unparsed: String {
        var url = params.isEmpty ? path : path + ";" + params
        if !netloc.isEmpty
            || (!scheme.isEmpty && Self.usesNetloc.contains(scheme) && !url.unicodeScalars.starts(with: ["/", "/"]))
        {
            if let first = url.unicodeScalars.first, first != "/" { url = "/" + url }
            url = "//" + netloc + url
        }
        if !scheme.isEmpty { url = scheme + ":" + url }
        if !query.isEmpty { url += "?" + query }
        if !fragment.isEmpty { url += "#" + fragment }
        return url
    }
}
