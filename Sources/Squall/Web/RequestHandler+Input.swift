import FoundationEssentials
import SquallHTTP

extension RequestHandler {
    /// The value of argument `name` from the query or the body (the last one if repeated), as Tornado's
    /// `get_argument`: decoded as UTF-8, control characters other than tab/newline replaced by spaces, and
    /// stripped of surrounding whitespace unless `strip` is false.
    ///
    /// - Throws: ``MissingArgumentError`` (answered with 400 naming the argument) when absent, ``HTTPError``
    ///   (400) for invalid UTF-8.
    public func getArgument(_ name: String, strip: Bool = true) throws -> String {
        guard let value = try getArgument(name, default: nil, strip: strip) else { throw MissingArgumentError(name) }
        return value
    }

    /// The value of argument `name`, or `defaultValue` when absent; see ``getArgument(_:strip:)``.
    public func getArgument(_ name: String, default defaultValue: String?, strip: Bool = true) throws -> String? {
        try getArguments(name, strip: strip).last ?? defaultValue
    }

    /// Every value of argument `name` from the query and the body, in order (Tornado's `get_arguments`).
    public func getArguments(_ name: String, strip: Bool = true) throws -> [String] {
        try decodedArguments(request.arguments[name] ?? [], name: name, strip: strip)
    }

    /// The value of query argument `name`; see ``getArgument(_:strip:)``.
    public func getQueryArgument(_ name: String, strip: Bool = true) throws -> String {
        guard let value = try getQueryArguments(name, strip: strip).last else { throw MissingArgumentError(name) }
        return value
    }

    /// The value of query argument `name`, or `defaultValue`.
    public func getQueryArgument(_ name: String, default defaultValue: String?, strip: Bool = true) throws -> String? {
        try getQueryArguments(name, strip: strip).last ?? defaultValue
    }

    /// Every value of query argument `name`.
    public func getQueryArguments(_ name: String, strip: Bool = true) throws -> [String] {
        try decodedArguments(request.queryArguments[name] ?? [], name: name, strip: strip)
    }

    /// The value of body argument `name`; see ``getArgument(_:strip:)``.
    public func getBodyArgument(_ name: String, strip: Bool = true) throws -> String {
        guard let value = try getBodyArguments(name, strip: strip).last else { throw MissingArgumentError(name) }
        return value
    }

    /// The value of body argument `name`, or `defaultValue`.
    public func getBodyArgument(_ name: String, default defaultValue: String?, strip: Bool = true) throws -> String? {
        try getBodyArguments(name, strip: strip).last ?? defaultValue
    }

    /// Every value of body argument `name`.
    public func getBodyArguments(_ name: String, strip: Bool = true) throws -> [String] {
        try decodedArguments(request.bodyArguments[name] ?? [], name: name, strip: strip)
    }

    /// Decodes an argument's raw bytes as UTF-8 (Tornado's `decode_argument`; override the behaviour by
    /// decoding ``SquallHTTP/HTTPServerRequest/arguments`` yourself).
    ///
    /// - Throws: ``HTTPError`` (400) for invalid UTF-8.
    public func decodeArgument(_ value: [UInt8], name: String? = nil) throws -> String {
        guard let text = String(validating: value, as: UTF8.self) else {
            throw HTTPError(400, logMessage: "Invalid unicode in \(name ?? "argument"): \(value.prefix(40))")
        }
        return text
    }

    private func decodedArguments(_ values: [[UInt8]], name: String, strip: Bool) throws -> [String] {
        try values.map { raw in
            var text = Self.replacingControlCharacters(try decodeArgument(raw, name: name))
            if strip { text = Self.strippingWhitespace(text) }
            return text
        }
    }

    /// Tornado's `_remove_control_chars_regex`: C0 controls other than tab, LF and CR become spaces.
    private static func replacingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isRemovedControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isRemovedControl(scalar) ? " " : scalar) }
        return String(scalars)
    }

    private static func isRemovedControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r"
    }

    private static func strippingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// The request body decoded from JSON into `type`.
    ///
    /// - Throws: ``HTTPError`` (400) if the body is not valid JSON for `type`.
    public func decodeJSONBody<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(request.body.readableBytesView))
        } catch {
            throw HTTPError(400, logMessage: "Invalid JSON body: \(error)")
        }
    }
}
