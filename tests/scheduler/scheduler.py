#!/usr/bin/python3
"""scheduler.py: a test double of an Apache Aurora scheduler's HTTP side.

Serves, on one loopback address (127.0.0.N):
  GET  /vars /vars.json /health /leaderhealth   (never redirected; /leaderhealth
       as Aurora's LeaderHealth: 200 on a registered leader, 503 on a
       follower that knows the leader, 502 when no leader is known, which is
       every scheduler of the partially disabled state)
  POST /api   Thrift (TJSONProtocol; TBinaryProtocol for
              application/vnd.apache.thrift.binary), the AuroraAdmin recovery
              and backup calls plus getTasksWithoutConfigs/getTasksStatus.

It behaves as Aurora 0.16+ does (see /work/shared/docs/aurora-facts.md 1, 5-7):
  * leader redirect: without the Bypass-Leader-Redirect header only a leader
    that is registered (--leader --registered) serves /api; a non-leader that
    knows the leader (--leader-url) answers 307 to <leader-url><path>; every
    other case (no leader known, as in the partially disabled state) is 503.
  * Content-Type application/x-thrift, application/json,
    application/vnd.apache.thrift.json (TJSON) or
    application/vnd.apache.thrift.binary; anything else (parameters included,
    as JAX-RS compares them) is 415. Replies are
    application/vnd.apache.thrift.json unless Accept asks for the binary type.
  * --auth basic|negotiate: Shiro's "permissive" filter: a wrong Authorization
    header is 401 at once; without one, read-only calls run and every other
    call is 401 (WWW-Authenticate: Basic realm="Apache Aurora Scheduler", or
    Negotiate); an authenticated user not in --allowed gets AUTH_FAILED for the
    AuroraAdmin methods ("Subject U lacks permission thrift.AuroraAdmin:M").
  * recovery: listBackups lists every file of --backup-dir (temp_ files too);
    performBackup writes temp_scheduler-backup-yyyy-MM-dd-HH-mm (local time)
    then renames it; stageRecovery loads <dir>/<id> (binary Snapshot) into
    memory; queryRecovery/deleteRecoveryTasks filter as Aurora's
    Util.queryFilter; commitRecovery makes the staged snapshot the state
    (written to --state FILE when given), answers OK, and exits 0;
    unloadRecovery drops the staged one. Errors are Aurora's messages
    ("Backup <dir>/<id> does not exist.", "Another backup is already loaded.",
    "No backup loaded.") with responseCode ERROR.
  * a non-leader (reached with the bypass header) answers the calls that need
    the primary storage (performBackup, commitRecovery, the read API) with
    ERROR_TRANSIENT "Storage is not READY", as Aurora's storage does before it
    is READY; listBackups and the staged-recovery calls only use the backup
    directory and the temporary storage, so they work there as in Aurora.

Misbehaviours: --slow SECS, --slow-changes SECS, --truncate, --drop-on-commit, --transient,
--status-401, --status-415, --status-500, --exit-after METHOD (a crash right
after answering it); --tls-cert/--tls-key serve https. Network faults
(tests/t-faults.sh): --status-503, --redirect URL, --drip SECS, --garbage,
--wrong-name, --wrong-seqid, --huge BYTES.

With --zk the double takes part in a ZooKeeper leader election instead of
--leader, needs an initialized replica (--log-dir) and registers with Mesos
only when --mesos-master has a master (election.py). --record FILE appends
one line per /api call: the method and its backup id, if any.
Prints "LISTENING host:port" once
ready. Exits 0 on SIGTERM/SIGINT, after a commit, or after --lifetime seconds
(default 1800, so a forgotten server does not linger).
"""
import argparse
import base64
import copy
import html
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import traceback
import http.server

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import aurora_idl  # noqa: E402
import tjson_fast  # noqa: E402

from thrift.transport import TTransport  # noqa: E402
from thrift.protocol import TJSONProtocol, TBinaryProtocol  # noqa: E402
from thrift.Thrift import TMessageType  # noqa: E402

LIFECYCLE = ["IDLE", "PREPARING_STORAGE", "STORAGE_PREPARED",
             "LEADER_AWAITING_REGISTRATION", "ACTIVE", "DEAD"]
REALM = "Apache Aurora Scheduler"
THRIFT_JSON = "application/vnd.apache.thrift.json"
THRIFT_BINARY = "application/vnd.apache.thrift.binary"
JSON_TYPES = ("application/x-thrift", "application/json", THRIFT_JSON)
BYPASS = "Bypass-Leader-Redirect"
LEADERHEALTH = {
    200: "This is the leading scheduler.",
    503: "Another instance is the leading scheduler.",
    502: "There is no leading scheduler or the leader is unknown.",
}
LEADERHEALTH_HELP = ("This endpoint can indicate to a load balancer which among a group of "
                     "schedulers is leading.\n\nThe response codes are:\n"
                     + "\n".join("%d: %s" % kv for kv in LEADERHEALTH.items()))

# ReadOnlyScheduler's methods: no authentication, no permission needed.
READ_ONLY = {
    "getRoleSummary", "getJobSummary", "getTasksStatus", "getTasksWithoutConfigs",
    "getPendingReason", "getConfigSummary", "getJobs", "getQuota", "populateJobConfig",
    "getJobUpdateSummaries", "getJobUpdateDetails", "getJobUpdateDiff", "getTierConfigs",
    "getVersion", "getLocks",
}
# Calls that work without the primary storage (backup dir, temporary storage).
NO_PRIMARY_STORAGE = {"listBackups", "stageRecovery", "queryRecovery",
                      "deleteRecoveryTasks", "unloadRecovery"}


def log(msg):
    sys.stderr.write("%s scheduler: %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


class RecoveryError(Exception):
    pass


class Ctx(threading.local):
    user = None
    commit = False


def encode_binary(obj):
    buf = TTransport.TMemoryBuffer()
    obj.write(TBinaryProtocol.TBinaryProtocolAccelerated(buf))
    return buf.getvalue()


def decode_binary(cls, data):
    obj = cls()
    obj.read(TBinaryProtocol.TBinaryProtocolAccelerated(TTransport.TMemoryBuffer(data)))
    return obj


EXIT_HOOKS = []


def exit_now(code):
    """A clean stop: leave the election, close the replica, exit."""
    for hook in EXIT_HOOKS:
        hook()
    os._exit(code)


def write_atomic(path, data):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


class Scheduler(object):
    """The scheduler's state and its AuroraAdmin call semantics."""

    def __init__(self, opts, g):
        self.o = opts
        self.g = g
        self.T = g.T
        self.lock = threading.RLock()
        self.ctx = Ctx()
        self.started = time.time()
        self.backup_success = 0
        self.backup_failed = 0
        self.staged = None
        self.state = self._load_state()
        svc = g.services.get("AuroraAdmin")
        if svc is None:
            raise SystemExit("scheduler: the IDL %s has no AuroraAdmin service" % g.idl)
        self.svc = svc
        # Methods declared by AuroraAdmin itself need thrift.AuroraAdmin:<m>;
        # every non-read-only method needs an authenticated subject.
        declared = {k for k, v in vars(svc.Iface).items() if callable(v) and not k.startswith("_")}
        allm = {k for k in dir(svc.Iface) if not k.startswith("_")}
        self.admin_methods = declared - READ_ONLY
        self.auth_methods = allm - READ_ONLY
        self.handler = AdminHandler(self)
        self.processor = svc.Processor(self.handler)

    def dispatch(self, body, pin, binary_out):
        """Decode one call, run it, encode the reply (TJSON through tjson_fast,
        or binary). Unknown methods and non-CALL messages go through the
        generated Processor, which answers with Thrift's own exceptions."""
        iprot = pin.getProtocol(TTransport.TMemoryBuffer(body))
        name, mtype, seqid = iprot.readMessageBegin()
        args_cls = getattr(self.svc, name + "_args", None)
        result_cls = getattr(self.svc, name + "_result", None)
        if (mtype != TMessageType.CALL or args_cls is None or result_cls is None
                or name not in self.processor._processMap):
            otrans = TTransport.TMemoryBuffer()
            pout = (TBinaryProtocol.TBinaryProtocolFactory() if binary_out
                    else TJSONProtocol.TJSONProtocolFactory())
            self.processor.process(pin.getProtocol(TTransport.TMemoryBuffer(body)),
                                   pout.getProtocol(otrans))
            return otrans.getvalue()
        args = args_cls()
        args.read(iprot)
        iprot.readMessageEnd()
        vals = [getattr(args, f[2]) for f in args_cls.thrift_spec if f]
        result = result_cls(success=getattr(self.handler, name)(*vals))
        if binary_out:
            otrans = TTransport.TMemoryBuffer()
            oprot = TBinaryProtocol.TBinaryProtocolAccelerated(otrans)
            oprot.writeMessageBegin(name, TMessageType.REPLY, seqid)
            result.write(oprot)
            oprot.writeMessageEnd()
            return otrans.getvalue()
        return tjson_fast.message(name, TMessageType.REPLY, seqid, result)

    # -- state ---------------------------------------------------------------

    def _empty_snapshot(self):
        s = self.T.Snapshot()
        s.timestamp = int(time.time() * 1000)
        s.tasks = set()
        return s

    def _load_state(self):
        p = self.o.state
        if not p or not os.path.exists(p) or os.path.getsize(p) == 0:
            return self._empty_snapshot()
        try:
            with open(p, "rb") as f:
                snap = decode_binary(self.T.Snapshot, f.read())
        except Exception as e:
            raise SystemExit("scheduler: cannot decode --state %s: %s" % (p, e))
        if snap.tasks is None:
            snap.tasks = set()
        return snap

    def snapshot_now(self, snap):
        s = copy.deepcopy(snap)
        s.timestamp = int(time.time() * 1000)
        return s

    # -- responses -----------------------------------------------------------

    def response(self, code, message=None, result=None):
        T = self.T
        r = T.Response()
        r.responseCode = code
        si = T.ServerInfo()
        si.clusterName = self.o.cluster
        if hasattr(si, "statsUrlPrefix"):
            si.statsUrlPrefix = ""
        r.serverInfo = si
        r.details = [T.ResponseDetail(message=message)] if message is not None else []
        if result is not None:
            r.result = result
        return r

    def ok(self, **result):
        res = None
        if result:
            res = self.T.Result(**result)
        return self.response(self.T.ResponseCode.OK, result=res)

    def call(self, name, fn, *args):
        RC = self.T.ResponseCode
        if self.o.record:
            with open(self.o.record, "a") as f:
                f.write("%s%s\n" % (name, "".join(" " + a for a in args if isinstance(a, str))))
        try:
            if self.o.auth != "none" and name in self.admin_methods and not self.permitted(self.ctx.user):
                perm = "thrift.AuroraAdmin:%s" % name
                return self.response(RC.AUTH_FAILED, "Subject %s lacks permission %s" % (self.ctx.user, perm))
            if self.o.transient:
                return self.response(RC.ERROR_TRANSIENT, "Storage is not READY")
            if not self.o.leader and name not in NO_PRIMARY_STORAGE:
                return self.response(RC.ERROR_TRANSIENT, "Storage is not READY")
            with self.lock:
                return fn(*args)
        except RecoveryError as e:
            log("%s: %s" % (name, e))
            return self.response(RC.ERROR, str(e))
        except Exception as e:
            traceback.print_exc()
            return self.response(RC.ERROR, "%s: %s" % (type(e).__name__, e))

    def permitted(self, user):
        if user is None:
            return False
        if self.o.allowed is None:
            return True
        short = user.split("@", 1)[0].split("/", 1)[0]
        return user in self.o.allowed or short in self.o.allowed

    # -- queries (Aurora's Util.queryFilter) -----------------------------------

    def matches(self, q, task):
        if q is None:
            return True
        role, env, name = aurora_idl.job_of(task)
        if q.role is not None and q.role.strip() != "" and q.role != role:
            return False
        if q.environment is not None and q.environment != env:
            return False
        if q.jobName is not None and q.jobName != name:
            return False
        jk = getattr(q, "jobKeys", None)
        if jk:
            if not any((k.role, k.environment, k.name) == (role, env, name) for k in jk):
                return False
        at = task.assignedTask
        if q.taskIds is not None and (at is None or at.taskId not in q.taskIds):
            return False
        if q.statuses and task.status not in q.statuses:
            return False
        hosts = getattr(q, "slaveHosts", None)
        if hosts and (at is None or at.slaveHost not in hosts):
            return False
        if q.instanceIds and (at is None or at.instanceId not in q.instanceIds):
            return False
        return True

    def select(self, snap, q):
        tasks = [t for t in (snap.tasks or ()) if self.matches(q, t)]
        off = getattr(q, "offset", None) if q is not None else None
        lim = getattr(q, "limit", None) if q is not None else None
        if off or lim:
            tasks.sort(key=lambda t: t.assignedTask.taskId if t.assignedTask else "")
            if off:
                tasks = tasks[off:]
            if lim:
                tasks = tasks[:lim]
        return tasks

    # -- the calls -----------------------------------------------------------

    def backup_path(self, name):
        return os.path.join(self.o.backup_dir, name)

    def do_listBackups(self):
        names = set(os.listdir(self.o.backup_dir))
        return self.ok(listBackupsResult=self.T.ListBackupsResult(backups=names))

    def do_performBackup(self):
        name = "scheduler-backup-" + time.strftime("%Y-%m-%d-%H-%M", time.localtime())
        tmp = self.backup_path("temp_" + name)
        try:
            data = encode_binary(self.snapshot_now(self.state))
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, self.backup_path(name))
            self.backup_success += 1
            log("performBackup: wrote %s (%d bytes)" % (name, len(data)))
        except Exception as e:
            self.backup_failed += 1
            log("performBackup: failed to prepare backup %s: %s" % (name, e))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return self.ok()

    def do_stageRecovery(self, backup_id, *_):
        path = self.o.backup_dir.rstrip("/") + "/" + (backup_id or "")
        if backup_id is None or not os.path.exists(path):
            raise RecoveryError("Backup %s does not exist." % path)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except (IOError, OSError) as e:
            raise RecoveryError("Failed to read backup %s" % e)
        try:
            snap = decode_binary(self.T.Snapshot, data)
        except Exception as e:
            raise RecoveryError("Failed to decode backup %s" % e)
        if self.staged is not None:
            raise RecoveryError("Another backup is already loaded.")
        if snap.tasks is None:
            snap.tasks = set()
        self.staged = snap
        log("stageRecovery: staged %s (%d tasks)" % (backup_id, len(snap.tasks)))
        return self.ok()

    def loaded(self):
        if self.staged is None:
            raise RecoveryError("No backup loaded.")
        return self.staged

    def do_queryRecovery(self, q, *_):
        # The reply is encoded from these objects; nothing mutates a task in
        # place (deletes only take tasks out of the staged set).
        tasks = set(self.select(self.loaded(), q))
        return self.ok(queryRecoveryResult=self.T.QueryRecoveryResult(tasks=tasks))

    def do_deleteRecoveryTasks(self, q, *_):
        snap = self.loaded()
        doomed = self.select(snap, q)
        for t in doomed:
            snap.tasks.discard(t)
        log("deleteRecoveryTasks: deleted %d tasks, %d left" % (len(doomed), len(snap.tasks)))
        return self.ok()

    def do_commitRecovery(self, *_):
        snap = self.snapshot_now(self.loaded())
        self.state = snap
        self.staged = None
        if self.o.state:
            write_atomic(self.o.state, encode_binary(snap))
        log("commitRecovery: committed %d tasks; shutting down" % len(snap.tasks or ()))
        self.ctx.commit = True
        return self.ok()

    def do_unloadRecovery(self, *_):
        self.staged = None
        return self.ok()

    def _status_tasks(self, q, strip):
        tasks = []
        for t in sorted(self.select(self.state, q),
                        key=lambda t: t.assignedTask.taskId if t.assignedTask else ""):
            if strip and t.assignedTask and t.assignedTask.task is not None:
                t = copy.copy(t)
                t.assignedTask = copy.copy(t.assignedTask)
                t.assignedTask.task = copy.copy(t.assignedTask.task)
                t.assignedTask.task.executorConfig = None
            tasks.append(t)
        return self.ok(scheduleStatusResult=self.T.ScheduleStatusResult(tasks=tasks))

    def do_getTasksWithoutConfigs(self, q, *_):
        return self._status_tasks(q, True)

    def do_getTasksStatus(self, q, *_):
        return self._status_tasks(q, False)

    # -- /vars ---------------------------------------------------------------

    def vars(self):
        v = {}
        cur = self.o.lifecycle
        for s in LIFECYCLE:
            v["scheduler_lifecycle_" + s] = 1 if s == cur else 0
        v["framework_registered"] = 1 if self.o.registered else 0
        v["jvm_uptime_secs"] = int(time.time() - self.started)
        v["scheduler_backup_success"] = self.backup_success
        v["scheduler_backup_failed"] = self.backup_failed
        with self.lock:
            counts = {}
            for t in self.state.tasks or ():
                counts[t.status] = counts.get(t.status, 0) + 1
        for code, name in self.T.ScheduleStatus._VALUES_TO_NAMES.items():
            v["task_store_" + name] = counts.get(code, 0)
        return v


class AdminHandler(object):
    """The Iface the generated Processor calls; every call goes through
    Scheduler.call (permissions, misbehaviours, non-leader, errors)."""

    def __init__(self, s):
        self._s = s

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        s = self._s
        impl = getattr(s, "do_" + name, None)
        if impl is None:
            def impl(*_):
                return s.response(s.T.ResponseCode.ERROR,
                                  "%s is not implemented by the test double" % name)

        def method(*args):
            return s.call(name, impl, *args)
        return method


class Http(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "aurora-scheduler-double"
    S = None   # the Scheduler
    G = None   # the GSSAPI acceptor credentials (negotiate)

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):
        if self.S.o.verbose:
            log("%s %s" % (self.address_string(), fmt % args))

    # -- plumbing --------------------------------------------------------------

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if te == "chunked":
            parts = []
            while True:
                line = self.rfile.readline(65537)
                n = int(line.split(b";")[0].strip() or b"0", 16)
                if n == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                parts.append(self.rfile.read(n))
                self.rfile.readline(3)
            return b"".join(parts)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, code, body=b"", ctype="text/plain; charset=utf-8", headers=(), truncate=False):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if body or code not in (204, 304):
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if truncate:
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(body)
        self.wfile.flush()

    def send_drip(self, body, ctype, secs):
        """The whole Content-Length announced, then one byte every secs."""
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(secs)
        except OSError:
            pass
        self.close_connection = True

    def send_huge(self, size):
        """A listBackups reply of size bytes, as fast as the client reads it."""
        head = b'[1,"listBackups",2,0,{"0":{"rec":{"1":{"i32":1},"3":{"rec":{"6":{"rec":{"1":{"set":["str",%d' % (size // 40)
        self.send_response(200)
        self.send_header("Content-Type", THRIFT_JSON)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        name = b',"scheduler-backup-2026-01-01-00-00-%04d"'
        chunk = b"".join(name % (i % 10000) for i in range(1600))
        try:
            self.wfile.write(head)
            sent = len(head)
            while sent < size:
                part = chunk[:size - sent]
                self.wfile.write(part)
                sent += len(part)
        except OSError:
            pass
        self.close_connection = True

    def send_error_page(self, code, reason, headers=()):
        page = ("<html><head><title>Error %d %s</title></head><body><h2>HTTP ERROR %d</h2>"
                "<p>Problem accessing %s. Reason:<pre>    %s</pre></p></body></html>\n"
                % (code, html.escape(reason), code, html.escape(self.path), html.escape(reason)))
        self.send(code, page, "text/html; charset=ISO-8859-1", headers)

    def challenge(self):
        if self.S.o.auth == "negotiate":
            return [("WWW-Authenticate", "Negotiate")]
        return [("WWW-Authenticate", 'Basic realm="%s"' % REALM)]

    # -- GET -------------------------------------------------------------------

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        s = self.S
        if path == "/vars":
            v = s.vars()
            body = "".join("%s %s\n" % (k, v[k]) for k in sorted(v))
            self.send(200, body)
        elif path == "/vars.json":
            self.send(200, json.dumps(s.vars(), sort_keys=True), "application/json")
        elif path == "/health":
            self.send(200, "OK")
        elif path == "/leaderhealth":
            # Aurora's LeaderHealth: from the leader as the serverset shows it,
            # so with nobody registered every scheduler answers 502.
            if s.o.leader and s.o.registered:
                code = 200
            elif not s.o.leader and s.o.leader_url:
                code = 503
            else:
                code = 502
            self.send(code, "Current status: %s\n\n%s" % (LEADERHEALTH[code], LEADERHEALTH_HELP))
        else:
            self.send_error_page(404, "Not Found")

    def do_HEAD(self):
        self.send_error_page(405, "Method Not Allowed")

    # -- POST /api ---------------------------------------------------------------

    def do_POST(self):
        s = self.S
        o = s.o
        body = self.read_body()
        path = self.path.split("?", 1)[0]
        if path != "/api":
            self.send_error_page(404, "Not Found")
            return
        if o.slow:
            time.sleep(o.slow)
        if o.slow_changes and not re.search(rb'"(listBackups|queryRecovery|getTasks\w*)"', body[:64]):
            time.sleep(o.slow_changes)
        if o.status_401:
            self.send_error_page(401, "Unauthorized", self.challenge())
            return
        if o.status_415:
            self.send(415, "Unsupported Content-Type: %s" % self.headers.get("Content-Type"))
            return
        if o.status_500:
            self.send_error_page(500, "Server Error")
            return
        if o.status_503:
            self.send_error_page(503, "No leader found")
            return
        if o.redirect:
            to = o.redirect if o.redirect != "self" else "http://%s:%d" % self.server.server_address[:2]
            self.send_error_page(307, "Temporary Redirect", [("Location", to + self.path)])
            return
        if o.garbage:
            self.send(200, '[1,"listBackups",2,0,{"0":{"rec":{"1":{"i32":1},,]', THRIFT_JSON)
            return
        if o.huge:
            self.send_huge(o.huge)
            return

        # LeaderRedirectFilter
        if self.headers.get(BYPASS) is None and not (o.leader and o.registered):
            if not o.leader and o.leader_url:
                loc = o.leader_url + self.path
                self.send_error_page(307, "Temporary Redirect", [("Location", loc)])
            else:
                self.send_error_page(503, "No leader found")
            return

        # Shiro's authentication filter (permissive)
        user = None
        authz = self.headers.get("Authorization")
        if o.log_auth and authz:
            with open(o.log_auth, "a") as f:
                f.write(authz + "\n")
        if o.auth == "basic" and authz and authz.split(" ", 1)[0].lower() == "basic":
            user = self.basic_user(authz)
            if user is None:
                self.send_error_page(401, "Unauthorized", self.challenge())
                return
        elif o.auth == "negotiate" and authz:
            scheme, _, tok = authz.partition(" ")
            if scheme.lower() != "negotiate" or not tok.strip():
                self.send_error_page(400, "Bad Request")
                return
            try:
                token = base64.b64decode(tok.strip(), validate=True)
            except Exception:
                self.send_error_page(400, "Bad Request")
                return
            user = self.negotiate_user(token)
            if user is None:
                self.send_error_page(401, "Unauthorized", self.challenge())
                return

        # TContentAwareServlet
        ctype = self.headers.get("Content-Type")
        ct = (ctype or "").strip().lower()
        if ct in JSON_TYPES:
            pin = TJSONProtocol.TJSONProtocolFactory()
        elif ct == THRIFT_BINARY:
            pin = TBinaryProtocol.TBinaryProtocolFactory()
        else:
            self.send(415, "Unsupported Content-Type: %s" % ctype)
            return
        accept = (self.headers.get("Accept") or "").strip().lower()
        binary_out = accept == THRIFT_BINARY
        rtype = THRIFT_BINARY if binary_out else THRIFT_JSON

        try:
            name = pin.getProtocol(TTransport.TMemoryBuffer(body)).readMessageBegin()[0]
        except Exception as e:
            self.send_error_page(500, "Server Error: cannot decode the call: %s" % e)
            return
        # ShiroAuthenticatingThriftInterceptor
        if o.auth != "none" and user is None and name in s.auth_methods:
            self.send_error_page(401, "Unauthorized", self.challenge())
            return

        s.ctx.user = user
        s.ctx.commit = False
        try:
            out = s.dispatch(body, pin, binary_out)
        except Exception as e:
            traceback.print_exc()
            self.send_error_page(500, "Server Error: %s" % e)
            return
        if o.verbose:
            log("api %s user=%s -> %d bytes" % (name, user, len(out)))
        if s.ctx.commit and o.drop_on_commit:
            log("commitRecovery: dropping the connection without an answer")
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.connection.close()
            exit_now(0)
        if o.wrong_name and not binary_out:
            out = out.replace(b'"%s"' % name.encode(), b'"getVersion"', 1)
        if o.wrong_seqid and not binary_out:
            head, sep, rest = out.partition(b",0,")
            out = head + b",7," + rest
        if o.drip:
            self.send_drip(out, rtype, o.drip)
            return
        self.send(200, out, rtype, truncate=o.truncate)
        if s.ctx.commit:
            try:
                self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            exit_now(0)
        if o.exit_after == name:
            log("%s: crashing as asked (--exit-after)" % name)
            os._exit(1)

    def basic_user(self, authz):
        try:
            raw = base64.b64decode(authz.split(" ", 1)[1].strip()).decode("utf-8")
        except Exception:
            return None
        u, sep, p = raw.partition(":")
        if sep and self.S.o.users.get(u) == p:
            return u
        return None

    def negotiate_user(self, token):
        import gssapi
        try:
            ctx = gssapi.SecurityContext(creds=self.G, usage="accept")
            ctx.step(token)
            if not ctx.complete:
                return None
            return str(ctx.initiator_name)
        except Exception as e:
            log("negotiate: login failed: %s" % e)
            return None


def load_users(path):
    users = {}
    if not path:
        return users
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            u, sep, p = line.partition(":")
            if sep:
                users[u] = p
    return users


def main():
    ap = argparse.ArgumentParser(description="Aurora scheduler test double")
    ap.add_argument("--host", default="127.0.0.1", help="a loopback address, 127.0.0.N")
    ap.add_argument("--port", type=int, default=0, help="0: a free one (printed)")
    ap.add_argument("--idl", help="Thrift IDL (default: aurora_extra.thrift or aurora_test.thrift)")
    ap.add_argument("--state", help="binary Snapshot to start from (missing/empty: no tasks); "
                    "commitRecovery writes the committed state here")
    ap.add_argument("--backup-dir", required=True, help="the scheduler's -backup_dir")
    ap.add_argument("--cluster", default="devcluster", help="serverInfo.clusterName")
    ap.add_argument("--lifecycle", choices=LIFECYCLE,
                    help="default: LEADER_AWAITING_REGISTRATION for a leader (ACTIVE when "
                    "--registered), STORAGE_PREPARED otherwise")
    ap.add_argument("--leader", action="store_true", help="this scheduler holds the leadership")
    ap.add_argument("--leader-url", help="where a non-leader redirects: http://host:port "
                    "(a trailing /api is dropped); the Location is it plus the request's path")
    ap.add_argument("--registered", action="store_true",
                    help="registered with Mesos (implied by --leader --lifecycle ACTIVE): "
                    "framework_registered 1, and a leader that serves /api without the bypass")
    ap.add_argument("--auth", choices=["none", "basic", "negotiate"], default="none")
    ap.add_argument("--users", help="basic: file of user:password lines")
    ap.add_argument("--allowed", help="comma-separated users with the AuroraAdmin permissions "
                    "(default: every authenticated user)")
    ap.add_argument("--keytab", help="negotiate: the server's keytab (sets KRB5_KTNAME)")
    ap.add_argument("--principal", help="negotiate: acceptor principal (default: any in the keytab)")
    ap.add_argument("--slow", type=float, default=0.0, metavar="SECS",
                    help="delay every /api answer by SECS")
    ap.add_argument("--slow-changes", type=float, default=0.0, metavar="SECS",
                    help="delay the answer to every /api call that changes state by SECS "
                    "(reads, such as the cluster check before a change, are answered at once)")
    ap.add_argument("--truncate", action="store_true",
                    help="send the full Content-Length but half the body, then close")
    ap.add_argument("--drop-on-commit", action="store_true",
                    help="commitRecovery commits, then closes the connection unanswered and exits")
    ap.add_argument("--transient", action="store_true",
                    help="every call answers ERROR_TRANSIENT 'Storage is not READY'")
    ap.add_argument("--status-401", action="store_true", help="every /api request gets 401")
    ap.add_argument("--status-415", action="store_true", help="every /api request gets 415")
    ap.add_argument("--status-500", action="store_true", help="every /api request gets 500")
    ap.add_argument("--status-503", action="store_true", help="every /api request gets 503")
    ap.add_argument("--redirect", metavar="URL", help="every /api request gets 307 to URL + path "
                    "(self: to this double itself, a loop)")
    ap.add_argument("--drip", type=float, default=0.0, metavar="SECS",
                    help="answer /api one byte every SECS (the full Content-Length announced)")
    ap.add_argument("--garbage", action="store_true", help="answer /api 200 with broken JSON")
    ap.add_argument("--wrong-name", action="store_true",
                    help="answer /api with the reply renamed getVersion")
    ap.add_argument("--wrong-seqid", action="store_true", help="answer /api with seqid 7")
    ap.add_argument("--log-auth", metavar="FILE",
                    help="append every Authorization header to FILE (to look for it in the client's output)")
    ap.add_argument("--huge", type=int, default=0, metavar="BYTES",
                    help="answer /api with a listBackups reply of BYTES bytes")
    ap.add_argument("--lifetime", type=float, default=1800.0, metavar="SECS",
                    help="exit 0 by itself after SECS (default 1800)")
    ap.add_argument("--verbose", action="store_true", help="log every request on stderr")
    ap.add_argument("--tls-cert", help="serve https with this PEM certificate (and --tls-key)")
    ap.add_argument("--tls-key", help="the certificate's private key")
    ap.add_argument("--exit-after", metavar="METHOD",
                    help="crash (exit 1, election nodes left behind) right after answering METHOD")
    ap.add_argument("--record", metavar="FILE", help="append every /api call's method to FILE")
    ap.add_argument("--zk", metavar="HOST:PORT", help="take part in the leader election there "
                    "(election.py); --leader is then decided by it")
    ap.add_argument("--serverset-path", default="/aurora/scheduler")
    ap.add_argument("--advertise", help="the election node's data (default --host)")
    ap.add_argument("--zk-session", type=float, default=4.0, metavar="SECS",
                    help="ZooKeeper session timeout: how long a crashed double's nodes stay")
    ap.add_argument("--log-dir", help="the replica (-native_log_file_path): it must be "
                    "initialized before the double can prepare its storage")
    ap.add_argument("--mesos-master", help="-mesos_master_address: zk://HOSTS/PATH with a Mesos "
                    "master node under PATH lets the leader register")
    o = ap.parse_args()

    if not o.host.startswith("127."):
        ap.error("loopback addresses only (127.0.0.0/8)")
    if not os.path.isdir(o.backup_dir):
        ap.error("--backup-dir %s is not a directory" % o.backup_dir)
    if o.leader_url:
        o.leader_url = o.leader_url.rstrip("/")
        if o.leader_url.endswith("/api"):
            o.leader_url = o.leader_url[:-4]
    if o.lifecycle is None:
        o.lifecycle = ("ACTIVE" if o.registered else "LEADER_AWAITING_REGISTRATION") \
            if o.leader else "STORAGE_PREPARED"
    if o.lifecycle == "ACTIVE" and o.leader:
        o.registered = True     # ACTIVE is the state after registering with Mesos
    o.allowed = None if o.allowed is None else {u.strip() for u in o.allowed.split(",") if u.strip()}
    o.users = load_users(o.users)

    election = None
    if o.zk:
        import election as election_mod
        if o.leader or o.registered:
            ap.error("--zk decides --leader and --registered")
        o.advertise = o.advertise or o.host
        election = election_mod.Election(o, log)
        EXIT_HOOKS.append(election.close)
        o.lifecycle = "PREPARING_STORAGE"
    Http.S = Scheduler(o, aurora_idl.load(o.idl))
    if o.auth == "negotiate":
        if o.keytab:
            os.environ["KRB5_KTNAME"] = os.path.abspath(o.keytab)
        try:
            import gssapi
        except ImportError as e:
            raise SystemExit("scheduler: --auth negotiate needs python3-gssapi: %s" % e)
        name = None
        if o.principal:
            name = gssapi.Name(o.principal, gssapi.NameType.kerberos_principal)
        try:
            Http.G = gssapi.Credentials(name=name, usage="accept")
        except Exception as e:
            raise SystemExit("scheduler: no acceptor credentials (keytab %s): %s"
                             % (os.environ.get("KRB5_KTNAME"), e))

    srv = http.server.ThreadingHTTPServer((o.host, o.port), Http)
    if o.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(o.tls_cert, o.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: exit_now(0))
    signal.signal(signal.SIGINT, lambda *_: exit_now(0))
    t = threading.Timer(o.lifetime, lambda: exit_now(0))
    t.daemon = True
    t.start()
    host, port = srv.server_address[:2]
    print("LISTENING %s:%d" % (host, port), flush=True)
    if election is not None:
        o.port = port
        threading.Thread(target=election.start, daemon=True).start()
    log("listening on %s:%d leader=%s lifecycle=%s auth=%s tasks=%d"
        % (host, port, o.leader, o.lifecycle, o.auth, len(Http.S.state.tasks or ())))
    srv.serve_forever()


if __name__ == "__main__":
    main()
