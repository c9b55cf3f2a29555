import SquallTemplate

/// The UI modules one page render has used, so ``RequestHandler/render(_:_:)`` can add their CSS and JavaScript
/// (Tornado keeps them in the handler's `_active_modules`).
public final class TemplateSession: @unchecked Sendable {
    // Used only on the handler's loop during one render.
    var modules: [(name: String, module: UIModule)] = []

    init() {}

    /// The module called `name`, created on first use.
    func module(_ name: String, type: UIModule.Type, handler: RequestHandler) -> UIModule {
        if let existing = modules.first(where: { $0.name == name }) { return existing.module }
        let module = type.init(handler: handler, session: self)
        modules.append((name, module))
        return module
    }
}

/// `_tt_modules` / `modules` in the template namespace: `{% module Name(args) %}` calls the module's render.
final class UIModuleNamespace: TemplateObject, @unchecked Sendable {
    let handler: RequestHandler
    let session: TemplateSession
    let types: [String: UIModule.Type]

    init(handler: RequestHandler, session: TemplateSession) {
        self.handler = handler
        self.session = session
        var types: [String: UIModule.Type] = [
            "linkify": LinkifyModule.self, "xsrf_form_html": XSRFFormModule.self, "Template": TemplateModule.self,
        ]
        types.merge(handler.settings.uiModules) { $1 }
        self.types = types
    }

    func templateAttribute(_ name: String) throws -> TemplateValue? {
        guard let type = types[name] else { return nil }
        return .function(
            TemplateFunction(name) { [self] arguments in
                .string(try session.module(name, type: type, handler: handler).render(arguments))
            }
        )
    }

    var templateDescription: String { "<modules>" }
}

/// `handler` in the template namespace: the request handler's commonly used parts.
final class HandlerTemplateObject: TemplateObject, @unchecked Sendable {
    let handler: RequestHandler

    init(_ handler: RequestHandler) { self.handler = handler }

    func templateAttribute(_ name: String) throws -> TemplateValue? {
        switch name {
        case "request": .object(RequestTemplateObject(handler.request))
        case "current_user": TemplateValue(try handler.currentUser as Any)
        case "settings": TemplateValue.none
        case "xsrf_token": .string(try handler.xsrfToken)
        case "get_argument":
            .function(
                TemplateFunction("get_argument") { [handler] arguments in
                    let name = try arguments.required(0, "name", function: "get_argument").str
                    if let fallback = arguments.value(1, "default") {
                        return try handler.getArgument(name, default: fallback.isNoneValue ? nil : fallback.str)
                            .map(TemplateValue.string) ?? .none
                    }
                    return .string(try handler.getArgument(name))
                }
            )
        case "static_url", "reverse_url", "xsrf_form_html":
            RequestHandler.helperFunctions(handler)[name]
        default: nil
        }
    }

    var templateDescription: String { "<\(type(of: handler)) object>" }
}

/// `request` in the template namespace.
final class RequestTemplateObject: TemplateObject, @unchecked Sendable {
    let request: HTTPServerRequest

    init(_ request: HTTPServerRequest) { self.request = request }

    func templateAttribute(_ name: String) throws -> TemplateValue? {
        switch name {
        case "method": .string(request.method)
        case "uri": .string(request.uri)
        case "path": .string(request.path)
        case "query": .string(request.query)
        case "version": .string(request.version)
        case "host": .string(request.host)
        case "host_name": .string(request.hostName)
        case "remote_ip": .string(request.remoteIP)
        case "protocol": .string(request.protocol)
        case "headers": .object(HeadersTemplateObject(request.headers))
        case "full_url": .function(TemplateFunction("full_url") { [request] _ in .string(request.fullURL) })
        default: nil
        }
    }

    var templateDescription: String { "HTTPServerRequest(\(request.method) \(request.uri))" }
}

/// `request.headers`: `headers["Name"]` and `headers.get("Name", default)`.
final class HeadersTemplateObject: TemplateObject, @unchecked Sendable {
    let headers: HTTPHeaders

    init(_ headers: HTTPHeaders) { self.headers = headers }

    func templateAttribute(_ name: String) throws -> TemplateValue? {
        guard name == "get" else { return nil }
        return .function(
            TemplateFunction("get") { [headers] arguments in
                let key = try arguments.required(0, function: "get").str
                return headers[key].map(TemplateValue.string) ?? arguments.value(1) ?? .none
            }
        )
    }

    func templateItem(_ key: TemplateValue) throws -> TemplateValue? { headers[key.str].map(TemplateValue.string) }

    var templateDescription: String { "<HTTPHeaders>" }
}

extension TemplateValue {
    var isNoneValue: Bool {
        if case .none = self { return true }
        return false
    }
}
