#!/usr/bin/python3
"""client.py: call an Aurora scheduler's admin API the way aurora_admin does.

Uses python3-thrift's THttpClient and TJSONProtocol (Content-Type
application/x-thrift), the test IDL (see aurora_idl.py). Doubles as the
baseline "what aurora_admin does" for benchmarks.

  client.py --url http://127.0.0.2:8081/api [--bypass]
            [--user U:P | --negotiate [--negotiate-host H]]
            [--timeout SECS] --method METHOD [ARGS]

METHOD: listBackups, performBackup, stageRecovery (--backup ID), queryRecovery,
deleteRecoveryTasks, commitRecovery, unloadRecovery, getTasksWithoutConfigs,
getTasksStatus. Task filters: --query role[/env[/job]], --task-id ID (repeat
or comma list), --status NAME,..., --instance N,...; queryRecovery and the
read calls ask for the active states unless --status or --all-states is given
(aurora_admin's scheduler_print_recovery_tasks queries ACTIVE_STATES);
deleteRecoveryTasks sends only what is given.

Prints as aurora_admin: listBackups -> "N available backups:" then one name a
line (sorted); task calls -> "Role\tJob\tShard\tStatus\tTask ID" then one line
a task (sorted by role, job, shard, task id); other calls print nothing.
--count prints only the number of tasks.
Exit: 0 OK; 1 the scheduler answered non-OK (code and messages on stderr);
2 HTTP/transport failure (status, Location, body on stderr); 64 usage.
"""
import argparse
import base64
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import aurora_idl  # noqa: E402

from thrift.transport import THttpClient  # noqa: E402
from thrift.protocol import TJSONProtocol  # noqa: E402


class HttpError(Exception):
    def __init__(self, code, reason, location, body):
        Exception.__init__(self, "HTTP %s %s" % (code, reason))
        self.code, self.reason, self.location, self.body = code, reason, location, body


class CheckedHttpClient(THttpClient.THttpClient):
    """THttpClient that refuses non-200 answers instead of decoding them."""

    def flush(self):
        THttpClient.THttpClient.flush(self)
        if self.code != 200:
            body = b""
            try:
                body = self.read(4096)
            except Exception:
                pass
            raise HttpError(self.code, self.message, self.headers.get("Location"), body)


def negotiate_header(url, host=None):
    import gssapi
    from urllib.parse import urlparse
    host = host or urlparse(url).hostname
    name = gssapi.Name("HTTP@" + host, gssapi.NameType.hostbased_service)
    spnego = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
    ctx = gssapi.SecurityContext(name=name, usage="initiate", mech=spnego)
    return "Negotiate " + base64.b64encode(ctx.step()).decode()


def split_list(values):
    out = []
    for v in values or ():
        out.extend(x for x in v.split(",") if x)
    return out


def build_query(g, a, default_active):
    q = g.T.TaskQuery()
    if a.query:
        parts = a.query.split("/")
        if len(parts) > 3:
            raise SystemExit("client: --query is role[/env[/job]]")
        for attr, val in zip(("role", "environment", "jobName"), parts):
            if val:
                setattr(q, attr, val)
    ids = split_list(a.task_id)
    if ids:
        q.taskIds = set(ids)
    if a.status:
        q.statuses = {aurora_idl.status_code(g, s) for s in split_list(a.status)}
    elif default_active and not a.all_states:
        q.statuses = set(aurora_idl.ACTIVE_STATES)
    if a.instance:
        q.instanceIds = {int(i) for i in split_list(a.instance)}
    return q


def print_tasks(g, tasks, count_only):
    if count_only:
        print(len(tasks))
        return
    rows = []
    for t in tasks:
        at = t.assignedTask
        role, env, job = aurora_idl.job_of(t)
        rows.append((role or "", job or "", at.instanceId if at else 0,
                     aurora_idl.status_name(g, t.status), at.taskId if at else ""))
    rows.sort()
    out = ["Role\tJob\tShard\tStatus\tTask ID"]
    out += ["%s\t%s\t%d\t%s\t%s" % r for r in rows]
    sys.stdout.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True, help="the scheduler's /api URL")
    ap.add_argument("--idl")
    ap.add_argument("--bypass", action="store_true", help="send Bypass-Leader-Redirect: true")
    ap.add_argument("--user", help="basic auth USER:PASSWORD")
    ap.add_argument("--negotiate", action="store_true", help="SPNEGO with the current ticket")
    ap.add_argument("--negotiate-host", help="host of the service principal HTTP@HOST "
                    "(default: the URL's host)")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--method", required=True)
    ap.add_argument("--backup", help="stageRecovery: the backup id")
    ap.add_argument("--query", help="role[/env[/job]]")
    ap.add_argument("--task-id", action="append")
    ap.add_argument("--status", action="append", help="NAME,... (e.g. RUNNING,PENDING)")
    ap.add_argument("--instance", action="append")
    ap.add_argument("--all-states", action="store_true")
    ap.add_argument("--count", action="store_true")
    ap.add_argument("--time", action="store_true", help="print the call's wall time on stderr")
    a = ap.parse_args()

    g = aurora_idl.load(a.idl)
    svc = g.services["AuroraAdmin"]
    trans = CheckedHttpClient(a.url)
    trans.setTimeout(int(a.timeout * 1000))
    headers = {}
    if a.bypass:
        headers["Bypass-Leader-Redirect"] = "true"
    if a.user:
        headers["Authorization"] = "Basic " + base64.b64encode(a.user.encode()).decode()
    if a.negotiate:
        try:
            headers["Authorization"] = negotiate_header(a.url, a.negotiate_host)
        except Exception as e:
            print("client: negotiate: %s" % e, file=sys.stderr)
            return 2
    trans.setCustomHeaders(headers)
    client = svc.Client(TJSONProtocol.TJSONProtocol(trans))

    m = a.method
    if not hasattr(client, m):
        print("client: unknown method %s" % m, file=sys.stderr)
        return 64
    if m == "stageRecovery":
        if not a.backup:
            print("client: stageRecovery needs --backup", file=sys.stderr)
            return 64
        args = [a.backup]
    elif m in ("queryRecovery", "getTasksWithoutConfigs", "getTasksStatus"):
        args = [build_query(g, a, True)]
    elif m == "deleteRecoveryTasks":
        args = [build_query(g, a, False)]
    else:
        args = []

    t0 = time.monotonic()
    try:
        resp = getattr(client, m)(*args)
    except HttpError as e:
        print("client: %s%s" % (e, (" Location: %s" % e.location) if e.location else ""),
              file=sys.stderr)
        if e.body:
            print(e.body.decode("utf-8", "replace"), file=sys.stderr)
        return 2
    except Exception as e:
        print("client: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 2
    finally:
        if a.time:
            print("client: %s took %.3f s" % (m, time.monotonic() - t0), file=sys.stderr)

    RC = g.T.ResponseCode
    if resp.responseCode != RC.OK:
        msgs = "; ".join(d.message or "" for d in (resp.details or []))
        print("Response from scheduler: %s (message: %s)"
              % (RC._VALUES_TO_NAMES.get(resp.responseCode, resp.responseCode), msgs),
              file=sys.stderr)
        return 1
    r = resp.result
    if m == "listBackups":
        backups = sorted((r.listBackupsResult.backups or ()) if r and r.listBackupsResult else ())
        sys.stdout.write("%d available backups:\n" % len(backups))
        for b in backups:
            sys.stdout.write(b + "\n")
    elif m == "queryRecovery":
        print_tasks(g, list(r.queryRecoveryResult.tasks or ()), a.count)
    elif m in ("getTasksWithoutConfigs", "getTasksStatus"):
        print_tasks(g, list(r.scheduleStatusResult.tasks or ()), a.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
