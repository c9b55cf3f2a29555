#!/usr/bin/env python3
"""A small stand-in for a Squall server's monitor, speaking SquallMonitorProtocol v1 (docs/monitor-protocol.md).

It listens for "application" TCP connections on one port and serves the dashboard WebSocket on another, so
squall-top can be developed and tested without the real server: connections to the app port appear in the
connection table, `killConnection` really closes them (the client sees EOF), the log stream carries a line
per accepted connection, and commands are acknowledged like the real monitor does.

Usage: fake_monitor.py [--token T] [--version N]   (prints "monitor: ws://127.0.0.1:PORT/ws token=T" and
"app: 127.0.0.1:PORT", then serves until killed). Needs the `websockets` package.
"""
import argparse
import asyncio
import json
import os
import time

from websockets.asyncio.server import serve

START = time.time()
conns = {}  # id -> dict(writer, peer, accepted, last, bytes_in)
next_id = [1]
log_seq = [0]
logs = []
paused = [False]
clients = set()


def log(level, message, **extra):
    log_seq[0] += 1
    entry = {"seq": log_seq[0], "time": time.time(), "kind": "app", "level": level, "message": message}
    entry.update(extra)
    logs.append(entry)
    del logs[:-500]
    for queue in list(clients):
        queue.put_nowait(entry)


async def app_client(reader, writer):
    cid = next_id[0]
    next_id[0] += 1
    peer = "%s:%d" % writer.get_extra_info("peername")[:2]
    conns[cid] = {"writer": writer, "peer": peer, "accepted": time.time(), "last": time.time(), "bytes_in": 0}
    log("info", "accepted connection %d from %s" % (cid, peer), connectionID=cid)
    try:
        while True:
            data = await reader.read(4096)
            if not data:
                break
            conns[cid]["bytes_in"] += len(data)
            conns[cid]["last"] = time.time()
    except (ConnectionError, OSError):
        pass
    finally:
        conns.pop(cid, None)
        writer.close()


def row(cid, c, now):
    return {
        "id": cid, "loop": cid % 2, "peer": c["peer"], "local": "127.0.0.1:0", "state": "idle",
        "age": now - c["accepted"], "idle": now - c["last"], "bytesIn": c["bytes_in"], "bytesOut": 0,
        "requests": 0,
    }


def snapshot(sub):
    now = time.time()
    rows = [row(cid, c, now) for cid, c in sorted(conns.items())]
    q = sub.get("connections", {})
    text = q.get("filter", "").lower()
    if text:
        rows = [r for r in rows if text in r["peer"].lower() or text in r["state"]]
    limit = q.get("limit", 200)
    return {
        "serverTime": now,
        "process": {"uptime": now - START, "rssBytes": 12 << 20, "cpuSeconds": time.process_time(), "openFiles": 9},
        "totals": {"requests": 0, "clientErrors": 0, "serverErrors": 0, "requestRate": 0, "errorRate": 0,
                   "activeRequests": 0, "openConnections": len(conns), "openWebSockets": 0,
                   "acceptedConnections": next_id[0] - 1, "acceptingPaused": paused[0]},
        "loops": [{"index": i, "current": 0.0002, "p99": 0.0005, "max": 0.001, "history": [0.0002] * 30,
                   "connections": 0} for i in range(2)],
        "connections": {"total": len(rows), "offset": 0, "rows": rows[:limit]},
        "webSockets": {"total": 0, "offset": 0, "rows": []},
        "handlers": [],
        "logsDropped": 0,
    }


async def dashboard(ws, version):
    queue = asyncio.Queue()
    clients.add(queue)
    sub = {"rate": 4}
    hello = {"protocolVersion": version, "server": {
        "program": "fake-monitor", "pid": os.getpid(), "version": "0.0.0-fake", "addresses": [APP_ADDRESS[0]],
        "startedAt": START, "loops": 2, "readOnly": False, "framePreviews": False}}
    await ws.send(json.dumps({"type": "hello", "data": hello}))

    async def pump():
        while True:
            await asyncio.sleep(1 / max(0.1, min(20, sub.get("rate", 4))))
            await ws.send(json.dumps({"type": "update", "data": snapshot(sub)}))
            batch = []
            while not queue.empty():
                batch.append(queue.get_nowait())
            if batch:
                await ws.send(json.dumps({"type": "logs", "data": {"entries": batch, "dropped": 0}}))

    pumping = None
    try:
        async for text in ws:
            msg = json.loads(text)
            if msg["type"] == "subscribe":
                sub = msg["data"]
                await ws.send(json.dumps({"type": "snapshot", "data": snapshot(sub)}))
                backlog = logs[-sub.get("logs", {}).get("backlog", 200):]
                if backlog:
                    await ws.send(json.dumps({"type": "logs", "data": {"entries": backlog, "dropped": 0}}))
                if pumping is None:
                    pumping = asyncio.create_task(pump())
            elif msg["type"] == "command":
                await ws.send(json.dumps(command(msg["data"])))
    finally:
        clients.discard(queue)
        if pumping:
            pumping.cancel()


def command(cmd):
    action = cmd["action"]
    name = action["action"]
    if name == "killConnection":
        c = conns.get(action["id"])
        if c is None:
            return {"type": "error", "data": {"commandID": cmd["id"], "code": "notFound",
                                              "message": "no connection %d" % action["id"]}}
        c["writer"].close()
        log("warning", "audit: killed connection %d" % action["id"])
        return {"type": "ack", "data": {"commandID": cmd["id"], "message": "closed connection %d (%s)" % (action["id"], c["peer"]),
                                        "count": 1, "ids": [action["id"]]}}
    if name == "killSlow":
        return {"type": "ack", "data": {"commandID": cmd["id"], "message": "no slow requests", "count": 0, "ids": []}}
    if name in ("pauseAccepting", "resumeAccepting"):
        paused[0] = name == "pauseAccepting"
        return {"type": "ack", "data": {"commandID": cmd["id"], "message": name, "ids": []}}
    if name == "setLogLevel":
        return {"type": "ack", "data": {"commandID": cmd["id"], "message": "log level " + action["level"], "ids": []}}
    return {"type": "error", "data": {"commandID": cmd["id"], "code": "unknownType", "message": "unsupported " + name}}


APP_ADDRESS = ["127.0.0.1:0"]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", default="fake-token")
    parser.add_argument("--version", type=int, default=1)
    args = parser.parse_args()

    app = await asyncio.start_server(app_client, "127.0.0.1", 0)
    APP_ADDRESS[0] = "127.0.0.1:%d" % app.sockets[0].getsockname()[1]

    def check(connection, request):
        if request.headers.get("Authorization") != "Bearer " + args.token:
            return connection.respond(401, "bad token\n")
        return None

    async with serve(lambda ws: dashboard(ws, args.version), "127.0.0.1", 0, process_request=check,
                     subprotocols=["squall-monitor.v1"]) as server:
        port = list(server.sockets)[0].getsockname()[1]
        print("monitor: ws://127.0.0.1:%d/ws token=%s" % (port, args.token), flush=True)
        print("app: %s" % APP_ADDRESS[0], flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
