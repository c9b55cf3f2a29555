import SquallHTTP

extension RequestHandler {
    /// The logged-in user, or `nil` (Tornado's `current_user`).
    ///
    /// The first read calls ``getCurrentUser()`` and the result is kept for the rest of the request, so the
    /// override runs at most once. To load the user asynchronously, do it in ``prepare()`` and store it with
    /// ``setCurrentUser(_:)`` (as Tornado suggests setting `current_user` in `prepare`).
    /// - Throws: what ``getCurrentUser()`` throws (the user is then not cached).
    public var currentUser: (any Sendable)? {
        get throws {
            if currentUserLoaded { return loadedCurrentUser }
            let user = try getCurrentUser()
            setCurrentUser(user)
            return user
        }
    }

    /// Sets ``currentUser`` for the rest of the request, without calling ``getCurrentUser()``.
    public func setCurrentUser(_ user: (any Sendable)?) {
        loadedCurrentUser = user
        currentUserLoaded = true
    }

    /// Requires a logged-in user (Tornado's `@authenticated`): call it first in a method,
    /// `try await authenticated()`.
    ///
    /// Without a ``currentUser``, a GET or HEAD is redirected to ``getLoginURL()`` with a `next` argument holding
    /// the request's URI (its full URL when the login URL is absolute; nothing is added when the login URL already
    /// has a query) and the method is ended by a thrown error that Squall ignores because the response is complete
    /// (do not catch it); any other method is refused with 403.
    /// - Throws: ``HTTPError`` (403) for other methods; ``HTTPError`` (500) without a usable login URL; the
    ///   redirect's end-of-method error.
    public func authenticated() async throws {
        guard try currentUser == nil else { return }
        guard request.method == "GET" || request.method == "HEAD" else { throw HTTPError(403) }
        try await redirect(try Self.loginRedirectURL(loginURL: try getLoginURL(), request: request))
        throw LoginRedirected()
    }

    /// The default ``getLoginURL()``: ``Settings/loginURL``, or a 500 naming the missing setting.
    func settingsLoginURL() throws -> String {
        guard let url = settings.loginURL, !url.isEmpty else {
            throw HTTPError(
                500,
                logMessage: "You must define the loginURL setting in your application to use authenticated()"
            )
        }
        return url
    }

    /// Where `@authenticated` sends a user who is not logged in: `loginURL` plus `?next=` and the request's URI,
    /// or its full URL when `loginURL` has a scheme; `loginURL` unchanged when it already has a `?`.
    ///
    /// - Throws: ``HTTPError`` (500) for a login URL Python cannot split (unbalanced brackets), as Tornado fails.
    static func loginRedirectURL(loginURL: String, request: HTTPServerRequest) throws -> String {
        guard !loginURL.unicodeScalars.contains("?") else { return loginURL }
        guard let split = PythonCodec.urlSplit(loginURL) else {
            throw HTTPError(500, logMessage: "Invalid login URL \(PythonCodec.repr(loginURL))")
        }
        let next = split.scheme.isEmpty ? request.uri : request.fullURL
        return loginURL + "?next=" + PercentEncoding.quotePlus(next)
    }
}

/// Thrown by ``RequestHandler/authenticated()`` after redirecting to the login page, to end the handler's method;
/// the request is already finished, so nothing else is sent.
struct LoginRedirected: Error {}
