# The active states, end to end: a backup holding one task in every
# ScheduleStatus; tasks with no --status lists exactly the active ones, as
# written below from the facts sheet (aurora-facts.md section 5: "Active:
# 0 1 2 6 9 12 13 16 17 18", which aurora_admin queries), --all-states all
# fifteen, and delete-tasks with only a role takes out the active ones and
# leaves the others staged (the double's state, read with its own client).
# The unit test of the exact set is in tests/unit-active.c.
# min-checks: 9
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/recovery-fixture.sh"

ALL="PENDING STARTING RUNNING FINISHED FAILED KILLED KILLING LOST ASSIGNED INIT RESTARTING PREEMPTING THROTTLED DRAINING PARTITIONED"
for s in $ALL; do echo "www-data prod job-$s 0 $s"; done >"$T/spec"
B=scheduler-backup-$(date -d '-10 minutes' +%Y-%m-%d-%H-%M)
tasks_backup "$B" 600 <"$T/spec"
ar stage "$B"
[ "$rc" = 0 ] || bail "the backup is staged" "$err"

# From the facts sheet, not from the code: the ten active states.
cat >"$T/want" <<'EOW'
www-data	prod	job-ASSIGNED	0	ASSIGNED	www-data-prod-job-ASSIGNED-0-ASSIGNED
www-data	prod	job-DRAINING	0	DRAINING	www-data-prod-job-DRAINING-0-DRAINING
www-data	prod	job-KILLING	0	KILLING	www-data-prod-job-KILLING-0-KILLING
www-data	prod	job-PARTITIONED	0	PARTITIONED	www-data-prod-job-PARTITIONED-0-PARTITIONED
www-data	prod	job-PENDING	0	PENDING	www-data-prod-job-PENDING-0-PENDING
www-data	prod	job-PREEMPTING	0	PREEMPTING	www-data-prod-job-PREEMPTING-0-PREEMPTING
www-data	prod	job-RESTARTING	0	RESTARTING	www-data-prod-job-RESTARTING-0-RESTARTING
www-data	prod	job-RUNNING	0	RUNNING	www-data-prod-job-RUNNING-0-RUNNING
www-data	prod	job-STARTING	0	STARTING	www-data-prod-job-STARTING-0-STARTING
www-data	prod	job-THROTTLED	0	THROTTLED	www-data-prod-job-THROTTLED-0-THROTTLED
EOW

ar tasks
is "$rc" 0 "tasks: exit 0"
is "$(printf '%s\n' "$out" | sed -n 1p)" $'Role\tEnvironment\tJob\tShard\tStatus\tTask ID' "tasks: the header"
is "$(printf '%s\n' "$out" | sed '1d;$d' | sort)" "$(cat "$T/want")" "tasks: exactly the ten active states of the facts sheet, one line each"
like "$(printf '%s\n' "$out" | tail -n 1)" "^10 tasks in the backup staged on " "tasks: counts 10 tasks"

ar --json tasks
is "$(jq -r '.tasks_by_status | keys | join(" ")' "$T/.out")" \
    "ASSIGNED DRAINING KILLING PARTITIONED PENDING PREEMPTING RESTARTING RUNNING STARTING THROTTLED" \
    "tasks --json: tasks_by_status has the ten active states"

ar tasks --all-states
is "$(printf '%s\n' "$out" | sed '1d;$d' | cut -f5 | sort | paste -sd' ')" \
    "$(printf '%s\n' $ALL | sort | paste -sd' ')" "tasks --all-states: all fifteen states"

ar delete-tasks --role www-data --yes
is "$rc" 0 "delete-tasks --role www-data: exit 0"
like "$out" "deleted 10 tasks" "delete-tasks --role: deletes the ten active tasks"
is "$(staged_ids | paste -sd' ')" \
    "www-data-prod-job-FAILED-0-FAILED www-data-prod-job-FINISHED-0-FINISHED www-data-prod-job-INIT-0-INIT www-data-prod-job-KILLED-0-KILLED www-data-prod-job-LOST-0-LOST" \
    "delete-tasks --role: the five inactive tasks are still staged"

done_testing
