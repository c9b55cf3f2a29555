"""A headless dashboard for the monitor-overhead benchmark: attaches to a Squall monitor's WebSocket as squall-top
does (bearer token, the squall-monitor.v1 subprotocol), subscribes to every view at a rate, and reads what arrives.

    python dashboard_client.py --port ADMIN_PORT --token TOKEN [--rate 10] [--seconds 600]

Prints `ATTACHED` once the first snapshot arrives, and on exit (SIGTERM, SIGINT or after --seconds) one line:
`DASHBOARD updates=N logs=N log_entries=N frames=N bytes=N dropped=N`. Loopback only.
"""

import argparse
import asyncio
import json
import signal
import sys

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args()

    request = HTTPRequest(
        f"ws://127.0.0.1:{args.port}/ws",
        headers={"Authorization": f"Bearer {args.token}", "Sec-WebSocket-Protocol": "squall-monitor.v1"},
    )
    connection = await websocket_connect(request, max_message_size=64 * 1024 * 1024)
    hello = json.loads(await connection.read_message())
    if hello.get("type") != "hello":
        print(f"expected hello, got {hello.get('type')}", file=sys.stderr)
        return 1
    # What squall-top asks for by default: every view, a page of rows, the whole log stream.
    subscription = {
        "rate": args.rate,
        "views": ["connections", "websockets", "handlers", "loops", "logs"],
        "connections": {"sort": "id", "descending": False, "filter": "", "offset": 0, "limit": 500},
        "webSockets": {"sort": "id", "descending": False, "filter": "", "offset": 0, "limit": 500},
        "logs": {"text": "", "statusClasses": [], "method": None, "route": None, "includeApp": True, "backlog": 500},
        "detailConnection": None,
        "frameTail": None,
    }
    await connection.write_message(json.dumps({"type": "subscribe", "data": subscription}))

    counts = {"updates": 0, "logs": 0, "log_entries": 0, "frames": 0, "bytes": 0, "dropped": 0}
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.call_later(args.seconds, stop.set)

    async def read() -> None:
        attached = False
        while True:
            raw = await connection.read_message()
            if raw is None:
                stop.set()
                return
            counts["bytes"] += len(raw)
            message = json.loads(raw)
            kind = message.get("type")
            if kind in ("snapshot", "update"):
                if not attached:
                    print("ATTACHED", flush=True)
                    attached = True
                if kind == "update":
                    counts["updates"] += 1
                    counts["dropped"] = message["data"].get("logsDropped", 0)
            elif kind == "logs":
                counts["logs"] += 1
                counts["log_entries"] += len(message["data"].get("entries", []))
            elif kind == "frames":
                counts["frames"] += 1

    reader = asyncio.ensure_future(read())
    await stop.wait()
    reader.cancel()
    connection.close()
    print("DASHBOARD " + " ".join(f"{k}={v}" for k, v in counts.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
