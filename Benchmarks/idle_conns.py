#!/usr/bin/env python3
"""Holds N idle HTTP/1.1 keep-alive connections open to a local server (for Benchmarks/top-cpu.sh).

Each connection sends one `GET PATH`, reads the whole response (Content-Length), and then stays open and idle
until the hold time is over, the process gets SIGTERM/SIGINT, or standard input is closed (when --stdin-eof is
given). Connections are opened at most --parallel at a time, so the server's accept backlog never overflows.

Prints, on standard output:
  READY opened=N failed=F seconds=S        once every connection was tried
  DROPPED n                                whenever the server closed connections (n so far), at most 1/s
  RESULT opened=N failed=F dropped=D       at the end

Only 127.0.0.1 (or another --host given explicitly) is contacted. Standard library only.
"""
import argparse
import asyncio
import resource
import signal
import sys
import time


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft


async def open_one(host, port, path, timeout):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    status = head.split(b"\r\n", 1)[0]
    if status.split(b" ")[1:2] != [b"200"]:
        raise RuntimeError(f"unexpected status line {status!r}")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await asyncio.wait_for(reader.readexactly(length), timeout)
    return reader, writer


async def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--conns", type=int, default=10000)
    p.add_argument("--path", default="/api/status")
    p.add_argument("--parallel", type=int, default=64, help="connections being opened at once")
    p.add_argument("--hold", type=float, default=300, help="seconds to hold the connections, at most")
    p.add_argument("--timeout", type=float, default=10, help="seconds per connect and response")
    p.add_argument("--stdin-eof", action="store_true", help="also stop when standard input is closed")
    args = p.parse_args()

    limit = raise_fd_limit(args.conns + 64)
    if limit < args.conns + 16:
        print(f"ERROR open-file limit {limit} is too low for {args.conns} connections", flush=True)
        return 2

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.stdin_eof:
        def on_stdin():
            if not sys.stdin.buffer.read1(4096):
                loop.remove_reader(sys.stdin.fileno())
                stop.set()
        loop.add_reader(sys.stdin.fileno(), on_stdin)

    started = time.monotonic()
    gate = asyncio.Semaphore(args.parallel)
    held = []
    failures = []

    async def guarded():
        async with gate:
            try:
                held.append(await open_one(args.host, args.port, args.path, args.timeout))
            except Exception as e:  # a failed connection is counted, not fatal
                failures.append(repr(e))

    await asyncio.gather(*(guarded() for _ in range(args.conns)))
    print(f"READY opened={len(held)} failed={len(failures)} seconds={time.monotonic() - started:.1f}", flush=True)
    if failures:
        print(f"first failure: {failures[0]}", file=sys.stderr, flush=True)

    dropped = 0

    async def watch(reader):
        nonlocal dropped
        try:
            data = await reader.read(65536)
            while data:  # unexpected bytes: keep reading until EOF
                data = await reader.read(65536)
        except Exception:
            pass
        dropped += 1

    watchers = [asyncio.create_task(watch(r)) for r, _ in held]
    deadline = started + args.hold
    reported = 0
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            await asyncio.wait_for(stop.wait(), min(1.0, max(0.01, deadline - time.monotonic())))
        except asyncio.TimeoutError:
            pass
        if dropped != reported:
            reported = dropped
            print(f"DROPPED {dropped}", flush=True)
    for w in watchers:
        w.cancel()
    for _, writer in held:
        writer.close()
    print(f"RESULT opened={len(held)} failed={len(failures)} dropped={dropped}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
