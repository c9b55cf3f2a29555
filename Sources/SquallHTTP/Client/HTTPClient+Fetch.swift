import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SquallIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPClient {
    /// Fetches `url` with the given method, headers and body; see ``fetch(_:raiseError:)``.
    ///
    /// - Parameters:
    ///   - url: the absolute URL to fetch.
    ///   - method: the request method (default `GET`).
    ///   - headers: extra request headers.
    ///   - body: the body: a `String`, `[UInt8]` or `ByteBuffer`.
    ///   - raiseError: whether a non-2xx response throws (default `true`).
    public func fetch(
        _ url: String,
        method: String = "GET",
        headers: HTTPHeaders = HTTPHeaders(),
        body: (any HTTPRequestBodyConvertible)? = nil,
        raiseError: Bool = true
    ) async throws -> HTTPResponse {
        try await fetch(HTTPRequest(url, method: method, headers: headers, body: body), raiseError: raiseError)
    }

    /// Sends `request`, following redirects as Tornado does, and returns the final response.
    ///
    /// The request first waits for one of the ``maxClients`` slots. 301 and 302 after a `POST`, and 303 after
    /// anything but `HEAD`, are followed with a `GET` without body; 307 and 308 keep the method and body.
    /// Basic-auth credentials are only sent to the origin of ``HTTPRequest/url``.
    ///
    /// - Parameters:
    ///   - request: what to send.
    ///   - raiseError: whether a response with a status outside 200...299 throws (default `true`, as in
    ///     Tornado). With `false` such a response is returned with ``HTTPResponse/error`` set. Failures to get a
    ///     response at all (refused, timeouts) always throw, as in Tornado 6.
    /// - Throws: ``HTTPClientError``, with ``HTTPClientError/cause`` saying why; `CancellationError` if the task
    ///   is cancelled; what a ``HTTPRequest/streamingCallback`` throws.
    public func fetch(_ request: HTTPRequest, raiseError: Bool = true) async throws -> HTTPResponse {
        try request.validate()
        guard let url = RequestURL(request.url), ["http", "https"].contains(url.scheme) else {
            throw HTTPClientError(cause: .invalidRequest, message: "invalid URL \(request.url) (http or https only)")
        }
        let origin = url.origin
        let engine = try engine(for: request)
        try await acquireSlot(timeout: min(request.connectTimeout, request.requestTimeout))
        defer { releaseSlot() }
        // As in Tornado, the times start once the request leaves the queue.
        let startTime = Self.wallClock()
        let clock = ContinuousClock()
        let started = clock.now

        var hop = Hop(url: request.url, method: request.method, headers: request.headers, body: request.body)
        var redirectsLeft = request.maxRedirects
        while true {
            let sameOrigin = RequestURL(hop.url)?.origin == origin
            switch try await exchange(
                hop,
                of: request,
                sameOrigin: sameOrigin,
                follow: redirectsLeft > 0,
                engine: engine
            )
            {
            case .redirect(let code, let location):
                guard let next = RequestURL(hop.url)?.resolving(location) else {
                    throw HTTPClientError(cause: .invalidRequest, message: "invalid redirect location \(location)")
                }
                hop.redirect(to: next, status: code)
                redirectsLeft -= 1
            case .final(let final):
                let result = HTTPResponse(
                    request: request,
                    code: final.code,
                    reason: final.reason,
                    headers: final.headers,
                    body: final.body,
                    effectiveURL: hop.url,
                    requestTime: Self.seconds(clock.now - started),
                    startTime: startTime,
                    tooManyRedirects: final.isUnfollowedRedirect
                )
                if raiseError, let error = result.error { throw error }
                return result
            }
        }
    }

    /// How one request of a fetch ended.
    private enum HopOutcome: Sendable {
        /// A redirect to follow; its body was read and dropped.
        case redirect(code: Int, location: String)
        /// The response to return.
        case final(FinalResponse)
    }

    private struct FinalResponse: Sendable {
        var code: Int
        var reason: String
        var headers: HTTPHeaders
        var body: ByteBuffer
        /// A redirect that would have been followed but for ``HTTPRequest/maxRedirects``.
        var isUnfollowedRedirect: Bool
    }

    /// Sends one request and reads its whole response within ``HTTPRequest/requestTimeout``: AsyncHTTPClient's
    /// deadline stops at the response head, Tornado's timeout covers the body too.
    private func exchange(
        _ hop: Hop,
        of request: HTTPRequest,
        sameOrigin: Bool,
        follow: Bool,
        engine: AsyncHTTPClient.HTTPClient
    ) async throws -> HopOutcome {
        do {
            return try await withTimeout(request.requestTimeout) {
                let response = try await self.send(hop, of: request, sameOrigin: sameOrigin, engine: engine)
                let code = Int(response.status.code)
                let location = response.headers.first(name: "Location")
                let isRedirect = request.followRedirects && Self.redirectCodes.contains(code) && location != nil
                if isRedirect, follow, let location {
                    try await self.drain(response)
                    return .redirect(code: code, location: location)
                }
                if let callback = request.headerCallback { Self.deliverHead(of: response, to: callback) }
                return .final(
                    FinalResponse(
                        code: code,
                        reason: response.status.reasonPhrase,
                        headers: HTTPHeaders(response.headers),
                        body: try await self.readBody(response, request: request),
                        isUnfollowedRedirect: isRedirect
                    )
                )
            }
        } catch is TimeoutError {
            throw HTTPClientError(cause: .requestTimeout, message: "Timeout during request")
        }
    }

    private static let redirectCodes: Set<Int> = [301, 302, 303, 307, 308]

    /// One request on the way: the original, or where a redirect pointed.
    private struct Hop {
        var url: String
        var method: String
        var headers: HTTPHeaders
        var body: ByteBuffer?

        /// Tornado's rewriting for a followed redirect.
        mutating func redirect(to url: String, status: Int) {
            self.url = url
            headers.remove("Host")
            if ([301, 302].contains(status) && method == "POST") || (status == 303 && method != "HEAD") {
                method = "GET"
                body = nil
                for name in ["Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding"] {
                    headers.remove(name)
                }
            }
        }
    }

    private func send(
        _ hop: Hop,
        of request: HTTPRequest,
        sameOrigin: Bool,
        engine: AsyncHTTPClient.HTTPClient
    ) async throws -> AsyncHTTPClient.HTTPClientResponse {
        var outgoing = AsyncHTTPClient.HTTPClientRequest(url: hop.url)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: hop.method)
        var headers = hop.headers
        if let userAgent = request.userAgent, !headers.contains("User-Agent") { headers.add("User-Agent", userAgent) }
        if sameOrigin, let user = request.authUsername, let password = request.authPassword,
            !headers.contains("Authorization")
        {
            headers.add("Authorization", "Basic " + Self.base64(Array("\(user):\(password)".utf8)))
        }
        if let since = request.ifModifiedSince, !headers.contains("If-Modified-Since") {
            headers.add("If-Modified-Since", formatTimestamp(since))
        }
        if request.decompressResponse, !headers.contains("Accept-Encoding") { headers.add("Accept-Encoding", "gzip") }
        outgoing.headers = headers.nio
        if let body = hop.body { outgoing.body = .bytes(body) }
        do {
            return try await engine.execute(outgoing, timeout: TimeAmount(request.requestTimeout))
        } catch {
            throw Self.translate(error)
        }
    }

    private func readBody(
        _ response: AsyncHTTPClient.HTTPClientResponse,
        request: HTTPRequest
    ) async throws -> ByteBuffer {
        if let length = response.headers.first(name: "Content-Length").flatMap({ Int($0) }), length > maxBodySize {
            throw bodyTooLarge()
        }
        var body = ByteBuffer()
        var received = 0
        do {
            for try await chunk in response.body {
                // Counted after decompression: the limit protects memory, not the wire.
                received += chunk.readableBytes
                if received > maxBodySize { throw bodyTooLarge() }
                if let callback = request.streamingCallback {
                    try await callback(chunk)
                } else {
                    body.writeImmutableBuffer(chunk)
                }
            }
        } catch let error as AsyncHTTPClient.HTTPClientError {
            throw Self.translate(error)
        }
        return body
    }

    private func bodyTooLarge() -> HTTPClientError {
        HTTPClientError(cause: .bodyTooLarge, message: "response body larger than maxBodySize (\(maxBodySize) bytes)")
    }

    private func drain(_ response: AsyncHTTPClient.HTTPClientResponse) async throws {
        do {
            for try await _ in response.body {}
        } catch {
            throw Self.translate(error)
        }
    }

    /// Tornado's `header_callback` lines: status line, each header, and the empty line.
    private static func deliverHead(
        of response: AsyncHTTPClient.HTTPClientResponse,
        to callback: @Sendable (String) -> Void
    ) {
        callback(
            "HTTP/\(response.version.major).\(response.version.minor) \(response.status.code) \(response.status.reasonPhrase)\r\n"
        )
        for (name, value) in response.headers { callback("\(name): \(value)\r\n") }
        callback("\r\n")
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func wallClock() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for position in 0..<4 {
                if position <= count {
                    out.append(alphabet[Int((group >> UInt32(18 - 6 * position)) & 0x3F)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
