import Squall
import Testing

@testable import SquallHTTP

@Suite struct HTTPClientRedirectTests {
    /// `/r<status>` redirects to `/echo`; `/loop/<n>` redirects to `/loop/<n+1>` forever.
    @Sendable static func handler(_ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        if request.path.hasPrefix("/r"), let status = Int(request.path.dropFirst(2)) {
            try await writer.respond(status: status, headers: ["Location": "/echo"], body: "moved")
        } else if request.path.hasPrefix("/loop/"), let step = Int(request.path.dropFirst(6)) {
            try await writer.respond(status: 302, headers: ["Location": "\(step + 1)"], body: "again")
        } else {
            try await echoHandler(request, writer)
        }
    }

    @Test(arguments: [301, 302, 303])
    func postIsFollowedWithGetWithoutBody(status: Int) async throws {
        try await withServerAndClient(handler: Self.handler) { client, base in
            let response = try await client.fetch(
                base + "/r\(status)",
                method: "POST",
                headers: ["Content-Type": "text/plain"],
                body: "data"
            )
            #expect(response.code == 200)
            #expect(response.text == "GET ")
            #expect(response.effectiveURL == base + "/echo")
            #expect(response.request.method == "POST")
        }
    }

    @Test(arguments: [307, 308])
    func postIsFollowedWithTheSameMethodAndBody(status: Int) async throws {
        try await withServerAndClient(handler: Self.handler) { client, base in
            let response = try await client.fetch(base + "/r\(status)", method: "POST", body: "data")
            #expect(response.text == "POST data")
            #expect(response.effectiveURL == base + "/echo")
        }
    }

    @Test func putAfter301KeepsItsMethodAsTornadoDoes() async throws {
        try await withServerAndClient(handler: Self.handler) { client, base in
            let response = try await client.fetch(base + "/r301", method: "PUT", body: "data")
            #expect(response.text == "PUT data")
        }
    }

    @Test func relativeLocationsResolveAgainstTheCurrentURL() async throws {
        try await withServerAndClient(handler: Self.handler) { client, base in
            let response = try await client.fetch(HTTPRequest(base + "/loop/1", maxRedirects: 3), raiseError: false)
            #expect(response.effectiveURL == base + "/loop/4")
        }
    }

    @Test func tooManyRedirectsThrowsWithTheLastRedirect() async throws {
        try await withServerAndClient(handler: Self.handler) { client, base in
            let error = try await #require(throws: HTTPClientError.self) {
                try await client.fetch(HTTPRequest(base + "/loop/0", maxRedirects: 3))
            }
            #expect(error.cause == .tooManyRedirects)
            #expect(error.code == 302)
            #expect(error.response?.effectiveURL == base + "/loop/3")
            #expect(error.response?.text == "again")

            let response = try await client.fetch(HTTPRequest(base + "/loop/0", maxRedirects: 0), raiseError: false)
            #expect(response.error?.cause == .tooManyRedirects)
            #expect(response.effectiveURL == base + "/loop/0")
        }
    }

    @Test func redirectsAreNotFollowedWhenTurnedOff() async throws {
        try await withServerAndClient(handler: Self.handler) { client, base in
            let response = try await client.fetch(
                HTTPRequest(base + "/r302", followRedirects: false),
                raiseError: false
            )
            #expect(response.code == 302)
            #expect(response.headers["Location"] == "/echo")
            #expect(response.error?.cause == .httpStatus)
        }
    }
}

@Suite struct RequestURLTests {
    @Test func locationsResolveAsURLJoinDoes() throws {
        let base = try #require(RequestURL("http://h:1/a/b/c?q=1")?.resolving(""))
        #expect(base == "http://h:1/a/b/c?q=1")
        #expect(RequestURL("http://h:1/a/b/c?q=1")?.resolving("d") == "http://h:1/a/b/d")
        #expect(RequestURL("http://h:1/a/b/c")?.resolving("../d?x") == "http://h:1/a/d?x")
        #expect(RequestURL("http://h:1/a/b/c")?.resolving("./") == "http://h:1/a/b/")
        #expect(RequestURL("http://h:1/a/b/c")?.resolving("/root") == "http://h:1/root")
        #expect(RequestURL("http://h:1/a")?.resolving("?only") == "http://h:1/a?only")
        #expect(RequestURL("https://h/a")?.resolving("//other:2/x") == "https://other:2/x")
        #expect(RequestURL("http://h/a")?.resolving("HTTP://Other/X#frag") == "http://other/X")
    }
}

@Suite struct HTTPClientRedirectAuthTests {
    @Test func basicAuthIsNotSentToAnotherOrigin() async throws {
        let other = HTTPServer(handler: echoHandler)
        try await other.listen(port: 0, address: "127.0.0.1")
        let otherPort = try #require(other.port)
        let otherURL = "http://127.0.0.1:\(otherPort)/header/Authorization"
        do {
            try await withServerAndClient(handler: { request, writer in
                if request.path == "/away" {
                    try await writer.respond(status: 302, headers: ["Location": otherURL], body: "")
                } else if request.path == "/here" {
                    try await writer.respond(status: 302, headers: ["Location": "/header/Authorization"], body: "")
                } else {
                    try await echoHandler(request, writer)
                }
            }) { client, base in
                let same = try await client.fetch(HTTPRequest(base + "/here", authUsername: "u", authPassword: "p"))
                #expect(same.text == "Basic dTpw")
                let away = try await client.fetch(HTTPRequest(base + "/away", authUsername: "u", authPassword: "p"))
                #expect(away.effectiveURL == otherURL)
                #expect(away.text == "<none>")
            }
        } catch {
            await other.stop(gracePeriod: .seconds(1))
            throw error
        }
        await other.stop(gracePeriod: .seconds(1))
    }
}
