#!/usr/bin/python3
# -*- coding: utf-8 -*-
#
# aurora_restore: run aurora-restore on a scheduler host with --json and
# hand its result to Ansible. The tool decides; this module only builds
# the command line from the parameters and maps the exit status and the
# JSON object (cli-contract.md, "JSON result") onto Ansible's result.
# Its documentation is the sidecar aurora_restore.yml beside this file
# (ansible-doc reads it when a module has no DOCUMENTATION of its own).

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
    ("role", "--role", "str"), ("env", "--env", "str"), ("job", "--job", "str"),
    ("status", "--status", "list"), ("task_id", "--task-id", "list"),
    ("all_states", "--all-states", "bool"),
    ("native", "--native", "bool"), ("mesos_log", "--mesos-log", "str"),
    ("user", "--user", "str"), ("aside", "--aside", "str"),
    ("backup", "--backup", "str"), ("mesos", "--mesos", "str"),
    ("framework_id", "--framework-id", "str"), ("max_kill", "--max-kill", "str"),
    ("all", "--all", "bool"),
    ("recovery_tool", "--recovery-tool", "str"),
]

ARGUMENT_SPEC = dict(
    command=dict(type="str", required=True, choices=COMMANDS),
    profile=dict(type="str", default=""),
    args=dict(type="list", elements="str", default=[]),
    executable=dict(type="str", default="aurora-restore"),
    layout=dict(type="str", default="",
                choices=["", "debian", "rpm", "systemd", "upstart", "argfile"]),
    http_port=dict(type="int"),
)
for _name, _opt, _kind in OPTIONS:
    if _name in ARGUMENT_SPEC:
        continue
    if _kind == "bool":
        ARGUMENT_SPEC[_name] = dict(type="bool", default=False)
    elif _kind == "list":
        ARGUMENT_SPEC[_name] = dict(type="list", elements="str", default=[])
    else:
        ARGUMENT_SPEC[_name] = dict(type="str", default="")


def command_line(module, exe):
    """The argv: the tool, --json, the modes, global and command options,
    the command and its positional arguments. Empty values are unset, so a
    playbook can pass "{{ x | default('') }}"."""
    p = module.params
    argv = [exe, "--json"]
    if module.check_mode:
        argv.append("--check")
    if module._diff:
        argv.append("--diff")
    for name, opt, kind in OPTIONS:
        v = p.get(name)
        if kind == "bool":
            if v:
                argv.append(opt)
        elif kind == "list":
            v = [x for x in (v or []) if x != ""]
            if v:
                argv += [opt, ",".join(v)]
        elif v not in (None, ""):
            argv += [opt, str(v)]
    argv.append(p["command"])
    if p["profile"]:
        argv.append(p["profile"])
    argv += [a for a in p["args"] if a != ""]
    return argv


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    p = module.params
    cmd = p["command"]

    if module.check_mode and cmd in SCHEDULER_CHANGES:
        module.exit_json(changed=False, skipped=True, rc=0,
                         msg="check mode: %s not run (it changes the scheduler's state)" % cmd)

    exe = p["executable"]
    if os.sep not in exe:
        found = module.get_bin_path(exe)
        if found is None:
            module.fail_json(msg="%s: not found in PATH on this host" % exe, rc=127)
        exe = found

    argv = command_line(module, exe)
    rc, out, err = module.run_command(argv, check_rc=False, data=None,
                                      environ_update={"LC_ALL": "C"})
    try:
        res = json.loads(out)
        if not isinstance(res, dict):
            raise ValueError("not a JSON object")
    except ValueError as e:
        first = (err.strip().splitlines() or ["no message"])[0]
        module.fail_json(msg="%s printed no JSON result (exit status %d): %s"
                         % (argv[0], rc, first), rc=rc, cmd=argv, stdout=out,
                         stderr=err, json_error=str(e))

    res.pop("comment", None)		# Salt's copy of msg
    res.pop("failed", None)
    diff = res.pop("diff", None)
    res["rc"] = rc
    res["cmd"] = argv
    res["changed"] = bool(res.get("changed"))
    if err:
        res["stderr"] = err
    if module._diff and diff:
        res["diff"] = diff
    msg = res.pop("msg", "") or "%s exited %d" % (cmd, rc)
    if rc not in (0, 2):
        module.fail_json(msg=msg, **res)
    # failed explicitly: Ansible takes a result without it and with rc != 0 as failed.
    module.exit_json(msg=msg, failed=False, **res)


if __name__ == "__main__":
    main()
