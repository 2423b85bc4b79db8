#!/usr/bin/python3
"""bench/canned.py: answer every POST /api with the bytes of one file and
every GET /vars as a leader, so a client's own decoding cost is measured,
not the test scheduler's encoding. Loopback only.
usage: canned.py HOST PORT REPLYFILE"""
import http.server
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = b"framework_registered 0\nscheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        size = os.path.getsize(REPLY)
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.apache.thrift.json")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        with open(REPLY, "rb") as f:
            os.sendfile(self.wfile.fileno(), f.fileno(), 0, size)


host, port, REPLY = sys.argv[1], int(sys.argv[2]), sys.argv[3]
server = http.server.ThreadingHTTPServer((host, port), Handler)
print("LISTENING %s:%d" % server.server_address[:2], flush=True)
server.serve_forever()
