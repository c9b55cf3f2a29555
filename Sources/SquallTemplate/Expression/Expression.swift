/// The syntax tree of a template expression (a subset of Python's).
indirect enum Expression {
    case literal(TemplateValue)
    case name(String)
    case attribute(Expression, String)
    case item(Expression, Expression)
    case slice(Expression, Expression?, Expression?, Expression?)
    case call(Expression, [Expression], [(String, Expression)])
    case unary(String, Expression)
    case binary(String, Expression, Expression)
    case compare(Expression, [(String, Expression)])
    case and(Expression, Expression)
    case or(Expression, Expression)
    case not(Expression)
    case conditional(Expression, condition: Expression, otherwise: Expression)
    case list([Expression])
    case tuple([Expression])
    case dict([(Expression, Expression)])
    case comprehension(element: Expression, targets: [String], iterable: Expression, condition: Expression?, isList: Bool)

    /// Every name the expression reads.
    func names(into set: inout Set<String>) {
        switch self {
        case .literal: break
        case .name(let name): set.insert(name)
        case .attribute(let base, _): base.names(into: &set)
        case .item(let base, let key):
            base.names(into: &set)
            key.names(into: &set)
        case .slice(let base, let a, let b, let c):
            base.names(into: &set)
            for part in [a, b, c] { part?.names(into: &set) }
        case .call(let callee, let arguments, let keywords):
            callee.names(into: &set)
            for argument in arguments { argument.names(into: &set) }
            for keyword in keywords { keyword.1.names(into: &set) }
        case .unary(_, let operand), .not(let operand): operand.names(into: &set)
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
            a.names(into: &set)
            b.names(into: &set)
        case .compare(let first, let rest):
            first.names(into: &set)
            for (_, operand) in rest { operand.names(into: &set) }
        case .conditional(let a, let condition, let b):
            a.names(into: &set)
            condition.names(into: &set)
            b.names(into: &set)
        case .list(let items), .tuple(let items): for item in items { item.names(into: &set) }
        case .dict(let pairs):
            for (key, value) in pairs {
                key.names(into: &set)
                value.names(into: &set)
            }
        case .comprehension(let element, _, let iterable, let condition, _):
            element.names(into: &set)
            iterable.names(into: &set)
            condition?.names(into: &set)
        }
    }
}
