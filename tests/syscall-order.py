#!/usr/bin/python3
"""syscall-order.py TRACE FILE...: was each FILE written durably?

TRACE is `strace -f -y -qq -s 0 -e trace=openat,write,fsync,fdatasync,
rename,renameat2` output. FILE must be renamed onto from a temporary in its
directory at least once, and every such rename must follow, in this order: the temporary created
(openat O_CREAT), written (write), synced (fsync or fdatasync after the
last write); then the rename; then its directory synced. Prints one line a
FILE: "FILE ok" or "FILE NOT: what is missing". A FILE written SRC=>DST
is a move instead: SRC renamed to DST, then the directory synced.
"""
import os
import re
import sys

CALL = re.compile(r'^(?:\[pid +\d+\] |\d+ +)?(\w+)\((.*)\) += (-?\d+)')
FD = re.compile(r'^-?\d+<([^>]*)>')
STR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def events(path):
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            m = CALL.match(line.strip())
            if not m or int(m.group(3)) < 0:
                continue
            name, args = m.group(1), m.group(2)
            if name in ("write", "fsync", "fdatasync"):
                fd = FD.match(args)
                if fd:
                    out.append((name, fd.group(1)))
            elif name == "openat":
                s = STR.search(args)
                if s and "O_CREAT" in args:
                    res = re.search(r'= \d+<([^>]*)>', line)
                    out.append(("create", res.group(1) if res else s.group(1)))
            elif name in ("rename", "renameat2"):
                s = STR.findall(args)
                if len(s) >= 2:
                    out.append(("rename", s[0], s[1]))
    return out


def check_one(ev, i, d):
    tmp = ev[i][1]
    before = ev[:i]
    c = [k for k, e in enumerate(before) if e == ("create", tmp)]
    if not c:
        return "the temporary %s was not created" % tmp
    w = [k for k, e in enumerate(before) if e == ("write", tmp) and k > c[-1]]
    if not w:
        return "nothing written to the temporary %s" % tmp
    if not any(e[0] in ("fsync", "fdatasync") and e[1] == tmp for e in before[w[-1]:]):
        return "the temporary %s was not synced after its last write, before the rename" % tmp
    if not any(e[0] in ("fsync", "fdatasync") and e[1] == d for e in ev[i + 1:]):
        return "the directory %s was not synced after the rename of %s" % (d, tmp)
    return None


def check_move(ev, src, dst):
    moves = [k for k, e in enumerate(ev) if e == ("rename", src, dst)]
    if not moves:
        return "no rename of %s to %s" % (src, dst)
    d = os.path.dirname(dst)
    if not any(e[0] in ("fsync", "fdatasync") and e[1] == d for e in ev[moves[-1] + 1:]):
        return "the directory %s was not synced after the rename" % d
    return None


def check(ev, target):
    if "=>" in target:
        return check_move(ev, *target.split("=>", 1))
    d, base = os.path.split(target)
    renames = [k for k, e in enumerate(ev) if e[0] == "rename" and e[2] == target
               and os.path.dirname(e[1]) == d
               and os.path.basename(e[1]).startswith("." + base + ".")]
    if not renames:
        return "no rename of a temporary onto it"
    for i in renames:
        why = check_one(ev, i, d)
        if why:
            return why
    return None


def main():
    ev = events(sys.argv[1])
    bad = 0
    for t in sys.argv[2:]:
        why = check(ev, t)
        print("%s %s" % (t, "ok" if why is None else "NOT: " + why))
        bad += why is not None
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
