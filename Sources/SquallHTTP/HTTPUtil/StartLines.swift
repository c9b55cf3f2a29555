/// The first line of an HTTP/1.x request: method, request target and version (Tornado's `RequestStartLine`).
public struct RequestStartLine: Sendable, Equatable {
    /// The request method, for example `"GET"`.
    public var method: String
    /// The request target exactly as sent, for example `"/search?q=squall"`.
    public var path: String
    /// The protocol version, `"HTTP/1.0"` or `"HTTP/1.1"` (any `HTTP/1.x`).
    public var version: String

    /// Creates a start line from its three parts.
    public init(method: String, path: String, version: String) {
        self.method = method
        self.path = path
        self.version = version
    }
}

/// The first line of an HTTP/1.x response: version, status code and reason (Tornado's `ResponseStartLine`).
public struct ResponseStartLine: Sendable, Equatable {
    /// The protocol version, for example `"HTTP/1.1"`.
    public var version: String
    /// The three-digit status code.
    public var code: Int
    /// The reason phrase, or `""` when the line has none (Tornado gives `None`).
    public var reason: String

    /// Creates a start line from its three parts.
    public init(version: String, code: Int, reason: String) {
        self.version = version
        self.code = code
        self.reason = reason
    }
}

/// Parses an HTTP/1.x request line such as `"GET /foo HTTP/1.1"` (Tornado 6.6's `parse_request_start_line`).
///
/// The line must be exactly `method SP request-target SP HTTP-version`: a token method, a target of visible
/// characters (ISO-8859-1 allowed, no spaces or controls) and `HTTP/d.d`.
/// - Throws: ``HTTPInputError`` `"Malformed HTTP request line"`, or `"Unexpected HTTP version 'HTTP/2.0'"` for a
///   well-formed line whose version is not 1.x.
public func parseRequestStartLine(_ line: String) throws(HTTPInputError) -> RequestStartLine {
    let parts = line.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, HTTPHeaders.isToken(parts[0]), !parts[1].isEmpty,
        parts[1].allSatisfy(HTTPHeaders.isFieldVChar), isHTTPVersion(parts[2])
    else { throw HTTPInputError("Malformed HTTP request line") }
    let version = String(scalars: parts[2])
    guard version.hasPrefix("HTTP/1") else {
        throw HTTPInputError("Unexpected HTTP version \(PythonText.repr(version))")
    }
    return RequestStartLine(method: String(scalars: parts[0]), path: String(scalars: parts[1]), version: version)
}

/// Parses an HTTP/1.x status line such as `"HTTP/1.1 200 OK"` (Tornado 6.6's `parse_response_start_line`).
///
/// The line must be `HTTP/d.d SP ddd SP [reason]`; the space after the code is required even when the reason is
/// empty, and the reason may hold spaces, tabs and visible characters (ISO-8859-1 allowed).
/// - Throws: ``HTTPInputError`` `"Error parsing response start line"`, or `"Unexpected HTTP version …"` for a
///   well-formed line whose version is not 1.x.
public func parseResponseStartLine(_ line: String) throws(HTTPInputError) -> ResponseStartLine {
    let scalars = Array(line.unicodeScalars)
    guard scalars.count >= 13, isHTTPVersion(scalars[0..<8]), scalars[8] == " ", scalars[12] == " ",
        scalars[9..<12].allSatisfy({ ("0"..."9").contains($0) }),
        scalars[13...].allSatisfy({ HTTPHeaders.isFieldVChar($0) || $0 == " " || $0 == "\t" })
    else { throw HTTPInputError("Error parsing response start line") }
    let version = String(scalars: scalars[0..<8])
    guard version.hasPrefix("HTTP/1") else {
        throw HTTPInputError("Unexpected HTTP version \(PythonText.repr(version))")
    }
    let code = scalars[9..<12].reduce(0) { $0 * 10 + Int($1.value) - 0x30 }
    return ResponseStartLine(version: version, code: code, reason: String(scalars: scalars[13...]))
}

/// RFC 9112 `HTTP-version`: `HTTP/` digit `.` digit.
private func isHTTPVersion(_ scalars: some Collection<Unicode.Scalar>) -> Bool {
    let expected: [Unicode.Scalar?] = ["H", "T", "T", "P", "/", nil, ".", nil]
    guard scalars.count == expected.count else { return false }
    return zip(scalars, expected).allSatisfy { scalar, want in
        if let want { return scalar == want }
        return ("0"..."9").contains(scalar)
    }
}
