import Testing

@testable import SquallHTTP

/// Every fixture generated from the real Tornado 6.6.1 (Fixtures/HTTPUtilFixtures.swift) gives Tornado's answer.
@Suite struct HTTPUtilTests {
    @Test(arguments: HTTPUtilFixtures.cookies)
    func parseCookieMatchesTornado(_ fixture: CookieFixture) {
        #expect(parseCookie(fixture.input) == fixture.expected)
    }

    @Test(arguments: HTTPUtilFixtures.urlConcat)
    func urlConcatWithPairsMatchesTornado(_ fixture: URLConcatFixture) {
        #expect(urlConcat(fixture.url, fixture.args) == fixture.expected)
    }

    @Test(arguments: HTTPUtilFixtures.urlConcatDict)
    func urlConcatWithADictionaryMatchesTornado(_ fixture: URLConcatDictFixture) {
        #expect(urlConcat(fixture.url, fixture.args) == fixture.expected)
    }

    @Test(arguments: HTTPUtilFixtures.queries)
    func parseQueryArgumentsMatchesTornado(_ fixture: QueryFixture) throws {
        switch fixture.expected {
        case .value(let expected):
            #expect(try parseQueryArguments(fixture.query, maxFields: fixture.maxFields) == expected)
            let pairs = try parseQueryArgumentPairs(fixture.query, maxFields: fixture.maxFields)
            #expect(Dictionary(grouping: pairs, by: \.name).mapValues { $0.map(\.value) } == expected)
        case .error(let message):
            #expect(throws: HTTPInputError(message)) {
                try parseQueryArguments(fixture.query, maxFields: fixture.maxFields)
            }
        }
    }

    @Test(arguments: HTTPUtilFixtures.multipart)
    func parseMultipartFormDataMatchesTornado(_ fixture: MultipartFixture) {
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        let outcome = Result { () throws(HTTPInputError) in
            try parseMultipartFormData(
                boundary: fixture.boundary,
                data: fixture.data,
                arguments: &arguments,
                files: &files,
                config: fixture.config.body.multipart
            )
        }
        Self.check(outcome, arguments: arguments, files: files, against: fixture.expected)
    }

    @Test(arguments: HTTPUtilFixtures.bodies)
    func parseBodyArgumentsMatchesTornado(_ fixture: BodyFixture) {
        var arguments: [String: [[UInt8]]] = [:]
        var files: [String: [HTTPFile]] = [:]
        let outcome = Result { () throws(HTTPInputError) in
            try parseBodyArguments(
                contentType: fixture.contentType,
                body: fixture.body,
                arguments: &arguments,
                files: &files,
                headers: fixture.headers.map { HTTPHeaders($0) },
                config: fixture.config.body
            )
        }
        Self.check(outcome, arguments: arguments, files: files, against: fixture.expected)
    }

    @Test(arguments: HTTPUtilFixtures.headerBlocks)
    func parseHeadersMatchesTornado(_ fixture: HeaderBlockFixture) throws {
        switch fixture.expected {
        case .value(let expected):
            let headers = try HTTPHeaders.parse(fixture.input)
            #expect(headers.allPairs.map(Pair.init) == expected.pairs.map(Pair.init))
            #expect(headers.count == expected.count)
            #expect(headers.description == expected.text)
            for (name, _) in expected.pairs {
                let values = expected.pairs.filter { $0.0 == name }.map(\.1)
                #expect(headers[name] == values.joined(separator: ","))
                #expect(headers.getList(name.uppercased()) == values)
            }
        case .error(let message):
            #expect(throws: HTTPInputError(message)) { try HTTPHeaders.parse(fixture.input) }
        }
    }

    @Test(arguments: HTTPUtilFixtures.requestLines)
    func parseRequestStartLineMatchesTornado(_ fixture: RequestLineFixture) throws {
        switch fixture.expected {
        case .value(let expected): #expect(try parseRequestStartLine(fixture.line) == expected)
        case .error(let message): #expect(throws: HTTPInputError(message)) { try parseRequestStartLine(fixture.line) }
        }
    }

    @Test(arguments: HTTPUtilFixtures.responseLines)
    func parseResponseStartLineMatchesTornado(_ fixture: ResponseLineFixture) throws {
        switch fixture.expected {
        case .value(let expected): #expect(try parseResponseStartLine(fixture.line) == expected)
        case .error(let message): #expect(throws: HTTPInputError(message)) { try parseResponseStartLine(fixture.line) }
        }
    }

    @Test(arguments: HTTPUtilFixtures.timestamps)
    func formatTimestampMatchesTornado(_ fixture: TimestampFixture) {
        #expect(formatTimestamp(fixture.seconds) == fixture.expected)
    }

    @Test(arguments: HTTPUtilFixtures.headerParameters)
    func parseHeaderParametersMatchesTornado(_ fixture: HeaderParametersFixture) {
        let (value, parameters) = parseHeaderParameters(fixture.line)
        #expect(value == fixture.value)
        #expect(parameters == fixture.parameters)
    }

    @Test(arguments: HTTPUtilFixtures.encodedHeaders)
    func encodeHeaderParametersMatchesTornado(_ fixture: EncodeHeaderFixture) {
        #expect(encodeHeaderParameters(fixture.value, fixture.parameters) == fixture.expected)
    }

    @Test(arguments: HTTPUtilFixtures.hostsAndPorts)
    func splitHostAndPortMatchesTornado(_ fixture: HostAndPortFixture) {
        let (host, port) = splitHostAndPort(fixture.netloc)
        #expect(host == fixture.host)
        #expect(port == fixture.port)
    }

    @Test(arguments: HTTPUtilFixtures.headerNames)
    func normalizeNameMatchesTornado(_ fixture: HeaderNameFixture) {
        #expect(HTTPHeaders.normalizeName(fixture.name) == fixture.expected)
    }

    /// Compares a parse result with a fixture's expected arguments and files, or its error.
    static func check(
        _ outcome: Result<Void, HTTPInputError>,
        arguments: [String: [[UInt8]]],
        files: [String: [HTTPFile]],
        against expected: FixtureOutcome<BodyResultFixture>
    ) {
        switch (outcome, expected) {
        case (.success, .value(let expected)):
            #expect(arguments == expected.arguments)
            #expect(files == expected.files)
        case (.failure(let error), .error(let message)):
            #expect(error.message == message)
        case (.success, .error(let message)):
            Issue.record("expected HTTPInputError(\(message)), got arguments \(arguments) and files \(files)")
        case (.failure(let error), .value):
            Issue.record("expected success, got \(error)")
        }
    }
}

/// A header (name, value) pair that can be compared.
struct Pair: Equatable, CustomStringConvertible {
    var name: String
    var value: String

    init(_ pair: (String, String)) {
        (name, value) = pair
    }

    var description: String { "\(name): \(value)" }
}

extension BodyConfigFixture {
    /// The configuration this fixture describes.
    var body: ParseBodyConfig {
        ParseBodyConfig(
            multipart: ParseMultipartConfig(
                enabled: multipartEnabled,
                maxParts: maxParts,
                maxPartHeaderSize: maxPartHeaderSize
            ),
            urlencoded: ParseUrlEncodedConfig(maxArguments: maxArguments)
        )
    }
}

extension CookieFixture: CustomTestStringConvertible {
    var testDescription: String { String(reflecting: input).prefix(80).description }
}

extension QueryFixture: CustomTestStringConvertible {
    var testDescription: String { "\(String(reflecting: query).prefix(80)) maxFields \(maxFields)" }
}

extension HeaderBlockFixture: CustomTestStringConvertible {
    var testDescription: String { String(reflecting: input).prefix(80).description }
}

extension MultipartFixture: CustomTestStringConvertible {
    var testDescription: String { String(reflecting: String(decoding: data.prefix(100), as: UTF8.self)) }
}

extension BodyFixture: CustomTestStringConvertible {
    var testDescription: String {
        "\(contentType): \(String(reflecting: String(decoding: body.prefix(80), as: UTF8.self)))"
    }
}
