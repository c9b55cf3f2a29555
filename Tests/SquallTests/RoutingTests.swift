import Squall
import SquallTesting
import Testing

@testable import Squall

final class EchoPathHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws {
        let args = pathArgs.map { $0 ?? "<nil>" }.joined(separator: ",")
        let kwargs = pathKwargs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value ?? "<nil>")" }.joined(
            separator: ","
        )
        write("route=\(route) args=[\(args)] kwargs=[\(kwargs)]")
    }
}

final class TextHandler: RequestHandler, @unchecked Sendable {
    private var text = ""
    override func initialize(_ arguments: HandlerArguments) {
        text = arguments["text"] as? String ?? "?"
    }
    override func get() async throws { write(text) }
}

@Suite struct RoutingTests {
    @Test func positionalAndNamedGroupsArriveDecoded() async throws {
        let app = Application(rules: [
            try url(#"/user/([0-9]+)/(\w+)"#, EchoPathHandler.self, name: "user"),
            try url(#"/post/(?P<year>\d{4})/(?P<slug>[^/]+)"#, EchoPathHandler.self),
            try url(#"/opt/(a)?(b)"#, EchoPathHandler.self),
            try url(#"/file/(.*)"#, EchoPathHandler.self),
        ])
        try await withTestServer(app) { server async throws in
            let user = try await server.fetch("/user/42/bob").text
            #expect(user == "route=user args=[42,bob] kwargs=[]")
            let post = try await server.fetch("/post/2026/hello%20world").text
            let expected = #"route=/post/(?P<year>\d{4})/(?P<slug>[^/]+) args=[] kwargs=[slug=hello world,year=2026]"#
            #expect(post == expected)
            #expect(try await server.fetch("/opt/b").text.hasSuffix("args=[<nil>,b] kwargs=[]"))
            #expect(try await server.fetch("/file/caf%C3%A9").text.hasSuffix("args=[café] kwargs=[]"))
        }
    }

    @Test func patternsAreAnchoredAtBothEnds() async throws {
        let app = Application(rules: [try url("/exact", TextHandler.self, arguments: ["text": "exact"])])
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/exact").text == "exact")
            #expect(try await server.fetch("/exact/more").status == 404)
            #expect(try await server.fetch("/prefix/exact").status == 404)
        }
    }

    @Test func theFirstMatchingRuleWins() async throws {
        let app = Application(rules: [
            try url("/a/special", TextHandler.self, arguments: ["text": "special"]),
            try url("/a/(.*)", TextHandler.self, arguments: ["text": "general"]),
        ])
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/a/special").text == "special")
            #expect(try await server.fetch("/a/other").text == "general")
        }
    }

    @Test func reverseURLFillsGroupsAndEscapes() throws {
        let app = Application(rules: [
            try url(#"/user/([0-9]+)/(\w+)"#, EchoPathHandler.self, name: "user"),
            try url(#"/search/(.*)"#, EchoPathHandler.self, name: "search"),
            try url(#"/literal\.html"#, EchoPathHandler.self, name: "literal"),
            try url(#"/complex/(?:a|b)"#, EchoPathHandler.self, name: "complex"),
        ])
        #expect(try app.reverseURL("user", 42, "bob") == "/user/42/bob")
        #expect(try app.reverseURL("search", "a b/c?d") == "/search/a%20b/c%3Fd")
        #expect(try app.reverseURL("literal") == "/literal.html")
        #expect(throws: RoutePatternError.self) { try app.reverseURL("complex") }
        #expect(throws: RoutePatternError.self) { try app.reverseURL("missing") }
        #expect(throws: RoutePatternError.self) { try app.reverseURL("user", 1) }
    }

    @Test func mixingNamedAndPositionalGroupsIsRejected() {
        #expect(throws: RoutePatternError.self) { try PathMatches(#"/(?P<a>\d+)/(\d+)"#) }
        #expect(throws: RoutePatternError.self) { try PathMatches(#"/(unclosed"#) }
    }

    @Test func hostRulesComeBeforeTheDefaultRules() async throws {
        let app = Application(rules: [try url("/", TextHandler.self, arguments: ["text": "any host"])])
        try app.addHandlers(#"api\.example\.com"#, [try url("/", TextHandler.self, arguments: ["text": "api"])])
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/", headers: [("Host", "api.example.com")]).text == "api")
            #expect(try await server.fetch("/", headers: [("Host", "API.example.com:80")]).text == "api")
            #expect(try await server.fetch("/", headers: [("Host", "www.example.com")]).text == "any host")
        }
    }

    @Test func defaultHostRulesServeRequestsWithoutAProxyHeader() async throws {
        let app = Application(rules: [], defaultHost: "main.example")
        try app.addHandlers(#"main\.example"#, [try url("/", TextHandler.self, arguments: ["text": "main"])])
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/", headers: [("Host", "10.0.0.1")]).text == "main")
            #expect(
                try await server.fetch("/", headers: [("Host", "10.0.0.1"), ("X-Real-Ip", "1.2.3.4")]).status == 404
            )
        }
    }

    @Test func nestedRoutersAndClosuresAreTargets() async throws {
        let inner = RuleRouter([try url("/inner/x", TextHandler.self, arguments: ["text": "nested"])])
        let app = Application(rules: [
            Rule(try PathMatches("/inner/.*"), .router(inner)),
            Rule(
                try PathMatches("/raw"),
                .closure({ _, response in try await response.respond(body: "plain closure") })
            ),
            try url("/inner/y", TextHandler.self, arguments: ["text": "after nested"]),
        ])
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/inner/x").text == "nested")
            // The nested router has no /inner/y, so routing continues with the next rule.
            #expect(try await server.fetch("/inner/y").text == "after nested")
            #expect(try await server.fetch("/raw").text == "plain closure")
        }
    }

    @Test func aNestedApplicationsHandlersRunWithItsSettings() async throws {
        final class DebugFlagHandler: RequestHandler, @unchecked Sendable {
            override func get() async throws { write("debug=\(settings.debug)") }
        }
        let inner = Application(rules: [try url("/inner/flag", DebugFlagHandler.self)], settings: Settings(debug: true))
        let outer = Application(rules: [
            Rule(try PathMatches("/inner/.*"), .router(inner)),
            try url("/outer/flag", DebugFlagHandler.self),
        ])
        try await withTestServer(outer) { server async throws in
            #expect(try await server.fetch("/inner/flag").text == "debug=true")
            #expect(try await server.fetch("/outer/flag").text == "debug=false")
        }
    }

    @Test func tupleListsReadLikeTornado() async throws {
        let app = try Application([("/", TextHandler.self)])
        try await withTestServer(app) { server async throws in
            #expect(try await server.fetch("/").text == "?")
        }
    }
}
