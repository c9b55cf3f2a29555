import SquallHTTP

/// Tornado 6.6's cross-origin protection: which state-changing requests a browser sent on behalf of another site.
///
/// The decision uses the `Sec-Fetch-Site` header browsers send with every request over HTTPS (and most over
/// HTTP): `same-origin` and `none` (the user typed the URL or used a bookmark) pass; any other value (`same-site`,
/// `cross-site`, anything unknown) passes only for a trusted `Origin`. Without `Sec-Fetch-Site`, a request without
/// `Origin` comes from a non-browser client and passes; one with `Origin` passes when the origin's host and port
/// are the `Host` header's (case-insensitively) or the origin is trusted.
enum CrossOriginProtection {
    /// Why the request is refused, or `nil` when it may proceed (Tornado's `_check_cross_origin`).
    ///
    /// - Parameters:
    ///   - secFetchSite: the `Sec-Fetch-Site` header, if any.
    ///   - origin: the `Origin` header, if any.
    ///   - host: the `Host` header (empty if none).
    ///   - isTrusted: the handler's ``RequestHandler/checkTrustedOrigin(_:)``, called only for requests that look
    ///     cross-origin.
    static func refusal(
        secFetchSite: String?,
        origin: String?,
        host: String,
        isTrusted: (String) -> Bool
    ) -> String? {
        guard let secFetchSite else {
            // No Sec-Fetch-Site: an old browser, plain HTTP, or not a browser. Browsers send Origin.
            guard let origin else { return nil }
            guard let matches = originMatchesHost(origin, host: host) else {
                // Tornado's urlsplit raises here (a 500); refusing is the safe equivalent.
                return "Origin \(PythonCodec.repr(origin)) not allowed: not a valid URL"
            }
            if matches || isTrusted(origin) { return nil }
            return "Origin \(PythonCodec.repr(origin)) not allowed"
        }
        if same(secFetchSite, "same-origin") || same(secFetchSite, "none") { return nil }
        if let origin, !origin.isEmpty, isTrusted(origin) { return nil }
        return "Sec-Fetch-Site \(secFetchSite) & origin \(origin.map(PythonCodec.repr) ?? "None") not allowed"
    }

    /// Whether the origin's network location is the `Host` header, compared case-insensitively (scheme is not
    /// compared, as in Tornado: this is the fallback for requests without `Sec-Fetch-Site`); `nil` for an origin
    /// Python's `urlsplit` rejects.
    static func originMatchesHost(_ origin: String, host: String) -> Bool? {
        guard let netloc = PythonCodec.urlSplit(origin)?.netloc else { return nil }
        return same(netloc.lowercased(), host.lowercased())
    }

    /// Exact comparison of the characters, as Python compares strings (Swift's `==` would equate canonically
    /// equivalent spellings).
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.elementsEqual(rhs.unicodeScalars)
    }
}

extension RequestHandler {
    /// The checks Tornado runs before ``prepare()`` on requests that can change state (Tornado's
    /// `_cross_origin_protection`): none for GET, HEAD and OPTIONS; otherwise ``checkXSRFCookie()`` when
    /// ``Settings/xsrfCookies`` is on, then the cross-origin check when ``Settings/crossOriginProtection`` is on,
    /// which refuses with 403.
    func crossOriginProtection() throws {
        switch request.method {
        case "GET", "HEAD", "OPTIONS": return
        default: break
        }
        if settings.xsrfCookies { try checkXSRFCookie() }
        guard settings.crossOriginProtection else { return }
        let refusal = CrossOriginProtection.refusal(
            secFetchSite: request.headers["Sec-Fetch-Site"],
            origin: request.headers["Origin"],
            host: request.headers["Host"] ?? "",
            isTrusted: checkTrustedOrigin
        )
        if let refusal { throw HTTPError(403, logMessage: refusal) }
    }

    /// The default ``checkTrustedOrigin(_:)``: whether `origin` is exactly one of ``Settings/trustedOrigins``.
    func isTrustedOrigin(_ origin: String) -> Bool {
        settings.trustedOrigins.contains { CrossOriginProtection.same($0, origin) }
    }
}
