import SquallEscape
import Testing

/// Differential tests: every case in Fixtures/escape_fixtures.json, as Tornado 6.6.1 computed it.
struct EscapeFixtureTests {
    @Test func fixturesAreLoaded() {
        #expect(EscapeFixtures.cases("xhtml_escape").count > 10)
        #expect(EscapeFixtures.all["tornado"]?.string == "6.6.1")
    }

    @Test func xhtmlEscapeMatchesTornado() throws {
        for item in EscapeFixtures.cases("xhtml_escape") {
            let input = try #require(item["input"]?.string)
            #expect(xhtmlEscape(input) == item["output"]?.string, "\(input)")
        }
    }

    @Test func xhtmlUnescapeMatchesTornadoForNamedNumericAndBrokenReferences() throws {
        for item in EscapeFixtures.cases("xhtml_unescape") {
            let input = try #require(item["input"]?.string)
            #expect(xhtmlUnescape(input) == item["output"]?.string, "\(input)")
        }
    }

    @Test func urlEscapeMatchesTornadoWithAndWithoutPlus() throws {
        for item in EscapeFixtures.cases("url_escape") {
            let input = try #require(item["input"]?.string)
            let plus = item["plus"]?.bool ?? false
            #expect(urlEscape(input, plus: plus) == item["output"]?.string, "\(input) plus=\(plus)")
        }
    }

    @Test func urlUnescapeMatchesTornadoIncludingInvalidUTF8() throws {
        for item in EscapeFixtures.cases("url_unescape") {
            let input = try #require(item["input"]?.string)
            let plus = item["plus"]?.bool ?? false
            #expect(urlUnescape(input, plus: plus) == item["output"]?.string, "\(input) plus=\(plus)")
        }
    }

    @Test func jsonEncodeMatchesTornadoIncludingScriptEndEscaping() throws {
        for item in EscapeFixtures.cases("json_encode") {
            let input = try #require(item["input"]?.string)
            let value = try jsonDecode(input)
            #expect(jsonEncode(value) == item["output"]?.string, "\(input)")
        }
    }

    @Test func jsonDecodeAcceptsAndRejectsWhatPythonDoes() throws {
        for item in EscapeFixtures.cases("json_decode") {
            let input = try #require(item["input"]?.string)
            if let expected = item["output"]?.string {
                // Python re-encoded what it decoded; so do we.
                #expect((try? jsonEncode(jsonDecode(input))) == expected, "\(input)")
            } else {
                #expect(throws: EscapeError.self, "\(input)") { try jsonDecode(input) }
            }
        }
    }

    @Test func squeezeMatchesTornado() throws {
        for item in EscapeFixtures.cases("squeeze") {
            let input = try #require(item["input"]?.string)
            #expect(squeeze(input) == item["output"]?.string, "\(input)")
        }
    }

    @Test func linkifyMatchesTornadoWithEveryOption() throws {
        for item in EscapeFixtures.cases("linkify") {
            let input = try #require(item["input"]?.string)
            guard case .array(let protocols)? = item["permitted_protocols"] else {
                Issue.record("no protocols")
                continue
            }
            let output = linkify(
                input,
                shorten: item["shorten"]?.bool ?? false,
                extraParams: item["extra_params"]?.string ?? "",
                requireProtocol: item["require_protocol"]?.bool ?? false,
                permittedProtocols: protocols.compactMap(\.string)
            )
            #expect(output == item["output"]?.string, "\(input)")
        }
    }
}

/// The Swift-specific parts of the escape module.
struct EscapeSwiftTests {
    struct Model: Encodable {
        var name: String
        var tags: [String]
        var score: Double?
    }

    @Test func encodableValuesAreWrittenInTornadosFormatWithSortedKeys() throws {
        let text = try jsonEncode(Model(name: "</b>", tags: ["x"], score: nil))
        #expect(text == #"{"name": "<\/b>", "tags": ["x"]}"#)
    }

    @Test func linkifyCallsTheParamsClosureWithEachHref() {
        let text = linkify("see www.a.com and http://b.org") { $0.hasPrefix("http://b") ? "rel=\"b\"" : "" }
        #expect(text == #"see <a href="http://www.a.com" >www.a.com</a> and <a href="http://b.org" rel="b">http://b.org</a>"#)
    }

    @Test func toUnicodeRejectsInvalidUTF8AndUTF8RoundTrips() throws {
        #expect(throws: EscapeError.invalidUTF8) { try toUnicode([0xFF, 0x41]) }
        #expect(try toUnicode(utf8("caf\u{e9}")) == "caf\u{e9}")
        #expect(urlUnescapeToBytes("%FF+a") == [0xFF, 0x20, 0x61])
    }

    @Test func jsonDecodeRefusesDeepNestingInsteadOfCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: EscapeError.self) { try jsonDecode(deep) }
    }

    @Test func escapeIntoBufferAppendsBytes() {
        var buffer = Array("x".utf8)
        xhtmlEscape("<a&b>", into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "x&lt;a&amp;b&gt;")
    }
}
