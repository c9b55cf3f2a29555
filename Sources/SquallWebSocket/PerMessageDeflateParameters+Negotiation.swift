/// The compression a side is willing to use (Tornado's `get_compression_options()` result): permessage-deflate
/// with this side's zlib settings; the window and context parameters are negotiated with the peer.
public struct WebSocketCompressionOptions: Sendable, Equatable {
    /// zlib's compression level, 0–9 (Tornado: zlib's default, 6).
    public var compressionLevel: Int
    /// zlib's memory level, 1–9 (Tornado: 8).
    public var memoryLevel: Int

    /// Options with Tornado's defaults.
    public init(compressionLevel: Int = 6, memoryLevel: Int = 8) {
        self.compressionLevel = compressionLevel
        self.memoryLevel = memoryLevel
    }
}

extension PerMessageDeflateParameters {
    private static let known: Set<String> = [
        "server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits",
        "client_max_window_bits",
    ]

    /// Accepts a client's permessage-deflate offer as Tornado does, or returns `nil` when the offer has unknown
    /// or malformed parameters (the server then tries the next offer, as RFC 7692 section 5 allows).
    ///
    /// - Returns: the parameters and the `Sec-WebSocket-Extensions` value to answer with.
    public static func accept(
        offer: [String: String?],
        options: WebSocketCompressionOptions
    ) -> (parameters: PerMessageDeflateParameters, response: String)? {
        guard let parameters = parse(offer, requireServerBitsValue: true, allowEmptyClientBits: true) else {
            return nil
        }
        var result = parameters
        result.compressionLevel = options.compressionLevel
        result.memoryLevel = options.memoryLevel
        // Echo the offer's parameters, except a client_max_window_bits without a value (as Tornado).
        var response = "permessage-deflate"
        for name in ["server_no_context_takeover", "client_no_context_takeover"] where offer[name] != nil {
            response += "; \(name)"
        }
        if case .some(.some(let bits)) = offer["server_max_window_bits"] {
            response += "; server_max_window_bits=\(bits)"
        }
        if case .some(.some(let bits)) = offer["client_max_window_bits"] {
            response += "; client_max_window_bits=\(bits)"
        }
        return (result, response)
    }

    /// Reads the parameters a server answered a client's offer with; `nil` when they are unknown or malformed
    /// (the client then fails the connection).
    public static func fromServerResponse(
        _ parameters: [String: String?],
        options: WebSocketCompressionOptions
    ) -> PerMessageDeflateParameters? {
        guard var result = parse(parameters, requireServerBitsValue: true, allowEmptyClientBits: false) else {
            return nil
        }
        result.compressionLevel = options.compressionLevel
        result.memoryLevel = options.memoryLevel
        return result
    }

    private static func parse(
        _ parameters: [String: String?],
        requireServerBitsValue: Bool,
        allowEmptyClientBits: Bool
    ) -> PerMessageDeflateParameters? {
        guard parameters.keys.allSatisfy(known.contains) else { return nil }
        var result = PerMessageDeflateParameters()
        for name in ["server_no_context_takeover", "client_no_context_takeover"] {
            guard let value = parameters[name] else { continue }
            guard value == nil else { return nil }
            if name == "server_no_context_takeover" {
                result.serverNoContextTakeover = true
            } else {
                result.clientNoContextTakeover = true
            }
        }
        if let value = parameters["server_max_window_bits"] {
            guard let bits = value.flatMap(windowBits) else { return nil }
            result.serverMaxWindowBits = bits
        }
        if let value = parameters["client_max_window_bits"] {
            if let value {
                guard let bits = windowBits(value) else { return nil }
                result.clientMaxWindowBits = bits
            } else if !allowEmptyClientBits {
                return nil
            }
        }
        return result
    }

    private static func windowBits(_ text: String) -> Int? {
        guard text.utf8.count <= 2, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let bits = Int(text), (8...15).contains(bits)
        else { return nil }
        return bits
    }
}
