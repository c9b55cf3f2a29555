import SquallHTTP

extension RequestHandler {
    /// The XSRF token for this request, to put in forms (`_xsrf` field) or send back in an `X-XSRFToken` header
    /// (Tornado's `xsrf_token`).
    ///
    /// The token is the user's raw token (from the `_xsrf` cookie, or a new random one) masked with fresh random
    /// bytes, so it differs on every request and a compressed page does not reveal it (BREACH); it has Tornado's
    /// version 2 format, `2|<mask>|<masked token>|<timestamp>` in hexadecimal, and Tornado accepts it. When the
    /// request had no usable `_xsrf` cookie, the new raw token is set in one, with ``Settings/xsrfCookieOptions``
    /// (and, for a logged-in user without an `expiresDays` option, a 30-day expiry). Option keys are the
    /// parameters of ``setCookie(_:_:domain:path:expires:expiresDays:maxAge:secure:httpOnly:sameSite:)``, matched
    /// ignoring case, `_` and `-` (Tornado's `expires_days` works too); flags take `true` or `false`.
    /// - Throws: ``CookieError`` for invalid ``Settings/xsrfCookieOptions``; what ``getCurrentUser()`` throws.
    public var xsrfToken: String {
        get throws {
            if let cachedXSRFToken { return cachedXSRFToken }
            let raw = rawXSRFToken()
            let token = XSRFToken.encode(raw, mask: XSRFToken.randomBytes(4))
            if raw.version == nil {
                var attributes = try XSRFToken.cookieAttributes(settings.xsrfCookieOptions)
                if try currentUser != nil, attributes.expiresDays == nil { attributes.expiresDays = 30 }
                try setCookie(XSRFToken.cookieName, token, attributes)
            }
            cachedXSRFToken = token
            return token
        }
    }

    /// A hidden `<input>` carrying ``xsrfToken``, for every form that posts to this application (Tornado's
    /// `xsrf_form_html`).
    /// - Throws: as ``xsrfToken``.
    public func xsrfFormHTML() throws -> String {
        "<input type=\"hidden\" name=\"_xsrf\" value=\"" + XSRFToken.escapeHTML(try xsrfToken) + "\"/>"
    }

    /// The user's raw XSRF token, from the `_xsrf` cookie or made for this request (Tornado's
    /// `_get_raw_xsrf_token`).
    func rawXSRFToken() -> RawXSRFToken {
        if let cachedRawXSRFToken { return cachedRawXSRFToken }
        let now = SignedValue.now()
        var raw: RawXSRFToken?
        if let cookie = getCookie(XSRFToken.cookieName), !cookie.isEmpty {
            raw = XSRFToken.decode(cookie, now: now)
        }
        let token = raw ?? RawXSRFToken(version: nil, token: XSRFToken.randomBytes(16), timestamp: String(Int(now)))
        cachedRawXSRFToken = token
        return token
    }

    /// The default ``checkXSRFCookie()`` (Tornado's `check_xsrf_cookie`): the `_xsrf` argument, or else the
    /// `X-XSRFToken` or `X-CSRFToken` header, must carry the same raw token as the `_xsrf` cookie.
    ///
    /// There is deliberately no exemption for `X-Requested-With` (Tornado dropped it in 1.1.1: browsers' plugins
    /// could send it cross-site). The tokens are compared in constant time.
    func verifyXSRFCookie() throws {
        var input = try getArgument("_xsrf", default: nil)
        if input?.isEmpty ?? true { input = request.headers["X-Xsrftoken"] }
        if input?.isEmpty ?? true { input = request.headers["X-Csrftoken"] }
        guard let input, !input.isEmpty else {
            throw HTTPError(403, logMessage: "'_xsrf' argument missing from POST")
        }
        let token = XSRFToken.decode(input, now: SignedValue.now())?.token
        let expected = rawXSRFToken().token
        guard let token, !token.isEmpty else {
            throw HTTPError(403, logMessage: "'_xsrf' argument has invalid format")
        }
        guard PythonCodec.constantTimeEquals(token, expected) else {
            throw HTTPError(403, logMessage: "XSRF cookie does not match POST argument")
        }
    }
}

/// A raw XSRF token as Tornado's `_get_raw_xsrf_token` holds it.
struct RawXSRFToken: Equatable, Sendable {
    /// The format of the cookie it came from (1 or 2); `nil` for a token made for this request.
    var version: Int?
    /// The secret bytes.
    var token: [UInt8]
    /// When it was made, as Tornado writes it (`str(int(timestamp))`); version 1 cookies have none, so now.
    var timestamp: String
}

/// Tornado's XSRF token formats: version 1 is the raw token in hexadecimal (or any text), version 2 is
/// `2|<mask>|<token XOR mask>|<timestamp>` with a 4-byte mask, all hexadecimal.
enum XSRFToken {
    /// The cookie that holds the raw token.
    static let cookieName = "_xsrf"

    /// Tornado's `_decode_xsrf_token`: the raw token in a cookie or a submitted token, or `nil` where Tornado gets
    /// `None` (an unknown version, or a malformed version 2 token).
    static func decode(_ text: String, now: Double) -> RawXSRFToken? {
        let bytes = Array(text.utf8)
        guard let digits = SignedValue.versionDigits(bytes) else {
            // Version 1: hexadecimal if it decodes as such, else the text itself.
            let token = PythonCodec.hexDecode(bytes) ?? bytes
            return RawXSRFToken(version: 1, token: token, timestamp: String(Int(now)))
        }
        guard digits.elementsEqual("2".utf8) else { return nil }
        let parts = text.unicodeScalars.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4,
            let mask = PythonCodec.hexDecode(String(Substring(parts[1])).utf8),
            // Tornado's C masking function takes exactly 4 mask bytes.
            mask.count == 4,
            let masked = PythonCodec.hexDecode(String(Substring(parts[2])).utf8),
            let timestamp = PythonInteger(text: String(Substring(parts[3])))
        else { return nil }
        return RawXSRFToken(version: 2, token: applyMask(mask, masked), timestamp: timestamp.description)
    }

    /// The version 2 token for `raw` masked with `mask` (4 bytes).
    static func encode(_ raw: RawXSRFToken, mask: [UInt8]) -> String {
        "2|" + PythonCodec.hexEncode(mask) + "|" + PythonCodec.hexEncode(applyMask(mask, raw.token)) + "|"
            + raw.timestamp
    }

    /// Tornado's `_websocket_mask`: `data` XOR the 4-byte `mask`, repeated.
    private static func applyMask(_ mask: [UInt8], _ data: [UInt8]) -> [UInt8] {
        data.enumerated().map { $0.element ^ mask[$0.offset % mask.count] }
    }

    /// Random bytes from the system's cryptographic generator (Tornado's `os.urandom`).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Escapes `& < > " '` for an HTML attribute (Tornado's `xhtml_escape`).
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// ``Settings/xsrfCookieOptions`` as cookie attributes: keys are matched ignoring case, `_` and `-` (so
    /// Tornado's `expires_days` and `httponly` work as well as `expiresDays` and `httpOnly`).
    ///
    /// - Throws: ``CookieError/invalidOption(key:value:)`` for an unknown key or a value of the wrong type.
    static func cookieAttributes(_ options: [String: String]) throws -> SetCookie.Attributes {
        var attributes = SetCookie.Attributes()
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            let invalid = CookieError.invalidOption(key: key, value: value)
            switch key.lowercased().filter({ $0 != "_" && $0 != "-" }) {
            case "domain": attributes.domain = value
            case "path": attributes.path = value
            case "samesite": attributes.sameSite = value
            case "expires":
                guard let seconds = Double(value) else { throw invalid }
                attributes.expires = seconds
            case "expiresdays":
                guard let days = Double(value) else { throw invalid }
                attributes.expiresDays = days
            case "maxage":
                guard let seconds = Int(value) else { throw invalid }
                attributes.maxAge = seconds
            case "secure":
                guard let flag = flag(value) else { throw invalid }
                attributes.secure = flag
            case "httponly":
                guard let flag = flag(value) else { throw invalid }
                attributes.httpOnly = flag
            default:
                throw invalid
            }
        }
        return attributes
    }

    private static func flag(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "true", "yes", "1": true
        case "false", "no", "0": false
        default: nil
        }
    }
}
