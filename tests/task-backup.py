#!/usr/bin/python3
"""task-backup.py OUT [TIMESTAMP-MS]: a backup holding exactly the tasks given.

Reads one task a line on stdin: "ROLE ENV JOB INSTANCE STATUS" (STATUS a
ScheduleStatus name, e.g. PARTITIONED) and writes one binary Thrift
Snapshot to OUT, as tests/scheduler/make_backup.py does, with those tasks
only: task ids ROLE-ENV-JOB-INSTANCE-STATUS, realistic TaskConfigs from
make_backup's Maker, and the timestamp given (default: now).
"""
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "scheduler"))
import aurora_idl  # noqa: E402
import make_backup  # noqa: E402


def main():
    out = sys.argv[1]
    ts = int(sys.argv[2]) if len(sys.argv) > 2 else int(time.time() * 1000)
    g = aurora_idl.load(None)
    T = g.T
    m = make_backup.Maker(g, 7)
    tasks = []
    for line in sys.stdin:
        if not line.strip() or line.startswith("#"):
            continue
        role, env, job, inst, status = line.split()
        conf = m.task_config(role, env, job, True, 1.0, 256, 1024, ["http"])
        tid = "%s-%s-%s-%s-%s" % (role, env, job, inst, status)
        at = make_backup.mk(T.AssignedTask, taskId=tid, task=conf, instanceId=int(inst),
                            slaveHost="agent-01.dc1.example.com", slaveId="S0")
        tasks.append(make_backup.mk(T.ScheduledTask, assignedTask=at, status=m.status(status),
                                    failureCount=0, taskEvents=[], ancestorId=None))
    snap = make_backup.mk(T.Snapshot, timestamp=ts, tasks=tasks)
    data = make_backup.encode(snap)
    with open(out + ".tmp", "wb") as f:
        f.write(data)
    os.rename(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
