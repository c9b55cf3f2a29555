/// A compiled template (Tornado's `tornado.template.Template`).
///
/// ```swift
/// let template = try Template("<b>{{ name }}</b>")
/// let html = try template.generate(["name": "<Ann>"])   // "<b>&lt;Ann&gt;</b>"
/// ```
///
/// The source is parsed and compiled once, into closures; ``generate(_:)`` only runs them, so keep templates
/// (or a ``Loader``, which caches them) and render many times. A template is immutable and can be rendered from
/// several threads at once. See docs/templates.md for the language.
public final class Template: Sendable {
    /// The template's name: its path under the loader's root, or `<string>`.
    public let name: String
    /// The escape function applied to `{{ }}` output, by name in the namespace; `nil` when autoescaping is off.
    public let autoescape: String?
    /// The whitespace mode its text started with.
    public let whitespace: WhitespaceMode
    /// The loader it came from, if any (used for `{% extends %}`, `{% include %}` and its namespace).
    public let loader: BaseLoader?
    let file: ParsedFile
    let program: Program

    /// Parses and compiles a template.
    ///
    /// - Parameters:
    ///   - source: the template text.
    ///   - name: the name used in error messages and to resolve relative `{% include %}` paths.
    ///   - loader: the loader for `{% extends %}` and `{% include %}`, and whose namespace and defaults apply.
    ///   - autoescape: the escape function for `{{ }}`; by default the loader's, or `xhtml_escape` without one.
    ///   - whitespace: the whitespace mode; by default the loader's, or Tornado's rule by file name
    ///     (``WhitespaceMode/defaultMode(forName:)``).
    /// - Throws: ``ParseError`` for a syntax error here or in a template it extends or includes.
    public convenience init(
        _ source: String,
        name: String = "<string>",
        loader: BaseLoader? = nil,
        autoescape: Autoescape? = nil,
        whitespace: WhitespaceMode? = nil
    ) throws {
        try self.init(source, name: name, loader: loader, autoescape: autoescape, whitespace: whitespace, depth: 0)
    }

    init(
        _ source: String,
        name: String,
        loader: BaseLoader?,
        autoescape: Autoescape?,
        whitespace: WhitespaceMode?,
        depth: Int
    ) throws {
        self.name = name
        self.loader = loader
        let mode = whitespace ?? loader?.whitespace ?? WhitespaceMode.defaultMode(forName: name)
        self.whitespace = mode
        let initialEscape = (autoescape ?? loader?.autoescape ?? .xhtmlEscape).functionName
        file = try TemplateParser.parse(source, name: name, whitespace: mode, autoescape: initialEscape)
        self.autoescape = file.autoescape
        program = try Compiler.compile(file, loader: loader, modules: loader?.modules ?? Self.defaultModules, depth: depth)
    }

    /// The names every template sees unless the namespace replaces them: `escape`, `xhtml_escape`,
    /// `url_escape`, `json_encode`, `squeeze`, `linkify` and `datetime` (Tornado's defaults).
    public static var defaultNamespace: [String: TemplateValue] { DefaultNamespace.values }

    static let defaultModules: [String: TemplateValue] = [
        "datetime": .object(DatetimeModule.shared),
        "tornado.escape": .dict(TemplateDict(DefaultNamespace.values)),
    ]

    /// Renders the template with `namespace` (Tornado's `generate(**kwargs)`), converting Swift values with
    /// ``TemplateValue/init(_:)``.
    ///
    /// Names resolve in `namespace`, then the loader's namespace, then the defaults (`escape`, `xhtml_escape`,
    /// `url_escape`, `json_encode`, `squeeze`, `linkify`, `datetime`), then the built-in functions.
    /// - Throws: ``TemplateError`` naming the template, line and expression that failed (an unknown name is a
    ///   `NameError`).
    public func generate(_ namespace: [String: Any] = [:]) throws -> String {
        String(decoding: try generateBytes(namespace), as: UTF8.self)
    }

    /// Renders the template to UTF-8 bytes (see ``generate(_:)``).
    public func generateBytes(_ namespace: [String: Any] = [:]) throws -> [UInt8] {
        try render(lookup: { name in namespace[name].map(TemplateValue.init) })
    }

    /// Renders with a namespace of values already converted (the fastest way to render many times).
    public func generate(values namespace: [String: TemplateValue]) throws -> String {
        String(decoding: try render(lookup: { namespace[$0] }), as: UTF8.self)
    }

    /// The output size of the last render, to reserve the buffer of the next one.
    private static let initialCapacity = 4096

    func render(lookup: (String) -> TemplateValue?) throws -> [UInt8] {
        let loaderNamespace = loader?.namespace ?? [:]
        let globals = program.globalNames.map { name -> TemplateValue? in
            if let value = lookup(name) { return value }
            if let value = loaderNamespace[name] { return value }
            if let value = DefaultNamespace.values[name] { return value }
            if name == "__name__" { return .string(self.name.replacing(".", with: "_")) }
            return Builtins.all[name]
        }
        let state = RenderState(localCount: program.localCount, globals: globals, capacity: Self.initialCapacity)
        _ = try program.run(state)
        return state.out
    }
}

/// How `{{ }}` output is escaped: Tornado's `autoescape` setting.
public enum Autoescape: Sendable, Equatable, ExpressibleByStringLiteral {
    /// No escaping (Tornado's `autoescape=None`).
    case off
    /// The function of this name in the template namespace, such as `xhtml_escape`.
    case function(String)

    /// Tornado's default, `xhtml_escape`.
    public static let xhtmlEscape = Autoescape.function("xhtml_escape")

    /// A function name.
    public init(stringLiteral value: String) { self = .function(value) }

    var functionName: String? {
        if case .function(let name) = self { return name }
        return nil
    }
}

extension TemplateDict {
    /// A dictionary with string keys, sorted.
    init(_ values: [String: TemplateValue]) {
        self.init()
        for key in values.keys.sorted() { self[.string(key)] = values[key] }
    }
}
