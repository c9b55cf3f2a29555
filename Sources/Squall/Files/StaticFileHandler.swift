import Crypto
public import FoundationEssentials
import Logging
public import NIOCore
import SquallHTTP
import SquallIO
import Synchronization

/// Serves the files of a directory (Tornado's `StaticFileHandler`).
///
/// Setting ``Settings/staticPath`` installs it for ``Settings/staticURLPrefix``, `/favicon.ico` and
/// `/robots.txt`; to serve another directory, route to it with a capture group for the file's path and the
/// directory as the `path` argument:
///
/// ```swift
/// try url("/content/(.*)", StaticFileHandler.self, arguments: ["path": "/var/www"])
/// ```
///
/// Route arguments: `path` (the root directory, required), `defaultFilename` (served for a directory, such as
/// `"index.html"`; without it directories get 403) and `allowedSymlinkDirectory` (a directory or list of
/// directories that symlinks may lead into; by default only the root).
///
/// As Tornado's:
/// - a path that leads outside the root, as written (`..`, `%2e%2e`, an absolute path) or through a symlink,
///   gets 403; a missing file 404; anything but a regular file (a directory, a device, a FIFO) 403;
/// - responses carry `Etag` (the file's version, see ``getContentVersion(_:)``), `Last-Modified`,
///   `Accept-Ranges: bytes` and a `Content-Type` from the file's extension; `If-None-Match` and
///   `If-Modified-Since` get 304;
/// - a single `Range` gets 206 with `Content-Range` (or 416 when unsatisfiable); several ranges are ignored;
/// - requests with a `v` argument (URLs from ``RequestHandler/staticURL(_:includeHost:includeVersion:)``) may be
///   cached for ten years;
/// - the file is sent in chunks of ``chunkSize``, read on the thread pool and flushed one at a time, so memory
///   stays bounded whatever the file's size.
///
/// Subclasses customise it by overriding the `open` methods: URLs (``makeStaticURL(settings:path:includeVersion:)``,
/// ``parseURLPath(_:)``, ``getCacheTime(path:modified:mimeType:)``, ``getVersion(settings:path:)``) or where
/// content comes from (``getContent(_:start:end:)``, ``getContentVersion(_:)``, ``getContentSize()``,
/// ``getModifiedTime()``, ``getAbsolutePath(root:path:)``, ``validateAbsolutePath(root:absolutePath:)``).
open class StaticFileHandler: RequestHandler, @unchecked Sendable {
    /// How long versioned requests may be cached: ten years, in seconds (Tornado's `CACHE_MAX_AGE`).
    public static let cacheMaxAge = 86400 * 365 * 10
    /// The size of the pieces a file is read and sent in (64 KiB, as Tornado's `get_content`).
    public static let chunkSize = 64 * 1024
    /// The largest content ``getContentVersion(_:)`` hashes (64 MiB); larger files get no version, since the
    /// hash is computed synchronously (Tornado's `MAX_VERSION_CONTENT_SIZE`).
    open class var maxVersionContentSize: Int { 64 * 1024 * 1024 }
    /// How many versions the process-wide cache keeps, dropping the least recently used beyond that (Tornado's
    /// `MAX_CACHED_VERSIONS`).
    open class var maxCachedVersions: Int { 10_000 }

    /// The directory served (route argument `path`).
    public var root = ""
    /// The file served for a directory (route argument `defaultFilename`).
    public var defaultFilename: String?
    /// The directories symlinks may lead into (route argument `allowedSymlinkDirectory`); `nil` means the root.
    public var allowedSymlinkDirectories: [String]?
    /// The requested path relative to the root, from ``parseURLPath(_:)``.
    public internal(set) var path = ""
    /// The file being served, once ``validateAbsolutePath(root:absolutePath:)`` accepted it.
    public internal(set) var absolutePath: String?
    /// The file's modification time, from ``getModifiedTime()``.
    public internal(set) var modified: Date?
    /// The `stat` of the validated file, shared by size and modification time so both describe that file.
    var fileStatus: FileStatus?

    static let log = Logger(label: "squall.general")

    /// Takes the route arguments `path`, `defaultFilename` and `allowedSymlinkDirectory` (a `String` or
    /// `[String]`).
    open override func initialize(_ arguments: HandlerArguments) {
        root = arguments["path"] as? String ?? ""
        defaultFilename = arguments["defaultFilename"] as? String
        if let directory = arguments["allowedSymlinkDirectory"] as? String {
            allowedSymlinkDirectories = [directory]
        } else if let directories = arguments["allowedSymlinkDirectory"] as? [String] {
            allowedSymlinkDirectories = directories
        }
    }

    /// Serves the file named by the route's first group.
    open override func get() async throws {
        try await serve(includeBody: true)
    }

    /// Answers as ``get()`` does, without the body.
    open override func head() async throws {
        try await serve(includeBody: false)
    }

    /// The file's version in quotes, so a 304 answers any request for the same content and a range response
    /// carries the whole file's etag (Tornado's `StaticFileHandler.compute_etag`).
    open override func computeEtag() -> String? {
        guard let absolutePath, let version = Self.cachedVersion(absolutePath) else { return nil }
        return "\"\(version)\""
    }

    // MARK: - Serving

    private func serve(includeBody: Bool) async throws {
        guard !root.isEmpty else {
            throw HTTPError(500, logMessage: "\(Self.self) needs the directory to serve as route argument \"path\"")
        }
        path = parseURLPath(pathArgs.first.flatMap { $0 } ?? pathKwargs["path"].flatMap { $0 } ?? "")
        guard !path.utf8.contains(0) else {
            // No file name holds NUL, and a C string would end there and name another file.
            throw HTTPError(404, logMessage: "NUL in static path \(String(reflecting: path))")
        }
        let requested = try Self.getAbsolutePath(root: root, path: path)
        guard let validated = try await validateAbsolutePath(root: root, absolutePath: requested) else { return }
        absolutePath = validated
        modified = getModifiedTime()
        if !Self.hasCachedVersion(validated) {
            // The etag needs the file's hash: compute it on the thread pool, not the loop (Tornado hashes on the
            // loop).
            let type = Self.self
            _ = try? await IOLoop.current.runInExecutor { type.cachedVersion(validated) }
        }
        try setHeaders()
        if shouldReturn304() {
            setStatus(304)
            return
        }
        let size = getContentSize()
        var start: Int?
        var end: Int?
        if let header = request.headers["Range"], !header.isEmpty, let range = Self.parseRequestRange(header) {
            (start, end) = range
            if let first = start, first < 0 { start = max(first + size, 0) }
            if let first = start, first >= size || end.map({ first >= $0 }) == true {
                return try unsatisfiable(size)
            }
            if end == 0 { return try unsatisfiable(size) }
            // Clients often ask for a large range to cap their download: cut it at the end of the file.
            if let last = end, last > size { end = size }
            // Only answer 206 for less than the whole file: Chrome refuses to play audio given a 206 for `0-`.
            if size != (end ?? size) - (start ?? 0) {
                setStatus(206)
                try setHeader("Content-Range", Self.contentRange(start: start, end: end, size: size))
            }
        }
        let contentLength =
            switch (start, end) {
            case (let first?, let last?): last - first
            case (nil, let last?): last
            case (let first?, nil): size - first
            case (nil, nil): size
            }
        try setHeader("Content-Length", String(contentLength))
        guard includeBody, contentLength > 0 else { return }
        var remaining = contentLength
        do {
            for try await var chunk in Self.getContent(validated, start: start, end: end) {
                // Never send more than Content-Length promised, even if the file grew meanwhile.
                if chunk.readableBytes > remaining { chunk.moveWriterIndex(to: chunk.readerIndex + remaining) }
                remaining -= chunk.readableBytes
                write(chunk)
                try await flush()
                if remaining == 0 { break }
            }
        } catch is StreamClosedError {
            return
        }
        if remaining > 0 {
            throw HTTPError(500, logMessage: "\(validated) shrank while being served")
        }
    }

    private func unsatisfiable(_ size: Int) throws {
        setStatus(416)
        try setHeader("Content-Type", "text/plain")
        try setHeader("Content-Range", "bytes */\(size)")
    }

    /// Sets `Accept-Ranges`, `Etag`, `Last-Modified`, `Content-Type` and, for cacheable responses, `Expires`
    /// and `Cache-Control`, then calls ``setExtraHeaders(path:)`` (Tornado's `set_headers`).
    ///
    /// - Throws: ``HTTPError`` (500) for a header value with CR, LF or NUL.
    open func setHeaders() throws {
        try setHeader("Accept-Ranges", "bytes")
        try setEtagHeader()
        if let modified { try setHeader("Last-Modified", formatTimestamp(modified.timeIntervalSince1970)) }
        let contentType = getContentType()
        if !contentType.isEmpty { try setHeader("Content-Type", contentType) }
        let cacheTime = getCacheTime(path: path, modified: modified, mimeType: contentType)
        if cacheTime > 0 {
            try setHeader("Expires", formatTimestamp(Date().timeIntervalSince1970 + Double(cacheTime)))
            try setHeader("Cache-Control", "max-age=\(cacheTime)")
        }
        try setExtraHeaders(path: path)
    }

    /// Whether the request's conditional headers say the client's copy is current (Tornado's
    /// `should_return_304`): `If-None-Match` when present (see ``checkEtagHeader()``), otherwise
    /// `If-Modified-Since` at or after ``modified``. An unparsable date is ignored.
    open func shouldReturn304() -> Bool {
        if let tags = request.headers["If-None-Match"], !tags.isEmpty { return checkEtagHeader() }
        guard let header = request.headers["If-Modified-Since"], let modified,
            let since = Self.parseEmailDate(header)
        else { return false }
        return since >= Int64(modified.timeIntervalSince1970)
    }

    // MARK: - Paths

    /// The absolute location of `path` under `root` (Tornado's `get_absolute_path`): joined as
    /// `os.path.join` does (so an absolute `path` stands alone) and normalized.
    ///
    /// - Throws: ``HTTPError`` (403) if the result, as written, is outside `root`; symlinks are checked later by
    ///   ``validateAbsolutePath(root:absolutePath:)``. This check also keeps ``getVersion(settings:path:)``
    ///   from reading files outside the static directory.
    open class func getAbsolutePath(root: String, path: String) throws -> String {
        let absolute = PosixPath.absolute(PosixPath.join(root, path))
        _ = try checkInRoot(root, absolute, path: path)
        return absolute
    }

    /// Checks and returns the file to serve, or `nil` after answering the request itself (Tornado's
    /// `validate_absolute_path`).
    ///
    /// The path must be inside `root` as written and once its symlinks are resolved (inside
    /// ``allowedSymlinkDirectories``); a directory is served through ``defaultFilename`` (redirecting to the
    /// path with a trailing slash first), and what is served must be a regular file. The result is the resolved
    /// path. This is where missing files become 404.
    /// - Throws: ``HTTPError`` 403 or 404.
    open func validateAbsolutePath(root: String, absolutePath: String) async throws -> String? {
        let normalizedRoot = try Self.checkInRoot(root, absolutePath, path: path)
        let allowed =
            if let directories = allowedSymlinkDirectories, !directories.isEmpty { directories } else {
                [normalizedRoot]
            }
        var resolved = try Self.resolveSymlinks(absolutePath, allowedDirectories: allowed, path: path)
        if let defaultFilename, FileSystem.status(resolved)?.isDirectory == true {
            // The request's own path: a prefix the route stripped may be all there is before the file's path.
            if request.path.utf8.last != UInt8(ascii: "/") {
                if Self.isProtocolRelative(request.path) {
                    // `//host/` in a Location header would send the browser to another site.
                    throw HTTPError(403, logMessage: "cannot redirect path with two initial slashes")
                }
                try await redirect(request.path + "/", permanent: true)
                return nil
            }
            // The default file may itself be a symlink out of bounds, even when its directory is not.
            resolved = try Self.resolveSymlinks(
                PosixPath.join(resolved, defaultFilename),
                allowedDirectories: allowed,
                path: path
            )
        }
        guard let status = FileSystem.status(resolved) else { throw HTTPError(404) }
        guard status.isRegularFile else { throw HTTPError(403, logMessage: "\(path) is not a file") }
        fileStatus = status
        return resolved
    }

    /// Converts the path from the URL into a path relative to the root (Tornado's `parse_url_path`, the inverse
    /// of ``makeStaticURL(settings:path:includeVersion:)``); the default returns it unchanged.
    open func parseURLPath(_ urlPath: String) -> String {
        urlPath
    }

    /// Tornado's `_check_in_root`: the root as an absolute path ending in `/`, if `absolutePath` is inside it.
    static func checkInRoot(_ root: String, _ absolutePath: String, path: String) throws -> String {
        var directory = PosixPath.absolute(root)
        // A root of "/" keeps its slash; people use it to do their own validation in getAbsolutePath.
        if directory.utf8.last != UInt8(ascii: "/") { directory += "/" }
        guard PosixPath.isWithin(absolutePath, directory: directory) else {
            throw HTTPError(403, logMessage: "\(path) is not in root static directory")
        }
        return directory
    }

    /// Tornado's `_resolve_symlink_target`: `absolutePath` with its symlinks resolved, if that is inside one
    /// of `allowedDirectories` (themselves resolved, since the root may be reached through a symlink).
    static func resolveSymlinks(_ absolutePath: String, allowedDirectories: [String], path: String) throws -> String {
        let resolved = PosixPath.resolve(absolutePath)
        for directory in allowedDirectories {
            var allowed = PosixPath.resolve(directory)
            if allowed.utf8.last != UInt8(ascii: "/") { allowed += "/" }
            if PosixPath.isWithin(resolved, directory: allowed) { return resolved }
        }
        // The same message as for a path outside the root: nobody learns which way the path left it.
        throw HTTPError(403, logMessage: "\(path) is not in root static directory")
    }

    /// Tornado's `_is_protocol_relative`: whether a browser would read `url` as `//host/...` (after dropping
    /// surrounding control characters and spaces, tabs and newlines, and reading `\` as `/`).
    static func isProtocolRelative(_ url: String) -> Bool {
        var scalars = Array(url.unicodeScalars)[...]
        while let first = scalars.first, first.value < 0x21 { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.value < 0x21 { scalars = scalars.dropLast() }
        let cleaned = scalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.prefix(2)
        return cleaned.count == 2 && cleaned.allSatisfy { $0 == "/" || $0 == "\\" }
    }

    // MARK: - Content

    /// The bytes of the file at `absolutePath` from `start` to `end` (exclusive; `nil` for the start and end of
    /// the file), as a sequence of chunks (Tornado's `get_content`).
    ///
    /// The default reads the file in ``chunkSize`` pieces on the thread pool as they are consumed. Override it
    /// (with ``getContentVersion(_:)``, ``getContentSize()`` and ``getModifiedTime()``) to serve content from
    /// elsewhere, such as a database.
    open class func getContent(_ absolutePath: String, start: Int?, end: Int?) -> any AsyncSequence<
        ByteBuffer, any Error
    > {
        FileChunks(path: absolutePath, start: start ?? 0, end: end, chunkSize: chunkSize)
    }

    /// The version of the content at `absolutePath`: the hexadecimal SHA-512 digest of the file, as Tornado's
    /// `get_content_version`, so the same file gets the same `?v=` and etag from both.
    ///
    /// Runs synchronously (``RequestHandler/staticURL(_:includeHost:includeVersion:)`` needs an answer at once);
    /// results are cached for the process. Unlike Tornado's, it reads the file itself rather than through
    /// ``getContent(_:start:end:)``, so a subclass serving content from elsewhere overrides both.
    /// - Throws: ``HTTPError`` 404/403 if the path is missing or not a regular file; an error for content larger
    ///   than ``maxVersionContentSize`` or that cannot be read.
    open class func getContentVersion(_ absolutePath: String) throws -> String {
        guard !absolutePath.utf8.contains(0), let status = FileSystem.status(absolutePath) else {
            throw HTTPError(404)
        }
        guard status.isRegularFile else { throw HTTPError(403, logMessage: "\(absolutePath) is not a file") }
        let descriptor = try FileSystem.openRegularFile(absolutePath)
        defer { FileSystem.close(descriptor) }
        var hasher = SHA512()
        var offset = 0
        while true {
            let chunk = try FileSystem.read(descriptor, at: offset, count: chunkSize, path: absolutePath)
            if chunk.readableBytes == 0 { break }
            offset += chunk.readableBytes
            guard offset <= maxVersionContentSize else {
                throw HTTPError(
                    500,
                    logMessage: "content is larger than maxVersionContentSize (\(maxVersionContentSize) bytes)"
                )
            }
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        return lowercaseHex(hasher.finalize())
    }

    /// The size of the content in bytes (Tornado's `get_content_size`).
    open func getContentSize() -> Int {
        currentStatus()?.size ?? 0
    }

    /// When the content last changed, in whole seconds (Tornado's `get_modified_time`); `nil` sends no
    /// `Last-Modified`.
    open func getModifiedTime() -> Date? {
        currentStatus().map { Date(timeIntervalSince1970: Double($0.modified)) }
    }

    private func currentStatus() -> FileStatus? {
        // validateAbsolutePath fills this; a subclass that replaces it without calling it gets a fresh stat.
        if fileStatus == nil, let absolutePath { fileStatus = FileSystem.status(absolutePath) }
        return fileStatus
    }

    /// The `Content-Type` for the file, from its extension (Tornado's `get_content_type`): gzip-compressed files
    /// (`.gz`, `.tgz`) are `application/gzip`, other compressed ones and unknown types
    /// `application/octet-stream`. No charset is added, as in Tornado.
    open func getContentType() -> String {
        guard let absolutePath else { return "application/octet-stream" }
        let guess = MimeTypes.guess(absolutePath)
        switch guess.encoding {
        case "gzip": return "application/gzip"
        case .some: return "application/octet-stream"
        case nil: return guess.type ?? "application/octet-stream"
        }
    }

    /// Adds headers of a subclass's own to every file response; the default adds none.
    open func setExtraHeaders(path: String) throws {}

    /// How many seconds the response may be cached, or 0 to leave it to the client (Tornado's
    /// `get_cache_time`); the default is ``cacheMaxAge`` for requests with a `v` argument (versioned URLs).
    open func getCacheTime(path: String, modified: Date?, mimeType: String) -> Int {
        request.arguments["v"] != nil ? Self.cacheMaxAge : 0
    }

    // MARK: - URLs and versions

    /// The URL for static file `path` (Tornado's `make_static_url`): ``Settings/staticURLPrefix`` and the path,
    /// plus `?v=` and the file's version (see ``getVersion(settings:path:)``) when `includeVersion` is true and
    /// the version is known.
    ///
    /// - Throws: ``HTTPError`` (403) for a path outside the static directory, (500) without
    ///   ``Settings/staticPath``.
    open class func makeStaticURL(settings: Settings, path: String, includeVersion: Bool = true) throws -> String {
        let url = settings.staticURLPrefix + path
        guard includeVersion, let version = try getVersion(settings: settings, path: path) else { return url }
        return "\(url)?v=\(version)"
    }

    /// The version string for static file `path`, or `nil` if there is none (Tornado's `get_version`): the
    /// cached ``getContentVersion(_:)`` of the file.
    ///
    /// - Throws: ``HTTPError`` (403) for a path outside the static directory, (500) without
    ///   ``Settings/staticPath``.
    open class func getVersion(settings: Settings, path: String) throws -> String? {
        guard let staticPath = settings.staticPath else {
            throw HTTPError(500, logMessage: "static URLs need the staticPath setting")
        }
        return cachedVersion(try getAbsolutePath(root: staticPath, path: path))
    }

    /// Empties the process-wide cache of versions (Tornado's `reset`), so changed files get new versions.
    open class func reset() {
        versions.withLock { $0 = VersionCache() }
    }

    /// The versions of files by absolute path, least recently used dropped first.
    struct VersionCache {
        var entries: [String: (version: String?, lastUse: UInt64)] = [:]
        var clock: UInt64 = 0
    }

    static let versions = Mutex(VersionCache())

    static func hasCachedVersion(_ absolutePath: String) -> Bool {
        versions.withLock { $0.entries[absolutePath] != nil }
    }

    /// Tornado's `_get_cached_version`: the cached version of `absolutePath`, computed on a miss (a file that
    /// cannot be read is logged and cached as having none).
    class func cachedVersion(_ absolutePath: String) -> String? {
        let hit = versions.withLock { cache -> String?? in
            guard let entry = cache.entries[absolutePath] else { return .none }
            cache.clock += 1
            cache.entries[absolutePath] = (entry.version, cache.clock)
            return .some(entry.version)
        }
        if let hit { return hit }
        var version: String?
        do {
            version = try getContentVersion(absolutePath)
        } catch {
            log.error("Could not open static file \(String(reflecting: absolutePath)): \(error)")
        }
        if version?.isEmpty == true { version = nil }
        let limit = maxCachedVersions
        versions.withLock { cache in
            while !cache.entries.isEmpty && cache.entries.count >= limit {
                guard let oldest = cache.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key else { break }
                cache.entries[oldest] = nil
            }
            cache.clock += 1
            cache.entries[absolutePath] = (version, cache.clock)
        }
        return version
    }
}
