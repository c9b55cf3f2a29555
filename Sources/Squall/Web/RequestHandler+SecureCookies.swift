extension RequestHandler {
    /// ``Settings/cookieSecret``, or a 500 naming the missing setting (Tornado's `require_setting`).
    func requiredCookieSecret() throws -> CookieSecret {
        guard let secret = settings.cookieSecret, !secret.isEmpty else {
            throw HTTPError(
                500,
                logMessage: "You must define the cookieSecret setting in your application to use secure cookies"
            )
        }
        return secret
    }

    /// Signs and timestamps `value` for `name` with ``Settings/cookieSecret`` (Tornado's handler
    /// `create_signed_value`), for signed values that are not cookies; read them back with
    /// ``getSecureCookie(_:value:maxAgeDays:minVersion:)`` passing `value`.
    ///
    /// - Throws: ``HTTPError`` (500) without a cookie secret; ``SignedValueError`` for an unsupported version.
    public func createSignedValue(_ name: String, _ value: String, version: Int = 2) throws -> String {
        try createSignedValue(name, Array(value.utf8), version: version)
    }

    /// Signs and timestamps arbitrary bytes for `name`, as the `String` overload does with text.
    public func createSignedValue(_ name: String, _ value: [UInt8], version: Int = 2) throws -> String {
        try SignedValue.create(
            secret: try requiredCookieSecret(),
            name: name,
            value: value,
            version: version,
            now: SignedValue.now(),
            keyVersion: nil
        )
    }

    /// Sets a cookie whose value is signed and timestamped so it cannot be forged (Tornado's
    /// `set_secure_cookie`), byte-compatible with Tornado: a Tornado application with the same secret reads it.
    ///
    /// With ``CookieSecret/versioned(_:current:)`` the current key signs it. `expiresDays` is the cookie's life
    /// in the browser (`nil`: the session); ``getSecureCookie(_:value:maxAgeDays:minVersion:)`` checks the
    /// signature's age separately. The other parameters are
    /// ``setCookie(_:_:domain:path:expires:expiresDays:maxAge:secure:httpOnly:sameSite:)``'s.
    /// - Throws: ``HTTPError`` (500) without a cookie secret; ``SignedValueError``; ``CookieError`` for an invalid
    ///   name or attribute.
    public func setSecureCookie(
        _ name: String,
        _ value: String,
        expiresDays: Double? = 30,
        version: Int = 2,
        domain: String? = nil,
        path: String? = "/",
        maxAge: Int? = nil,
        secure: Bool = false,
        httpOnly: Bool = false,
        sameSite: String? = nil
    ) throws {
        try setSecureCookie(
            name,
            Array(value.utf8),
            expiresDays: expiresDays,
            version: version,
            domain: domain,
            path: path,
            maxAge: maxAge,
            secure: secure,
            httpOnly: httpOnly,
            sameSite: sameSite
        )
    }

    /// Sets a signed cookie holding arbitrary bytes, as the `String` overload does with text.
    public func setSecureCookie(
        _ name: String,
        _ value: [UInt8],
        expiresDays: Double? = 30,
        version: Int = 2,
        domain: String? = nil,
        path: String? = "/",
        maxAge: Int? = nil,
        secure: Bool = false,
        httpOnly: Bool = false,
        sameSite: String? = nil
    ) throws {
        try setCookie(
            name,
            try createSignedValue(name, value, version: version),
            domain: domain,
            path: path,
            expiresDays: expiresDays,
            maxAge: maxAge,
            secure: secure,
            httpOnly: httpOnly,
            sameSite: sameSite
        )
    }

    /// The value of signed cookie `name` (or of the signed `value` given), decoded as UTF-8, if its signature is
    /// valid and it is at most `maxAgeDays` old; else `nil` (Tornado's `get_secure_cookie`).
    ///
    /// A cookie signed for another name, tampered with, expired, or signed with an unknown key is `nil`, as is a
    /// value that is not UTF-8 (see ``getSecureCookieBytes(_:value:maxAgeDays:minVersion:)``). `minVersion: 2`
    /// refuses the older version 1 format.
    /// - Throws: ``HTTPError`` (500) without a cookie secret; ``SignedValueError`` for `minVersion` above 2.
    public func getSecureCookie(
        _ name: String,
        value: String? = nil,
        maxAgeDays: Double = 31,
        minVersion: Int = 1
    ) throws -> String? {
        try getSecureCookieBytes(name, value: value, maxAgeDays: maxAgeDays, minVersion: minVersion).flatMap {
            String(validating: $0, as: UTF8.self)
        }
    }

    /// The bytes of signed cookie `name` (or of the signed `value` given); see
    /// ``getSecureCookie(_:value:maxAgeDays:minVersion:)``.
    public func getSecureCookieBytes(
        _ name: String,
        value: String? = nil,
        maxAgeDays: Double = 31,
        minVersion: Int = 1
    ) throws -> [UInt8]? {
        let secret = try requiredCookieSecret()
        return try decodeSignedValue(
            secret: secret,
            name: name,
            value: value ?? getCookie(name),
            maxAgeDays: maxAgeDays,
            minVersion: minVersion
        )
    }

    /// The key version recorded in signed cookie `name` (or in the signed `value` given), without checking the
    /// signature (Tornado's `get_secure_cookie_key_version`); `nil` if absent or not version 2.
    ///
    /// Use it to re-sign cookies made with an old key after rotating ``Settings/cookieSecret``.
    /// - Throws: ``HTTPError`` (500) without a cookie secret.
    public func getSecureCookieKeyVersion(_ name: String, value: String? = nil) throws -> Int? {
        _ = try requiredCookieSecret()
        guard let value = value ?? getCookie(name) else { return nil }
        return getSignatureKeyVersion(value)
    }
}
