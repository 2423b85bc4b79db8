# The module's command line and its mapping of the tool's exit status and
# JSON object onto Ansible's result. Runs under `ansible-test units` or plain
# pytest with the collection on sys.path (tests/t-ansible-sanity.sh).
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.aurora.restore.plugins.modules import aurora_restore as m


def params(**kw):
    p = dict((name, spec.get("default")) for name, spec in m.ARGUMENT_SPEC.items())
    p.update(kw)
    return p


def tool(rc, **keys):
    out = dict(changed=False, failed=rc not in (0, 2), rc=rc, msg="m", comment="m", diff=[])
    out.update(keys)
    return json.dumps(out)


def test_command_line_modes_options_and_positionals():
    argv = m.command_line(params(command="stage", args=["b1", ""], root="/r", force=True,
                                 hosts=["a", "", "b"], http_port=8081, max_kill=0),
                          "/usr/bin/aurora-restore", check_mode=True, diff_mode=True)
    assert argv == ["/usr/bin/aurora-restore", "--json", "--check", "--diff", "--root", "/r",
                    "--force", "--hosts", "a,b", "--http-port", "8081", "--max-kill", "0",
                    "stage", "b1"]


def test_command_line_leaves_out_unset_options():
    argv = m.command_line(params(command="commit", max_kill=None, recovery_tool=""), "ar")
    assert argv == ["ar", "--json", "commit"]


def test_command_line_profile_before_args():
    argv = m.command_line(params(command="log-recover", profile="", args=["/b"],
                                 recovery_tool="/rt"), "ar")
    assert argv == ["ar", "--json", "--recovery-tool", "/rt", "log-recover", "/b"]


def test_command_line_positional_that_looks_like_an_option():
    # A profile path "-x" after the command was read as an unknown option
    # (64); "--" ends the options first.
    argv = m.command_line(params(command="apply", profile="-x", reason="r"), "ar")
    assert argv == ["ar", "--json", "--reason", "r", "apply", "--", "-x"]
    argv = m.command_line(params(command="backup-info", args=["-"]), "ar")
    assert argv == ["ar", "--json", "backup-info", "-"]


@pytest.mark.parametrize("rc,failed", [(0, False), (2, False), (1, True), (3, True), (4, True),
                                       (64, True), (65, True), (75, True), (78, True)])
def test_exit_status(rc, failed):
    got, res = m.map_result("verify", ["ar"], rc, tool(rc, msg="x: line 3"), "", False)
    assert got is failed
    assert res["rc"] == rc and res["msg"] == "x: line 3"
    assert "comment" not in res and "failed" not in res


def test_diff_only_in_diff_mode():
    d = [dict(before_header="/f", after_header="/f", before="a\n", after="b\n")]
    dummy, res = m.map_result("apply", ["ar"], 0, tool(0, changed=True, diff=d), "", False)
    assert "diff" not in res and res["changed"] is True
    dummy, res = m.map_result("apply", ["ar"], 0, tool(0, changed=True, diff=d), "", True)
    assert res["diff"] == d


def test_daemon_reload_reported_by_apply_and_revert():
    dummy, res = m.map_result("revert", ["ar"], 0, tool(0, daemon_reload="systemctl daemon-reload"), "", False)
    assert res["daemon_reload"] == "systemctl daemon-reload"
    dummy, res = m.map_result("apply", ["ar"], 0, tool(0), "", False)
    assert res["daemon_reload"] is None
    dummy, res = m.map_result("status", ["ar"], 0, tool(0), "", False)
    assert "daemon_reload" not in res


def test_command_keys_pass_through():
    dummy, res = m.map_result("leader", ["ar"], 0, tool(0, leader="http://h:8081", hosts=[]), "warn\n", False)
    assert res["leader"] == "http://h:8081" and res["stderr"] == "warn\n" and res["cmd"] == ["ar"]


@pytest.mark.parametrize("out", ["", "not json", "[1, 2]"])
def test_no_json_object_is_a_failure_naming_the_tool(out):
    failed, res = m.map_result("status", ["/bin/ar"], 65, out, "aurora-restore: /etc/x: bad\nmore\n", False)
    assert failed
    assert res["msg"] == "/bin/ar printed no JSON result (exit status 65): aurora-restore: /etc/x: bad"


def test_documented_options_are_the_argument_spec():
    import yaml
    doc = yaml.safe_load(m.DOCUMENTATION)["options"]
    assert sorted(doc) == sorted(m.ARGUMENT_SPEC)
    for name, spec in m.ARGUMENT_SPEC.items():
        for field in ("type", "default", "choices", "elements"):
            assert doc[name].get(field) == spec.get(field), (name, field)
        assert bool(doc[name].get("required")) == bool(spec.get("required")), name
