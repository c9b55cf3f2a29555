import NIOHTTP1
import Testing

@testable import SquallHTTP

/// Squall's headers; NIOHTTP1 (imported for the wrapping test) has a type of the same name.
private typealias HTTPHeaders = SquallHTTP.HTTPHeaders

/// ``HTTPHeaders`` behaves as Tornado's `HTTPHeaders`: case-insensitive, multi-valued, grouped in first-seen order.
@Suite struct HTTPUtilHeadersTests {
    @Test func namesAreCaseInsensitiveAndComeOutInHeaderCase() {
        var headers = HTTPHeaders()
        headers.add("content-TYPE", "text/html")
        #expect(headers["Content-Type"] == "text/html")
        #expect(headers["CONTENT-type"] == "text/html")
        #expect(headers.contains("content-type"))
        #expect(headers.names == ["Content-Type"])
        #expect(headers.allPairs.map(Pair.init) == [Pair(("Content-Type", "text/html"))])
    }

    @Test func severalValuesOfOneNameAreJoinedWithACommaAndListedInOrder() {
        var headers = HTTPHeaders()
        headers.add("Set-Cookie", "A=B")
        headers.add("set-cookie", "C=D")
        #expect(headers["set-cookie"] == "A=B,C=D")
        #expect(headers.getList("SET-COOKIE") == ["A=B", "C=D"])
        #expect(headers.getList("Missing") == [])
        #expect(headers["Missing"] == nil)
    }

    @Test func allPairsGroupsTheValuesOfANameWhereItFirstAppeared() {
        let headers: HTTPHeaders = ["A": "1", "B": "2", "a": "3"]
        #expect(headers.allPairs.map(Pair.init) == [Pair(("A", "1")), Pair(("A", "3")), Pair(("B", "2"))])
        #expect(Array(headers).map(Pair.init) == headers.allPairs.map(Pair.init))
        #expect(headers.names == ["A", "B"])
    }

    @Test func settingReplacesEveryValueInPlaceAndNilRemoves() {
        var headers = HTTPHeaders([("A", "1"), ("B", "2"), ("A", "3")])
        headers["a"] = "x"
        #expect(headers.allPairs.map(Pair.init) == [Pair(("A", "x")), Pair(("B", "2"))])
        headers["new-header"] = "v"
        #expect(headers.names == ["A", "B", "New-Header"])
        headers["B"] = nil
        headers["Not-There"] = nil
        #expect(headers.names == ["A", "New-Header"])
        headers.remove("NEW-HEADER")
        #expect(headers.names == ["A"])
    }

    @Test func countIsTheNumberOfDistinctNamesAsTornadosLen() {
        let headers = HTTPHeaders([("A", "1"), ("a", "2"), ("B", "3")])
        #expect(headers.count == 2)
        #expect(HTTPHeaders().count == 0)
        #expect(HTTPHeaders().isEmpty)
    }

    @Test func equalityComparesNamesAndJoinedValuesInAnyOrder() {
        let twoValues = HTTPHeaders([("A", "1"), ("A", "2"), ("B", "x")])
        #expect(twoValues == HTTPHeaders([("b", "x"), ("a", "1,2")]))
        #expect(twoValues != HTTPHeaders([("A", "2"), ("A", "1"), ("B", "x")]))
        #expect(twoValues != HTTPHeaders([("A", "1"), ("A", "2")]))
        #expect(twoValues != HTTPHeaders([("A", "1"), ("A", "2"), ("C", "x")]))
    }

    @Test func descriptionAndSerializedWriteOneLinePerValueThatParseBack() throws {
        let headers = HTTPHeaders([("Foo", "1"), ("foo", "2"), ("Bar", "3")])
        #expect(headers.description == "Foo: 1\nFoo: 2\nBar: 3\n")
        #expect(headers.serialized == "Foo: 1\r\nFoo: 2\r\nBar: 3\r\n")
        #expect(try HTTPHeaders.parse(headers.description) == headers)
        #expect(try HTTPHeaders.parse(headers.serialized).allPairs.map(Pair.init) == headers.allPairs.map(Pair.init))
    }

    @Test func wrappingNIOHeadersKeepsThemAndNormalizesNamesOnTheWayOut() {
        let nio = NIOHTTP1.HTTPHeaders([
            ("x-forwarded-for", "1.2.3.4"), ("HOST", "example.com"), ("X-FORWARDED-FOR", "5.6.7.8"),
        ])
        var headers = HTTPHeaders(nio)
        #expect(headers.nio == nio)
        #expect(headers["X-Forwarded-For"] == "1.2.3.4,5.6.7.8")
        #expect(headers.names == ["X-Forwarded-For", "Host"])
        headers.add("content-length", "0")
        #expect(headers.nio["Content-Length"] == ["0"])
        #expect(headers.nio.contains { $0.name == "Content-Length" })
    }

    @Test func parseRejectsFoldedContinuationLinesSayingSo() {
        #expect(throws: HTTPInputError("header line cannot start with whitespace, folding not supported")) {
            try HTTPHeaders.parse("Foo: bar\r\n\tasdf")
        }
    }

    @Test func parseRejectsControlCharactersAndNamesThatAreNotTokens() {
        for name in ["", "foo bar", "foo\tbar", "foo\u{0}bar", "foo ", "\u{E9}", "a(b)"] {
            var headers = HTTPHeaders()
            #expect(throws: HTTPInputError.self) { try headers.parseLine("\(name): bar") }
        }
        for value in ["a\rb", "a\u{0}b", "a\u{7F}b", "a\u{1B}b", "\u{4E2D}"] {
            #expect(throws: HTTPInputError("Invalid header value \(PythonText.repr(value))")) {
                try HTTPHeaders.parse("Foo: \(value)")
            }
        }
    }

    @Test func parseLineAcceptsLinesWithOrWithoutTheirLineEnding() throws {
        var headers = HTTPHeaders()
        try headers.parseLine("Content-Type: text/html")
        try headers.parseLine("Content-Length: 42\r\n")
        try headers.parseLine("X-Lf: yes\n")
        try headers.parseLine("\r\n")
        #expect(
            headers.allPairs.map(Pair.init) == [
                Pair(("Content-Type", "text/html")), Pair(("Content-Length", "42")), Pair(("X-Lf", "yes")),
            ]
        )
    }

    @Test func parseKeepsLatin1ButRejectsWiderCharactersInValues() throws {
        #expect(try HTTPHeaders.parse("Foo: caf\u{E9}\r\n")["foo"] == "caf\u{E9}")
        #expect(throws: HTTPInputError("Invalid header value 'a\\u2028b'")) { try HTTPHeaders.parse("Foo: a\u{2028}b") }
    }

    @Test func addDoesNotValidateAsTornadosSetItem() {
        var headers = HTTPHeaders()
        headers.add("X-Anything", "line\r\nbreak")
        #expect(headers["x-anything"] == "line\r\nbreak")
    }

    @Test func normalizeNameCapitalisesEachWordAndLeavesNormalizedNamesAlone() {
        #expect(HTTPHeaders.normalizeName("coNtent-TYPE") == "Content-Type")
        #expect(HTTPHeaders.normalizeName("Content-Type") == "Content-Type")
        #expect(HTTPHeaders.normalizeName("www-authenticate") == "Www-Authenticate")
        #expect(HTTPHeaders.normalizeName("x-\u{E9}t\u{C9}") == "X-\u{C9}t\u{E9}")
    }

    @Test func errorMessagesQuoteTheInputAsPythonsRepr() {
        #expect(PythonText.repr("plain") == "'plain'")
        #expect(PythonText.repr("it's") == "\"it's\"")
        #expect(PythonText.repr("both ' and \"") == "'both \\' and \"'")
        #expect(
            PythonText.repr("tab\tnul\u{0}\u{85}\u{A0}\u{AD}\u{E9}\u{200B}\u{1F600}\u{E0001}")
                == "'tab\\tnul\\x00\\x85\\xa0\\xad\u{E9}\\u200b\u{1F600}\\U000e0001'"
        )
    }
}
