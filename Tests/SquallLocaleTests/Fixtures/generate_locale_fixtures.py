#!/usr/bin/env python3
"""Generates SquallLocale's differential fixtures from the real Tornado.

Writes, next to this script:

- csv/*.csv: Tornado CSV translation files (UTF-8, UTF-8 with BOM and CRLF,
  UTF-16 LE with BOM, quoting quirks, an unknown plural indicator, a file
  named like no locale);
- gettext/LANG/LC_MESSAGES/squall.mo: gettext catalogs, some compiled by GNU
  msgfmt (little-endian), some written here big-endian or with a Latin-1
  charset, with Plural-Forms rules of 1, 2, 3 and 6 forms and msgctxt
  contexts;
- locale_fixtures.json: what Tornado 6.6.1 answers for those translations:
  format_date (relative, shorter, full_format, gmt_offset, future dates, a
  frozen "now"), format_day, list, friendly_number, get/get_closest
  fallback, translate and pgettext, get_browser_locale's Accept-Language
  ordering, the names and rtl flags, and gettext's plural rules (c2py).

Regenerate (from the repository root; needs GNU gettext's msgfmt):

    python3 -m venv /tmp/tornado-venv
    /tmp/tornado-venv/bin/pip install tornado==6.6.1
    /tmp/tornado-venv/bin/python Tests/SquallLocaleTests/Fixtures/generate_locale_fixtures.py

The output is deterministic.
"""

from __future__ import annotations

import codecs
import datetime
import gettext
import json
import os
import platform
import shutil
import struct
import subprocess
import tempfile
import types
from unittest import mock

import tornado
import tornado.locale
import tornado.web
from tornado.httputil import HTTPHeaders

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_DIR = os.path.join(HERE, "csv")
GETTEXT_DIR = os.path.join(HERE, "gettext")
DOMAIN = "squall"
UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)

# --------------------------------------------------------------------------- CSV files

ES_LA = """\
"January","enero"
"February","febrero"
"March","marzo"
"April","abril"
"May","mayo"
"June","junio"
"July","julio"
"August","agosto"
"September","septiembre"
"October","octubre"
"November","noviembre"
"December","diciembre"
"Monday","lunes"
"Tuesday","martes"
"Wednesday","miércoles"
"Thursday","jueves"
"Friday","viernes"
"Saturday","sábado"
"Sunday","domingo"
"1 second ago","hace 1 segundo","singular"
"%(seconds)d seconds ago","hace %(seconds)d segundos","plural"
"1 minute ago","hace 1 minuto","singular"
"%(minutes)d minutes ago","hace %(minutes)d minutos","plural"
"1 hour ago","hace 1 hora","singular"
"%(hours)d hours ago","hace %(hours)d horas","plural"
"yesterday","ayer"
"yesterday at %(time)s","ayer a las %(time)s"
"%(weekday)s at %(time)s","%(weekday)s a las %(time)s"
"%(month_name)s %(day)s","%(day)s de %(month_name)s"
"%(month_name)s %(day)s at %(time)s","%(day)s de %(month_name)s a las %(time)s"
"%(month_name)s %(day)s, %(year)s","%(day)s de %(month_name)s de %(year)s"
"%(month_name)s %(day)s, %(year)s at %(time)s","%(day)s de %(month_name)s de %(year)s a las %(time)s"
"%(weekday)s, %(month_name)s %(day)s","%(weekday)s %(day)s de %(month_name)s"
"%(commas)s and %(last)s","%(commas)s y %(last)s"
"Sign out","Cerrar sesión"
"%(name)s liked this","A %(name)s le gustó esto","singular"
"%(name)s liked this","A %(name)s les gustó esto","plural"
"I love you","Te amo",""
"I love you","Te quiero","unknown"

   "  padded  "  ,  " relleno "  ,
"Say ""hi"", please","Di ""hola"", por favor"
"two
lines","dos
líneas"
"glued"tail,"pegado"cola
unquoted "inner" quotes,comillas "internas"
only one column
"Empty translation",""
"Bogus","Falso","bogus"
"Weird %(x)s and %%","Raro %(x)s y %%"
"""

ZH_CN = """\
"January","一月"
"March","三月"
"Monday","星期一"
"Friday","星期五"
"yesterday at %(time)s","昨天 %(time)s"
"%(month_name)s %(day)s at %(time)s","%(month_name)s%(day)s日 %(time)s"
"%(month_name)s %(day)s, %(year)s at %(time)s","%(year)s年%(month_name)s%(day)s日 %(time)s"
"%(commas)s and %(last)s","%(commas)s和%(last)s"
"Sign out","登出"
"""

FR = """\
"Sign out","Se déconnecter"
"Monday","lundi"
"March","mars"
"%(month_name)s %(day)s","%(day)s %(month_name)s"
"%(month_name)s %(day)s at %(time)s","%(day)s %(month_name)s à %(time)s"
"%(name)s liked this","%(name)s a aimé ceci","singular"
"%(name)s liked this","%(name)s ont aimé ceci","plural"
"""

FA = """\
"Sign out","خروج"
"%(commas)s and %(last)s","%(commas)s و %(last)s"
"""

EN_GB = """\
"color","colour"
"""


def write_csv_files() -> None:
    shutil.rmtree(CSV_DIR, ignore_errors=True)
    os.makedirs(CSV_DIR)
    with open(os.path.join(CSV_DIR, "es_LA.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(ES_LA)
    # UTF-8 with a byte-order mark and Windows line endings, as Excel writes.
    with open(os.path.join(CSV_DIR, "zh_CN.csv"), "wb") as f:
        f.write(codecs.BOM_UTF8 + ZH_CN.replace("\n", "\r\n").encode("utf-8"))
    with open(os.path.join(CSV_DIR, "fr.csv"), "wb") as f:
        f.write(codecs.BOM_UTF16_LE + FR.encode("utf-16-le"))
    with open(os.path.join(CSV_DIR, "fa_IR.csv"), "wb") as f:
        f.write(codecs.BOM_UTF16_BE + FA.encode("utf-16-be"))
    with open(os.path.join(CSV_DIR, "en_GB.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(EN_GB)
    # Named like no locale: Tornado logs it and skips it.
    with open(os.path.join(CSV_DIR, "Spanish.csv"), "w", encoding="utf-8") as f:
        f.write('"Sign out","Salir"\n')
    with open(os.path.join(CSV_DIR, "README.txt"), "w", encoding="utf-8") as f:
        f.write("Not a translation file.\n")


# --------------------------------------------------------------------------- gettext catalogs

DE_PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Sign out"
msgstr "Abmelden"

msgid "March"
msgstr "März"

msgid "Monday"
msgstr "Montag"

msgid "%(month_name)s %(day)s at %(time)s"
msgstr "%(day)s. %(month_name)s um %(time)s"

msgid "yesterday at %(time)s"
msgstr "gestern um %(time)s"

msgid "1 minute ago"
msgid_plural "%(minutes)d minutes ago"
msgstr[0] "vor 1 Minute"
msgstr[1] "vor %(minutes)d Minuten"

msgid "%(name)s liked this"
msgid_plural "%(name)s liked this"
msgstr[0] "%(name)s gefällt das"
msgstr[1] "%(name)s gefällt das (viele)"

msgid "club"
msgid_plural "clubs"
msgstr[0] "Klub"
msgstr[1] "Klubs"

msgctxt "law"
msgid "right"
msgstr "Recht"

msgctxt "good"
msgid "right"
msgstr "richtig"

msgctxt "organization"
msgid "club"
msgid_plural "clubs"
msgstr[0] "Verein"
msgstr[1] "Vereine"

msgctxt "stick"
msgid "club"
msgid_plural "clubs"
msgstr[0] "Schläger"
msgstr[1] "Schläger (viele)"

msgid "only plural"
msgid_plural "only plurals"
msgstr[0] "nur Einzahl"
msgstr[1] "nur Mehrzahl"
'''

AR_PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;\n"

msgid "Sign out"
msgstr "خروج"

msgid "%(seconds)d seconds ago"
msgstr "منذ ثوان"

msgid "1 second ago"
msgid_plural "%(seconds)d seconds ago"
msgstr[0] "الآن"
msgstr[1] "منذ ثانية"
msgstr[2] "منذ ثانيتين"
msgstr[3] "منذ %(seconds)d ثوان"
msgstr[4] "منذ %(seconds)d ثانية"
msgstr[5] "منذ %(seconds)d ثانية (5)"

msgid "file"
msgid_plural "files"
msgstr[0] "لا ملفات"
msgstr[1] "ملف"
msgstr[2] "ملفان"
msgstr[3] "ملفات"
msgstr[4] "ملفا"
msgstr[5] "ملف (5)"
'''

# Written here, big-endian (GNU msgfmt only writes the machine's byte order).
RU_ENTRIES = {
    "": "Content-Type: text/plain; charset=UTF-8\n"
    "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n",
    "Sign out": "Выйти",
    "file\x00files": "файл\x00файла\x00файлов",
    "1 minute ago\x00%(minutes)d minutes ago": "1 минуту назад\x00%(minutes)d минуты назад\x00%(minutes)d минут назад",
    "law\x04right": "право",
}

# Written here, little-endian, charset ISO-8859-1, with no Plural-Forms header (English's rule applies).
PT_ENTRIES = {
    "": "Content-Type: text/plain; charset=ISO-8859-1\n",
    "Sign out": "Sair",
    "March": "Março",
    "file\x00files": "arquivo\x00arquivos",
}

# One plural form for every count; a context whose message has plural forms but no singular entry.
JA_ENTRIES = {
    "": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n",
    "Sign out": "ログアウト",
    "file\x00files": "ファイル",
    "organization\x04club\x00clubs": "クラブ",
}


def write_mo(path: str, entries: dict[str, str], charset: str, big_endian: bool) -> None:
    """Writes a .mo file as GNU msgfmt lays it out (sorted keys, no hash table)."""
    keys = sorted(entries, key=lambda k: k.encode(charset))
    ids = [k.encode(charset) for k in keys]
    strs = [entries[k].encode(charset) for k in keys]
    endian = ">" if big_endian else "<"
    count = len(keys)
    originals_at = 28
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    data = b""
    originals = []
    for text in ids:
        originals.append((len(text), data_at + len(data)))
        data += text + b"\0"
    translations = []
    for text in strs:
        translations.append((len(text), data_at + len(data)))
        data += text + b"\0"
    out = struct.pack(endian + "7I", 0x950412DE, 0, count, originals_at, translations_at, 0, 0)
    for length, offset in originals + translations:
        out += struct.pack(endian + "2I", length, offset)
    with open(path, "wb") as f:
        f.write(out + data)


def write_gettext_files() -> None:
    shutil.rmtree(GETTEXT_DIR, ignore_errors=True)
    for lang, po in (("de", DE_PO), ("ar", AR_PO)):
        directory = os.path.join(GETTEXT_DIR, lang, "LC_MESSAGES")
        os.makedirs(directory)
        with tempfile.NamedTemporaryFile("w", suffix=".po", encoding="utf-8", delete=False) as f:
            f.write(po)
        try:
            subprocess.run(["msgfmt", "-o", os.path.join(directory, DOMAIN + ".mo"), f.name], check=True)
        finally:
            os.unlink(f.name)
    for lang, entries, charset, big in (
        ("ru", RU_ENTRIES, "utf-8", True),
        ("pt_BR", PT_ENTRIES, "latin-1", False),
        ("ja", JA_ENTRIES, "utf-8", False),
    ):
        directory = os.path.join(GETTEXT_DIR, lang, "LC_MESSAGES")
        os.makedirs(directory)
        write_mo(os.path.join(directory, DOMAIN + ".mo"), entries, charset, big)
    # A catalog of another domain, which the loader must not pick up.
    os.makedirs(os.path.join(GETTEXT_DIR, "it", "LC_MESSAGES"))
    write_mo(os.path.join(GETTEXT_DIR, "it", "LC_MESSAGES", "other.mo"), {"Sign out": "Esci"}, "utf-8", False)


# --------------------------------------------------------------------------- running Tornado


def use_catalog(kind: str) -> None:
    """Loads one of the fixture catalogs into Tornado's module state (clearing its Locale cache)."""
    if kind == "none":
        empty = tempfile.mkdtemp()
        tornado.locale.load_translations(empty)
        os.rmdir(empty)
        tornado.locale._use_gettext = False
    elif kind == "csv":
        # Tornado detects the encoding of the first file it lists and then reads every other file with it
        # (its `encoding` variable is not reset per file), so a directory mixing UTF-8 and UTF-16 files only
        # loads in some listing orders. Each file is loaded on its own here, which is what Tornado means to do
        # and what Squall does.
        merged = {}
        for name in sorted(os.listdir(CSV_DIR)):
            single = tempfile.mkdtemp()
            shutil.copy(os.path.join(CSV_DIR, name), single)
            tornado.locale.load_translations(single)
            merged.update(tornado.locale._translations)
            shutil.rmtree(single)
        tornado.locale._translations = merged
        tornado.locale._use_gettext = False
    elif kind == "gettext":
        tornado.locale.load_gettext_translations(GETTEXT_DIR, DOMAIN)
    tornado.locale.set_default_locale("en_US")
    tornado.locale.Locale._cache = {}


def locale_for(kind: str, code: str):
    """The locale a fixture runs on: in the "none" catalog any code, as a CSVLocale without translations
    (Tornado's Locale.get only accepts supported codes); elsewhere the catalog's exact locale."""
    if kind == "none":
        return tornado.locale.CSVLocale(code, {})
    locale = tornado.locale.get(code)
    assert locale.code == code, (kind, code, locale.code)
    return locale


def dt(micros: int) -> datetime.datetime:
    return EPOCH + datetime.timedelta(microseconds=micros)


def micros(value: datetime.datetime) -> int:
    delta = value - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def format_date(locale, date_us: int, now_us: int, **options) -> str:
    frozen = dt(now_us)

    class FrozenDateTime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return frozen

    fake = types.SimpleNamespace(
        datetime=FrozenDateTime, timedelta=datetime.timedelta, UTC=datetime.UTC
    )
    with mock.patch.object(tornado.locale, "datetime", fake):
        return locale.format_date(dt(date_us), **options)


NOWS = [
    datetime.datetime(2024, 3, 15, 14, 30, 0, tzinfo=UTC),  # a Friday afternoon
    datetime.datetime(2024, 1, 1, 0, 10, 5, 250000, tzinfo=UTC),  # just after midnight on New Year's Day
    datetime.datetime(2023, 7, 9, 23, 59, 59, 999999, tzinfo=UTC),  # a Sunday, a microsecond before midnight
]

DELTAS = [
    0, 1, 2, 49, 50, 59, 60, 89, 90, 91, 149, 150, 151, 2999, 3000, 3001, 5399, 5400, 9000, 12600,
    43200, 86399, 86400, 86401, 90000, 129600, 172799, 172800, 259200, 345600, 431999, 432000,
    864000, 2592000, 28771200, 28857599, 28857600, 31536000, 94608000, 3153600000,
    -1, -30, -59, -60, -61, -3600, -86400 * 400,
]
OFFSETS = [0, -60, 300, -330, 720, -840]


def date_case(kind: str, locale, date_us: int, now_us: int, offset: int, options: dict) -> list:
    """One format_date fixture, as a compact row: catalog, code, date and now (microseconds since the epoch),
    gmt_offset, option bits (1 relative, 2 shorter, 4 full_format), and Tornado's answer."""
    bits = (1 if options["relative"] else 0) | (2 if options["shorter"] else 0) | (4 if options["full_format"] else 0)
    expected = format_date(locale, date_us, now_us, gmt_offset=offset, **options)
    return [kind, locale.code, date_us, now_us, offset, bits, expected]


def date_cases() -> list[list]:
    cases = []
    every_option = [
        {"relative": r, "shorter": s, "full_format": f} for r in (True, False) for s in (False, True) for f in (False, True)
    ]
    some_options = [
        {"relative": True, "shorter": False, "full_format": False},
        {"relative": False, "shorter": True, "full_format": False},
        {"relative": True, "shorter": False, "full_format": True},
    ]
    # The whole cross product for one locale of each catalog, a slice for the others.
    plans = [
        ("none", "en_US", NOWS, [0, -60, 300], every_option),
        ("none", "en", NOWS[:1], [0, -330], some_options),
        ("none", "en_GB", NOWS[:1], [0, 720], some_options),
        ("none", "zh_CN", NOWS[:1], [0, -840], some_options),
        ("none", "fa_IR", NOWS[:1], [0, -210], some_options),
        ("none", "de_DE", NOWS[:1], [0, 60], some_options),
        ("csv", "es_LA", NOWS[:2], [0, 300], every_option),
        ("csv", "zh_CN", NOWS[:1], [0, -480], some_options),
        ("csv", "fr", NOWS[:1], [0, -60], some_options),
        ("csv", "en_GB", NOWS[2:], [0, -60], some_options),
        ("gettext", "de", NOWS[1:2], [0, -120], every_option),
        ("gettext", "ar", NOWS[:1], [0], some_options),
        ("gettext", "ru", NOWS[:1], [0], some_options),
        ("gettext", "pt_BR", NOWS[:1], [0], some_options),
        ("gettext", "ja", NOWS[:1], [0], some_options),
    ]
    for kind, code, nows, offsets, option_sets in plans:
        use_catalog(kind)
        locale = locale_for(kind, code)
        for now in nows:
            now_us = micros(now)
            for delta in DELTAS:
                for offset in offsets:
                    for options in option_sets:
                        cases.append(date_case(kind, locale, now_us - delta * 1_000_000, now_us, offset, options))
    # Fractions of a second and the edges of Python's datetime range.
    use_catalog("none")
    locale = tornado.locale.get("en_US")
    now_us = micros(NOWS[0])
    edges = [
        now_us - 1,
        now_us - 999_999,
        now_us - 50_000_001,
        now_us + 1,
        micros(datetime.datetime(1, 1, 1, tzinfo=UTC)),
        micros(datetime.datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC)),
        micros(datetime.datetime(2000, 2, 29, 12, 0, tzinfo=UTC)),
    ]
    for date_us in edges:
        for relative in (True, False):
            options = {"relative": relative, "shorter": False, "full_format": False}
            cases.append(date_case("none", locale, date_us, now_us, 0, options))
    return cases


def day_cases() -> list[dict]:
    cases = []
    days = [
        datetime.datetime(2024, 1, 22, 10, 0, tzinfo=UTC),
        datetime.datetime(2024, 2, 29, 0, 30, tzinfo=UTC),
        datetime.datetime(2023, 12, 31, 23, 30, tzinfo=UTC),
        datetime.datetime(1999, 3, 1, 0, 0, tzinfo=UTC),
        datetime.datetime(1960, 6, 15, 12, 0, tzinfo=UTC),
    ]
    for kind, codes in (("none", ["en_US", "zh_CN"]), ("csv", ["es_LA", "fr"]), ("gettext", ["de", "pt_BR"])):
        use_catalog(kind)
        for code in codes:
            locale = locale_for(kind, code)
            for day in days:
                for offset in (0, -60, 60, -600):
                    for dow in (True, False):
                        # format_day takes a naive UTC datetime.
                        naive = day.replace(tzinfo=None)
                        cases.append(
                            {
                                "catalog": kind, "code": locale.code, "date": micros(day), "gmtOffset": offset,
                                "dow": dow, "expected": locale.format_day(naive, gmt_offset=offset, dow=dow),
                            }
                        )
    return cases


def list_and_number_cases() -> tuple[list[dict], list[dict]]:
    lists, numbers = [], []
    part_sets = [[], ["A"], ["A", "B"], ["A", "B", "C"], ["x", "y", "z", "w"], ["", ""], ["a, b", "c"]]
    values = [0, 7, -7, 12, 123, -123, 1234, -1234, 12345, 123456, 1234567, -1234567, 10**12, 2**63 - 1, -(2**63)]
    for kind, codes in (
        ("none", ["en_US", "en", "fa_IR", "fa", "de_DE", "zh_CN"]),
        ("csv", ["es_LA", "zh_CN", "fa_IR"]),
        ("gettext", ["de"]),
    ):
        use_catalog(kind)
        for code in codes:
            locale = locale_for(kind, code)
            for parts in part_sets:
                lists.append({"catalog": kind, "code": code, "parts": parts, "expected": locale.list(parts)})
            for value in values:
                numbers.append({"catalog": kind, "code": code, "value": value, "expected": locale.friendly_number(value)})
    return lists, numbers


GET_CODES = [
    [], [""], ["es_LA"], ["es-la"], ["ES_la"], ["es"], ["es_MX"], ["fr_CA"], ["fr"], ["FR"], ["zh_CN"], ["zh-cn"],
    ["zh_TW"], ["zh"], ["en_GB"], ["en"], ["en_US"], ["xx", "fr"], ["xx_YY_ZZ", "fr"], ["es_LA_x"], ["de"],
    ["de_AT"], ["ru"], ["ru-RU"], ["pt_BR"], ["pt"], ["pt-br"], ["ja_JP"], ["it"], ["ar_EG"], ["fa"], ["fa_IR"],
    ["Spanish"], ["_LA"], ["es_"], ["en ", "fr"], [" fr"], ["de", "es_LA"], ["es_LA", "de"],
]


def get_cases() -> list[dict]:
    cases = []
    for kind in ("none", "csv", "gettext"):
        use_catalog(kind)
        supported = sorted(tornado.locale.get_supported_locales())
        for codes in GET_CODES:
            cases.append({"catalog": kind, "codes": codes, "expected": tornado.locale.get(*codes).code})
        cases.append({"catalog": kind, "codes": ["<supported>"], "expected": ",".join(supported)})
        for default in ("fr", "de", "xx_YY"):
            tornado.locale.set_default_locale(default)
            tornado.locale.Locale._cache = {}
            for codes in (["it"], ["es"], []):
                cases.append(
                    {"catalog": kind, "default": default, "codes": codes, "expected": tornado.locale.get(*codes).code}
                )
            cases.append(
                {
                    "catalog": kind, "default": default, "codes": ["<supported>"],
                    "expected": ",".join(sorted(tornado.locale.get_supported_locales())),
                }
            )
        tornado.locale.set_default_locale("en_US")
    return cases


MESSAGES = [
    ("Sign out", None), ("Not translated", None), ("I love you", None), ("padded", None), ('"  padded  "', None), ("Say \"hi\", please", None),
    ("two\nlines", None), ("glued\"tail", None), ("gluedtail", None), ("unquoted \"inner\" quotes", None),
    ("Empty translation", None), ("Bogus", None), ("March", None), ("Monday", None), ("right", None),
    ("%(name)s liked this", "%(name)s liked this"), ("1 minute ago", "%(minutes)d minutes ago"),
    ("1 second ago", "%(seconds)d seconds ago"), ("file", "files"), ("club", "clubs"), ("only plural", None),
    ("only plural", "only plurals"), ("%(seconds)d seconds ago", None), ("", None), ("law\x04right", None),
    ("Nope", "Nopes"),
]
COUNTS = [0, 1, 2, 3, 4, 5, 10, 11, 12, 21, 22, 25, 100, 101, 102, 103, 111, 112, 1000001, -1]
CONTEXTS = [("law", "right", None), ("good", "right", None), ("nope", "right", None), ("law", "Sign out", None),
            ("organization", "club", "clubs"), ("stick", "club", "clubs"), ("nope", "club", "clubs"),
            ("nope", "file", "files"), ("organization", "Sign out", "Sign outs")]


def translate_cases() -> tuple[list[dict], list[dict]]:
    translations, contexts = [], []
    for kind, codes in (
        ("none", ["en_US", "es_LA"]),
        ("csv", ["es_LA", "fr", "zh_CN", "en_US"]),
        ("gettext", ["de", "ar", "ru", "pt_BR", "ja", "en_US"]),
    ):
        use_catalog(kind)
        for code in codes:
            locale = locale_for(kind, code)
            for message, plural in MESSAGES:
                if plural is None:
                    translations.append({"catalog": kind, "code": code, "message": message,
                                         "expected": locale.translate(message)})
                else:
                    for count in COUNTS:
                        translations.append({"catalog": kind, "code": code, "message": message, "plural": plural,
                                             "count": count, "expected": locale.translate(message, plural, count)})
            for context, message, plural in CONTEXTS:
                if plural is None:
                    contexts.append({"catalog": kind, "code": code, "context": context, "message": message,
                                     "expected": locale.pgettext(context, message)})
                else:
                    for count in COUNTS:
                        contexts.append({"catalog": kind, "code": code, "context": context, "message": message,
                                         "plural": plural, "count": count,
                                         "expected": locale.pgettext(context, message, plural, count)})
    return translations, contexts


ACCEPT_LANGUAGE = [
    None, "", "es", "es-LA", "fr-CA,fr;q=0.8", "en-US,en;q=0.9,es;q=0.8", "de;q=0.5,es_LA;q=0.9,fr",
    "fr;q=0.5, es;q=0.5, zh-CN;q=0.5", "es;q=0,fr;q=0.1", "es;q=-1,fr;q=0.2", "es;q=abc,fr;q=0.3", "es;q=,fr",
    "es;q=nan,fr;q=0.1", "es;q=inf,fr", "es;q=1e-3,fr;q=1E-4", "es;q=1_0,fr;q=2", "es;q= 0.5 ,fr;q=0.4",
    "es; q=0.5, fr ; q=0.9", "es;level=1;q=0.2,fr;q=0.1", "es;Q=0.1,fr;q=0.2", "*", "*;q=0.5,es;q=0.4", ",,,",
    " , es", "xx,yy;q=0.5", "zh-TW,zh;q=0.9", "pt-br;q=.5,de;q=.6", "es;q=0.5;q=0.9,fr;q=0.6",
    "es;q=0.8,fr;q=0.8,zh_CN;q=0.9", "es;q=+0.5,fr;q=0.4", "es;q=0x1,fr;q=0.1", "es;q=1.,fr;q=0.9",
    "es;q=.,fr;q=0.1", "fr;q=1.0000001,es", "es;q=infinity,fr;q=INF", "es;q=0.5e1,fr;q=4",
]


def accept_language_cases() -> list[dict]:
    cases = []
    for kind in ("none", "csv", "gettext"):
        use_catalog(kind)
        for header in ACCEPT_LANGUAGE:
            headers = HTTPHeaders()
            if header is not None:
                headers["Accept-Language"] = header
            handler = types.SimpleNamespace(request=types.SimpleNamespace(headers=headers))
            seen = []
            real_get = tornado.locale.get

            def spy(*codes):
                seen.append(list(codes))
                return real_get(*codes)

            with mock.patch.object(tornado.web.locale, "get", spy):
                chosen = tornado.web.RequestHandler.get_browser_locale(handler, "zz_DEFAULT").code
            # Tornado calls get(*codes) for a usable header and get(default) otherwise.
            codes = [] if seen[0] == ["zz_DEFAULT"] else seen[0]
            cases.append({"catalog": kind, "header": header, "codes": codes, "expected": chosen})
    return cases


PLURAL_EXPRESSIONS = [
    "n != 1", "(n != 1)", "0", "n", "n>1", "n==1 ? 0 : 1", "!n == 1", "!n", "!!n", "n || 2", "n && 3",
    "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2",
    "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5",
    "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2", "n/2", "n/0", "n%0", "7 - n*2", "(7 - n) % 3", "(7 - n) / 3",
    "1 < 2 < 3", "3 > 2 > 1", "n == 1 == 0", "n > 1 ? n > 5 ? 2 : 1 : 0", "n ? : 1", "n +", "(n", "n)", "x",
    "n = 1", "1 ? 2", "nn", "12n", "n\t!=\t1", "n != 1;", "-1", "n - -1", "((((((((((((((((((((((n))))))))))))))))))))))",
    "n > 1 && !n", "!n || n > 4", "2 * 3 + n % 4 - 1", "n%100/10==1 ? 2 : n%10==1 ? 0 : 1",
]
PLURAL_NS = [0, 1, 2, 3, 4, 5, 7, 10, 11, 12, 14, 21, 22, 100, 101, 111, 112, 1001, 1000000]


def plural_cases() -> list[dict]:
    cases = []
    for expression in PLURAL_EXPRESSIONS:
        try:
            rule = gettext.c2py(expression)
        except (ValueError, SyntaxError):
            cases.append({"expression": expression, "valid": False, "forms": []})
            continue
        forms = []
        for n in PLURAL_NS:
            try:
                forms.append(rule(n))
            except ZeroDivisionError:
                forms.append(None)
        cases.append({"expression": expression, "valid": True, "forms": forms})
    return cases


def main() -> None:
    write_csv_files()
    write_gettext_files()
    # Locale.get asserts the code is supported; the names fixture needs arbitrary codes.
    tornado.locale._supported_locales = frozenset()
    lists, numbers = list_and_number_cases()
    translations, contexts = translate_cases()
    names = []
    for code in ("en_US", "es_LA", "fa_IR", "ar_AR", "he_IL", "zh_CN", "xx", "fa", "arq", "he"):
        tornado.locale.Locale._cache = {}
        tornado.locale._supported_locales = frozenset([code])
        locale = tornado.locale.Locale.get(code)
        names.append({"code": code, "name": locale.name, "rtl": locale.rtl})
    fixtures = {
        "generator": "Tornado %s on Python %s" % (tornado.version, platform.python_version()),
        "formatDate": date_cases(),
        "formatDay": day_cases(),
        "list": lists,
        "friendlyNumber": numbers,
        "get": get_cases(),
        "translate": translations,
        "pgettext": contexts,
        "acceptLanguage": accept_language_cases(),
        "plural": plural_cases(),
        "names": names,
    }
    with open(os.path.join(HERE, "locale_fixtures.json"), "w", encoding="utf-8") as f:
        json.dump(fixtures, f, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print({key: len(value) for key, value in fixtures.items() if isinstance(value, list)})


if __name__ == "__main__":
    main()
