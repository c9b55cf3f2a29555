/// A file uploaded in a `multipart/form-data` body (Tornado's `HTTPFile`).
public struct HTTPFile: Sendable, Equatable {
    /// The file name the client sent (RFC 2231 `filename*` decoded when present).
    public var filename: String
    /// The file's bytes.
    public var body: [UInt8]
    /// The part's `Content-Type`, or `"application/unknown"` when it had none.
    public var contentType: String

    /// Creates a file from its name, bytes and content type.
    public init(filename: String, body: [UInt8], contentType: String) {
        self.filename = filename
        self.body = body
        self.contentType = contentType
    }
}

/// Limits for parsing `multipart/form-data` bodies (Tornado's `ParseMultipartConfig`, 6.5.5).
public struct ParseMultipartConfig: Sendable, Equatable {
    /// Whether multipart bodies are parsed at all; when `false` they are rejected. Default `true`.
    public var enabled: Bool
    /// The most parts accepted, counting the (usually empty) preamble before the first boundary as Tornado does,
    /// so at most `maxParts - 1` fields and files. Default 100.
    public var maxParts: Int
    /// The most bytes of headers accepted in one part. Default 10 KiB.
    public var maxPartHeaderSize: Int

    /// Creates a configuration; the defaults are Tornado's.
    public init(enabled: Bool = true, maxParts: Int = 100, maxPartHeaderSize: Int = 10 * 1024) {
        self.enabled = enabled
        self.maxParts = maxParts
        self.maxPartHeaderSize = maxPartHeaderSize
    }
}

/// Limits for parsing `application/x-www-form-urlencoded` bodies (Tornado's `ParseUrlEncodedConfig`, 6.5.8).
public struct ParseUrlEncodedConfig: Sendable, Equatable {
    /// The most fields accepted (one more than the number of `&`). Default 1000.
    public var maxArguments: Int

    /// Creates a configuration; the default is Tornado's.
    public init(maxArguments: Int = 1000) {
        self.maxArguments = maxArguments
    }
}

/// Limits for parsing request bodies into arguments and files (Tornado's `ParseBodyConfig`).
public struct ParseBodyConfig: Sendable, Equatable {
    /// Limits for `multipart/form-data` bodies.
    public var multipart: ParseMultipartConfig
    /// Limits for `application/x-www-form-urlencoded` bodies.
    public var urlencoded: ParseUrlEncodedConfig

    /// Creates a configuration; the defaults are Tornado's.
    public init(multipart: ParseMultipartConfig = .init(), urlencoded: ParseUrlEncodedConfig = .init()) {
        self.multipart = multipart
        self.urlencoded = urlencoded
    }

    /// Tornado's defaults: multipart enabled, 100 parts, 10 KiB part headers, 1000 urlencoded fields.
    public static let `default` = ParseBodyConfig()
}

/// Parses a form body into `arguments` and `files` (Tornado 6.6's `parse_body_arguments`).
///
/// A `contentType` starting with `application/x-www-form-urlencoded` is parsed as a query string (see
/// ``parseQueryArguments(_:maxFields:)``); one starting with `multipart/form-data` is split on the `boundary`
/// parameter (which may be quoted) by ``parseMultipartFormData(boundary:data:arguments:files:config:)``. Other
/// content types leave both dictionaries unchanged. Values are appended to what the dictionaries already hold.
/// As in Tornado 6.6, malformed bodies throw rather than being logged and skipped, and on an error the
/// dictionaries may already hold the parts parsed before it.
/// - Parameters:
///   - contentType: The request's `Content-Type` header.
///   - body: The request body.
///   - arguments: Receives form fields, by name; values are raw bytes.
///   - files: Receives uploaded files, by field name.
///   - headers: The request headers; a `Content-Encoding` among them makes a form body an error, because the body
///     should have been decoded already.
///   - config: The limits; Tornado's defaults unless given.
/// - Throws: ``HTTPInputError``: `"Unsupported Content-Encoding: gzip"`, `"Invalid x-www-form-urlencoded body: Max
///   number of fields exceeded"`, or `"Invalid multipart/form-data: …"` with the reason (no boundary, no final
///   boundary, too many parts, part header too large, missing headers, missing name, disabled, bad part headers).
public func parseBodyArguments(
    contentType: String,
    body: some Collection<UInt8>,
    arguments: inout [String: [[UInt8]]],
    files: inout [String: [HTTPFile]],
    headers: HTTPHeaders? = nil,
    config: ParseBodyConfig = .default
) throws(HTTPInputError) {
    let scalars = contentType.unicodeScalars
    let isURLEncoded = scalars.starts(with: "application/x-www-form-urlencoded".unicodeScalars)
    guard isURLEncoded || scalars.starts(with: "multipart/form-data".unicodeScalars) else { return }
    if let headers, !headers.isEmpty, let encoding = headers["Content-Encoding"] {
        throw HTTPInputError("Unsupported Content-Encoding: \(encoding)")
    }
    let bytes = body as? [UInt8] ?? Array(body)
    if isURLEncoded {
        do {
            try QueryString.parse(bytes[...], maxFields: config.urlencoded.maxArguments) { name, value in
                arguments[name, default: []].append(value)
            }
        } catch {
            throw HTTPInputError("Invalid x-www-form-urlencoded body: \(error.message)")
        }
        return
    }
    do throws(HTTPInputError) {
        let fields = scalars.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = fields.first, PythonText.strip(first).elementsEqual("multipart/form-data".unicodeScalars)
        else {
            throw HTTPInputError("Invalid content type")
        }
        for field in fields {
            let field = PythonText.strip(field)
            guard let equals = field.firstIndex(of: "="), field[..<equals].elementsEqual("boundary".unicodeScalars)
            else { continue }
            let boundary = String(scalars: field[field.index(after: equals)...])
            guard !boundary.isEmpty else { continue }
            try parseMultipartFormData(
                boundary: Array(boundary.utf8),
                data: bytes,
                arguments: &arguments,
                files: &files,
                config: config.multipart
            )
            return
        }
        throw HTTPInputError("multipart boundary not found")
    } catch {
        throw HTTPInputError("Invalid multipart/form-data: \(error.message)")
    }
}
