#!/usr/bin/python
# -*- coding: utf-8 -*-
#
# aurora.restore.aurora_restore: run aurora-restore on a scheduler host
# with --json and hand its result to Ansible. The tool decides; this module
# only builds the command line from the parameters (command_line) and maps
# the exit status and the JSON object (cli-contract.md, "JSON result") onto
# Ansible's result (map_result). Both are plain functions, tested by
# tests/unit/plugins/modules/test_aurora_restore.py.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: aurora_restore
short_description: Run aurora-restore on an Apache Aurora scheduler host
description:
  - Runs one C(aurora-restore) command on the host with C(--json) and returns its result as
    Ansible's, with C(changed), C(failed), C(msg), C(rc), the command's own keys (for example
    C(leader), C(hosts), C(tasks), C(items), C(state), C(entries)) and, in diff mode, C(diff).
  - The tool does the work and the safety checks (see aurora-restore(8)); the module only builds
    its command line and maps the result. Exit status 0 is success; 2 (verify found drift) is
    not a failure; any other status (1 failed, 3 refused by a safety guard, 4 outcome unknown,
    64 usage, 65 bad input, 75 lock held, 78 bad profile or configuration) comes back as
    C(failed=true) with the tool's one-line message.
  - Empty strings and empty lists mean "not given", so a playbook can pass an optional variable
    with an empty string as its default.
  - The tool reloads the service manager itself after it edits a systemd unit (C(apply) and
    C(revert)), with its C(systemctl) setting (aurora-restore.conf); C(daemon_reload) in the
    result says whether it did.
version_added: "1.0.0"
author:
  - aurora-restore authors (@aurora-restore)
options:
  command:
    description: The aurora-restore command to run.
    type: str
    required: true
    choices: [apply, backup-info, backup-now, backups, commit, delete-tasks, diff, impact,
              leader, log-recover, log-reinit, log-restore-aside, log-status, revert, stage,
              status, tasks, unload, verify]
  profile:
    description: The profile, by name or path, for C(apply), C(verify) and C(diff) (the tool's
      default is C(recovery)).
    type: str
    default: ""
  args:
    description: The command's positional arguments after the profile, for example the backup
      name for C(stage), the file for C(backup-info) and C(log-recover), the folder for
      C(log-restore-aside).
    type: list
    elements: str
    default: []
  executable:
    description: The aurora-restore binary on the host, a path or a name looked up in C(PATH).
    type: str
    default: aurora-restore
  root:
    description: C(--root DIR), every path taken under DIR.
    type: str
    default: ""
  proc:
    description: C(--proc DIR), where running processes are read from.
    type: str
    default: ""
  config:
    description: C(--config FILE), the tool's own settings (libconfig), among them C(systemctl),
      the service manager the tool reloads after a unit edit.
    type: str
    default: ""
  layout:
    description: C(--layout), skipping layout discovery.
    type: str
    default: ""
    choices: ["", debian, rpm, systemd, upstart, argfile]
  flags_file:
    description: C(--flags-file PATH).
    type: str
    default: ""
  clusters_file:
    description: C(--clusters-file PATH).
    type: str
    default: ""
  cluster:
    description: C(--cluster NAME) (default the scheduler's C(-cluster_name)).
    type: str
    default: ""
  reason:
    description: C(--reason TEXT), recorded in the journal.
    type: str
    default: ""
  wait:
    description: C(--wait TIME), wait that long for the lock (Aurora's time syntax, C(30secs)).
    type: str
    default: ""
  force:
    description: C(--force) (C(revert) over conflicts, C(stage) and C(log-recover) past their
      guards, C(log-reinit) a second time in one restore).
    type: bool
    default: false
  live:
    description: C(--live) (C(verify) also reads the scheduler's /vars, at I(scheduler) or
      at 127.0.0.1 and the host's C(-http_port), and finds drift when it cannot or when
      C(framework_registered) is 1; C(tasks) the running ones).
    type: bool
    default: false
  "yes":
    description: C(--yes), the confirmation C(delete-tasks) and C(commit) need.
    type: bool
    default: false
  scheduler:
    description: C(--scheduler URL), the target of recovery commands (default the leader), and the
      scheduler C(verify) with I(live=true) reads.
    type: str
    default: ""
  timeout:
    description: C(--timeout TIME) for network calls, those of C(verify) with I(live=true) too
      (C(commit) also waits that long for the scheduler to come back).
    type: str
    default: ""
  max_reply:
    description: C(--max-reply BYTES).
    type: str
    default: ""
  insecure:
    description: C(--insecure), do not check TLS certificates.
    type: bool
    default: false
  hosts:
    description: C(--hosts), the schedulers C(leader) probes (default from ZooKeeper).
    type: list
    elements: str
    default: []
  zk:
    description: C(--zk), ZooKeeper endpoints (default the host's C(-zk_endpoints)).
    type: list
    elements: str
    default: []
  serverset_path:
    description: C(--serverset-path P).
    type: str
    default: ""
  http_port:
    description: C(--http-port N).
    type: int
  copy:
    description: C(stage --copy FILE), copy FILE into the leader's C(-backup_dir) first.
    type: str
    default: ""
  max_age:
    description: C(stage --max-age TIME), C(log-recover --max-age TIME).
    type: str
    default: ""
  max_kill:
    description:
      - C(--max-kill N) for C(stage), C(commit) and C(log-recover) (refuse, exit 3, when more
        than N running tasks would be killed).
      - Passed only when set, so a tool without the option still runs everything else.
      - With the impact unknown (Mesos unreachable) the tool refuses too, unless I(force).
    type: int
  backup:
    description: C(impact --backup FILE), a backup file on the host (default the backup staged
      on the leader).
    type: str
    default: ""
  mesos:
    description: C(--mesos URL) for C(impact), C(stage), C(commit) and C(log-recover) (default the
      scheduler's real C(-mesos_master_address), the journal's original while a profile is
      applied).
    type: str
    default: ""
  framework_id:
    description: C(--framework-id ID) for C(impact), C(stage), C(commit) and C(log-recover)
      (default the backup's, else the one Mesos framework named as the scheduler's).
    type: str
    default: ""
  all:
    description: C(impact --all), every task line, not only the killed and conflicting ones.
    type: bool
    default: false
  role:
    description: Task filter C(--role).
    type: str
    default: ""
  env:
    description: Task filter C(--env).
    type: str
    default: ""
  job:
    description: Task filter C(--job).
    type: str
    default: ""
  status:
    description: Task filter C(--status), statuses such as C(LOST).
    type: list
    elements: str
    default: []
  task_id:
    description: Task filter C(--task-id).
    type: list
    elements: str
    default: []
  all_states:
    description: C(tasks --all-states).
    type: bool
    default: false
  native:
    description: C(log-reinit --native), initialize through libleveldb, not mesos-log.
    type: bool
    default: false
  mesos_log:
    description: C(log-reinit --mesos-log PATH).
    type: str
    default: ""
  user:
    description: C(log-reinit --user NAME), the scheduler's user.
    type: str
    default: ""
  aside:
    description: C(log-reinit --aside DIR), where a log on a mount point is moved.
    type: str
    default: ""
  recovery_tool:
    description: C(log-recover --recovery-tool PATH), Aurora's own C(recovery-tool).
    type: str
    default: ""
attributes:
  check_mode:
    support: partial
    description: Can run in check mode and return changed status prediction without modifying
      the target.
    details:
      - Passes C(--check). C(apply), C(revert), C(log-reinit), C(log-restore-aside) and
        C(log-recover) report what they would change and write nothing; read-only commands run
        as usual and report C(changed=false).
      - C(stage), C(delete-tasks), C(commit), C(unload) and C(backup-now) change the scheduler's
        state and are not run at all in check mode (C(skipped=true)).
  diff_mode:
    support: full
    description: Will return details on what has changed (or possibly needs changing in
      check_mode), when in diff mode.
    details:
      - Passes C(--diff); every file the command changes (or would change) comes back as one
        entry of a list with C(before_header), C(after_header), C(before) and C(after) text, the
        way Ansible shows a file's diff.
  platform:
    support: full
    platforms: posix
    description: Target OS/families that can be operated against.
notes:
  - The tool must be installed on the host (the Debian package C(aurora-restore)).
  - C(delete-tasks) and C(commit) refuse without I(yes=true).
seealso:
  - name: Aurora's backup restore procedure
    description: What the tool and the playbook aurora.restore.restore automate.
    link: https://aurora.apache.org/documentation/latest/operations/backup-restore/
'''

EXAMPLES = r'''
- name: Put the host into the recovery state, showing the diff
  aurora.restore.aurora_restore:
    command: apply
    reason: "restore, ticket 4711"
  diff: true

- name: Check the host (files, process, its scheduler's /vars); rc 2 means drift
  aurora.restore.aurora_restore:
    command: verify
    live: true
    scheduler: "http://{{ inventory_hostname }}:8081"
  register: v
  changed_when: false
  failed_when: v.rc != 0

- name: Find the leading scheduler once
  aurora.restore.aurora_restore:
    command: leader
  run_once: true
  register: leader

- name: Stage a backup on the leader, refusing if it would kill more than 10 running tasks
  aurora.restore.aurora_restore:
    command: stage
    args: [scheduler-backup-2026-11-27-02-00]
    max_kill: 10
    scheduler: "{{ leader.leader }}"

- name: What committing the staged backup kills (information, never a failure)
  aurora.restore.aurora_restore:
    command: impact
    scheduler: "{{ leader.leader }}"
  register: impact

- name: Commit it, refusing if more than 10 running tasks would be killed
  aurora.restore.aurora_restore:
    command: commit
    "yes": true
    max_kill: 10
    timeout: 2mins
    scheduler: "{{ leader.leader }}"

- name: Aurora 0.21+ offline procedure, on one stopped host with a new log
  aurora.restore.aurora_restore:
    command: log-recover
    args: [/var/lib/aurora/backups/scheduler-backup-2026-11-27-02-00]
    max_kill: 10
'''

RETURN = r'''
changed:
  description: Whether the command changed the host or the scheduler (or would, in check mode).
  type: bool
  returned: always
msg:
  description: The tool's one-line message; on failure, its error naming the file or host.
  type: str
  returned: always
  sample: "applied profile recovery: changed /etc/default/aurora-scheduler"
rc:
  description: The tool's exit status (0 success, 2 drift; see the description).
  type: int
  returned: always
cmd:
  description: The command line that was run.
  type: list
  elements: str
  returned: when the tool ran
skipped:
  description: True when check mode did not run a command that changes the scheduler's state.
  type: bool
  returned: in check mode, for stage, delete-tasks, commit, unload and backup-now
stderr:
  description: What the tool printed on standard error (warnings).
  type: str
  returned: when not empty
diff:
  description: One entry a changed file, as Ansible renders a diff.
  type: list
  elements: dict
  returned: in diff mode, when a file changes (or would)
  contains:
    before_header:
      description: The file's path.
      type: str
    after_header:
      description: The file's path.
      type: str
    before:
      description: The file's text before.
      type: str
    after:
      description: The file's text after.
      type: str
daemon_reload:
  description: The command the tool ran to reload the service manager after a unit edit, or
    null when it ran none.
  type: str
  returned: by apply and revert
  sample: systemctl daemon-reload
layout:
  description: The host's layout (debian, rpm, systemd, upstart, argfile).
  type: str
  returned: by apply, diff, status and verify
flags_files:
  description: The host's flag files.
  type: list
  elements: str
  returned: by apply, diff, status and verify
cluster:
  description: The cluster the host belongs to, and the one whose entry clusters.json holds.
  type: str
  returned: by apply, diff, status and verify
clusters_file:
  description: The clusters.json that decides the cluster.
  type: str
  returned: by apply, diff, status and verify
profile:
  description: C(status), the profile applied now, or null.
  type: str
  returned: by status
leader:
  description: C(leader), the leading scheduler's URL (null when there is not exactly one).
  type: str
  returned: by leader
hosts:
  description: C(leader), every scheduler probed with url, ok, lifecycle,
    framework_registered and error.
  type: list
  elements: dict
  returned: by leader
flags:
  description: C(status), the host's effective scheduler flags C(backup_dir),
    C(native_log_file_path), C(http_port) and C(cluster_name) (each null when not set); null
    when the host's flag file cannot be parsed.
  type: dict
  returned: by status
lifecycle:
  description: C(verify) with I(live=true), the scheduler's lifecycle state from /vars (null
    when /vars could not be read).
  type: str
  returned: by verify with live
items:
  description: C(verify) and C(status), one entry an item of the profile.
  type: list
  elements: dict
  returned: by verify and status
tasks:
  description: C(tasks), the staged tasks; C(backup-info), the number of tasks in the backup.
  type: raw
  returned: by tasks and backup-info
state:
  description: C(log-status), the replica's state (absent, foreign, corrupt, EMPTY, VOTING,
    RECOVERING, STARTING, or "in use").
  type: str
  returned: by log-status
entries:
  description: C(log-status), the number of log entries; C(log-recover), the entries the log
    holds after the recovery.
  type: int
  returned: by log-status and log-recover
killed:
  description: C(impact), the running tasks the restore kills (rescheduled ones too), each with
    task_id, role, environment, job, instance, mesos_state and backup_state (null when absent).
  type: list
  elements: dict
  returned: by impact
rescheduled:
  description: C(impact), the killed tasks that are rescheduled after the kill (same fields).
  type: list
  elements: dict
  returned: by impact
conflicts:
  description: C(impact), running tasks the backup holds as PENDING or THROTTLED (same fields).
  type: list
  elements: dict
  returned: by impact
come_back:
  description: C(impact), the backup's active tasks Mesos does not run (same fields).
  type: list
  elements: dict
  returned: by impact
kept_count:
  description: C(impact), the running tasks the restore keeps.
  type: int
  returned: by impact
mesos_running_count:
  description: C(impact), the tasks Mesos runs for the framework.
  type: int
  returned: by impact
framework_id:
  description: C(impact), the framework the tasks were read for.
  type: str
  returned: by impact
backup:
  description: C(impact), the backup (name or path, and its timestamp); C(log-recover), the
    backup file read.
  type: raw
  returned: by impact and log-recover
impact:
  description: C(stage), C(commit) and C(log-recover), impact's one-line summary (or "impact
    unknown" and why).
  type: str
  returned: by stage, commit and log-recover when they got that far
argv:
  description: C(log-recover), the recovery-tool's argv as it was (or, in check mode, would be)
    run.
  type: list
  elements: str
  returned: by log-recover
env:
  description: C(log-recover), the environment the recovery-tool got (JAVA_OPTS, LIBPROCESS_IP,
    LIBPROCESS_PORT).
  type: dict
  returned: by log-recover
user:
  description: C(log-recover), the user the recovery-tool runs as (the scheduler's).
  type: str
  returned: by log-recover
recovered:
  description: C(status) while a profile is applied, the recovery done by C(log-recover) (path,
    backup, at, entries), or null.
  type: dict
  returned: by status
'''

import json
import os

from ansible.module_utils.basic import AnsibleModule

# What each command does to the host or the scheduler, for check mode.
READ_ONLY = frozenset(["status", "verify", "diff", "leader", "backups",
                       "backup-info", "tasks", "log-status", "impact"])
# Commands whose --check shows the plan and changes nothing.
CHECKABLE = frozenset(["apply", "revert", "log-reinit", "log-restore-aside", "log-recover"])
# Calls that change the scheduler's state: never run in check mode.
SCHEDULER_CHANGES = frozenset(["stage", "delete-tasks", "commit", "unload", "backup-now"])
COMMANDS = sorted(READ_ONLY | CHECKABLE | SCHEDULER_CHANGES)

# Module parameter -> (option, kind). Global options first, then the
# command options; aurora-restore itself refuses an option its command
# does not take (exit 64), and that comes back as a failure.
OPTIONS = [
    ("root", "--root", "str"), ("proc", "--proc", "str"), ("config", "--config", "str"),
    ("layout", "--layout", "str"), ("flags_file", "--flags-file", "str"),
    ("clusters_file", "--clusters-file", "str"), ("cluster", "--cluster", "str"),
    ("reason", "--reason", "str"), ("wait", "--wait", "str"),
    ("force", "--force", "bool"), ("live", "--live", "bool"), ("yes", "--yes", "bool"),
    ("scheduler", "--scheduler", "str"), ("timeout", "--timeout", "str"),
    ("max_reply", "--max-reply", "str"), ("insecure", "--insecure", "bool"),
    ("hosts", "--hosts", "list"), ("zk", "--zk", "list"),
    ("serverset_path", "--serverset-path", "str"), ("http_port", "--http-port", "int"),
    ("copy", "--copy", "str"), ("max_age", "--max-age", "str"),
    ("max_kill", "--max-kill", "int"),
    ("backup", "--backup", "str"), ("mesos", "--mesos", "str"),
    ("framework_id", "--framework-id", "str"), ("all", "--all", "bool"),
    ("role", "--role", "str"), ("env", "--env", "str"), ("job", "--job", "str"),
    ("status", "--status", "list"), ("task_id", "--task-id", "list"),
    ("all_states", "--all-states", "bool"),
    ("native", "--native", "bool"), ("mesos_log", "--mesos-log", "str"),
    ("user", "--user", "str"), ("aside", "--aside", "str"),
    ("recovery_tool", "--recovery-tool", "str"),
]

ARGUMENT_SPEC = dict(
    command=dict(type="str", required=True, choices=COMMANDS),
    profile=dict(type="str", default=""),
    args=dict(type="list", elements="str", default=[]),
    executable=dict(type="str", default="aurora-restore"),
    layout=dict(type="str", default="",
                choices=["", "debian", "rpm", "systemd", "upstart", "argfile"]),
)
for _name, _opt, _kind in OPTIONS:
    if _name in ARGUMENT_SPEC:
        continue
    if _kind == "bool":
        ARGUMENT_SPEC[_name] = dict(type="bool", default=False)
    elif _kind == "list":
        ARGUMENT_SPEC[_name] = dict(type="list", elements="str", default=[])
    elif _kind == "int":
        ARGUMENT_SPEC[_name] = dict(type="int")
    else:
        ARGUMENT_SPEC[_name] = dict(type="str", default="")


def command_line(params, exe, check_mode=False, diff_mode=False):
    """The argv: the tool, --json, the modes, global and command options,
    the command and its positional arguments ("--" first when one starts
    with "-", a profile path "-x"). Empty values are unset, so a playbook
    can pass "{{ x | default('') }}"."""
    argv = [exe, "--json"]
    if check_mode:
        argv.append("--check")
    if diff_mode:
        argv.append("--diff")
    for name, opt, kind in OPTIONS:
        v = params.get(name)
        if kind == "bool":
            if v:
                argv.append(opt)
        elif kind == "list":
            v = [x for x in (v or []) if x != ""]
            if v:
                argv += [opt, ",".join(v)]
        elif v not in (None, ""):
            argv += [opt, str(v)]
    argv.append(params["command"])
    positional = [params["profile"]] if params.get("profile") else []
    positional += [a for a in params.get("args") or [] if a != ""]
    if any(a.startswith("-") and a != "-" for a in positional):
        argv.append("--")
    return argv + positional


def map_result(command, argv, rc, out, err, diff_mode=False):
    """(failed, result): the tool's exit status and JSON object as Ansible's
    result. A run that printed no JSON object fails with its first line of
    standard error."""
    try:
        res = json.loads(out)
        if not isinstance(res, dict):
            raise ValueError("not a JSON object")
    except ValueError as e:
        first = (err.strip().splitlines() or ["no message"])[0]
        return True, dict(msg="%s printed no JSON result (exit status %d): %s" % (argv[0], rc, first),
                          rc=rc, cmd=argv, stdout=out, stderr=err, json_error=str(e), changed=False)
    res.pop("comment", None)  # Salt's copy of msg
    res.pop("failed", None)
    diff = res.pop("diff", None)
    res["rc"] = rc
    res["cmd"] = argv
    res["changed"] = bool(res.get("changed"))
    if command in ("apply", "revert"):
        res.setdefault("daemon_reload", None)
    if err:
        res["stderr"] = err
    if diff_mode and diff:
        res["diff"] = diff
    res["msg"] = res.get("msg") or "%s exited %d" % (command, rc)
    return rc not in (0, 2), res


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    cmd = module.params["command"]

    if module.check_mode and cmd in SCHEDULER_CHANGES:
        module.exit_json(changed=False, skipped=True, rc=0,
                         msg="check mode: %s not run (it changes the scheduler's state)" % cmd)

    exe = module.params["executable"]
    if os.sep not in exe:
        found = module.get_bin_path(exe)
        if found is None:
            module.fail_json(msg="%s: not found in PATH on this host" % exe, rc=127)
        exe = found

    argv = command_line(module.params, exe, module.check_mode, module._diff)
    rc, out, err = module.run_command(argv, check_rc=False, environ_update={"LC_ALL": "C"})
    failed, res = map_result(cmd, argv, rc, out, err, module._diff)
    if failed:
        module.fail_json(**res)
    # failed explicitly: Ansible takes a result without it and with rc != 0 as failed.
    module.exit_json(failed=False, **res)


if __name__ == "__main__":
    main()
