public import SquallTemplate
import Synchronization

/// Customizes how a handler renders templates; adopt it in a ``RequestHandler`` subclass and implement what you
/// need (Tornado's overridable `get_template_namespace`, `get_template_path` and `create_template_loader`).
///
/// ```swift
/// final class PageHandler: RequestHandler, TemplateRendering {
///     func getTemplateNamespace() throws -> [String: Any] {
///         var namespace = try defaultTemplateNamespace()
///         namespace["site"] = "Example"
///         return namespace
///     }
/// }
/// ```
public protocol TemplateRendering: RequestHandler {
    /// The names every template this handler renders sees, before the `context` of the call.
    func getTemplateNamespace() throws -> [String: Any]
    /// The directory templates are loaded from; the default is ``Settings/templatePath``.
    func getTemplatePath() -> String?
    /// The loader for `templatePath`; the default is a ``SquallTemplate/Loader`` with the application's
    /// ``Settings/autoescape`` and ``Settings/templateWhitespace``.
    func createTemplateLoader(_ templatePath: String) -> BaseLoader
}

extension TemplateRendering {
    /// The default: ``RequestHandler/defaultTemplateNamespace()``.
    public func getTemplateNamespace() throws -> [String: Any] { try defaultTemplateNamespace() }
    /// The default: ``Settings/templatePath``.
    public func getTemplatePath() -> String? { settings.templatePath }
    /// The default: ``RequestHandler/defaultTemplateLoader(_:)``.
    public func createTemplateLoader(_ templatePath: String) -> BaseLoader { defaultTemplateLoader(templatePath) }
}

/// Loaders by template directory and settings, shared by all handlers as Tornado's
/// `RequestHandler._template_loaders`.
private let templateLoaders = Mutex<[String: BaseLoader]>([:])

extension RequestHandler {
    /// Renders the template `name` with `context` and finishes the response with it (Tornado's `render`).
    ///
    /// The template sees the handler's namespace (see ``defaultTemplateNamespace()``) plus `context`. The CSS and
    /// JavaScript of the UI modules the page used go into the page as Tornado puts them (see ``UIModule``).
    /// - Throws: ``SquallTemplate/ParseError``, ``SquallTemplate/TemplateError`` (a 500 for the client);
    ///   ``HTTPError`` (500) when no template path is set or a module's resources have no `</head>`/`</body>`
    ///   to go before.
    public func render(_ name: String, _ context: [String: Any] = [:]) async throws {
        guard !finished else { throw HTTPError(500, logMessage: "Cannot render() after finish()") }
        let session = TemplateSession()
        var html = try renderString(name, context, session: session)
        try insertModuleResources(&html, session: session)
        write(html)
        try await finish()
    }

    /// Renders the template `name` with the handler's namespace and `context` (Tornado's `render_string`).
    public func renderString(_ name: String, _ context: [String: Any] = [:]) throws -> String {
        try renderString(name, context, session: TemplateSession())
    }

    func renderString(_ name: String, _ context: [String: Any], session: TemplateSession) throws -> String {
        let custom = self as? any TemplateRendering
        let loader = try templateLoader(custom)
        let template = try loader.load(name)
        var namespace = try custom?.getTemplateNamespace() ?? defaultTemplateNamespace()
        namespace["_tt_modules"] = TemplateValue.object(UIModuleNamespace(handler: self, session: session))
        namespace["modules"] = namespace["_tt_modules"]
        for (key, value) in context { namespace[key] = value }
        return try template.generate(namespace)
    }

    /// The loader for this handler's template path: ``Settings/templateLoader``, or a cached loader for the path
    /// (a new one per render when ``Settings/compiledTemplateCache`` is off, as in debug mode).
    private func templateLoader(_ custom: (any TemplateRendering)?) throws -> BaseLoader {
        if let loader = settings.templateLoader { return loader }
        guard let path = custom?.getTemplatePath() ?? settings.templatePath else {
            throw HTTPError(500, logMessage: "Set Settings.templatePath (or templateLoader) to render templates")
        }
        let make = { custom?.createTemplateLoader(path) ?? self.defaultTemplateLoader(path) }
        guard settings.compiledTemplateCache ?? !settings.debug else { return make() }
        let key = "\(path)\u{0}\(settings.autoescape ?? "")\u{0}\(settings.templateWhitespace?.rawValue ?? "")"
        if let loader = templateLoaders.withLock({ $0[key] }) { return loader }
        let loader = make()
        return templateLoaders.withLock { loaders in
            if let existing = loaders[key] { return existing }
            loaders[key] = loader
            return loader
        }
    }

    /// A ``SquallTemplate/Loader`` for `templatePath` with the application's autoescape and whitespace settings
    /// (Tornado's default `create_template_loader`).
    public func defaultTemplateLoader(_ templatePath: String) -> BaseLoader {
        Loader(
            templatePath,
            autoescape: settings.autoescape.map(Autoescape.function) ?? .off,
            whitespace: settings.templateWhitespace
        )
    }

    /// Tornado's `get_template_namespace`: `handler`, `request`, `current_user`, `locale`, `_`, `pgettext`,
    /// `static_url`, `xsrf_form_html`, `reverse_url`, the UI methods of ``Settings/uiMethods``, and `modules`.
    ///
    /// `static_url(path, include_host=None, include_version=True)`, `xsrf_form_html()` and
    /// `reverse_url(name, *args)` are this handler's methods.
    public func defaultTemplateNamespace() throws -> [String: Any] {
        var namespace: [String: Any] = [
            "handler": TemplateValue.object(HandlerTemplateObject(self)),
            "request": TemplateValue.object(RequestTemplateObject(request)),
            "current_user": TemplateValue(try currentUser as Any),
        ]
        for (name, value) in Self.helperFunctions(self) { namespace[name] = value }
        for (name, value) in localeNamespace() { namespace[name] = value }
        for (name, method) in settings.uiMethods {
            namespace[name] = TemplateValue.function(TemplateFunction(name) { [self] arguments in try method(self, arguments) })
        }
        return namespace
    }

    /// `static_url`, `reverse_url` and `xsrf_form_html` as template functions.
    static func helperFunctions(_ handler: RequestHandler) -> [String: TemplateValue] {
        [
            "static_url": .function(
                TemplateFunction("static_url") { [handler] arguments in
                    let path = try arguments.required(0, "path", function: "static_url").str
                    let host = arguments.value(1, "include_host").flatMap { $0.isNoneValue ? nil : $0.isTruthy }
                    let version = arguments.value(2, "include_version")?.isTruthy ?? true
                    return .string(try handler.staticURL(path, includeHost: host, includeVersion: version))
                }
            ),
            "reverse_url": .function(
                TemplateFunction("reverse_url") { [handler] arguments in
                    let name = try arguments.required(0, "name", function: "reverse_url").str
                    let parts = arguments.positional.dropFirst().map(\.str)
                    guard let path = handler.application.reverseURL(name, Array(parts)) else {
                        throw TemplateRuntimeError(.keyError, "\(name) not found in named urls")
                    }
                    return .string(path)
                }
            ),
            "xsrf_form_html": .function(TemplateFunction("xsrf_form_html") { [handler] _ in .string(try handler.xsrfFormHTML()) }),
        ]
    }

    /// `locale`, `_` and `pgettext` for templates, from ``locale``.
    func localeNamespace() -> [String: TemplateValue] {
        let locale = self.locale
        let translate = TemplateFunction("_") { arguments in
            let message = try arguments.required(0, "message", function: "_").str
            if let plural = arguments.value(1, "plural_message"), !plural.isNoneValue,
                let count = arguments.value(2, "count")?.integer
            {
                return .string(locale.translate(message, plural: plural.str, count: count))
            }
            return .string(locale.translate(message))
        }
        let pgettext = TemplateFunction("pgettext") { arguments in
            let context = try arguments.required(0, "context", function: "pgettext").str
            let message = try arguments.required(1, "message", function: "pgettext").str
            if let plural = arguments.value(2, "plural_message"), !plural.isNoneValue,
                let count = arguments.value(3, "count")?.integer
            {
                return .string(locale.pgettext(context, message, plural: plural.str, count: count))
            }
            return .string(locale.pgettext(context, message))
        }
        let localeObject: TemplateValue = [
            "code": .string(locale.code), "translate": .function(translate), "pgettext": .function(pgettext),
        ]
        return ["locale": localeObject, "_": .function(translate), "pgettext": .function(pgettext)]
    }

    /// Puts the used modules' JavaScript and CSS into the page (Tornado's `render`).
    private func insertModuleResources(_ html: inout String, session: TemplateSession) throws {
        var jsEmbed: [String] = [], jsFiles: [String] = [], cssEmbed: [String] = [], cssFiles: [String] = []
        var heads: [String] = [], bodies: [String] = []
        for (_, module) in session.modules {
            if let part = module.embeddedJavascript(), !part.isEmpty { jsEmbed.append(part) }
            if let files = module.javascriptFiles() { jsFiles += files }
            if let part = module.embeddedCSS(), !part.isEmpty { cssEmbed.append(part) }
            if let files = module.cssFiles() { cssFiles += files }
            if let part = module.htmlHead(), !part.isEmpty { heads.append(part) }
            if let part = module.htmlBody(), !part.isEmpty { bodies.append(part) }
        }
        if !jsFiles.isEmpty {
            let tags = try uniquePaths(jsFiles).map { "<script src=\"" + xhtmlEscape($0) + "\" type=\"text/javascript\"></script>" }
            try insert(&html, tags.joined() + "\n", before: "</body>", last: true)
        }
        if !jsEmbed.isEmpty {
            let script = "<script type=\"text/javascript\">\n//<![CDATA[\n" + jsEmbed.joined(separator: "\n") + "\n//]]>\n</script>"
            try insert(&html, script + "\n", before: "</body>", last: true)
        }
        if !cssFiles.isEmpty {
            let tags = try uniquePaths(cssFiles).map { "<link href=\"" + xhtmlEscape($0) + "\" type=\"text/css\" rel=\"stylesheet\"/>" }
            try insert(&html, tags.joined() + "\n", before: "</head>", last: false)
        }
        if !cssEmbed.isEmpty {
            try insert(&html, "<style type=\"text/css\">\n" + cssEmbed.joined(separator: "\n") + "\n</style>\n", before: "</head>", last: false)
        }
        if !heads.isEmpty { try insert(&html, heads.joined() + "\n", before: "</head>", last: false) }
        if !bodies.isEmpty { try insert(&html, bodies.joined() + "\n", before: "</body>", last: false) }
    }

    /// Static URLs for relative paths, each path once, in order (Tornado's `render_linked_js`/`css`).
    private func uniquePaths(_ paths: [String]) throws -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for path in paths {
            let absolute = path.hasPrefix("/") || path.hasPrefix("http:") || path.hasPrefix("https:")
            let url = absolute ? path : try staticURL(path)
            if seen.insert(url).inserted { result.append(url) }
        }
        return result
    }

    private func insert(_ html: inout String, _ text: String, before marker: String, last: Bool) throws {
        let range = last ? html.ranges(of: marker).last : html.firstRange(of: marker)
        guard let range else {
            throw HTTPError(500, logMessage: "UI module resources need a \(marker) tag in the page")
        }
        html.insert(contentsOf: text, at: range.lowerBound)
    }
}
