# Helpers for the shell tests of sharding, baselines, flakes and
# comparisons.  Source it after set -eu.

: "${PRUN:?run through make check (PRUN is not set)}"

# Make a scratch directory $tmp, removed on exit, and cd into it.
scratch() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/prun-test.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	cd "$tmp"
}

# Print a message and fail the test.
fail() {
	echo "FAIL: $*" >&2
	exit 1
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
