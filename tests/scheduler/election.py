"""election.py: the scheduler double's ZooKeeper side and its replica.

Used by scheduler.py when it is given --zk (and --log-dir, --mesos-master).
It moves the double through Aurora's lifecycle (aurora-facts.md 1, 6, 8):

  storage   --log-dir is the Mesos replica. It must be initialized
            (metadata record VOTING) before the double prepares storage:
            judged from a scratch copy, as opening LevelDB rewrites files,
            then opened for real (no compression, as Mesos builds it) and
            held, so its LOCK is taken while the double runs. Otherwise the
            double stays in PREPARING_STORAGE and never becomes a candidate.
  election  a Curator LeaderLatch node <serverset>/_c_<uuid>-latch-<seq>,
            ephemeral sequential, data the advertised host; the lowest
            sequence leads: LEADER_AWAITING_REGISTRATION. The new leader
            appends one NOP entry to its replica at once, as Mesos does.
  register  when --mesos-master is zk://HOSTS/PATH and PATH holds a Mesos
            master node (json.info_* or info_*), the leader registers:
            ACTIVE, framework_registered 1, and a member_ node in the
            serverset. The profile's zk://localhost:1111/... never answers.

close() leaves the election at once (a clean stop); a crash leaves the nodes
until the ZooKeeper session expires (--zk-session seconds).
"""
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid

logging.getLogger("kazoo").setLevel(logging.CRITICAL)

META_KEY = b"0000000000"
RECORD_ACTION, RECORD_METADATA = 2, 3
VOTING = 1


def _varint(data, i):
    v = shift = 0
    while True:
        b = data[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return v, i


def _fields(data):
    """The (field, value) pairs of one protobuf message: ints or bytes."""
    i, out = 0, []
    while i < len(data):
        key, i = _varint(data, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _varint(data, i)
        elif wire == 2:
            n, i = _varint(data, i)
            v, i = data[i:i + n], i + n
        elif wire == 1:
            v, i = data[i:i + 8], i + 8
        elif wire == 5:
            v, i = data[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wire)
        out.append((num, v))
    return out


def _enc_varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def replica_status(value):
    """The Metadata status of a metadata record's bytes, or None."""
    f = dict(_fields(value))
    if f.get(1) != RECORD_METADATA or not isinstance(f.get(4), bytes):
        return None
    return dict(_fields(f[4])).get(1)


def nop_record(position):
    """Record{type ACTION, action{position, promised 1, performed 1,
    learned true, type NOP, nop{}}}."""
    action = (b"\x08" + _enc_varint(position) + b"\x10\x01\x18\x01\x20\x01"
              b"\x28\x01\x32\x00")
    return b"\x08" + _enc_varint(RECORD_ACTION) + b"\x1a" + _enc_varint(len(action)) + action


class Election(object):
    def __init__(self, o, log):
        self.o = o
        self.log = log
        self.zk = None
        self.node = None
        self.db = None
        self.closed = False
        self.lock = threading.Lock()

    # -- storage -------------------------------------------------------------

    def _initialized(self):
        import plyvel
        d = self.o.log_dir
        if not os.path.isdir(d) or not os.listdir(d):
            return "no replica at %s" % d
        tmp = tempfile.mkdtemp(prefix="replica.")
        try:
            copy = os.path.join(tmp, "db")
            shutil.copytree(d, copy, ignore=shutil.ignore_patterns("LOCK"))
            db = plyvel.DB(copy, create_if_missing=False, compression=None)
            try:
                value = db.get(META_KEY)
            finally:
                db.close()
        except Exception as e:
            return "replica %s cannot be read: %s" % (d, e)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if value is None:
            return "Replicated log has not been initialized (%s)" % d
        try:
            status = replica_status(value)
        except (ValueError, IndexError):
            status = None
        if status != VOTING:
            return "replica %s is not VOTING (status %s)" % (d, status)
        return None

    def _open_replica(self):
        if not self.o.log_dir:
            return True
        why = self._initialized()
        if why:
            self.log("storage: %s; staying in PREPARING_STORAGE" % why)
            return False
        import plyvel
        self.db = plyvel.DB(self.o.log_dir, create_if_missing=False, compression=None)
        return True

    def _append_nop(self):
        if self.db is None:
            return
        last = -1
        for k in self.db.iterator(include_value=False, reverse=True):
            if k != META_KEY:
                last = int(k) - 1
            break
        pos = last + 1
        self.db.put(b"%010d" % (pos + 1), nop_record(pos), sync=True)
        self.log("replica: appended a NOP at position %d" % pos)

    # -- election --------------------------------------------------------------

    def start(self):
        o = self.o
        o.leader, o.registered, o.lifecycle = False, False, "PREPARING_STORAGE"
        if not self._open_replica():
            return
        from kazoo.client import KazooClient
        self.zk = KazooClient(hosts=o.zk, timeout=o.zk_session)
        self.zk.start(timeout=15)
        path = o.serverset_path.rstrip("/")
        self.zk.ensure_path(path)
        o.lifecycle = "STORAGE_PREPARED"
        self.node = self.zk.create("%s/_c_%s-latch-" % (path, uuid.uuid4()),
                                   o.advertise.encode(), ephemeral=True, sequence=True)
        self.log("election: candidate %s" % self.node)
        self.zk.ChildrenWatch(path, self._children)

    def _children(self, children):
        if self.closed or self.o.leader:
            return
        latches = sorted((c for c in children if c.startswith("_c_") and "-latch-" in c),
                         key=lambda c: c[-10:])
        if latches and self.node.endswith("/" + latches[0]):
            with self.lock:
                self.o.leader = True
                self.o.lifecycle = "LEADER_AWAITING_REGISTRATION"
                self._append_nop()
            self.log("election: leading")
            threading.Thread(target=self._register, daemon=True).start()

    # -- registration with Mesos -----------------------------------------------

    def _master_found(self):
        from kazoo.client import KazooClient
        addr = self.o.mesos_master or ""
        if not addr.startswith("zk://"):
            return False
        hosts, _, path = addr[5:].partition("/")
        hosts = hosts.rsplit("@", 1)[-1]
        k = KazooClient(hosts=hosts, timeout=2)
        try:
            k.start(timeout=2)
            kids = k.get_children("/" + path) if k.exists("/" + path) else []
            return any(c.startswith(("json.info_", "info_")) for c in kids)
        except Exception:
            return False
        finally:
            k.stop()
            k.close()

    def _register(self):
        o = self.o
        while not self.closed:
            if self._master_found():
                break
            time.sleep(2)
        if self.closed:
            return
        ep = {"host": o.advertise, "port": o.port}
        member = {"serviceEndpoint": ep, "additionalEndpoints": {"http": ep}, "status": "ALIVE"}
        self.zk.create(o.serverset_path.rstrip("/") + "/member_",
                       json.dumps(member).encode(), ephemeral=True, sequence=True)
        o.registered, o.lifecycle = True, "ACTIVE"
        self.log("registered with the Mesos master at %s: ACTIVE" % o.mesos_master)

    def close(self):
        self.closed = True
        if self.zk is not None:
            try:
                self.zk.stop()
                self.zk.close()
            except Exception:
                pass
        if self.db is not None:
            self.db.close()
