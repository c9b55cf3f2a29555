import FoundationEssentials
import Squall
import SquallTesting
import Testing

/// A UI module with resources of every kind.
final class EntryModule: UIModule, @unchecked Sendable {
    override func render(_ arguments: TemplateArguments) throws -> String {
        try renderString("entry.html", ["entry": arguments.value(0) ?? .none])
    }
    override func cssFiles() -> [String]? { ["entry.css", "/abs/entry.css"] }
    override func javascriptFiles() -> [String]? { ["https://cdn.example/e.js"] }
    override func embeddedCSS() -> String? { ".entry { color: red }" }
    override func embeddedJavascript() -> String? { "var entry = 1;" }
    override func htmlHead() -> String? { "<meta name=\"entry\">" }
    override func htmlBody() -> String? { "<div id=\"entry-footer\"></div>" }
}

final class PageHandler: RequestHandler, TemplateRendering, @unchecked Sendable {
    override func get() async throws {
        try await render("page.html", ["title": "Hi <there>", "entries": ["one", "two"]])
    }
    func getTemplateNamespace() throws -> [String: Any] {
        var namespace = try defaultTemplateNamespace()
        namespace["site"] = "Squall"
        return namespace
    }
}

final class UserHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { write("user") }
}

final class BrokenHandler: RequestHandler, @unchecked Sendable {
    override func get() async throws { try await render("broken.html") }
}

struct RenderIntegrationTests {
    static let templates = [
        "base.html": """
            <html><head><title>{% block title %}{% end %}</title></head>
            <body>{% block body %}{% end %}</body></html>
            """,
        "page.html": """
            {% extends "base.html" %}
            {% block title %}{{ title }} - {{ site }}{% end %}
            {% block body %}
            {% for e in entries %}{% module Entry(e) %}{% end %}
            {% module Template("box.html", label="L<1>") %}
            {% module xsrf_form_html() %}
            <a href="{{ reverse_url('user', 42) }}">{{ _("Profile") }}</a>
            <link href="{{ static_url('site.css') }}">
            {{ request.path }} {{ handler.request.method }} {{ current_user }}
            {% end %}
            """,
        "entry.html": "<p class=\"entry\">{{ entry }}</p>",
        "box.html": "{{ set_resources(css_files='box.css', embedded_javascript='var box;') }}<div>{{ label }}</div>",
        "broken.html": "{{ nope }}",
    ]

    func withApp(_ body: (TestServer) async throws -> Void) async throws {
        let root = try TemplateLoaderTests.directory(Self.templates)
        let statics = try TemplateLoaderTests.directory(["site.css": "body{}", "entry.css": "p{}", "box.css": "div{}"])
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: statics)
        }
        var settings = Settings()
        settings.templatePath = root
        settings.staticPath = statics
        settings.uiModules = ["Entry": EntryModule.self]
        let app = Application(
            rules: [
                try url(#"/page"#, PageHandler.self),
                try url(#"/user/(\d+)"#, UserHandler.self, name: "user"),
                try url(#"/broken"#, BrokenHandler.self),
            ],
            settings: settings
        )
        try await withTestServer(app, body)
    }

    @Test func aHandlerRendersATemplateFileWithModulesAndHelpers() async throws {
        try await withApp { server in
            let response = try await server.fetch("/page")
            #expect(response.status == 200)
            let body = response.text
            #expect(body.contains("<title>Hi &lt;there&gt; - Squall</title>"))
            #expect(body.contains("<p class=\"entry\">one</p><p class=\"entry\">two</p>"))
            #expect(body.contains("<div>L&lt;1&gt;</div>"))
            #expect(body.contains("<input type=\"hidden\" name=\"_xsrf\" value=\"2|"))
            #expect(body.contains("<a href=\"/user/42\">Profile</a>"))
            #expect(body.contains("<link href=\"/static/site.css?v="))
            #expect(body.contains("/page GET None"))
            // Module resources, where Tornado puts them.
            let head = try #require(body.firstRange(of: "</head>"))
            let headPart = String(body[..<head.lowerBound])
            #expect(headPart.contains("<link href=\"/static/entry.css?v="))
            #expect(headPart.contains("<link href=\"/abs/entry.css\" type=\"text/css\" rel=\"stylesheet\"/>"))
            #expect(headPart.contains("<link href=\"/static/box.css?v="))
            #expect(headPart.contains("<style type=\"text/css\">\n.entry { color: red }\n</style>"))
            #expect(headPart.contains("<meta name=\"entry\">\n</head>") || headPart.hasSuffix("<meta name=\"entry\">\n"))
            let bodyEnd = try #require(body.ranges(of: "</body>").last)
            let tail = String(body[..<bodyEnd.lowerBound])
            #expect(tail.contains("<script src=\"https://cdn.example/e.js\" type=\"text/javascript\"></script>"))
            #expect(tail.contains("<script type=\"text/javascript\">\n//<![CDATA[\nvar entry = 1;\nvar box;\n//]]>\n</script>"))
            #expect(tail.hasSuffix("<div id=\"entry-footer\"></div>\n"))
        }
    }

    @Test func aTemplateErrorBecomesA500() async throws {
        try await withApp { server in
            let response = try await server.fetch("/broken")
            #expect(response.status == 500)
        }
    }
}
