import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import SquallIO

/// A request refused before its handler runs: the status and the short reason sent as the body.
struct HTTPRequestRejection: Error {
    var status: Int
    var reason: String
}

/// How a validated request's body is framed.
struct BodyFraming {
    var hasBody: Bool
    var expectsContinue: Bool
}

extension HTTP1ConnectionHandler {
    /// Applies Tornado 6.6's request rules that the parser leaves to the application, plus the body limit.
    ///
    /// - Throws: ``HTTPRequestRejection`` with the status and reason to answer.
    static func validate(_ head: HTTPRequestHead, options: HTTPServerOptions) throws -> BodyFraming {
        guard head.version.major == 1, head.version.minor <= 1 else {
            throw HTTPRequestRejection(status: 400, reason: "Malformed HTTP version in request line")
        }
        guard !head.uri.isEmpty, !head.uri.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw HTTPRequestRejection(status: 400, reason: "Malformed HTTP request line: bad request target")
        }
        // One pass over the headers, allocating only for the headers that are present.
        var hostCount = 0
        var badHost = false
        var transferEncodings: [String] = []
        var contentLengths: [String] = []
        var expect: String?
        for (name, value) in head.headers {
            switch name.utf8.count {
            case 4 where name.lowercased() == "host":
                hostCount += 1
                if !isValidHost(value) { badHost = true }
            case 6 where name.lowercased() == "expect":
                expect = value.lowercased()
            case 14 where name.lowercased() == "content-length":
                contentLengths.append(value)
            case 17 where name.lowercased() == "transfer-encoding":
                transferEncodings.append(value)
            default:
                break
            }
        }
        if head.version.minor == 1 && hostCount == 0 {
            throw HTTPRequestRejection(status: 400, reason: "Missing Host header")
        }
        if hostCount > 1 || badHost {
            throw HTTPRequestRejection(status: 400, reason: "Invalid Host header")
        }
        var hasBody = false
        if !transferEncodings.isEmpty {
            if !contentLengths.isEmpty {
                throw HTTPRequestRejection(
                    status: 400,
                    reason: "Message with both Transfer-Encoding and Content-Length"
                )
            }
            guard transferEncodings.count == 1,
                transferEncodings[0].trimmingASCIISpaces().lowercased() == "chunked"
            else {
                throw HTTPRequestRejection(
                    status: 400,
                    reason: "Unsupported Transfer-Encoding \(transferEncodings.joined(separator: ","))"
                )
            }
            hasBody = true
        } else if !contentLengths.isEmpty {
            let length = try contentLength(contentLengths)
            if length > options.maxBodySize {
                throw HTTPRequestRejection(
                    status: 413,
                    reason: "Content-Length \(length) is larger than the limit of \(options.maxBodySize) bytes"
                )
            }
            hasBody = length > 0
        }
        return BodyFraming(
            hasBody: hasBody,
            expectsContinue: hasBody && head.version.minor == 1 && expect == "100-continue"
        )
    }

    /// Content-Length as Tornado reads it: digits only; repeated equal values collapse; unequal ones are an error.
    static func contentLength(_ values: [String]) throws -> Int {
        var result: Int?
        for piece in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let text = piece.trimmingASCIISpaces()
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text) else {
                throw HTTPRequestRejection(status: 400, reason: "Only integer Content-Length is allowed: \(piece)")
            }
            if let result, result != value {
                throw HTTPRequestRejection(status: 400, reason: "Multiple unequal Content-Lengths")
            }
            result = value
        }
        return result ?? 0
    }

    /// Whether `host` is a valid Host header value: `uri-host [":" port]` (RFC 9110), as Tornado 6.6 checks it.
    static func isValidHost(_ host: String) -> Bool {
        var hostPart = Substring(host)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let literal = host[host.index(after: host.startIndex)..<close]
            guard !literal.isEmpty, literal.utf8.allSatisfy({ isHexDigit($0) || $0 == 0x3A || $0 == 0x2E }) else {
                return false
            }
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return false }
            return rest.dropFirst().utf8.allSatisfy(isDigit)
        }
        if let colon = host.lastIndex(of: ":") {
            guard host[host.index(after: colon)...].utf8.allSatisfy(isDigit) else { return false }
            hostPart = host[..<colon]
        }
        // reg-name: unreserved / pct-encoded / sub-delims (IPv4 addresses are reg-names too).
        return hostPart.utf8.allSatisfy { byte in
            isAlphaNumeric(byte) || "-._~%!$&'()*+;=".utf8.contains(byte)
        }
    }

    /// The request facts the handler and the request object need, with xheaders applied.
    func makeRequestHead(_ head: HTTPRequestHead) throws -> RequestHead {
        let uri = head.uri
        let path: String
        let query: String
        if let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(uri[..<mark])
            query = String(uri[uri.utf8.index(after: mark)...])
        } else {
            path = uri
            query = ""
        }
        var nioHeaders = head.headers
        if options.decompressRequest, let encoding = nioHeaders["content-encoding"].first,
            ["gzip", "deflate"].contains(encoding.lowercased())
        {
            // As Tornado: the body reaches the handler decoded, and the header says what was removed.
            nioHeaders.remove(name: "content-encoding")
            nioHeaders.add(name: "X-Consumed-Content-Encoding", value: encoding)
        }
        let headers = HTTPHeaders(nioHeaders)
        var remoteIP = peerIP
        var scheme = "http"
        if options.xheaders {
            (remoteIP, scheme) = Self.applyXHeaders(
                headers,
                remoteIP: remoteIP,
                scheme: scheme,
                trusted: options.trustedDownstream
            )
        }
        let queryArguments: [String: [[UInt8]]]
        do {
            queryArguments = query.isEmpty ? [:] : try parseQueryArguments(query, maxFields: options.maxQueryFields)
        } catch {
            throw HTTPRequestRejection(status: 400, reason: error.message)
        }
        return RequestHead(
            method: head.method.rawValue,
            uri: uri,
            path: path,
            query: query,
            version: head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1",
            headers: headers,
            remoteIP: remoteIP,
            protocol: scheme,
            queryArguments: queryArguments,
            startTime: loop.time(),
            connectionID: info.id
        )
    }

    /// Tornado's `_apply_xheaders`: the client address and scheme a trusted reverse proxy reports.
    static func applyXHeaders(
        _ headers: HTTPHeaders,
        remoteIP: String,
        scheme: String,
        trusted: Set<String>
    ) -> (String, String) {
        var candidate = remoteIP
        if let forwarded = headers["X-Forwarded-For"] {
            for hop in forwarded.split(separator: ",").reversed() {
                candidate = hop.trimmingASCIISpaces()
                if !trusted.contains(candidate) { break }
            }
        }
        if let realIP = headers["X-Real-Ip"] { candidate = realIP }
        let ip = isValidIP(candidate) ? candidate : remoteIP
        var proto = scheme
        if let header = headers["X-Scheme"] ?? headers["X-Forwarded-Proto"],
            let last = header.split(separator: ",", omittingEmptySubsequences: false).last
        {
            let value = last.trimmingASCIISpaces()
            if value == "http" || value == "https" { proto = value }
        }
        return (ip, proto)
    }

    /// The status and reason for a parser or decompression error, or `nil` for errors that just end the
    /// connection.
    static func response(for error: any Error) -> (Int, String)? {
        if let error = error as? HTTPParserError {
            switch error {
            case .headerOverflow: return (431, "Request header fields too large")
            // llhttp reports a malformed Content-Length value as "unexpected" and a Content-Length beside a
            // Transfer-Encoding as "invalid"; the reasons follow what it means, not the case names.
            case .unexpectedContentLength: return (400, "Only integer Content-Length is allowed")
            case .invalidContentLength: return (400, "Invalid or conflicting Content-Length / Transfer-Encoding")
            case .invalidChunkSize: return (400, "Invalid chunk size in chunked body")
            case .invalidHeaderToken:
                return (400, "Invalid character in header (obs-fold and control characters are not allowed)")
            case .invalidMethod: return (400, "Malformed HTTP request line: invalid method")
            case .invalidVersion: return (400, "Malformed HTTP version in request line")
            case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment, .invalidHost, .invalidPort:
                return (400, "Malformed HTTP request line: bad request target")
            case .lfExpected: return (400, "Malformed HTTP message: expected CRLF")
            case .closedConnection, .invalidEOFState: return nil
            case .unknown:
                // llhttp reports bad Transfer-Encoding (and a few rarer faults) without a specific code.
                return (
                    400, "Malformed HTTP request: invalid Transfer-Encoding / Content-Length framing or line ending"
                )
            default: return (400, "Malformed HTTP request: \(error)")
            }
        }
        if let error = error as? NIOHTTPDecompression.DecompressionError {
            if case .limit = error { return (413, "Decompressed request body is larger than the limit") }
            return (400, "Malformed gzip request body")
        }
        if error is NIOHTTPDecompression.ExtraDecompressionError { return (400, "Malformed gzip request body") }
        if let rejection = error as? HTTPRequestRejection { return (rejection.status, rejection.reason) }
        return nil
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
private func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }
private func isAlphaNumeric(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) }

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingASCIISpaces() -> String {
        let text = String(self)
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        return String(text[first...last])
    }
}
