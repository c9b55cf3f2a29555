import FoundationEssentials
import SquallTemplate
import Testing

/// The Swift side of templates: values from Swift types, error messages, loaders and limits.
struct TemplateValueBridgingTests {
    struct Address: Encodable { var city: String; var since: Date }
    struct User: Encodable {
        var name: String
        var age: Int
        var nickname: String?
        var address: Address
        var tags: [String]
    }

    final class Cart: TemplateObject {
        let items: [String]
        init(items: [String]) { self.items = items }
        func templateAttribute(_ name: String) throws -> TemplateValue? {
            switch name {
            case "count": .int(items.count)
            case "first": .function(TemplateFunction("first") { [items] _ in .string(items.first ?? "") })
            default: nil
            }
        }
        func templateIterate() throws -> [TemplateValue]? { items.map(TemplateValue.string) }
    }

    @Test func encodableModelsReadAsAttributesAndItems() throws {
        let user = User(name: "Ann <a>", age: 41, nickname: nil, address: Address(city: "Oslo", since: Date(timeIntervalSince1970: 0)), tags: ["x", "y"])
        let template = try Template(
            "{{ user.name }}|{{ user['age'] + 1 }}|{{ user.address.city }}|{{ user.tags }}|{{ user.nickname }}|"
                + "{{ user.address.since.year }}|{{ list(user.keys()) }}"
        )
        let expected = "Ann &lt;a&gt;|42|Oslo|[&#x27;x&#x27;, &#x27;y&#x27;]|None|1970|"
            + "[&#x27;name&#x27;, &#x27;age&#x27;, &#x27;nickname&#x27;, &#x27;address&#x27;, &#x27;tags&#x27;]"
        #expect(try template.generate(["user": user]) == expected)
    }

    @Test func ordinarySwiftValuesConvertWithoutAdapters() throws {
        let template = try Template("{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }} {{ g['k'] }} {{ h }} {{ i }}")
        let optional: Int? = nil
        let text = try template.generate([
            "a": "s", "b": 3, "c": 2.5, "d": true, "e": optional as Any, "f": [1, 2], "g": ["k": "v"],
            "h": UInt8(7), "i": Date(timeIntervalSince1970: 86_400.5),
        ])
        #expect(text == "s 3 2.5 True None [1, 2] v 7 1970-01-02 00:00:00.500000")
    }

    @Test func swiftDictionariesIterateInSortedKeyOrder() throws {
        let template = try Template("{% for k in d %}{{ k }}{% end %}")
        #expect(try template.generate(["d": ["b": 1, "c": 2, "a": 3]]) == "abc")
    }

    @Test func templateObjectsProvideAttributesMethodsAndIteration() throws {
        let template = try Template("{{ cart.count }} {{ cart.first() }} {% for i in cart %}[{{ i }}]{% end %} {{ 'b' in cart }}")
        #expect(try template.generate(["cart": Cart(items: ["a", "b"])]) == "2 a [a][b] True")
    }

    @Test func swiftFunctionsAreCallableWithKeywords() throws {
        let greet = TemplateFunction("greet") { arguments in
            .string("\(arguments.value(0)?.str ?? "")\(arguments.value(1, "punctuation")?.str ?? ".")")
        }
        let template = try Template("{{ greet('hi', punctuation='!') }}")
        #expect(try template.generate(["greet": greet]) == "hi!")
    }

    @Test func literalNamespacesNeedNoConversion() throws {
        let template = try Template("{% for x in xs %}{{ x * 2 }}{% end %}")
        #expect(try template.generate(values: ["xs": [1, 2, 3]]) == "246")
    }
}

struct TemplateErrorTests {
    @Test func aSyntaxErrorReportsFileAndLine() throws {
        let loader = DictLoader(["page.html": "line one\nline two {{ name \n"])
        do {
            _ = try loader.load("page.html")
            Issue.record("no error")
        } catch let error as ParseError {
            #expect(error.filename == "page.html")
            #expect(error.line == 2)
            #expect(error.description == "Missing end expression }} at page.html:2")
        }
    }

    @Test func anExpressionOutsideTheSubsetIsAParseErrorWithItsLine() throws {
        #expect(throws: ParseError.self) { try Template("a\n{{ lambda x: x }}", name: "f.html") }
        do {
            _ = try Template("a\n\n{{ f'{x}' }}", name: "f.html")
        } catch let error as ParseError {
            #expect(error.line == 3)
            #expect(error.description.hasSuffix("at f.html:3"))
        }
    }

    @Test func aMissingVariableNamesTemplateLineAndName() throws {
        let loader = DictLoader(["main.html": "ok\n{% include 'row.html' %}", "row.html": "\n\n{{ user.name }}"])
        do {
            _ = try loader.load("main.html").generate()
            Issue.record("no error")
        } catch let error as TemplateError {
            #expect(error.template == "row.html")
            #expect(error.line == 3)
            #expect(error.expression == "{{ user.name }}")
            #expect(error.cause.kind == .nameError)
            #expect(error.description == "NameError: name 'user' is not defined in row.html:3 ({{ user.name }})")
        }
    }

    @Test func aRunawayWhileLoopFailsInsteadOfHanging() throws {
        let template = try Template("{% while True %}{% end %}")
        #expect(throws: TemplateError.self) { try template.generate() }
    }

    @Test func hugeRangesAndRepetitionsFailInsteadOfExhaustingMemory() throws {
        #expect(throws: TemplateError.self) { try Template("{{ len(range(10**12)) }}").generate() }
        #expect(throws: TemplateError.self) { try Template("{{ 'x' * 10**12 }}").generate() }
        #expect(throws: TemplateError.self) { try Template("{{ 2**70 }}").generate() }
    }

    @Test func aTemplateThatIncludesItselfIsAnErrorNotACrash() throws {
        let loader = DictLoader(["a.html": "{% include 'b.html' %}", "b.html": "{% include 'a.html' %}"])
        #expect(throws: ParseError.self) { try loader.load("a.html") }
        let extending = DictLoader(["x.html": "{% extends 'x.html' %}"])
        #expect(throws: ParseError.self) { try extending.load("x.html") }
    }

    @Test func deeplyNestedExpressionsAreRefused() throws {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: ParseError.self) { try Template("{{ \(deep) }}") }
    }
}

struct TemplateLoaderTests {
    static func directory(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.path + "/squall-tpl-\(UUID().uuidString)"
        for (name, text) in files {
            let path = root + "/" + name
            let folder = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        return root
    }

    @Test func loadsRelativeIncludesAndCachesUntilReset() throws {
        let root = try Self.directory(["pages/a.html": "A{% include 'part.html' %}", "pages/part.html": "P{{ n }}"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let loader = Loader(root)
        let first = try loader.load("pages/a.html")
        #expect(try first.generate(["n": 1]) == "AP1")
        #expect(try loader.load("pages/a.html") === first)
        try Data("B{% include 'part.html' %}".utf8).write(to: URL(fileURLWithPath: root + "/pages/a.html"))
        #expect(try loader.load("pages/a.html").generate(["n": 2]) == "AP2")
        loader.reset()
        #expect(try loader.load("pages/a.html").generate(["n": 3]) == "BP3")
    }

    @Test func namesOutsideTheRootAreNotFound() throws {
        let root = try Self.directory(["in.html": "x"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: TemplateNotFoundError.self) { try Loader(root).load("../etc/passwd") }
        #expect(throws: TemplateNotFoundError.self) { try Loader(root).load("missing.html") }
    }

    @Test func loaderSettingsApply() throws {
        let loader = DictLoader(
            ["t.txt": "{{ v }}  \n\n  {{ site }}"],
            autoescape: .off,
            namespace: ["site": "S"],
            whitespace: .oneline
        )
        #expect(try loader.load("t.txt").generate(["v": "<b>"]) == "<b> S")
    }

    @Test func templateParametersOverrideDefaults() throws {
        let template = try Template("{{ v }}\n\n  x", name: "t.html", autoescape: .off, whitespace: .all)
        #expect(try template.generate(["v": "<i>"]) == "<i>\n\n  x")
        #expect(template.autoescape == nil)
        #expect(template.whitespace == .all)
    }

    @Test func importsComeFromRegisteredModules() throws {
        let helpers: TemplateValue = ["shout": .function(TemplateFunction("shout") { .string(($0.value(0)?.str ?? "").uppercased() + "!") })]
        let loader = DictLoader(["t.html": "{% from helpers import shout %}{{ shout('hi') }}"], modules: ["helpers": helpers])
        #expect(try loader.load("t.html").generate() == "HI!")
        let missing = DictLoader(["t.html": "{% import nothere %}"])
        #expect(throws: TemplateError.self) { try missing.load("t.html").generate() }
    }
}
