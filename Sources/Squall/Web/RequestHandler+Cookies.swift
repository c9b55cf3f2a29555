import SquallHTTP

/// A cookie that cannot be set as asked: its name, value or an attribute would corrupt the `Set-Cookie` header or
/// add attributes to it (cookie attribute injection).
///
/// Thrown by ``RequestHandler/setCookie(_:_:domain:path:expires:expiresDays:maxAge:secure:httpOnly:sameSite:)``;
/// uncaught, it becomes a 500. The messages are Tornado's.
public enum CookieError: Error, CustomStringConvertible, Sendable {
    /// The value contains a space or a control character (Tornado's `ValueError`).
    case invalidValue(name: String, value: String)
    /// The name, domain, path or SameSite value contains a control character, a space or `;`.
    case invalidAttribute(attribute: String, value: String, name: String)
    /// The name is a cookie attribute's name, such as `path` or `expires` (any case).
    case reservedName(String)
    /// The name is empty or contains a character other than letters, digits and ``!#$%&'*+-.^_`|~:``.
    case illegalName(String)
    /// The value (`attribute` is `value`) or the domain, path or SameSite value contains a character beyond U+00FF,
    /// which Tornado's Latin-1 headers cannot carry (Tornado fails later, when it writes the headers).
    case unencodable(attribute: String, value: String, name: String)
    /// An entry of ``Settings/xsrfCookieOptions`` is not a cookie attribute, or its value is not of the right type.
    case invalidOption(key: String, value: String)

    /// The message, as Tornado words it.
    public var description: String {
        switch self {
        case .invalidValue(let name, let value):
            "Invalid cookie \(PythonCodec.repr(name)): \(PythonCodec.repr(value))"
        case .invalidAttribute(let attribute, let value, let name):
            "Invalid cookie attribute \(attribute)=\(PythonCodec.repr(value)) for cookie \(PythonCodec.repr(name))"
        case .reservedName(let name):
            "Attempt to set a reserved key \(PythonCodec.repr(name))"
        case .illegalName(let name):
            "Illegal key \(PythonCodec.repr(name))"
        case .unencodable(let attribute, let value, let name):
            "Cookie attribute \(attribute)=\(PythonCodec.repr(value)) for cookie \(PythonCodec.repr(name)) has a "
                + "character beyond U+00FF"
        case .invalidOption(let key, let value):
            "Invalid XSRF cookie option \(key)=\(PythonCodec.repr(value)) (expected domain, path, expires, "
                + "expiresDays, maxAge, secure, httpOnly or sameSite, with a number or true/false where needed)"
        }
    }
}

extension RequestHandler {
    /// The cookies the request sent, by name (Tornado's `cookies`).
    ///
    /// The `Cookie` header is parsed as browsers send it (split on `;` only, so a value such as `b]_xsrf=x` cannot
    /// set another cookie); as in Tornado, cookies whose names are not valid cookie names or are attribute names
    /// (`path`, `expires`, ...) are dropped.
    public var cookies: [String: String] {
        request.cookies.filter { SetCookie.isLegalName($0.key) && !SetCookie.isReservedName($0.key) }
    }

    /// The value of the request's cookie `name`, or `defaultValue` (Tornado's `get_cookie`).
    ///
    /// Only cookies the request carried are seen, not ones set by this handler.
    public func getCookie(_ name: String, default defaultValue: String? = nil) -> String? {
        cookies[name] ?? defaultValue
    }

    /// Sets a cookie on the response, replacing one of the same name set earlier by this handler (Tornado's
    /// `set_cookie`); the `Set-Cookie` header is formatted exactly as Tornado 6.6 formats it.
    ///
    /// A value that is not a plain token is sent in double quotes with Python's escapes (`a;b` becomes
    /// `"a\073b"`); browsers return it that way and ``getCookie(_:default:)`` decodes it. Set cookies are not
    /// visible to ``getCookie(_:default:)`` until the next request, and are lost if the response is cleared (for
    /// example by an error) before it is sent.
    ///
    /// - Parameters:
    ///   - name: letters, digits and ``!#$%&'*+-.^_`|~:``, not an attribute name.
    ///   - value: no spaces or control characters.
    ///   - domain: the `Domain` attribute, if non-empty.
    ///   - path: the `Path` attribute, if non-empty (default `/`).
    ///   - expires: the `expires` attribute, in seconds since 1970 (0 means none, as in Tornado).
    ///   - expiresDays: sets `expires` this many days from now when `expires` is not given.
    ///   - maxAge: the `Max-Age` attribute in seconds, if non-zero.
    ///   - secure: adds `Secure`.
    ///   - httpOnly: adds `HttpOnly`.
    ///   - sameSite: the `SameSite` attribute (`Strict`, `Lax` or `None`), if non-empty.
    /// - Throws: ``CookieError`` for a name, value or attribute that would corrupt the header or inject
    ///   attributes.
    public func setCookie(
        _ name: String,
        _ value: String,
        domain: String? = nil,
        path: String? = "/",
        expires: Double? = nil,
        expiresDays: Double? = nil,
        maxAge: Int? = nil,
        secure: Bool = false,
        httpOnly: Bool = false,
        sameSite: String? = nil
    ) throws {
        let attributes = SetCookie.Attributes(
            domain: domain,
            path: path,
            expires: expires,
            expiresDays: expiresDays,
            maxAge: maxAge,
            secure: secure,
            httpOnly: httpOnly,
            sameSite: sameSite
        )
        try setCookie(name, value, attributes)
    }

    /// Sets a cookie from already gathered attributes.
    func setCookie(_ name: String, _ value: String, _ attributes: SetCookie.Attributes) throws {
        let header = try SetCookie.header(name: name, value: value, attributes, now: SignedValue.now())
        // One Set-Cookie per name, as Tornado keeps one morsel per name: drop the one set earlier and send the
        // new one last, as Tornado re-adds the morsel.
        var values = headers.getList("Set-Cookie")
        if let previous = newCookies.firstIndex(where: { $0.name == name }) {
            if let index = values.firstIndex(of: newCookies[previous].header) { values.remove(at: index) }
            newCookies.remove(at: previous)
        }
        values.append(header)
        headers.remove("Set-Cookie")
        for value in values { headers.add("Set-Cookie", value) }
        newCookies.append((name, header))
    }

    /// Adds the `Set-Cookie` headers of the cookies this handler set to the response headers again, for after
    /// ``clear()``: Tornado keeps cookies set before an error (they are sent with the error page).
    func restoreNewCookies() {
        let present = headers.getList("Set-Cookie")
        for cookie in newCookies where !present.contains(cookie.header) {
            headers.add("Set-Cookie", cookie.header)
        }
    }

    /// Deletes a cookie by setting it empty and expired a year ago (Tornado's `clear_cookie`).
    ///
    /// `path` and `domain` must be the ones the cookie was set with; browsers may also need `secure` and
    /// `sameSite` to match (for `SameSite=None` cookies).
    /// - Throws: ``CookieError`` as ``setCookie(_:_:domain:path:expires:expiresDays:maxAge:secure:httpOnly:sameSite:)``.
    public func clearCookie(
        _ name: String,
        path: String? = "/",
        domain: String? = nil,
        secure: Bool = false,
        httpOnly: Bool = false,
        sameSite: String? = nil
    ) throws {
        var attributes = SetCookie.Attributes(domain: domain, path: path, secure: secure, httpOnly: httpOnly)
        attributes.sameSite = sameSite
        attributes.expires = SetCookie.clearedExpiry(now: SignedValue.now())
        try setCookie(name, "", attributes)
    }

    /// Deletes every cookie the request sent (Tornado's `clear_all_cookies`), in the order the request sent them.
    ///
    /// Only works for cookies set with the same `path` and `domain`; prefer ``clearCookie(_:path:domain:secure:httpOnly:sameSite:)``
    /// one by one.
    /// - Throws: ``CookieError`` for an invalid `path` or `domain`.
    public func clearAllCookies(path: String? = "/", domain: String? = nil) throws {
        for name in requestCookieNames() {
            try clearCookie(name, path: path, domain: domain)
        }
    }

    /// The names of ``cookies`` in the order the `Cookie` header first lists them.
    private func requestCookieNames() -> [String] {
        let cookies = self.cookies
        var names: [String] = []
        var seen = Set<String>()
        let header = (request.headers["Cookie"] ?? "").unicodeScalars
        for chunk in header.split(separator: ";") {
            let key = chunk.prefix { $0 != "=" }
            guard let first = key.firstIndex(where: { !$0.properties.isWhitespace }),
                let last = key.lastIndex(where: { !$0.properties.isWhitespace })
            else { continue }
            let name = String(String.UnicodeScalarView(key[first...last]))
            if cookies[name] != nil, seen.insert(name).inserted { names.append(name) }
        }
        // Any name the scan above spelled differently from the parser still gets cleared.
        names += cookies.keys.filter { !seen.contains($0) }.sorted()
        return names
    }
}

/// Tornado's `set_cookie` checks and Python's `Morsel.OutputString` formatting.
enum SetCookie {
    /// A cookie's attributes, as ``RequestHandler/setCookie(_:_:domain:path:expires:expiresDays:maxAge:secure:httpOnly:sameSite:)`` takes them.
    struct Attributes: Sendable {
        var domain: String?
        var path: String? = "/"
        var expires: Double?
        var expiresDays: Double?
        var maxAge: Int?
        var secure = false
        var httpOnly = false
        var sameSite: String?
    }

    /// Python's `http.cookies._LegalChars`.
    private static let legalCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~:".utf8
    )
    /// Python's `_UnescapedChars`: sent inside quotes as they are.
    private static let unescapedCharacters = legalCharacters.union(" ()/<=>?@[]{}".utf8)
    /// `Morsel._reserved`'s keys (Python 3.11).
    private static let reservedNames: Set<String> = [
        "expires", "path", "comment", "domain", "max-age", "secure", "httponly", "version", "samesite",
    ]

    /// Whether `name` is made of Python's legal cookie characters (and is not empty).
    static func isLegalName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && legalCharacters.contains(UInt8($0.value)) }
    }

    /// Whether `name` is an attribute name, in any case.
    static func isReservedName(_ name: String) -> Bool {
        reservedNames.contains(name.lowercased())
    }

    /// The expiry `clear_cookie` sets: a year before `now`, in whole seconds.
    static func clearedExpiry(now: Double) -> Double {
        (now - 365 * 86400).rounded(.down)
    }

    /// The `Set-Cookie` value Tornado sends for this cookie, checking what Tornado checks in the same order.
    static func header(name: String, value: String, _ attributes: Attributes, now: Double) throws -> String {
        if value.unicodeScalars.contains(where: { $0.value <= 0x20 }) {
            throw CookieError.invalidValue(name: name, value: value)
        }
        let checked: [(String, String?)] = [
            ("name", name), ("domain", attributes.domain), ("path", attributes.path), ("samesite", attributes.sameSite),
        ]
        for (attribute, text) in checked {
            guard let text else { continue }
            if text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0 == ";" || $0 == "\u{7F}" }) {
                throw CookieError.invalidAttribute(attribute: attribute, value: text, name: name)
            }
        }
        if isReservedName(name) { throw CookieError.reservedName(name) }
        if !isLegalName(name) { throw CookieError.illegalName(name) }
        let encodable: [(String, String?)] = [("value", value)] + Array(checked.dropFirst())
        for (attribute, text) in encodable {
            if let text, text.unicodeScalars.contains(where: { $0.value > 0xFF }) {
                throw CookieError.unencodable(attribute: attribute, value: text, name: name)
            }
        }

        // Morsel.OutputString: the value, then the attributes in sorted key order.
        var parts = ["\(name)=\(quoted(value))"]
        if let domain = attributes.domain, !domain.isEmpty { parts.append("Domain=\(domain)") }
        var expires = attributes.expires
        if let days = attributes.expiresDays, expires == nil || expires == 0 {
            // Tornado adds a timedelta to datetime.now() and formats whole seconds.
            expires = (now + days * 86400).rounded(.down)
        }
        if let expires, expires != 0 { parts.append("expires=\(formatTimestamp(expires))") }
        if attributes.httpOnly { parts.append("HttpOnly") }
        if let maxAge = attributes.maxAge, maxAge != 0 { parts.append("Max-Age=\(maxAge)") }
        if let path = attributes.path, !path.isEmpty { parts.append("Path=\(path)") }
        if let sameSite = attributes.sameSite, !sameSite.isEmpty { parts.append("SameSite=\(sameSite)") }
        if attributes.secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// Python's `http.cookies._quote`: a plain token as it is, anything else in double quotes with `"` and `\`
    /// backslash-escaped and other characters below U+0100 outside `_UnescapedChars` as `\ooo` (octal).
    static func quoted(_ value: String) -> String {
        if isLegalName(value) { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" || scalar == "\\" {
                out += "\\" + String(scalar)
            } else if scalar.value < 0x100, !(scalar.isASCII && unescapedCharacters.contains(UInt8(scalar.value))) {
                let octal = String(scalar.value, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
