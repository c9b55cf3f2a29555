/// Splits a `host:port` network location into host and port (Tornado's `split_host_and_port`).
///
/// The port is the decimal digits after the last colon; without them the whole string is the host and the port
/// is `nil`. As in Tornado, `"[::1]:8080"` gives `("[::1]", 8080)` but `"::1"` gives `("::", 1)`, and one trailing
/// newline is ignored. A port too large for `Int` is treated as no port (Python has unbounded integers).
public func splitHostAndPort(_ netloc: String) -> (host: String, port: Int?) {
    // Python: re.match(r"^(.+):(\d+)$", netloc); "." excludes "\n", "$" also matches before a final "\n", and
    // "\d" is any Unicode decimal digit.
    var scalars = netloc.unicodeScalars[...]
    if scalars.last == "\n" { scalars.removeLast() }
    guard let colon = scalars.lastIndex(of: ":"), colon > scalars.startIndex else { return (netloc, nil) }
    let host = scalars[..<colon]
    let digits = scalars[scalars.index(after: colon)...]
    guard !digits.isEmpty, !host.contains("\n") else { return (netloc, nil) }
    var port = 0
    for digit in digits {
        guard digit.properties.numericType == .decimal, let value = digit.properties.numericValue else {
            return (netloc, nil)
        }
        let (shifted, overflow) = port.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = shifted.addingReportingOverflow(Int(value))
        guard !overflow, !overflow2 else { return (netloc, nil) }
        port = sum
    }
    return (String(scalars: host), port)
}
