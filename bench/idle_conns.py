#!/usr/bin/env python3
"""Open N HTTP/1.1 keep-alive connections, make one request on each, then hold them idle.

  idle_conns.py [--host 127.0.0.1] [--port 8080] [-n 10000] [--parallel 50] [--deadline 300]

Every connection sends one `GET /`, reads the whole response (Content-Length or chunked)
and then sits idle. At most --parallel connections are being opened at any moment, which
keeps the proxy's pool of origin connections small. When every connection has been tried
it prints

  HOLDING <held> <failed> [last error]

and holds them until SIGTERM, SIGINT or SIGUSR1 arrives, or until --deadline seconds after
its start, whichever is first. Then it closes them all and prints `CLOSED <held>`.
The deadline bounds the whole run, opening included.
"""
import argparse
import asyncio
import resource
import signal
import sys
import time


async def one_request(host, port, request, timeout):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(request)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        lines = head.decode("latin-1").split("\r\n")
        status = lines[0].split(" ", 2)[1] if len(lines[0].split(" ")) > 1 else "?"
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            await asyncio.wait_for(reader.readuntil(b"0\r\n\r\n"), timeout)
        elif int(headers.get("content-length", "0")):
            await asyncio.wait_for(reader.readexactly(int(headers["content-length"])), timeout)
        if not status.startswith("2"):
            raise RuntimeError("status " + status)
        if headers.get("connection", "").lower() == "close":
            raise RuntimeError("server closes the connection after the response")
        return writer
    except BaseException:
        writer.close()
        raise


async def run(a):
    loop = asyncio.get_running_loop()
    end = time.monotonic() + a.deadline
    release = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1):
        loop.add_signal_handler(sig, release.set)

    request = ("GET / HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: sluice-bench-idle\r\n\r\n"
               % (a.host, a.port)).encode()
    held, failures = [], []
    gate = asyncio.Semaphore(a.parallel)

    async def open_one():
        async with gate:
            if release.is_set():
                return
            try:
                held.append(await one_request(a.host, a.port, request, a.timeout))
            except Exception as e:  # count every failure, report the last one
                failures.append(repr(e))

    tasks = [asyncio.ensure_future(open_one()) for _ in range(a.n)]
    opening = asyncio.ensure_future(asyncio.gather(*tasks))
    stop = asyncio.ensure_future(release.wait())
    await asyncio.wait({opening, stop}, timeout=max(0.1, end - time.monotonic()),
                       return_when=asyncio.FIRST_COMPLETED)
    if not opening.done():
        for t in tasks:
            t.cancel()
        await asyncio.gather(opening, return_exceptions=True)
        print("# stopped before every connection was tried", file=sys.stderr, flush=True)

    last = (" " + failures[-1]) if failures else ""
    print("HOLDING %d %d%s" % (len(held), len(failures), last), flush=True)
    try:
        await asyncio.wait_for(stop, max(0.1, end - time.monotonic()))
    except asyncio.TimeoutError:
        print("# deadline reached, closing", file=sys.stderr, flush=True)

    for w in held:
        w.close()
    await asyncio.sleep(0.2)
    print("CLOSED %d" % len(held), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("-n", type=int, default=10000, help="connections to open and hold")
    ap.add_argument("--parallel", type=int, default=50, help="connections being opened at once")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds for one connect or read")
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds for the whole run")
    a = ap.parse_args()

    # one descriptor per connection, plus a few
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = a.n + 64
    if soft != resource.RLIM_INFINITY and soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            sys.exit("need %d file descriptors, the hard limit is %d" % (want, hard))
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    asyncio.run(run(a))


if __name__ == "__main__":
    main()
