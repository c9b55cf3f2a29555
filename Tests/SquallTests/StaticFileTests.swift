import Foundation
import Squall
import SquallTesting
import Synchronization
import Testing

@testable import Squall

/// A temporary tree of static files, with a directory outside the root and symlinks between them.
struct StaticTree {
    static let robots = "User-agent: *\nDisallow: /\n"
    /// SHA-512 of ``robots``: Tornado's `StaticFileTest.robots_txt_hash`, for the same file.
    static let robotsVersion =
        "63a36e950e134b5217e33c763e88840c10a07d80e6057d92b9ac97508de7fb1f"
        + "a6f0e9b7531e169657165ea764e8963399cb6d921ffe6078425aaafe54c04563"
    /// Over 4 MiB, and not a multiple of the chunk size.
    static let bigSize = 4 * 1024 * 1024 + 512 * 1024 + 123

    let base: String
    var root: String { base + "/static" }
    var outside: String { base + "/outside" }

    init() throws {
        let manager = FileManager.default
        base = manager.temporaryDirectory.path + "/squall-static-" + UUID().uuidString
        for directory in ["static/css", "static/dir", "static/empty-dir", "outside/realdir"] {
            try manager.createDirectory(atPath: base + "/" + directory, withIntermediateDirectories: true)
        }
        let files: [String: String] = [
            "static/robots.txt": Self.robots,
            "static/index.html": "root index",
            "static/css/a.css": "body { color: red }\n",
            "static/dir/index.html": "this is the index\n",
            "static/sample.xml": "<a/>",
            "static/sample.xml.gz": "gz",
            "static/sample.xml.bz2": "bz2",
            "static/archive.tgz": "tgz",
            "static/PAGE.HTML": "<p>",
            "static/app.js": "1;",
            "static/data.unknownext": "?",
            "static/empty.txt": "",
            "outside/secret.txt": "secret",
            "static_foo.txt": "This file should not be served by StaticFileHandler",
        ]
        for (path, text) in files { try write(text, to: path) }
        try Data(Self.big).write(to: URL(fileURLWithPath: root + "/big.bin"))
        let links = [
            "static/link.txt": outside + "/secret.txt",
            "static/linkdir": outside,
            "static/link_exists": outside + "/realdir",
            "static/link_missing": outside + "/nope",
            "static/internal.txt": root + "/css/a.css",
            "link-to-static": root,
        ]
        for (link, target) in links {
            try manager.createSymbolicLink(atPath: base + "/" + link, withDestinationPath: target)
        }
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: base + "/" + path))
    }

    func modificationTime(_ path: String) throws -> Double {
        let attributes = try FileManager.default.attributesOfItem(atPath: base + "/" + path)
        let date = try #require(attributes[.modificationDate] as? Date)
        return date.timeIntervalSince1970.rounded(.down)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: base)
    }

    /// The content of `big.bin`: bytes counting 0 to 250, over and over (a period that no chunk size divides).
    static let big: [UInt8] = {
        let period = (0..<251).map { UInt8($0) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(bigSize + period.count)
        while bytes.count < bigSize { bytes += period }
        return Array(bytes.prefix(bigSize))
    }()
}

/// Runs `body` with a fresh ``StaticTree``, removing it afterwards.
func withStaticTree<T>(_ body: (StaticTree) async throws -> T) async throws -> T {
    let tree = try StaticTree()
    defer { tree.remove() }
    return try await body(tree)
}

/// Writes static URLs, for the staticURL tests.
final class StaticURLHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        let path = pathArgs.first.flatMap { $0 } ?? ""
        let includeVersion = try getArgument("includeVersion", default: "1") == "1"
        let includeHost = try getArgument("includeHost", default: nil).map { $0 == "1" }
        write(try staticURL(path, includeHost: includeHost, includeVersion: includeVersion))
    }
}

/// Records the size of every chunk sent, to show large files go out in bounded pieces.
final class ChunkSizeRecorder: OutputTransform {
    static let sizes = Mutex<[Int]>([])

    init(request: HTTPServerRequest) {}

    func transformFirstChunk(status: inout Int, headers: inout HTTPHeaders, chunk: inout ByteBuffer, finishing: Bool) {
        Self.sizes.withLock { $0.append(chunk.readableBytes) }
    }

    func transformChunk(_ chunk: inout ByteBuffer, finishing: Bool) {
        Self.sizes.withLock { $0.append(chunk.readableBytes) }
    }
}

/// A subclass customising headers, cache time and URLs through the overridable methods.
final class CustomStaticFileHandler: StaticFileHandler, @unchecked Sendable {
    override func setExtraHeaders(path: String) throws { try setHeader("X-Static", path) }
    override func getCacheTime(path: String, modified: Date?, mimeType: String) -> Int {
        mimeType == "text/css" ? 60 : 0
    }
    override class func makeStaticURL(settings: Settings, path: String, includeVersion: Bool) throws -> String {
        "/assets/\(path)?custom=1"
    }
}

@Suite(.serialized) struct StaticFileTests {
    static func settings(_ tree: StaticTree, _ change: (inout Settings) -> Void = { _ in }) -> Settings {
        var settings = Settings()
        settings.staticPath = tree.root
        change(&settings)
        return settings
    }

    static func app(
        _ tree: StaticTree,
        rules: [Rule] = [],
        transforms: [any OutputTransform.Type]? = nil,
        _ change: (inout Settings) -> Void = { _ in }
    ) throws -> Application {
        Application(
            rules: rules + [try url("/static_url/(.*)", StaticURLHandler.self)],
            transforms: transforms,
            settings: settings(tree, change)
        )
    }

    @Test func filesAreServedWithTornadosHeaders() async throws {
        try await withStaticTree { tree in
            try await withTestServer(try Self.app(tree)) { server async throws in
                let response = try await server.fetch("/static/robots.txt")
                #expect(response.status == 200)
                #expect(response.text == StaticTree.robots)
                #expect(response.headers["Content-Type"] == "text/plain")
                #expect(response.headers["Content-Length"] == "26")
                #expect(response.headers["Etag"] == "\"\(StaticTree.robotsVersion)\"")
                #expect(response.headers["Accept-Ranges"] == "bytes")
                #expect(
                    response.headers["Last-Modified"] == formatTimestamp(try tree.modificationTime("static/robots.txt"))
                )
                #expect(response.headers["Cache-Control"] == nil)
                #expect(response.headers["Expires"] == nil)
                // Tornado also serves /robots.txt and /favicon.ico from the static directory.
                #expect(try await server.fetch("/robots.txt").text == StaticTree.robots)
                #expect(try await server.fetch("/favicon.ico").status == 404)
                let empty = try await server.fetch("/static/empty.txt")
                #expect(empty.status == 200)
                #expect(empty.headers["Content-Length"] == "0")
                #expect(try await server.fetch("/static/robots.txt", method: "POST", body: "").status == 405)
            }
        }
    }

    @Test func versionedRequestsMayBeCachedForTenYears() async throws {
        try await withStaticTree { tree in
            try await withTestServer(try Self.app(tree)) { server async throws in
                let before = Date().timeIntervalSince1970.rounded(.down)
                let response = try await server.fetch("/static/robots.txt?v=12345")
                let after = Date().timeIntervalSince1970.rounded(.up)
                #expect(response.headers["Cache-Control"] == "max-age=315360000")
                let expected = stride(from: before, through: after, by: 1).map {
                    formatTimestamp($0 + Double(StaticFileHandler.cacheMaxAge))
                }
                #expect(expected.contains(response.headers["Expires"] ?? ""))
            }
        }
    }

    @Test func contentTypesComeFromTheExtensionAsInTornado() async throws {
        let expected = [
            "robots.txt": "text/plain", "css/a.css": "text/css", "sample.xml": "text/xml",
            "sample.xml.gz": "application/gzip", "sample.xml.bz2": "application/octet-stream",
            "archive.tgz": "application/gzip", "PAGE.HTML": "text/html", "app.js": "text/javascript",
            "data.unknownext": "application/octet-stream", "big.bin": "application/octet-stream",
        ]
        try await withStaticTree { tree in
            try await withTestServer(try Self.app(tree)) { server async throws in
                for (path, type) in expected {
                    let response = try await server.fetch("/static/\(path)", method: "HEAD")
                    #expect(response.status == 200, "\(path)")
                    #expect(response.headers["Content-Type"] == type, "\(path)")
                }
            }
        }
    }

    @Test func staticURLIsTornadosVersionedURL() async throws {
        try await withStaticTree { tree in
            let app = try Self.app(tree)
            let versioned = "/static/robots.txt?v=\(StaticTree.robotsVersion)"
            #expect(try app.staticURL("robots.txt") == versioned)
            #expect(try app.staticURL("robots.txt", includeVersion: false) == "/static/robots.txt")
            // A file that cannot be read gets no version, as in Tornado.
            #expect(try app.staticURL("missing.css") == "/static/missing.css")
            #expect(throws: HTTPError.self) { try app.staticURL("../static_foo.txt") }
            #expect(throws: HTTPError.self) { try Application(rules: []).staticURL("robots.txt") }
            try await withTestServer(app) { server async throws in
                #expect(try await server.fetch("/static_url/robots.txt").text == versioned)
                #expect(try await server.fetch("/static_url/robots.txt?includeVersion=0").text == "/static/robots.txt")
                #expect(
                    try await server.fetch("/static_url/robots.txt?includeHost=1").text == "http://127.0.0.1"
                        + versioned
                )
                #expect(try await server.fetch("/static_url/..%2Fstatic_foo.txt").status == 403)
                // The URL's version and the file's etag are the same hash.
                let served = try await server.fetch(versioned)
                #expect(served.headers["Etag"] == "\"\(StaticTree.robotsVersion)\"")
                #expect(served.headers["Cache-Control"] == "max-age=315360000")
            }
        }
    }

    @Test func versionsAreCachedForTheProcessUntilReset() async throws {
        try await withStaticTree { tree in
            let app = try Self.app(tree)
            let first = try app.staticURL("css/a.css")
            try tree.write("body { color: blue }\n", to: "static/css/a.css")
            #expect(try app.staticURL("css/a.css") == first)
            StaticFileHandler.reset()
            let second = try app.staticURL("css/a.css")
            #expect(second != first)
            #expect(second.hasPrefix("/static/css/a.css?v="))

            // With staticHashCache off (the debug default) every request sees the file as it is now.
            let debugApp = try Self.app(tree) { $0.debug = true }
            try await withTestServer(debugApp) { server async throws in
                let before = try await server.fetch("/static/css/a.css").headers["Etag"]
                try tree.write("body { color: green }\n", to: "static/css/a.css")
                let after = try await server.fetch("/static/css/a.css").headers["Etag"]
                #expect(before != nil)
                #expect(before != after)
            }
        }
    }

    @Test func conditionalRequestsGet304AsInTornado() async throws {
        try await withStaticTree { tree in
            try await withTestServer(try Self.app(tree)) { server async throws in
                let path = "/static/robots.txt"
                let first = try await server.fetch(path)
                let etag = try #require(first.headers["Etag"])
                let lastModified = try #require(first.headers["Last-Modified"])
                let mtime = try tree.modificationTime("static/robots.txt")
                let cases: [([(String, String)], Int)] = [
                    ([("If-None-Match", etag)], 304),
                    ([("If-None-Match", "W/" + etag)], 304),
                    ([("If-Modified-Since", lastModified)], 304),
                    // If-None-Match wins over If-Modified-Since.
                    ([("If-None-Match", "\"MISMATCH\""), ("If-Modified-Since", lastModified)], 200),
                    ([("If-Modified-Since", "!nv@l!d")], 200),
                    ([("If-Modified-Since", "Fri, 01 Jan 1960 00:00:00 GMT")], 200),
                    ([("If-Modified-Since", formatTimestamp(mtime - 1))], 200),
                    ([("If-Modified-Since", formatTimestamp(mtime + 1))], 304),
                    ([("If-Modified-Since", Self.asctime(mtime + 1))], 304),
                    ([("Range", "bytes=1-4"), ("If-None-Match", etag)], 304),
                ]
                for (headers, status) in cases {
                    for method in ["GET", "HEAD"] {
                        let response = try await server.fetch(path, method: method, headers: headers)
                        #expect(response.status == status, "\(method) \(headers)")
                        if status == 304 {
                            #expect(response.headers["Content-Length"] == nil)
                            #expect(response.headers["Etag"] == etag)
                            #expect(response.body.readableBytes == 0)
                        }
                    }
                }
            }
        }
    }

    /// The asctime form of an HTTP date (`Sun Nov  6 08:49:37 1994`), built from the IMF-fixdate.
    static func asctime(_ seconds: Double) -> String {
        let parts = formatTimestamp(seconds).split(separator: " ")  // Sun, 06 Nov 1994 08:49:37 GMT
        let day = Int(parts[1]) ?? 0
        let paddedDay = day < 10 ? " \(day)" : "\(day)"
        return "\(parts[0].dropLast()) \(parts[2]) \(paddedDay) \(parts[4]) \(parts[3])"
    }

    @Test func rangesAreAnsweredAsInTornado() async throws {
        // (Range header, status, body, Content-Length, Content-Range)
        let cases: [(String, Int, String, String, String?)] = [
            ("bytes=0-9", 206, "User-agent", "10", "bytes 0-9/26"),
            ("bytes=0-", 200, StaticTree.robots, "26", nil),
            ("bytes=0-10000000", 200, StaticTree.robots, "26", nil),
            ("bytes=1-10000000", 206, String(StaticTree.robots.dropFirst()), "25", "bytes 1-25/26"),
            ("bytes=22-", 206, ": /\n", "4", "bytes 22-25/26"),
            ("bytes=-4", 206, ": /\n", "4", "bytes 22-25/26"),
            ("bytes=-1000000", 200, StaticTree.robots, "26", nil),
            ("asdf", 200, StaticTree.robots, "26", nil),
            ("bytes=", 200, StaticTree.robots, "26", nil),
            // Several ranges are ignored, as Tornado does.
            ("bytes=0-1,3-4", 200, StaticTree.robots, "26", nil),
            ("bytes=-0", 416, "", "0", "bytes */26"),
            ("bytes=26", 416, "", "0", "bytes */26"),
            ("bytes=26-", 416, "", "0", "bytes */26"),
            ("bytes=10-3", 416, "", "0", "bytes */26"),
        ]
        try await withStaticTree { tree in
            try await withTestServer(try Self.app(tree)) { server async throws in
                for (range, status, body, length, contentRange) in cases {
                    let get = try await server.fetch("/static/robots.txt", headers: [("Range", range)])
                    #expect(get.status == status, "\(range)")
                    #expect(get.text == body, "\(range)")
                    #expect(get.headers["Content-Length"] == length, "\(range)")
                    #expect(get.headers["Content-Range"] == contentRange, "\(range)")
                    #expect(get.headers["Etag"] == "\"\(StaticTree.robotsVersion)\"", "\(range)")
                    let head = try await server.fetch("/static/robots.txt", method: "HEAD", headers: [("Range", range)])
                    #expect(head.status == status, "HEAD \(range)")
                    #expect(head.body.readableBytes == 0, "HEAD \(range)")
                    for name in ["Content-Length", "Content-Range", "Content-Type"] {
                        #expect(head.headers[name] == get.headers[name], "HEAD \(range) \(name)")
                    }
                }
                let unsatisfiable = try await server.fetch("/static/robots.txt", headers: [("Range", "bytes=-0")])
                #expect(unsatisfiable.headers["Content-Type"] == "text/plain")
            }
        }
    }

    @Test func pathsLeavingTheRootAreRefused() async throws {
        try await withStaticTree { tree in
            try await withTestServer(try Self.app(tree)) { server async throws in
                let forbidden = [
                    "/static/../static_foo.txt",
                    "/static/%2e%2e/static_foo.txt",
                    "/static/%2E%2E%2Fstatic_foo.txt",
                    "/static/css/../../outside/secret.txt",
                    "/static/css/%2e%2e/%2e%2e/outside/secret.txt",
                    "/static//etc/passwd",
                    "/static/%2Fetc%2Fpasswd",
                    "/static/\(tree.outside.replacing("/", with: "%2F"))%2Fsecret.txt",
                    // Symlinks inside the root that lead out of it.
                    "/static/link.txt",
                    "/static/linkdir/secret.txt",
                    "/static/link_exists",
                    "/static/link_missing",
                    // Directories without a default file.
                    "/static/css",
                    "/static/css/",
                    "/static/",
                ]
                for path in forbidden {
                    let response = try await server.fetch(path)
                    #expect(response.status == 403, "\(path)")
                    #expect(!response.text.contains("secret"), "\(path)")
                    #expect(!response.text.contains("should not be served"), "\(path)")
                }
                for path in ["/static/missing.txt", "/static/robots.txt%00.png", "/static/linkdir/missing"] {
                    #expect(try await server.fetch(path).status == (path.contains("linkdir") ? 403 : 404), "\(path)")
                }
                // What stays inside the root is served, however it is spelled.
                #expect(try await server.fetch("/static/internal.txt").text == "body { color: red }\n")
                #expect(try await server.fetch("/static/./css/../robots.txt").text == StaticTree.robots)
                #expect(try await server.fetch("/static/%72obots.txt").text == StaticTree.robots)
                let absoluteInside = "/static/" + tree.root.replacing("/", with: "%2F") + "%2Frobots.txt"
                #expect(try await server.fetch(absoluteInside).text == StaticTree.robots)
            }
        }
    }

    @Test func directoriesServeTheDefaultFilename() async throws {
        try await withStaticTree { tree in
            let app = try Self.app(tree) { $0.staticHandlerArguments = ["defaultFilename": "index.html"] }
            try await withTestServer(app) { server async throws in
                #expect(try await server.fetch("/static/dir/").text == "this is the index\n")
                #expect(try await server.fetch("/static/").text == "root index")
                let redirect = try await server.fetch("/static/dir")
                #expect(redirect.status == 301)
                #expect(redirect.headers["Location"] == "/static/dir/")
                // A directory without the default file, and symlinks out of bounds whether or not their
                // targets exist: the same 403 either way, so nothing can be learnt about the outside.
                #expect(try await server.fetch("/static/empty-dir/").status == 404)
                #expect(try await server.fetch("/static/link_exists").status == 403)
                #expect(try await server.fetch("/static/link_missing").status == 403)
            }
        }
    }

    @Test func symlinksMayLeadIntoAllowedDirectories() async throws {
        try await withStaticTree { tree in
            let app = Application(rules: [
                try url(
                    "/permissive/(.*)",
                    StaticFileHandler.self,
                    arguments: ["path": tree.root, "allowedSymlinkDirectory": tree.base]
                ),
                try url(
                    "/list/(.*)",
                    StaticFileHandler.self,
                    arguments: ["path": tree.root, "allowedSymlinkDirectory": [tree.root, tree.outside]]
                ),
                try url(
                    "/linked-root/(.*)",
                    StaticFileHandler.self,
                    arguments: ["path": tree.base + "/link-to-static"]
                ),
                try url("/no-path/(.*)", StaticFileHandler.self),
            ])
            try await withTestServer(app) { server async throws in
                #expect(try await server.fetch("/permissive/link.txt").text == "secret")
                #expect(try await server.fetch("/permissive/linkdir/secret.txt").text == "secret")
                #expect(try await server.fetch("/list/link.txt").text == "secret")
                #expect(try await server.fetch("/list/robots.txt").text == StaticTree.robots)
                // Allowing symlinks never lets `..` through.
                #expect(try await server.fetch("/permissive/../static_foo.txt").status == 403)
                // A root reached through a symlink still serves its files.
                #expect(try await server.fetch("/linked-root/robots.txt").text == StaticTree.robots)
                #expect(try await server.fetch("/no-path/robots.txt").status == 500)
            }
        }
    }

    /// Tornado's web security corpus cases for static files (security_corpus_test.py, app "static":
    /// static_url_prefix="/", default_filename="index.html").
    @Test func tornadosSecurityCorpusCasesForStaticFiles() async throws {
        try await withStaticTree { tree in
            let app = try Self.app(tree) {
                $0.staticURLPrefix = "/"
                $0.staticHandlerArguments = ["defaultFilename": "index.html"]
            }
            try await withTestServer(app) { server async throws in
                // 4.2.1: a file whose path merely starts with the static directory's path.
                let prefix = try await server.fetch("/../static_foo.txt")
                #expect(prefix.status == 403)
                #expect(!prefix.text.contains("should not be served"))
                // 6.3.2 (CVE-2023-28370): `//evil.com/..` plus the directory's absolute path normalizes to a
                // directory inside the root, and the trailing-slash redirect would have gone to evil.com.
                let openRedirect = try await server.fetch("//evil.com/../\(tree.root)/dir")
                #expect(openRedirect.status == 403)
                #expect(openRedirect.headers["Location"] == nil)
                // 6.6.0: browsers read a backslash as a slash.
                let backslash = try await server.fetch("/\\evil.com/../dir")
                #expect(backslash.status == 403)
                #expect(backslash.headers["Location"] == nil)
                // The redirect itself still works for ordinary paths.
                #expect(try await server.fetch("/dir").headers["Location"] == "/dir/")
            }
        }
    }

    /// Outputs of Python 3.11's `email.utils.parsedate_to_datetime` (naive dates as UTC, as Tornado reads them)
    /// and Tornado 6.6.1's `httputil._parse_request_range`, from:
    ///
    /// ```python
    /// dt = email.utils.parsedate_to_datetime(d)  # None when it raises
    /// if dt.tzinfo is None: dt = dt.replace(tzinfo=datetime.timezone.utc)
    /// int(dt.timestamp())
    /// tornado.httputil._parse_request_range(r)
    /// ```
    @Test func headerParsersMatchPythonAndTornado() {
        let dates: [(String, Int64?)] = [
            ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777), ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777),
            ("Sun Nov  6 08:49:37 1994", 784_111_777), ("06 Nov 1994 08:49:37 +0100", 784_108_177),
            ("Sun, 06 Nov 1994 08:49:37 -0000", 784_111_777), ("Sun, 06 Nov 1994 08:49:37 EST", 784_129_777),
            ("Sun,06 Nov 1994 08:49:37 GMT", 784_111_777), ("6 Nov 94 8:49 GMT", 784_111_740),
            ("Sun, 30 Feb 1994 08:49:37 GMT", nil), ("Sun, 06 Nov 1994 24:00:00 GMT", nil),
            ("Sun, 06 Nov 1994 08.49.37 GMT", 784_111_777), ("Nov 6 1994 08:49:37", 784_111_777),
            ("06 November 1994 08:49:37 PST", 784_140_577), ("garbage", nil), ("", nil),
            ("Sun, 06 Nov 1994 08:49:37 +2500", nil), ("Sun, 06 Nov 69 08:49:37 GMT", -4_806_623),
            ("Sun, 06 Nov 68 08:49:37 GMT", 3_119_417_377), ("Sun, 06 Nov 1994 08:49:60 GMT", nil),
        ]
        for (text, seconds) in dates {
            #expect(StaticFileHandler.parseEmailDate(text) == seconds, "\(text)")
        }
        let ranges: [(String, Int?, Int?, Bool)] = [
            ("bytes=1-2", 1, 3, true), ("bytes=6-", 6, nil, true), ("bytes=-6", -6, nil, true),
            ("bytes=-0", nil, 0, true), ("bytes=", nil, nil, true), ("foo=42", nil, nil, false),
            ("bytes=1-2,6-10", nil, nil, false), (" bytes = 1_0-2_0 ", 10, 21, true), ("bytes=+1-+2", 1, 3, true),
            ("bytes=--5", 5, nil, true), ("bytes=1__0-", nil, nil, false), ("bytes=0x1-", nil, nil, false),
            // Python's integers are unbounded; Squall caps them far beyond any file size, with the same outcome.
            ("bytes=99999999999999999999999-", 1 << 53, nil, true),
        ]
        for (header, start, end, valid) in ranges {
            let parsed = StaticFileHandler.parseRequestRange(header)
            #expect((parsed != nil) == valid, "\(header)")
            #expect(parsed?.start == start && parsed?.end == end, "\(header)")
        }
    }

    @Test func largeFilesAreStreamedInBoundedChunks() async throws {
        try await withStaticTree { tree in
            ChunkSizeRecorder.sizes.withLock { $0.removeAll() }
            let app = try Self.app(tree, transforms: [ChunkSizeRecorder.self])
            try await withTestServer(app) { server async throws in
                let response = try await server.fetch("/static/big.bin")
                #expect(response.status == 200)
                #expect(response.headers["Content-Length"] == String(StaticTree.bigSize))
                #expect(Array(response.body.readableBytesView) == StaticTree.big)
                let sizes = ChunkSizeRecorder.sizes.withLock { $0 }
                #expect(sizes.max() ?? .max <= StaticFileHandler.chunkSize)
                #expect(sizes.count >= StaticTree.bigSize / StaticFileHandler.chunkSize)
                #expect(sizes.reduce(0, +) == StaticTree.bigSize)

                let range = try await server.fetch("/static/big.bin", headers: [("Range", "bytes=1000000-2999999")])
                #expect(range.status == 206)
                #expect(range.headers["Content-Range"] == "bytes 1000000-2999999/\(StaticTree.bigSize)")
                #expect(Array(range.body.readableBytesView) == Array(StaticTree.big[1_000_000..<3_000_000]))
            }
        }
    }

    @Test func aClientLeavingMidDownloadEndsOnlyItsResponse() async throws {
        try await withStaticTree { tree in
            let app = try Self.app(tree)
            try await withTestServer(app) { server async throws in
                for _ in 0..<3 {
                    let client = try await TestClient.connect(port: server.port)
                    try await client.stream.write("GET /static/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    _ = try await client.stream.readUntil("\r\n\r\n")
                    _ = try await client.stream.readBytes(100_000)
                    client.close()
                }
                #expect(try await server.fetch("/static/robots.txt").text == StaticTree.robots)
                let whole = try await server.fetch("/static/big.bin")
                #expect(whole.body.readableBytes == StaticTree.bigSize)
            }
        }
    }

    @Test func staticFilesAreGzippedAsAStream() async throws {
        try await withStaticTree { tree in
            let app = try Self.app(tree) { $0.compressResponse = true }
            try await withTestServer(app) { server async throws in
                let response = try await server.fetch("/robots.txt", headers: [("Accept-Encoding", "gzip")])
                // Flushed in chunks, so compressed even below the minimum length, as in Tornado.
                #expect(response.headers["Content-Encoding"] == "gzip")
                #expect(response.headers["Vary"] == "Accept-Encoding")
                #expect(response.headers["Transfer-Encoding"] == "chunked")
                #expect(try gunzip(response.body) == Array(StaticTree.robots.utf8))
                let big = try await server.fetch("/static/big.bin", headers: [("Accept-Encoding", "gzip")])
                #expect(big.headers["Content-Encoding"] == nil)
                #expect(big.body.readableBytes == StaticTree.bigSize)
            }
        }
    }

    @Test func subclassesCustomiseThroughTheOverridableMethods() async throws {
        try await withStaticTree { tree in
            let app = try Self.app(tree) { $0.staticHandlerClass = CustomStaticFileHandler.self }
            #expect(try app.staticURL("css/a.css") == "/assets/css/a.css?custom=1")
            try await withTestServer(app) { server async throws in
                let css = try await server.fetch("/static/css/a.css")
                #expect(css.headers["X-Static"] == "css/a.css")
                #expect(css.headers["Cache-Control"] == "max-age=60")
                #expect(try await server.fetch("/static_url/css/a.css").text == "/assets/css/a.css?custom=1")
                let robots = try await server.fetch("/robots.txt")
                #expect(robots.headers["X-Static"] == "robots.txt")
                #expect(robots.headers["Cache-Control"] == nil)
            }
        }
    }
}
