"""Generates the escape fixtures (escape_fixtures.json) and SquallEscape's HTML entity tables from Tornado 6.6.1.

Run from the repository root:
    python3 -m venv /tmp/tornado-venv && /tmp/tornado-venv/bin/pip install tornado==6.6.1
    /tmp/tornado-venv/bin/python Tests/SquallEscapeTests/Fixtures/generate_escape_fixtures.py
"""

import html
import html.entities
import json
import os
import sys

import tornado
from tornado import escape

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def outcome(fn, *args, **kwargs):
    try:
        return {"value": fn(*args, **kwargs)}
    except Exception as e:  # noqa: BLE001 - the fixture records what Tornado raised
        return {"error": type(e).__name__}


TEXTS = [
    "",
    "plain text",
    "<script>alert('x') & \"y\"</script>",
    "a < b > c & d ' e \" f",
    "caf\u00e9 \u65e5\u672c\u8a9e \U0001F600 emoji",
    "&amp; already escaped &lt;",
    "tab\there\nnewline\r\nwindows",
    "\x00\x01\x1f control",
    "   leading and trailing   ",
    "\u00a0nbsp\u2003em space\u3000",
    "/path/to?query=1&b=2#frag",
    "a+b c/d~e_f.g-h",
    "100% sure",
]

UNESCAPE = [
    "&amp;&lt;&gt;&quot;&#39;&#x27;",
    "&AElig; &aelig &copy &copy; &notit; &notin; &ampx &amp;x",
    "&#65;&#x41;&#X41;&#0065",
    "&#128;&#0;&#x110000;&#xD800;&#1;&#x0B;&#xFFFE;&#129;",
    "&#99999999999999999999;",
    "&unknown; & &; &#; &#x; &# &#xZZ;",
    "no entities here",
    "&lt&gt&amp",
    "&CounterClockwiseContourIntegral; &NotNestedGreaterGreater;",
    "&fjlig; &nbsp;x&nbspx",
    "caf&eacute; \u65e5\u672c",
]

URL_UNESCAPE = [
    "a+b%20c",
    "%E6%97%A5%E6%9C%AC",
    "%FF%FE invalid utf8",
    "%zz%4 %",
    "plus+sign%2B",
    "%2Fpath%2fx",
    "%C3%A9%C3",
    "",
]

JSON_VALUES = [
    None,
    True,
    False,
    0,
    -17,
    12345678901234,
    1.5,
    0.1,
    1e16,
    1e-07,
    -0.0,
    123456789.125,
    "",
    "simple",
    "</script><script>alert(1)</script>",
    "quote \" backslash \\ slash /",
    "control \x00\x01\x1f\t\n\r\b\f",
    "unicode caf\u00e9 \u2028 \U0001F600",
    [],
    [1, "two", None, [3.5]],
    {},
    {"b": 1, "a": [True, False], "nested": {"x": "</"}},
]

JSON_DECODE = [
    '{"a": 1, "b": [1, 2.5, "x"], "c": null, "d": true}',
    '  [1, -2, 3e2, 4.0E-1, "\\u00e9\\ud83d\\ude00", "\\n\\t\\/"]  ',
    '"just a string"',
    "42",
    '{"z": {}, "a": []}',
    '{"dup": 1, "dup": 2}',
    "[1, 2,]",
    "{'single': 1}",
    "",
    "[1] x",
    "NaN",
    '"unterminated',
    "01",
]

LINKIFY = [
    ("Hello http://tornadoweb.org!", {}),
    ("visit www.example.com/path?a=1&b=2 now", {}),
    ("https://example.com/a/b/c (see http://x.org/(paren)) end.", {}),
    ("ftp://files.example.com/x and mailto:me@example.com", {}),
    ("ftp://files.example.com/x and mailto:me@example.com", {"permitted_protocols": ["http", "https", "ftp", "mailto"]}),
    ("javascript:alert(1) http://ok.com", {}),
    ("www.example.com and http://example.com", {"require_protocol": True}),
    ("http://example.com", {"extra_params": 'rel="nofollow" class="external"'}),
    ("http://example.com/a", {"extra_params": "  rel=\"nofollow\"  "}),
    ("http://www.example.com/this/is/a/very/long/path/that/needs/shortening.html?query=yes", {"shorten": True}),
    ("www.example.com/averyveryverylongsegmentindeed/and/more/stuff/here", {"shorten": True}),
    ("http://a.com/?x=1&amp;y=2&z=3&w=4&v=5&u=6&t=7&s=8", {"shorten": True}),
    ("https://example.com/short", {"shorten": True}),
    ("<b>http://example.com/?q=\"x\"&r='y'</b>", {}),
    ("text with no links at all", {}),
    ("http://example.com/path.", {}),
    ("caf\u00e9 http://example.com/\u00e9t\u00e9 fin", {}),
    ("http://xn--bcher-kva.example/ http://example.com:8080/p", {}),
    ("a http://example.com/very/long/path/with/a/really/long/file/name/index.html b", {"shorten": True, "extra_params": "class=\"x\""}),
]


def js_string_list(values):
    return [repr(v) for v in values]


def main():
    fixtures = {
        "tornado": tornado.version,
        "python": sys.version.split()[0],
        "xhtml_escape": [{"input": t, "output": escape.xhtml_escape(t)} for t in TEXTS],
        "xhtml_unescape": [{"input": t, "output": escape.xhtml_unescape(t)} for t in UNESCAPE + TEXTS],
        "url_escape": [
            {"input": t, "plus": plus, "output": escape.url_escape(t, plus=plus)}
            for t in TEXTS
            for plus in (True, False)
        ],
        "url_unescape": [
            {"input": t, "plus": plus, "output": escape.url_unescape(t, plus=plus)}
            for t in URL_UNESCAPE + [escape.url_escape(x) for x in TEXTS]
            for plus in (True, False)
        ],
        "json_encode": [{"input": json.dumps(v), "output": escape.json_encode(v)} for v in JSON_VALUES],
        "json_decode": [],
        "squeeze": [{"input": t, "output": escape.squeeze(t)} for t in TEXTS + ["\x00\x00a\x20\x20b\x1fc\x7f", "\u2003 x \u2003"]],
        "linkify": [
            {
                "input": text,
                "shorten": kw.get("shorten", False),
                "extra_params": kw.get("extra_params", ""),
                "require_protocol": kw.get("require_protocol", False),
                "permitted_protocols": kw.get("permitted_protocols", ["http", "https"]),
                "output": escape.linkify(text, **kw),
            }
            for text, kw in LINKIFY
        ],
    }
    for text in JSON_DECODE:
        result = outcome(escape.json_decode, text)
        if "value" in result:
            fixtures["json_decode"].append({"input": text, "output": json.dumps(result["value"])})
        else:
            fixtures["json_decode"].append({"input": text, "error": result["error"]})
    with open(os.path.join(HERE, "escape_fixtures.json"), "w", encoding="utf-8") as f:
        json.dump(fixtures, f, indent=1, ensure_ascii=True, sort_keys=True)
        f.write("\n")

    # The HTML5 named character references and the numeric-reference fix-ups html.unescape uses.
    from html import _invalid_charrefs, _invalid_codepoints  # type: ignore[attr-defined]

    lines = []
    for name in sorted(html.entities.html5):
        value = html.entities.html5[name]
        lines.append(name + " " + " ".join("%X" % ord(c) for c in value))
    invalid = sorted(_invalid_charrefs.items())
    swift = [
        "// Generated by Tests/SquallEscapeTests/Fixtures/generate_escape_fixtures.py from Python %s's html module"
        % sys.version.split()[0],
        "// (the tables Tornado %s's xhtml_unescape uses): do not edit by hand." % tornado.version,
        "",
        "/// The tables behind ``xhtmlUnescape(_:)``: HTML5's named character references and the numeric-reference",
        "/// fix-ups of the HTML5 parsing rules.",
        "enum HTMLEntityTable {",
        "    /// One reference per line: the name (with its `;` when the name needs it), then the hexadecimal code",
        "    /// points it stands for.",
        '    static let namedSource = """',
    ]
    swift += ["        " + line for line in lines]
    swift += [
        '        """',
        "",
        "    /// Numeric references the HTML5 parser maps to another character (mostly Windows-1252).",
        "    static let invalidCharrefs: [UInt32: UInt32] = [",
    ]
    swift += ["        0x%X: 0x%X," % (k, ord(v)) for k, v in invalid]
    swift += [
        "    ]",
        "",
        "    /// Code points numeric references may not produce (they become nothing).",
        "    static let invalidCodepoints: Set<UInt32> = [",
    ]
    cps = sorted(_invalid_codepoints)
    for i in range(0, len(cps), 8):
        swift.append("        " + " ".join("0x%X," % c for c in cps[i : i + 8]))
    swift += ["    ]", "}", ""]
    with open(os.path.join(ROOT, "Sources", "SquallEscape", "HTMLEntityTable.swift"), "w", encoding="utf-8") as f:
        f.write("\n".join(swift))


main()
