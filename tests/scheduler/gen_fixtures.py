#!/usr/bin/python3
"""gen_fixtures.py: test inputs for aurora-restore's Thrift codecs, written
and read by Apache Thrift's own Python library (python3-thrift), so the C
decoders are checked against an independent implementation.

  gen_fixtures.py replies OUTDIR [GENDIR]
      TJSONProtocol replies OUTDIR/*.json and OUTDIR/expect.json: what
      each reply holds, as python3-thrift decodes it.
  gen_fixtures.py snapshots OUTDIR [GENDIR]
      binary Snapshot backups OUTDIR/*.bin and OUTDIR/expect.json.
  gen_fixtures.py calls DIR [GENDIR]
      decode every DIR/*.call (a TJSONProtocol CALL) and print, per file,
      "== NAME" and then sorted lines "FIELD VALUE" (strings in hex).
  gen_fixtures.py big N FILE [GENDIR]
      a queryRecovery reply with N tasks (for measurements).

GENDIR holds the output of `thrift --gen py aurora_test.thrift`; without it
the IDL beside this script is compiled into a temporary directory. Run it
with Debian's /usr/bin/python3 (python3-thrift, thrift-compiler).
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
IDL = os.path.join(HERE, 'aurora_test.thrift')


def load_generated(gendir):
    tmp = None
    if gendir is None:
        tmp = tempfile.mkdtemp(prefix='aurora-test-gen.')
        subprocess.run(['thrift', '--gen', 'py', '-out', tmp, IDL], check=True)
        gendir = tmp
    sys.path.insert(0, gendir)
    global T, AuroraAdmin, TJSONProtocol, TBinaryProtocol, TTransport
    global TMessageType, TApplicationException
    from aurora_test import ttypes as T
    from aurora_test import AuroraAdmin
    from thrift.protocol import TJSONProtocol, TBinaryProtocol
    from thrift.transport import TTransport
    from thrift.Thrift import TMessageType, TApplicationException
    # Generated structs define __eq__ but no __hash__, so python3-thrift
    # cannot read a set<struct>: hash by identity (no element collapses).
    for name in dir(T):
        cls = getattr(T, name)
        if isinstance(cls, type) and hasattr(cls, 'thrift_spec'):
            cls.__hash__ = object.__hash__
    return tmp


# ---- building blocks ----

STATUSES = [0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 13, 16, 17, 18]
ACTIVE = [0, 1, 2, 6, 9, 12, 13, 16, 17, 18]


def config(role, env, job, old=False, rnd=None):
    rnd = rnd or random.Random(1)
    c = T.TaskConfig(
        isService=rnd.random() < 0.5,
        priority=rnd.randint(-5, 100),
        maxTaskFailures=rnd.randint(0, 5),
        production=rnd.random() < 0.3,
        tier='preferred',
        resources=[T.Resource(numCpus=0.25 + rnd.randint(0, 7)),
                   T.Resource(ramMb=rnd.randint(64, 65536)),
                   T.Resource(diskMb=rnd.randint(64, 1 << 20)),
                   T.Resource(namedPort='http')],
        constraints=[T.Constraint(name='host', constraint=T.TaskConstraint(
                         limit=T.LimitConstraint(limit=1))),
                     T.Constraint(name='rack', constraint=T.TaskConstraint(
                         value=T.ValueConstraint(negated=False,
                                                 values={'r1', 'r2'})))],
        taskLinks={'http': 'http://%host%:%port:http%', 'health': '/health'},
        contactEmail='%s@example.com' % role,
        executorConfig=T.ExecutorConfig(
            name='AuroraExecutor',
            data=json.dumps({'task': {'name': job, 'processes': [
                {'cmdline': 'echo "hi"\n\tsleep 10', 'name': 'p'}]}})),
        metadata=[T.Metadata(key='owner', value='team-' + role),
                  T.Metadata(key='note', value='x\\y "z"')],
        container=T.Container(docker=T.DockerContainer(
            image='registry/' + job + ':1',
            parameters=[T.DockerParameter(name='env', value='A=1')])))
    if old:
        c.owner = T.Identity(role=role, user=role + '-user')
        c.environment = env
        c.jobName = job
        c.numCpus = 1.5
        c.ramMb = 128
        c.diskMb = 256
        c.requestedPorts = {'http'}
    else:
        c.job = T.JobKey(role=role, environment=env, name=job)
        c.owner = T.Identity(user=role + '-user')
    return c


def task(tid, role, env, job, inst, status, host=None, old=False, rnd=None):
    rnd = rnd or random.Random(tid)
    at = T.AssignedTask(taskId=tid, task=config(role, env, job, old, rnd),
                        instanceId=inst)
    if host is not None:
        at.slaveHost = host
        at.slaveId = 'slave-' + host
        at.assignedPorts = {'http': 31000 + inst, 'health': 32000 + inst}
    events = [T.TaskEvent(timestamp=1456833600000 + i * 1000, status=s,
                          message='moved to %d' % s, scheduler='sched-1')
              for i, s in enumerate([11, 0, 9, 1, status])]
    return T.ScheduledTask(assignedTask=at, status=status,
                           failureCount=rnd.randint(0, 3),
                           timesPartitioned=0, taskEvents=events,
                           ancestorId='ancestor-' + tid if inst % 3 == 0 else None)


def many_tasks(n, seed):
    rnd = random.Random(seed)
    roles = ['www-data', 'mesos', 'r\u00f4le', 'svc']
    out = []
    for i in range(n):
        role = roles[i % len(roles)]
        status = STATUSES[i % len(STATUSES)]
        job = ['hello', 'cron-job', 'j\u00f6b', 'quo"te'][i % 4]
        tid = '1456833600000-%s-devel-%s-%d-%08x' % (role, job, i, rnd.getrandbits(32))
        host = None if status in (0, 11, 16) else 'host-%d.example.com' % (i % 7)
        out.append(task(tid, role, 'devel' if i % 2 else 'prod', job, i,
                        status, host, old=(i % 5 == 4), rnd=rnd))
    return out


def server_info(name='devcluster'):
    return T.ServerInfo(clusterName=name, statsUrlPrefix='http://stats/')


def ok_response(result=None, details=(), code=1, info=True):
    return T.Response(responseCode=code,
                      serverInfo=server_info() if info else None,
                      result=result,
                      details=[T.ResponseDetail(message=m) for m in details])


# ---- TJSONProtocol ----

def write_reply(method, seqid, response):
    buf = TTransport.TMemoryBuffer()
    p = TJSONProtocol.TJSONProtocol(buf)
    p.writeMessageBegin(method, TMessageType.REPLY, seqid)
    getattr(AuroraAdmin, method + '_result')(success=response).write(p)
    p.writeMessageEnd()
    return buf.getvalue()


def write_exception(method, seqid, message, typ):
    buf = TTransport.TMemoryBuffer()
    p = TJSONProtocol.TJSONProtocol(buf)
    p.writeMessageBegin(method, TMessageType.EXCEPTION, seqid)
    TApplicationException(typ, message).write(p)
    p.writeMessageEnd()
    return buf.getvalue()


def java_style(data):
    """python3-thrift writes control characters raw (not JSON); Aurora's
    Java TJSONProtocol writes them as \\u00xx. Do as Java does."""
    out = bytearray()
    for b in data:
        out += b'\\u%04x' % b if b < 0x20 else bytes([b])
    return bytes(out)


def reencoded(data):
    """The same JSON value with whitespace and every non-ASCII character
    as \\u escapes (surrogate pairs beyond the BMP)."""
    return json.dumps(json.loads(data), indent=1, ensure_ascii=True).encode()


def role_of(cfg):
    if cfg is None:
        return None, None, None
    j = cfg.job
    o = cfg.owner
    role = j.role if j is not None and j.role is not None else (
        o.role if o is not None else None)
    env = j.environment if j is not None and j.environment is not None else cfg.environment
    name = j.name if j is not None and j.name is not None else cfg.jobName
    return role, env, name


def task_expect(t):
    at = t.assignedTask or T.AssignedTask()
    role, env, job = role_of(at.task)
    return {'task_id': at.taskId or '', 'slave_host': at.slaveHost or '',
            'role': role or '', 'environment': env or '', 'job': job or '',
            'instance_id': -1 if at.instanceId is None else at.instanceId,
            'status': -1 if t.status is None else t.status}


def decode_reply(data):
    """What python3-thrift reads in a reply: the expectation."""
    buf = TTransport.TMemoryBuffer(data)
    p = TJSONProtocol.TJSONProtocol(buf)
    method, typ, seqid = p.readMessageBegin()
    e = {'type': typ, 'method': method, 'seqid': seqid}
    if typ == TMessageType.EXCEPTION:
        x = TApplicationException()
        x.read(p)
        e.update(exc_message=x.message, exc_type=x.type)
    else:
        res = getattr(AuroraAdmin, method + '_result')()
        res.read(p)
        r = res.success
        e['code'] = r.responseCode
        e['cluster'] = r.serverInfo.clusterName if r.serverInfo else None
        e['details'] = [d.message for d in (r.details or []) if d.message is not None]
        e['backups'] = []
        tasks = []
        if r.result is not None:
            u = r.result
            if u.listBackupsResult is not None:
                e['backups'] = sorted(u.listBackupsResult.backups or [])
            for holder in (u.queryRecoveryResult, u.scheduleStatusResult):
                if holder is not None:
                    tasks += list(holder.tasks or [])
        e['tasks'] = sorted((task_expect(t) for t in tasks),
                            key=lambda x: json.dumps(x, sort_keys=True))
    p.readMessageEnd()
    if buf._buffer.tell() != len(data):
        raise SystemExit('fixture has trailing bytes')
    return e


def gen_replies(out):
    fx = {}
    backups = ['scheduler-backup-2016-03-01-12-00',
               'scheduler-backup-2016-03-02-12-00',
               'temp_scheduler-backup-2016-03-03-12-00',
               'scheduler-backup-\u00e9t\u00e9-\U0001f600']
    fx['list-backups'] = write_reply('listBackups', 0, ok_response(
        T.Result(listBackupsResult=T.ListBackupsResult(backups=backups))))
    fx['list-backups-none'] = write_reply('listBackups', 3, ok_response(
        T.Result(listBackupsResult=T.ListBackupsResult(backups=[]))))
    fx['query-0'] = write_reply('queryRecovery', 0, ok_response(
        T.Result(queryRecoveryResult=T.QueryRecoveryResult(tasks=[]))))
    fx['query-1'] = write_reply('queryRecovery', 1, ok_response(
        T.Result(queryRecoveryResult=T.QueryRecoveryResult(tasks=[
            task('1456833600000-www-data-prod-hello-0-6b4c1b5f', 'www-data',
                 'prod', 'hello', 0, 2, 'slave1.example.com')]))))
    many = many_tasks(60, 7)
    many.append(task('tab\there "quoted" back\\slash /slash \u2603 \U0001f600',
                     'esc\nrole', 'env\r', 'j\u0001b', 5, 2, 'h\u00f6st'))
    fx['query-many'] = write_reply('queryRecovery', 2147483647, ok_response(
        T.Result(queryRecoveryResult=T.QueryRecoveryResult(tasks=many)),
        details=['staged backup has 61 tasks']))
    fx['status-list'] = write_reply('getTasksWithoutConfigs', -1, ok_response(
        T.Result(scheduleStatusResult=T.ScheduleStatusResult(
            tasks=many_tasks(12, 3)))))
    fx['error-details'] = write_reply('stageRecovery', 4, ok_response(
        None, code=2, details=[
            'Backup /var/lib/aurora/backups/nope does not exist.',
            'second detail: \u00fcnicode "q" \\']))
    fx['error-transient'] = write_reply('commitRecovery', 5, ok_response(
        None, code=6, details=['Storage is not READY']))
    fx['warning'] = write_reply('deleteRecoveryTasks', 6, ok_response(
        None, code=3, details=['a', '', 'c']))
    fx['auth-failed'] = write_reply('performBackup', 7, T.Response(
        responseCode=4, details=[]))
    fx['ok-bare'] = write_reply('unloadRecovery', 8, T.Response(responseCode=1))
    fx['exception'] = write_exception('queryRecovery', 9,
                                      'Internal error processing queryRecovery', 6)
    fx['exception-unicode'] = write_exception('listBackups', 10,
                                              'caf\u00e9 "\\" \U0001f600', 1)
    fx['java-style'] = java_style(fx['query-many'])
    fx['reencoded'] = reencoded(fx['java-style'])
    fx['reencoded-error'] = reencoded(fx['error-details'])
    same_as = {'reencoded': 'java-style', 'reencoded-error': 'error-details'}
    expect = {}
    for name, data in sorted(fx.items()):
        # python3-thrift reads neither raw control characters (not JSON)
        # nor whitespace: those files have their source's expectation.
        if name != 'query-many' and name not in same_as:
            expect[name] = decode_reply(data)
        with open(os.path.join(out, name + '.json'), 'wb') as f:
            f.write(data)
    for name, src in same_as.items():
        expect[name] = expect[src]
    with open(os.path.join(out, 'expect.json'), 'w') as f:
        json.dump(expect, f, indent=1, sort_keys=True)


def gen_big(n, path):
    tasks = many_tasks(n, 11)
    with open(path, 'wb') as f:
        f.write(java_style(write_reply('queryRecovery', 0, ok_response(
            T.Result(queryRecoveryResult=T.QueryRecoveryResult(tasks=tasks))))))


# ---- binary snapshots ----

def write_binary(obj):
    buf = TTransport.TMemoryBuffer()
    obj.write(TBinaryProtocol.TBinaryProtocol(buf))
    return buf.getvalue()


def cron_job(role, name):
    return T.StoredCronJob(jobConfiguration=T.JobConfiguration(
        key=T.JobKey(role=role, environment='prod', name=name),
        owner=T.Identity(user=role), cronSchedule='*/5 * * * *',
        cronCollisionPolicy=1, taskConfig=config(role, 'prod', name),
        instanceCount=2))


def snap_expect(s, size):
    e = {'timestamp': -1 if s.timestamp is None else s.timestamp,
         'ntasks': 0, 'by_status': {}, 'njobs': len(s.cronJobs or []),
         'roles': [], 'size': size}
    roles = set()
    for t in s.tasks or []:
        e['ntasks'] += 1
        if t.status is not None:
            k = str(t.status)
            e['by_status'][k] = e['by_status'].get(k, 0) + 1
        role, _, _ = role_of(t.assignedTask.task if t.assignedTask else None)
        if role is not None:
            roles.add(role.encode())
    e['roles'] = [r.decode() for r in sorted(roles)]
    return e


def gen_snapshots(out):
    hosts = [T.HostAttributes(host='host-%d' % i, slaveId='s%d' % i, mode=1,
                              attributes=[T.Attribute(name='rack', values={'r%d' % i})])
             for i in range(4)]
    meta = T.SchedulerMetadata(frameworkId='fw-1',
                               details={'version': '0.22.0', 'git': 'abc'})
    snaps = {
        'snap-empty-struct': T.Snapshot(),
        'snap-no-tasks': T.Snapshot(timestamp=1456833600123, hostAttributes=hosts,
                                    tasks=[], cronJobs=[], schedulerMetadata=meta),
        'snap-tasks': T.Snapshot(timestamp=1456920000000, hostAttributes=hosts,
                                 quotaConfigurations=[T.QuotaConfiguration(
                                     role='www-data', quota=T.ResourceAggregate(
                                         resources=[T.Resource(numCpus=100.0),
                                                    T.Resource(ramMb=409600)]))],
                                 tasks=many_tasks(45, 5),
                                 cronJobs=[cron_job('www-data', 'nightly'),
                                           cron_job('mesos', 'hourly'),
                                           cron_job('svc', 'weekly')],
                                 schedulerMetadata=meta),
        'snap-old': T.Snapshot(timestamp=1440000000000,
                               tasks=[task('old-%d' % i, 'legacy%d' % (i % 3), 'prod',
                                           'j', i, STATUSES[i], 'h', old=True)
                                      for i in range(9)],
                               cronJobs=[cron_job('legacy0', 'c')],
                               quotaConfigurations=[T.QuotaConfiguration(
                                   role='legacy0', quota=T.ResourceAggregate(
                                       numCpus=10.0, ramMb=1024, diskMb=2048))],
                               dbScript=['CREATE TABLE x;', 'INSERT INTO x VALUES (1);'],
                               experimentalTaskStore=False),
        'snap-big': T.Snapshot(timestamp=-5, tasks=many_tasks(1500, 9),
                               schedulerMetadata=meta),
    }
    expect = {}
    for name, s in sorted(snaps.items()):
        data = write_binary(s)
        with open(os.path.join(out, name + '.bin'), 'wb') as f:
            f.write(data)
        expect[name] = snap_expect(s, len(data))
    # A 0-byte file is not a Snapshot (python3-thrift cannot read one
    # either): tests/unit-snapshot.c checks it is refused.
    with open(os.path.join(out, 'expect.json'), 'w') as f:
        json.dump(expect, f, indent=1, sort_keys=True)


# ---- calls ----

def describe(prefix, obj, lines):
    for name in sorted(vars(obj)):
        v = getattr(obj, name)
        if v is None:
            continue
        key = prefix + name
        if isinstance(v, str):
            lines.append('%s %s' % (key, v.encode().hex()))
        elif isinstance(v, (set, frozenset, list)):
            for x in v:
                lines.append('%s %s' % (key, x.encode().hex() if isinstance(x, str) else x))
        elif hasattr(v, 'thrift_spec'):
            lines.append('%s set' % key)
            describe(key + '.', v, lines)
        else:
            lines.append('%s %r' % (key, v))


def read_calls(d):
    for name in sorted(os.listdir(d)):
        if not name.endswith('.call'):
            continue
        print('== ' + name[:-5])
        with open(os.path.join(d, name), 'rb') as f:
            data = f.read()
        lines = []
        try:
            buf = TTransport.TMemoryBuffer(data)
            p = TJSONProtocol.TJSONProtocol(buf)
            method, typ, seqid = p.readMessageBegin()
            lines += ['method ' + method, 'type %d' % typ, 'seqid %d' % seqid]
            args = getattr(AuroraAdmin, method + '_args')()
            args.read(p)
            p.readMessageEnd()
            describe('', args, lines)
            if buf._buffer.tell() != len(data):
                lines.append('trailing %d' % (len(data) - buf._buffer.tell()))
        except Exception as e:   # a line the C test will not expect
            lines.append('error ' + repr(e).replace('\n', ' '))
        for line in sorted(lines):
            print(line)


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    cmd = argv[1]
    nargs = 4 if cmd == 'big' else 3
    tmp = load_generated(argv[nargs] if len(argv) > nargs else None)
    try:
        if cmd == 'replies':
            gen_replies(argv[2])
        elif cmd == 'snapshots':
            gen_snapshots(argv[2])
        elif cmd == 'calls':
            read_calls(argv[2])
        elif cmd == 'big':
            gen_big(int(argv[2]), argv[3])
        else:
            raise SystemExit(__doc__)
    finally:
        if tmp:
            shutil.rmtree(tmp)


if __name__ == '__main__':
    main(sys.argv)
