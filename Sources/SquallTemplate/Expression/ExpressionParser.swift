/// Parses the expression subset (see docs/templates.md) into ``Expression`` trees, and the statements of
/// `{% set %}`, `{% for %}`, `{% import %}` and `{% except %}`.
struct ExpressionParser {
    private var tokens: [Token]
    private var position = 0
    private var depth = 0
    private static let maxDepth = 100

    init(_ text: String) throws(ExpressionSyntaxError) {
        tokens = try Lexer.tokenize(text)
    }

    /// A whole expression (a bare tuple such as `a, b` allowed).
    static func parse(_ text: String) throws(ExpressionSyntaxError) -> Expression {
        var parser = try ExpressionParser(text)
        let expression = try parser.expressionList()
        try parser.expectEnd()
        return expression
    }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func accept(_ op: String) -> Bool {
        if current == .op(op) {
            position += 1
            return true
        }
        return false
    }

    private mutating func acceptKeyword(_ word: String) -> Bool {
        if current == .name(word) {
            position += 1
            return true
        }
        return false
    }

    private mutating func expect(_ op: String) throws(ExpressionSyntaxError) {
        guard accept(op) else { throw ExpressionSyntaxError("expected '\(op)' \(near)") }
    }

    mutating func expectEnd() throws(ExpressionSyntaxError) {
        guard current == .end else { throw ExpressionSyntaxError("unexpected \(describe(current))") }
    }

    private var near: String { "before \(describe(current))" }

    private func describe(_ token: Token) -> String {
        switch token {
        case .name(let name): "'\(name)'"
        case .int(let number): "'\(number)'"
        case .double(let number): "'\(number)'"
        case .string: "string literal"
        case .op(let op): "'\(op)'"
        case .end: "end of expression"
        }
    }

    static let keywords: Set<String> = [
        "and", "or", "not", "in", "is", "if", "else", "for", "lambda", "None", "True", "False", "import", "from",
        "as", "yield", "await", "def", "class", "return", "del", "pass", "while", "with", "try", "except", "finally",
        "raise", "global", "nonlocal", "assert", "break", "continue", "elif",
    ]

    // MARK: - Expressions

    mutating func expressionList() throws(ExpressionSyntaxError) -> Expression {
        let first = try expression()
        guard current == .op(",") else { return first }
        var items = [first]
        while accept(",") {
            if case .end = current { break }
            if current == .op(")") || current == .op("]") || current == .op("=") { break }
            items.append(try expression())
        }
        return .tuple(items)
    }

    mutating func expression() throws(ExpressionSyntaxError) -> Expression {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw ExpressionSyntaxError("expression nested too deeply") }
        if current == .name("lambda") { throw ExpressionSyntaxError("lambda is not supported in templates") }
        let value = try orTest()
        if acceptKeyword("if") {
            let condition = try orTest()
            guard acceptKeyword("else") else { throw ExpressionSyntaxError("expected 'else' in conditional expression") }
            let otherwise = try expression()
            return .conditional(value, condition: condition, otherwise: otherwise)
        }
        return value
    }

    private mutating func orTest() throws(ExpressionSyntaxError) -> Expression {
        var left = try andTest()
        while acceptKeyword("or") { left = .or(left, try andTest()) }
        return left
    }

    private mutating func andTest() throws(ExpressionSyntaxError) -> Expression {
        var left = try notTest()
        while acceptKeyword("and") { left = .and(left, try notTest()) }
        return left
    }

    private mutating func notTest() throws(ExpressionSyntaxError) -> Expression {
        if acceptKeyword("not") {
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw ExpressionSyntaxError("expression nested too deeply") }
            return .not(try notTest())
        }
        return try comparison()
    }

    private mutating func comparison() throws(ExpressionSyntaxError) -> Expression {
        let first = try arithmetic()
        var rest: [(String, Expression)] = []
        while true {
            var op: String?
            switch current {
            case .op(let symbol) where ["<", ">", "==", ">=", "<=", "!="].contains(symbol):
                position += 1
                op = symbol
            case .name("in"):
                position += 1
                op = "in"
            case .name("not") where tokens[position + 1] == .name("in"):
                position += 2
                op = "not in"
            case .name("is"):
                position += 1
                op = acceptKeyword("not") ? "is not" : "is"
            case .op(let symbol) where ["|", "&", "^", "<<", ">>", "@"].contains(symbol):
                throw ExpressionSyntaxError("the operator '\(symbol)' is not supported in templates")
            default: break
            }
            guard let op else { break }
            rest.append((op, try arithmetic()))
        }
        return rest.isEmpty ? first : .compare(first, rest)
    }

    private mutating func arithmetic() throws(ExpressionSyntaxError) -> Expression {
        var left = try term()
        while true {
            if accept("+") {
                left = .binary("+", left, try term())
            } else if accept("-") {
                left = .binary("-", left, try term())
            } else {
                return left
            }
        }
    }

    private mutating func term() throws(ExpressionSyntaxError) -> Expression {
        var left = try factor()
        while true {
            if case .op(let op) = current, ["*", "/", "//", "%"].contains(op) {
                position += 1
                left = .binary(op, left, try factor())
            } else {
                return left
            }
        }
    }

    private mutating func factor() throws(ExpressionSyntaxError) -> Expression {
        if case .op(let op) = current, op == "-" || op == "+" || op == "~" {
            if op == "~" { throw ExpressionSyntaxError("the operator '~' is not supported in templates") }
            position += 1
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw ExpressionSyntaxError("expression nested too deeply") }
            let operand = try factor()
            // Fold negative literals so that `-1` is a constant.
            if op == "-", case .literal(.int(let number)) = operand, number != .min { return .literal(.int(-number)) }
            if op == "-", case .literal(.double(let number)) = operand { return .literal(.double(-number)) }
            return .unary(op, operand)
        }
        return try power()
    }

    private mutating func power() throws(ExpressionSyntaxError) -> Expression {
        let base = try primary()
        if accept("**") { return .binary("**", base, try factor()) }
        return base
    }

    private mutating func primary() throws(ExpressionSyntaxError) -> Expression {
        var value = try atom()
        while true {
            if accept(".") {
                guard case .name(let name) = advance() else { throw ExpressionSyntaxError("expected a name after '.'") }
                value = .attribute(value, name)
            } else if accept("(") {
                value = try callArguments(value)
            } else if accept("[") {
                value = try subscriptTail(value)
            } else {
                return value
            }
        }
    }

    private mutating func callArguments(_ callee: Expression) throws(ExpressionSyntaxError) -> Expression {
        var arguments: [Expression] = []
        var keywords: [(String, Expression)] = []
        while !accept(")") {
            if current == .op("*") || current == .op("**") {
                throw ExpressionSyntaxError("*args and **kwargs are not supported in templates")
            }
            if case .name(let name) = current, tokens[position + 1] == .op("=") {
                position += 2
                keywords.append((name, try expression()))
            } else {
                if !keywords.isEmpty { throw ExpressionSyntaxError("positional argument follows keyword argument") }
                let argument = try expression()
                if current == .name("for") {
                    arguments.append(try comprehensionTail(argument, isList: true, closing: ")"))
                    return .call(callee, arguments, keywords)
                }
                arguments.append(argument)
            }
            if !accept(",") {
                try expect(")")
                break
            }
        }
        return .call(callee, arguments, keywords)
    }

    private mutating func subscriptTail(_ base: Expression) throws(ExpressionSyntaxError) -> Expression {
        func part(_ parser: inout ExpressionParser) throws(ExpressionSyntaxError) -> Expression? {
            if parser.current == .op(":") || parser.current == .op("]") { return nil }
            return try parser.expression()
        }
        let start = try part(&self)
        if accept(":") {
            let stop = try part(&self)
            var step: Expression?
            if accept(":") { step = try part(&self) }
            try expect("]")
            return .slice(base, start, stop, step)
        }
        guard let start else { throw ExpressionSyntaxError("empty subscript") }
        var key = start
        if current == .op(",") {
            var items = [start]
            while accept(",") {
                if current == .op("]") { break }
                items.append(try expression())
            }
            key = .tuple(items)
        }
        try expect("]")
        return .item(base, key)
    }

    private mutating func atom() throws(ExpressionSyntaxError) -> Expression {
        let token = advance()
        switch token {
        case .name("None"): return .literal(.none)
        case .name("True"): return .literal(.bool(true))
        case .name("False"): return .literal(.bool(false))
        case .name(let name):
            if Self.keywords.contains(name) { throw ExpressionSyntaxError("unexpected keyword '\(name)'") }
            return .name(name)
        case .int(let number): return .literal(.int(number))
        case .double(let number): return .literal(.double(number))
        case .string(var text):
            while case .string(let more) = current {
                text += more
                position += 1
            }
            return .literal(.string(text))
        case .op("("):
            if accept(")") { return .tuple([]) }
            let first = try expression()
            if current == .name("for") { return try comprehensionTail(first, isList: true, closing: ")") }
            if accept(")") { return first }
            var items = [first]
            while accept(",") {
                if current == .op(")") { break }
                items.append(try expression())
            }
            try expect(")")
            return .tuple(items)
        case .op("["):
            if accept("]") { return .list([]) }
            let first = try expression()
            if current == .name("for") { return try comprehensionTail(first, isList: true, closing: "]") }
            var items = [first]
            while accept(",") {
                if current == .op("]") { break }
                items.append(try expression())
            }
            try expect("]")
            return .list(items)
        case .op("{"):
            var pairs: [(Expression, Expression)] = []
            while !accept("}") {
                let key = try expression()
                guard accept(":") else { throw ExpressionSyntaxError("sets are not supported in templates") }
                pairs.append((key, try expression()))
                if !accept(",") {
                    try expect("}")
                    break
                }
            }
            return .dict(pairs)
        case .end: throw ExpressionSyntaxError("unexpected end of expression")
        default: throw ExpressionSyntaxError("unexpected \(describe(token))")
        }
    }

    private mutating func comprehensionTail(
        _ element: Expression,
        isList: Bool,
        closing: String
    ) throws(ExpressionSyntaxError) -> Expression {
        guard acceptKeyword("for") else { throw ExpressionSyntaxError("expected 'for'") }
        let targets = try targetList()
        guard acceptKeyword("in") else { throw ExpressionSyntaxError("expected 'in' in comprehension") }
        let iterable = try orTest()
        var condition: Expression?
        if acceptKeyword("if") { condition = try orTest() }
        if current == .name("for") { throw ExpressionSyntaxError("nested comprehensions are not supported") }
        try expect(closing)
        return .comprehension(element: element, targets: targets, iterable: iterable, condition: condition, isList: isList)
    }

    // MARK: - Statements

    /// `a`, `a, b` or `(a, b)`: the names a `for` or assignment binds.
    mutating func targetList() throws(ExpressionSyntaxError) -> [String] {
        let parenthesised = accept("(")
        var names: [String] = []
        repeat {
            if parenthesised && current == .op(")") { break }
            guard case .name(let name) = advance(), !Self.keywords.contains(name) else {
                throw ExpressionSyntaxError("only names can be assigned in templates")
            }
            names.append(name)
        } while accept(",") && current != .name("in") && current != .op("=")
        if parenthesised { try expect(")") }
        return names
    }

    /// `targets in iterable` (what follows `for`).
    static func parseFor(_ text: String) throws(ExpressionSyntaxError) -> (targets: [String], iterable: Expression) {
        var parser = try ExpressionParser(text)
        let targets = try parser.targetList()
        guard parser.acceptKeyword("in") else { throw ExpressionSyntaxError("expected 'in' in for statement") }
        let iterable = try parser.expressionList()
        try parser.expectEnd()
        return (targets, iterable)
    }

    /// `targets = value` or `name op= value`.
    static func parseAssignment(_ text: String) throws(ExpressionSyntaxError) -> (targets: [String], op: String?, value: Expression) {
        var parser = try ExpressionParser(text)
        let targets = try parser.targetList()
        var op: String?
        if case .op(let symbol) = parser.current, ["+=", "-=", "*=", "/=", "//=", "%=", "**="].contains(symbol) {
            guard targets.count == 1 else { throw ExpressionSyntaxError("illegal expression for augmented assignment") }
            parser.position += 1
            op = String(symbol.dropLast())
        } else {
            try parser.expect("=")
        }
        let value = try parser.expressionList()
        try parser.expectEnd()
        return (targets, op, value)
    }

    /// `import a.b as c, d` → [(module, binding)]; `from a import b as c` → [(module, binding, member)].
    static func parseImport(_ text: String) throws(ExpressionSyntaxError) -> [(module: String, name: String, member: String?)] {
        var parser = try ExpressionParser(text)
        func dotted(_ parser: inout ExpressionParser) throws(ExpressionSyntaxError) -> String {
            var parts: [String] = []
            repeat {
                guard case .name(let name) = parser.advance() else { throw ExpressionSyntaxError("expected a module name") }
                parts.append(name)
            } while parser.accept(".")
            return parts.joined(separator: ".")
        }
        func alias(_ parser: inout ExpressionParser) throws(ExpressionSyntaxError) -> String? {
            guard parser.acceptKeyword("as") else { return nil }
            guard case .name(let name) = parser.advance() else { throw ExpressionSyntaxError("expected a name after 'as'") }
            return name
        }
        var result: [(module: String, name: String, member: String?)] = []
        if parser.acceptKeyword("import") {
            repeat {
                let module = try dotted(&parser)
                let name = try alias(&parser) ?? String(module.split(separator: ".").first ?? "")
                result.append((module, name, nil))
            } while parser.accept(",")
        } else if parser.acceptKeyword("from") {
            let module = try dotted(&parser)
            guard parser.acceptKeyword("import") else { throw ExpressionSyntaxError("expected 'import'") }
            let parenthesised = parser.accept("(")
            repeat {
                guard case .name(let member) = parser.advance() else {
                    throw ExpressionSyntaxError("expected a name to import ('*' is not supported)")
                }
                result.append((module, try alias(&parser) ?? member, member))
            } while parser.accept(",")
            if parenthesised { try parser.expect(")") }
        }
        try parser.expectEnd()
        return result
    }
}
