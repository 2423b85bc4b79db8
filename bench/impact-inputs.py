#!/usr/bin/python3
"""bench/impact-inputs.py N DIR: the inputs of bench/impact.sh. DIR/spec.json
(a backup of N tasks for tests/mesos/backup.py: 9 in 10 also run in Mesos,
states mixed) and, for Mesos, N running tasks of framework fw-bench as
Mesos 1.x writes them (statuses, labels, discovery, resources): DIR/state.json
(/master/state) and the same tasks as /master/tasks pages of 1000 at the
offsets the tool asks for (every 990: its pages overlap by 10, src/mesos.c)
(DIR/tasks-OFFSET.json), plus DIR/empty.json."""
import json
import os
import sys

n, d = int(sys.argv[1]), sys.argv[2]
STATES = ["RUNNING"] * 14 + ["FINISHED", "KILLED", "PENDING", "RESTARTING", "ASSIGNED", "LOST"]
JOBS = ["web", "api", "worker", "indexer", "ingest", "cache", "frontend", "thumbnailer"]


def tid(i):
    return "role%d-prod-%s-%d-%08x-1111-2222-3333-%012x" % (i % 7, JOBS[i % 8], i // 56, i, i)


backup = [{"id": tid(i) if i % 10 else tid(i + n), "role": "role%d" % (i % 7), "env": "prod",
           "job": JOBS[i % 8], "instance": i // 56, "status": STATES[i % len(STATES)]} for i in range(n)]
json.dump({"timestamp_ms": 1764990000000, "framework_id": "fw-bench", "tasks": backup},
          open(os.path.join(d, "spec.json"), "w"))


def task(i):
    t = tid(i)
    return {"id": t, "name": "role%d/prod/%s" % (i % 7, JOBS[i % 8]), "framework_id": "fw-bench",
            "executor_id": "thermos-" + t, "slave_id": "a1b2c3d4-0000-1111-2222-333344445555-S%d" % (i % 500),
            "state": "TASK_RUNNING",
            "resources": {"disk": 128.0, "mem": 256.0, "gpus": 0.0, "cpus": 0.25, "ports": "[31000-31001]"},
            "role": "role%d" % (i % 7),
            "statuses": [{"state": "TASK_STARTING", "timestamp": 1764990000.123456,
                          "container_status": {"container_id": {"value": "c%032x" % i}}},
                         {"state": "TASK_RUNNING", "timestamp": 1764990005.123456,
                          "container_status": {"container_id": {"value": "c%032x" % i},
                                               "network_infos": [{"ip_addresses": [{"protocol": "IPv4", "ip_address": "10.1.%d.%d" % (i % 250, i % 200)}]}]}}],
            "labels": [{"key": "org.apache.aurora.tier", "value": "preferred"},
                       {"key": "org.apache.aurora.metadata.owner", "value": "team-%d" % (i % 40)}],
            "discovery": {"visibility": "CLUSTER", "name": "role%d.prod.%s.%d" % (i % 7, JOBS[i % 8], i // 56),
                          "environment": "prod", "ports": {"ports": [{"number": 31000 + i % 1000, "name": "http", "protocol": "tcp"}]}},
            "container": {"type": "MESOS", "mesos": {"image": {"type": "DOCKER", "docker": {"name": "registry.example.com/app:%d" % (i % 30)}}}}}


tasks = [json.dumps(task(i)) for i in range(n)]
with open(os.path.join(d, "state.json"), "w") as f:
    f.write('{"version": "1.11.0", "leader": "master@127.0.0.1:5050", "frameworks": [{"id": "fw-bench", '
            '"name": "Aurora", "active": false, "connected": false, "tasks": [')
    f.write(",".join(tasks))
    f.write('], "completed_tasks": [], "unreachable_tasks": [], "executors": []}], "completed_frameworks": []}')
for off in range(0, n + 990, 990):
    with open(os.path.join(d, "tasks-%d.json" % off), "w") as f:
        f.write('{"tasks": [' + ",".join(tasks[off:off + 1000]) + "]}")
with open(os.path.join(d, "empty.json"), "w") as f:
    f.write('{"tasks": []}')
