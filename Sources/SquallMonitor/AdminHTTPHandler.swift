import Logging
import NIOCore
import NIOHTTP1
import SquallMonitorProtocol

/// Answers the admin listener's plain HTTP requests: /healthz, /metrics, /snapshot (a WebSocket upgrade of
/// /ws is taken by NIO's upgrader before this handler sees it).
final class AdminHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let monitor: Monitor
    private let auth: AdminAuth
    private var head: HTTPRequestHead?

    init(monitor: Monitor, auth: AdminAuth) {
        self.monitor = monitor
        self.auth = auth
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break  // no admin endpoint takes a body; it is ignored
        case .end:
            guard let head else { return }
            self.head = nil
            respond(context: context, head: head)
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let peer = context.channel.remoteAddress?.description ?? "unknown"
        switch auth.check(head.headers) {
        case .allowed:
            break
        case .forbiddenOrigin(let origin):
            monitor.logger.warning(
                "monitor refused a browser request",
                metadata: ["squall.monitor.peer": .string(peer), "squall.monitor.origin": .string(origin)]
            )
            send(context: context, head: head, status: .forbidden, body: "Origin \(origin) is not allowed\n")
            return
        case .unauthorized(let why):
            monitor.logger.warning(
                "monitor refused a request: \(why)",
                metadata: ["squall.monitor.peer": .string(peer), "squall.monitor.uri": .string(head.uri)]
            )
            send(
                context: context,
                head: head,
                status: .unauthorized,
                body: "A valid bearer token is required (\(why))\n",
                extra: [("WWW-Authenticate", "Bearer")]
            )
            return
        }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard head.method == .GET || head.method == .HEAD else {
            send(context: context, head: head, status: .methodNotAllowed, body: "Only GET\n", extra: [("Allow", "GET, HEAD")])
            return
        }
        switch path {
        case "/healthz":
            send(context: context, head: head, status: .ok, body: "ok\n")
        case "/metrics":
            send(
                context: context,
                head: head,
                status: .ok,
                body: monitor.metricsText(),
                contentType: "text/plain; version=0.0.4; charset=utf-8"
            )
        case "/snapshot":
            var subscription = Subscription()
            subscription.connections.limit = MonitorProtocol.maxRows
            subscription.webSockets.limit = MonitorProtocol.maxRows
            let body = (try? MonitorCodec.encode(monitor.snapshot(for: subscription))) ?? "{}"
            send(context: context, head: head, status: .ok, body: body + "\n", contentType: "application/json")
        case MonitorProtocol.webSocketPath:
            send(context: context, head: head, status: .badRequest, body: "Expected a WebSocket upgrade\n")
        default:
            send(context: context, head: head, status: .notFound, body: "Not found: try /metrics, /healthz, /snapshot or /ws\n")
        }
    }

    private func send(
        context: ChannelHandlerContext,
        head: HTTPRequestHead,
        status: HTTPResponseStatus,
        body: String,
        contentType: String = "text/plain; charset=utf-8",
        extra: [(String, String)] = []
    ) {
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.utf8.count))])
        headers.add(contentsOf: extra)
        let keepAlive = head.isKeepAlive && status.code < 400
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
    }
}
