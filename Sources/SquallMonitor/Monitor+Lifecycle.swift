import Foundation
import Logging
import NIOCore
import SquallHTTP
import SquallIO
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import SquallMonitorProtocol

extension Monitor {
    /// Whether an admin address only accepts connections from this machine (`localhost`, `127.0.0.0/8`, `::1`).
    static func isLoopback(_ address: String) -> Bool {
        if address == "localhost" || address == "::1" || address == "[::1]" { return true }
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.dropFirst().allSatisfy { UInt8($0) != nil }
    }

    /// Starts the lag probes and the admin listener on the monitor's own loop, and writes the discovery file.
    ///
    /// Binding anywhere but loopback logs a warning: the admin endpoint can close connections.
    public func start() async throws {
        let alreadyStarted = stateStarted(true)
        guard !alreadyStarted else { return }
        lag.start()
        let auth = AdminAuth(token: token, allowedOrigins: settings.allowedOrigins)
        let monitor = self
        let bootstrap = ServerBootstrap(group: adminGroup)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let peer = channel.remoteAddress?.description ?? "unknown"
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: MonitorProtocol.maxClientMessageSize,
                    automaticErrorHandling: true,
                    shouldUpgrade: { channel, head in
                        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                        guard path == MonitorProtocol.webSocketPath, auth.check(head.headers) == .allowed else {
                            // Not upgraded: the HTTP handler answers with the reason (401, 403, 404).
                            return channel.eventLoop.makeSucceededFuture(nil)
                        }
                        var headers = NIOHTTP1.HTTPHeaders()
                        let offered = head.headers[canonicalForm: "sec-websocket-protocol"].map {
                            $0.trimmingCharacters(in: .whitespaces)
                        }
                        if offered.contains(MonitorProtocol.subprotocol) {
                            headers.add(name: "Sec-WebSocket-Protocol", value: MonitorProtocol.subprotocol)
                        }
                        return channel.eventLoop.makeSucceededFuture(headers)
                    },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(DashboardSession(monitor: monitor, peer: peer))
                        }
                    }
                )
                return channel.eventLoop.makeCompletedFuture {
                    let http = AdminHTTPHandler(monitor: monitor, auth: auth)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                            let sync = context.pipeline.syncOperations
                            if let admin = try? sync.context(handlerType: AdminHTTPHandler.self) {
                                sync.removeHandler(context: admin, promise: nil)
                            }
                        })
                    )
                    try channel.pipeline.syncOperations.addHandler(http)
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: settings.address, port: settings.port).get()
        } catch {
            lag.stop()
            _ = stateStarted(false)
            throw error
        }
        if !Self.isLoopback(settings.address) {
            logger.warning(
                "monitor admin listener bound to \(settings.address): anyone who can reach it and has the token can close connections"
            )
        }
        setListener(channel)
        if settings.discovery, let url = adminURL {
            let record = DiscoveryRecord(
                pid: getpid(),
                program: settings.resolvedProgramName,
                appAddresses: appAddresses,
                adminURL: url,
                token: token,
                startedAt: startedAt
            )
            do {
                let path = try Discovery.write(record, directory: settings.discoveryDirectory ?? Discovery.directory())
                setDiscoveryPath(path)
            } catch {
                logger.warning("monitor could not write its discovery file: \(error)")
            }
        }
    }

    /// Stops the admin listener and the probes, closes dashboard sessions and removes the discovery file.
    public func stop() async {
        lag.stop()
        let (listener, discovery) = takeListenerAndDiscovery()
        if let discovery { Discovery.remove(path: discovery) }
        try? await listener?.close()
        _ = stateStarted(false)
    }

    /// The admin listener's port, once started.
    public var adminPort: Int? { listenerChannel?.localAddress?.port }

    /// The dashboard WebSocket's URL (`ws://127.0.0.1:PORT/ws`), once started.
    public var adminURL: String? {
        guard let port = adminPort else { return nil }
        let host = settings.address.contains(":") ? "[\(settings.address)]" : settings.address
        return "ws://\(host):\(port)\(MonitorProtocol.webSocketPath)"
    }

    /// The admin listener's base HTTP URL (`http://127.0.0.1:PORT`), once started.
    public var adminHTTPURL: String? {
        guard let port = adminPort else { return nil }
        let host = settings.address.contains(":") ? "[\(settings.address)]" : settings.address
        return "http://\(host):\(port)"
    }
}
