#!/usr/bin/python3
"""backup.py SPEC.json OUT: write an Aurora backup holding exactly the tasks
of SPEC (aurora-facts.md, section 7): one Thrift Snapshot, binary protocol,
written here field by field (independent of the tool's reader and of
tests/scheduler/make_backup.py, whose tasks are random).

SPEC: {"timestamp_ms": T, "framework_id": ID (left out: no
schedulerMetadata), "old": false, "tasks": [{"id", "role", "env", "job",
"instance", "status"}]}. "old": true writes the TaskConfig of backups older
than JobKey (17 owner.role, 26 environment, 3 jobName).
"""
import json
import struct
import sys

STATUS = {"PENDING": 0, "STARTING": 1, "RUNNING": 2, "FINISHED": 3, "FAILED": 4,
          "KILLED": 5, "KILLING": 6, "LOST": 7, "ASSIGNED": 9, "INIT": 11,
          "RESTARTING": 12, "PREEMPTING": 13, "THROTTLED": 16, "DRAINING": 17,
          "PARTITIONED": 18}
STOP, I32, I64, STRING, STRUCT, SET = 0, 8, 10, 11, 12, 14


def fld(t, i):
    return struct.pack(">bh", t, i)


def s(i, v):
    b = v.encode()
    return fld(STRING, i) + struct.pack(">i", len(b)) + b


def i32(i, v):
    return fld(I32, i) + struct.pack(">i", v)


def task(t, old):
    if old:
        cfg = (fld(STRUCT, 17) + s(1, t["role"]) + b"\0" + s(26, t["env"]) + s(3, t["job"]))
    else:
        cfg = fld(STRUCT, 28) + s(1, t["role"]) + s(2, t["env"]) + s(3, t["job"]) + b"\0"
    cfg += fld(2, 7) + b"\1" + b"\0"            # isService, end of TaskConfig
    assigned = b""
    if "id" in t:
        assigned += s(1, t["id"])
    assigned += s(3, "agent-1") + fld(STRUCT, 4) + cfg + i32(6, t["instance"]) + b"\0"
    return fld(STRUCT, 1) + assigned + i32(2, STATUS[t["status"]]) + i32(3, 0) + b"\0"


def main():
    spec = json.load(open(sys.argv[1]))
    out = fld(I64, 1) + struct.pack(">q", spec.get("timestamp_ms", 0))
    tasks = spec["tasks"]
    out += fld(SET, 4) + struct.pack(">bi", STRUCT, len(tasks))
    out += b"".join(task(t, spec.get("old", False)) for t in tasks)
    if spec.get("framework_id") is not None:
        out += fld(STRUCT, 6) + s(1, spec["framework_id"]) + b"\0"
    out += b"\0"
    with open(sys.argv[2], "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
