/// The mutable state of one render: the output bytes and the variables.
final class RenderState {
    // One render runs on one thread and never hands these out, so dynamic exclusivity checks only cost time.
    @exclusivity(unchecked) var out: [UInt8] = []
    /// Variables the template assigns (`set`, `for`, `import`), by slot; `nil` until assigned.
    @exclusivity(unchecked) var locals: [TemplateValue?]
    /// Names the template reads but never assigns, resolved from the namespace once per render.
    let globals: [TemplateValue?]
    /// Whether each global is the built-in `xhtml_escape`, so `{{ }}` can escape without a call.
    let builtinEscape: [Bool]
    /// Iterations `{% while %}` loops may still run in this render.
    var whileBudget = RenderState.maxWhileIterations
    /// How many iterations all `{% while %}` loops of one render may run together, so a runaway loop fails
    /// instead of hanging.
    static let maxWhileIterations = 10_000_000

    init(localCount: Int, globals: [TemplateValue?], capacity: Int) {
        locals = Array(repeating: nil, count: localCount)
        self.globals = globals
        builtinEscape = globals.map { value in
            if case .function(let function)? = value { return function.builtin == .xhtmlEscape }
            return false
        }
        out.reserveCapacity(capacity)
    }
}

/// What a statement tells the enclosing loop.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
}

typealias Eval = (RenderState) throws -> TemplateValue
typealias Exec = (RenderState) throws -> Flow

/// A compiled template: one closure for the body and the tables of names it uses.
struct Program: @unchecked Sendable {
    // The closures capture only constants and the compiled tree; they never mutate what they capture.
    let run: Exec
    let localCount: Int
    let globalNames: [String]
}
