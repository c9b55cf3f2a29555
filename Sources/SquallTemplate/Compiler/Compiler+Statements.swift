extension Compiler {
    func syntax<T>(_ text: String, line: Int, _ body: () throws(ExpressionSyntaxError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw parseError("invalid statement \(TemplateValue.pythonRepr(text)): \(error.message)", line: line)
        }
    }

    func compileStatement(_ text: String, line: Int) throws -> Exec {
        let (op, rest) = TemplateParser.partition(text)
        switch op {
        case "break": return { _ in .breakLoop }
        case "continue": return { _ in .continueLoop }
        case "set":
            let (targets, augmented, value) = try syntax(text, line: line) { () throws(ExpressionSyntaxError) in
                try ExpressionParser.parseAssignment(rest)
            }
            var eval = try compileExpression(value)
            if let augmented {
                eval = try compileBinary(augmented, nameReference(targets[0]), eval)
            }
            let located = located(eval, line: line, text: "{% \(text) %}")
            let slots = targets.map(assignmentSlot)
            let name = origin.name
            return { state in
                let result = try located(state)
                do {
                    try Compiler.unpack(result, into: slots, state: state)
                } catch let error as TemplateRuntimeError {
                    throw TemplateError(template: name, line: line, expression: "{% \(text) %}", cause: error)
                }
                return .normal
            }
        default:  // import, from
            let imports = try syntax(text, line: line) { () throws(ExpressionSyntaxError) in
                try ExpressionParser.parseImport(text)
            }
            var steps: [(Int, Result<TemplateValue, TemplateRuntimeError>)] = []
            for item in imports {
                let slot = assignmentSlot(item.name)
                guard let module = modules[item.module] else {
                    steps.append((slot, .failure(TemplateRuntimeError(.importError, "No module named '\(item.module)'"))))
                    continue
                }
                guard let member = item.member else {
                    steps.append((slot, .success(module)))
                    continue
                }
                do {
                    steps.append((slot, .success(try PythonAccess.attribute(module, member))))
                } catch let error as TemplateRuntimeError {
                    steps.append((slot, .failure(TemplateRuntimeError(.importError, "cannot import name '\(member)' from '\(item.module)' (\(error.message))"))))
                }
            }
            let name = origin.name
            return { state in
                for (slot, result) in steps {
                    switch result {
                    case .success(let value): state.locals[slot] = value
                    case .failure(let error):
                        throw TemplateError(template: name, line: line, expression: "{% \(text) %}", cause: error)
                    }
                }
                return .normal
            }
        }
    }

    /// The clauses of a control block: the opening statement, then each `{% else %}`-like clause, with bodies.
    private func clauses(_ statement: String, line: Int, body: [Node]) -> [(statement: String, line: Int, body: [Node])] {
        var result: [(statement: String, line: Int, body: [Node])] = [(statement, line, [])]
        for node in body {
            if case .intermediate(let text, let clauseLine) = node {
                result.append((text, clauseLine, []))
            } else {
                result[result.count - 1].body.append(node)
            }
        }
        return result
    }

    func compileControl(_ statement: String, line: Int, body: [Node]) throws -> Exec {
        let parts = clauses(statement, line: line, body: body)
        let (op, _) = TemplateParser.partition(statement)
        switch op {
        case "if": return try compileIf(parts)
        case "for": return try compileFor(parts)
        case "while": return try compileWhile(parts)
        default: return try compileTry(parts)
        }
    }

    private func condition(_ text: String, line: Int) throws -> Eval {
        let expression = try syntax(text, line: line) { () throws(ExpressionSyntaxError) in try ExpressionParser.parse(text) }
        return located(try compileExpression(expression), line: line, text: text)
    }

    private func compileIf(_ parts: [(statement: String, line: Int, body: [Node])]) throws -> Exec {
        var branches: [(Eval?, Exec)] = []
        for (index, part) in parts.enumerated() {
            let (op, rest) = TemplateParser.partition(part.statement)
            if op == "else" {
                guard index == parts.count - 1, PythonTextStrip.strip(rest).isEmpty else {
                    throw parseError("invalid syntax: \(part.statement)", line: part.line)
                }
                branches.append((nil, try compileBody(part.body)))
            } else {
                branches.append((try condition(rest, line: part.line), try compileBody(part.body)))
            }
        }
        if branches.count == 1, let test = branches[0].0 {
            let then = branches[0].1
            return { state in try test(state).isTruthy ? try then(state) : .normal }
        }
        return { state in
            for (test, body) in branches {
                if let test, !(try test(state)).isTruthy { continue }
                return try body(state)
            }
            return .normal
        }
    }

    private func elseClause(_ parts: [(statement: String, line: Int, body: [Node])]) throws -> Exec? {
        guard parts.count > 1 else { return nil }
        guard parts.count == 2, parts[1].statement == "else" else {
            throw parseError("invalid syntax: \(parts[parts.count - 1].statement)", line: parts[parts.count - 1].line)
        }
        return try compileBody(parts[1].body)
    }

    private func compileFor(_ parts: [(statement: String, line: Int, body: [Node])]) throws -> Exec {
        let head = parts[0]
        let text = String(head.statement.dropFirst(4))
        let (targets, iterable) = try syntax(head.statement, line: head.line) { () throws(ExpressionSyntaxError) in
            try ExpressionParser.parseFor(text)
        }
        let source = located(try compileExpression(iterable), line: head.line, text: "{% \(head.statement) %}")
        let slots = targets.map(assignmentSlot)
        let body = try compileBody(head.body)
        let otherwise = try elseClause(parts)
        let name = origin.name
        let statement = head.statement
        let line = head.line
        return { state in
            let items: [TemplateValue]
            do {
                items = try PythonAccess.iterate(try source(state))
            } catch let error as TemplateRuntimeError {
                throw TemplateError(template: name, line: line, expression: "{% \(statement) %}", cause: error)
            }
            for item in items {
                if slots.count == 1 {
                    state.locals[slots[0]] = item
                } else {
                    do {
                        try Compiler.unpack(item, into: slots, state: state)
                    } catch let error as TemplateRuntimeError {
                        throw TemplateError(template: name, line: line, expression: "{% \(statement) %}", cause: error)
                    }
                }
                if try body(state) == .breakLoop { return .normal }
            }
            if let otherwise { return try otherwise(state) }
            return .normal
        }
    }

    private func compileWhile(_ parts: [(statement: String, line: Int, body: [Node])]) throws -> Exec {
        let head = parts[0]
        let test = try condition(String(head.statement.dropFirst(6)), line: head.line)
        let body = try compileBody(head.body)
        let otherwise = try elseClause(parts)
        let name = origin.name
        let line = head.line
        let statement = head.statement
        return { state in
            while try test(state).isTruthy {
                state.whileBudget -= 1
                if state.whileBudget < 0 {
                    throw TemplateError(
                        template: name, line: line, expression: "{% \(statement) %}",
                        cause: TemplateRuntimeError(.limitError, "more than \(RenderState.maxWhileIterations) loop iterations in one render")
                    )
                }
                if try body(state) == .breakLoop { return .normal }
            }
            if let otherwise { return try otherwise(state) }
            return .normal
        }
    }

    private struct Handler {
        let kinds: [String]?
        let binding: Int?
        let body: Exec
    }

    private static func matches(_ kinds: [String]?, _ error: any Error) -> Bool {
        guard let kinds else { return true }
        let kind = (error as? TemplateError)?.cause.kind ?? (error as? TemplateRuntimeError)?.kind ?? .applicationError
        for name in kinds {
            switch name {
            case "Exception", "BaseException", kind.rawValue: return true
            case "LookupError" where kind == .keyError || kind == .indexError: return true
            case "ArithmeticError" where kind == .zeroDivisionError || kind == .overflowError: return true
            default: continue
            }
        }
        return false
    }

    private static func message(_ error: any Error) -> String {
        if let error = error as? TemplateError { return error.cause.message }
        if let error = error as? TemplateRuntimeError { return error.message }
        return String(describing: error)
    }

    private func compileTry(_ parts: [(statement: String, line: Int, body: [Node])]) throws -> Exec {
        let body = try compileBody(parts[0].body)
        var handlers: [Handler] = []
        var otherwise: Exec?
        var finally: Exec?
        for part in parts.dropFirst() {
            let (op, rest) = TemplateParser.partition(part.statement)
            let clause = PythonTextStrip.strip(rest)
            switch op {
            case "except":
                guard otherwise == nil, finally == nil else { throw parseError("invalid syntax: \(part.statement)", line: part.line) }
                var kinds: [String]?
                var binding: Int?
                if !clause.isEmpty {
                    var pieces = clause.split(separator: " as ", omittingEmptySubsequences: false).map(String.init)
                    if pieces.count == 2 {
                        binding = assignmentSlot(PythonTextStrip.strip(pieces[1]))
                        pieces.removeLast()
                    }
                    let names = String(pieces[0].filter { $0 != "(" && $0 != ")" })
                    kinds = names.split(separator: ",").map { PythonTextStrip.strip(String($0)) }
                }
                handlers.append(Handler(kinds: kinds, binding: binding, body: try compileBody(part.body)))
            case "else":
                guard !handlers.isEmpty, otherwise == nil, finally == nil, clause.isEmpty else {
                    throw parseError("invalid syntax: \(part.statement)", line: part.line)
                }
                otherwise = try compileBody(part.body)
            default:  // finally
                guard finally == nil, clause.isEmpty else { throw parseError("invalid syntax: \(part.statement)", line: part.line) }
                finally = try compileBody(part.body)
            }
        }
        if handlers.isEmpty && finally == nil {
            throw parseError("expected 'except' or 'finally' block", line: parts[0].line)
        }
        return { state in
            var flow = Flow.normal
            var failure: (any Error)?
            var raised: (any Error)?
            do {
                flow = try body(state)
            } catch {
                raised = error
            }
            if let error = raised {
                if let handler = handlers.first(where: { Self.matches($0.kinds, error) }) {
                    do {
                        if let binding = handler.binding { state.locals[binding] = .string(Self.message(error)) }
                        flow = try handler.body(state)
                    } catch {
                        failure = error
                    }
                } else {
                    failure = error
                }
            } else if let otherwise {
                do {
                    flow = try otherwise(state)
                } catch {
                    failure = error
                }
            }
            if let finally {
                // As in Python, leaving the loop from `finally` drops a pending exception.
                let finalFlow = try finally(state)
                if finalFlow != .normal { return finalFlow }
            }
            if let failure { throw failure }
            return flow
        }
    }
}
