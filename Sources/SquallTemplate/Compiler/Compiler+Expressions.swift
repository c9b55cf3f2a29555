extension Compiler {
    // MARK: - Names

    func localSlot(_ name: String) -> Int {
        if let slot = localSlots[name] { return slot }
        let slot = localCount
        localCount += 1
        localSlots[name] = slot
        return slot
    }

    func newHiddenSlot() -> Int {
        let slot = localCount
        localCount += 1
        return slot
    }

    /// The slot an assignment to `name` writes.
    func assignmentSlot(_ name: String) -> Int {
        if collecting { collected.insert(name) }
        return localSlot(name)
    }

    func globalReference(_ name: String) -> Eval {
        let slot: Int
        if let existing = globalSlots[name] {
            slot = existing
        } else {
            slot = globalNames.count
            globalSlots[name] = slot
            globalNames.append(name)
        }
        return { state in
            guard let value = state.globals[slot] else {
                throw TemplateRuntimeError(.nameError, "name '\(name)' is not defined")
            }
            return value
        }
    }

    func nameReference(_ name: String) -> Eval {
        for scope in scopes.reversed() {
            if let slot = scope[name] { return localRead(slot, name) }
        }
        if !collecting && assigned.contains(name) { return localRead(localSlot(name), name) }
        return globalReference(name)
    }

    private func localRead(_ slot: Int, _ name: String) -> Eval {
        { state in
            guard let value = state.locals[slot] else {
                throw TemplateRuntimeError(.unboundLocalError, "local variable '\(name)' referenced before assignment")
            }
            return value
        }
    }

    // MARK: - Expressions

    func compileExpression(_ expression: Expression) throws -> Eval {
        switch expression {
        case .literal(let value): return { _ in value }
        case .name(let name): return nameReference(name)
        case .attribute(let base, let name):
            let object = try compileExpression(base)
            return { state in
                let value = try object(state)
                if case .dict(let dict) = value, let found = dict[string: name], !PythonMethods.dictMethods.contains(name) {
                    return found
                }
                return try PythonAccess.attribute(value, name)
            }
        case .item(let base, let key):
            let object = try compileExpression(base)
            if case .literal(.string(let literal)) = key {
                return { state in
                    let value = try object(state)
                    if case .dict(let dict) = value, let found = dict[string: literal] { return found }
                    return try PythonAccess.item(value, .string(literal))
                }
            }
            let index = try compileExpression(key)
            return { state in try PythonAccess.item(try object(state), try index(state)) }
        case .slice(let base, let start, let stop, let step):
            let object = try compileExpression(base)
            let parts = try [start, stop, step].map { part -> Eval in
                guard let part else { return { _ in .none } }
                return try compileExpression(part)
            }
            return { state in try PythonAccess.slice(try object(state), try parts[0](state), try parts[1](state), try parts[2](state)) }
        case .call(let callee, let arguments, let keywords):
            return try compileCall(callee, arguments, keywords)
        case .unary(let op, let operand):
            let value = try compileExpression(operand)
            if op == "-" { return { state in try PythonOperators.negate(try value(state)) } }
            return { state in try PythonOperators.plus(try value(state)) }
        case .not(let operand):
            let value = try compileExpression(operand)
            return { state in .bool(!(try value(state)).isTruthy) }
        case .binary(let op, let left, let right):
            return try compileBinary(op, try compileExpression(left), try compileExpression(right))
        case .compare(let first, let rest):
            return try compileCompare(first, rest)
        case .and(let left, let right):
            let (a, b) = (try compileExpression(left), try compileExpression(right))
            return { state in
                let value = try a(state)
                return value.isTruthy ? try b(state) : value
            }
        case .or(let left, let right):
            let (a, b) = (try compileExpression(left), try compileExpression(right))
            return { state in
                let value = try a(state)
                return value.isTruthy ? value : try b(state)
            }
        case .conditional(let value, let condition, let otherwise):
            let (v, c, o) = (try compileExpression(value), try compileExpression(condition), try compileExpression(otherwise))
            return { state in try c(state).isTruthy ? try v(state) : try o(state) }
        case .list(let items):
            let evals = try items.map(compileExpression)
            return { state in .list(try evals.map { try $0(state) }) }
        case .tuple(let items):
            let evals = try items.map(compileExpression)
            return { state in .tuple(try evals.map { try $0(state) }) }
        case .dict(let pairs):
            let evals = try pairs.map { (try compileExpression($0.0), try compileExpression($0.1)) }
            return { state in
                var dict = TemplateDict()
                for (key, value) in evals {
                    let k = try key(state)
                    guard TemplateDict.isHashable(k) else {
                        throw TemplateRuntimeError(.typeError, "unhashable type: '\(k.typeName)'")
                    }
                    dict[k] = try value(state)
                }
                return .dict(dict)
            }
        case .comprehension(let element, let targets, let iterable, let condition, _):
            let source = try compileExpression(iterable)
            let slots = targets.map { _ in newHiddenSlot() }
            scopes.append(Dictionary(zip(targets, slots), uniquingKeysWith: { $1 }))
            defer { scopes.removeLast() }
            let body = try compileExpression(element)
            let filter = try condition.map(compileExpression)
            return { state in
                var result: [TemplateValue] = []
                for item in try PythonAccess.iterate(try source(state)) {
                    try Compiler.unpack(item, into: slots, state: state)
                    if let filter, !(try filter(state)).isTruthy { continue }
                    result.append(try body(state))
                }
                return .list(result)
            }
        }
    }

    /// Assigns `value` to the slots (one name, or several unpacked from a sequence, as Python's `a, b = value`).
    static func unpack(_ value: TemplateValue, into slots: [Int], state: RenderState) throws {
        if slots.count == 1 {
            state.locals[slots[0]] = value
            return
        }
        let items: [TemplateValue]
        switch value {
        case .tuple(let values), .list(let values): items = values
        default: items = try PythonAccess.iterate(value)
        }
        guard items.count == slots.count else {
            throw TemplateRuntimeError(
                .valueError,
                items.count > slots.count
                    ? "too many values to unpack (expected \(slots.count))"
                    : "not enough values to unpack (expected \(slots.count), got \(items.count))"
            )
        }
        for (slot, item) in zip(slots, items) { state.locals[slot] = item }
    }

    private func compileCall(_ callee: Expression, _ arguments: [Expression], _ keywords: [(String, Expression)]) throws -> Eval {
        let positional = try arguments.map(compileExpression)
        let named = try keywords.map { ($0.0, try compileExpression($0.1)) }
        func build(_ state: RenderState) throws -> TemplateArguments {
            TemplateArguments(try positional.map { try $0(state) }, keywords: try named.map { ($0.0, try $0.1(state)) })
        }
        if case .attribute(let base, let method) = callee {
            let object = try compileExpression(base)
            return { state in try PythonMethods.call(try object(state), method, try build(state)) }
        }
        let function = try compileExpression(callee)
        if positional.count == 1 && named.isEmpty {
            let only = positional[0]
            return { state in try PythonAccess.call(try function(state), TemplateArguments([try only(state)])) }
        }
        return { state in try PythonAccess.call(try function(state), try build(state)) }
    }

    func compileBinary(_ op: String, _ a: @escaping Eval, _ b: @escaping Eval) throws -> Eval {
        switch op {
        case "+":
            return { state in
                let (x, y) = (try a(state), try b(state))
                if case .int(let p) = x, case .int(let q) = y {
                    let (r, o) = p.addingReportingOverflow(q)
                    if !o { return .int(r) }
                }
                return try PythonOperators.add(x, y)
            }
        case "-": return { state in try PythonOperators.subtract(try a(state), try b(state)) }
        case "*": return { state in try PythonOperators.multiply(try a(state), try b(state)) }
        case "/": return { state in try PythonOperators.trueDivide(try a(state), try b(state)) }
        case "//": return { state in try PythonOperators.floorDivide(try a(state), try b(state)) }
        case "%": return { state in try PythonOperators.modulo(try a(state), try b(state)) }
        case "**": return { state in try PythonOperators.power(try a(state), try b(state)) }
        default: throw ExpressionSyntaxError("the operator '\(op)' is not supported")
        }
    }

    private func compileCompare(_ first: Expression, _ rest: [(String, Expression)]) throws -> Eval {
        let head = try compileExpression(first)
        let tests = try rest.map { op, operand -> ((TemplateValue, TemplateValue) throws -> Bool, Eval) in
            let test: (TemplateValue, TemplateValue) throws -> Bool
            switch op {
            case "==": test = { PythonOperators.equals($0, $1) }
            case "!=": test = { !PythonOperators.equals($0, $1) }
            case "<": test = { try PythonOperators.less($0, $1, "<") }
            case ">": test = { try PythonOperators.less($1, $0, ">") }
            case "<=": test = { a, b in try PythonOperators.equals(a, b) || PythonOperators.less(a, b, "<=") }
            case ">=": test = { a, b in try PythonOperators.equals(a, b) || PythonOperators.less(b, a, ">=") }
            case "in": test = { try PythonOperators.contains($1, $0) }
            case "not in": test = { !(try PythonOperators.contains($1, $0)) }
            case "is": test = { PythonOperators.identical($0, $1) }
            default: test = { !PythonOperators.identical($0, $1) }
            }
            return (test, try compileExpression(operand))
        }
        if tests.count == 1 {
            let (test, right) = tests[0]
            return { state in .bool(try test(try head(state), try right(state))) }
        }
        return { state in
            var left = try head(state)
            for (test, operand) in tests {
                let right = try operand(state)
                if !(try test(left, right)) { return .bool(false) }
                left = right
            }
            return .bool(true)
        }
    }
}
