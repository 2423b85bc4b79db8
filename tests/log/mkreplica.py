#!/usr/bin/python3
"""tests/log/mkreplica.py KIND DIR [N]: build a Mesos replicated-log replica
for the tests, through Debian's python3-plyvel, compression off (as Mesos
builds LevelDB). Records are encoded by hand as Mesos's log.proto has them.

KIND:
  init        the record "mesos-log initialize" writes (VOTING, promised 0)
  entries     VOTING, promised 3, then N ACTION records (positions 1..N)
  recovering  RECOVERING metadata, N ACTION records
  starting    STARTING metadata
  emptydb     a LevelDB with no record at all (Mesos: EMPTY)
  legacy      a PROMISE record only (Mesos before 0.17), and N actions
  badrecord   a value that is not a Record
  snappy      N compressible records, compression snappy, compacted
              (only to prove the block checker finds compressed blocks)
  big         VOTING, then N megabytes of ACTION records with 64 KiB
              appends, compacted into table files (bench/log-status.sh)
"""
import sys
import plyvel


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def fv(field, v):
    return varint(field << 3) + varint(v)


def fb(field, b):
    return varint(field << 3 | 2) + varint(len(b)) + b


def metadata(status, promised):
    return fv(1, 3) + fb(4, fv(1, status) + fv(2, promised))


def promise(proposal):
    return fv(1, 1) + fb(2, fv(1, proposal))


def action(pos, promised, payload=None):
    append = fb(1, payload or b"snapshot-or-op-%d" % pos)
    a = fv(1, pos) + fv(2, promised) + fv(3, promised) + fv(4, 1) + fv(5, 2) + fb(7, append)
    return fv(1, 2) + fb(3, a)


def key(pos):
    return b"%010d" % (pos + 1)


def main():
    kind, path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    comp = "snappy" if kind == "snappy" else None
    db = plyvel.DB(path, create_if_missing=True, compression=comp)
    if kind == "init":
        db.put(b"0000000000", metadata(1, 0), sync=True)
    elif kind in ("entries", "recovering"):
        db.put(b"0000000000", metadata(1 if kind == "entries" else 2, 3), sync=True)
        for p in range(1, n + 1):
            db.put(key(p), action(p, 3), sync=True)
    elif kind == "starting":
        db.put(b"0000000000", metadata(3, 0), sync=True)
    elif kind == "legacy":
        db.put(b"0000000000", promise(5), sync=True)
        for p in range(1, n + 1):
            db.put(key(p), action(p, 5), sync=True)
    elif kind == "badrecord":
        db.put(b"0000000000", metadata(1, 0), sync=True)
        db.put(key(1), b"\xff\xff\xff garbage", sync=True)
    elif kind == "snappy":
        for p in range(1, n + 1):
            db.put(key(p), b"a" * 400, sync=True)
        db.compact_range()
    elif kind == "big":
        db.put(b"0000000000", metadata(1, 3), sync=True)
        chunk = 64 * 1024
        for start in range(1, n * 1024 * 1024 // chunk + 1, 256):
            with db.write_batch() as wb:
                for p in range(start, min(n * 1024 * 1024 // chunk + 1, start + 256)):
                    wb.put(key(p), action(p, 3, b"%08d" % p * (chunk // 8)))
        db.compact_range()
    elif kind != "emptydb":
        sys.exit("mkreplica: unknown kind " + kind)
    db.close()


main()
