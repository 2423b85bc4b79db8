# stage's age guard (-backup_dir copies are read for their timestamp): the
# default --max-age is 4hrs (cli-contract.md); a backup just under it is
# staged, just over it refused (3); --max-age shorter and longer than the
# default, on the command line and in the config file, moves the line.
# Margins are two minutes either side, far more than a run takes.
# min-checks: 20
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/recovery-fixture.sh"

H=3600
backup() {		# backup AGE-SECONDS: a one-task backup named for its age; sets $B
	B=scheduler-backup-$(date -d "-$1 seconds" +%Y-%m-%d-%H-%M)-age$1
	echo "www-data prod hello 0 RUNNING" | tasks_backup "$B" "$1"
}
staged() {		# staged AGE WHAT [OPTIONS...]: stage succeeds
	local age=$1 what=$2; shift 2
	backup "$age"
	ar stage "$B" "$@"
	is "$rc" 0 "$what: staged (exit 0)"
	like "$out" "staged $B" "$what: says it staged the backup"
	ar unload
	[ "$rc" = 0 ] || bail "unload after $what" "$err"
}
refused() {		# refused AGE WHAT [OPTIONS...]: stage refuses, nothing staged
	local age=$1 what=$2; shift 2
	backup "$age"
	ar stage "$B" "$@"
	is "$rc" 3 "$what: refused (exit 3)"
	like "$err" "$B is [0-9]+h[0-9]{2}m old, older than --max-age" "$what: says it is older than --max-age"
	"$PY" "$SCH/client.py" --url "$URL/api" --bypass --method queryRecovery >/dev/null 2>"$T/client.err"
	like "$? $(cat "$T/client.err")" "^1 .*No backup loaded" "$what: nothing staged on the scheduler (its own client)"
}

staged $((4 * H - 120)) "3h58m old, the default --max-age (4hrs)"
refused $((4 * H + 120)) "4h02m old, the default --max-age (4hrs)"
refused $((3 * H)) "3h old, --max-age 2hrs" --max-age 2hrs
staged $((1 * H)) "1h old, --max-age 2hrs" --max-age 2hrs
staged $((5 * H)) "5h old, --max-age 6hrs" --max-age 6hrs
refused $((6 * H + 120)) "6h02m old, --max-age 6hrs" --max-age 6hrs
printf 'max_age = "2hrs";\n' >"$T/short.conf"
refused $((3 * H)) "3h old, max_age = \"2hrs\" in the config file" --config "$T/short.conf"
backup $((4 * H + 120))
ar stage "$B" --force
is "$rc" 0 "4h02m old with --force: staged anyway"
like "$out" "warning \(--force\): .*older than --max-age" "--force: the refusal is shown as a warning"

done_testing
