# lib_hostile.sh: helpers of the hostile tests (tests/hostile_*.sh).
#
# Sourced after "set -u".  It gives each test a scratch directory $T
# (removed on exit, with any process the test left behind), runs prun with
# a bound so that a hang fails the test instead of make check, and checks
# fragments with python3.  $HOSTILE is the misbehaving test program
# (tests/hostile_child).  A test that cannot run here exits 77.

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PRUN:=$top_builddir/prun}"
HOSTILE=$top_builddir/tests/shell/hostile_child
ME=$(basename "$0" .sh)
LC_ALL=C.UTF-8
export LC_ALL

# Print why the test failed and exit 1.
fail()
{
	printf '%s: FAIL: %s\n' "$ME" "$*" >&2
	exit 1
}

# Print why the test cannot run here and exit 77.
skip()
{
	printf '%s: SKIP: %s\n' "$ME" "$*" >&2
	exit 77
}

# Say what is being checked, for the log.
note()
{
	printf '%s: %s\n' "$ME" "$*"
}

# check WHAT EXPECTED GOT: fail unless GOT is EXPECTED.
check()
{
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# check_grep WHAT PATTERN FILE: fail unless a line of FILE matches.
check_grep()
{
	grep -q -e "$2" "$3" && return 0
	sed 's/^/  | /' "$3" | head -n 40 >&2
	fail "$1: no line matching '$2' in $3"
}

# check_no_grep WHAT PATTERN FILE: fail if a line of FILE matches.
check_no_grep()
{
	grep -q -e "$2" "$3" || return 0
	grep -e "$2" "$3" | head -n 5 | sed 's/^/  | /' >&2
	fail "$1: unexpected line matching '$2' in $3"
}

# prun_exit CODE ARGS...: run prun ARGS (stdout in $T/out, stderr in
# $T/err) and fail unless it exits CODE.  A prun that runs for more than
# $BOUND seconds is killed, and that fails the test.
BOUND=${BOUND:-300}
prun_exit()
{
	_want=$1
	shift
	timeout -k 5 "$BOUND" "$PRUN" "$@" >"$T/out" 2>"$T/err"
	_got=$?
	[ "$_got" = "$_want" ] && return 0
	sed 's/^/  out| /' "$T/out" | head -n 30 >&2
	sed 's/^/  err| /' "$T/err" | head -n 30 >&2
	[ "$_got" = 124 ] && fail "prun $*: still running after $BOUND s"
	fail "prun $*: exit $_got, expected $_want"
}

# frag_check DIR: run the python3 on stdin with R = DIR, and frag(name)
# returning the fragment of that test as a dict; expect(what, want, got).
frag_check()
{
	python3 - "$1" <<EOF || fail "fragments of $1 (see above)"
import json, os, sys
R = sys.argv[1]
plan = json.load(open(os.path.join(R, "metadata.json")))
index = {t["name"]: i for i, t in enumerate(plan["tests"])}
def frag(name):
    p = os.path.join(R, "tests", "%06d.json" % index[name])
    return json.load(open(p))
bad = []
def expect(what, want, got):
    if want != got:
        bad.append("%s: expected %r, got %r" % (what, want, got))
$(cat)
for b in bad:
    print("$ME: FAIL: " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

# alive PIDFILE: print the pids of PIDFILE that still run (not zombies).
alive()
{
	[ -f "$1" ] || return 0
	while read -r _pid; do
		_st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' \
		    "/proc/$_pid/status" 2>/dev/null)
		[ -n "$_st" ] && [ "$_st" != Z ] && echo "$_pid"
	done <"$1"
	return 0
}

# Remove the scratch directory and kill whatever a failed test left.
cleanup()
{
	for _f in "$T"/*.pids; do
		[ -f "$_f" ] || continue
		for _pid in $(alive "$_f"); do
			kill -9 "$_pid" 2>/dev/null
		done
	done
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}

command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read fragments"
command -v timeout >/dev/null 2>&1 || skip "timeout(1) is needed"
[ -x "$HOSTILE" ] || skip "$HOSTILE is not built"
[ -d /proc/self/fd ] || skip "/proc is needed"
T=$(mktemp -d "${TMPDIR:-/tmp}/prun-$ME.XXXXXX") || fail "mktemp"
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
