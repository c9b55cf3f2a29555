import SquallHTTP

/// Answers every request with an error status (Tornado's `ErrorHandler`); route argument `statusCode`
/// (default 404).
public final class ErrorHandler: RequestHandler, @unchecked Sendable {
    private var statusCode404 = 404

    public override func initialize(_ arguments: HandlerArguments) {
        if let status = arguments["statusCode"] as? Int { statusCode404 = status }
    }

    public override func prepare() async throws {
        throw HTTPError(statusCode404)
    }

    /// Not checked: a POST to an error page has no effect, so it gets its error status rather than a 403.
    public override func checkXSRFCookie() throws {}

    /// Every origin is trusted: a cross-origin POST to an error page gets its error status rather than a 403.
    public override func checkTrustedOrigin(_ origin: String) -> Bool { true }
}

/// Redirects every request to a URL (Tornado's `RedirectHandler`).
///
/// Route arguments: `url` (required; `{0}`, `{1}`... are replaced by the route's positional groups and
/// `{name}` by named ones) and `permanent` (default `true`). Substituted groups are percent-encoded where they
/// could change the target's scheme or host, so a pattern group can never send the client elsewhere.
public final class RedirectHandler: RequestHandler, @unchecked Sendable {
    private var target = ""
    private var permanent = true

    public override func initialize(_ arguments: HandlerArguments) {
        target = arguments["url"] as? String ?? ""
        permanent = arguments["permanent"] as? Bool ?? true
    }

    public override func get() async throws {
        var url = target
        for (index, value) in pathArgs.enumerated() {
            url = url.replacing("{\(index)}", with: Self.safe(value ?? ""))
        }
        for (name, value) in pathKwargs {
            url = url.replacing("{\(name)}", with: Self.safe(value ?? ""))
        }
        if !request.query.isEmpty { url += (url.contains("?") ? "&" : "?") + request.query }
        try await redirect(url, permanent: permanent)
    }

    /// Escapes the characters that could turn a substituted group into a new scheme, host or line.
    static func safe(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "/", "\\", ":", "@", "?", "#", "%", "\r", "\n", " ":
                out += "%" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
