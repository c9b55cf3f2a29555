/// A gettext `Plural-Forms` rule (`plural=n != 1;`), evaluated as Python's `gettext.c2py` evaluates it.
///
/// Python translates the C expression into Python and runs that, which is not quite C: `!` becomes `not`
/// (binding looser than comparisons, so `!n == 1` means `!(n == 1)`), `||` and `&&` return an operand rather
/// than 0 or 1, `/` and `%` floor. This type makes the same translation into tokens, then evaluates those
/// with Python's precedence, so a catalog picks the same plural form in Squall as in Tornado.
struct PluralRule: Sendable {
    private indirect enum Node: Sendable {
        case n
        case number(Int)
        case not(Node)
        case binary(String, Node, Node)
        case conditional(condition: Node, then: Node, else: Node)
    }

    private let root: Node

    /// English's rule: the second form for every count but 1.
    static let germanic = PluralRule(root: .binary("!=", .n, .number(1)))

    private init(root: Node) { self.root = root }

    /// Compiles `expression`; `nil` where Python's `c2py` raises (bad token, unbalanced parentheses, more than
    /// 1,000 characters or 20 levels of nesting).
    init?(_ expression: String) {
        guard expression.count <= 1000, let tokens = Self.tokenize(expression) else { return nil }
        var translator = CToPython(tokens: tokens)
        guard let (python, next) = translator.parse(priority: -1), next.isEmpty else { return nil }
        var depth = 0
        for token in python {
            if token == "(" { depth += 1 }
            if depth > 20 { return nil }
            if token == ")" { depth -= 1 }
        }
        var parser = PythonExpressionParser(tokens: python)
        guard let root = parser.parseConditional(), parser.atEnd else { return nil }
        self.root = root
    }

    /// The index of the plural form for `n`, or `nil` where Python raises (division by zero, overflow).
    func form(for n: Int) -> Int? { Self.evaluate(root, n) }

    private static func evaluate(_ node: Node, _ n: Int) -> Int? {
        switch node {
        case .n: return n
        case .number(let value): return value
        case .not(let operand): return evaluate(operand, n).map { $0 == 0 ? 1 : 0 }
        case .conditional(let condition, let then, let otherwise):
            guard let test = evaluate(condition, n) else { return nil }
            return evaluate(test != 0 ? then : otherwise, n)
        case .binary(let op, let left, let right):
            guard let lhs = evaluate(left, n) else { return nil }
            if op == "or" { return lhs != 0 ? lhs : evaluate(right, n) }
            if op == "and" { return lhs == 0 ? lhs : evaluate(right, n) }
            guard let rhs = evaluate(right, n) else { return nil }
            switch op {
            case "==": return lhs == rhs ? 1 : 0
            case "!=": return lhs != rhs ? 1 : 0
            case "<": return lhs < rhs ? 1 : 0
            case ">": return lhs > rhs ? 1 : 0
            case "<=": return lhs <= rhs ? 1 : 0
            case ">=": return lhs >= rhs ? 1 : 0
            case "+":
                let (sum, overflow) = lhs.addingReportingOverflow(rhs)
                return overflow ? nil : sum
            case "-":
                let (difference, overflow) = lhs.subtractingReportingOverflow(rhs)
                return overflow ? nil : difference
            case "*":
                let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
                return overflow ? nil : product
            case "//", "%":
                guard rhs != 0, !(lhs == .min && rhs == -1) else { return nil }
                var quotient = lhs / rhs
                var remainder = lhs % rhs
                if remainder != 0 && (remainder < 0) != (rhs < 0) {
                    quotient -= 1
                    remainder += rhs
                }
                return op == "%" ? remainder : quotient
            default: return nil
            }
        }
    }

    /// Python's `_token_pattern`: spaces and tabs separate; anything else unknown is an error.
    private static func tokenize(_ expression: String) -> [String]? {
        let scalars = Array(expression.unicodeScalars)
        var tokens: [String] = []
        var index = 0
        func isWord(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" {
                index += 1
            } else if PythonText.digit(scalar) != nil {
                var end = index
                while end < scalars.count, PythonText.digit(scalars[end]) != nil { end += 1 }
                // `[0-9]+\b`: digits glued to letters are not a number.
                guard end == scalars.count || !isWord(scalars[end]) else { return nil }
                tokens.append(String(String.UnicodeScalarView(scalars[index..<end])))
                index = end
            } else if scalar == "n", index + 1 == scalars.count || !isWord(scalars[index + 1]) {
                tokens.append("n")
                index += 1
            } else if "()".unicodeScalars.contains(scalar) || "-*/%+?:".unicodeScalars.contains(scalar) {
                tokens.append(String(scalar))
                index += 1
            } else if "><!".unicodeScalars.contains(scalar) {
                let withEquals = index + 1 < scalars.count && scalars[index + 1] == "="
                tokens.append(String(scalar) + (withEquals ? "=" : ""))
                index += withEquals ? 2 : 1
            } else if index + 1 < scalars.count,
                ["==", "&&", "||"].contains(String(scalar) + String(scalars[index + 1]))
            {
                tokens.append(String(scalar) + String(scalars[index + 1]))
                index += 2
            } else {
                return nil
            }
        }
        return tokens
    }

    private static let binaryPriority = [
        "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
    ]
    private static let pythonOperator = ["||": "or", "&&": "and", "/": "//"]

    /// Python's `gettext._parse`: C tokens in, Python tokens out (with its parentheses and `x if c else y`).
    private struct CToPython {
        var tokens: [String]
        var position = 0

        mutating func next() -> String {
            defer { position += 1 }
            return position < tokens.count ? tokens[position] : ""
        }

        mutating func parse(priority: Int) -> ([String], String)? {
            var result: [String] = []
            var token = next()
            while token == "!" {
                result.append("not")
                token = next()
            }
            if token == "(" {
                guard let (inner, close) = parse(priority: -1), close == ")" else { return nil }
                result += ["("] + inner + [")"]
            } else if token == "n" {
                result.append("n")
            } else if let value = Int(token), token.allSatisfy(\.isASCII) {
                result.append(String(value))
            } else {
                return nil
            }
            token = next()
            var previous = 100
            while let current = PluralRule.binaryPriority[token] {
                if current < priority { break }
                if [3, 4].contains(current) && [3, 4].contains(previous) { result = ["("] + result + [")"] }
                let op = PluralRule.pythonOperator[token] ?? token
                guard let (right, after) = parse(priority: current + 1) else { return nil }
                result += [op] + right
                token = after
                previous = current
            }
            if previous == priority && priority == 4 { result = ["("] + result + [")"] }
            if token == "?" && priority <= 0 {
                guard let (ifTrue, colon) = parse(priority: 0), colon == ":" else { return nil }
                guard let (ifFalse, after) = parse(priority: -1) else { return nil }
                result = ifTrue + ["if"] + result + ["else"] + ifFalse
                if priority == 0 { result = ["("] + result + [")"] }
                token = after
            }
            return (result, token)
        }
    }

    /// Parses the Python tokens `CToPython` makes, with Python's precedence.
    private struct PythonExpressionParser {
        let tokens: [String]
        var position = 0
        var atEnd: Bool { position == tokens.count }
        private var peek: String? { position < tokens.count ? tokens[position] : nil }

        init(tokens: [String]) { self.tokens = tokens }

        mutating func parseConditional() -> Node? {
            guard let body = parseOr() else { return nil }
            guard peek == "if" else { return body }
            position += 1
            guard let condition = parseOr(), peek == "else" else { return nil }
            position += 1
            guard let otherwise = parseConditional() else { return nil }
            return .conditional(condition: condition, then: body, else: otherwise)
        }

        private mutating func parseOr() -> Node? { parseLeft(["or"], operand: { $0.parseAnd() }) }
        private mutating func parseAnd() -> Node? { parseLeft(["and"], operand: { $0.parseNot() }) }

        private mutating func parseNot() -> Node? {
            guard peek == "not" else { return parseComparison() }
            position += 1
            return parseNot().map { .not($0) }
        }

        private mutating func parseComparison() -> Node? {
            guard var left = parseSum() else { return nil }
            var comparisons: [Node] = []
            while let op = peek, ["==", "!=", "<", ">", "<=", ">="].contains(op) {
                position += 1
                guard let right = parseSum() else { return nil }
                comparisons.append(.binary(op, left, right))
                left = right
            }
            // Python chains `a < b < c` as `a < b and b < c` (Tornado's translation never produces a chain).
            guard var chain = comparisons.first else { return left }
            for next in comparisons.dropFirst() { chain = .binary("and", chain, next) }
            return chain
        }

        private mutating func parseSum() -> Node? { parseLeft(["+", "-"], operand: { $0.parseProduct() }) }
        private mutating func parseProduct() -> Node? { parseLeft(["*", "//", "%"], operand: { $0.parseAtom() }) }

        private mutating func parseAtom() -> Node? {
            guard let token = peek else { return nil }
            position += 1
            if token == "n" { return .n }
            if let value = Int(token) { return .number(value) }
            guard token == "(", let inner = parseConditional(), peek == ")" else { return nil }
            position += 1
            return inner
        }

        private mutating func parseLeft(_ ops: [String], operand: (inout Self) -> Node?) -> Node? {
            guard var left = operand(&self) else { return nil }
            while let op = peek, ops.contains(op) {
                position += 1
                guard let right = operand(&self) else { return nil }
                left = .binary(op, left, right)
            }
            return left
        }
    }
}
