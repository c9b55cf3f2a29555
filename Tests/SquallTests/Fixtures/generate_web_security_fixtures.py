#!/usr/bin/env python3
"""Generates WebSecurityFixtures.swift from the real Tornado's web module.

Cookies (`set_cookie`'s Set-Cookie header, `request.cookies`), signed values
(`create_signed_value`, `decode_signed_value`, `get_signature_key_version`),
XSRF tokens (`xsrf_token`, `_decode_xsrf_token`, `check_xsrf_cookie`),
cross-origin protection (`_check_cross_origin`) and the `authenticated`
redirect are run through Tornado 6.6.1 with fixed clocks and fixed random
bytes, and the results are written as Swift literals. Squall's tests check
that Squall gives the same answer for the same input: values Squall signs are
byte-identical to Tornado's (so Tornado verifies them), and values Tornado
signs decode in Squall.

Regenerate (from the repository root):

    python3 -m venv /tmp/tornado-venv
    /tmp/tornado-venv/bin/pip install tornado==6.6.1
    /tmp/tornado-venv/bin/python Tests/SquallTests/Fixtures/generate_web_security_fixtures.py

The output is deterministic: the same Tornado and Python versions give the
same file byte for byte. If `swift format` is on the PATH the file is
formatted with the repository's .swift-format afterwards.
"""

from __future__ import annotations

import datetime
import http.cookies
import logging
import os
import platform
import shutil
import subprocess
import sys
import types
import urllib.parse
from unittest import mock

import tornado
import tornado.web
from tornado.httputil import HTTPHeaders, HTTPInputError, HTTPServerRequest, RequestStartLine
from tornado.web import (
    Application,
    HTTPError,
    RequestHandler,
    _create_signature_v1,
    _create_signature_v2,
    authenticated,
    create_signed_value,
    decode_signed_value,
    get_signature_key_version,
)

EXPECTED_TORNADO = "6.6.1"
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "WebSecurityFixtures.swift")

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


def swift_optional_string(s: str | None) -> str:
    return "nil" if s is None else swift_string(s)


def swift_bytes(b: bytes) -> str:
    return "[" + ", ".join("0x%02X" % x for x in b) + "]"


def swift_optional_int(i: int | None) -> str:
    return "nil" if i is None else str(i)


def swift_double(f: float) -> str:
    return repr(float(f))


def swift_string_dict(d: dict) -> str:
    if not d:
        return "[:]"
    return "[" + ", ".join(f"{swift_string(k)}: {swift_string(v)}" for k, v in d.items()) + "]"


def swift_string_array(items) -> str:
    return "[" + ", ".join(swift_string(s) for s in items) + "]"


# MARK: - A handler without a server


class FakeConnection:
    """Just enough of an HTTP1Connection for a RequestHandler that never writes."""

    def set_close_callback(self, callback) -> None:
        pass


class RecordingHandler(RequestHandler):
    """A handler whose finish() records instead of writing (redirect() calls it)."""

    def finish(self, chunk=None):  # type: ignore[override]
        self.finished_with = (self._status_code, self._headers.get("Location"))


def make_handler(
    settings: dict | None = None,
    method: str = "GET",
    uri: str = "/",
    headers: list[tuple[str, str]] | None = None,
    cls=RecordingHandler,
):
    app = Application(**(settings or {}))
    h = HTTPHeaders()
    for name, value in headers or []:
        h.add(name, value)
    # HTTP/1.1 requires a Host header; without one, the request is HTTP/1.0.
    start_line = RequestStartLine(method, uri, "HTTP/1.1" if "Host" in h else "HTTP/1.0")
    request = HTTPServerRequest(start_line=start_line, headers=h, connection=FakeConnection())
    return cls(app, request)


def new_cookie_headers(handler) -> list[str]:
    """The Set-Cookie values flush() would send."""
    if not hasattr(handler, "_new_cookie"):
        return []
    return [morsel.OutputString(None) for morsel in handler._new_cookie.values()]


FIXED_NOW = 1_700_000_000.25


class FixedDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return datetime.datetime.fromtimestamp(FIXED_NOW, tz)


FIXED_DATETIME_MODULE = types.SimpleNamespace(
    datetime=FixedDatetime, timedelta=datetime.timedelta, UTC=datetime.UTC
)

# MARK: - set_cookie


def set_cookie_cases():
    cases = []

    def case(name, value, **kwargs):
        cases.append((name, value, kwargs))

    case("str", "asdf")
    case("unicode_args", "blah", domain="foo.com", path="/foo")
    case("equals", "a=b")
    case("semicolon", "a;b")
    case("quote", 'a"b')
    case("backslash", "a\\b")
    case("comma", "a,b")
    case("brackets", "[x]{y}(z)<w>?@/")
    case("legal", "!#$%&'*+-.^_`|~:AZaz09")
    case("empty", "")
    case("latin1", "caf\u00e9")
    case("del", "a\x7fb")
    case("signed", "2|1:0|10:1300000000|3:foo|4:YmFy|abc")
    case("space", "a b")
    case("tab", "a\tb")
    case("newline", "a\nb")
    case("control", "a\x01b")
    case("foo", "bar", max_age=10)
    case("foo", "bar", max_age=0)
    case("foo", "bar", max_age=-1)
    case("a", "1", secure=True)
    case("b", "1", secure=False)
    case("c", "1", httponly=True)
    case("d", "1", httponly=False)
    case("all", "v", domain="example.com", path="/p", expires=1_300_000_000, max_age=60, httponly=True, secure=True, samesite="Strict")
    case("exp", "v", expires=1_300_000_000.4)
    case("exp", "v", expires=1_300_000_000.9999996)
    case("exp", "v", expires=0)
    case("exp", "v", expires=-86400.5)
    case("expdays", "v", expires_days=10)
    case("expdays", "v", expires_days=0)
    case("expdays", "v", expires_days=-365)
    case("expdays", "v", expires_days=1.5)
    case("both", "v", expires=1_300_000_000, expires_days=10)
    case("nopath", "v", path=None)
    case("emptypath", "v", path="")
    case("emptydomain", "v", domain="")
    case("ss", "v", samesite="Lax")
    case("ss", "v", samesite="None", secure=True)
    case("ss", "v", samesite="")
    # Attribute injection (Tornado's security corpus, 6.5.5) and other forbidden characters.
    case("a", "b", domain="example.com; HttpOnly")
    case("a", "b", domain="example.com;HttpOnly")
    case("a", "b", path="/;Secure")
    case("a", "b", samesite="Lax;Partitioned")
    case("a", "b", domain="exa\x00mple.com")
    case("a", "b", path="/a\x7f")
    case("a", "b", samesite="a\tb")
    case("a", "b", path="/caf\u00e9")
    for char in ["\x00", "\x01", "\x1f", " ", ";", "\x7f", "=", ",", '"', "[", "\u00e9", "/", "(", "@", "\\"]:
        case("foo" + char, "bar")
    case("", "bar")
    case("path", "bar")
    case("Expires", "bar")
    case("max-age", "bar")
    case("HttpOnly", "bar")
    case("version", "bar")
    case("comment", "bar")
    case("samesite", "bar")
    case("partitioned", "bar")
    case("secure_", "bar")
    case("a:b", "c")
    case("!#$%&'*+-.^_`|~:", "v")
    return cases


def gen_set_cookie(w):
    w("    /// Tornado's `set_cookie(name, value, ...)` with `datetime.now()` fixed at `now`: the Set-Cookie value,")
    w("    /// or an error (Tornado raises `ValueError` or `http.cookies.CookieError`).")
    w("    static let setCookie: [SetCookieFixture] = [")
    count = 0
    for name, value, kwargs in set_cookie_cases():
        handler = make_handler()
        with mock.patch("tornado.web.datetime", FIXED_DATETIME_MODULE):
            try:
                handler.set_cookie(name, value, **kwargs)
                headers = new_cookie_headers(handler)
                assert len(headers) == 1, headers
                expected = f".value({swift_string(headers[0])})"
            except (ValueError, http.cookies.CookieError) as e:
                expected = f".error({swift_string(str(e))})"
        expires = kwargs.get("expires")
        w(
            f"        SetCookieFixture(name: {swift_string(name)}, value: {swift_string(value)}, "
            f"domain: {swift_optional_string(kwargs.get('domain'))}, "
            f"path: {swift_optional_string(kwargs.get('path', '/'))}, "
            f"expires: {'nil' if expires is None else swift_double(expires)}, "
            f"expiresDays: {'nil' if kwargs.get('expires_days') is None else swift_double(kwargs['expires_days'])}, "
            f"maxAge: {swift_optional_int(kwargs.get('max_age'))}, "
            f"secure: {'true' if kwargs.get('secure') else 'false'}, "
            f"httpOnly: {'true' if kwargs.get('httponly') else 'false'}, "
            f"sameSite: {swift_optional_string(kwargs.get('samesite'))}, "
            f"now: {swift_double(FIXED_NOW)}, expected: {expected}),"
        )
        count += 1
    w("    ]")
    return count


def gen_clear_cookie(w):
    w("    /// Tornado's `clear_cookie(name, path=..., domain=...)` with `datetime.now()` fixed at `now`.")
    w("    static let clearCookie: [ClearCookieFixture] = [")
    count = 0
    for name, path, domain in [("foo", "/", None), ("foo", "/sub", "example.com"), ("bar", None, None)]:
        handler = make_handler()
        with mock.patch("tornado.web.datetime", FIXED_DATETIME_MODULE):
            handler.clear_cookie(name, path=path, domain=domain)
        (header,) = new_cookie_headers(handler)
        w(
            f"        ClearCookieFixture(name: {swift_string(name)}, path: {swift_optional_string(path)}, "
            f"domain: {swift_optional_string(domain)}, now: {swift_double(FIXED_NOW)}, expected: {swift_string(header)}),"
        )
        count += 1
    w("    ]")
    return count


# MARK: - request.cookies


REQUEST_COOKIE_HEADERS = [
    "foo=bar",
    'foo="bar"',
    "/=exception;",
    "foo=a=b",
    'foo="a=b"',
    'foo="a;b"',
    "foo=a\\073b",
    'foo="a\\073b"',
    'foo="a\\"b"',
    "a=b]_xsrf=injected",
    "a=1; b=2; a=3",
    "spaced  =  value  ;  next = 1",
    "novalue; x=1",
    "=emptyname; y=2",
    "path=/; expires=x; Max-Age=1; secure=1; HttpOnly=1; version=1; comment=c; samesite=Lax; domain=d; ok=1",
    "Partitioned=1",
    "a[b]=1; c,d=2; e:f=3; g!h=4; i@j=5",
    "k=v; k2=; =; ;;",
    "t=\tv\t;u=1",
    "json={\"a\": 1}",
    "q=\"unterminated",
    "__Host-id=1; __Secure-x=2",
]


def gen_request_cookies(w):
    w("    /// Tornado's `RequestHandler.cookies` for a `Cookie` header: name to value, after `SimpleCookie` drops")
    w("    /// names it does not allow.")
    w("    static let requestCookies: [RequestCookiesFixture] = [")
    for header in REQUEST_COOKIE_HEADERS:
        handler = make_handler(headers=[("Cookie", header)])
        cookies = {k: m.value for k, m in handler.cookies.items()}
        w(f"        RequestCookiesFixture(header: {swift_string(header)}, expected: {swift_string_dict(cookies)}),")
    w("    ]")
    return len(REQUEST_COOKIE_HEADERS)


# MARK: - Signed values


SINGLE_SECRETS = ["0123456789", "secret", "a secret with spaces and \u00fc and \u2603"]
KEY_VERSIONS = {0: "ajklasdf0ojaisdf", 1: "aslkjasaolwkjsdf", 7: "seven"}
NAMES = ["foo", "a", "user", "n|ame", "a:b", "", "\u00fc"]
VALUES: list[str | bytes] = [
    b"bar",
    "",
    "h\u00e9llo w\u00f6rld \u2603",
    "a|b|c",
    "1|2",
    b"\x00\xff\xfe",
    b"\xe9",
    "\U0001f389 party",
    "x" * 300,
    "AAAABBBB",
    '{"id": 42, "name": "J\u00fcrgen"}',
]
CLOCKS = [1_300_000_000, 1_700_000_000.75, 1_234_567_890]


def value_bytes(v: str | bytes) -> bytes:
    return v if isinstance(v, bytes) else v.encode("utf-8")


def create_inputs():
    """(secret, name, value, version, clock, key_version) tuples."""
    inputs = []
    for i, value in enumerate(VALUES):
        for version in (1, 2):
            secret = SINGLE_SECRETS[i % len(SINGLE_SECRETS)]
            name = NAMES[i % len(NAMES)]
            clock = CLOCKS[i % len(CLOCKS)]
            inputs.append((secret, name, value, version, clock, None))
    for name in NAMES:
        inputs.append(("secret", name, "value", 2, 1_300_000_000, None))
        inputs.append(("secret", name, "value", 1, 1_300_000_000, None))
    # Key versions: a versioned secret dict, and a key version with a single secret.
    for key_version in (0, 1, 7):
        inputs.append((KEY_VERSIONS, "foo", b"bar", 2, 1_300_000_000, key_version))
        inputs.append((KEY_VERSIONS, "session", "h\u00e9llo|world", 2, 1_700_000_000, key_version))
    inputs.append(("secret", "foo", "bar", 2, 1_300_000_000, 5))
    inputs.append(("secret", "foo", "bar", 2, 1_300_000_000, 0))
    inputs.append(("secret", "foo", "bar", 2, 1_300_000_000, -3))
    # Errors: v1 with a versioned secret, an unknown key version, an unknown format version.
    inputs.append((KEY_VERSIONS, "foo", "bar", 1, 1_300_000_000, 0))
    inputs.append((KEY_VERSIONS, "foo", "bar", 2, 1_300_000_000, 3))
    inputs.append(("secret", "foo", "bar", 3, 1_300_000_000, None))
    inputs.append(("secret", "foo", "bar", 0, 1_300_000_000, None))
    return inputs


def secret_literal(secret, key_version) -> str:
    if isinstance(secret, dict):
        keys = ", ".join(f"{k}: {swift_string(v)}" for k, v in sorted(secret.items()))
        return f".versioned([{keys}])"
    return f".single({swift_string(secret)})"


def gen_create(w, created):
    w("    /// Tornado's `create_signed_value(secret, name, value, version, clock, key_version)`: the signed value, or")
    w("    /// an error.")
    w("    static let createSignedValue: [CreateSignedValueFixture] = [")
    count = 0
    for secret, name, value, version, clock, key_version in create_inputs():
        try:
            result = create_signed_value(
                secret, name, value, version=version, clock=lambda: clock, key_version=key_version
            ).decode("utf-8")
            expected = f".value({swift_string(result)})"
            created.append((secret, name, value, version, clock, key_version, result))
        except (AssertionError, KeyError, ValueError) as e:
            expected = f".error({swift_string(type(e).__name__)})"
        w(
            f"        CreateSignedValueFixture(secret: {secret_literal(secret, key_version)}, name: {swift_string(name)}, "
            f"value: {swift_bytes(value_bytes(value))}, valueIsText: {'false' if isinstance(value, bytes) else 'true'}, "
            f"version: {version}, clock: {swift_double(clock)}, keyVersion: {swift_optional_int(key_version)}, "
            f"expected: {expected}),"
        )
        count += 1
    w("    ]")
    return count


def signed_v2(secret: str, fields: list[str | bytes]) -> str:
    """A v2 value with arbitrary (possibly malformed) fields, signed with Tornado's own signature function."""
    to_sign = b"|".join([b"2"] + [f if isinstance(f, bytes) else f.encode() for f in fields] + [b""])
    return (to_sign + _create_signature_v2(secret, to_sign)).decode("utf-8")


def signed_v1(secret: str, name: str, b64value: str, timestamp: str) -> str:
    return "|".join([b64value, timestamp, _create_signature_v1(secret, name, b64value, timestamp).decode()])


def decode_inputs(created):
    """(secret, name, value, max_age_days, clock, min_version) tuples."""
    inputs = []
    for secret, name, value, version, clock, key_version, result in created:
        inputs.append((secret, name, result, 31, clock, 1))
        inputs.append((secret, name, result, 31, clock + 31 * 86400 - 1, 1))
        inputs.append((secret, name, result, 31, clock + 31 * 86400 + 1, 1))
        inputs.append((secret, name, result, 31, clock, 2))
        inputs.append((secret, name + "x", result, 31, clock, 1))
    v1 = next(c for c in created if c[3] == 1 and not isinstance(c[0], dict))
    v2 = next(c for c in created if c[3] == 2 and not isinstance(c[0], dict))
    for secret, name, value, version, clock, key_version, result in (v1, v2):
        # Tampered signature, value, timestamp; another secret; other max ages; a future timestamp.
        inputs.append((secret, name, result[:-1] + ("0" if result[-1] != "0" else "1"), 31, clock, 1))
        inputs.append((secret, name, result.replace("|", "|1", 1) if version == 1 else result[:-70] + "A" + result[-69:], 31, clock, 1))
        inputs.append(("another secret", name, result, 31, clock, 1))
        inputs.append((secret, name, result, 0.5, clock + 86400, 1))
        inputs.append((secret, name, result, 100, clock + 50 * 86400, 1))
        inputs.append((secret, name, result, 31, clock - 31 * 86400 + 1, 1))
        inputs.append((secret, name, result, 31, clock - 31 * 86400 - 1, 1))
        inputs.append((secret, name, result, 31, clock - 400 * 86400, 1))
        inputs.append((secret, name, result + "\n", 31, clock, 1))
        inputs.append((secret, name, " " + result, 31, clock, 1))
    # Tornado's security corpus, 3.2.1: a signed cookie moved to another name.
    signed = create_signed_value("secret", "a", "AAAABBBB", clock=lambda: 1_300_000_000).decode()
    inputs.append(("secret", "a" + signed[:4], signed[4:], 31, 1_300_000_000, 1))
    inputs.append(("secret", "a", signed, 31, 1_300_000_000, 1))
    # Version 1 had the same weakness (no delimiter between name and value); min_version=2 refuses it.
    signed1 = create_signed_value("secret", "a", "AAAABBBB", version=1, clock=lambda: 1_300_000_000).decode()
    inputs.append(("secret", "a" + signed1[:4], signed1[4:], 31, 1_300_000_000, 1))
    inputs.append(("secret", "a" + signed1[:4], signed1[4:], 31, 1_300_000_000, 2))
    # Version 1 timestamps: moved digits (future), leading zero, not a number, Python int() syntax.
    inputs.append(("0123456789", "foo", "1234|5678" + "1300000000" + "|" + _create_signature_v1("0123456789", "foo", "12345678", "1300000000").decode(), 31, 1_300_000_000, 1))
    for ts in ["01300000000", "13000a0000", "1_300_000_000", " 1300000000", "1300000000 ", "+1300000000", "-1", "", "\u0661300000000", "1300000000.5", "1__300000000"]:
        try:
            inputs.append(("secret", "foo", signed_v1("secret", "foo", "YmFy", ts), 31, 1_300_000_000, 1))
        except UnicodeEncodeError:
            pass
    # Version 1 with the wrong number of parts, and base64 Python decodes leniently.
    inputs.append(("secret", "foo", "YmFy|1300000000", 31, 1_300_000_000, 1))
    inputs.append(("secret", "foo", signed_v1("secret", "foo", "YmFy", "1300000000") + "|x", 31, 1_300_000_000, 1))
    for b64 in ["YmE", "YmE=", "YmE==", "YmE===", "Y", "YQ==YQ==", "Y m F y", "Ym\nFy", "Ym!Fy", "=YmFy", "Y=mFy", "YmFy=", "YW=Jj", "", "////", "-_-_"]:
        inputs.append(("secret", "foo", signed_v1("secret", "foo", b64, "1300000000"), 31, 1_300_000_000, 1))
    # Version detection: only "N|" with N in 1..999 is a version; anything else is version 1.
    for value in ["3|1:0|10:1300000000|3:foo|4:YmFy|", "999|x", "1000|x|y", "0|x|y", "1|x|y", "01|x", "2|", "2", "|2|", "2|\n", "22|x"]:
        inputs.append(("secret", "foo", value, 31, 1_300_000_000, 1))
    # Malformed version 2 fields (signed with the secret, so only the parsing can reject them).
    ts = "1300000000"
    for fields in [
        ["1:0", "10:" + ts, "3:foo", "4:YmFy"],
        ["1:0", "10:" + ts, "3:foo", "5:YmFy"],
        ["1:0", "10:" + ts, "3:foo", "3:YmFy"],
        ["x:0", "10:" + ts, "3:foo", "4:YmFy"],
        ["1:0", "10:" + ts, "3:foo"],
        ["2:01", "10:" + ts, "3:foo", "4:YmFy"],
        ["2: 1", "10:" + ts, "3:foo", "4:YmFy"],
        ["1:7", "10:" + ts, "3:foo", "4:YmFy"],
        ["1:0", "13:1_300_000_000", "3:foo", "4:YmFy"],
        ["1:0", "12: 1300000000 ", "3:foo", "4:YmFy"],
        ["1:0", "23:99999999999999999999999", "3:foo", "4:YmFy"],
        ["1:0", "2:-5", "3:foo", "4:YmFy"],
        ["1:0", "10:13000000ab", "3:foo", "4:YmFy"],
        ["1:0", "10:" + ts, "3:foo", "3:a|b"],
        ["1:0", "10:" + ts, "3:foo", "0:"],
        ["1:0", "10:" + ts, "3:foo", "5:YmE\nx"],
        ["1:0", "10:" + ts, "3:foo", "6:YQ==YQ"],
        ["1:0", "10:" + ts, "3:foo", "1:Y"],
        ["1:0", "10:" + ts, "3:foo", "7:Y m F y"],
        ["1:0", "10:" + ts, "3:foo", "03:YmE"],
        ["1:0", "10:" + ts, "+3:foo", "4:YmFy"],
        ["1:0", "10:" + ts, "3:fooo", "4:YmFy"],
        ["-1:0", "10:" + ts, "3:foo", "4:YmFy"],
        ["1:0", "10:" + ts, "3:foo", "-2:a|"],
        ["1:0", "10:" + ts, "2:\u00fc", "4:YmFy"],
        ["1:0", "10:" + ts, "1:\u00fc", "4:YmFy"],
    ]:
        inputs.append(("secret", "foo", signed_v2("secret", fields), 31, 1_300_000_000, 1))
        inputs.append(("secret", "\u00fc", signed_v2("secret", fields), 31, 1_300_000_000, 1))
    # Key versions: an unknown key, a key removed from the dict, a versioned value read with a single secret.
    v2k = create_signed_value(KEY_VERSIONS, "foo", "bar", clock=lambda: 1_300_000_000, key_version=7).decode()
    inputs.append((KEY_VERSIONS, "foo", v2k, 31, 1_300_000_000, 1))
    inputs.append(({0: KEY_VERSIONS[0], 1: KEY_VERSIONS[1]}, "foo", v2k, 31, 1_300_000_000, 1))
    inputs.append(("seven", "foo", v2k, 31, 1_300_000_000, 1))
    inputs.append(({7: "seven"}, "foo", create_signed_value("seven", "foo", "bar", clock=lambda: 1_300_000_000, key_version=7).decode(), 31, 1_300_000_000, 1))
    # A version 1 value with a versioned secret (Tornado raises AssertionError), and min_version 3.
    inputs.append((KEY_VERSIONS, "foo", v1[6], 31, v1[4], 1))
    inputs.append(("secret", "foo", v2k, 31, 1_300_000_000, 3))
    inputs.append(("secret", "foo", "", 31, 1_300_000_000, 1))
    return inputs


def gen_decode(w, created):
    w("    /// Tornado's `decode_signed_value(secret, name, value, max_age_days, clock, min_version)`: the decoded bytes,")
    w("    /// `nil` for Tornado's `None`, or an error Tornado raised.")
    w("    static let decodeSignedValue: [DecodeSignedValueFixture] = [")
    count = 0
    for secret, name, value, max_age_days, clock, min_version in decode_inputs(created):
        try:
            result = decode_signed_value(
                secret, name, value, max_age_days=max_age_days, clock=lambda: clock, min_version=min_version
            )
            expected = ".value(nil)" if result is None else f".value({swift_bytes(result)})"
        except (AssertionError, ValueError) as e:
            expected = f".error({swift_string(type(e).__name__)})"
        w(
            f"        DecodeSignedValueFixture(secret: {secret_literal(secret, None)}, name: {swift_string(name)}, "
            f"value: {swift_string(value)}, maxAgeDays: {swift_double(max_age_days)}, clock: {swift_double(clock)}, "
            f"minVersion: {min_version}, expected: {expected}),"
        )
        count += 1
    w("    ]")
    return count


def gen_key_versions(w, created):
    w("    /// Tornado's `get_signature_key_version(value)`.")
    w("    static let signatureKeyVersion: [KeyVersionFixture] = [")
    values = [c[6] for c in created][:12] + [c[6] for c in created if c[5] is not None]
    values += [
        "",
        "YmFy|1300000000|abc",
        "2|1:7|10:1300000000|3:foo|4:YmFy|sig",
        "2|2:12|10:1300000000|3:foo|4:YmFy|sig",
        "2|1:x|10:1300000000|3:foo|4:YmFy|sig",
        "2|1:0|10:1300000000|3:foo",
        "2|1:0|",
        "2|2:-4|10:1300000000|3:foo|4:YmFy|sig",
        "2|1:0|10:1300000000|3:foo|4:YmFy",
        "3|1:0|10:1300000000|3:foo|4:YmFy|sig",
    ]
    for value in values:
        w(f"        KeyVersionFixture(value: {swift_string(value)}, expected: {swift_optional_int(get_signature_key_version(value))}),")
    w("    ]")
    return len(values)


# MARK: - XSRF


XSRF_TIME = 1_700_000_123.75
RAW_TOKEN = bytes(range(0xA0, 0xB0))
MASK = b"\x01\x02\xfe\xff"


def xsrf_cookies():
    """Values of the `_xsrf` cookie as sent in the `Cookie` header (quoted ones are unquoted by the parser)."""
    v1 = "0123456789abcdef0123456789abcdef"
    return [
        None,
        "",
        v1,
        v1.upper(),
        "deadbeef",
        "xoxo",
        "abc",
        "\u00e9t\u00e9",
        "2|01020304|" + bytes(a ^ b for a, b in zip(RAW_TOKEN, MASK * 4)).hex() + "|1700000000",
        "2|00000000|" + v1 + "|1300000000",
        "2|ffffffff|" + v1 + "|0012",
        "2|FFFFFFFF|" + v1.upper() + "|+5",
        '"2|00000000|' + v1 + '| 77 "',
        "2|00000000|" + v1 + "|1_000",
        "2|00000000|" + v1 + "|\u0661\u0662",
        "2|00000000|" + v1 + "|-0",
        "2|00000000|" + v1 + "|99999999999999999999999999",
        "2|00000000||1",
        "2|00000000|" + v1 + "|",
        "2|00000000|" + v1 + "|x",
        "2|0000000|" + v1 + "|1",
        "2|0000000000|" + v1 + "|1",
        "2|000000|" + v1 + "|1",
        "2|zz000000|" + v1 + "|1",
        "2|00000000|" + v1 + "z|1",
        "2|00000000|" + v1 + "|1|extra",
        "2|00000000|" + v1,
        "3|",
        "3|00000000|" + v1 + "|1",
        "1|00000000|" + v1 + "|1",
        "0|00000000",
        "1000|x",
        '"2|00000000|' + v1 + '|1\\012"',
        '"2|00000000|' + v1 + '\\012|1"',
        '"\\0620|x"',
    ]


def gen_xsrf_tokens(w):
    w("    /// Tornado's `xsrf_token` for a request with this `_xsrf` cookie (`nil`: none), with `os.urandom` returning")
    w("    /// `newToken` then `mask` and `time.time()` returning `now`: the token, and the Set-Cookie Tornado adds")
    w("    /// (only for a new token).")
    w("    static let xsrfTokens: [XSRFTokenFixture] = [")
    count = 0
    for cookie in xsrf_cookies():
        headers = [] if cookie is None else [("Cookie", "_xsrf=" + cookie)]
        try:
            handler = make_handler(settings=dict(xsrf_cookies=True), headers=headers)
        except HTTPInputError:
            # Characters Tornado's Latin-1 headers cannot carry (Squall's UTF-8 headers can): hand the value to
            # the handler directly.
            handler = make_handler(settings=dict(xsrf_cookies=True))
            handler.get_cookie = lambda name, default=None, value=cookie: value  # type: ignore[method-assign]
        # The handler sees the cookie as parse_cookie left it.
        seen = handler.get_cookie("_xsrf")
        with mock.patch(
            "tornado.web.os.urandom", side_effect=lambda n: RAW_TOKEN if n == 16 else MASK
        ), mock.patch(
            "tornado.web.time.time", return_value=XSRF_TIME
        ):
            token = handler.xsrf_token.decode()
            decoded = handler._decode_xsrf_token(seen) if seen else (None, None, None)
        set_cookies = new_cookie_headers(handler)
        version, raw, timestamp = decoded
        decoded_literal = (
            "nil"
            if raw is None
            else f"RawXSRFFixture(version: {version}, token: {swift_bytes(raw)}, timestamp: {swift_string(str(int(timestamp)))})"
        )
        w(
            f"        XSRFTokenFixture(cookie: {swift_optional_string(seen)}, now: {swift_double(XSRF_TIME)}, "
            f"newToken: {swift_bytes(RAW_TOKEN)}, mask: {swift_bytes(MASK)}, decoded: {decoded_literal}, "
            f"token: {swift_string(token)}, setCookie: {swift_optional_string(set_cookies[0] if set_cookies else None)}),"
        )
        count += 1
    w("    ]")
    return count


def gen_xsrf_checks(w):
    w("    /// Tornado's `check_xsrf_cookie()` on a POST with this `_xsrf` cookie, `_xsrf` query argument and")
    w("    /// `X-Xsrftoken` / `X-Csrftoken` headers: `nil` when it passes, else the 403's log message.")
    w("    static let xsrfChecks: [XSRFCheckFixture] = [")
    v1 = "0123456789abcdef0123456789abcdef"
    masked = "2|01020304|" + bytes(a ^ b for a, b in zip(bytes.fromhex(v1), MASK * 4)).hex() + "|1700000000"
    masked2 = "2|a0b0c0d0|" + bytes(a ^ b for a, b in zip(bytes.fromhex(v1), b"\xa0\xb0\xc0\xd0" * 4)).hex() + "|5"
    other = "2|01020304|" + bytes(a ^ b for a, b in zip(RAW_TOKEN, MASK * 4)).hex() + "|1700000000"
    cases = [
        (None, None, None, None),
        (v1, None, None, None),
        (None, v1, None, None),
        (v1, v1, None, None),
        (v1, masked, None, None),
        (masked, v1, None, None),
        (masked, masked2, None, None),
        (masked2, masked, None, None),
        (v1, None, masked, None),
        (v1, None, None, masked),
        (v1, None, "", masked),
        (v1, "", masked, None),
        (v1, "  " + masked + "  ", None, None),
        (v1, None, other, None),
        (masked, other, None, None),
        (v1, "3|", None, None),
        (v1, "2|00000000||1", None, None),
        ("3|", masked, None, None),
        ("deadbeef", "deadbeef", None, None),
        ("xoxo", "xoxo", None, None),
        ("xoxo", "XOXO", None, None),
        ("DEADBEEF", "deadbeef", None, None),
        ("deadbeef", "2|00000000|deadbeef|1", None, None),
        ("2|00000000|deadbeef|1", "deadbeef", None, None),
        ("2|00000000||1", "2|00000000||1", None, None),
        ("", v1, None, None),
        (v1, v1 + "00", None, None),
        (v1, None, v1, v1 + "00"),
        (v1, v1, "wrong", "wrong"),
        ("2|01020304|" + v1 + "|1", "2|01020304|" + v1 + "|2", None, None),
    ]
    for cookie, argument, xsrf_header, csrf_header in cases:
        headers = []
        if cookie is not None:
            headers.append(("Cookie", "_xsrf=" + cookie))
        if xsrf_header is not None:
            headers.append(("X-Xsrftoken", xsrf_header))
        if csrf_header is not None:
            headers.append(("X-Csrftoken", csrf_header))
        uri = "/" if argument is None else "/?" + urllib.parse.urlencode({"_xsrf": argument})
        handler = make_handler(settings=dict(xsrf_cookies=True), method="POST", uri=uri, headers=headers)
        try:
            handler.check_xsrf_cookie()
            expected = "nil"
        except HTTPError as e:
            assert e.status_code == 403
            expected = swift_string(e.log_message)
        w(
            f"        XSRFCheckFixture(cookie: {swift_optional_string(cookie)}, argument: {swift_optional_string(argument)}, "
            f"xsrfHeader: {swift_optional_string(xsrf_header)}, csrfHeader: {swift_optional_string(csrf_header)}, "
            f"expected: {expected}),"
        )
    w("    ]")
    return len(cases)


# MARK: - Cross-origin protection


def gen_cross_origin(w):
    w("    /// Tornado 6.6's `_check_cross_origin(check_trusted_origin)` for a request with these `Sec-Fetch-Site`,")
    w("    /// `Origin` and `Host` headers and `trusted_origins`: `nil` when allowed, else the 403's log message")
    w("    /// (`error` when Tornado raised instead).")
    w("    static let crossOrigin: [CrossOriginFixture] = [")
    trusted = ["https://trusted.example.com", "http://127.0.0.1:8888"]
    cases = [
        ("same-origin", None, "example.com"),
        ("none", None, "example.com"),
        ("cross-site", None, "example.com"),
        ("same-site", "https://other.example.com", "example.com"),
        ("cross-site", "http://example.com", "example.com"),
        ("cross-site", "https://trusted.example.com", "example.com"),
        ("same-site", "https://trusted.example.com", "example.com"),
        ("cross-site", "https://trusted.example.com/", "example.com"),
        ("Same-Origin", None, "example.com"),
        ("", None, "example.com"),
        ("", "http://example.com", "example.com"),
        ("same-origin, cross-site", "https://evil.com", "example.com"),
        ("whatever", "https://trusted.example.com", "example.com"),
        (None, None, "example.com"),
        (None, "http://example.com", "example.com"),
        (None, "https://example.com", "example.com"),
        (None, "http://EXAMPLE.com", "example.com"),
        (None, "http://example.com", "EXAMPLE.COM"),
        (None, "http://example.com:8080", "example.com:8080"),
        (None, "http://example.com:8080", "example.com"),
        (None, "http://example.com/foo", "example.com"),
        (None, "http://example.com?x", "example.com"),
        (None, "http://example.com#x", "example.com"),
        (None, "http://user@example.com", "example.com"),
        (None, "https://evil.example.com", "example.com"),
        (None, "https://trusted.example.com", "example.com"),
        (None, "http://trusted.example.com", "example.com"),
        (None, "https://trusted.example.com/", "example.com"),
        (None, "http://127.0.0.1:8888", "example.com"),
        (None, "null", "example.com"),
        (None, "", "example.com"),
        (None, "example.com", "example.com"),
        (None, "//example.com", "example.com"),
        (None, "ht\ttp://exa\tmple.com", "example.com"),
        (None, "1http://example.com", "example.com"),
        (None, "ftp://example.com", "example.com"),
        (None, "http:example.com", "example.com"),
        (None, "http://[::1]:8080", "[::1]:8080"),
        (None, "http://[::1:8080", "[::1]:8080"),
        (None, "http://::1]:8080", "[::1]:8080"),
        (None, "http://example.com", ""),
        (None, "http://", ""),
    ]
    count = 0
    for sfs, origin, host in cases:
        headers = []
        if sfs is not None:
            headers.append(("Sec-Fetch-Site", sfs))
        if origin is not None:
            headers.append(("Origin", origin))
        if host:
            headers.append(("Host", host))
        handler = make_handler(
            settings=dict(cross_origin_protection=True, trusted_origins=trusted),
            method="POST",
            headers=headers,
        )
        try:
            message = handler._check_cross_origin(handler.check_trusted_origin)
            expected = ".value(nil)" if message is None else f".value({swift_string(message)})"
        except ValueError as e:
            expected = f".error({swift_string(str(e))})"
        w(
            f"        CrossOriginFixture(secFetchSite: {swift_optional_string(sfs)}, origin: {swift_optional_string(origin)}, "
            f"host: {swift_string(host)}, trusted: {swift_string_array(trusted)}, expected: {expected}),"
        )
        count += 1
    w("    ]")
    return count


# MARK: - authenticated


class LoginHandler(RecordingHandler):
    login_url = ""

    def get_login_url(self) -> str:
        return self.login_url

    @authenticated
    def get(self):
        raise AssertionError("not logged in, so never called")


def gen_auth(w):
    w("    /// Tornado's `@authenticated` on a GET from a user who is not logged in: the redirect's `Location`.")
    w("    static let authRedirects: [AuthRedirectFixture] = [")
    cases = [
        ("/login", "/relative", "127.0.0.1:8888"),
        ("/login", "/p?a=1&b=2", "127.0.0.1:8888"),
        ("/login", "/caf%C3%A9/x?y=%2F&z=a+b", "127.0.0.1:8888"),
        ("/login?x=1", "/relative", "127.0.0.1:8888"),
        ("/login?", "/relative", "127.0.0.1:8888"),
        ("http://example.com/login", "/absolute", "127.0.0.1:8888"),
        ("http://example.com/login", "/absolute?q=1", "example.org"),
        ("HTTPS://example.com/login", "/a", "example.org"),
        ("http://example.com/login?next=/here", "/a", "example.org"),
        ("//example.com/login", "/a", "example.org"),
        ("  http://example.com/login", "/a", "example.org"),
        ("mailto:x", "/a", "example.org"),
        ("a1+.-:foo", "/a", "example.org"),
        ("1a:foo", "/a", "example.org"),
        ("/a:b", "/a", "example.org"),
        ("login", "/a~b_c.d-e", "example.org"),
        ("", "/a", "example.org"),
    ]
    for login_url, uri, host in cases:
        handler = make_handler(uri=uri, headers=[("Host", host)], cls=LoginHandler)
        handler.login_url = login_url
        handler.get()
        status, location = handler.finished_with
        assert status == 302
        w(
            f"        AuthRedirectFixture(loginURL: {swift_string(login_url)}, uri: {swift_string(uri)}, "
            f"host: {swift_string(host)}, location: {swift_string(location)}),"
        )
    w("    ]")
    return len(cases)


# MARK: - Main


def main() -> None:
    if tornado.version != EXPECTED_TORNADO:
        sys.exit(f"expected Tornado {EXPECTED_TORNADO}, found {tornado.version}")
    # Tornado logs every rejected signature; the fixtures record the outcome instead.
    logging.disable(logging.CRITICAL)
    out: list[str] = []
    w = out.append
    w("// Generated by Tests/SquallTests/Fixtures/generate_web_security_fixtures.py: do not edit by hand.")
    w(f"// Source of truth: Tornado {tornado.version} on Python {platform.python_version()}.")
    w("// Regenerate from the repository root:")
    w("//   python3 -m venv /tmp/tornado-venv && /tmp/tornado-venv/bin/pip install tornado==6.6.1")
    w("//   /tmp/tornado-venv/bin/python Tests/SquallTests/Fixtures/generate_web_security_fixtures.py")
    w("")
    w("@testable import Squall")
    w("")
    w("/// What Tornado did with one fixture's input: a value, or an error it raised (its message or type name).")
    w("enum TornadoOutcome<Value: Sendable>: Sendable {")
    w("    case value(Value)")
    w("    case error(String)")
    w("}")
    w("")
    w("/// One `set_cookie` call.")
    w("struct SetCookieFixture: Sendable {")
    w("    let name: String; let value: String; let domain: String?; let path: String?; let expires: Double?")
    w("    let expiresDays: Double?; let maxAge: Int?; let secure: Bool; let httpOnly: Bool; let sameSite: String?")
    w("    let now: Double; let expected: TornadoOutcome<String>")
    w("}")
    w("/// One `clear_cookie` call.")
    w("struct ClearCookieFixture: Sendable {")
    w("    let name: String; let path: String?; let domain: String?; let now: Double; let expected: String")
    w("}")
    w("/// The cookies a handler sees for one `Cookie` header.")
    w("struct RequestCookiesFixture: Sendable { let header: String; let expected: [String: String] }")
    w("/// One `create_signed_value` call.")
    w("struct CreateSignedValueFixture: Sendable {")
    w("    let secret: CookieSecretFixture; let name: String; let value: [UInt8]; let valueIsText: Bool; let version: Int")
    w("    let clock: Double; let keyVersion: Int?; let expected: TornadoOutcome<String>")
    w("}")
    w("/// A secret as Tornado takes it: one key, or a dict of keys by version.")
    w("enum CookieSecretFixture: Sendable {")
    w("    case single(String)")
    w("    case versioned([Int: String])")
    w("}")
    w("/// One `decode_signed_value` call.")
    w("struct DecodeSignedValueFixture: Sendable {")
    w("    let secret: CookieSecretFixture; let name: String; let value: String; let maxAgeDays: Double; let clock: Double")
    w("    let minVersion: Int; let expected: TornadoOutcome<[UInt8]?>")
    w("}")
    w("/// One `get_signature_key_version` call.")
    w("struct KeyVersionFixture: Sendable { let value: String; let expected: Int? }")
    w("/// A raw XSRF token as `_decode_xsrf_token` returns it (timestamp as `str(int(timestamp))`).")
    w("struct RawXSRFFixture: Sendable { let version: Int; let token: [UInt8]; let timestamp: String }")
    w("/// One `xsrf_token` computation.")
    w("struct XSRFTokenFixture: Sendable {")
    w("    let cookie: String?; let now: Double; let newToken: [UInt8]; let mask: [UInt8]; let decoded: RawXSRFFixture?")
    w("    let token: String; let setCookie: String?")
    w("}")
    w("/// One `check_xsrf_cookie` call.")
    w("struct XSRFCheckFixture: Sendable {")
    w("    let cookie: String?; let argument: String?; let xsrfHeader: String?; let csrfHeader: String?; let expected: String?")
    w("}")
    w("/// One `_check_cross_origin` call.")
    w("struct CrossOriginFixture: Sendable {")
    w("    let secFetchSite: String?; let origin: String?; let host: String; let trusted: [String]")
    w("    let expected: TornadoOutcome<String?>")
    w("}")
    w("/// One `@authenticated` redirect.")
    w("struct AuthRedirectFixture: Sendable { let loginURL: String; let uri: String; let host: String; let location: String }")
    w("")
    w("/// Inputs and Tornado's outputs; see the generator script.")
    w("enum WebSecurityFixtures {")
    counts = {}
    counts["setCookie"] = gen_set_cookie(w)
    counts["clearCookie"] = gen_clear_cookie(w)
    counts["requestCookies"] = gen_request_cookies(w)
    created: list = []
    counts["createSignedValue"] = gen_create(w, created)
    counts["decodeSignedValue"] = gen_decode(w, created)
    counts["signatureKeyVersion"] = gen_key_versions(w, created)
    counts["xsrfTokens"] = gen_xsrf_tokens(w)
    counts["xsrfChecks"] = gen_xsrf_checks(w)
    counts["crossOrigin"] = gen_cross_origin(w)
    counts["authRedirects"] = gen_auth(w)
    w("}")
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    swift = shutil.which("swift")
    if swift:
        subprocess.run([swift, "format", "-i", OUTPUT], check=False)
    total = sum(counts.values())
    print(f"wrote {OUTPUT}: {total} fixtures " + ", ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
