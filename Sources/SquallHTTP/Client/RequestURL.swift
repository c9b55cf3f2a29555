/// Just enough of an absolute `http(s)` URL to resolve a redirect's `Location` against it and compare origins.
struct RequestURL: Equatable {
    /// `http` or `https`, lowercased.
    var scheme: String
    /// Host and port as written, lowercased.
    var authority: String
    /// The path and query, starting with `/` (`/` when the URL has none).
    var pathAndQuery: String

    /// Parses `text`; `nil` unless it has a scheme and a non-empty authority.
    init?(_ text: String) {
        guard let separator = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy(Self.isSchemeCharacter) else { return nil }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: Self.endsAuthority) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty else { return nil }
        var tail = String(rest[authorityEnd...])
        if let fragment = tail.firstIndex(of: "#") { tail = String(tail[..<fragment]) }
        if !tail.hasPrefix("/") { tail = "/" + tail }
        self.scheme = scheme
        self.authority = authority.lowercased()
        self.pathAndQuery = tail
    }

    private static func isSchemeCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "+" || character == "-" || character == "."
    }

    private static func endsAuthority(_ character: Character) -> Bool {
        character == "/" || character == "?" || character == "#"
    }

    /// Scheme and authority, which decide whether credentials may be sent.
    var origin: String { "\(scheme)://\(authority)" }

    /// The URL as text.
    var text: String { origin + pathAndQuery }

    /// `location` resolved against this URL, as `urljoin` does for the forms servers send.
    func resolving(_ location: String) -> String? {
        if let absolute = RequestURL(location) { return absolute.text }
        if location.hasPrefix("//") { return RequestURL("\(scheme):\(location)")?.text }
        var reference = location
        if let fragment = reference.firstIndex(of: "#") { reference = String(reference[..<fragment]) }
        if reference.hasPrefix("/") { return origin + reference }
        let path = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "/"
        if reference.isEmpty { return text }
        if reference.hasPrefix("?") { return origin + path + reference }
        let directory = path[...(path.lastIndex(of: "/") ?? path.startIndex)]
        return origin + Self.removingDotSegments(directory + reference)
    }

    /// RFC 3986 dot-segment removal for a path that starts with `/`.
    private static func removingDotSegments(_ target: String) -> String {
        let query = target.firstIndex(of: "?").map { String(target[$0...]) } ?? ""
        let path = target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/") + query
    }
}
