import Testing

@testable import SquallHTTP

/// Body, multipart and query parsing: limits, accumulation and inputs Tornado's own tests use.
@Suite struct HTTPUtilBodyTests {
    static let form = "application/x-www-form-urlencoded"

    static func filePart(name: String = "files", filename: String = "ab.txt", content: String = "Foo") -> String {
        "--1234\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n\r\n\(content)\r\n"
    }

    @Test func urlencodedBodiesOverMaxArgumentsAreRejectedNamingTheLimit() {
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        let body = Array(String(repeating: "a=1&", count: 1001).utf8)
        let error = #expect(throws: HTTPInputError.self) {
            try parseBodyArguments(contentType: Self.form, body: body, arguments: &arguments, files: &files)
        }
        #expect(error?.message == "Invalid x-www-form-urlencoded body: Max number of fields exceeded")
        let config = ParseBodyConfig(urlencoded: ParseUrlEncodedConfig(maxArguments: 2000))
        #expect(throws: Never.self) {
            try parseBodyArguments(
                contentType: Self.form,
                body: body,
                arguments: &arguments,
                files: &files,
                config: config
            )
        }
        #expect(arguments["a"]?.count == 1001)
    }

    @Test func queryStringsOverMaxFieldsAreRejectedNamingTheLimit() throws {
        let query = (0..<1001).map { "a=\($0)" }.joined(separator: "&")
        #expect(throws: HTTPInputError("Invalid query string: Max number of fields exceeded")) {
            try parseQueryArguments(query)
        }
        #expect(try parseQueryArguments(query, maxFields: 1001)["a"]?.count == 1001)
    }

    @Test func multipartBodiesOverMaxPartsAreRejectedNamingTheLimit() throws {
        let body = Array((Self.filePart() + Self.filePart() + "--1234--").utf8)
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        // The empty preamble counts as a part, as in Tornado: two files need maxParts 3.
        for (maxParts, fails) in [(0, true), (2, true), (3, false)] {
            let config = ParseMultipartConfig(maxParts: maxParts)
            let run = { () throws(HTTPInputError) in
                try parseMultipartFormData(
                    boundary: Array("1234".utf8),
                    data: body,
                    arguments: &arguments,
                    files: &files,
                    config: config
                )
            }
            if fails {
                #expect(throws: HTTPInputError("multipart/form-data has too many parts"), performing: run)
            } else {
                try run()
            }
        }
        #expect(files["files"]?.count == 2)
    }

    @Test func multipartPartHeadersOverTheSizeLimitAreRejectedNamingTheLimit() {
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        let body = Array((Self.filePart() + "--1234--").utf8)
        let config = ParseBodyConfig(multipart: ParseMultipartConfig(maxPartHeaderSize: 10))
        #expect(throws: HTTPInputError("Invalid multipart/form-data: multipart/form-data part header too large")) {
            try parseBodyArguments(
                contentType: "multipart/form-data; boundary=1234",
                body: body,
                arguments: &arguments,
                files: &files,
                config: config
            )
        }
    }

    @Test func disabledMultipartParsingRejectsMultipartBodies() {
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        let config = ParseBodyConfig(multipart: ParseMultipartConfig(enabled: false))
        #expect(throws: HTTPInputError("Invalid multipart/form-data: multipart/form-data parsing is disabled")) {
            try parseBodyArguments(
                contentType: "multipart/form-data; boundary=foo",
                body: Array("--foo--\r\n".utf8),
                arguments: &arguments,
                files: &files,
                config: config
            )
        }
    }

    @Test func aContentEncodingMakesAFormBodyAnError() {
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        #expect(throws: HTTPInputError("Unsupported Content-Encoding: gzip")) {
            try parseBodyArguments(
                contentType: Self.form,
                body: Array("a=1".utf8),
                arguments: &arguments,
                files: &files,
                headers: ["Content-Encoding": "gzip"]
            )
        }
    }

    @Test func parsedValuesAreAppendedToWhatTheDictionariesHold() throws {
        var arguments: [String: [[UInt8]]] = ["a": [Array("0".utf8)]]
        var files: [String: [HTTPFile]] = ["files": [HTTPFile(filename: "old", body: [], contentType: "x/y")]]
        try parseBodyArguments(
            contentType: Self.form,
            body: Array("a=1&b=2&a=3".utf8)[...],
            arguments: &arguments,
            files: &files
        )
        #expect(arguments == ["a": [Array("0".utf8), Array("1".utf8), Array("3".utf8)], "b": [Array("2".utf8)]])
        try parseBodyArguments(
            contentType: "multipart/form-data; boundary=\"1234\"",
            body: Array((Self.filePart(content: "new") + "--1234--\r\n").utf8),
            arguments: &arguments,
            files: &files
        )
        #expect(files["files"]?.map(\.filename) == ["old", "ab.txt"])
        #expect(
            files["files"]?.last
                == HTTPFile(filename: "ab.txt", body: Array("new".utf8), contentType: "application/unknown")
        )
    }

    @Test func otherContentTypesLeaveTheDictionariesUnchanged() throws {
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        for contentType in ["application/json", "text/plain", "", "Multipart/form-data; boundary=1234"] {
            try parseBodyArguments(
                contentType: contentType,
                body: Array("a=1".utf8),
                arguments: &arguments,
                files: &files
            )
        }
        #expect(arguments.isEmpty && files.isEmpty)
    }

    @Test func queryArgumentPairsKeepTheirOrder() throws {
        let pairs = try parseQueryArgumentPairs("b=1&a=2&b=3&c")
        #expect(pairs.map(\.name) == ["b", "a", "b", "c"])
        #expect(pairs.map(\.value) == [Array("1".utf8), Array("2".utf8), Array("3".utf8), []])
    }

    @Test func queryArgumentsDecodePlusAndEscapesButKeepValuesAsBytes() throws {
        let arguments = try parseQueryArguments("na+me%21=%ff%00+x&%C3%A9=1")
        #expect(arguments["na me!"] == [[0xFF, 0x00, 0x20, 0x78]])
        #expect(arguments["\u{E9}"] == [Array("1".utf8)])
    }

    @Test func anAdversarialBodyOfPartialBoundariesIsRejectedInLinearTime() {
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        let boundary = Array(String(repeating: "a", count: 1000).utf8)
        let data = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        #expect(throws: HTTPInputError("Invalid multipart/form-data: no final boundary found")) {
            try parseMultipartFormData(boundary: boundary, data: data, arguments: &arguments, files: &files)
        }
    }
}
