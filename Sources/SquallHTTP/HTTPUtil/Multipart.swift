/// Parses a `multipart/form-data` body into `arguments` and `files` (Tornado 6.6's `parse_multipart_form_data`).
///
/// A boundary in double quotes is unquoted. Everything after the last `--boundary--` is ignored. Each part needs
/// headers (ended by an empty line) with `Content-Disposition: form-data` and a non-empty `name` (RFC 2231
/// `name*`/`filename*` decoded); a part with a non-empty `filename` is a file, any other a field. Part headers are
/// UTF-8 text, checked as Tornado checks them (token names, no control characters in values, no folding).
/// Values are appended to what the dictionaries already hold; on an error they may hold the parts before it.
/// - Parameters:
///   - boundary: The `boundary` parameter of the `Content-Type`, as bytes, quoted or not.
///   - data: The body.
///   - arguments: Receives form fields, by name; values are raw bytes.
///   - files: Receives uploaded files, by field name.
///   - config: The limits; Tornado's defaults unless given.
/// - Throws: ``HTTPInputError``: `"multipart/form-data parsing is disabled"`, `"Invalid multipart/form-data: no
///   final boundary found"`, `"multipart/form-data has too many parts"`, `"multipart/form-data part header too
///   large"`, `"multipart/form-data missing headers"`, `"Invalid multipart/form-data"` (not `form-data`, or a part
///   not ended by CRLF), `"multipart/form-data missing name"`, a part-header error from ``HTTPHeaders/parse(_:)``,
///   or Python's message for part headers that are not UTF-8.
public func parseMultipartFormData(
    boundary: some Collection<UInt8>,
    data: some Collection<UInt8>,
    arguments: inout [String: [[UInt8]]],
    files: inout [String: [HTTPFile]],
    config: ParseMultipartConfig = .init()
) throws(HTTPInputError) {
    guard config.enabled else { throw HTTPInputError("multipart/form-data parsing is disabled") }
    let quote = UInt8(ascii: "\"")
    var boundary = Array(boundary)
    if boundary.first == quote && boundary.last == quote { boundary = Array(boundary.dropFirst().dropLast()) }
    let dash = UInt8(ascii: "-")
    let data = (data as? [UInt8] ?? Array(data))[...]
    guard let finalBoundary = ByteSearch.lastIndex(of: [dash, dash] + boundary + [dash, dash], in: data) else {
        throw HTTPInputError("Invalid multipart/form-data: no final boundary found")
    }
    // Tornado counts the preamble before the first boundary as a part, so `maxParts` allows `maxParts - 1` fields.
    guard config.maxParts >= 0 else { throw HTTPInputError("multipart/form-data has too many parts") }
    let separator = ByteSearch([dash, dash] + boundary + [0x0D, 0x0A])
    let maxSplits = config.maxParts == Int.max ? Int.max : config.maxParts + 1
    let parts = separator.split(data[..<finalBoundary], maxSplits: maxSplits)
    guard parts.count <= config.maxParts else { throw HTTPInputError("multipart/form-data has too many parts") }
    let endOfHeaders = ByteSearch([0x0D, 0x0A, 0x0D, 0x0A])
    for part in parts where !part.isEmpty {
        guard let headerEnd = endOfHeaders.firstIndex(in: part) else {
            throw HTTPInputError("multipart/form-data missing headers")
        }
        guard headerEnd - part.startIndex <= config.maxPartHeaderSize else {
            throw HTTPInputError("multipart/form-data part header too large")
        }
        let headerBytes = part[..<headerEnd]
        if let message = PythonText.utf8DecodeError(headerBytes) { throw HTTPInputError(message) }
        let headers = try HTTPHeaders.parse(String(decoding: headerBytes, as: UTF8.self), charsAreBytes: false)
        let (disposition, parameters) = parseHeaderParameters(headers["Content-Disposition"] ?? "")
        guard disposition == "form-data", part.count >= 2, part[part.endIndex - 2] == 0x0D,
            part[part.endIndex - 1] == 0x0A
        else { throw HTTPInputError("Invalid multipart/form-data") }
        let valueStart = headerEnd + 4
        let value = valueStart < part.endIndex - 2 ? Array(part[valueStart..<(part.endIndex - 2)]) : []
        guard let name = parameters["name"], !name.isEmpty else {
            throw HTTPInputError("multipart/form-data missing name")
        }
        if let filename = parameters["filename"], !filename.isEmpty {
            let contentType = headers["Content-Type"] ?? "application/unknown"
            files[name, default: []].append(HTTPFile(filename: filename, body: value, contentType: contentType))
        } else {
            arguments[name, default: []].append(value)
        }
    }
}
