/// The parse tree of a template file, as Tornado's `_parse` builds it.
indirect enum Node: Sendable {
    /// Literal text and the whitespace mode in force where it was read.
    case text(String, line: Int, whitespace: WhitespaceMode)
    /// `{{ expression }}`, `{% raw expression %}` (raw) or `{% module expression %}` (module).
    case expression(String, line: Int, raw: Bool, module: Bool)
    /// `{% set %}`, `{% import %}`, `{% from %}`, `{% break %}`, `{% continue %}`.
    case statement(String, line: Int)
    /// `{% extends "name" %}`.
    case extends(String, line: Int)
    /// `{% include "name" %}`, and the template it appears in (relative names are resolved against it).
    case include(String, from: String, line: Int)
    /// `{% apply function %}...{% end %}`.
    case apply(String, line: Int, body: [Node])
    /// `{% block name %}...{% end %}`, and the template it is defined in.
    case block(String, template: String, line: Int, body: [Node])
    /// `{% if/for/while/try ... %}...{% end %}` with its intermediate clauses inside the body.
    case control(String, line: Int, body: [Node])
    /// `{% else %}`, `{% elif %}`, `{% except %}`, `{% finally %}`.
    case intermediate(String, line: Int)
}

/// A parsed template file: its body and the settings its directives chose.
struct ParsedFile: Sendable {
    let name: String
    let body: [Node]
    /// The autoescape function name after all `{% autoescape %}` directives (the last one wins, as in Tornado).
    let autoescape: String?
}
