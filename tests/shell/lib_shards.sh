# Helpers for the shell tests of sharding, baselines, flakes and
# comparisons, on top of lib.sh (fail, skip, the scratch directory $T).
# Source it after set -eu.  Its statuses (of a summary) replaces lib.sh's
# (of a results directory's files).

: "${PRUN:?run through make check (PRUN is not set)}"
. "$top_srcdir/tests/shell/lib.sh"

# Work in the scratch directory, as $tmp.
scratch() {
	tmp=$T
	cd "$tmp"
}

# Run a command, expecting exit status $1: expect 1 prun summary d
expect() {
	want=$1
	shift
	set +e
	"$@"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, not $want"
}

# "NAME STATUS[ flaky]" for every test of a summary of the given
# results directories, in plan order (JSON reports: -f json output).
statuses() {
	"$PRUN" summary -f json "$@" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
for name, t in d["tests"].items():
    print(name, t["result"], "flaky" if t.get("flaky") else "")'
}

# A test list of fast tests with every status but timeout and crash.
write_suite() {
	cat > "$1" <<'LIST'
s/pass-1 true
s/pass-2 true
s/fail-1 exit 1
s/skip-1 exit 77
s/pass-3 echo hello
s/warn-1 echo 'PIGLIT: {"result": "warn"}'
s/fail-2 exit 3
s/pass-4 true
s/crash-1 exec kill -SEGV $$
s/pass-5 true
s/pass-6 true
LIST
}
