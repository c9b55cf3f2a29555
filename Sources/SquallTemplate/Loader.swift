import FoundationEssentials
import Synchronization

/// Loads templates by name and caches them compiled (Tornado's `BaseLoader`); use ``Loader`` for a directory or
/// ``DictLoader`` for templates in memory.
///
/// Templates loaded through a loader can `{% extends %}` and `{% include %}` each other (relative names resolve
/// against the including template's directory), share the loader's namespace, and are compiled once: later
/// ``load(_:parentPath:)`` calls return the same ``Template`` until ``reset()``.
open class BaseLoader: @unchecked Sendable {
    // The cache is behind a Mutex; the other stored properties are immutable.
    /// The default escape function for templates of this loader.
    public let autoescape: Autoescape
    /// Values added to every template's namespace.
    public let namespace: [String: TemplateValue]
    /// The whitespace mode for templates of this loader; `nil` follows Tornado's rule by file name.
    public let whitespace: WhitespaceMode?
    /// What `{% import name %}` and `{% from name import x %}` can import, by module name.
    public let modules: [String: TemplateValue]
    private let cache = Mutex<[String: Template]>([:])

    /// A loader.
    ///
    /// - Parameters:
    ///   - autoescape: the escape function for `{{ }}` (default `xhtml_escape`; `.off` for none).
    ///   - namespace: values every template sees (converted with ``TemplateValue/init(_:)``).
    ///   - whitespace: the whitespace mode; by default `.single` for `.html`/`.js` names and `.all` otherwise.
    ///   - modules: modules for `{% import %}`, added to the built-in `datetime` and `tornado.escape`.
    public init(
        autoescape: Autoescape = .xhtmlEscape,
        namespace: [String: Any] = [:],
        whitespace: WhitespaceMode? = nil,
        modules: [String: TemplateValue] = [:]
    ) {
        self.autoescape = autoescape
        self.namespace = namespace.mapValues(TemplateValue.init)
        self.whitespace = whitespace
        self.modules = Template.defaultModules.merging(modules) { $1 }
    }

    /// Forgets every compiled template, so the next load reads and compiles again.
    public func reset() {
        cache.withLock { $0.removeAll() }
    }

    /// The template called `name`, compiled on first use.
    ///
    /// - Parameters:
    ///   - name: the template's name (a path relative to the loader's root).
    ///   - parentPath: the name of the template that refers to it, against which a relative `name` resolves.
    /// - Throws: ``ParseError`` for syntax errors; ``TemplateNotFoundError`` when there is no such template.
    public func load(_ name: String, parentPath: String? = nil) throws -> Template {
        try load(name, parentPath: parentPath, depth: 0)
    }

    func load(_ name: String, parentPath: String?, depth: Int) throws -> Template {
        let resolved = resolvePath(name, parentPath: parentPath)
        if let template = cache.withLock({ $0[resolved] }) { return template }
        if depth > Compiler.maxIncludeDepth {
            throw ParseError(
                "templates include or extend each other more than \(Compiler.maxIncludeDepth) deep",
                filename: parentPath ?? resolved,
                line: 0
            )
        }
        // Compile outside the lock: compiling loads the templates this one extends and includes.
        let template = try Template(
            try source(for: resolved),
            name: resolved,
            loader: self,
            autoescape: nil,
            whitespace: nil,
            depth: depth
        )
        return cache.withLock { cache in
            if let existing = cache[resolved] { return existing }
            cache[resolved] = template
            return template
        }
    }

    /// Resolves `name` relative to the template `parentPath` (Tornado's `resolve_path`); the default returns
    /// `name` unchanged.
    open func resolvePath(_ name: String, parentPath: String?) -> String { name }

    /// The text of the template called `name`; subclasses override this.
    ///
    /// - Throws: ``TemplateNotFoundError`` when there is none.
    open func source(for name: String) throws -> String { throw TemplateNotFoundError(name: name) }
}

/// No template has the name asked for.
public struct TemplateNotFoundError: Error, Sendable, CustomStringConvertible {
    /// The name.
    public let name: String
    /// A message for people.
    public var description: String { "template not found: \(name)" }
}

/// Loads templates from a directory (Tornado's `tornado.template.Loader`).
///
/// Names are paths relative to the root; a name that would leave the root (through `..` or a symlink) is not
/// found. Templates are read as UTF-8.
public final class Loader: BaseLoader, @unchecked Sendable {
    /// The directory templates are read from (absolute, normalised).
    public let root: String

    /// A loader for the templates under `root`; see ``BaseLoader/init(autoescape:namespace:whitespace:modules:)``.
    public init(
        _ root: String,
        autoescape: Autoescape = .xhtmlEscape,
        namespace: [String: Any] = [:],
        whitespace: WhitespaceMode? = nil,
        modules: [String: TemplateValue] = [:]
    ) {
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        self.root = PathUtilities.normalize(absolute)
        super.init(autoescape: autoescape, namespace: namespace, whitespace: whitespace, modules: modules)
    }

    /// Tornado's rule: relative to the including template's directory, when that stays under the root.
    public override func resolvePath(_ name: String, parentPath: String?) -> String {
        guard let parentPath, !parentPath.hasPrefix("<"), !parentPath.hasPrefix("/"), !name.hasPrefix("/") else {
            return name
        }
        let directory = PathUtilities.dirname(PathUtilities.normalize(root + "/" + parentPath))
        let relative = PathUtilities.normalize(directory + "/" + name)
        if relative.hasPrefix(root + "/") { return String(relative.dropFirst(root.count + 1)) }
        return name
    }

    /// Reads `root/name`.
    public override func source(for name: String) throws -> String {
        let path = PathUtilities.normalize(root + "/" + name)
        guard path.hasPrefix(root + "/") else { throw TemplateNotFoundError(name: name) }
        // A symlink must not lead outside the root either.
        let real = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map {
            PathUtilities.normalize($0.hasPrefix("/") ? $0 : PathUtilities.dirname(path) + "/" + $0)
        } ?? path
        guard real.hasPrefix(root + "/"), let data = FileManager.default.contents(atPath: path) else {
            throw TemplateNotFoundError(name: name)
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Loads templates from a dictionary of name → source (Tornado's `DictLoader`), for tests and embedded templates.
public final class DictLoader: BaseLoader, @unchecked Sendable {
    /// The templates by name.
    public let templates: [String: String]

    /// A loader for `templates`; see ``BaseLoader/init(autoescape:namespace:whitespace:modules:)``.
    public init(
        _ templates: [String: String],
        autoescape: Autoescape = .xhtmlEscape,
        namespace: [String: Any] = [:],
        whitespace: WhitespaceMode? = nil,
        modules: [String: TemplateValue] = [:]
    ) {
        self.templates = templates
        super.init(autoescape: autoescape, namespace: namespace, whitespace: whitespace, modules: modules)
    }

    /// Tornado's rule: relative to the including template's directory (`posixpath.normpath`).
    public override func resolvePath(_ name: String, parentPath: String?) -> String {
        guard let parentPath, !parentPath.hasPrefix("<"), !parentPath.hasPrefix("/"), !name.hasPrefix("/") else {
            return name
        }
        let directory = PathUtilities.dirname(parentPath)
        return PathUtilities.normalize(directory.isEmpty ? name : directory + "/" + name)
    }

    /// The source from the dictionary.
    public override func source(for name: String) throws -> String {
        guard let text = templates[name] else { throw TemplateNotFoundError(name: name) }
        return text
    }
}

/// `posixpath.normpath` and `dirname`.
enum PathUtilities {
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let head = String(path[..<slash])
        return head.isEmpty && path.hasPrefix("/") ? "/" : head
    }
}
