#!/usr/bin/python3
# tests/zk-nodes.py: write scheduler election nodes into a test ZooKeeper
# the way Aurora does (aurora-facts.md, section 6; Aurora's
# CuratorSingletonService, CommonsServiceGroupMonitor era CandidateImpl,
# JsonCodec). Run it with /usr/bin/python3 (kazoo).
#
#   zk-nodes.py --port PORT [--hold READYFILE] [--persistent] <SCRIPT
#
# SCRIPT has one command a line (shell-like quoting, # comments); DATA
# takes Python escapes (\n, \x01):
#   session NAME [USER:PASSWORD]    a ZooKeeper session (one per scheduler),
#                                   with digest credentials when given
#   acl NAME open|aurora|private    ACL for what session NAME creates next:
#                                   world-all (default); Aurora's with
#                                   credentials (creator all, world read);
#                                   creator only
#   curator NAME PATH HOST [UUID]   LeaderLatch node PATH/_c_UUID-latch-SEQ
#   singleton NAME PATH IP          PATH/singleton_candidate_SEQ
#   member NAME PATH HOST PORT [http-only]
#                                   PATH/member_SEQ, ServiceInstance JSON
#   node NAME PATH/PREFIX DATA      any sequential node, data as given
#   path NAME PATH                  a persistent node (and its parents)
#
# Election and member nodes are ephemeral-sequential, as Aurora makes them,
# unless --persistent: then they outlive the script. With --hold the
# sessions stay open after the script ran, READYFILE is written, and the
# program waits for SIGTERM; without it, it exits (and ephemeral nodes go).
# Each created node is printed as "PATH DATA" on stdout.
import argparse
import json
import logging
import os
import shlex
import signal
import sys
import uuid

logging.disable(logging.CRITICAL)
from kazoo.client import KazooClient  # noqa: E402
from kazoo.security import (CREATOR_ALL_ACL, OPEN_ACL_UNSAFE,  # noqa: E402
                            READ_ACL_UNSAFE)

ACLS = {
    "open": OPEN_ACL_UNSAFE,
    "aurora": CREATOR_ALL_ACL + READ_ACL_UNSAFE,
    "private": CREATOR_ALL_ACL,
}


class Nodes:
    def __init__(self, port, persistent):
        self.hosts = "127.0.0.1:%d" % port
        self.persistent = persistent
        self.sessions = {}
        self.acl = {}

    def session(self, name, cred=None):
        auth = [("digest", cred)] if cred else None
        k = KazooClient(hosts=self.hosts, timeout=10, auth_data=auth)
        k.start(timeout=15)
        self.sessions[name] = k
        self.acl[name] = OPEN_ACL_UNSAFE

    def set_acl(self, name, which):
        self.acl[name] = ACLS[which]

    def create(self, name, path, data, sequence=True):
        k, acl = self.sessions[name], self.acl[name]
        parent = path.rsplit("/", 1)[0]
        if parent:
            k.ensure_path(parent, acl=acl)
        made = k.create(path, data, acl=acl, sequence=sequence,
                        ephemeral=sequence and not self.persistent)
        print(made, data.decode("latin-1").encode("unicode_escape").decode())
        sys.stdout.flush()
        return made

    def curator(self, name, path, host, guid=None):
        guid = guid or str(uuid.uuid4())
        self.create(name, "%s/_c_%s-latch-" % (path, guid),
                    host.encode("latin-1"))

    def singleton(self, name, path, ip):
        self.create(name, path + "/singleton_candidate_", ip.encode("latin-1"))

    def member(self, name, path, host, port, http_only=None):
        ep = {"host": host, "port": int(port)}
        inst = {"additionalEndpoints": {"http": ep}, "status": "ALIVE"}
        if not http_only:
            inst = {"serviceEndpoint": ep, **inst}
        self.create(name, path + "/member_",
                    json.dumps(inst, separators=(",", ":")).encode())

    def node(self, name, prefix, data):
        self.create(name, prefix, data.encode("latin-1"))

    def path(self, name, path):
        self.sessions[name].ensure_path(path, acl=self.acl[name])

    def close(self):
        for k in self.sessions.values():
            k.stop()
            k.close()


def unescape(s):
    return s.encode("latin-1").decode("unicode_escape")


def run(nodes, line):
    words = shlex.split(line, comments=True)
    if not words:
        return
    cmd, args = words[0], words[1:]
    if cmd == "session":
        nodes.session(*args)
    elif cmd == "acl":
        nodes.set_acl(*args)
    elif cmd == "curator":
        nodes.curator(args[0], args[1], unescape(args[2]), *args[3:])
    elif cmd == "singleton":
        nodes.singleton(args[0], args[1], unescape(args[2]))
    elif cmd == "member":
        nodes.member(*args)
    elif cmd == "node":
        nodes.node(args[0], args[1], unescape(args[2]))
    elif cmd == "path":
        nodes.path(*args)
    else:
        raise SystemExit("zk-nodes.py: unknown command: " + line.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--hold")
    ap.add_argument("--persistent", action="store_true")
    opts = ap.parse_args()
    nodes = Nodes(opts.port, opts.persistent)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for line in sys.stdin:
            run(nodes, line)
        if opts.hold:
            with open(opts.hold + ".tmp", "w") as f:
                f.write("ready\n")
            os.rename(opts.hold + ".tmp", opts.hold)
            while True:
                signal.pause()
    finally:
        nodes.close()


if __name__ == "__main__":
    main()
