import Squall
import SquallTesting
import Synchronization
import Testing

@testable import Squall

/// Records the lifecycle calls of each request, for the lifecycle test.
let lifecycleLog = Mutex<[String]>([])

final class LifecycleHandler: RequestHandler, @unchecked Sendable {
    override func initialize(_ arguments: HandlerArguments) {
        lifecycleLog.withLock { $0.append("initialize \(arguments["tag"] as? String ?? "")") }
    }
    override func prepare() async throws { lifecycleLog.withLock { $0.append("prepare") } }
    override func get() async throws {
        lifecycleLog.withLock { $0.append("get") }
        write("ok")
    }
    override func onFinish() { lifecycleLog.withLock { $0.append("onFinish") } }
}

final class ArgumentsHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        let name = try getArgument("name")
        let raw = try getArgument("raw", default: nil, strip: false) ?? "-"
        let many = try getArguments("many").joined(separator: "|")
        let optional = try getArgument("missing", default: "fallback") ?? ""
        write("name=\(name) raw=[\(raw)] many=\(many) optional=\(optional)")
    }
    override func post() async throws {
        write("query=\(try getQueryArgument("q")) body=\(try getBodyArgument("b")) all=\(try getArguments("q").count)")
    }
}

final class OutputHandler: RequestHandler, @unchecked Sendable {
    struct Payload: Encodable { var message: String; var html: String }

    override func get() async throws {
        switch request.path {
        case "/status": setStatus(201, reason: "Made It"); write("created")
        case "/headers":
            try setHeader("X-One", "1")
            try addHeader("X-Many", "a")
            try addHeader("X-Many", "b")
            try setHeader("X-Gone", "x")
            clearHeader("X-Gone")
        case "/json": try write(json: Payload(message: "hi", html: "</script>"))
        case "/inject": try setHeader("X-Bad", "a\r\nX-Injected: yes")
        case "/stream":
            write("part one;")
            try await flush()
            write("part two")
        case "/clear":
            write("discarded")
            try setHeader("X-Discarded", "1")
            clear()
            write("kept")
        case "/redirect": try await redirect("/elsewhere")
        case "/redirect-permanent": try await redirect("/elsewhere", permanent: true)
        case "/redirect-inject": try await redirect("/a\r\nX-Injected: yes")
        case "/fail": struct Oops: Error {}; throw Oops()
        case "/http-error": throw HTTPError(418, logMessage: "short and stout", reason: "I'm a teapot")
        case "/send-error": try await sendError(503)
        case "/bad-reason": setStatus(200, reason: "ok\r\nX-Injected: yes")
        default: write("default")
        }
    }
}

final class OnlyGetHandler: RequestHandler, @unchecked Sendable {
    override class var supportedMethods: [String] { ["GET"] }
    override func get() async throws { write("got") }
}

final class CustomErrorHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { throw HTTPError(404) }
    override func writeError(_ status: Int, error: (any Error)?) async throws {
        try setHeader("Content-Type", "text/plain")
        write("custom \(status)")
    }
}

@Suite(.serialized) struct RequestHandlerTests {
    @Test func lifecycleRunsInTornadosOrder() async throws {
        lifecycleLog.withLock { $0 = [] }
        let app = Application(rules: [try url("/", LifecycleHandler.self, arguments: ["tag": "t"])])
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/").text == "ok")
        }
        #expect(lifecycleLog.withLock { $0 } == ["initialize t", "prepare", "get", "onFinish"])
    }

    @Test func argumentsFromQueryAndBody() async throws {
        let app = Application(rules: [try url("/", ArgumentsHandler.self)])
        try await withTestServer(app) { server async throws in
            let get = try await server.fetch("/?name=%20Ann%20&raw=%20x%01y%20&many=1&many=2")
            #expect(get.text == "name=Ann raw=[ x y ] many=1|2 optional=fallback")
            let missing = try await server.fetch("/?raw=1")
            #expect(missing.status == 400)
            #expect(missing.reason == "Missing argument name")
            let badUTF8 = try await server.fetch("/?name=%FF")
            #expect(badUTF8.status == 400)
            let post = try await server.fetch(
                "/?q=1",
                method: "POST",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "b=2&q=3"
            )
            #expect(post.text == "query=1 body=2 all=2")
        }
    }

    @Test func outputControlsStatusHeadersAndBody() async throws {
        let app = Application(rules: [try url("/.*", OutputHandler.self)])
        try await withTestServer(app) { server async throws in
            let status = try await server.fetch("/status")
            #expect(status.status == 201)
            #expect(status.reason == "Made It")
            let headers = try await server.fetch("/headers")
            #expect(headers.headers["X-One"] == "1")
            #expect(headers.headers.getList("X-Many") == ["a", "b"])
            #expect(headers.headers["X-Gone"] == nil)
            #expect(headers.headers["Content-Type"] == "text/html; charset=UTF-8")
            let json = try await server.fetch("/json")
            #expect(json.headers["Content-Type"] == "application/json; charset=UTF-8")
            let expectedJSON = #"{"html":"<\/script>","message":"hi"}"#
            #expect(json.text == expectedJSON)
            let stream = try await server.fetch("/stream")
            #expect(stream.headers["Transfer-Encoding"] == "chunked")
            #expect(stream.text == "part one;part two")
            let cleared = try await server.fetch("/clear")
            #expect(cleared.text == "kept")
            #expect(cleared.headers["X-Discarded"] == nil)
        }
    }

    @Test func headerInjectionIsRefused() async throws {
        let app = Application(rules: [try url("/.*", OutputHandler.self)])
        try await withTestServer(app) { server async throws in
            for path in ["/inject", "/redirect-inject"] {
                let response = try await server.fetch(path)
                #expect(response.status == 500, "\(path)")
                #expect(response.headers["X-Injected"] == nil, "\(path)")
            }
        }
    }

    @Test func unsafeReasonPhrasesBecomeUnknownAndErrorPagesEscapeThem() async throws {
        // Tornado's security corpus, 6.5.3 (CVE-2025-67724).
        final class StatusHandler: RequestHandler, @unchecked Sendable {
            override func get() async throws {
                let code = Int(try getArgument("code")) ?? 500
                setStatus(code, reason: try getArgument("reason"))
                if getStatus() >= 400 {
                    try await sendError(code, reason: try getArgument("reason"))
                } else {
                    write("ok")
                }
            }
        }
        let app = Application(rules: [try url("/status", StatusHandler.self), try url("/.*", OutputHandler.self)])
        try await withTestServer(app) { server async throws in
            let injected = try await server.fetch("/status?code=200&reason=OK%0D%0AX-Injection:injected")
            #expect(injected.status == 200)
            #expect(injected.reason == "Unknown")
            #expect(injected.headers["X-Injection"] == nil)
            let xss = try await server.fetch("/status?code=400&reason=%3Cscript%3Ealert(1)%3C/script%3E")
            #expect(xss.status == 400)
            #expect(!xss.text.contains("<script>"))
            let bad = try await server.fetch("/bad-reason")
            #expect(bad.status == 200)
            #expect(bad.reason == "Unknown")
            #expect(bad.headers["X-Injected"] == nil)
            #expect(
                RequestHandler.escapeHTML(#"<a href="x">'&'</a>"#)
                    == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
            )
        }
    }

    @Test func redirectsUseTheRightStatus() async throws {
        let app = Application(rules: [try url("/.*", OutputHandler.self)])
        try await withTestServer(app) { server async throws in
            let temporary = try await server.fetch("/redirect")
            #expect(temporary.status == 302)
            #expect(temporary.headers["Location"] == "/elsewhere")
            #expect(try await server.fetch("/redirect-permanent").status == 301)
        }
    }

    @Test func errorsBecomeResponses() async throws {
        let app = Application(rules: [try url("/.*", OutputHandler.self)])
        try await withTestServer(app) { server async throws in
            let failure = try await server.fetch("/fail")
            #expect(failure.status == 500)
            #expect(
                failure.text
                    == "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>"
            )
            let teapot = try await server.fetch("/http-error")
            #expect(teapot.status == 418)
            #expect(teapot.reason == "I'm a teapot")
            #expect(!teapot.text.contains("stout"))
            #expect(try await server.fetch("/send-error").status == 503)
        }
    }

    @Test func debugModeDescribesTheError() async throws {
        let app = Application(rules: [try url("/.*", OutputHandler.self)], settings: Settings(debug: true))
        try await withTestServer(app) { server async throws in
            let failure = try await server.fetch("/fail")
            #expect(failure.status == 500)
            #expect(failure.text.contains("Oops"))
        }
    }

    @Test func unsupportedMethodsGet405WithAllow() async throws {
        let app = Application(rules: [try url("/", OnlyGetHandler.self), try url("/all", LifecycleHandler.self)])
        try await withTestServer(app) { server async throws in
            let response = try await server.fetch("/", method: "POST", body: "")
            #expect(response.status == 405)
            #expect(response.headers["Allow"] == "GET")
            // Supported by the class but not implemented: still 405.
            #expect(try await server.fetch("/all", method: "DELETE").status == 405)
            #expect(try await server.fetch("/").text == "got")
        }
    }

    @Test func customErrorPagesAndTheDefault404() async throws {
        let app = Application(rules: [try url("/custom", CustomErrorHandler.self)])
        try await withTestServer(app) { server async throws in
            let custom = try await server.fetch("/custom")
            #expect(custom.status == 404)
            #expect(custom.text == "custom 404")
            let missing = try await server.fetch("/nowhere")
            #expect(missing.status == 404)
            #expect(missing.text.contains("404: Not Found"))
        }
    }

    @Test func headResponsesCarryNoBody() async throws {
        final class HeadHandler: RequestHandler, @unchecked Sendable {
            override func head() async throws { write("twelve bytes") }
        }
        let app = Application(rules: [try url("/", HeadHandler.self)])
        try await withTestServer(app) { server async throws in
            let client = try await TestClient.connect(port: server.port)
            let head = try await client.fetch("/", method: "HEAD")
            #expect(head.headers["Content-Length"] == "12")
            #expect(head.body.readableBytes == 0)
            client.close()
        }
    }

    @Test func redirectHandlerSubstitutesGroupsSafely() async throws {
        let app = Application(rules: [
            try url("/old/(.*)", RedirectHandler.self, arguments: ["url": "/new/{0}"]),
            try url("/go/(.*)", RedirectHandler.self, arguments: ["url": "/{0}", "permanent": false]),
        ])
        try await withTestServer(app) { server async throws in
            let moved = try await server.fetch("/old/page?x=1")
            #expect(moved.status == 301)
            #expect(moved.headers["Location"] == "/new/page?x=1")
            // A group can never make the target another host.
            let sneaky = try await server.fetch("/go//evil.com")
            #expect(sneaky.status == 302)
            #expect(sneaky.headers["Location"] == "/%2Fevil.com")
        }
    }
}

/// Set when a waiting handler learns its client left.
let connectionCloseSeen = Mutex(false)

final class LongPollHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        for _ in 0..<500 where !connectionCloseSeen.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        write("done")
    }
    override func onConnectionClose() {
        connectionCloseSeen.withLock { $0 = true }
    }
}

@Suite struct ConnectionCloseTests {
    @Test func aHandlerHearsWhenItsClientLeaves() async throws {
        connectionCloseSeen.withLock { $0 = false }
        let app = Application(rules: [try url("/poll", LongPollHandler.self)])
        try await withTestServer(app) { server async throws in
            let client = try await TestClient.connect(port: server.port)
            try await client.stream.write("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n")
            try await Task.sleep(for: .milliseconds(50))
            client.close()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(10)
            while !connectionCloseSeen.withLock({ $0 }) && clock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(connectionCloseSeen.withLock { $0 })
        }
    }
}
