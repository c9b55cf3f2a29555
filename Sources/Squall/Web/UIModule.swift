public import SquallTemplate

/// A reusable piece of a page with its own CSS and JavaScript (Tornado's `UIModule`), used from templates as
/// `{% module Name(arguments) %}`.
///
/// Register modules in ``Settings/uiModules``. Each request gets one instance per module name, created on first
/// use; ``render(_:)`` runs for each `{% module %}`. After the page is rendered, ``RequestHandler/render(_:_:)``
/// puts what the modules asked for into the page: files from ``javascriptFiles()`` and ``embeddedJavascript()``
/// before `</body>`, files from ``cssFiles()`` and ``embeddedCSS()`` and ``htmlHead()`` before `</head>`, and
/// ``htmlBody()`` before `</body>`, as Tornado does.
///
/// ```swift
/// final class Entry: UIModule {
///     override func render(_ arguments: TemplateArguments) throws -> String {
///         try renderString("modules/entry.html", ["entry": arguments.value(0) ?? .none])
///     }
///     override func cssFiles() -> [String]? { ["css/entry.css"] }
/// }
/// ```
open class UIModule: @unchecked Sendable {
    // A module lives inside one request on its loop, like its handler.
    /// The handler rendering the page.
    public let handler: RequestHandler
    let session: TemplateSession

    /// Creates the module for one request; Squall calls this.
    public required init(handler: RequestHandler, session: TemplateSession) {
        self.handler = handler
        self.session = session
    }

    /// The request.
    public var request: HTTPServerRequest { handler.request }

    /// The logged-in user (the handler's ``RequestHandler/currentUser``).
    public var currentUser: (any Sendable)? { get throws { try handler.currentUser } }

    /// The module's HTML for one `{% module %}` call; `arguments` are the call's arguments. Override it.
    ///
    /// The result is inserted without escaping.
    open func render(_ arguments: TemplateArguments) throws -> String {
        throw TemplateRuntimeError(.typeError, "\(type(of: self)) does not override render(_:)")
    }

    /// JavaScript to embed in the page, or `nil`.
    open func embeddedJavascript() -> String? { nil }
    /// JavaScript files the page needs (relative paths go through ``RequestHandler/staticURL(_:includeHost:includeVersion:)``).
    open func javascriptFiles() -> [String]? { nil }
    /// CSS to embed in the page, or `nil`.
    open func embeddedCSS() -> String? { nil }
    /// CSS files the page needs (relative paths go through ``RequestHandler/staticURL(_:includeHost:includeVersion:)``).
    open func cssFiles() -> [String]? { nil }
    /// HTML to put at the end of `<head>`, or `nil`.
    open func htmlHead() -> String? { nil }
    /// HTML to put at the end of `<body>`, or `nil`.
    open func htmlBody() -> String? { nil }

    /// Renders a template with the handler's namespace (Tornado's `UIModule.render_string`).
    public func renderString(_ name: String, _ context: [String: Any] = [:]) throws -> String {
        try handler.renderString(name, context, session: session)
    }
}

/// `{% module Template("name.html", key=value) %}` (Tornado's `TemplateModule`): renders another template with
/// only the keyword arguments (and the handler's namespace), not the including template's variables.
///
/// The template may call `set_resources(css_files=..., javascript_files=..., embedded_css=...,
/// embedded_javascript=..., html_head=..., html_body=...)`; resources are kept once per template file.
public final class TemplateModule: UIModule, @unchecked Sendable {
    private var resources: [(path: String, values: [String: TemplateValue])] = []

    /// Renders the template named by the first argument.
    public override func render(_ arguments: TemplateArguments) throws -> String {
        guard case .string(let path)? = arguments.value(0, "path") else {
            throw TemplateRuntimeError(.typeError, "Template() needs the template's name")
        }
        var context: [String: Any] = [:]
        for keyword in arguments.keywords where keyword.name != "path" { context[keyword.name] = keyword.value }
        context["set_resources"] = TemplateValue.function(
            TemplateFunction("set_resources") { [self] arguments in
                var values: [String: TemplateValue] = [:]
                for keyword in arguments.keywords { values[keyword.name] = keyword.value }
                if let existing = resources.first(where: { $0.path == path }) {
                    guard existing.values.keys.sorted() == values.keys.sorted(),
                        existing.values.allSatisfy({ key, value in values[key].map { $0.repr == value.repr } ?? false })
                    else {
                        throw TemplateRuntimeError(
                            .valueError,
                            "set_resources called with different resources for the same template"
                        )
                    }
                } else {
                    resources.append((path, values))
                }
                return .string("")
            }
        )
        return try renderString(path, context)
    }

    private func values(_ key: String) -> [TemplateValue] { resources.compactMap { $0.values[key] } }

    private func files(_ key: String) -> [String] {
        values(key).flatMap { value -> [String] in
            switch value {
            case .list(let items), .tuple(let items): items.map(\.str)
            default: [value.str]
            }
        }
    }

    /// The templates' `embedded_javascript` resources.
    public override func embeddedJavascript() -> String? { values("embedded_javascript").map(\.str).joined(separator: "\n") }
    /// The templates' `javascript_files` resources.
    public override func javascriptFiles() -> [String]? { files("javascript_files") }
    /// The templates' `embedded_css` resources.
    public override func embeddedCSS() -> String? { values("embedded_css").map(\.str).joined(separator: "\n") }
    /// The templates' `css_files` resources.
    public override func cssFiles() -> [String]? { files("css_files") }
    /// The templates' `html_head` resources.
    public override func htmlHead() -> String? { values("html_head").map(\.str).joined() }
    /// The templates' `html_body` resources.
    public override func htmlBody() -> String? { values("html_body").map(\.str).joined() }
}

/// `{% module linkify(text, ...) %}`.
final class LinkifyModule: UIModule, @unchecked Sendable {
    override func render(_ arguments: TemplateArguments) throws -> String {
        guard case .function(let function)? = Template.defaultNamespace["linkify"] else { return "" }
        return try function(arguments).str
    }
}

/// `{% module xsrf_form_html() %}`.
final class XSRFFormModule: UIModule, @unchecked Sendable {
    override func render(_ arguments: TemplateArguments) throws -> String { try handler.xsrfFormHTML() }
}
