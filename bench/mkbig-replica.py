#!/usr/bin/python3
"""bench/mkbig-replica.py DIR MB: a Mesos replicated-log replica of about
MB megabytes (VOTING, promised 3, then ACTION records of 64 KiB appends),
through Debian's python3-plyvel with compression off, as Mesos builds
LevelDB; compacted, so that nearly everything is in table files (*.ldb).
Used by bench/log-status.sh and, small, by tests/t-log.sh."""
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


def action(pos, payload):
    a = fv(1, pos) + fv(2, 3) + fv(3, 3) + fv(4, 1) + fv(5, 2) + fb(7, fb(1, payload))
    return fv(1, 2) + fb(3, a)


def main():
    path, mb = sys.argv[1], int(sys.argv[2])
    chunk = 64 * 1024
    n = max(1, mb * 1024 * 1024 // chunk)
    db = plyvel.DB(path, create_if_missing=True, compression=None)
    db.put(b"%010d" % 0, fv(1, 3) + fb(4, fv(1, 1) + fv(2, 3)))
    for start in range(1, n + 1, 256):
        with db.write_batch() as wb:
            for pos in range(start, min(n + 1, start + 256)):
                payload = (b"%08d" % pos) * (chunk // 8)
                wb.put(b"%010d" % pos, action(pos, payload))
    db.compact_range()
    db.close()


main()
