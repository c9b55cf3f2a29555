"""Generates template_fixtures.json: templates, data and what Tornado 6.6.1 renders for them.

Run from the repository root:
    python3 -m venv /tmp/tornado-venv && /tmp/tornado-venv/bin/pip install tornado==6.6.1
    /tmp/tornado-venv/bin/python Tests/SquallTemplateTests/Fixtures/generate_template_fixtures.py

Data is JSON with three markers the Swift side reads the same way: {"$date": "2024-01-02T03:04:05"} is a
datetime (UTC, naive), {"$tuple": [...]} a tuple; every other object becomes an ObjectDict (a dict whose keys
read as attributes too, which is how Squall shows Swift models to templates).
"""

import datetime
import json
import os
import sys

import tornado
from tornado import escape, template
from tornado.util import ObjectDict

HERE = os.path.dirname(os.path.abspath(__file__))

ROWS = [
    {"id": 1, "name": "Ann <admin>", "email": "ann@example.com", "active": True, "score": 9.5, "tags": ["a", "b"]},
    {"id": 2, "name": "Bob & Co", "email": "bob@example.com", "active": False, "score": 7, "tags": []},
    {"id": 3, "name": "Cé'line \"C\"", "email": "c@example.com", "active": True, "score": 8.25, "tags": ["x"]},
]
DATA = {
    "title": "Hello <World> & 'friends'",
    "name": "Ann",
    "count": 3,
    "zero": 0,
    "ratio": 0.5,
    "big": 1234567.891,
    "neg": -7,
    "flag": True,
    "nothing": None,
    "items": ["apple", "banana", "cherry"],
    "numbers": [5, 3, 8, 1],
    "empty": [],
    "user": {"name": "Ann", "email": "ann@example.com", "admin": False, "address": {"city": "Oslo"}},
    "rows": ROWS,
    "mapping": {"b": 2, "a": 1, "c": 3},
    "html": "<p>para & more</p>",
    "url": "https://example.com/a b?x=1&y=<2>",
    "text": "Visit http://example.com/path and www.tornadoweb.org today",
    "spaces": "  lots   of \t space \n here  ",
    "when": {"$date": "2024-02-29T13:05:09"},
    "pair": {"$tuple": [1, "two"]},
    "nested": [[1, 2], [3, 4]],
    "unicode": "日本語 ✓ \U0001F600",
}

CASES = []


def case(name, source, data=None, templates=None, autoescape="xhtml_escape", whitespace=None, main="main.html",
         loader=True, template_name=None):
    CASES.append({
        "name": name,
        "templates": dict(templates or {}, **({main: source} if source is not None else {})),
        "main": main,
        "data": DATA if data is None else data,
        "autoescape": autoescape,
        "whitespace": whitespace,
        "loader": loader,
        "template_name": template_name,
    })


# Expressions and output.
case("plain text", "Hello, world!\n")
case("variable", "Hi {{ name }}!")
case("autoescape", "<h1>{{ title }}</h1>")
case("numbers", "{{ count }} {{ ratio }} {{ big }} {{ neg }} {{ 1/3 }} {{ 10/2 }} {{ 7//2 }} {{ -7//2 }} {{ 7%3 }} {{ -7%3 }} {{ 2**10 }} {{ 1e16 }} {{ 1.5e-7 }}")
case("booleans and none", "{{ flag }} {{ not flag }} {{ nothing }} {{ nothing is None }} {{ count is not None }}")
case("lists and dicts print as python", "{{ items }} {{ mapping }} {{ pair }} {{ nested }} {{ empty }} {{ (1,) }} {{ {'k': [1, 'v', None, True]} }} {{ [\"it's\"] }}")
case("string literals", "{{ 'single' }} {{ \"double\" }} {{ 'a' 'b' }} {{ 'tab\\tnew\\\\' }} {{ '\\u00e9' }} {{ r'\\d' }}")
case("attribute and item access", "{{ user.name }} {{ user['email'] }} {{ user.address.city }} {{ rows[0].name }} {{ rows[-1]['id'] }} {{ items[1] }} {{ mapping['b'] }}")
case("slicing", "{{ items[1:] }} {{ items[:2] }} {{ items[::-1] }} {{ name[1:] }} {{ numbers[1:3] }} {{ items[-2:] }} {{ name[::2] }}")
case("arithmetic precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ -2 ** 2 }} {{ 2 ** -1 }} {{ 10 - 2 - 3 }} {{ 'ab' * 3 }} {{ [1] * 2 + [3] }} {{ count * ratio }}")
case("comparisons", "{{ 1 < 2 < 3 }} {{ 3 > 2 > 5 }} {{ count == 3 }} {{ count != 3 }} {{ 'b' >= 'a' }} {{ 2 <= 2.0 }} {{ 'an' in name.lower() }} {{ 'z' not in items }} {{ 'a' in mapping }}")
case("boolean operators return operands", "{{ nothing or 'default' }} {{ name and count }} {{ zero or empty or 'last' }} {{ not empty }} {{ flag and not zero }}")
case("conditional expression", "{{ 'yes' if flag else 'no' }} {{ 'many' if count > 5 else 'few' if count > 1 else 'one' }}")
case("builtins", "{{ len(items) }} {{ list(range(3)) }} {{ list(range(1, 10, 3)) }} {{ str(5) + 'x' }} {{ int('42') + 1 }} {{ float('1.5') }} {{ sorted(numbers) }} {{ min(numbers) }} {{ max(numbers) }} {{ abs(neg) }} {{ round(2.5) }} {{ round(3.14159, 2) }} {{ sum(numbers) }} {{ sorted(items, reverse=True) }} {{ list(reversed(items)) }} {{ list(enumerate(items, 1)) }} {{ list(zip(items, numbers)) }} {{ bool(empty) }} {{ int(7.9) }} {{ round(-0.5) }}")
case("string methods", "{{ name.upper() }} {{ name.lower() }} {{ spaces.strip() }}|{{ spaces.split() }} {{ ', '.join(items) }} {{ 'a,b,,c'.split(',') }} {{ 'hello'.replace('l', 'L') }} {{ name.startswith('A') }} {{ name.endswith('x') }} {{ 'hello world'.title() }} {{ 'abc'.capitalize() }} {{ 'banana'.count('a') }} {{ 'banana'.find('n') }} {{ '--x--'.strip('-') }} {{ '42'.zfill(5) }} {{ 'x'.center(5, '*') }} {{ 'ab'.ljust(4, '.') }}|")
case("dict methods", "{% for k, v in mapping.items() %}{{ k }}={{ v }};{% end %} {{ list(mapping.keys()) }} {{ list(mapping.values()) }} {{ mapping.get('a') }} {{ mapping.get('zz') }} {{ mapping.get('zz', 'dflt') }}")
case("percent formatting", "{{ '%s has %d items' % (name, count) }} {{ '%.2f' % ratio }} {{ '%5s|%-5s|' % ('a', 'b') }} {{ '%05d' % 42 }} {{ '%x %X %o' % (255, 255, 8) }} {{ '%(name)s!' % user }} {{ '%r' % name }} {{ '100%%' % () }} {{ '%+d' % 5 }} {{ '%e' % big }} {{ '%g' % 0.0001 }}")
case("str format", "{{ '{} and {}'.format(name, count) }} {{ '{0}{1}{0}'.format('a', 'b') }} {{ '{n}!'.format(n=name) }} {{ '{:.1f}'.format(big) }} {{ '{:>6}|{:<6}|{:^6}'.format('r', 'l', 'c') }} {{ '{:,}'.format(1234567) }} {{ '{:05d}'.format(42) }} {{ '{!r}'.format(name) }} {{ '{:.0%}'.format(ratio) }}")
case("unicode", "{{ unicode }} {{ len(unicode) }} {{ unicode[0] }} {{ unicode.upper() }}")
case("dates", "{{ when }} {{ when.year }}-{{ when.month }}-{{ when.day }} {{ when.strftime('%Y/%m/%d %H:%M:%S %A %B %j') }} {{ when.isoformat() }} {{ when.weekday() }}")
case("escape functions", "{{ xhtml_escape(html) }}|{% raw url_escape(url) %}|{% raw url_escape(url, plus=False) %}|{% raw json_encode(user) %}|{{ squeeze(spaces) }}|{% raw linkify(text) %}|{% raw escape(title) %}|{% raw json_encode({'a': '</script>', 'b': [1, 2.5, None, True]}) %}")
case("list comprehension", "{{ [x * 2 for x in numbers] }} {{ [r.name for r in rows if r.active] }} {{ ', '.join([k + str(v) for k, v in mapping.items()]) }}")
case("tuple expressions", "{{ 1, 2 }} {{ () }} {{ (count, name) }}")
case("curly brace literal handling", "{ not a tag } {{{ name }}} {{ '{' }} a {b} {%! raw %} {{! not expr }} {#! not comment #} x { y")

# Directives.
case("raw", "{% raw html %} vs {{ html }}")
case("comments", "a{# a comment {{ name }} #}b{% comment this is ignored %}c")
case("if elif else", "{% for n in numbers %}{% if n > 6 %}big{% elif n > 3 %}mid{% elif n == 1 %}one{% else %}small{% end %} {% end %}")
case("if without else", "[{% if zero %}never{% end %}]{% if items %}has items{% end %}")
case("for with tuple unpacking", "{% for i, item in enumerate(items) %}{{ i }}:{{ item }} {% end %}|{% for (a, b) in nested %}{{ a + b }},{% end %}")
case("for else", "{% for x in empty %}x{% else %}empty!{% end %} {% for x in items %}{{ x }}{% else %}no{% end %}")
case("break and continue", "{% for n in range(10) %}{% if n == 2 %}{% continue %}{% end %}{% if n > 5 %}{% break %}{% end %}{{ n }}{% end %}")
case("for break skips else", "{% for n in range(3) %}{{ n }}{% if n == 1 %}{% break %}{% end %}{% else %}ELSE{% end %}")
case("nested loops", "{% for row in rows %}<tr>{% for tag in row.tags %}<td>{{ tag }}</td>{% end %}</tr>{% end %}")
case("while", "{% set i = 0 %}{% while i < 5 %}{{ i }}{% set i += 1 %}{% if i == 4 %}{% break %}{% end %}{% end %}")
case("while else", "{% set i = 3 %}{% while i > 0 %}{{ i }}{% set i = i - 1 %}{% else %}liftoff{% end %}")
case("set", "{% set greeting = 'Hi ' + name %}{{ greeting }} {% set a, b = 1, 2 %}{{ a }}{{ b }} {% set total = 0 %}{% for n in numbers %}{% set total += n %}{% end %}{{ total }}")
case("try except", "{% try %}{{ 1/0 }}{% except %}caught{% end %} {% try %}{{ mapping['zz'] }}{% except KeyError %}keyerror{% end %} {% try %}ok{% except %}no{% else %} else{% finally %} finally{% end %}")
case("try except as", "{% try %}{{ mapping['missing'] }}{% except KeyError as e %}missing {{ e }}{% end %}")
case("try finally with error inside except", "{% try %}{% try %}{{ 1/0 }}{% finally %}[inner finally]{% end %}{% except ZeroDivisionError %}[outer caught]{% end %}")
case("except does not match other errors", "{% try %}{{ undefined_name }}{% except KeyError %}no{% end %}")
case("apply", "{% apply upper %}hello {{ name }}{% end %} {% apply linkify %}see http://x.com & <b>{% end %}")
case("apply nested in loop", "{% for i in items %}{% apply upper %}{{ i }}-{% end %}{% end %}")
case("autoescape none directive", "{% autoescape None %}{{ html }}")
case("autoescape applies to whole file", "{{ html }}{% autoescape None %}{{ html }}")
case("autoescape other function", "{% autoescape upper %}{{ name }} {% raw name %}")
case("module without modules namespace", "{% module Thing() %}")
case("import from datetime", "{% import datetime %}{{ datetime.datetime.fromtimestamp(0) is not None }}")
case("from tornado.escape import", "{% from tornado.escape import xhtml_escape, url_escape as ue %}{% raw xhtml_escape('<') %}{% raw ue('a b') %}")
case("whitespace single default for html", "<ul>\n    {% for item in items %}\n        <li>{{ item }}</li>\n    {% end %}\n</ul>\n\n\n   end  \t text  \n")
case("whitespace all for txt", "<ul>\n    {% for item in items %}\n        <li>{{ item }}</li>\n    {% end %}\n</ul>\n\n\n   end  \t text  \n", main="main.txt")
case("whitespace directive", "a  \n\n  b{% whitespace oneline %}  c  \n\n  d {% whitespace all %}  e  \n\n  f{% whitespace single %}  g  \n\n  h")
case("whitespace loader oneline", "a  \n\n  b\n  c", whitespace="oneline")
case("pre text is not filtered", "<pre>\n  keep   this\n\n</pre>\n\n  but   not   this")
case("unicode whitespace", "a\u00a0\u00a0b\u2003\n\u2003c")
case("template without loader uses name", "<a>\n   x  </a>", loader=False, template_name="page.html")
case("template without loader default name", "<a>\n   x  </a>", loader=False, template_name=None)
case("autoescape off loader", "{{ html }}", autoescape=None)

# Includes and inheritance.
case("include", "<div>{% include 'row.html' %}</div>", templates={"row.html": "<span>{{ name }}</span>"})
case("include shares variables", "{% for row in rows %}{% include 'row.html' %}{% end %}[{{ last }}]",
     templates={"row.html": "<{{ row.id }}:{{ row.name }}>{% set last = row.id %}"})
case("include relative path", "{% include 'parts/a.html' %}", templates={"parts/a.html": "A{% include 'b.html' %}", "parts/b.html": "B{{ count }}"})
case("included txt keeps whitespace", "{% include 'inc.txt' %}|", templates={"inc.txt": "  a  \n\n  b  "})
case("included template autoescape", "{{ html }}{% include 'inc.html' %}", templates={"inc.html": "{% autoescape None %}{{ html }}"})
case("extends", "{% extends 'base.html' %}{% block title %}Child {{ name }}{% end %}{% block body %}<p>body</p>{% end %}",
     templates={"base.html": "<html><title>{% block title %}Default{% end %}</title><body>{% block body %}{% end %}{% block footer %}footer{% end %}</body></html>"})
case("extends multi level", "{% extends 'middle.html' %}{% block content %}leaf{% end %}",
     templates={"base.html": "[{% block header %}H{% end %}|{% block content %}C{% end %}]",
                "middle.html": "{% extends 'base.html' %}{% block header %}mid-H{% end %}"})
case("child content outside blocks is dropped", "{% extends 'base.html' %}ignored text{% block a %}A{% end %}more ignored",
     templates={"base.html": "<{% block a %}{% end %}>"})
case("block in loop", "{% extends 'base.html' %}{% block item %}({{ item }}){% end %}",
     templates={"base.html": "{% for item in items %}{% block item %}{{ item }}{% end %}{% end %}"})
case("nested blocks", "{% extends 'base.html' %}{% block inner %}NEW{% end %}",
     templates={"base.html": "{% block outer %}[{% block inner %}old{% end %}]{% end %}"})
case("blocks from included templates", "{% extends 'base.html' %}{% block a %}child{% end %}",
     templates={"base.html": "{% include 'inc.html' %}", "inc.html": "inc:{% block a %}inc-a{% end %}"})
case("block autoescape follows defining template", "{% extends 'base.html' %}{% block b %}{{ html }}{% end %}",
     templates={"base.html": "{% autoescape None %}{{ html }}|{% block b %}{% end %}"})
case("set in block visible after", "{% extends 'base.html' %}{% block a %}{% set x = 5 %}{% end %}",
     templates={"base.html": "{% block a %}{% end %}{{ x }}"})

# Runtime errors (Tornado's exception type only).
case("error unknown name", "{{ missing }}")
case("error attribute", "{{ user.missing_attr }}")
case("error key", "{{ mapping['nope'] }}")
case("error index", "{{ items[10] }}")
case("error division", "{{ count / zero }}")
case("error type", "{{ name + count }}")
case("error unbound local", "{{ x }}{% set x = 1 %}")
case("error int parse", "{{ int('abc') }}")
case("error unpack", "{% for a, b in items %}{% end %}")
case("error not iterable", "{% for a in count %}{% end %}")
case("error call non function", "{{ name() }}")
case("error compare types", "{{ 1 < 'a' }}")

# Parse errors (message and line).
case("parse missing end", "line1\n{% if flag %}\nno end")
case("parse missing end expression", "a\nb {{ name \nc")
case("parse missing end block", "{% if x ")
case("parse missing end comment", "\n\n{# never closed")
case("parse empty expression", "x {{ }} y")
case("parse empty block", "{% %}")
case("parse extra end", "a{% end %}")
case("parse unknown operator", "\n{% frobnicate x %}")
case("parse else outside block", "{% else %}")
case("parse elif in for", "{% for x in items %}{% elif x %}{% end %}")
case("parse except in if", "{% if x %}{% except %}{% end %}")
case("parse break outside loop", "{% if x %}{% break %}{% end %}")
case("parse break inside apply inside loop", "{% for x in items %}{% apply upper %}{% break %}{% end %}{% end %}")
case("parse extends without path", "{% extends %}")
case("parse include without path", "{% include '' %}")
case("parse set without statement", "{% set %}")
case("parse import without statement", "{% import %}")
case("parse apply without method", "{% apply %}x{% end %}")
case("parse block without name", "{% block %}x{% end %}")
case("parse invalid whitespace mode", "{% whitespace sometimes %}")
case("parse error in included template", "ok {% include 'bad.html' %}", templates={"bad.html": "\n\n{{ oops "})
case("parse extends without loader", "{% extends 'base.html' %}", loader=False)


def convert(value):
    if isinstance(value, dict):
        if "$date" in value:
            return datetime.datetime.fromisoformat(value["$date"])
        if "$tuple" in value:
            return tuple(convert(v) for v in value["$tuple"])
        return ObjectDict({k: convert(v) for k, v in value.items()})
    if isinstance(value, list):
        return [convert(v) for v in value]
    return value


def upper(s):
    return escape.to_unicode(s).upper()


def run(c):
    namespace = {"upper": upper}
    data = convert(c["data"])
    try:
        if c["loader"]:
            kwargs = {"namespace": namespace, "autoescape": c["autoescape"]}
            if c["whitespace"]:
                kwargs["whitespace"] = c["whitespace"]
            loader = template.DictLoader(c["templates"], **kwargs)
            t = loader.load(c["main"])
        else:
            name = c["template_name"] or "<string>"
            t = template.Template(c["templates"][c["main"]], name=name)
            data = dict(data, **namespace)
        return {"output": escape.to_unicode(t.generate(**data))}
    except template.ParseError as e:
        return {"error": "ParseError", "message": e.message, "filename": e.filename, "line": e.lineno}
    except Exception as e:  # noqa: BLE001 - the fixture records what Tornado raised
        return {"error": type(e).__name__}


def main():
    for c in CASES:
        c.update(run(c))
    out = {"tornado": tornado.version, "python": sys.version.split()[0], "cases": CASES}
    with open(os.path.join(HERE, "template_fixtures.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=True)
        f.write("\n")
    print("%d cases" % len(CASES))


main()
