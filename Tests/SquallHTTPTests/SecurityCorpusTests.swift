import NIOCore
import SquallIO
import Testing

@testable import SquallHTTP

/// One input behind a past Tornado security fix, and what a client may see in answer (Tornado's `Case`).
struct CorpusCase: CustomStringConvertible, Sendable {
    /// The Tornado release with the fix, and the CVE if there is one.
    var advisory: String
    var name: String
    var request: [UInt8]
    /// Tornado's status; `nil` if Tornado closes the connection without a response.
    var status: Int?
    /// Bytes that must not appear anywhere in the response.
    var forbidden: [UInt8]?

    init(_ advisory: String, _ name: String, _ request: [UInt8], _ status: Int?, forbidden: String? = nil) {
        self.advisory = advisory
        self.name = name
        self.request = request
        self.status = status
        self.forbidden = forbidden.map { Array($0.utf8) }
    }

    var description: String { "\(advisory): \(name)" }

    /// Where Tornado answers a plain 400, a more specific client error is as good: it still refuses the request.
    static let moreSpecificThan400: Set<Int> = [411, 413, 414, 415, 422, 431]

    /// Whether `response` is what Tornado gives, or as good.
    func accepts(_ response: [UInt8]) -> Bool {
        guard let status else {
            // Tornado closes without answering; a client error before the close is as good.
            guard let code = response.statusFields.last.flatMap({ Int($0) }) else { return response.isEmpty }
            return (400..<500).contains(code)
        }
        let fields = response.statusFields
        guard fields.count == 2, fields[0] == "HTTP/1.1", let code = Int(fields[1]) else { return false }
        return code == status || (status == 400 && Self.moreSpecificThan400.contains(code))
    }
}

/// The HTTP-level cases of Tornado 6.6.1's security regression corpus (`tornado/test/security_corpus_test.py`),
/// sent to an ``HTTPServer`` over a socket; only what a client can see is checked.
///
/// The corpus's cases that need the web framework (XSRF, `set_header` / `redirect` / `set_cookie` validation,
/// signed cookies, `StaticFileHandler`, error pages) belong with it (issue #4), and the websocket origin check
/// with the websocket handler (issue #6). Tornado also checks its server's logs; Squall's HTTP server does not
/// log, and an unhandled handler error would show here as a 500.
@Suite struct SecurityCorpusTests {
    static let cases: [CorpusCase] = [
        // 6.3.3: Content-Length and chunk sizes accepted signs, underscores and other forms that int() allows,
        // which proxies may read differently.
        .init(
            "6.3.3",
            "content-length plus sign",
            Corpus.request("POST", "/echo", headers: "Content-Length: +1\r\n", body: []) + Array("x".utf8),
            400
        ),
        .init(
            "6.3.3",
            "content-length underscore",
            Corpus.request("POST", "/echo", headers: "Content-Length: 1_0\r\n", body: [])
                + Array(repeating: UInt8(ascii: "x"), count: 10),
            400
        ),
        .init(
            "6.3.3",
            "content-length not a number",
            Corpus.request("POST", "/echo", headers: "Content-Length: foo\r\n", body: []),
            400
        ),
        .init(
            "6.3.3",
            "chunk size underscore",
            Corpus.request(
                "POST",
                "/echo",
                headers: "Transfer-Encoding: chunked\r\n",
                body: Array("1_a\r\n\(String(repeating: "x", count: 26))\r\n0\r\n\r\n".utf8)
            ),
            400
        ),
        .init(
            "6.3.3",
            "chunk size hex prefix",
            Corpus.request(
                "POST",
                "/echo",
                headers: "Transfer-Encoding: chunked\r\n",
                body: Array("0x2\r\nok\r\n0\r\n\r\n".utf8)
            ),
            400
        ),
        .init(
            "6.3.3",
            "chunk size sign",
            Corpus.request(
                "POST",
                "/echo",
                headers: "Transfer-Encoding: chunked\r\n",
                body: Array("+2\r\nok\r\n0\r\n\r\n".utf8)
            ),
            400
        ),
        // 6.4.1: unknown transfer codings were ignored (and the body read until close), and non-ASCII whitespace
        // was stripped from header values.
        .init(
            "6.4.1",
            "transfer-encoding gzip, chunked",
            Corpus.request(
                "POST",
                "/echo",
                headers: "Transfer-Encoding: gzip, chunked\r\n",
                body: Array("2\r\nok\r\n0\r\n\r\n".utf8)
            ),
            400
        ),
        .init(
            "6.4.1",
            "transfer-encoding repeated",
            Corpus.request(
                "POST",
                "/echo",
                headers: "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                body: Array("2\r\nok\r\n0\r\n\r\n".utf8)
            ),
            400
        ),
        .init(
            "6.4.1",
            "transfer-encoding and content-length",
            Corpus.request(
                "POST",
                "/echo",
                headers: "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n",
                body: Array("2\r\nok\r\n0\r\n\r\n".utf8)
            ),
            400
        ),
        .init(
            "6.4.1",
            "transfer-encoding with no-break space",
            // Latin-1, as the corpus encodes it: the single byte 0xA0.
            Corpus.request(
                "POST",
                "/echo",
                headers: "Transfer-Encoding: \u{A0}chunked\r\n",
                body: Array("2\r\nok\r\n0\r\n\r\n".utf8)
            ),
            400
        ),
        .init(
            "6.4.1",
            "content-length with no-break space",
            Corpus.request("POST", "/echo", headers: "Content-Length: 2\u{A0}\r\n", body: []) + Array("ok".utf8),
            400
        ),
        // 6.5.0 (CVE-2025-47287): each malformed part was logged, so a body of many bad parts filled the logs.
        // Now the first one rejects the body.
        .init(
            "6.5.0 CVE-2025-47287",
            "malformed multipart parts",
            Corpus.multipart(
                Array(repeating: Array("Content-Disposition: invalid; name=\"a\"\r\n\r\nb".utf8), count: 50)
            ),
            400
        ),
        .init(
            "6.5.0 CVE-2025-47287",
            "multipart part without headers",
            Corpus.multipart(Array(repeating: Array("b".utf8), count: 50)),
            400
        ),
        // 6.5.5: multipart bodies have a limit of 100 parts; CR is not allowed in multipart part headers.
        .init(
            "6.5.5",
            "too many multipart parts",
            Corpus.multipart(Array(repeating: Corpus.part, count: 150)),
            400
        ),
        .init(
            "6.5.5",
            "multipart header with bare CR",
            Corpus.multipart([Corpus.filePart(Array("a\rb.txt".utf8))]),
            400
        ),
        // 6.5.8 and 6.5.9: urlencoded bodies and query strings have a limit of 1000 arguments.
        .init(
            "6.5.8",
            "too many urlencoded arguments",
            Corpus.post(
                "application/x-www-form-urlencoded",
                Array(Array(repeating: "a=b", count: 1001).joined(separator: "&").utf8)
            ),
            400
        ),
        .init(
            "6.5.9",
            "too many query arguments",
            Corpus.request("GET", "/echo?" + Array(repeating: "a=b", count: 1001).joined(separator: "&")),
            400
        ),
    ]

    @Test(arguments: cases)
    func corpusInputGetsTornadosAnswer(_ corpusCase: CorpusCase) async throws {
        try await withHTTPServer(handler: corpusApp) { port in
            let response = try await corpusSend(port: port, corpusCase.request)
            #expect(
                corpusCase.accepts(response),
                "expected \(corpusCase.status.map(String.init) ?? "a close"), got \(describeResponse(response))"
            )
            if let forbidden = corpusCase.forbidden {
                #expect(!response.containsBytes(forbidden), "forbidden bytes in \(describeResponse(response))")
            }
        }
    }

    /// The inputs that must be refused are refused for what they are, not for the echo application: the same
    /// requests made well-formed are answered 200.
    @Test func wellFormedCounterpartsOfTheCorpusInputsAreAnswered() async throws {
        let wellFormed: [(String, [UInt8], String)] = [
            ("content-length", Corpus.request("POST", "/echo", body: Array("x".utf8)), "\"arguments\": 0"),
            (
                "chunked",
                Corpus.request(
                    "POST",
                    "/echo",
                    headers: "Transfer-Encoding: chunked\r\n",
                    body: Array("2\r\nok\r\n0\r\n\r\n".utf8)
                ), "\"arguments\": 0"
            ),
            ("99 multipart parts", Corpus.multipart(Array(repeating: Corpus.part, count: 99)), "\"arguments\": 1"),
            ("multipart file", Corpus.multipart([Corpus.filePart(Array("ab.txt".utf8))]), "\"files\": 1"),
            (
                "1000 urlencoded arguments",
                Corpus.post(
                    "application/x-www-form-urlencoded",
                    Array(Array(repeating: "a=b", count: 1000).joined(separator: "&").utf8)
                ), "\"arguments\": 1"
            ),
            (
                "1000 query arguments",
                Corpus.request("GET", "/echo?" + Array(repeating: "a=b", count: 1000).joined(separator: "&")),
                "\"arguments\": 1"
            ),
        ]
        try await withHTTPServer(handler: corpusApp) { port in
            for (name, request, echo) in wellFormed {
                let response = try await corpusSend(port: port, request)
                #expect(response.statusFields == ["HTTP/1.1", "200"], "\(name): \(describeResponse(response))")
                #expect(response.containsBytes(Array(echo.utf8)), "\(name): \(describeResponse(response))")
            }
        }
    }

    /// The HTTP-layer half of the corpus's header-injection cases (2.2.1 `set_header` and `redirect`, 6.5.3
    /// CVE-2025-67724 reason phrase): below the web layer's validation, Tornado's `HTTP1Connection.write_headers`
    /// refuses CR and LF anywhere in the status line and headers, so a handler that passes a request's bytes into
    /// them unchecked cannot split the response. The corpus's statuses (200 with the reason replaced, 400 from
    /// `send_error`) come from the web layer; here the response must either drop the bytes (the handler's
    /// status) or refuse them (the server's 500 for a handler whose write failed), and never carry the injected
    /// header. 599 is a code without a standard reason, where a handler's reason phrase is actually used.
    @Test(arguments: [
        ("/status?code=200&reason=OK%0D%0AX-Injection:injected", 200),
        ("/status?code=599&reason=Custom%0D%0AX-Injection:injected", 599),
        ("/status?code=599&reason=Custom%0AX-Injection:injected", 599),
        ("/status?code=599&reason=Custom%0DX-Injection:injected", 599),
        ("/header?value=a%0D%0AX-Injection:%20injected", 200),
        ("/header?value=a%0AX-Injection:%20injected", 200),
        ("/header?value=a%0DX-Injection:%20injected", 200),
    ])
    func handlerSuppliedCRAndLFNeverSplitTheResponse(_ target: String, _ handlerStatus: Int) async throws {
        try await withHTTPServer(handler: corpusApp) { port in
            let response = try await corpusSend(port: port, Corpus.request("GET", target))
            for injected in ["\nX-Injection", "\rX-Injection"] {
                #expect(!response.containsBytes(Array(injected.utf8)), "\(describeResponse(response))")
            }
            #expect(
                [["HTTP/1.1", "\(handlerStatus)"], ["HTTP/1.1", "500"]].contains(response.statusFields),
                "\(describeResponse(response))"
            )
        }
    }
}

/// One input whose parsing was once quadratic (Tornado's `Scaling`).
struct CorpusScalingCase: CustomStringConvertible, Sendable {
    var advisory: String
    var name: String
    var build: @Sendable (Int) -> [UInt8]
    var n1: Int
    var n2: Int
    /// The server's header limit: the repeated-header case needs more than the default 64 KiB to show anything.
    var maxHeaderSize = 64 * 1024
    /// What the echo must report, showing the input was parsed rather than refused early.
    var echo: String

    var description: String { "\(advisory): \(name)" }
}

extension SecurityCorpusTests {
    /// Tornado's `test_scaling`: each input is valid, so what is checked is the cost of parsing it, as the ratio
    /// of the server's CPU time for `n2` and `n1` (ten times larger) with Tornado's limit of 20; a quadratic
    /// parser measures near 100. Serialized so that the measurements do not compete for the machine's cores.
    @Suite(.serialized) struct Scaling {
        static let cases: [CorpusScalingCase] = [
            // 6.4.2 (CVE-2024-7592): unquoting backslash escapes in a cookie value.
            .init(
                advisory: "6.4.2 CVE-2024-7592",
                name: "cookie backslashes",
                build: { n in
                    Corpus.request(
                        "GET",
                        "/echo",
                        headers: "Cookie: a=\"b=" + String(repeating: "\\\\", count: n) + "\"\r\n"
                    )
                },
                n1: 1_000,
                n2: 10_000,
                echo: "\"cookies\": 1"
            ),
            // 6.5.3 (CVE-2025-67725): repeated header lines. The default 64 KiB header limit hides most of the
            // problem, so this uses a server with a larger limit.
            .init(
                advisory: "6.5.3 CVE-2025-67725",
                name: "repeated header",
                build: { n in
                    Corpus.request("GET", "/echo", headers: String(repeating: "X: a\r\n", count: n))
                },
                n1: 10_000,
                n2: 100_000,
                maxHeaderSize: 1 << 20,
                echo: "\"cookies\": 0"
            ),
            // 6.5.3 (CVE-2025-67726): semicolons in a quoted Content-Disposition parameter. Part headers are
            // limited to 10 KiB by default.
            .init(
                advisory: "6.5.3 CVE-2025-67726",
                name: "content-disposition semicolons",
                build: { n in
                    Corpus.multipart([
                        Array("Content-Disposition: form-data; x=\"".utf8)
                            + Array(repeating: UInt8(ascii: ";"), count: n)
                            + Array("\"; name=\"a\"\r\n\r\nb".utf8)
                    ])
                },
                n1: 1_000,
                n2: 10_000,
                echo: "\"arguments\": 1"
            ),
        ]

        @Test(arguments: cases)
        func parsingTheInputScalesLinearly(_ scaling: CorpusScalingCase) async throws {
            var options = HTTPServerOptions()
            options.maxHeaderSize = scaling.maxHeaderSize
            let requests = [scaling.n1: scaling.build(scaling.n1), scaling.n2: scaling.build(scaling.n2)]
            let unexpected = Shared<[String]>([])
            try await MeteredServer.run(options: options, handler: corpusApp) { server, port in
                try await expectLinearScaling(
                    scaling.name,
                    n1: scaling.n1,
                    n2: scaling.n2,
                    maxRatio: 20,
                    cpuTime: server.cpuTime
                ) { n in
                    let response = try await corpusSend(port: port, try #require(requests[n]))
                    // Every request must be answered, and as valid: a refusal would skip the parsing measured.
                    if response.statusFields != ["HTTP/1.1", "200"] || !response.containsBytes(Array(scaling.echo.utf8))
                    {
                        unexpected.update { $0.append("n=\(n): \(describeResponse(response))") }
                    }
                }
            }
            #expect(unexpected.value.isEmpty, "\(unexpected.value.prefix(3))")
        }
    }
}
