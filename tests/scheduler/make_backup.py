#!/usr/bin/python3
"""make_backup.py: write an Aurora backup file, or describe one.

  make_backup.py --out FILE [--tasks N] [--timestamp-ms T] [--seed S] [--cron N]
  make_backup.py --dump FILE

Writes one Thrift Snapshot, binary protocol, no header (what Aurora's
StorageBackup writes to -backup_dir): field 1 the timestamp in ms (default:
now), N tasks (default 20) in jobs of a few instances with realistic
TaskConfigs (JobKey role/environment/name, owner, resources and the legacy
numCpus/ramMb/diskMb, metadata, constraints, an AuroraExecutor config, ports),
task events leading to a varied status (about 3 in 4 active: RUNNING mostly,
then PENDING, ASSIGNED, STARTING, THROTTLED..., the rest FINISHED, FAILED,
KILLED, LOST), cron jobs (default 2), host attributes, quotas and the
framework id. The same --seed gives the same bytes.

--dump prints "timestamp T", "tasks N", "cronJobs N", then one line a task,
sorted: "taskId STATUS role/env/job/instance".
Fields the IDL lacks are left out, so this works with any IDL that has
Aurora's names.
"""
import argparse
import json
import os
import random
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import aurora_idl  # noqa: E402

from thrift.transport import TTransport  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.Thrift import TType  # noqa: E402

ROLES = ["www-data", "analytics", "payments", "search", "infra", "ml-training"]
ENVS = ["prod", "prod", "staging", "devel", "test"]
JOBS = ["hello", "web", "api", "worker", "indexer", "ingest", "frontend", "nightly_report",
        "kafka-consumer", "cache", "scheduler-proxy", "thumbnailer"]
HOSTS = ["agent-%02d.dc1.example.com" % i for i in range(1, 25)]
ACTIVE_MIX = ["RUNNING"] * 12 + ["PENDING"] * 2 + ["ASSIGNED", "STARTING", "THROTTLED",
                                                    "KILLING", "RESTARTING", "PREEMPTING"]
TERMINAL_MIX = ["FINISHED", "FINISHED", "FAILED", "KILLED", "KILLED", "LOST"]
PATHS = {  # events that lead to a status
    "PENDING": ["INIT", "PENDING"],
    "THROTTLED": ["INIT", "THROTTLED"],
    "ASSIGNED": ["INIT", "PENDING", "ASSIGNED"],
    "STARTING": ["INIT", "PENDING", "ASSIGNED", "STARTING"],
    "RUNNING": ["INIT", "PENDING", "ASSIGNED", "STARTING", "RUNNING"],
    "KILLING": ["INIT", "PENDING", "ASSIGNED", "STARTING", "RUNNING", "KILLING"],
    "RESTARTING": ["INIT", "PENDING", "ASSIGNED", "STARTING", "RUNNING", "RESTARTING"],
    "PREEMPTING": ["INIT", "PENDING", "ASSIGNED", "STARTING", "RUNNING", "PREEMPTING"],
    "FINISHED": ["INIT", "PENDING", "ASSIGNED", "STARTING", "RUNNING", "FINISHED"],
    "FAILED": ["INIT", "PENDING", "ASSIGNED", "STARTING", "RUNNING", "FAILED"],
    "KILLED": ["INIT", "PENDING", "ASSIGNED", "STARTING", "RUNNING", "KILLING", "KILLED"],
    "LOST": ["INIT", "PENDING", "ASSIGNED", "STARTING", "RUNNING", "LOST"],
}


class OSet(set):
    """A set that iterates in insertion order, so that the same seed writes the
    same bytes (the generated structs hash by identity)."""

    def __init__(self, items=()):
        items = list(items)
        set.__init__(self, items)
        self._order = items

    def __iter__(self):
        return iter(self._order)


def mk(cls, **kw):
    """An instance of cls with the fields it has (others are ignored). A list
    given for a set field becomes an OSet in that order; a set of plain values
    is sorted."""
    spec = {s[2]: s for s in (cls.thrift_spec or ()) if s}
    obj = cls()
    for k, v in kw.items():
        if k not in spec or v is None:
            continue
        if spec[k][1] == TType.SET:
            if isinstance(v, (list, tuple)):
                v = OSet(v)
            elif isinstance(v, set) and not isinstance(v, OSet):
                v = OSet(sorted(v))
        setattr(obj, k, v)
    return obj


def has(g, name):
    return name in g.types


class Maker(object):
    def __init__(self, g, seed):
        self.g = g
        self.T = g.T
        self.rng = random.Random(seed)

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def status(self, name):
        return self.T.ScheduleStatus._NAMES_TO_VALUES[name]

    def job_key(self, role, env, name):
        return mk(self.T.JobKey, role=role, environment=env, name=name)

    def task_config(self, role, env, name, service, cpus, ram, disk, ports):
        T, g = self.T, self.g
        resources = None
        if has(g, "Resource"):
            resources = [mk(T.Resource, numCpus=cpus), mk(T.Resource, ramMb=ram),
                         mk(T.Resource, diskMb=disk)]
            resources += [mk(T.Resource, namedPort=p) for p in ports]
        metadata = None
        if has(g, "Metadata"):
            metadata = [mk(T.Metadata, key="owner-team", value=role.split("-")[0] + "-team"),
                        mk(T.Metadata, key="build", value="%d" % self.rng.randint(1000, 99999)),
                        mk(T.Metadata, key="git-sha", value="%040x" % self.rng.getrandbits(160))]
        constraints = None
        if has(g, "Constraint") and has(g, "TaskConstraint") and has(g, "LimitConstraint"):
            tc = mk(T.TaskConstraint, limit=mk(T.LimitConstraint, limit=1))
            constraints = [mk(T.Constraint, name="host", constraint=tc)]
        executor = None
        if has(g, "ExecutorConfig"):
            thermos = {
                "environment": env, "role": role, "name": name, "cluster": "devcluster",
                "service": service, "max_task_failures": 1, "production": env == "prod",
                "priority": 0, "tier": "preferred" if env == "prod" else "preemptible",
                "task": {"name": name, "finalization_wait": 30, "max_failures": 1,
                         "max_concurrency": 0,
                         "resources": {"cpu": cpus, "ram": ram * 1048576, "disk": disk * 1048576},
                         "processes": [{"name": name, "daemon": False, "ephemeral": False,
                                        "max_failures": 1, "min_duration": 5, "final": False,
                                        "cmdline": "exec ./bin/%s --port={{thermos.ports[http]}} "
                                                   "--env=%s" % (name, env)}],
                         "constraints": [{"order": [name]}]},
                "health_check_config": {"initial_interval_secs": 15.0, "interval_secs": 10.0,
                                        "timeout_secs": 1.0, "max_consecutive_failures": 0},
                "announce": {"primary_port": "http", "portmap": {"aurora": "http"}}
                if service else None,
            }
            executor = mk(T.ExecutorConfig, name="AuroraExecutor",
                          data=json.dumps(thermos, sort_keys=True))
        owner = mk(T.Identity, user=role) if has(g, "Identity") else None
        return mk(T.TaskConfig, job=self.job_key(role, env, name), owner=owner,
                  isService=service, numCpus=cpus, ramMb=ram,
                  diskMb=disk, priority=0, maxTaskFailures=1, production=(env == "prod"),
                  tier="preferred" if env == "prod" else "preemptible", resources=resources,
                  constraints=constraints, requestedPorts=set(ports), metadata=metadata,
                  executorConfig=executor, contactEmail="%s@example.com" % role)

    def events(self, status_name, t0):
        T = self.T
        out = []
        t = t0
        for s in PATHS[status_name]:
            t += self.rng.randint(200, 90000)
            msg = {"ASSIGNED": None, "RUNNING": None, "FAILED": "Process exited with status 1",
                   "LOST": "Agent lost", "KILLED": "Killed by www-data",
                   "KILLING": "Killed by www-data", "THROTTLED": "Rescheduled, penalized for 30 "
                   "secs for rapid restarts"}.get(s)
            out.append(mk(T.TaskEvent, timestamp=t, status=self.status(s), message=msg,
                          scheduler="scheduler-1.dc1.example.com"))
        return out

    def snapshot(self, ntasks, ts, ncron):
        T, g, rng = self.T, self.g, self.rng
        tasks = []
        jobs = []
        n = 0
        while n < ntasks:
            role, env, name = rng.choice(ROLES), rng.choice(ENVS), rng.choice(JOBS)
            if any((role, env, name) == j[:3] for j in jobs):
                name = "%s-%d" % (name, len(jobs))
            count = min(ntasks - n, rng.choice([1, 1, 2, 3, 3, 5, 8]))
            jobs.append((role, env, name, count))
            n += count
        for role, env, name, count in jobs:
            service = name not in ("nightly_report",)
            cpus = rng.choice([0.25, 0.5, 1.0, 2.0, 4.0])
            ram = rng.choice([128, 256, 512, 1024, 4096])
            disk = rng.choice([256, 1024, 4096])
            ports = ["http"] + (["admin"] if service and rng.random() < 0.5 else [])
            for inst in range(count):
                conf = self.task_config(role, env, name, service, cpus, ram, disk, ports)
                sname = rng.choice(ACTIVE_MIX if rng.random() < 0.75 else TERMINAL_MIX)
                assigned = sname not in ("PENDING", "THROTTLED")
                host = rng.choice(HOSTS) if assigned else None
                tid = "%s-%s-%s-%d-%s" % (role, env, name, inst, self.uuid())
                ev = self.events(sname, ts - rng.randint(3600000, 30 * 86400000))
                at = mk(T.AssignedTask, taskId=tid, task=conf, instanceId=inst,
                        slaveId=("%s-S%d" % (self.uuid(), rng.randint(0, 40))) if assigned else None,
                        slaveHost=host,
                        assignedPorts={p: rng.randint(31000, 32000) for p in ports}
                        if assigned else None)
                tasks.append(mk(T.ScheduledTask, assignedTask=at, status=self.status(sname),
                             failureCount=rng.choice([0, 0, 0, 1, 2]), taskEvents=ev,
                             ancestorId=None))
        snap = mk(T.Snapshot, timestamp=ts, tasks=tasks)
        if has(g, "StoredCronJob") and has(g, "JobConfiguration"):
            crons = []
            for i in range(ncron):
                role, env = rng.choice(ROLES), rng.choice(ENVS)
                name = "cron_%s_%d" % (rng.choice(["cleanup", "report", "backup", "rollup"]), i)
                conf = self.task_config(role, env, name, False, 0.5, 256, 512, [])
                policy = None
                if has(g, "CronCollisionPolicy"):
                    policy = T.CronCollisionPolicy._NAMES_TO_VALUES.get("KILL_EXISTING")
                jc = mk(T.JobConfiguration, key=self.job_key(role, env, name),
                        owner=mk(T.Identity, user=role) if has(g, "Identity") else None,
                        cronSchedule="%d %d * * *" % (rng.randint(0, 59), rng.randint(0, 23)),
                        cronCollisionPolicy=policy, taskConfig=conf, instanceCount=1)
                crons.append(mk(T.StoredCronJob, jobConfiguration=jc))
            snap.cronJobs = OSet(crons)
        if has(g, "SchedulerMetadata"):
            snap.schedulerMetadata = mk(T.SchedulerMetadata,
                                        frameworkId="%s-0000" % self.uuid(),
                                        details={"aurora_version": "0.22.0"})
        if has(g, "HostAttributes") and has(g, "Attribute"):
            mode = None
            if has(g, "MaintenanceMode"):
                mode = T.MaintenanceMode._NAMES_TO_VALUES.get("NONE")
            snap.hostAttributes = OSet([
                mk(T.HostAttributes, host=h, slaveId="%s-S%d" % (self.uuid(), i),
                   attributes=[mk(T.Attribute, name="rack", values={"r%d" % (i % 4)}),
                               mk(T.Attribute, name="host", values={h})],
                   mode=mode)
                for i, h in enumerate(HOSTS[:6])])
        if has(g, "QuotaConfiguration") and has(g, "ResourceAggregate"):
            quotas = []
            for role in ROLES[:3]:
                res = None
                if has(g, "Resource"):
                    res = [mk(T.Resource, numCpus=100.0), mk(T.Resource, ramMb=409600),
                           mk(T.Resource, diskMb=1024000)]
                quotas.append(mk(T.QuotaConfiguration, role=role,
                              quota=mk(T.ResourceAggregate, numCpus=100.0, ramMb=409600,
                                       diskMb=1024000, resources=res)))
            snap.quotaConfigurations = OSet(quotas)
        return snap


def encode(snap):
    buf = TTransport.TMemoryBuffer()
    snap.write(TBinaryProtocol.TBinaryProtocolAccelerated(buf))
    return buf.getvalue()


def decode(g, data):
    snap = g.T.Snapshot()
    snap.read(TBinaryProtocol.TBinaryProtocolAccelerated(TTransport.TMemoryBuffer(data)))
    return snap


def dump(g, path):
    with open(path, "rb") as f:
        snap = decode(g, f.read())
    lines = []
    for t in snap.tasks or ():
        role, env, job = aurora_idl.job_of(t)
        at = t.assignedTask
        lines.append("%s %s %s/%s/%s/%d" % (at.taskId, aurora_idl.status_name(g, t.status),
                                            role, env, job, at.instanceId))
    print("timestamp %s" % snap.timestamp)
    print("tasks %d" % len(snap.tasks or ()))
    print("cronJobs %d" % len(getattr(snap, "cronJobs", None) or ()))
    for line in sorted(lines):
        print(line)


def main():
    ap = argparse.ArgumentParser(description="write an Aurora backup (binary Thrift Snapshot)")
    ap.add_argument("--out")
    ap.add_argument("--dump")
    ap.add_argument("--tasks", type=int, default=20)
    ap.add_argument("--timestamp-ms", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cron", type=int, default=2)
    ap.add_argument("--idl")
    a = ap.parse_args()
    g = aurora_idl.load(a.idl)
    if a.dump:
        dump(g, a.dump)
        return 0
    if not a.out:
        ap.error("--out FILE or --dump FILE")
    ts = a.timestamp_ms if a.timestamp_ms is not None else int(time.time() * 1000)
    data = encode(Maker(g, a.seed).snapshot(a.tasks, ts, a.cron))
    tmp = a.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
