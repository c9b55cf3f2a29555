#!/usr/bin/env python3
"""Generates HTTPUtilFixtures.swift from the real Tornado's httputil.

Every input below is run through Tornado 6.6.1 and the output (or the error
message) is written as a Swift literal, so SquallHTTP's tests check that the
Swift port gives the same answer for the same input.

Regenerate (from the repository root):

    python3 -m venv /tmp/tornado-venv
    /tmp/tornado-venv/bin/pip install tornado==6.6.1
    /tmp/tornado-venv/bin/python Tests/SquallHTTPTests/Fixtures/generate_httputil_fixtures.py

The output is deterministic: the same Tornado and Python versions give the
same file byte for byte. If `swift format` is on the PATH the file is
formatted with the repository's .swift-format afterwards.
"""

from __future__ import annotations

import os
import platform
import random
import shutil
import subprocess
import sys

import tornado
from tornado.escape import parse_qs_bytes
from tornado.httputil import (
    HTTPHeaders,
    HTTPInputError,
    ParseBodyConfig,
    ParseMultipartConfig,
    ParseUrlEncodedConfig,
    _encode_header,
    _normalize_header,
    _parse_header,
    format_timestamp,
    parse_body_arguments,
    parse_cookie,
    parse_multipart_form_data,
    parse_request_start_line,
    parse_response_start_line,
    split_host_and_port,
    url_concat,
)

EXPECTED_TORNADO = "6.6.1"
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "HTTPUtilFixtures.swift")

# MARK: - Swift literal writers


def swift_string(s: str) -> str:
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif 0x20 <= c < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%X}" % c)
    out.append('"')
    return "".join(out)


def swift_bytes(b: bytes) -> str:
    try:
        text = b.decode("utf-8")
    except UnicodeDecodeError:
        return "[" + ", ".join("0x%02X" % x for x in b) + "]"
    return "Array(%s.utf8)" % swift_string(text)


def swift_optional_string(s: str | None) -> str:
    return "nil" if s is None else swift_string(s)


def swift_pairs(pairs) -> str:
    if not pairs:
        return "[]"
    return "[" + ", ".join(f"({swift_string(k)}, {swift_string(v)})" for k, v in pairs) + "]"


def swift_string_dict(d: dict) -> str:
    if not d:
        return "[:]"
    return "[" + ", ".join(f"{swift_string(k)}: {swift_string(v)}" for k, v in d.items()) + "]"


def swift_optional_string_dict(d: dict) -> str:
    if not d:
        return "[:]"
    return "[" + ", ".join(f"{swift_string(k)}: {swift_optional_string(v)}" for k, v in d.items()) + "]"


def swift_arguments(d: dict) -> str:
    if not d:
        return "[:]"
    items = []
    for k, values in d.items():
        items.append(f"{swift_string(k)}: [" + ", ".join(swift_bytes(v) for v in values) + "]")
    return "[" + ", ".join(items) + "]"


def swift_files(d: dict) -> str:
    if not d:
        return "[:]"
    items = []
    for k, files in d.items():
        rendered = ", ".join(
            f"HTTPFile(filename: {swift_string(f['filename'])}, body: {swift_bytes(f['body'])}, "
            f"contentType: {swift_string(f['content_type'])})"
            for f in files
        )
        items.append(f"{swift_string(k)}: [{rendered}]")
    return "[" + ", ".join(items) + "]"


def utf8_key(key: str) -> str:
    """Tornado decodes urlencoded names as latin-1; Squall decodes the same bytes as UTF-8 (lossy)."""
    return key.encode("latin-1").decode("utf-8", "replace")


def utf8_keys(d: dict) -> dict:
    out: dict = {}
    for k, v in d.items():
        out.setdefault(utf8_key(k), []).extend(v)
    return out


def swift_config(c: ParseBodyConfig) -> str:
    return (
        f"BodyConfigFixture(multipartEnabled: {'true' if c.multipart.enabled else 'false'}, "
        f"maxParts: {c.multipart.max_parts}, maxPartHeaderSize: {c.multipart.max_part_header_size}, "
        f"maxArguments: {c.urlencoded.max_arguments})"
    )


def config(enabled=True, max_parts=100, max_part_header_size=10 * 1024, max_arguments=1000) -> ParseBodyConfig:
    return ParseBodyConfig(
        multipart=ParseMultipartConfig(
            enabled=enabled, max_parts=max_parts, max_part_header_size=max_part_header_size
        ),
        urlencoded=ParseUrlEncodedConfig(max_arguments=max_arguments),
    )


def error_text(e: Exception) -> str:
    # parse_multipart_form_data lets a part header's UnicodeDecodeError escape; Squall throws an
    # HTTPInputError with the same message.
    if not isinstance(e, (HTTPInputError, UnicodeDecodeError)):
        raise TypeError(f"Tornado raised {e!r}, which Squall cannot mirror; remove the input") from e
    return str(e)


# MARK: - Inputs

COOKIES = [
    # Tornado's own tests (from Django and CPython).
    "chips=ahoy; vienna=finger",
    'keebler="E=mc2; L=\\"Loves\\"; fudge=\\012;"',
    "keebler=E=mc2",
    "key:term=value:term",
    "a=b; c=[; d=r; f=h",
    "a=b; Domain=example.com",
    "a=b; h=i; a=c",
    "abc=def; unnamed; django_language=en",
    'a=b; "; c=d',
    "a b c=d e = f; gh=i",
    'a   b,c<>@:/[]?{}=d  "  =e,f g',
    "saint=André Bessette",
    "  =  b  ;  ;  =  ;   c  =  ;  ",
    r'a="b=\""',
    r'a="b=\\"',
    r'a="b=\="',
    r'a="b=\n"',
    r'a="b=\042"',
    r'a="b=\134"',
    r'a="b=\377"',
    r'a="b=\400"',
    r'a="b=\42"',
    r'a="b=\\042"',
    r'a="b=\\134"',
    r'a="b=\\\""',
    r'a="b=\\\042"',
    r'a="b=\134\""',
    r'a="b=\134\042"',
    'a="b=' + "\\\\" * 200 + '"',
    'a="b=' + "\\134" * 200 + '"',
    # Edges: empty pieces, quotes, escapes, whitespace Python's strip() removes.
    "",
    ";",
    ";;;",
    "=",
    "a",
    "a=",
    "=b",
    '"',
    '""',
    '"a"',
    'a=""',
    'a="',
    'a="\\"',
    'a="x\\\ny"',
    'a="\\777"',
    'a="\\0"',
    'a="\\012"',
    'a="\\3777"',
    'a="a\\b"',
    "a=b;;c=d",
    "\ta\t=\tb\t",
    "a=\u00a0b\u00a0",
    "a=b\x1c",
    "a=\u3000b\u3000",
    "\x1fa=b",
    "a=b\x0b; c=d\x0c",
    "ünï=cödé",
    "a=b=c",
    'a="b;c"',
    "__Host-x=1; __Secure-y=2",
    "a=b,c=d",
    "a=😀; b=\u2028",
    "a=[]; b=]; c=[x",
    "a=b; a=; a",
    "$Version=1; a=b; $Path=/",
    "a=%20b; c=d+e",
    "a=\x00b",
]

URL_CONCAT = [
    # Tornado's own tests.
    ("https://localhost/path", [("y", "y"), ("z", "z")]),
    ("https://localhost/path", [("y", "/y"), ("z", "z")]),
    ("https://localhost/path?", [("y", "y"), ("z", "z")]),
    ("https://localhost/path?x", [("y", "y"), ("z", "z")]),
    ("https://localhost/path?x&", [("y", "y"), ("z", "z")]),
    ("https://localhost/path?a=1&b=2", [("y", "y"), ("z", "z")]),
    ("https://localhost/path?r=1&t=2", []),
    ("https://localhost/path#tab", [("y", "y")]),
    ("https://localhost/path", [("y", "y1"), ("y", "y2")]),
    ("https://localhost/path?r=1&r=2", [("y", "y")]),
    ("http://example.com/foo", [("c", "d")]),
    ("http://example.com/foo?a=b", [("c", "d")]),
    ("http://example.com/foo?a=b", [("c", "d"), ("c", "d2")]),
    # Existing queries are re-encoded; schemes are lower-cased; params survive.
    ("HTTP://Example.COM/p", [("a", "1")]),
    ("http:foo", [("a", "1")]),
    ("//host/p", [("a", "1")]),
    ("/path;params?x=1", [("a", "1")]),
    ("/path;?x", [("a", "1")]),
    ("/a;b/c;d", [("a", "1")]),
    ("/a;b/c", [("a", "1")]),
    ("mailto:x@y", [("subject", "hi there")]),
    ("http://h/p?a=b+c&d=%7e&e=%zz&f=%ff", [("g", "h")]),
    ("?", [("a", "1")]),
    ("", [("a", "1")]),
    ("", []),
    ("#frag", [("a", "1")]),
    ("http://h/p?#f", [("a", "1")]),
    ("http://h/p?x=1#f?g", [("a", "1")]),
    (" http://h/p", [("a", "1")]),
    ("\x00\x1f http://h/p ", [("a", "1")]),
    ("http://h/\tp\n?x\r=1", [("a", "1")]),
    ("http://h/p?q=é", [("a", "1")]),
    ("http://h/p", [("a b", "c&d=e"), ("ü", "~._-"), ("x", ""), ("", "y")]),
    ("http://h/p", [("k", "!*'();:@&=+$,/?#[]"), ("k2", "😀 \u00a0")]),
    ("foo:bar", [("a", "1")]),
    ("1http:x", [("a", "1")]),
    ("a+b-c.d:path", [("a", "1")]),
    ("a_b:path", [("a", "1")]),
    ("http://user:pw@host:80/p?q", [("a", "1")]),
    ("path?a=1&&b=2", [("c", "3")]),
    ("path?=x", [("c", "3")]),
    ("path?a=1;b=2", [("c", "3")]),
    ("path?a=%2B&b=%26", [("c", "+&")]),
    ("http://h", [("a", "1")]),
    ("file:///tmp/x", [("a", "1")]),
    ("file:/tmp/x", [("a", "1")]),
    ("ws:x", [("a", "1")]),
    ("custom:x", [("a", "1")]),
    ("http:", [("a", "1")]),
    ("http://", [("a", "1")]),
    ("//", [("a", "1")]),
    ("http://h/p#", [("a", "1")]),
    ("http://h/p?a=%E2%82", [("b", "1")]),
    ("http://h/p?a=%C3%A9é", [("b", "1")]),
    ("tel:+1-816-555-1212;ext=1", [("a", "1")]),
    ("sip:alice@example.com;transport=tcp", [("a", "1")]),
    ("x:/a;b", [("a", "1")]),
    ("http://h/a;b;c", [("a", "1")]),
    ("http://h/a/;b", [("a", "1")]),
]

URL_CONCAT_DICT = [
    ("https://localhost/path", {"y": "y"}),
    ("http://example.com/foo", {"c": "d"}),
    ("http://example.com/foo?a=b", {"c": "d"}),
    ("http://example.com/foo?z=1", {"a": "1", "b": "2 3"}),
    ("http://example.com/foo", {}),
]

QUERIES = [
    ("a=1&b=2&a=3", 1000),
    ("", 1000),
    ("&", 1000),
    ("a", 1000),
    ("a=", 1000),
    ("=", 1000),
    ("=b", 1000),
    ("a+b=c+d", 1000),
    ("a%20b=c%2Bd", 1000),
    ("%", 1000),
    ("%2", 1000),
    ("%zz", 1000),
    ("%%41", 1000),
    ("%3d=%3D", 1000),
    ("a=%25", 1000),
    ("a==b", 1000),
    ("a=b=c", 1000),
    ("%ff=%fe", 1000),
    ("%C3%A9=%C3%A9", 1000),
    ("é=é", 1000),
    ("a=1;b=2", 1000),
    ("a=%0D%0A", 1000),
    ("a=%00", 1000),
    ("+=+", 1000),
    ("a=1&&&b=2", 1000),
    ("a=%41%4", 1000),
    ("a=%4g", 1000),
    (";", 1000),
    ("%3D%25=%253D", 1000),
    ("a=%=", 1000),
    ("a=%\n", 1000),
    ("a=%\r", 1000),
    ("=\r", 1000),
    ("a=b%", 1000),
    ("a=%%", 1000),
    ("a=%%%", 1000),
    ("a=%2%41", 1000),
    ("a=%3d%3D%25%2525", 1000),
    ("a=%E2%82%AC%E2%82", 1000),
    ("%E2%82%AC%E2%82=x", 1000),
    ("a=%aB%Ab", 1000),
    ("a=b#c", 1000),
    ("a=b?c", 1000),
    ("a&b&c", 3),
    ("a&b&c&d", 3),
    ("&&&", 3),
    ("", 0),
    ("a", 0),
    ("a=1", 1),
    ("a=1&", 1),
    ("&".join("a=%d" % i for i in range(1000)), 1000),
    ("&".join("a=%d" % i for i in range(1001)), 1000),
]


def multipart(*parts: bytes, boundary: bytes = b"1234", final: bytes = b"--1234--\r\n") -> bytes:
    body = b"".join(b"--" + boundary + b"\r\n" + p for p in parts)
    return body + final


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


FILE_PART = crlf('Content-Disposition: form-data; name="files"; filename="ab.txt"\n\nFoo\n')
SPECIAL_FILENAMES = ["a;b.txt", 'a"b.txt', 'a";b.txt', 'a;"b.txt', 'a";";.txt', 'a\\"b.txt', "a\\b.txt", "a b.txt",
                     "a\tb.txt"]
INVALID_FILENAMES = ["a\rb.txt", "a\0b.txt", "a\x08b.txt"]


def filename_part(filename: str) -> bytes:
    quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
    return crlf(f'Content-Disposition: form-data; name="files"; filename="{quoted}"\n\nFoo\n')


MULTIPART = [
    # (boundary, data, config) run through parse_multipart_form_data.
    (b"1234", crlf('--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"\n\nFoo\n--1234--'), config()),
    (b"1234", crlf("--1234\nContent-Disposition: form-data; name=files; filename=ab.txt\n\nFoo\n--1234--"), config()),
    *[(b"1234", multipart(filename_part(f)), config()) for f in SPECIAL_FILENAMES],
    *[(b"1234", multipart(filename_part(f)), config()) for f in INVALID_FILENAMES],
    (b"1234", multipart(crlf('Content-Disposition: form-data; name="files"; filename="ab.txt"; '
                             "filename*=UTF-8''%C3%A1b.txt\n\nFoo\n")), config()),
    (b"1234", multipart(crlf('Content-Disposition: form-data; name="files"; filename="测试.txt"\n\nFoo\n')), config()),
    (b'"1234"', multipart(FILE_PART), config()),
    (b"1234", crlf("--1234\n\nFoo\n--1234--"), config()),
    (b"1234", multipart(crlf('Content-Disposition: invalid; name="files"; filename="ab.txt"\n\nFoo\n')), config()),
    (b"1234", crlf('--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"\n\nFoo--1234--'), config()),
    (b"1234", multipart(crlf('Content-Disposition: form-data; filename="ab.txt"\n\nFoo\n')), config()),
    (b"1234", multipart(FILE_PART, final=b"--1234--\r\n\r\nepilogue"), config()),
    (b"1234", b"--1234\r\n" + FILE_PART, config()),
    (b"1234", multipart(crlf('Content-Disposition: form-data; x="' + ";" * 50 + '"; name="files"; filename="a.txt"\n\nFoo\n')),
     config()),
    # Fields and files together, repeated names, empty values and filenames.
    (b"xyz", multipart(crlf('Content-Disposition: form-data; name="a"\n\n1\n'),
                       crlf('Content-Disposition: form-data; name="a"\n\n2\n'),
                       crlf('Content-Disposition: form-data; name="b"\n\n\n'),
                       crlf('Content-Disposition: form-data; name="f"; filename=""\n\nnot a file\n'),
                       crlf('Content-Disposition: form-data; name="f"; filename="x.bin"\nContent-Type: image/png\n\n'
                            "data\n"),
                       boundary=b"xyz", final=b"--xyz--"), config()),
    (b"1234", multipart(crlf("content-disposition: form-data; name=a\nCONTENT-TYPE: text/plain\n\nv\n"),
                        crlf("Content-Disposition: form-data; name=b; filename=b.txt\nContent-Type: text/plain\n"
                             "Content-Type: charset=utf-8\n\nv\n")), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\nContent-Type: text/plain\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(crlf("Content-Disposition: form-data; name=a\n\nline1\nline2\n--12345\n\n")), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=bin\r\n\r\n\x00\xff\xfe\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=\"\xc3\xa9\"\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name*=utf-8''%C3%A9\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b'Content-Disposition: form-data; name=a; filename*0="a"; filename*1="b.txt"\r\n\r\nv\r\n'),
     config()),
    (b"1234", multipart(b'Content-Disposition: form-data; name="a"\r\nContent-Disposition: form-data; name="b"\r\n\r\nv\r\n'),
     config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\r\n folded: yes\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\r\nBad Name: yes\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\r\nNoColon\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=\xff\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=ab\xe2\x82\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=ab\xe2\x28\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=ab\xe2\x82\x28\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\xed\xa0\x80\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\xf0\x9f\x98\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\x80\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\xc3\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\r\nX: \x7f\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\r\nX: caf\xc3\xa9 \xe2\x80\xa8\r\n\r\nv\r\n"), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\r\n\r\n"), config()),
    (b"1234", b"preamble\r\n" + multipart(FILE_PART), config()),
    (b"1234", b"", config()),
    (b"1234", b"--1234--", config()),
    (b"1234", b"--1234", config()),
    (b"1234", b"--1234--\r\n--1234--", config()),
    (b'"', b"----", config()),
    (b'"', multipart(FILE_PART, boundary=b"", final=b"----"), config()),
    (b'"ab', multipart(FILE_PART, boundary=b'"ab', final=b'--"ab--'), config()),
    (b'"a b"', multipart(FILE_PART, boundary=b"a b", final=b"--a b--"), config()),
    (b"a.*+?()[]", multipart(FILE_PART, boundary=b"a.*+?()[]", final=b"--a.*+?()[]--"), config()),
    # Limits.
    (b"1234", multipart(FILE_PART, FILE_PART), config(max_parts=2)),
    (b"1234", multipart(FILE_PART, FILE_PART), config(max_parts=3)),
    (b"1234", multipart(FILE_PART), config(max_parts=0)),
    (b"1234", crlf('--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"\n\n--1234--'), config()),
    (b"1234", crlf('--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"\n\n--1234--'),
     config(max_part_header_size=10)),
    (b"1234", multipart(FILE_PART), config(max_part_header_size=len(FILE_PART.split(b"\r\n\r\n")[0]))),
    (b"1234", multipart(FILE_PART), config(max_part_header_size=len(FILE_PART.split(b"\r\n\r\n")[0]) - 1)),
    (b"1234", multipart(FILE_PART), config(enabled=False)),
    (b"1234", multipart(*[crlf(f'Content-Disposition: form-data; name="a"; filename="b"\nContent-Type: text/plain\n\n\n')]
                        * 99), config()),
    (b"1234", multipart(*[crlf(f"Content-Disposition: form-data; name=f{i}\n\n{i}\n") for i in range(100)]), config()),
    (b"1234", multipart(b"Content-Disposition: form-data; name=a\r\nX-Long: " + b"x" * 10300 + b"\r\n\r\nv\r\n"),
     config()),
]

FORM = "application/x-www-form-urlencoded"
MULTI = "multipart/form-data"
BODIES = [
    # (content type, body, headers or None, config) run through parse_body_arguments.
    (FORM, b"a=1&b=2&a=3", None, config()),
    (FORM + "; charset=utf-8", b"a=1", None, config()),
    (FORM + "XYZ", b"a=1", None, config()),
    (FORM, b"a=1", [("Content-Encoding", "gzip")], config()),
    (FORM, b"a=1", [("Content-Encoding", "gzip"), ("Content-Encoding", "br")], config()),
    (FORM, b"a=1", [], config()),
    (FORM, b"a=1", [("Content-Type", FORM)], config()),
    (FORM, b"a=1&b=2&c=3", None, config(max_arguments=2)),
    (FORM, b"a=1&b=2", None, config(max_arguments=2)),
    (FORM, b"", None, config()),
    (FORM, b"a=&b&=c&", None, config()),
    (FORM, b"%C3%A9=%C3%A9&caf\xc3\xa9=1&%FF=2", None, config()),
    (FORM, b"".join(b"a=1&" for _ in range(1001)), None, config()),
    (FORM, b"x=" + b"%41" * 50 + b"+%2B", None, config()),
    ("application/json", b'{"a": 1}', None, config()),
    ("text/plain", b"a=1", [("Content-Encoding", "gzip")], config()),
    ("", b"a=1", None, config()),
    ("Application/x-www-form-urlencoded", b"a=1", None, config()),
    (MULTI + "; boundary=1234", multipart(FILE_PART), None, config()),
    (MULTI + ";boundary=1234", multipart(FILE_PART), None, config()),
    (MULTI + '; boundary="1234"', multipart(FILE_PART), None, config()),
    (MULTI + "xyz; boundary=1234", multipart(FILE_PART), None, config()),
    (MULTI, multipart(FILE_PART), None, config()),
    (MULTI + "; boundary=", multipart(FILE_PART), None, config()),
    (MULTI + "; charset=utf-8; boundary=1234", multipart(FILE_PART), None, config()),
    (MULTI + "; BOUNDARY=1234", multipart(FILE_PART), None, config()),
    (MULTI + "; boundary = 1234", multipart(FILE_PART), None, config()),
    (MULTI + ";  boundary=1234  ", multipart(FILE_PART), None, config()),
    (MULTI + "; boundary=1234; boundary=5678", multipart(FILE_PART), None, config()),
    (MULTI + "; boundary=; boundary=1234", multipart(FILE_PART), None, config()),
    (" " + MULTI + "; boundary=1234", multipart(FILE_PART), None, config()),
    (MULTI + " ; boundary=1234", multipart(FILE_PART), None, config()),
    ("Multipart/form-data; boundary=1234", multipart(FILE_PART), None, config()),
    (MULTI + "; boundary=1234", multipart(FILE_PART), [("Content-Encoding", "gzip")], config()),
    (MULTI + "; boundary=1234", multipart(FILE_PART), None, config(enabled=False)),
    (MULTI + "; boundary=1234", multipart(FILE_PART, FILE_PART), None, config(max_parts=2)),
    (MULTI + "; boundary=1234", multipart(FILE_PART), None, config(max_part_header_size=5)),
    (MULTI + "; boundary=1234", crlf("--1234\n\nFoo\n--1234--"), None, config()),
    (MULTI + "; boundary=1234", b"no boundary here", None, config()),
    (MULTI + "; boundary=1234", multipart(b"Content-Disposition: form-data; name=\xff\r\n\r\nv\r\n"), None, config()),
    (MULTI + "; boundary=1234", multipart(crlf('Content-Disposition: form-data; filename="ab.txt"\n\nFoo\n')), None,
     config()),
    (MULTI + "; boundary=\u00e9", multipart(FILE_PART, boundary="\u00e9".encode(), final="--\u00e9--".encode()), None,
     config()),
    (MULTI + "; boundary=\u00a01234", multipart(FILE_PART), None, config()),
    (MULTI + "; boundary=1234", multipart(b"Content-Disposition: form-data; name=\"\xc3\xa9\xe4\xb8\xad\"\r\n\r\nv\r\n"),
     None, config()),
]

HEADER_BLOCKS = [
    "Content-Type: text/html\r\nContent-Length: 42\r\n",
    "Foo: bar\r\n\tasdf",
    "Foo: bar\r\n asdf\r\n",
    " Foo: bar\r\n",
    "CRLF: crlf\r\nLF: lf\nCR: cr\rMore: more\r\n",
    "CRLF: crlf\r\nLF: lf\nMore: more\r\n",
    "A: 1\r\nB: 2\r\nA: 3\r\n",
    "a: 1\r\nA: 2\r\nb: x\r\n",
    "Set-Cookie: a=b\r\nSet-Cookie: c=d\r\nContent-Type: text/html\r\n",
    "Foo 1\r\n",
    ": value\r\n",
    "Foo : bar\r\n",
    "Foo:bar\r\n",
    "Foo:  bar \t \r\n",
    "Foo:\r\n",
    "Foo: \t \r\n",
    "Foo: a\x0bb\r\n",
    "Foo: \x0b\r\n",
    "Foo: caf\xe9\r\n",
    "Foo: \u4e2d\r\n",
    "Foo: a\u0085b\r\n",
    "Foo: a\u2028b\r\n",
    "Foo: \u00a0chunked\r\n",
    "Transfer-Encoding: \u0085chunked",
    "Transfer-Encoding:\tchunked",
    "Foo: a\x00b\r\n",
    "Foo: a\x7fb\r\n",
    "A: 1\r\n\r\nB: 2\r\n",
    "",
    "\r\n",
    "\n",
    "\r\n\r\n",
    "\u00e9: x\r\n",
    "Foo: 1\nFoo: 2\nFoo: 3\n",
    "content-TYPE: x\r\n",
    "Host: a:80\r\n",
    "X-Empty:\r\nX-Empty: \r\nX-Empty: v\r\n",
    "X_Under.Score~!#$%&'*+^`|: v\r\n",
    "X(Bad): v\r\n",
    "X/Bad: v\r\n",
    "X@Bad: v\r\n",
    "A: 1\r",
    "A: 1\r\r\n",
    "A: 1\n\r\n",
    "A: b\r\nB",
    "A: b\r\n:",
    "A::b\r\n",
    "ETag: \"abc\"\r\nwww-authenticate: Basic\r\nX-FORWARDED-FOR: 1.2.3.4\r\n",
    "Cookie: foo=\xc2\x85bar",
    "Cookie: foo=\xe2\x80\xa8bar",
    *[f"Foo: bar{chr(c)}baz\r\n" for c in range(0x100)],
]

REQUEST_LINES = [
    "GET /foo HTTP/1.1",
    "GET /foo HTTP/1.0",
    "GET /foo HTTP/2.0",
    "GET /foo HTTP/1.10",
    "GET  /foo HTTP/1.1",
    "GET /foo  HTTP/1.1",
    "GET /foo",
    "GET",
    "",
    "GE T / HTTP/1.1",
    "G@T / HTTP/1.1",
    "get / HTTP/1.1",
    "GET / http/1.1",
    "GET /a b HTTP/1.1",
    "GET /\u00e9 HTTP/1.1",
    "GET /\u4e2d HTTP/1.1",
    "GET /\x7f HTTP/1.1",
    "GET / HTTP/1.1\r\n",
    "GET\t/ HTTP/1.1",
    "PRI * HTTP/2.0",
    "CONNECT host:443 HTTP/1.1",
    "OPTIONS * HTTP/1.1",
    "M-SEARCH * HTTP/1.1",
    "GET / HTTP/0.9",
    "GET / HTTP/1.x",
    "GET / HTTP/11",
    "GET /?a=b&c=%20#frag HTTP/1.1",
    " GET / HTTP/1.1",
    "GET / HTTP/1.1 ",
    "!#$%&'*+-.^_`|~09azAZ / HTTP/1.9",
]

RESPONSE_LINES = [
    "HTTP/1.1 200 OK",
    "HTTP/1.1 200 ",
    "HTTP/1.1 200",
    "HTTP/1.0 404 Not Found",
    "HTTP/1.1 999 X",
    "HTTP/1.1 20 OK",
    "HTTP/1.1 2000 OK",
    "HTTP/2 200 OK",
    "HTTP/2.0 200 OK",
    "HTTP/1.1 200 O\tK",
    "HTTP/1.1 200 \tOK\t",
    "HTTP/1.1 200 caf\xe9",
    "HTTP/1.1 200 \u4e2d",
    "HTTP/1.1 200 \x00",
    "http/1.1 200 OK",
    "HTTP/1.1 200 OK\r\n",
    "HTTP/1.1 abc OK",
    "HTTP/1.1 200  OK",
    "HTTP/1.1  200 OK",
    "HTTP/0.9 200 OK",
    "HTTP/1.1 000 Zero",
    "",
]

TIMESTAMPS = [
    0, 1359312200.503611, 1359312200, 784111777, -1, -0.5, 0.9999995, 0.9999994, 0.0000005, 1e9, 951782400,
    951868799.9, 4102444800, 253402300799, 253402300799.4, -62135596800, 1.5, -86400.25, 2 ** 31, 2 ** 31 + 0.5,
    -1e-7, 1700000000.999999, 1234567890, 68169600, 946684799, 1078012800, 4107542400, 13569465600,
]

PARSE_HEADER = [
    "form-data; foo=\"b\\\\a\\\"r\"; file*=utf-8''T%C3%A4st",
    "text/html; charset=UTF-8",
    "text/html",
    'form-data; name="a;b"',
    'form-data; name="a\\"b"',
    'form-data; name="a\\\\"; filename="b"',
    "x; a",
    "x;",
    "",
    " ",
    ";",
    ";;",
    "x; A=1",
    "x; a=1; a=2",
    'x; a="1"; b=2',
    "x; a= 1 ",
    'x; a="<b>"',
    "x; a=<b>",
    "x; a=<",
    'x; a="\\\\"',
    "x; a*=utf-8''%C3%A9",
    "x; a*=UTF-8'en'%C3%A9",
    "x; a*=utf8''%C3%A9",
    "x; a*=iso-8859-1''%E9",
    "x; a*=latin-1''%E9",
    "x; a*=latin1''%E9",
    "x; a*=us-ascii''%E9",
    "x; a*=ascii''%41%E9",
    "x; a*=foo''bar%41",
    "x; a*=''%41",
    "x; a*=%41",
    "x; a*='%41",
    "x; a*=a'b'c'd",
    "x; a*=utf-8''%C3",
    "x; a*=utf-8''%ZZ%4",
    "x; a*0=abc; a*1=def",
    "x; a*1=def; a*0=abc",
    "x; a*10=k; a*2=c; a*0=a; a*1=b",
    "x; a*0*=utf-8''%C3; a*1*=%A9",
    "x; a*0*=utf-8''%C3; a*1=%A9",
    'x; a*0="q"; a*1="r"',
    'x; a*0="q\\"x"; a*1="r"',
    "x; a*=utf-8''a%5Cb",
    "x; a*=utf-8''%22x%22",
    "x; a*=utf-8''\u4e2d",
    "x; a*=utf-8''\U0001f600",
    "x; a*=latin-1''\u00e9",
    "x; a*=foo''\u00e9\\",
    "x; a=1; a*=utf-8''b",
    "x; a*=utf-8''b; a=1",
    "x; file-name*=abc",
    "x; a**=b",
    "x; a*0*1=b",
    "x; =b",
    'x; a="b',
    'x; a=b"',
    'x; a="b\\"',
    '"x"; a=1',
    "X; a=1",
    " text/plain ; a = 1 ",
    "text/plain;a=1;;b=2",
    'x; a="\u00a0"',
    "x; \u00c4=1",
    "x; \u0130=1",
    "\u00a0x\u00a0; a=1",
    "x; a=\"b;c\"; d='e;f'",
    'x; a="b\\";c"; d=1',
    'x; a="; b="; c=1',
    'x; a=""; b="\\""',
    "x; a=1;b=2 ;c=3; ",
    'x="' + ";" * 30 + '"; name="files"',
    "permessage-deflate; client_max_window_bits=15; client_no_context_takeover",
    "attachment; filename*=UTF-8''na%C3%AFve%20file.txt; filename=\"naive file.txt\"",
]

ENCODE_HEADER = [
    ("permessage-deflate", {"client_max_window_bits": "15", "client_no_context_takeover": None}),
    ("x", {}),
    ("x", {"b": "2", "a": "1"}),
    ("x", {"B": "1", "a": "2"}),
    ("x", {"\u00e9": "1", "z": "2"}),
    ("x", {"a": ""}),
    ("", {"a": "1"}),
]

HOST_PORTS = [
    "example.com", "example.com:80", "example.com:", ":80", "a:b:80", "[::1]:8080", "[::1]", "::1", "host:80a",
    "host:\u0663", "host:0\u0661\u0662", "host:08", "host:80\n", "host\n:80", "", "host:99999", "host: 80",
    "host:80 ", "\n:80", "h:\n", "h::80", "h:80:", "\u00e9:1", "h:\uff11",
]

HEADER_NAMES = [
    "content-type", "coNtent-TYPE", "x-forwarded-for", "", "-", "a--b", "ETAG", "www-authenticate", "x_y", "1abc",
    "-a-", "HOST", "x-1a-b2",
]

# MARK: - Random inputs
#
# Pseudo-random inputs (fixed seed, so the file is deterministic) built from the characters each parser treats
# specially, to compare Squall with Tornado beyond the hand-picked cases.

RNG = random.Random(661)
SPECIAL = list(';="\\ \t%+&?#:/*\'<>,[]()@\r\n-_.~') + ["%41", "%2", "%zz", "%C3%A9", "%ff", "\\0", "\\134", "\\\""]
LETTERS = list("abcAB019") + ["\u00e9", "\u4e2d", "\x00", "\x85", "\xa0", "\x7f", "\u2028", "\U0001f600"]


def random_text(alphabet: list[str], max_length: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(RNG.randint(0, max_length)))


def mixed(max_length: int) -> str:
    return random_text(SPECIAL + LETTERS + LETTERS, max_length)


RANDOM_COOKIES = [mixed(30) for _ in range(150)]
RANDOM_QUERIES = [(mixed(30), 1000) for _ in range(150)]
RANDOM_PARSE_HEADER = [
    RNG.choice(["form-data", "text/html", "x", ""]) + "".join(
        RNG.choice(["; ", ";", " ;"]) + RNG.choice(["name", "filename", "a", "A", "name*", "name*0", "name*1",
                                                  "name*0*", "name*1*", "filename*", ""])
        + RNG.choice(["=", "", " = "]) + random_text(SPECIAL + LETTERS + ["utf-8''", "latin-1''", "''"], 12)
        for _ in range(RNG.randint(0, 4))
    )
    for _ in range(300)
]
RANDOM_HEADER_BLOCKS = [
    "".join(random_text(list("AbX-_:") + ["Host", "Set-Cookie"], 8) + RNG.choice([":", ": ", " : ", ""])
            + random_text(LETTERS + list(" \t;,:\r"), 10) + RNG.choice(["\r\n", "\n", "\r", ""])
            for _ in range(RNG.randint(0, 4)))
    for _ in range(150)
]
RANDOM_HOST_PORTS = [random_text(list("ab.:[]019\n ") + ["\u0663", "\uff11"], 10) for _ in range(100)]
RANDOM_URLS = [
    (random_text(["http:", "HTTPS:", "//", "/", "h", "p", ";", "?", "#", "a=1", "&", "=", "+", "%20", "%zz", " ",
                  "\t", "\u00e9", "mailto:", ":"], 10),
     [(mixed(5), mixed(5)) for _ in range(RNG.randint(0, 2))])
    for _ in range(150)
]


def random_part() -> bytes:
    name = RNG.choice(['name="a"', "name=a", 'name=""', "", 'name="b"; filename="f.txt"', "name*=utf-8''%C3%A9",
                       'name="c"; filename=""', 'name="d"; filename*=utf-8\'\'%E4%B8%AD'])
    disposition = RNG.choice(["form-data"] * 8 + ["attachment", ""])
    headers = RNG.choice([f"Content-Disposition: {disposition}; {name}"] * 8 + [
                          f"content-disposition:{disposition};{name}",
                          f"Content-Disposition: {disposition}; {name}\r\nContent-Type: text/plain", "X: y", ""])
    body = random_text(["x", "\r\n", "--1234", "--", "\u00e9", " "], 6)
    separator = RNG.choice(["\r\n\r\n"] * 8 + ["\r\n", "\n\n"])
    return (headers + separator + body + RNG.choice(["\r\n"] * 8 + ["", "\n"])).encode()


RANDOM_MULTIPART = [
    (b"1234", RNG.choice([b""] * 5 + [b"preamble\r\n"]) + multipart(
        *[random_part() for _ in range(RNG.randint(0, 3))],
        final=RNG.choice([b"--1234--", b"--1234--\r\n"] * 4 + [b"--1234"])),
     config(max_parts=RNG.choice([100] * 4 + [2, 3])))
    for _ in range(150)
]


def tornado_accepts(function, *args) -> bool:
    """Whether Tornado answers with a value or an error Squall mirrors (not TypeError or ValueError)."""
    try:
        function(*args)
    except (HTTPInputError, UnicodeDecodeError):
        return True
    except (TypeError, ValueError):
        return False
    return True


COOKIES += RANDOM_COOKIES
QUERIES += RANDOM_QUERIES
PARSE_HEADER += [line for line in RANDOM_PARSE_HEADER if tornado_accepts(_parse_header, line)]
HEADER_BLOCKS += RANDOM_HEADER_BLOCKS
HOST_PORTS += RANDOM_HOST_PORTS
URL_CONCAT += [(url, args) for url, args in RANDOM_URLS if tornado_accepts(url_concat, url, args)]
MULTIPART += [
    (b, d, c) for b, d, c in RANDOM_MULTIPART
    if tornado_accepts(lambda: parse_multipart_form_data(b, d, {}, {}, config=c.multipart))
]

# MARK: - Running Tornado


def run_multipart(boundary: bytes, data: bytes, cfg: ParseBodyConfig):
    args: dict = {}
    files: dict = {}
    try:
        parse_multipart_form_data(boundary, data, args, files, config=cfg.multipart)
    except Exception as e:
        return f".error({swift_string(error_text(e))})"
    return f".value(BodyResultFixture(arguments: {swift_arguments(args)}, files: {swift_files(files)}))"


def run_body(content_type: str, body: bytes, headers, cfg: ParseBodyConfig):
    args: dict = {}
    files: dict = {}
    tornado_headers = None
    if headers is not None:
        tornado_headers = HTTPHeaders()
        for k, v in headers:
            tornado_headers.add(k, v)
    try:
        parse_body_arguments(content_type, body, args, files, tornado_headers, config=cfg)
    except Exception as e:
        return f".error({swift_string(error_text(e))})"
    if content_type.startswith("application/x-www-form-urlencoded"):
        args = utf8_keys(args)  # multipart names are already decoded as UTF-8 by Tornado
    return f".value(BodyResultFixture(arguments: {swift_arguments(args)}, files: {swift_files(files)}))"


def main() -> None:
    if tornado.version != EXPECTED_TORNADO:
        sys.exit(f"expected Tornado {EXPECTED_TORNADO}, found {tornado.version}")
    out: list[str] = []
    w = out.append
    w("// Generated by Tests/SquallHTTPTests/Fixtures/generate_httputil_fixtures.py: do not edit by hand.")
    w(f"// Source of truth: Tornado {tornado.version} on Python {platform.python_version()}.")
    w("// Regenerate from the repository root:")
    w("//   python3 -m venv /tmp/tornado-venv && /tmp/tornado-venv/bin/pip install tornado==6.6.1")
    w("//   /tmp/tornado-venv/bin/python Tests/SquallHTTPTests/Fixtures/generate_httputil_fixtures.py")
    w("")
    w("@testable import SquallHTTP")
    w("")
    w("/// The expected result of one fixture: a value, or the message of the `HTTPInputError` Tornado raised.")
    w("enum FixtureOutcome<Value: Sendable>: Sendable {")
    w("    case value(Value)")
    w("    case error(String)")
    w("}")
    w("")
    w("/// Tornado's `parse_cookie(input)`.")
    w("struct CookieFixture: Sendable { let input: String; let expected: [String: String] }")
    w("/// Tornado's `url_concat(url, args)` with a list of pairs.")
    w("struct URLConcatFixture: Sendable { let url: String; let args: [(String, String)]; let expected: String }")
    w("/// Tornado's `url_concat(url, args)` with a dict (keys given in sorted order).")
    w("struct URLConcatDictFixture: Sendable { let url: String; let args: [String: String]; let expected: String }")
    w("/// Tornado's `parse_qs_bytes(query, keep_blank_values=True, max_num_fields=maxFields)`, as the server wraps it.")
    w("struct QueryFixture: Sendable {")
    w("    let query: String; let maxFields: Int; let expected: FixtureOutcome<[String: [[UInt8]]]>")
    w("}")
    w("/// A `ParseBodyConfig`, flattened.")
    w("struct BodyConfigFixture: Sendable { let multipartEnabled: Bool; let maxParts: Int; let maxPartHeaderSize: Int; let maxArguments: Int }")
    w("/// Body arguments and files after parsing.")
    w("struct BodyResultFixture: Sendable { let arguments: [String: [[UInt8]]]; let files: [String: [HTTPFile]] }")
    w("/// Tornado's `parse_multipart_form_data(boundary, data, {}, {}, config=config.multipart)`.")
    w("struct MultipartFixture: Sendable {")
    w("    let boundary: [UInt8]; let data: [UInt8]; let config: BodyConfigFixture")
    w("    let expected: FixtureOutcome<BodyResultFixture>")
    w("}")
    w("/// Tornado's `parse_body_arguments(contentType, body, {}, {}, headers, config=config)`.")
    w("struct BodyFixture: Sendable {")
    w("    let contentType: String; let body: [UInt8]; let headers: [(String, String)]?; let config: BodyConfigFixture")
    w("    let expected: FixtureOutcome<BodyResultFixture>")
    w("}")
    w("/// Tornado's `HTTPHeaders.parse(input)`: `get_all()`, `len()` and `str()` of the result.")
    w("struct ParsedHeadersFixture: Sendable { let pairs: [(String, String)]; let count: Int; let text: String }")
    w("/// One `HTTPHeaders.parse` input.")
    w("struct HeaderBlockFixture: Sendable { let input: String; let expected: FixtureOutcome<ParsedHeadersFixture> }")
    w("/// Tornado's `parse_request_start_line(line)`.")
    w("struct RequestLineFixture: Sendable { let line: String; let expected: FixtureOutcome<RequestStartLine> }")
    w("/// Tornado's `parse_response_start_line(line)` (a missing reason is `None` in Tornado, \"\" here).")
    w("struct ResponseLineFixture: Sendable { let line: String; let expected: FixtureOutcome<ResponseStartLine> }")
    w("/// Tornado's `format_timestamp(seconds)`.")
    w("struct TimestampFixture: Sendable { let seconds: Double; let expected: String }")
    w("/// Tornado's `_parse_header(line)`.")
    w("struct HeaderParametersFixture: Sendable { let line: String; let value: String; let parameters: [String: String] }")
    w("/// Tornado's `_encode_header(value, parameters)`.")
    w("struct EncodeHeaderFixture: Sendable { let value: String; let parameters: [String: String?]; let expected: String }")
    w("/// Tornado's `split_host_and_port(netloc)`.")
    w("struct HostAndPortFixture: Sendable { let netloc: String; let host: String; let port: Int? }")
    w("/// Tornado's `_normalize_header(name)`.")
    w("struct HeaderNameFixture: Sendable { let name: String; let expected: String }")
    w("")
    w("/// Inputs run through Tornado, with Tornado's answers.")
    w("enum HTTPUtilFixtures {")

    w("    static let cookies: [CookieFixture] = [")
    for c in COOKIES:
        w(f"        CookieFixture(input: {swift_string(c)}, expected: {swift_string_dict(parse_cookie(c))}),")
    w("    ]")

    w("    static let urlConcat: [URLConcatFixture] = [")
    for url, args in URL_CONCAT:
        w(f"        URLConcatFixture(url: {swift_string(url)}, args: {swift_pairs(args)}, "
          f"expected: {swift_string(url_concat(url, args))}),")
    w("    ]")

    w("    static let urlConcatDict: [URLConcatDictFixture] = [")
    for url, args in URL_CONCAT_DICT:
        assert list(args) == sorted(args), "Squall appends dictionary arguments in key order"
        w(f"        URLConcatDictFixture(url: {swift_string(url)}, args: {swift_string_dict(args)}, "
          f"expected: {swift_string(url_concat(url, args))}),")
    w("    ]")

    w("    static let queries: [QueryFixture] = [")
    for q, max_fields in QUERIES:
        try:
            result = parse_qs_bytes(q.encode("utf-8"), keep_blank_values=True, max_num_fields=max_fields)
            expected = f".value({swift_arguments(utf8_keys(result))})"
        except ValueError as e:
            # HTTPServerRequest wraps parse_qs_bytes' ValueError this way.
            expected = f".error({swift_string('Invalid query string: %s' % e)})"
        w(f"        QueryFixture(query: {swift_string(q)}, maxFields: {max_fields}, expected: {expected}),")
    w("    ]")

    w("    static let multipart: [MultipartFixture] = [")
    for boundary, data, cfg in MULTIPART:
        w(f"        MultipartFixture(boundary: {swift_bytes(boundary)}, data: {swift_bytes(data)}, "
          f"config: {swift_config(cfg)}, expected: {run_multipart(boundary, data, cfg)}),")
    w("    ]")

    w("    static let bodies: [BodyFixture] = [")
    for content_type, body, headers, cfg in BODIES:
        rendered_headers = "nil" if headers is None else swift_pairs(headers)
        w(f"        BodyFixture(contentType: {swift_string(content_type)}, body: {swift_bytes(body)}, "
          f"headers: {rendered_headers}, config: {swift_config(cfg)}, "
          f"expected: {run_body(content_type, body, headers, cfg)}),")
    w("    ]")

    w("    static let headerBlocks: [HeaderBlockFixture] = [")
    for block in HEADER_BLOCKS:
        try:
            h = HTTPHeaders.parse(block)
            expected = (f".value(ParsedHeadersFixture(pairs: {swift_pairs(list(h.get_all()))}, count: {len(h)}, "
                        f"text: {swift_string(str(h))}))")
        except Exception as e:
            expected = f".error({swift_string(error_text(e))})"
        w(f"        HeaderBlockFixture(input: {swift_string(block)}, expected: {expected}),")
    w("    ]")

    w("    static let requestLines: [RequestLineFixture] = [")
    for line in REQUEST_LINES:
        try:
            r = parse_request_start_line(line)
            expected = (f".value(RequestStartLine(method: {swift_string(r.method)}, path: {swift_string(r.path)}, "
                        f"version: {swift_string(r.version)}))")
        except Exception as e:
            expected = f".error({swift_string(error_text(e))})"
        w(f"        RequestLineFixture(line: {swift_string(line)}, expected: {expected}),")
    w("    ]")

    w("    static let responseLines: [ResponseLineFixture] = [")
    for line in RESPONSE_LINES:
        try:
            r = parse_response_start_line(line)
            expected = (f".value(ResponseStartLine(version: {swift_string(r.version)}, code: {r.code}, "
                        f"reason: {swift_string(r.reason or '')}))")
        except Exception as e:
            expected = f".error({swift_string(error_text(e))})"
        w(f"        ResponseLineFixture(line: {swift_string(line)}, expected: {expected}),")
    w("    ]")

    w("    static let timestamps: [TimestampFixture] = [")
    for ts in TIMESTAMPS:
        w(f"        TimestampFixture(seconds: {float(ts)!r}, expected: {swift_string(format_timestamp(ts))}),")
    w("    ]")

    w("    static let headerParameters: [HeaderParametersFixture] = [")
    for line in PARSE_HEADER:
        value, params = _parse_header(line)
        w(f"        HeaderParametersFixture(line: {swift_string(line)}, value: {swift_string(value)}, "
          f"parameters: {swift_string_dict(params)}),")
    w("    ]")

    w("    static let encodedHeaders: [EncodeHeaderFixture] = [")
    for value, params in ENCODE_HEADER:
        w(f"        EncodeHeaderFixture(value: {swift_string(value)}, parameters: {swift_optional_string_dict(params)}, "
          f"expected: {swift_string(_encode_header(value, params))}),")
    w("    ]")

    w("    static let hostsAndPorts: [HostAndPortFixture] = [")
    for netloc in HOST_PORTS:
        host, port = split_host_and_port(netloc)
        w(f"        HostAndPortFixture(netloc: {swift_string(netloc)}, host: {swift_string(host)}, "
          f"port: {'nil' if port is None else port}),")
    w("    ]")

    w("    static let headerNames: [HeaderNameFixture] = [")
    for name in HEADER_NAMES:
        w(f"        HeaderNameFixture(name: {swift_string(name)}, expected: {swift_string(_normalize_header(name))}),")
    w("    ]")
    w("}")

    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")
    swift = shutil.which("swift")
    if swift:
        subprocess.run([swift, "format", "-i", OUTPUT], check=True)
    counts = {
        "cookies": len(COOKIES), "urlConcat": len(URL_CONCAT) + len(URL_CONCAT_DICT), "queries": len(QUERIES),
        "multipart": len(MULTIPART), "bodies": len(BODIES), "headerBlocks": len(HEADER_BLOCKS),
        "startLines": len(REQUEST_LINES) + len(RESPONSE_LINES), "timestamps": len(TIMESTAMPS),
        "headerParameters": len(PARSE_HEADER) + len(ENCODE_HEADER), "hostsAndPorts": len(HOST_PORTS),
        "headerNames": len(HEADER_NAMES),
    }
    print(f"wrote {OUTPUT}: {sum(counts.values())} fixtures {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
