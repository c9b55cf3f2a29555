extension RequestHandler {
    /// The URL of static file `path`, versioned so browsers can cache it for good (Tornado's `static_url`).
    ///
    /// `staticURL("css/a.css")` is `/static/css/a.css?v=` followed by the file's version (the hexadecimal SHA-512
    /// of its content, as Tornado's, so both give the same URL), from ``Settings/staticHandlerClass``'s
    /// ``StaticFileHandler/makeStaticURL(settings:path:includeVersion:)``. Requests carrying a `v` argument are
    /// answered with ten-year cache headers. Versions are cached for the whole process (see
    /// ``Settings/staticHashCache``); the first call for a file reads it, on the calling thread as in Tornado.
    ///
    /// `path` should name one of the application's static files, typically a literal in a template; do not
    /// build it from request input: each distinct path is read and takes a cache entry.
    /// - Parameters:
    ///   - path: the file's path relative to ``Settings/staticPath``.
    ///   - includeHost: prefix the request's scheme and host (`http://example.com/static/...`); default false.
    ///   - includeVersion: add `?v=` and the version; default true.
    /// - Throws: ``HTTPError`` (500) without ``Settings/staticPath``, (403) for a path leading outside it.
    public func staticURL(_ path: String, includeHost: Bool? = nil, includeVersion: Bool = true) throws -> String {
        guard settings.staticPath != nil else {
            throw HTTPError(
                500,
                logMessage: "You must define the staticPath setting in your application to use staticURL"
            )
        }
        let base = includeHost == true ? request.protocol + "://" + request.host : ""
        return try base
            + settings.staticHandlerClass.makeStaticURL(settings: settings, path: path, includeVersion: includeVersion)
    }
}
