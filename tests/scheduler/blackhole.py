#!/usr/bin/python3
"""blackhole.py [--host 127.0.0.N] [--port P]: a TCP port whose connects hang.

Listens with a backlog of 0, never accepts, and fills the accept queue itself
with a few connections of its own, so that the kernel drops every further SYN:
a client's connect() then hangs until its own timeout (curl --connect-timeout).
Prints "LISTENING host:port" once the queue is full. Loopback only. Stops on
SIGTERM/SIGINT, or by itself after --lifetime seconds (default 600).
"""
import argparse
import errno
import select
import signal
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=600.0)
    a = ap.parse_args()
    if not a.host.startswith("127."):
        sys.exit("blackhole: loopback addresses only (127.0.0.0/8)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.host, a.port))
    ls.listen(0)
    host, port = ls.getsockname()

    # Fill the accept queue: connect until one connect no longer completes.
    fillers = []
    for _ in range(16):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        rc = s.connect_ex((host, port))
        if rc not in (0, errno.EINPROGRESS):
            s.close()
            break
        _, w, _ = select.select([], [s], [], 0.3)
        fillers.append(s)
        if not w or s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
            break                       # this one hangs: the queue is full
    print("LISTENING %s:%d" % (host, port), flush=True)
    deadline = time.monotonic() + a.lifetime
    while time.monotonic() < deadline:
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))


if __name__ == "__main__":
    main()
