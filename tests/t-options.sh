#!/bin/bash
# tests/t-options.sh: the command line against the options each command
# declares, and the help made from the same tables. An option is taken
# when it is global or the command's, anywhere on the line (also before
# the command, as the Ansible module writes it), else refused (64) naming
# it and the command, however many options come before it; a missing value
# is a usage error. `help [COMMAND]` and `COMMAND --help` print the usage,
# the options and an example on stdout (exit 0), before any file is read.
# Commands and options are read from the help, not listed here.
# min-checks: 29
. "$SRCDIR/tests/lib.sh"

mkdir -p "$T/root"
base=(--root "$T/root" --config /dev/null)

# One option more than a fixed-size record of the options given once held.
forces=()
for i in $(seq 32); do forces+=(--force); done
run "${base[@]}" "${forces[@]}" --yes revert
is "$rc" 64 "--yes after 32 times --force: revert refuses it (64)"
like "$err" '--yes.*revert' "--yes after 32 times --force: the error names --yes and revert"
run "${base[@]}" --yes revert
is "$rc" 64 "--yes alone: revert refuses it (64)"
run "${base[@]}" revert --reason
is "$rc" 64 "--reason without its value: 64"
like "$err" '^aurora-restore: option --reason needs a value \(see aurora-restore --help\)$' \
	"a global option's missing value: the error points at the global usage"
run "${base[@]}" stage x --max-kill
like "$err" '^aurora-restore: option --max-kill needs a value \(see aurora-restore help stage\)$' \
	"a command option's missing value: the error points at help stage"
run "${base[@]}" revert --force=yes
is "$rc:$err" "64:aurora-restore: option --force takes no value (see aurora-restore help revert)" \
	"--force=yes: a flag takes no value (64)"
run "${base[@]}" revert --bogus
is "$rc:$err" "64:aurora-restore: unknown option --bogus for revert (see aurora-restore help revert)" \
	"an unknown option: 64 naming it and the command"
run "${base[@]}" --force revert
is "$rc" 0 "a command's option before the command is taken (--force revert)"
run --root "$T/root" revert --config /dev/null --json
is "$(printf '%s' "$out" | jq -r .rc)" 0 "global options after the command are taken (revert --config F --json)"

# The global usage.
run --config /nonexistent/ar.conf --help
is "$rc:$err" "0:" "--help: exit 0, nothing on stderr, no configuration read"
global=$out
commands=$(printf '%s\n' "$global" | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\)  *[a-z].*/\1/p')
[ "$(printf '%s\n' "$commands" | wc -l)" -ge 19 ] && ok "--help lists $(printf '%s\n' "$commands" | wc -l) commands, each with a summary" ||
	not_ok "--help lists every command with a summary" "$global"
like "$(printf '%s\n' "$global" | tail -1)" '"aurora-restore help COMMAND".*aurora-restore\(8\)' \
	"--help ends pointing at help COMMAND and the man page"
run help
is "$rc:$out" "0:$global" "help without a command prints the global usage"
globals=$(printf '%s\n' "$global" | sed -n '/^global options/,/^$/s/^  \(--[a-z][a-z-]*\).*/\1/p')
[ "$(printf '%s\n' "$globals" | wc -l)" -ge 14 ] && ok "--help lists $(printf '%s\n' "$globals" | wc -l) global options" ||
	not_ok "--help lists the global options" "$global"

run help bogus
is "$rc:$out" "64:" "help bogus: 64, nothing on stdout"
like "$err" 'unknown command "bogus"' "help bogus: the error names it"
run bogus --help
is "$rc" 64 "bogus --help: 64"

# Each command's help, and the parser against it.
usage_of() {		# usage_of TEXT: the usage lines joined
	printf '%s\n' "$1" | awk '/^usage:/ { on = 1; u = $0; next }
		on && /^ / { sub(/^ +/, " "); u = u $0; next } on { exit } END { print u }'
}
sample() {		# sample VALUE-WORD: a value of that kind
	case $1 in TIME) echo 1secs ;; N|BYTES) echo 9 ;; *) echo x ;; esac
}
differs= no_usage= listed_wrong= no_example= example_wrong= refused= accepted=
for c in $commands; do
	run --config /nonexistent/ar.conf help "$c"
	h=$out
	run --config /nonexistent/ar.conf "$c" --help
	[ "$rc:$out" = "0:$h" ] || differs+=" $c"
	u=$(usage_of "$h")
	case $u in "usage: aurora-restore $c"|"usage: aurora-restore $c "*) ;; *) no_usage+=" $c" ;; esac
	mine=$(printf '%s\n' "$h" | sed -n '/^options:/,/^$/s/^  \(--[a-z][a-z-]*\).*/\1/p' | LC_ALL=C sort)
	[ "$mine" = "$(printf '%s\n' "$u" | grep -o -- '--[a-z][a-z-]*' | LC_ALL=C sort)" ] || listed_wrong+=" $c"
	ex=$(printf '%s\n' "$h" | sed -n '/^example:/{n;p}')
	case $ex in "  aurora-restore $c"|"  aurora-restore $c "*) ;; *) no_example+=" $c" ;; esac
	for o in $(printf '%s\n' "$ex" | grep -o -- '--[a-z][a-z-]*'); do
		printf '%s\n' "$mine" "$globals" | grep -qxF -- "$o" || example_wrong+=" $c:$o"
	done
	# Every option it lists is taken; every other command's is refused.
	for o in $mine; do
		v=$(printf '%s\n' "$u" | grep -o -- "\[$o [^]]*" | sed 's/^[^ ]* //')
		run "${base[@]}" "$c" --help "$o" ${v:+"$(sample "$v")"}
		[ "$rc" = 0 ] || refused+=" $c:$o($err)"
	done
	other=$(for d in $commands; do [ "$d" = "$c" ] || "$AR" help "$d" | sed -n '/^options:/,/^$/s/^  \(--[a-z][a-z-]*\).*/\1/p'; done |
		LC_ALL=C sort -u | LC_ALL=C comm -23 - <(printf '%s\n' "$mine"))
	for o in $other; do
		run "${base[@]}" "$c" --help "$o"
		case $rc:$err in "64:aurora-restore: $o does not go with $c (see aurora-restore help $c)") ;; *) accepted+=" $c:$o" ;; esac
	done
done
is "$differs" "" "help COMMAND and COMMAND --help print the same, exit 0"
is "$no_usage" "" "every command's help starts with its usage"
is "$listed_wrong" "" "every command's help lists exactly the options of its usage"
is "$no_example" "" "every command's help has an example of that command"
is "$example_wrong" "" "every example uses only options the command or the global usage lists"
is "$refused" "" "every option a command's help lists is taken by the parser"
is "$accepted" "" "every option of other commands is refused (64), naming it and the command"

# An empty value (--config=, --cluster "") is no value: it was a missing
# file (78), "cannot read /" (1), an unknown cluster "" (65) or, for
# status, a layout "" silently taken.
empty_taken=
for c in $commands; do
	u=$(usage_of "$("$AR" help "$c")")
	for o in $(printf '%s
' "$u" | grep -o -- '\[--[a-z][a-z-]* [^]]*' | sed 's/^\[//; s/ .*//'); do
		run "${base[@]}" "$c" --help "$o="
		case $rc:$err in "64:aurora-restore: option $o needs a value (see aurora-restore help $c)") ;; *) empty_taken+=" $c:$o=($rc)" ;; esac
	done
done
is "$empty_taken" "" "every command option given an empty value: 64, named"
empty_taken=
for o in $(printf '%s\n' "$global" | sed -n '/^global options/,/^$/s/^  \(--[a-z][a-z-]*\) [A-Z].*/\1/p'); do
	run --root "$T/root" status "$o" ''
	case $rc:$err in "64:aurora-restore: option $o needs a value (see aurora-restore --help)") ;; *) empty_taken+=" $o ''($rc)" ;; esac
done
is "$empty_taken" "" "every global option given '': 64, named"

# Values of each kind, checked where the option is declared.
run "${base[@]}" stage x --max-kill -1
is "$rc:$err" '64:aurora-restore: --max-kill: "-1" is not a number of tasks (see aurora-restore help stage)' \
	"--max-kill -1: 64, pointing at help stage"
run "${base[@]}" leader --http-port 0
is "$rc:$err" '64:aurora-restore: --http-port: "0" is not a port number (see aurora-restore help leader)' \
	"--http-port 0: 64, pointing at help leader"
run "${base[@]}" tasks --max-reply=0
is "$rc" 64 "--max-reply=0: 64"
run "${base[@]}" --layout bogus status
is "$rc:$err" '64:aurora-restore: unknown layout "bogus" (debian, rpm, systemd, upstart or argfile) (see aurora-restore --help)' \
	"--layout bogus: 64 for status too (it showed the status without the flags, exit 0)"
run "${base[@]}" --layout=argfile --help status
is "$rc" 0 "--layout=argfile: one of its choices"
run "${base[@]}" --wait=5s status
is "$rc:$err" '64:aurora-restore: --wait: "5s" is not a time amount (e.g. 30secs) (see aurora-restore --help)' \
	"--wait=5s: 64, pointing at the global usage"

done_testing
