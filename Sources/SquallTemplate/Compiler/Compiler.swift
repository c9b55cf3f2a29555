import SquallEscape

/// Turns a template's parse tree (with its ancestors, blocks and includes) into closures, as Tornado's
/// `_generate_python` turns it into Python code.
final class Compiler {
    /// Where compiled code comes from, for error messages and autoescape.
    struct Origin {
        let name: String
        let autoescape: String?
    }

    let loader: BaseLoader?
    let modules: [String: TemplateValue]
    var namedBlocks: [String: (origin: Origin, body: [Node])] = [:]
    var origins: [Origin] = []
    var includeDepth = 0
    /// How deep in loads of other templates this compilation is (cycles stop at ``maxIncludeDepth``).
    var baseDepth = 0
    static let maxIncludeDepth = 32

    /// Names assigned anywhere in the function (found by a first pass); everything else is global.
    var assigned: Set<String>
    /// Whether this pass only collects assigned names.
    let collecting: Bool
    var collected: Set<String> = []
    var localSlots: [String: Int] = [:]
    var localCount = 0
    var globalSlots: [String: Int] = [:]
    var globalNames: [String] = []
    /// Comprehension variables shadowing names while their comprehension compiles.
    var scopes: [[String: Int]] = []

    init(loader: BaseLoader?, modules: [String: TemplateValue], assigned: Set<String>, collecting: Bool) {
        self.loader = loader
        self.modules = modules
        self.assigned = assigned
        self.collecting = collecting
    }

    /// Compiles `file` (Tornado: walk the ancestors, collect named blocks, generate the root ancestor).
    static func compile(_ file: ParsedFile, loader: BaseLoader?, modules: [String: TemplateValue], depth: Int) throws -> Program {
        let first = Compiler(loader: loader, modules: modules, assigned: [], collecting: true)
        _ = try first.compileFile(file, depth: depth)
        let second = Compiler(loader: loader, modules: modules, assigned: first.collected, collecting: false)
        let run = try second.compileFile(file, depth: depth)
        return Program(run: run, localCount: second.localCount, globalNames: second.globalNames)
    }

    private func compileFile(_ file: ParsedFile, depth: Int) throws -> Exec {
        baseDepth = depth
        var ancestors = try Self.ancestors(of: file, loader: loader, depth: depth)
        ancestors.reverse()
        for ancestor in ancestors { try findNamedBlocks(ancestor.body, origin: Self.origin(ancestor), depth: depth) }
        guard let root = ancestors.first else { return { _ in .normal } }
        origins = [Self.origin(root)]
        return try compileBody(root.body)
    }

    static func origin(_ file: ParsedFile) -> Origin { Origin(name: file.name, autoescape: file.autoescape) }

    /// The file and the files it extends, child first.
    private static func ancestors(of file: ParsedFile, loader: BaseLoader?, depth: Int) throws -> [ParsedFile] {
        var result = [file]
        for node in file.body {
            guard case .extends(let parent, let line) = node else { continue }
            guard let loader else {
                throw ParseError("{% extends %} block found, but no template loader", filename: file.name, line: line)
            }
            if depth >= maxIncludeDepth {
                throw ParseError("{% extends %} nested more than \(maxIncludeDepth) deep", filename: file.name, line: line)
            }
            let template = try loader.load(parent, parentPath: file.name, depth: depth + 1)
            result += try ancestors(of: template.file, loader: loader, depth: depth + 1)
        }
        return result
    }

    private func findNamedBlocks(_ nodes: [Node], origin: Origin, depth: Int) throws {
        for node in nodes {
            switch node {
            case .block(let name, _, _, let body):
                namedBlocks[name] = (origin, body)
                try findNamedBlocks(body, origin: origin, depth: depth)
            case .include(let name, let from, let line):
                guard let loader else {
                    throw ParseError("{% include %} block found, but no template loader", filename: from, line: line)
                }
                if depth >= Self.maxIncludeDepth {
                    throw ParseError("{% include %} nested more than \(Self.maxIncludeDepth) deep", filename: from, line: line)
                }
                let included = try loader.load(name, parentPath: from, depth: depth + 1)
                try findNamedBlocks(included.file.body, origin: Self.origin(included.file), depth: depth + 1)
            case .apply(_, _, let body), .control(_, _, let body):
                try findNamedBlocks(body, origin: origin, depth: depth)
            default: break
            }
        }
    }

    var origin: Origin { origins.last ?? Origin(name: "<string>", autoescape: nil) }

    func parseError(_ message: String, line: Int) -> ParseError { ParseError(message, filename: origin.name, line: line) }

    // MARK: - Bodies

    /// Compiles a list of nodes into one closure, joining neighbouring text.
    func compileBody(_ nodes: [Node]) throws -> Exec {
        var steps: [Exec] = []
        var pendingText: [UInt8] = []
        func flushText() {
            guard !pendingText.isEmpty else { return }
            let bytes = pendingText
            steps.append { state in
                state.out.append(contentsOf: bytes)
                return .normal
            }
            pendingText = []
        }
        for node in nodes {
            if case .text(let text, _, let whitespace) = node {
                let value = text.contains("<pre>") ? text : whitespace.filter(text)
                pendingText.append(contentsOf: value.utf8)
                continue
            }
            flushText()
            if let step = try compileNode(node) { steps.append(step) }
        }
        flushText()
        switch steps.count {
        case 0: return { _ in .normal }
        case 1: return steps[0]
        case 2:
            let (a, b) = (steps[0], steps[1])
            return { state in
                let flow = try a(state)
                if flow != .normal { return flow }
                return try b(state)
            }
        default:
            return { state in
                for step in steps {
                    let flow = try step(state)
                    if flow != .normal { return flow }
                }
                return .normal
            }
        }
    }

    private func compileNode(_ node: Node) throws -> Exec? {
        switch node {
        case .text: return nil
        case .expression(let text, let line, let raw, let module):
            return try compileOutput(text, line: line, raw: raw, module: module)
        case .statement(let text, let line): return try compileStatement(text, line: line)
        case .extends(_, let line):
            // Only the top level of a template may extend another (Tornado cannot generate it elsewhere).
            if origins.count == 1 && includeDepth == 0 { return nil }
            throw parseError("{% extends %} is only allowed at the top level of a template", line: line)
        case .include(let name, let from, let line):
            guard let loader else { throw parseError("{% include %} block found, but no template loader", line: line) }
            let included = try loader.load(name, parentPath: from, depth: baseDepth + includeDepth + 1)
            return try nested(Self.origin(included.file), line: line) { try compileBody(included.file.body) }
        case .block(let name, _, let line, _):
            guard let block = namedBlocks[name] else { throw parseError("unknown block \(name)", line: line) }
            return try nested(block.origin, line: line) { try compileBody(block.body) }
        case .apply(let method, let line, let body): return try compileApply(method, line: line, body: body)
        case .control(let statement, let line, let body): return try compileControl(statement, line: line, body: body)
        case .intermediate(let text, let line): throw parseError("unexpected \(text)", line: line)
        }
    }

    private func nested(_ origin: Origin, line: Int, _ body: () throws -> Exec) throws -> Exec {
        includeDepth += 1
        defer { includeDepth -= 1 }
        if baseDepth + includeDepth > Self.maxIncludeDepth {
            throw parseError("{% include %} or {% block %} nested more than \(Self.maxIncludeDepth) deep", line: line)
        }
        origins.append(origin)
        defer { origins.removeLast() }
        return try body()
    }

    // MARK: - Output

    private func compileOutput(_ text: String, line: Int, raw: Bool, module: Bool) throws -> Exec {
        let expression: Expression
        do {
            expression = try ExpressionParser.parse(module ? "_tt_modules." + text : text)
        } catch {
            throw parseError("invalid expression \(TemplateValue.pythonRepr(text)): \(error.message)", line: line)
        }
        let eval = located(try compileExpression(expression), line: line, text: module ? "{% module \(text) %}" : raw ? "{% raw \(text) %}" : "{{ \(text) }}")
        guard !raw, let escapeName = origin.autoescape else {
            return { state in
                switch try eval(state) {
                case .string(let value): state.out.append(contentsOf: value.utf8)
                case let value: state.out.append(contentsOf: value.str.utf8)
                }
                return .normal
            }
        }
        let escape = located(globalReference(escapeName), line: line, text: "{{ \(text) }}")
        let escapeSlot = globalSlots[escapeName] ?? 0
        let origin = self.origin
        return { state in
            let value = try eval(state)
            if state.builtinEscape[escapeSlot] {
                switch value {
                case .string(let string): xhtmlEscape(string, into: &state.out)
                case .int(let number): state.out.append(contentsOf: String(number).utf8)
                default: xhtmlEscape(value.str, into: &state.out)
                }
                return .normal
            }
            let function = try escape(state)
            do {
                let escaped = try PythonAccess.call(function, TemplateArguments([.string(value.str)]))
                state.out.append(contentsOf: escaped.str.utf8)
            } catch let error as TemplateRuntimeError {
                throw TemplateError(template: origin.name, line: line, expression: "\(escapeName)({{ \(text) }})", cause: error)
            }
            return .normal
        }
    }

    /// Wraps runtime errors with the template, line and source text.
    func located(_ eval: @escaping Eval, line: Int, text: String) -> Eval {
        let name = origin.name
        return { state in
            do {
                return try eval(state)
            } catch let error as TemplateRuntimeError {
                throw TemplateError(template: name, line: line, expression: text, cause: error)
            }
        }
    }

    private func compileApply(_ method: String, line: Int, body: [Node]) throws -> Exec {
        let function: Eval
        do {
            function = located(try compileExpression(try ExpressionParser.parse(method)), line: line, text: "{% apply \(method) %}")
        } catch let error as ExpressionSyntaxError {
            throw parseError("invalid expression \(TemplateValue.pythonRepr(method)): \(error.message)", line: line)
        }
        let inner = try compileBody(body)
        let name = origin.name
        return { state in
            var saved: [UInt8] = []
            swap(&saved, &state.out)
            do {
                _ = try inner(state)
            } catch {
                swap(&saved, &state.out)
                throw error
            }
            swap(&saved, &state.out)
            let text = String(decoding: saved, as: UTF8.self)
            let result: TemplateValue
            do {
                result = try PythonAccess.call(try function(state), TemplateArguments([.string(text)]))
            } catch let error as TemplateRuntimeError {
                throw TemplateError(template: name, line: line, expression: "{% apply \(method) %}", cause: error)
            }
            guard case .string(let output) = result else {
                throw TemplateError(
                    template: name, line: line, expression: "{% apply \(method) %}",
                    cause: TemplateRuntimeError(.typeError, "Expected bytes, unicode, or None; got \(result.typeName)")
                )
            }
            state.out.append(contentsOf: output.utf8)
            return .normal
        }
    }
}
