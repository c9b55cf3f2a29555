import Testing

@testable import SquallHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Dates, URLs, cookies, start lines and header parameters beyond the Tornado fixtures, including where Squall
/// deliberately differs from Tornado.
@Suite struct HTTPUtilMiscTests {
    @Test func formatTimestampWritesAnHTTPDate() {
        #expect(formatTimestamp(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(formatTimestamp(1_359_312_200.503611) == "Sun, 27 Jan 2013 18:43:20 GMT")
    }

    @Test func formatTimestampClampsWhatPythonCannotFormatInsteadOfFailing() {
        #expect(formatTimestamp(.nan) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(formatTimestamp(.infinity) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(formatTimestamp(1e20) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(formatTimestamp(-.infinity) == "Mon, 01 Jan 0001 00:00:00 GMT")
        #expect(formatTimestamp(-1e20) == "Mon, 01 Jan 0001 00:00:00 GMT")
    }

    @Test func dateCacheReusesTheTextWithinASecondAndFormatsTheNext() {
        var cache = HTTPDateCache()
        #expect(cache.text(forSecond: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(cache.text(forSecond: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(cache.text(forSecond: 784_111_778) == "Sun, 06 Nov 1994 08:49:38 GMT")
        let before = Int64(time(nil))
        let now = cache.current()
        let after = Int64(time(nil))
        #expect(now == HTTPDate.format(second: before) || now == HTTPDate.format(second: after))
    }

    @Test func urlConcatWithADictionaryAppendsInNameOrder() {
        #expect(urlConcat("/p?z=0", ["b": "2", "a": "1 1"]) == "/p?z=0&a=1+1&b=2")
        #expect(urlConcat("https://h/p#frag", [("c", "d")]) == "https://h/p?c=d#frag")
    }

    @Test func parseCookieSplitsOnSemicolonsOnlyAndUnquotes() {
        #expect(parseCookie("a=b; c=[; d=r; f=h") == ["a": "b", "c": "[", "d": "r", "f": "h"])
        #expect(
            parseCookie(#"keebler="E=mc2; L=\"Loves\"; fudge=\012;""#) == [
                "keebler": "\"E=mc2", "L": "\\\"Loves\\\"", "fudge": "\\012", "": "\"",
            ]
        )
        #expect(parseCookie(#"a="b=\134\042""#) == ["a": "b=\\\""])
    }

    @Test func parseCookieUnquotesLongValuesInOnePass() {
        let value = parseCookie("a=\"b=" + String(repeating: "\\134", count: 100_000) + "\"")["a"]
        #expect(value?.unicodeScalars.count == 100_002)
        #expect(value?.hasSuffix("\\\\\\") == true)
    }

    @Test func requestStartLinesSplitIntoTheirThreeParts() throws {
        #expect(
            try parseRequestStartLine("GET /foo HTTP/1.1")
                == RequestStartLine(method: "GET", path: "/foo", version: "HTTP/1.1")
        )
        #expect(throws: HTTPInputError("Malformed HTTP request line")) { try parseRequestStartLine("GET /foo") }
        #expect(throws: HTTPInputError("Unexpected HTTP version 'HTTP/2.0'")) {
            try parseRequestStartLine("GET / HTTP/2.0")
        }
    }

    @Test func responseStartLinesWithoutAReasonHaveAnEmptyOne() throws {
        #expect(
            try parseResponseStartLine("HTTP/1.1 200 OK")
                == ResponseStartLine(version: "HTTP/1.1", code: 200, reason: "OK")
        )
        #expect(try parseResponseStartLine("HTTP/1.1 204 ").reason == "")
        #expect(throws: HTTPInputError("Error parsing response start line")) {
            try parseResponseStartLine("HTTP/1.1 200")
        }
    }

    @Test func headerParametersDecodeRFC2231AndQuotedValues() {
        let (value, parameters) = parseHeaderParameters(#"form-data; foo="b\\a\"r"; file*=utf-8''T%C3%A4st"#)
        #expect(value == "form-data")
        #expect(parameters == ["foo": "b\\a\"r", "file": "T\u{E4}st"])
    }

    @Test func mixedNumberedAndUnnumberedContinuationsDoNotFailAsInPython() {
        // Python raises TypeError comparing None with an int; Squall puts the unnumbered piece first.
        #expect(parseHeaderParameters("x; a*=b; a*0=c").parameters == ["a": "bc"])
        #expect(parseHeaderParameters("x; a*99999999999999999999999=z; a*2=y").parameters == ["a": "yz"])
    }

    @Test func encodeHeaderParametersIsTheInverseOfParsing() {
        let line = encodeHeaderParameters(
            "permessage-deflate",
            ["client_max_window_bits": "15", "client_no_context_takeover": nil]
        )
        #expect(line == "permessage-deflate; client_max_window_bits=15; client_no_context_takeover")
        #expect(parseHeaderParameters(line).parameters == ["client_max_window_bits": "15"])
    }

    @Test func splitHostAndPortTreatsAPortTooLargeForIntAsNoPort() {
        #expect(splitHostAndPort("example.com:8080") == ("example.com", 8080))
        #expect(splitHostAndPort("example.com:99999999999999999999999") == ("example.com:99999999999999999999999", nil))
    }

    @Test func httpInputErrorDescribesItselfWithItsMessage() {
        #expect(HTTPInputError("bad").description == "bad")
        #expect("\(HTTPInputError("multipart/form-data missing name"))" == "multipart/form-data missing name")
    }
}
