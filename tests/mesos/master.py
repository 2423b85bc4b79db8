#!/usr/bin/python3
"""master.py: a Mesos master stand-in (aurora-facts.md, section 8b).

  master.py --cluster FILE [--host 127.0.0.N] [--port 0] [--leader-url URL]
            [--auth USER:PASSWORD] [--log FILE] [--misbehave WHAT] [--huge BYTES]

FILE is JSON: {"frameworks": [{"id", "name", "active", "tasks": [TASK...],
"completed_tasks": [TASK...], "unreachable_tasks": [TASK...]}]} where TASK
is {"id", "name", "state"} (other fields are filled in as Mesos does:
framework_id, executor_id, slave_id, statuses, labels). A key left out of
TASK (e.g. "id") stays out of the reply.

  GET /master/state     frameworks[] with id, name, active, connected,
                        tasks[], unreachable_tasks[], completed_tasks[]
  GET /master/tasks     tasks[] of every framework, running and completed,
                        ?framework_id=ID filters, limit (default 100), offset
  GET /master/redirect  307 to the leader (//host:port), itself when leading
  with --leader-url, every /master/* is 307 to the leader, path kept.
  --max-limit N: pages of at most N tasks, whatever limit asks.
  --loop: every /master/* is 307 to this master itself.
  --location URL: every /master/* is 307 to URL (absolute, as given), path kept.
  --tls PEM: HTTPS, with the certificate and key in PEM.
  --auth: HTTP Basic required (401 otherwise).
  --misbehave garbage|truncate|huge|slow: replies that are not JSON, cut in
  the middle (Content-Length larger than what is sent), --huge BYTES of an
  endless JSON array, or nothing for 60 s; ignore-offset: /master/tasks
  serves from offset 0 whatever is asked; shift: once the first page was
  served, the first running task finishes (it moves to completed_tasks, so
  every later task moves one place up); repeat-once: the second request for
  /master/tasks is served the first page again; ignore-limit: every task
  from offset on, whatever limit asks.
  --log FILE: one line a request, its path and query.
Prints "LISTENING host:port". Loopback only.
"""
import argparse
import base64
import json
import ssl
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def full_task(t, fid):
    o = dict(t)
    o.setdefault("framework_id", fid)
    if "id" in o:
        o.setdefault("executor_id", "thermos-" + o["id"])
    o.setdefault("slave_id", "agent-S1")
    o.setdefault("resources", {"cpus": 0.25, "mem": 128.0, "disk": 64.0})
    st = o.get("state", "TASK_RUNNING")
    o.setdefault("statuses", [{"state": "TASK_STAGING", "timestamp": 1.0e9},
                              {"state": st, "timestamp": 1.0e9 + 5,
                               "container_status": {"network_infos": [{"ip_addresses": [{"ip_address": "10.0.0.1"}]}]}}])
    o.setdefault("labels", [{"key": "org.apache.aurora.tier", "value": "preferred"}])
    o.setdefault("discovery", {"visibility": "CLUSTER", "ports": {"ports": [{"number": 31000, "name": "http"}]}})
    return o


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body=b"", ctype="application/json", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        o = self.server.o
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if o.log:
            with open(o.log, "a") as f:
                f.write(self.path + "\n")
        if o.auth:
            want = "Basic " + base64.b64encode(o.auth.encode()).decode()
            if self.headers.get("Authorization") != want:
                return self.send(401, b"", "text/plain", [("WWW-Authenticate", 'Basic realm="mesos"')])
        if url.path == "/master/redirect":
            to = o.leader_url or "http://%s:%d" % self.server.server_address[:2]
            return self.send(307, b"", "text/plain", [("Location", "//" + to.split("://", 1)[1])])
        if not url.path.startswith("/master/"):
            return self.send(404, b"", "text/plain")
        if o.loop:
            me = "%s:%d" % self.server.server_address[:2]
            return self.send(307, b"", "text/plain", [("Location", "//" + me + self.path)])
        if o.location:
            return self.send(307, b"", "text/plain", [("Location", o.location + self.path)])
        if o.leader_url:
            return self.send(307, b"", "text/plain",
                             [("Location", "//" + o.leader_url.split("://", 1)[1] + self.path)])
        if o.misbehave and o.misbehave not in ("ignore-offset", "shift", "repeat-once", "ignore-limit"):
            return self.misbehave(o)
        if url.path == "/master/state":
            return self.send(200, json.dumps(self.state()).encode())
        if url.path == "/master/tasks":
            return self.send(200, json.dumps(self.tasks(q)).encode())
        return self.send(404, b"", "text/plain")

    def state(self):
        fws = []
        for f in self.server.cluster["frameworks"]:
            fws.append({"id": f["id"], "name": f.get("name", "Aurora"),
                        "pid": "scheduler-1@127.0.0.1:8083", "hostname": "sched-1",
                        "active": f.get("active", True), "connected": f.get("active", True),
                        "recovered": False, "capabilities": ["PARTITION_AWARE"],
                        "used_resources": {"cpus": 1.0},
                        "tasks": [full_task(t, f["id"]) for t in f.get("tasks", [])],
                        "unreachable_tasks": [full_task(t, f["id"]) for t in f.get("unreachable_tasks", [])],
                        "completed_tasks": [full_task(t, f["id"]) for t in f.get("completed_tasks", [])],
                        "executors": []})
        return {"version": "1.11.0", "git_sha": "0" * 40, "leader": "master@127.0.0.1:5050",
                "activated_slaves": 1, "slaves": [{"id": "agent-S1", "hostname": "agent-1"}],
                "frameworks": fws, "completed_frameworks": [], "orphan_tasks": [],
                "unregistered_frameworks": []}

    def tasks(self, q):
        fid = q.get("framework_id", [None])[0]
        limit = int(q.get("limit", ["100"])[0])
        if self.server.o.max_limit:
            limit = min(limit, self.server.o.max_limit)
        offset = int(q.get("offset", ["0"])[0])
        every = []
        for f in self.server.cluster["frameworks"]:
            if fid and f["id"] != fid:
                continue
            for k in ("tasks", "unreachable_tasks", "completed_tasks"):
                every += [full_task(t, f["id"]) for t in f.get(k, [])]
        self.server.asked = getattr(self.server, "asked", 0) + 1
        if self.server.o.misbehave == "ignore-offset" or (
                self.server.o.misbehave == "repeat-once" and self.server.asked == 2):
            offset = 0
        if self.server.o.misbehave == "ignore-limit":
            limit = len(every)
        page = every[offset:offset + limit]
        if self.server.o.misbehave == "shift" and offset == 0 and not getattr(self.server, "shifted", 0):
            self.server.shifted = 1
            for f in self.server.cluster["frameworks"]:
                if f.get("tasks") and (not fid or f["id"] == fid):
                    done = dict(f["tasks"].pop(0), state="TASK_FINISHED")
                    f.setdefault("completed_tasks", []).append(done)
                    break
        return {"tasks": page}

    def misbehave(self, o):
        if o.misbehave == "garbage":
            return self.send(200, b"<html>this is not JSON</html>", "text/html")
        if o.misbehave == "truncate":
            body = json.dumps(self.state() if "state" in self.path else
                              self.tasks(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if o.misbehave == "cut-json":
            body = json.dumps(self.tasks({})).encode()
            return self.send(200, body[:len(body) // 2])
        if o.misbehave == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(o.huge))
            self.end_headers()
            chunk = b'{"tasks": [' + b'{"id": "t", "state": "TASK_FINISHED"},' * 100000
            sent = 0
            try:
                while sent < o.huge:
                    n = min(len(chunk), o.huge - sent)
                    self.wfile.write(chunk[:n])
                    sent += n
                    chunk = b'{"id": "t", "state": "TASK_FINISHED"},' * 100000
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        if o.misbehave == "slow":
            time.sleep(60)
            return self.send(200, b"{}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cluster", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--leader-url")
    ap.add_argument("--auth")
    ap.add_argument("--log")
    ap.add_argument("--location")
    ap.add_argument("--tls")
    ap.add_argument("--loop", action="store_true", help="every /master/* is 307 to itself")
    ap.add_argument("--max-limit", type=int, help="serve at most this many tasks a page")
    ap.add_argument("--misbehave", choices=["garbage", "truncate", "cut-json", "huge", "slow",
                                                   "ignore-offset", "shift", "repeat-once", "ignore-limit"])
    ap.add_argument("--huge", type=int, default=10 << 20)
    ap.add_argument("--lifetime", type=float, default=900.0)
    o = ap.parse_args()
    if not o.host.startswith("127."):
        sys.exit("master.py: loopback addresses only")
    srv = ThreadingHTTPServer((o.host, o.port), Handler)
    srv.daemon_threads = True
    srv.o = o
    if o.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(o.tls)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(o.cluster) as f:
        srv.cluster = json.load(f)
    print("LISTENING %s:%d" % srv.server_address[:2], flush=True)
    srv.timeout = 1
    end = time.time() + o.lifetime
    while time.time() < end:
        srv.handle_request()


if __name__ == "__main__":
    main()
