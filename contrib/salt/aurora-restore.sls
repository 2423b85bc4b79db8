# contrib/salt/aurora-restore.sls: drive aurora-restore from Salt, one
# scheduler host at a time (the order across hosts, the log, the leader and
# the commit are the Ansible playbook aurora.restore.restore's job, or the operator's).
#
# cmd.run with stateful: True reads the command's stdout as its state: with
# --json the tool prints exactly one JSON object, whose "changed" (a
# boolean) and "comment" (its one-line message) are what Salt's protocol
# asks for. Success is the exit status: 0. In test mode (test=True) Salt
# runs test_name instead: the same command with --check, which writes
# nothing and says what would change.
#
#   salt 'sched*' state.apply aurora-restore pillar='{"aurora_restore": {"ensure": "present"}}'
#   salt 'sched*' state.apply aurora-restore test=True
#
# Pillar aurora_restore: ensure (present: apply the profile; absent:
# revert it), profile (recovery), reason (no quotes in it), binary
# (/usr/bin/aurora-restore).
{% set ar = salt['pillar.get']('aurora_restore', {}) %}
{% set bin = ar.get('binary', '/usr/bin/aurora-restore') %}
{% set profile = ar.get('profile', 'recovery') %}

{% if ar.get('ensure', 'present') == 'present' %}
aurora-restore-apply:
  cmd.run:
    - name: '{{ bin }} --json apply {{ profile }} --reason "{{ ar.get('reason', 'salt') }}"'
    - stateful:
      - test_name: {{ bin }} --json --check apply {{ profile }}

# Fails (and says why) while the host is not in the state: verify exits 2
# with every item out of place in the comment.
aurora-restore-verify:
  cmd.run:
    - name: {{ bin }} --json verify {{ profile }}
    - stateful: True
    - require:
      - cmd: aurora-restore-apply
{% else %}
aurora-restore-revert:
  cmd.run:
    - name: {{ bin }} --json revert
    - stateful:
      - test_name: {{ bin }} --json --check revert
{% endif %}
