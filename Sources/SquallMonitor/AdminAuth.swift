import Foundation
import NIOHTTP1
import SquallMonitorProtocol

/// The admin listener's checks: browser origins refused unless allowed, and the bearer token compared in
/// constant time (from the `Authorization` header, or from a `bearer.<token>` WebSocket subprotocol).
struct AdminAuth: Sendable {
    let token: String
    let allowedOrigins: Set<String>

    enum Verdict: Equatable {
        case allowed
        case forbiddenOrigin(String)
        case unauthorized(String)
    }

    func check(_ headers: HTTPHeaders) -> Verdict {
        if let origin = headers.first(name: "origin"), !allowedOrigins.contains(origin) {
            return .forbiddenOrigin(origin)
        }
        guard let presented = Self.presentedToken(headers) else { return .unauthorized("missing token") }
        return Self.constantTimeEqual(presented, token) ? .allowed : .unauthorized("wrong token")
    }

    static func presentedToken(_ headers: HTTPHeaders) -> String? {
        if let authorization = headers.first(name: "authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        for value in headers[canonicalForm: "sec-websocket-protocol"] {
            let offered = value.trimmingCharacters(in: .whitespaces)
            if offered.hasPrefix(MonitorProtocol.tokenSubprotocolPrefix) {
                return String(offered.dropFirst(MonitorProtocol.tokenSubprotocolPrefix.count))
            }
        }
        return nil
    }

    /// Compares without returning early, so the time taken does not reveal how much of the token matched.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            let p = i < x.count ? x[i] : 0
            let q = i < y.count ? y[i] : 0
            difference |= p ^ q
        }
        return difference == 0
    }
}
