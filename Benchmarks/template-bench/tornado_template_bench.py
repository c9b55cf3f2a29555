"""Tornado's side of the template benchmark: renders templates/page.html (1,000 rows through row.html) with
Tornado's compiled template, the same data as template-bench, and prints `RESULT renders_per_sec=...`.

Usage: python tornado_template_bench.py RENDERS OUTPUT_FILE
"""

import os
import sys
import time

from tornado import template

HERE = os.path.dirname(os.path.abspath(__file__))


def rows():
    return [
        {
            "id": i,
            "name": "User <%d> & Co. \"%s\"" % (i, "x" * (i % 7)),
            "email": "user%d@example.com" % i,
            "active": i % 3 != 0,
            "score": i * 1.25,
        }
        for i in range(1000)
    ]


def main():
    renders = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    out_path = sys.argv[2] if len(sys.argv) > 2 else None
    loader = template.Loader(os.path.join(HERE, "templates"))
    page = loader.load("page.html")
    data = {"title": "Users & <friends>", "rows": rows()}
    output = page.generate(**data)
    for _ in range(max(1, renders // 10)):
        page.generate(**data)
    start = time.perf_counter()
    for _ in range(renders):
        page.generate(**data)
    elapsed = time.perf_counter() - start
    if out_path:
        with open(out_path, "wb") as f:
            f.write(output)
    print("RESULT renders_per_sec=%.1f renders=%d seconds=%.3f bytes=%d" % (renders / elapsed, renders, elapsed, len(output)))


main()
