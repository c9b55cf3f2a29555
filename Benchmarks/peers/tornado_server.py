"""Tornado's side of the HTTP benchmark: a minimal Tornado 6.6.1 app, one process, one IOLoop.

    GET /plaintext -> 200 "Hello, World!" (text/plain)
    GET /json      -> 200 {"message": "Hello, World!"} (application/json, Tornado's write(dict))

Listens on 127.0.0.1, port from --port or env PORT (0 or unset: a free port), prints "READY <port>" once
accepting and runs until killed. Tornado's defaults stay on (Server, Date and Etag headers), as an app
would have them. Run by Benchmarks/http.sh from the venv it makes (tornado==6.6.1).
"""

import argparse
import asyncio
import os

import tornado.httpserver
import tornado.netutil
import tornado.web


class PlaintextHandler(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("Hello, World!")


class JSONHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({"message": "Hello, World!"})


async def serve(port):
    app = tornado.web.Application([(r"/plaintext", PlaintextHandler), (r"/json", JSONHandler)])
    sockets = tornado.netutil.bind_sockets(port, address="127.0.0.1")
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    print(f"READY {sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 0))
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
