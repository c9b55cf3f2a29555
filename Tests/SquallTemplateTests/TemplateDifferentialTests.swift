import SquallTemplate
import Testing

/// Every case Tornado 6.6.1 rendered (Fixtures/template_fixtures.json) renders the same here.
struct TemplateDifferentialTests {
    @Test func theCorpusIsLoaded() {
        #expect(TemplateFixture.all.count > 90)
    }

    @Test(arguments: TemplateFixture.all)
    func rendersWhatTornadoRenders(_ fixture: TemplateFixture) throws {
        if let expected = fixture.output {
            let rendered = try fixture.render()
            #expect(rendered == expected)
            return
        }
        do {
            let output = try fixture.render()
            Issue.record("expected \(fixture.error ?? "an error"), rendered \(String(reflecting: output))")
        } catch let error as ParseError {
            guard fixture.error == "ParseError" else {
                // Tornado raises a plain Exception for an invalid whitespace mode; a ParseError is clearer.
                #expect(fixture.error == "Exception", "\(error)")
                return
            }
            let message = fixture.message ?? ""
            if let brace = message.firstIndex(of: "{"), message.contains("{'") {
                // Python prints a set here, in an order that changes between runs.
                #expect(error.message.hasPrefix(String(message[..<brace])), "\(error)")
            } else {
                #expect(error.message == message)
            }
            if let line = fixture.line, line > 0 { #expect(error.line == line, "\(error)") }
        } catch let error as TemplateError {
            #expect(error.cause.kind.rawValue == fixture.error, "\(error)")
        }
    }
}
