#!/bin/bash
# tests/t-completion.sh: contrib/bash-completion/aurora-restore, sourced in
# bash -c: it completes every command of --help, the global options, each
# command's options as its `help COMMAND` lists them (all of them accepted
# by the binary), option values, profile names from the profile
# directories, and paths.
# min-checks: 32
. "$SRCDIR/tests/lib.sh"

COMPLETION=$SRCDIR/contrib/bash-completion/aurora-restore

# comp WORD...: the completions, one a line, sorted, of the last WORD on the
# line "$AR WORD..." (bash splits "--opt=value" into "--opt" "=" "value").
comp() {
	bash -c '. "$1" || exit 1; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_aurora_restore "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$AR" "$@" | LC_ALL=C sort -u
}
words() {		# words LIST: one a line, sorted
	printf '%s\n' $1 | LC_ALL=C sort -u
}
has() {			# has LIST WORD
	printf '%s\n' $1 | grep -qxF -- "$2"
}

# What the help says, parsed here independently of the completion: the
# commands of --help's "commands:" section, the global options of its usage
# lines, and each command's usage line from `help COMMAND` (its lines
# joined).
help=$("$AR" --help)
commands=$(printf '%s\n' "$help" | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
globals=$(printf '%s\n' "$help" | sed -n '/^usage:/,/^$/p' | grep -o -- '--[a-z][a-z-]*')
usage_of() {		# usage_of CMD: its usage line, after the name
	"$AR" help "$1" | awk '/^usage:/ { on = 1; sub(/^usage: aurora-restore /, ""); u = $0; next }
		on && /^ / { sub(/^ +/, " "); u = u $0; next } on { exit } END { print u }' |
		sed "s/^$1 *//"
}
[ "$(printf '%s\n' "$commands" | wc -l)" -ge 14 ] && ok "--help lists $(printf '%s\n' "$commands" | wc -l) commands" ||
	not_ok "--help lists the commands" "$help"

out=$(bash -c '. "$1" && complete -p aurora-restore' _ "$COMPLETION" 2>&1)
is "$out" "complete -F _aurora_restore aurora-restore" "sourcing it registers _aurora_restore for aurora-restore"

same() {		# same GOT WANT DESCRIPTION: equal as sorted word lists
	is "$(words "$1")" "$(words "$2")" "$3"
}
same "$(comp '')" "$commands" "the first word completes to exactly the commands of --help"
missing=
for c in $commands; do
	has "$(comp "${c%?}")" "$c" || missing+=" $c"
done
is "$missing" "" "every command of --help completes from its name less one letter"
same "$(comp --)" "$globals" "-- before a command completes to exactly the global options"
is "$(comp --wa)" "--wait" "a global option completes from a prefix"

# Every command: its usage's options and the global ones are offered, and
# the binary takes every option offered for it.
mkdir -p "$T/empty"
sample() {		# sample VALUE-WORD: a harmless value for a probe
	case $1 in
	TIME) echo 1secs ;;
	N) echo 9 ;;
	BYTES) echo 100000 ;;
	URL) echo http://127.0.0.1:9 ;;
	H1,H2,...) echo 127.0.0.1 ;;
	HOST:PORT,...) echo 127.0.0.1:9 ;;
	S,...) echo RUNNING ;;
	DIR|PATH|FILE) echo "$T/empty/none" ;;
	*) echo x ;;
	esac
}
value_of() {		# value_of CMD OPTION: the word after it in CMD's usage line, if any
	usage_of "$1" | grep -o -- "[[(]$2 [^] )]*" | head -1 | sed 's/^[^ ]* //'
}
offered_missing= refused= recovery_wrong=
for c in $commands; do
	u=$(usage_of "$c")
	offered=$(comp "$c" --)
	for o in $globals $(printf '%s\n' "$u" | grep -o -- '--[a-z][a-z-]*'); do
		has "$offered" "$o" || offered_missing+=" $c:$o"
	done
	# One run with every offered command option and the usage's required
	# arguments: "--X does not go with CMD" names the first refused.
	args=()
	for a in $(printf '%s\n' "$u" | grep -oE '(^| )[A-Z]+( |$)'); do
		args+=("$(sample "$a")")
	done
	for o in $offered; do
		has "$globals" "$o" && continue
		args+=("$o")
		v=$(value_of "$c" "$o")
		[ -n "$v" ] && args+=("$(sample "$v")")
	done
	run --root "$T/empty" --config /dev/null "$c" "${args[@]}" </dev/null
	case $err in *"does not go with"*|*"unknown option"*|*"wrong number"*) refused+=" $c: $err" ;; esac
	# The recovery options are offered exactly where the binary takes them.
	run --root "$T/empty" --config /dev/null "$c" \
		$(for a in $(printf '%s\n' "$u" | grep -oE '(^| )[A-Z]+( |$)'); do sample "$a"; done) \
		--scheduler http://127.0.0.1:9 </dev/null
	takes=yes
	case $err in *"does not go with"*) takes=no ;; esac
	has "$offered" --scheduler && gets=yes || gets=no
	[ "$takes" = "$gets" ] || recovery_wrong+=" $c(binary takes --scheduler: $takes, offered: $gets)"
done
is "$offered_missing" "" "every command is offered the global options and its usage's options"
is "$refused" "" "the binary takes every option offered for each command"
is "$recovery_wrong" "" "the recovery options are offered for exactly the commands that take --scheduler"
is "$(comp leader --z)" "--zk" "leader is offered its own --zk"
has "$(comp apply --)" --scheduler && not_ok "apply is not offered --scheduler" || ok "apply is not offered --scheduler"

# Option values.
layouts=$(printf '%s\n' "$help" | grep -o -- '--layout [a-z|]*' | head -1 | cut -d' ' -f2 | tr '|' ' ')
same "$(comp --layout '')" "$layouts" "--layout completes to its choices in --help"
is "$(comp --layout = sys)" "systemd" "--layout=sys completes after the ="
is "$(comp apply --layout sy)" "systemd" "--layout after the command completes too"
mkdir -p "$T/paths/dir1" && touch "$T/paths/file1"
both=$(printf '%s\n' "$T/paths/dir1" "$T/paths/file1")
is "$(comp --root "$T/paths/")" "$T/paths/dir1" "--root completes directories only"
is "$(comp --config "$T/paths/")" "$both" "--config completes files"
is "$(comp backup-info "$T/paths/f")" "$T/paths/file1" "backup-info's FILE completes files"
# Every option and argument that --help calls DIR, FILE or PATH.
wrong= n=0
for c in $commands; do
	read -ra u <<<"$(usage_of "$c")"
	set -- "${u[@]}"
	pos=()
	while [ $# -gt 0 ]; do
		w=${1#[[(]} && w=${w%%[])]*} v=
		if [[ ${1:0:3} == [[\(]-- && ${1: -1} != [\]\)] ]]; then
			v=${2%%[])]*}
			shift
		fi
		shift
		[ -z "$v" ] && [[ $w =~ ^[A-Z]+$ ]] && { v=$w; w=; }	# a positional
		case $v in
		DIR) want=$T/paths/dir1 ;;
		FILE|PATH) want=$both ;;
		*) [ -z "$w" ] && [ -n "$v" ] && pos+=(x); continue ;;
		esac
		n=$((n + 1))
		if [ -n "$w" ]; then got=$(comp "$c" "$w" "$T/paths/"); else got=$(comp "$c" "${pos[@]}" "$T/paths/"); fi
		[ "$got" = "$want" ] || wrong+=" $c${w:+ $w}:$v"
		[ -z "$w" ] && pos+=(x)
	done
done
[ "$n" -ge 3 ] && is "$wrong" "" "every DIR, FILE and PATH of the usage lines ($n) completes directories or files" ||
	not_ok "the usage lines have DIR, FILE or PATH" "found $n"
is "$(comp status '')" "" "status takes no argument: nothing is offered"
is "$(comp --reason '')" "" "--reason TEXT: nothing is offered"
is "$(comp tasks --status RUNNING,KI)" "$(printf '%s\n' RUNNING,KILLED RUNNING,KILLING)" \
	"--status completes the last name of a comma list"
statuses=$(comp tasks --status '')
like "$(words "$statuses" | wc -l)" '^1[0-9]$' "--status offers Aurora's task statuses"
run --root "$T/empty" --config /dev/null tasks --scheduler http://127.0.0.1:9 --timeout 1secs \
	--status "$(printf '%s' "$statuses" | tr '\n' ',')" </dev/null
case $err in
*"unknown task status"*|*"does not go with"*) not_ok "the binary takes every status offered" "$err" ;;
*) ok "the binary takes every status offered (rc $rc)" ;;
esac

# Profile names: profile_dirs of the configuration (--config, else
# ROOT/etc/aurora-restore.conf), else share/aurora-restore/profiles beside
# the binary's bin/.
mkdir -p "$T/p1" "$T/p2" "$T/root/etc" "$T/prefix/bin" "$T/prefix/share/aurora-restore/profiles"
touch "$T/p1/recovery.conf" "$T/p1/site.conf" "$T/p2/drill.conf" "$T/p2/README" "$T/p2/old.conf~"
printf 'timeout = "3secs";\nprofile_dirs = [ "%s",\n    "%s" ];\n' "$T/p1" "$T/p2" >"$T/root/etc/aurora-restore.conf"
cp "$T/root/etc/aurora-restore.conf" "$T/ar.conf"
same "$(comp --root "$T/root" apply '')" "drill recovery site" \
	"apply completes the profiles of ROOT/etc/aurora-restore.conf's profile_dirs (only *.conf)"
same "$(comp --root = "$T/root" verify '')" "drill recovery site" "the same with --root=DIR"
same "$(comp --config "$T/ar.conf" diff '')" "drill recovery site" "the same with --config FILE"
is "$(comp --config "$T/ar.conf" verify --live s)" "site" "a profile completes from a prefix, after options"
is "$(comp --config "$T/ar.conf" apply site '')" "" "apply takes one profile: nothing after it"
is "$(comp apply "$T/p2/d")" "$T/p2/drill.conf" "a profile given as a path completes files"
ln -s "$AR" "$T/prefix/bin/aurora-restore"
touch "$T/prefix/share/aurora-restore/profiles/recovery.conf" "$T/prefix/share/aurora-restore/profiles/prefixed.conf"
out=$(bash -c '. "$1"; COMP_WORDS=("$2" --root "$3" apply ""); COMP_CWORD=4
	_aurora_restore; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$T/prefix/bin/aurora-restore" "$T/empty")
has "$out" prefixed && has "$out" recovery && ok "without profile_dirs: the profiles installed beside the binary" ||
	not_ok "without profile_dirs: the profiles installed beside the binary" "got: $out"

# bash-completion's on-demand loader finds it under its command's name.
if [ -r /usr/share/bash-completion/bash_completion ]; then
	mkdir -p "$T/bc/completions" && cp "$COMPLETION" "$T/bc/completions/aurora-restore"
	out=$(BASH_COMPLETION_USER_DIR=$T/bc bash -c '. /usr/share/bash-completion/bash_completion
		__load_completion aurora-restore; complete -p aurora-restore' 2>&1)
	is "$out" "complete -F _aurora_restore aurora-restore" "bash-completion's loader loads it by the command's name"
else
	skip "bash-completion's loader" "bash-completion is not installed"
fi

# log-recover: its own options, a file for FILE and --recovery-tool.
mkdir -p "$T/rt" && touch "$T/rt/recovery-tool" "$T/rt/scheduler-backup-x"
is "$(comp log-recover --m)" "$(words '--max-age --max-kill --mesos')" "log-recover --m: --max-age, --max-kill and --mesos"
is "$(comp log-recover --recovery-tool "$T/rt/rec")" "$T/rt/recovery-tool" "log-recover --recovery-tool completes a path"
is "$(comp log-recover "$T/rt/sch")" "$T/rt/scheduler-backup-x" "log-recover FILE completes a path"

# A binary that prints no help (missing, broken): no completion, no noise.
out=$(bash -c '. "$1"; COMP_WORDS=(/nonexistent/aurora-restore ""); COMP_CWORD=1
	_aurora_restore; echo "rc=$? n=${#COMPREPLY[@]}"' _ "$COMPLETION" 2>&1)
is "$out" "rc=0 n=0" "a missing binary: nothing offered, nothing printed"

# help: its COMMAND completes command names.
same "$(comp help '')" "$commands" "help completes to exactly the commands of --help"
is "$(comp help log-rec)" "log-recover" "help completes a command from a prefix"

done_testing
