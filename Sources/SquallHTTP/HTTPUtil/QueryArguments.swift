/// Parses a query string into arguments (Tornado's `parse_qs_bytes(query, keep_blank_values=True)`, as
/// `HTTPServerRequest` calls it).
///
/// Fields are separated by `&` only (not `;`); in names and values `+` is a space and `%XX` escapes are decoded.
/// Fields without `=` and empty values are kept with an empty value; empty fields are skipped. Values stay raw
/// bytes, as in Tornado, for the web layer to decode; names are decoded as UTF-8, invalid bytes becoming U+FFFD
/// (Tornado decodes names as ISO-8859-1, which mangles non-ASCII names). The query's bytes are its UTF-8.
/// - Parameters:
///   - query: The part of the URI after `?`, without the `?`.
///   - maxFields: The most fields accepted, counted as Tornado does (one more than the number of `&`, empty fields
///     included); Tornado's default is 1000.
/// - Throws: ``HTTPInputError`` `"Invalid query string: Max number of fields exceeded"` past `maxFields`.
public func parseQueryArguments(_ query: String, maxFields: Int = 1000) throws(HTTPInputError) -> [String: [[UInt8]]] {
    var arguments: [String: [[UInt8]]] = [:]
    do {
        try QueryString.parse(Array(query.utf8)[...], maxFields: maxFields) { arguments[$0, default: []].append($1) }
    } catch {
        throw HTTPInputError("Invalid query string: \(error.message)")
    }
    return arguments
}

/// Parses a query string into (name, value) pairs in the order they appear, with the rules and limit of
/// ``parseQueryArguments(_:maxFields:)``.
///
/// - Throws: ``HTTPInputError`` `"Invalid query string: Max number of fields exceeded"` past `maxFields`.
public func parseQueryArgumentPairs(
    _ query: String,
    maxFields: Int = 1000
) throws(HTTPInputError) -> [(name: String, value: [UInt8])] {
    var pairs: [(name: String, value: [UInt8])] = []
    do {
        try QueryString.parse(Array(query.utf8)[...], maxFields: maxFields) { pairs.append(($0, $1)) }
    } catch {
        throw HTTPInputError("Invalid query string: \(error.message)")
    }
    return pairs
}

/// Tornado's `parse_qs_bytes` with `keep_blank_values=True`, over bytes.
enum QueryString {
    /// Calls `visit` with each (name, value) in order.
    /// - Throws: ``HTTPInputError`` with Python's bare `"Max number of fields exceeded"`; callers add context.
    static func parse(
        _ bytes: ArraySlice<UInt8>,
        maxFields: Int,
        _ visit: (String, [UInt8]) -> Void
    ) throws(HTTPInputError) {
        guard !bytes.isEmpty else { return }
        let ampersand = UInt8(ascii: "&")
        var fields = 1
        for byte in bytes where byte == ampersand { fields += 1 }
        guard fields <= maxFields else { throw HTTPInputError("Max number of fields exceeded") }
        for field in bytes.split(separator: ampersand, omittingEmptySubsequences: true) {
            let name: ArraySlice<UInt8>
            let value: ArraySlice<UInt8>
            if let equals = field.firstIndex(of: UInt8(ascii: "=")) {
                name = field[..<equals]
                value = field[(equals + 1)...]
            } else {
                name = field
                value = []
            }
            let decodedName = PercentEncoding.decode(name, plusAsSpace: true)
            visit(String(decoding: decodedName, as: UTF8.self), PercentEncoding.decode(value, plusAsSpace: true))
        }
    }
}
