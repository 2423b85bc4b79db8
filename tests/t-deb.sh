#!/bin/bash
# tests/t-deb.sh: the .deb that `dpkg-buildpackage -us -uc -b` built from
# debian/ (.ci/run builds it and names it in AURORA_RESTORE_DEB). Its file
# list (dpkg-deb -c) is what `make install` installs, each file as in the
# source; the binary looks where the package puts lenses and profiles; it
# installs into a scratch root with dpkg --root, and the installed binary
# does diff, apply, verify, status and revert on the example host. The
# Ansible collection aurora.restore is under /usr/share/ansible/collections
# (where ansible-core looks with no configuration): every file of the
# collection tarball `make ansible-collection` builds, and ansible-doc reads
# the module from the scratch root by its full name.
# min-checks: 15
# allow-skip: no .deb built -- outside CI; .ci/run builds the .deb and sets AURORA_RESTORE_DEB
. "$SRCDIR/tests/lib.sh"

DEB=${AURORA_RESTORE_DEB:-}
if [ -z "$DEB" ]; then
	skip_all "no .deb built (AURORA_RESTORE_DEB is not set; .ci/run builds one)"
fi
if [ ! -f "$DEB" ]; then
	not_ok "AURORA_RESTORE_DEB names a .deb" "no file $DEB"
	done_testing
	exit
fi

# The control fields.
is "$(dpkg-deb -f "$DEB" Package)" "aurora-restore" "the package is aurora-restore"
version=$("$AR" --version | awk '{ print $NF }')
is "$(dpkg-deb -f "$DEB" Version | sed 's/-[^-]*$//')" "$version" \
	"its version is the binary's ($version; debian/changelog follows configure.ac)"
depends=$(dpkg-deb -f "$DEB" Depends)
like "$depends" 'libaugeas0' "Depends has the linked libraries (from shlibs)"
like "$depends" '(^|, )libcurl4( |,|$)' "Depends has libcurl4 (opened with dlopen, invisible to shlibs)"
like "$depends" '(^|, )augeas-lenses( |,|$)' "Depends has augeas-lenses (the stock Hosts lens)"

# The file list.
dpkg-deb -c "$DEB" >"$T/contents" || not_ok "dpkg-deb -c reads the .deb"
files=$(awk '$1 !~ /^d/ { sub(/^\.\//, "", $6); print $6 }' "$T/contents" | LC_ALL=C sort)
mode() {		# mode PATH: its mode string in the .deb
	awk -v p="./$1" '$6 == p { print $1 }' "$T/contents"
}
is "$(mode usr/bin/aurora-restore)" "-rwxr-xr-x" "the binary is usr/bin/aurora-restore, mode 0755"
want=
for f in "$SRCDIR"/lenses/*.aug; do want+="usr/share/augeas/lenses/${f##*/} "; done
for f in "$SRCDIR"/profiles/*.conf; do want+="usr/share/aurora-restore/profiles/${f##*/} "; done
want+="usr/share/man/man8/aurora-restore.8.gz usr/share/man/man5/aurora-restore-profile.5.gz "
want+="usr/share/bash-completion/completions/aurora-restore "
COLL=usr/share/ansible/collections/ansible_collections/aurora/restore
make -s -C "$BUILDDIR" ansible-collection >"$T/collection.log" 2>&1 || not_ok "make ansible-collection" "$(tail -5 "$T/collection.log")"
tarball=$(ls "$BUILDDIR"/ansible/aurora-restore-*.tar.gz 2>/dev/null | head -1)
mkdir -p "$T/collection"
tar -xzf "${tarball:-/nonexistent}" -C "$T/collection" 2>/dev/null || not_ok "the collection tarball unpacks" "${tarball:-none built}"
want+=$(cd "$T/collection" && find . -type f | sed "s|^\./|$COLL/|" | tr '\n' ' ')
missing=
for f in $want; do printf '%s\n' "$files" | grep -qxF "$f" || missing+=" $f"; done
is "$missing" "" "it has every lens (Augeas's lens directory), profile, man page, the completion, and the Ansible collection"
for f in MANIFEST.json FILES.json meta/runtime.yml plugins/modules/aurora_restore.py \
    roles/host/tasks/main.yml playbooks/restore.yml; do
	printf '%s\n' "$files" | grep -qxF "$COLL/$f" || missing+=" $f"
done
is "$missing" "" "the collection aurora.restore has its metadata, module, role and playbook under /$COLL"
is "$(printf '%s\n' "$files" | grep -c '^usr/share/aurora-restore/ansible/')" 0 "nothing left in the old place, /usr/share/aurora-restore/ansible"
is "$(printf '%s\n' "$files" | grep -v '^usr/' | tr '\n' ' ')" "" "nothing outside /usr (no conffiles, no state)"

# make install and the .deb agree: the same files (man pages compressed by
# dh_compress; /usr/share/doc is dh's).
make -s -C "$BUILDDIR" install prefix=/usr exec_prefix=/usr sysconfdir=/etc \
	DESTDIR="$T/inst" >"$T/install.log" 2>&1 || not_ok "make install" "$(tail -5 "$T/install.log")"
installed=$(cd "$T/inst" && find . ! -type d | sed 's|^\./||; s|^\(usr/share/man/.*\)$|\1.gz|' | LC_ALL=C sort)
debfiles=$(printf '%s\n' "$files" | grep -v '^usr/share/doc/')
is "$(LC_ALL=C comm -3 <(printf '%s\n' "$installed") <(printf '%s\n' "$debfiles") | tr '\n' ' ')" "" \
	"make install installs exactly the .deb's files (left: make install only; indented: .deb only)"

# Installed into a scratch root with dpkg --root.
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
: >"$R/var/lib/dpkg/status"
dpkgr() { dpkg --root="$R" --force-not-root --log=/dev/null "$@"; }
check "dpkg --root installs it (dependencies are the host's, not the scratch root's)" \
	dpkgr --force-depends -i "$DEB"
like "$(dpkgr -s aurora-restore 2>&1)" 'Status: install ok installed' "dpkg's database in the scratch root has it installed"
differ=
while read -r src dst; do
	if [ "${dst%.gz}" != "$dst" ]; then
		zcat "$R/$dst" 2>/dev/null | cmp -s - "$src" || differ+=" $dst"
	else
		cmp -s "$src" "$R/$dst" || differ+=" $dst"
	fi
done < <(
	for f in "$SRCDIR"/lenses/*.aug; do echo "$f usr/share/augeas/lenses/${f##*/}"; done
	for f in "$SRCDIR"/profiles/*.conf; do echo "$f usr/share/aurora-restore/profiles/${f##*/}"; done
	echo "$SRCDIR/man/aurora-restore.8 usr/share/man/man8/aurora-restore.8.gz"
	echo "$SRCDIR/man/aurora-restore-profile.5 usr/share/man/man5/aurora-restore-profile.5.gz"
	echo "$SRCDIR/contrib/bash-completion/aurora-restore usr/share/bash-completion/completions/aurora-restore"
	(cd "$T/collection" && find . -type f | sed "s|^\./\(.*\)|$T/collection/\1 $COLL/\1|")
)
is "$differ" "" "every installed lens, profile, man page, completion and collection file is the source's, byte for byte"
for f in $(cd "$SRCDIR/contrib/ansible" && find plugins roles playbooks meta -type f ! -name '*.pyc'); do
	cmp -s "$SRCDIR/contrib/ansible/$f" "$R/$COLL/$f" || differ+=" $f"
done
is "$differ" "" "the collection's module, role, playbook and metadata are contrib/ansible's, byte for byte"

# ansible-doc finds the module by its full name in the scratch root's
# /usr/share/ansible/collections, the folder ansible-core searches by default.
like "$(ansible-config dump 2>/dev/null | grep '^COLLECTIONS_PATHS')" '/usr/share/ansible/collections' \
	"ansible-core searches /usr/share/ansible/collections with no configuration"
ANSIBLE_HOME=$T/ansible ANSIBLE_COLLECTIONS_PATH=$R/usr/share/ansible/collections \
	ansible-doc aurora.restore.aurora_restore >"$T/doc.txt" 2>"$T/doc.err"
is "$?:$(head -c 300 "$T/doc.err")" "0:" \
	"ansible-doc aurora.restore.aurora_restore reads the installed module (exit 0, no warning such as \"was not found\")"
like "$(head -1 "$T/doc.txt")" "^> AURORA\.RESTORE\.AURORA_RESTORE +\($R/$COLL/plugins/modules/aurora_restore\.py\)" \
	"ansible-doc: the module is the scratch root's, at /$COLL"

BIN=$R/usr/bin/aurora-restore
strings_of() { tr '\0' '\n' <"$BIN"; }
strings_of | grep -qxF /usr/share/augeas/lenses &&
	strings_of | grep -qxF /usr/share/aurora-restore/profiles &&
	ok "the binary looks for lenses in /usr/share/augeas/lenses and profiles in /usr/share/aurora-restore/profiles" ||
	not_ok "the binary looks for lenses and profiles where the package puts them" "$(strings_of | grep '^/usr/share/' | head)"
is "$("$BIN" --version)" "$("$AR" --version)" "the installed binary runs: --version"

# The example host, with the installed lenses and profile (the binary's own
# paths are those of the real /usr, which this test does not touch).
H=$T/host P=$T/proc
mkdir -p "$P"
cp -a "$SRCDIR/examples/debian-host" "$H"
cp -a "$H" "$T/host.orig"
{ cat "$SRCDIR/examples/debian-host/etc/aurora-restore.conf"
  printf 'profile_dirs = [ "%s" ];\n' "$R/usr/share/aurora-restore/profiles"; } >"$T/ar.conf"
export AURORA_RESTORE_LENSDIR=$R/usr/share/augeas/lenses
inst() { AR=$BIN run --root "$H" --proc "$P" --config "$T/ar.conf" "$@"; }
exits() {		# exits WANT DESCRIPTION: the last inst's exit status
	if [ "$rc" = "$1" ]; then ok "$2"; else not_ok "$2" "exit status $rc, want $1" "$err" "$out"; fi
}
inst diff
exits 0 "installed: diff exits 0"
like "$out" '^\+\+\+ b/etc/default/aurora-scheduler' "installed: diff shows the flag file's change"
inst apply --reason "t-deb"
exits 0 "installed: apply exits 0"
like "$out" 'applied profile recovery' "installed: apply applies the installed recovery profile"
inst verify
exits 0 "installed: verify says the host is in the recovery state"
inst status
like "$out" 'profile recovery applied .*t-deb' "installed: status shows the profile and the reason"
inst revert
exits 0 "installed: revert exits 0"
is "$(snapshot "$H" | grep -Ev '^\./(var/lib/aurora-restore|run)/')" "$(snapshot "$T/host.orig")" \
	"installed: after revert every file of the example host is as it was (bytes, mode, owner, mtime)"

check "dpkg --root removes it" dpkgr -r aurora-restore
is "$(find "$R/usr" ! -type d 2>/dev/null | sed "s|^$R||" | tr '\n' ' ')" "" "removed: no file of it is left"

done_testing
