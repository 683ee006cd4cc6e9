#!/usr/bin/env python3
"""An HTTP/1.1 origin that reads every request body to the end before it answers.

  upload_sink.py [--host 127.0.0.1] [--port 9001] [--log FILE]

transfer.sh puts it where the origin usually is, for the uploads. nginx's `return 200`
answers as soon as the head has come and drops the body as it arrives; a proxy that sees
the response complete may then stop forwarding the body (nginx does), and the upload
would measure nothing. This sink answers only once the whole body (Content-Length or
chunked) is read, with the byte count in the response, and appends one line per request
to --log:

  <method> <path> <body bytes read> <seconds from head to last body byte>

Any GET answers 200 with a short body, so the start-up checks pass. One thread per
connection, keep-alive; bodies are read into one reused buffer and discarded.
"""
import argparse
import socket
import sys
import threading
import time

CHUNK = 1 << 20


class Conn:
    """A client connection with its own read buffer for heads and chunk-size lines."""

    def __init__(self, sock):
        self.sock = sock
        self.pending = b""
        self.scratch = memoryview(bytearray(CHUNK))

    def line(self, limit=65536):
        while b"\r\n" not in self.pending:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.pending += data
            if len(self.pending) > limit:
                raise ValueError("line too long")
        line, _, self.pending = self.pending.partition(b"\r\n")
        return line.decode("latin-1")

    def discard(self, n):
        """read and drop exactly n bytes; returns n"""
        left = n
        if self.pending:
            take = min(left, len(self.pending))
            self.pending = self.pending[take:]
            left -= take
        while left:
            got = self.sock.recv_into(self.scratch, min(left, CHUNK))
            if not got:
                raise EOFError
            left -= got
        return n

    def chunked(self):
        total = 0
        while True:
            size = int(self.line().split(";", 1)[0], 16)
            if size == 0:
                while self.line():  # trailer fields, up to the empty line
                    pass
                return total
            total += self.discard(size)
            self.line()


def serve(sock, log, lock):
    conn = Conn(sock)
    try:
        while True:
            request = conn.line()
            if not request:
                continue
            method, path = request.split(" ", 2)[:2]
            headers = {}
            while True:
                h = conn.line()
                if not h:
                    break
                k, _, v = h.partition(":")
                headers[k.strip().lower()] = v.strip()
            start = time.monotonic()
            if "chunked" in headers.get("transfer-encoding", "").lower():
                n = conn.chunked()
            else:
                n = conn.discard(int(headers.get("content-length", "0")))
            took = time.monotonic() - start
            body = ("received %d bytes\n" % n).encode()
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s"
                         % (len(body), body))
            if method != "GET":
                with lock:
                    log.write("%s %s %d %.3f\n" % (method, path, n, took))
                    log.flush()
            if headers.get("connection", "").lower() == "close":
                return
    except (EOFError, ConnectionError, ValueError):
        pass
    finally:
        sock.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9001)
    ap.add_argument("--log", default="-", help="where the per-request lines go (default stdout)")
    a = ap.parse_args()
    log = sys.stdout if a.log == "-" else open(a.log, "a")
    lock = threading.Lock()
    srv = socket.create_server((a.host, a.port), backlog=128)
    while True:
        s, _ = srv.accept()
        threading.Thread(target=serve, args=(s, log, lock), daemon=True).start()


if __name__ == "__main__":
    main()
