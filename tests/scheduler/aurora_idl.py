"""aurora_idl: compile the test IDL with Debian's thrift compiler and import it.

Shared by scheduler.py, client.py and make_backup.py. The IDL is
tests/scheduler/aurora_extra.thrift when it exists (it includes
aurora_test.thrift), else aurora_test.thrift; $AURORA_TEST_IDL overrides.
Code is generated at every start into a private temporary directory
(`thrift -r --gen py -out TMPDIR IDL`), imported, and the directory removed
at once (the servers leave through os._exit, which skips atexit).

load() returns an object with:
  types     {name: class} of every struct, union and enum of every IDL file
  services  {name: module} of every generated service (AuroraAdmin, ...)
  T         the same types, as attributes (g.T.Response, g.T.ScheduleStatus)
Structs get an identity hash, because Thrift's Python code keeps set<struct>
fields (Snapshot.tasks, QueryRecoveryResult.tasks) in Python sets, and its
classes define __eq__ without __hash__.
"""
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import types as _types

HERE = os.path.dirname(os.path.abspath(__file__))
THRIFT = os.environ.get("THRIFT", "/usr/bin/thrift")

# Active states, as api.thrift's ACTIVE_STATES (aurora_admin queries these).
ACTIVE_STATES = {0, 1, 2, 6, 9, 12, 13, 16, 17, 18}


def default_idl():
    env = os.environ.get("AURORA_TEST_IDL")
    if env:
        return env
    extra = os.path.join(HERE, "aurora_extra.thrift")
    if os.path.exists(extra):
        return extra
    return os.path.join(HERE, "aurora_test.thrift")


class Generated(object):
    pass


_cache = {}


def load(idl=None):
    idl = os.path.abspath(idl or default_idl())
    if idl in _cache:
        return _cache[idl]
    if not os.path.exists(idl):
        raise SystemExit("aurora_idl: IDL %s does not exist" % idl)
    out = tempfile.mkdtemp(prefix="aurora-idl.")
    try:
        g = _generate(idl, out)
    finally:
        shutil.rmtree(out, True)
        sys.path_importer_cache.pop(out, None)
        if out in sys.path:
            sys.path.remove(out)
    _cache[idl] = g
    return g


def _generate(idl, out):
    p = subprocess.run([THRIFT, "-r", "--gen", "py", "-out", out, idl],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        raise SystemExit("aurora_idl: thrift failed on %s:\n%s" %
                         (idl, p.stdout.decode(errors="replace")))
    sys.path.insert(0, out)
    g = Generated()
    g.idl = idl
    g.dir = out
    g.types = {}
    g.services = {}
    pkgs = []
    for root, dirs, files in os.walk(out):
        dirs.sort()
        if "ttypes.py" in files:
            pkgs.append((root, sorted(files)))
    for root, files in pkgs:
        rel = os.path.relpath(root, out)
        pkg = "" if rel == "." else rel.replace(os.sep, ".") + "."
        mod = importlib.import_module(pkg + "ttypes")
        for k, v in vars(mod).items():
            if isinstance(v, type) and v.__module__ == mod.__name__:
                g.types.setdefault(k, v)
        for f in files:
            if not f.endswith(".py") or f in ("ttypes.py", "constants.py", "__init__.py"):
                continue
            m = importlib.import_module(pkg + f[:-3])
            if hasattr(m, "Processor") and hasattr(m, "Client"):
                g.services.setdefault(f[:-3], m)
    for cls in g.types.values():
        if hasattr(cls, "thrift_spec") and getattr(cls, "__hash__", None) is None:
            cls.__hash__ = object.__hash__
    g.T = _types.SimpleNamespace(**g.types)
    return g


def status_name(g, code):
    return g.T.ScheduleStatus._VALUES_TO_NAMES.get(code, str(code))


def status_code(g, name):
    if name.isdigit():
        return int(name)
    return g.T.ScheduleStatus._NAMES_TO_VALUES[name.upper()]


def job_of(task):
    """(role, environment, name) of a ScheduledTask, from TaskConfig.job (field 28),
    falling back on the pre-0.7 owner.role/environment/jobName fields."""
    conf = task.assignedTask.task if task.assignedTask else None
    if conf is None:
        return (None, None, None)
    job = getattr(conf, "job", None)
    if job is not None:
        return (job.role, job.environment, job.name)
    owner = getattr(conf, "owner", None)
    return (owner.role if owner else None, getattr(conf, "environment", None),
            getattr(conf, "jobName", None))
