#!/usr/bin/python3
"""bench/mesos-bytes.py HOST PORT DIR: a Mesos master that only sends bytes.
GET /master/state sends DIR/state.json; GET /master/tasks?...&offset=K sends
DIR/tasks-K.json when it exists, else {"tasks": []}. Loopback only."""
import http.server
import os
import socket
import sys
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        off = urllib.parse.parse_qs(u.query).get("offset", ["0"])[0]
        path = os.path.join(DIR, "state.json" if u.path == "/master/state" else "tasks-%s.json" % off)
        if not os.path.exists(path):
            path = os.path.join(DIR, "empty.json")
        size = os.path.getsize(path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        with open(path, "rb") as f:
            os.sendfile(self.wfile.fileno(), f.fileno(), 0, size)


host, port, DIR = sys.argv[1], int(sys.argv[2]), sys.argv[3]
server = http.server.ThreadingHTTPServer((host, port), Handler)
print("LISTENING %s:%d" % server.server_address[:2], flush=True)
server.serve_forever()
