# tasks and delete-tasks with --role, --env, --job, --status, --task-id and
# combinations, against a staged backup of two roles, three environments
# and two jobs: tasks lists exactly the matching tasks, delete-tasks takes
# out exactly those, and every other role, environment and job survives, as
# the scheduler double's state shows (read with its own client, not the
# tool). The expected sets are computed here from the backup's spec.
# min-checks: 39
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/recovery-fixture.sh"

# ROLE ENV JOB INSTANCE STATUS; task ids are ROLE-ENV-JOB-INSTANCE-STATUS
for role in www-data analytics; do
	for env in prod staging devel; do
		for job in hello web; do
			echo "$role $env $job 0 RUNNING"
			echo "$role $env $job 1 PENDING"
		done
	done
done >"$T/spec"
echo "www-data prod hello 2 FINISHED" >>"$T/spec"
B=scheduler-backup-$(date -d '-10 minutes' +%Y-%m-%d-%H-%M)
tasks_backup "$B" 600 <"$T/spec"
ids() { awk "$1"' { print $1 "-" $2 "-" $3 "-" $4 "-" $5 }' "$T/spec" | sort; }
ALL=$(ids 1)
ACTIVE=$(ids '$5 != "FINISHED"')

ar stage "$B"
[ "$rc" = 0 ] || bail "the backup is staged" "$err"

# listed FILTER-OPTIONS: the task ids tasks --json lists
listed() { ar --json tasks "$@"; jq -r '.tasks[].task_id' "$T/.out" | sort; }

filters=(
	"--role www-data|\$1 == \"www-data\" && \$5 != \"FINISHED\""
	"--env prod|\$2 == \"prod\" && \$5 != \"FINISHED\""
	"--env staging|\$2 == \"staging\" && \$5 != \"FINISHED\""
	"--job web|\$3 == \"web\" && \$5 != \"FINISHED\""
	"--status PENDING|\$5 == \"PENDING\""
	"--status FINISHED,RUNNING|\$5 == \"FINISHED\" || \$5 == \"RUNNING\""
	"--task-id analytics-devel-web-1-PENDING,www-data-prod-hello-2-FINISHED|\$1 \"-\" \$2 \"-\" \$3 \"-\" \$4 \"-\" \$5 ~ /^(analytics-devel-web-1-PENDING|www-data-prod-hello-2-FINISHED)\$/"
	"--role analytics --env prod|\$1 == \"analytics\" && \$2 == \"prod\" && \$5 != \"FINISHED\""
	"--role www-data --env devel --job hello|\$1 == \"www-data\" && \$2 == \"devel\" && \$3 == \"hello\" && \$5 != \"FINISHED\""
	"--env prod --all-states|\$2 == \"prod\""
)
for f in "${filters[@]}"; do
	opts=${f%%|*} want=$(ids "${f#*|}")
	# shellcheck disable=SC2086
	got=$(listed $opts)
	is "$rc" 0 "tasks $opts: exit 0"
	is "$got" "$want" "tasks $opts: exactly the matching tasks ($(printf '%s\n' "$want" | grep -c .))"
done
is "$(listed)" "$ACTIVE" "tasks with no filter: every active task, the FINISHED one left out"

# delete-tasks: stage afresh each time, delete, read the double's state.
for f in "${filters[@]}"; do
	opts=${f%%|*}
	case $opts in *--all-states*) continue ;; esac
	want=$(comm -23 <(printf '%s\n' "$ALL") <(ids "${f#*|}"))
	ar unload
	ar stage "$B"
	[ "$rc" = 0 ] || bail "the backup is staged again" "$err"
	# shellcheck disable=SC2086
	ar delete-tasks $opts --yes
	is "$rc" 0 "delete-tasks $opts: exit 0"
	is "$(staged_ids)" "$want" "delete-tasks $opts: exactly the matching tasks are gone, every other role, environment and job survives"
done

done_testing
