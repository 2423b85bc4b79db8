#!/usr/bin/python3
"""bench/impact-baseline.py BACKUP STATE: the baseline of bench/impact.sh.
The backup decoded with python3-thrift (its C-accelerated binary protocol
when present), /master/state with json.load, joined with a dict/set: the
same counts as impact prints."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "scheduler"))
sys.dont_write_bytecode = True
import aurora_idl  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TTransport  # noqa: E402

api = aurora_idl.load().T
snap = api.Snapshot()
data = open(sys.argv[1], "rb").read()
proto = TBinaryProtocol.TBinaryProtocolAccelerated(TTransport.TMemoryBuffer(data))
snap.read(proto)

backup = {t.assignedTask.taskId: api.ScheduleStatus._VALUES_TO_NAMES[t.status] for t in snap.tasks}
fid = snap.schedulerMetadata.frameworkId
state = json.load(open(sys.argv[2]))
running = set()
for f in state["frameworks"]:
    if f["id"] == fid:
        running |= {t["id"] for t in f["tasks"] if t["state"] in ("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING")}
kept = {"ASSIGNED", "STARTING", "RUNNING", "PARTITIONED"}
conflict = {"PENDING", "THROTTLED"}
killed = [t for t in running if backup.get(t) not in kept | conflict]
active = {"PENDING", "STARTING", "RUNNING", "ASSIGNED", "RESTARTING", "PREEMPTING", "THROTTLED", "DRAINING", "PARTITIONED"}
come_back = [t for t, s in backup.items() if s in active and t not in running]
print("kills %d of the %d tasks; %d come back" % (len(killed), len(running), len(come_back)))
