#!/usr/bin/python3
"""tests/hostile.py: a hand-written hostile scheduler on loopback for
tests/t-hostile.sh. Plain sockets and hand-written HTTP/1.1 and Thrift JSON
(no thrift library), so it can misbehave in ways a real server cannot.

/vars answers --vars-file (default: a leader awaiting registration); /api
answers the reads (listBackups, queryRecovery, getTasksWithoutConfigs) with
generated replies, and the calls that change state (stageRecovery,
commitRecovery, ...) as --change says:
  ok            a complete OK reply with Content-Length
  close-body    200, no Content-Length, half the reply, then a close
  close-full    200, no Content-Length, the whole reply, then a close
  status-close  a status line, then a close
  silence       the headers (Content-Length), then nothing
  trickle       the headers, then a byte every 0.5 s
  chunk-cut     chunked, the chunk cut halfway, then a close
  continue-close  "100 Continue", then a close
  gzip-cut      Content-Encoding: gzip (never asked for), cut halfway
  gateway-502, gateway-504  what a proxy in front says when the scheduler
                closed or did not answer in time (a whole HTML reply)
--raw-change FILE replaces the change's reply body; --raw-api FILE answers
every /api call with FILE; --api-status 307 --location L answers /api with
a redirect.
From a change on, /vars is cut (connections closed unanswered) for --down
seconds, then answered again (-1: never again), like a scheduler that
restarts after commitRecovery; then --vars-after is served, if given.
Every /api call is appended to --record: the method, then its arguments. Prints "LISTENING host:port".
"""
import argparse, json, os, socket, ssl, sys, threading, time

READS = ("listBackups", "queryRecovery", "getTasksWithoutConfigs")
VARS = b"scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nframework_registered 0\n"


def s(v):
    return json.dumps(v)


class Server:
    def __init__(self, o):
        self.o = o
        self.down_from = None
        self.lock = threading.Lock()

    # ---- Thrift JSON replies ----
    def response(self, result):
        info = '"5":{"rec":{"1":{"str":%s}}}' % s(self.o.cluster) if self.o.cluster else ""
        parts = ['"1":{"i32":1}']
        if info:
            parts.append(info)
        if result and not self.o.no_result:
            parts.append('"3":{"rec":{%s}}' % result)
        return "{%s}" % ",".join(parts)

    def task(self, i):
        if self.o.empty_tasks:
            return "{}"
        role = self.o.roles[i % len(self.o.roles)]
        if self.o.lean_tasks:
            return '{"1":{"rec":{"1":{"str":"%d"},"4":{"rec":{"28":{"rec":{"1":{"str":%s}}}}}}},"2":{"i32":2}}' % (i, s(role))
        key = '"28":{"rec":{"1":{"str":%s},"2":{"str":"prod"},"3":{"str":"web"}}}' % s(role)
        return ('{"1":{"rec":{"1":{"str":"t-%d"},"3":{"str":"h"},"4":{"rec":{%s}},'
                '"6":{"i32":%d}}},"2":{"i32":2}}' % (i, key, i))

    def reply(self, method):
        o = self.o
        if method == "listBackups":
            names = ",".join('"%0*d"' % (o.name_len, i % 10 ** min(o.name_len, 18)) for i in range(o.backups))
            res = '"6":{"rec":{"1":{"set":["str",%d%s]}}}' % (o.backups, "," + names if o.backups else "")
        elif method in ("queryRecovery", "getTasksWithoutConfigs"):
            tasks = ",".join(self.task(i) for i in range(o.tasks))
            fid, kind = ("9", "set") if method == "queryRecovery" else ("3", "lst")
            res = '"%s":{"rec":{"1":{"%s":["rec",%d%s]}}}' % (fid, kind, o.tasks, "," + tasks if o.tasks else "")
        else:
            res = None
        body = '[1,%s,2,0,{"0":{"rec":%s}}]' % (s(method), self.response(res))
        return body.encode()

    # ---- HTTP ----
    def read_request(self, c):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = c.recv(65536)
            if not chunk:
                return None, None
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        n = 0
        for l in lines[1:]:
            if l.lower().startswith("content-length:"):
                n = int(l.split(":", 1)[1])
        while len(body) < n:
            chunk = c.recv(65536)
            if not chunk:
                break
            body += chunk
        return lines[0].split(" ")[1], body

    def send(self, c, body, length=True, ctype=b"application/vnd.apache.thrift.json"):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\n"
        if length:
            head += b"Content-Length: %d\r\n" % len(body)
        else:
            head += b"Connection: close\r\n"
        c.sendall(head + b"\r\n" + body)

    def vars_down(self):
        with self.lock:
            if self.down_from is None:
                return False
            return self.o.down < 0 or time.time() - self.down_from < self.o.down

    def change(self, c, body):
        mode = self.o.change
        with self.lock:
            self.down_from = time.time()
        if self.o.raw_change is not None:
            body = self.o.raw_change
        if mode == "ok":
            self.send(c, body)
        elif mode == "chunk-cut":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.apache.thrift.json\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % len(body) + body[: len(body) // 2])
        elif mode == "continue-close":
            c.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        elif mode == "gzip-cut":
            import gzip
            z = gzip.compress(body)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(z)
                      + z[: len(z) // 2])
        elif mode.startswith("gateway-"):
            code = int(mode[8:])
            page = b"<html><body><h1>%d Gateway</h1>nginx</body></html>\n" % code
            c.sendall(b"HTTP/1.1 %d Gateway\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
                      % (code, len(page)) + page)
        elif mode == "close-body":
            self.send(c, body[: len(body) // 2], length=False)
        elif mode == "close-full":
            self.send(c, body, length=False)
        elif mode == "status-close":
            c.sendall(b"HTTP/1.1 200 OK\r\n")
        elif mode in ("silence", "trickle"):
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.apache.thrift.json\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body))
            for b in body:
                time.sleep(0.5 if mode == "trickle" else 60)
                c.sendall(bytes([b]))

    def handle(self, c):
        try:
            while True:
                path, body = self.read_request(c)
                if path is None:
                    return
                if path.endswith("/vars"):
                    if self.vars_down():
                        return
                    page = self.o.vars_after if self.down_from is not None and self.o.vars_after is not None else self.o.vars
                    self.send(c, page, ctype=b"text/plain")
                    continue
                if self.o.api_status:
                    c.sendall(b"HTTP/1.1 %d Moved\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n"
                              % (self.o.api_status, self.o.location.encode()))
                    continue
                if self.o.raw_api:
                    self.send(c, self.o.raw_api)
                    continue
                call = json.loads(body)
                method = call[1]
                if self.o.record:
                    with open(self.o.record, "a") as f:
                        f.write("%s %s\n" % (method, json.dumps(call[4], sort_keys=True)))
                if method in READS:
                    self.send(c, self.reply(method))
                    continue
                self.change(c, self.reply(method))
                return
        except (OSError, ValueError):
            pass
        finally:
            c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.40")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cluster", default="example", help="serverInfo.clusterName ('' for none)")
    ap.add_argument("--vars-file", help="the /vars page (default: leader awaiting registration)")
    ap.add_argument("--vars-after", help="the /vars page once it is back after a change")
    ap.add_argument("--change", default="ok")
    ap.add_argument("--down", type=float, default=1.0)
    ap.add_argument("--backups", type=int, default=0, help="listBackups: this many names")
    ap.add_argument("--name-len", type=int, default=3)
    ap.add_argument("--tasks", type=int, default=0)
    ap.add_argument("--empty-tasks", action="store_true", help="every task is {}")
    ap.add_argument("--lean-tasks", action="store_true", help="tasks with an id, a role and a status only")
    ap.add_argument("--roles", default="www", help="tasks' roles, in turn (comma-separated)")
    ap.add_argument("--no-result", action="store_true", help="OK replies without a result")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--record")
    ap.add_argument("--api-status", type=int, help="answer /api with this status and --location")
    ap.add_argument("--location", default="")
    ap.add_argument("--raw-change", help="the reply body to a change (with --change)")
    ap.add_argument("--raw-api", help="answer every /api call with this file's bytes")
    ap.add_argument("--lifetime", type=float, default=300)
    o = ap.parse_args()
    o.roles = [r.encode("latin-1").decode("unicode_escape").encode("latin-1").decode("utf-8", "surrogateescape")
               for r in o.roles.split(",")]
    o.vars = open(o.vars_file, "rb").read() if o.vars_file else VARS
    o.raw_change = open(o.raw_change, "rb").read() if o.raw_change else None
    o.raw_api = open(o.raw_api, "rb").read() if o.raw_api else None
    o.vars_after = open(o.vars_after, "rb").read() if o.vars_after else None
    srv = Server(o)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((o.host, o.port))
    ls.listen(64)
    ctx = None
    if o.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(o.tls_cert, o.tls_key)
    print("LISTENING %s:%d" % (o.host, ls.getsockname()[1]), flush=True)
    ls.settimeout(1)
    end = time.time() + o.lifetime
    while time.time() < end:
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        if ctx:
            try:
                c = ctx.wrap_socket(c, server_side=True)
            except (ssl.SSLError, OSError):
                c.close()
                continue
        threading.Thread(target=srv.handle, args=(c,), daemon=True).start()


if __name__ == "__main__":
    main()
