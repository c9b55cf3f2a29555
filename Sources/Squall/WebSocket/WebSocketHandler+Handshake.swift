import NIOCore
import SquallIO
import SquallWebSocket

extension WebSocketHandler {
    /// Checks the handshake headers and the origin, negotiates subprotocol and compression, answers 101 and
    /// starts the connection.
    func upgradeToWebSocket() async throws {
        let headers = request.headers
        guard headers["Upgrade"]?.lowercased() == "websocket" else {
            try await refuse(400, "Can \"Upgrade\" only to \"WebSocket\".")
            return
        }
        let connection = WebSocketHandshake.tokens(headers["Connection"] ?? "").map { $0.lowercased() }
        guard connection.contains("upgrade") else {
            try await refuse(400, "\"Connection\" must be \"Upgrade\".")
            return
        }
        if let origin = headers["Origin"] ?? headers["Sec-Websocket-Origin"], !checkOrigin(origin) {
            try await refuse(403, "Cross origin websockets not allowed")
            return
        }
        guard let version = headers["Sec-WebSocket-Version"], ["7", "8", "13"].contains(version) else {
            try setHeader("Sec-WebSocket-Version", "7, 8, 13")
            try await refuse(426, "Upgrade Required")
            return
        }
        guard let key = headers["Sec-WebSocket-Key"], WebSocketHandshake.isValidKey(key) else {
            try await refuse(400, "Missing/Invalid WebSocket headers")
            return
        }
        try await accept(key: key)
    }

    private func refuse(_ status: Int, _ message: String) async throws {
        setStatus(status)
        write(message)
        try await finish()
    }

    private func accept(key: String) async throws {
        var responseHeaders = HTTPHeaders()
        responseHeaders["Upgrade"] = "websocket"
        responseHeaders["Connection"] = "Upgrade"
        responseHeaders["Sec-WebSocket-Accept"] = WebSocketHandshake.acceptValue(forKey: key)
        let offered = WebSocketHandshake.tokens(request.headers["Sec-WebSocket-Protocol"] ?? "")
        if !offered.isEmpty, let chosen = selectSubprotocol(offered) {
            guard offered.contains(chosen) else {
                throw HTTPError(500, logMessage: "selectSubprotocol returned \(chosen), which the client did not offer")
            }
            selectedSubprotocol = chosen
            responseHeaders["Sec-WebSocket-Protocol"] = chosen
        }
        var deflate: PerMessageDeflateParameters?
        if let compression = getCompressionOptions(), let header = request.headers["Sec-WebSocket-Extensions"] {
            for offer in WebSocketHandshake.parseExtensions(header) where offer.name == "permessage-deflate" {
                if let accepted = PerMessageDeflateParameters.accept(offer: offer.parameters, options: compression) {
                    deflate = accepted.parameters
                    responseHeaders["Sec-WebSocket-Extensions"] = accepted.response
                    break
                }
            }
        }
        var options = WebSocketOptions()
        options.maxMessageSize = maxMessageSize
        options.pingInterval = pingInterval
        options.pingTimeout = pingTimeout
        options.observer = settings.webSocketObserver
        options.observerPreviews = settings.webSocketObserverPreviews
        let info = WebSocketConnectionInfo(
            connectionID: request.connectionID,
            path: request.path,
            peer: request.remoteIP,
            subprotocol: selectedSubprotocol,
            compression: deflate?.headerValue
        )
        let loop = IOLoop.current
        let connection = try WebSocketConnection(
            role: .server,
            options: options,
            deflate: deflate,
            info: info,
            loop: loop,
            delegate: self
        )
        webSocketConnection = connection
        statusCode = 101
        finished = true
        do {
            try await response.upgrade(headers: responseHeaders) { channel in
                try WebSocketConnection.install(connection, on: channel)
            }
        } catch {
            webSocketConnection = nil
            throw error
        }
        application.logRequest(self)
    }
}
