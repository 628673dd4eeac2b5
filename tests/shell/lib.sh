# lib.sh: helpers for the shell tests that drive the built prun.
#
# Sourced first by tests/*.sh.  It gives each test a scratch directory $T
# under $TMPDIR (removed on exit, with every process the test left in the
# background), assertions that say what was expected and what came
# instead, JSON queries and checks in python3 (jget, pycheck), and ways to
# find processes that outlived a run (long_alive, survivors) from /proc.
# A test that cannot run here calls skip, which exits 77.

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PRUN:=$top_builddir/prun}"
export top_srcdir top_builddir PRUN
EXAMPLES=$top_srcdir/examples
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
	[ "$2" = "$3" ] && return 0
	fail "$1: expected '$2', got '$3'"
}

# check_true WHAT CMD...: fail unless CMD succeeds.
check_true()
{
	_what=$1
	shift
	"$@" && return 0
	fail "$_what: '$*' is false"
}

# check_grep WHAT PATTERN FILE: fail unless FILE has a line matching PATTERN.
check_grep()
{
	grep -q -e "$2" "$3" && return 0
	printf '%s: --- %s:\n' "$ME" "$3" >&2
	head -c 4000 "$3" >&2
	fail "$1: no line matching '$2' in $3"
}

# check_no_grep WHAT PATTERN FILE: fail if FILE has a line matching PATTERN.
check_no_grep()
{
	grep -q -e "$2" "$3" || return 0
	fail "$1: unexpected line matching '$2' in $3: $(grep -e "$2" "$3" |
	    head -n 3)"
}

# expect_exit CODE CMD...: run CMD (stdout in $T/out, stderr in $T/err)
# and fail unless it exits CODE.  A command that runs longer than
# $BOUND seconds is killed: a hang fails the test instead of make check.
BOUND=${BOUND:-60}
expect_exit()
{
	_code=$1
	shift
	timeout -k 5 "$BOUND" "$@" >"$T/out" 2>"$T/err"
	_rc=$?
	[ "$_rc" = "$_code" ] && return 0
	printf '%s: --- stdout:\n' "$ME" >&2
	head -c 4000 "$T/out" >&2
	printf '%s: --- stderr:\n' "$ME" >&2
	head -c 4000 "$T/err" >&2
	[ "$_rc" = 124 ] && fail "'$*' did not end within $BOUND s"
	fail "'$*': expected exit status $_code, got $_rc"
}

# The helpers of pycheck's programs: load(path), md(dir), frag(dir, name),
# fragments(dir) (index -> fragment, final names only), starts(dir)
# (index -> latest attempt in the start log), records(dir) (fragments,
# plus the start log's tests without one as incomplete) and expect(what,
# want, got), which notes a mismatch and makes the program exit 1.
PYLIB='
import json, os, re, sys
failed = 0
def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)
def md(d):
    return load(d + "/metadata.json")
def names(d):
    return [t["name"] for t in md(d)["tests"]]
def frag(d, name):
    return load("%s/tests/%06d.json" % (d, names(d).index(name)))
def fragments(d):
    return {int(n[:-5]): load(d + "/tests/" + n)
            for n in os.listdir(d + "/tests") if not n.startswith(".")}
def fnv(b):
    h = 2166136261
    for c in b:
        h = ((h ^ c) * 16777619) & 0xffffffff
    return h
def start_lines(d):
    """The start records, (index, attempt, start, cut), by index and start
    number: the entries .NNNNNN.START.ATTEMPT.US.start (or .cut) of
    tests/ (src/store/store.c rule 11; a test keeps its latest only), and
    the whole lines of the start log of an earlier prun, "INDEX ATTEMPT
    TIME [START [cut]] CHECK" (without START: START = ATTEMPT)."""
    out = []
    for n in os.listdir(d + "/tests"):
        m = re.fullmatch(r"\.([0-9]{6,})\.([0-9]+)\.([0-9]+)\.[0-9]+"
                         r"\.(start|cut)", n)
        if m:
            out.append((int(m.group(1)), int(m.group(3)), int(m.group(2)),
                        m.group(4) == "cut"))
    try:
        data = open(d + "/starts.log", "rb").read()
    except FileNotFoundError:
        data = b""
    for line in data.split(b"\n"):
        f = line.split(b" ")
        try:
            if not 4 <= len(f) <= 6 or \
                    fnv(b" ".join(f[:-1])) != int(f[-1], 16):
                continue
            i, a = int(f[0]), int(f[1])
            s = int(f[3]) if len(f) > 4 else a
            cut = len(f) == 6 and f[4] == b"cut"
        except ValueError:
            continue
        out.append((i, a, s, cut))
    return sorted(out, key=lambda l: (l[0], l[2], not l[3]))
def starts(d):
    """index -> latest attempt of its start records (rule 11)."""
    out = {}
    for i, a, s, cut in start_lines(d):
        out[i] = max(out.get(i, 0), a)
    return out
def records(d):
    """index -> the fragment, or else {"result": "incomplete", "attempt"}
    from the start log: what prun reads (src/store.c rule 3)."""
    f = fragments(d)
    for i, a in starts(d).items():
        f.setdefault(i, {"result": "incomplete", "attempt": a})
    return f
def expect(what, want, got):
    global failed
    if want == got:
        return
    w, g = repr(want), repr(got)
    if len(w) + len(g) > 400:
        i = 0
        while i < min(len(w), len(g)) and w[i] == g[i]:
            i += 1
        what += " (%d and %d long, differ at %d)" % (len(w), len(g), i)
        w, g = w[max(0, i - 80):i + 80], g[max(0, i - 80):i + 80]
    sys.stderr.write("%s: FAIL: %s: expected %s, got %s\n" %
                     (os.environ.get("ME", "?"), what, w, g))
    failed = 1
'

# pycheck [ARG...]: run the python3 program read from stdin, with the
# PYLIB helpers and ARGs in sys.argv[1:]; fail if it fails.
pycheck()
{
	{
		printf '%s\n' "$PYLIB"
		cat
		printf '\nsys.exit(failed)\n'
	} >"$T/check.py"
	ME=$ME python3 -S "$T/check.py" "$@" || fail "python checks failed"
}

# jget FILE EXPR...: print each python3 expression EXPR over the JSON
# document d of FILE, one a line: a string as it is, anything else as
# JSON (keys sorted).
jget()
{
	python3 -S -c "$PYLIB"'
d = load(sys.argv[1])
for e in sys.argv[2:]:
    v = eval(e)
    sys.stdout.write((v if isinstance(v, str) else
        json.dumps(v, sort_keys=True, ensure_ascii=False)) + "\n")
' "$@"
}

# fragment DIR NAME: the path of test NAME's fragment, from the plan.
fragment()
{
	python3 -S -c "$PYLIB"'
d, n = sys.argv[1:]
print("%s/tests/%06d.json" % (d, names(d).index(n)))
' "$1" "$2" || fail "no test $2 in $1"
}

# statuses DIR: "NAME STATUS" for each test of the plan, in plan order:
# its fragment's, else incomplete when the start log has it, else notrun.
statuses()
{
	python3 -S -c "$PYLIB"'
d = sys.argv[1]
f = records(d)
for i, n in enumerate(names(d)):
    print(n, f[i]["result"] if i in f else "notrun")
' "$1"
}

# attempt_of DIR NAME: the attempt of test NAME's record in DIR (its
# fragment's, else the start log's).
attempt_of()
{
	python3 -S -c "$PYLIB"'
d, n = sys.argv[1:]
print(records(d)[names(d).index(n)].get("attempt", 1))
' "$1" "$2" || fail "no record of $2 in $1"
}

# check_results_valid DIR: every file at a final name of DIR is whole JSON
# that holds the test of its index (rule 2 of src/store.c).
check_results_valid()
{
	python3 -S -c "$PYLIB"'
d = sys.argv[1]
n = names(d)
for name in sorted(os.listdir(d + "/tests")):
    if name.startswith("."):
        continue
    i = int(name.split(".")[0])
    assert name == "%06d.json" % i, name
    fr = load(d + "/tests/" + name)
    assert fr["index"] == i and fr["name"] == n[i], name
' "$1" || fail "damaged results in $1"
}

# numbered_list N NAME CMD: a test list of N tests, each running CMD,
# named by the printf format NAME of its number (0 to N-1).
numbered_list()
{
	_i=0
	while [ "$_i" -lt "$1" ]; do
		printf "$2 %s\n" "$_i" "$3"
		_i=$((_i + 1))
	done
}

# wait_for SECONDS CMD...: poll until CMD succeeds; 1 if it never did.
wait_for()
{
	_n=$(($1 * 20))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		_n=$((_n - 1))
	done
	return 1
}

# exited PID: the process PID has ended (it may be a zombie).
exited()
{
	! [ -e "/proc/$1" ] || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null
}

# stuck PID: say what the process PID and its threads and children are
# doing (state, kernel wait channel, command), and the tail of $T/err: a
# hang in CI must leave more than its timeout behind.
stuck()
{
	for _t in /proc/"$1"/task/*; do
		echo "stuck: thread ${_t##*/}: $(sed 's/^[0-9]* ([^)]*) //' \
		    "$_t/stat" 2>/dev/null | cut -d' ' -f1) in $(cat \
		    "$_t/wchan" 2>/dev/null)" >&2
	done
	for _c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "stuck: child $_c: $(tr '\0' ' ' <"/proc/$_c/cmdline" \
		    2>/dev/null) ($(cut -d' ' -f3 "/proc/$_c/stat" 2>/dev/null))" >&2
	done
	[ ! -f "$T/err" ] || { echo "stuck: $T/err:" >&2; tail -n 20 "$T/err" >&2; }
}

# reap PID: wait for the background process PID, at most $BOUND seconds
# (then it is killed and the test fails); its exit status is put in $rc.
reap()
{
	wait_for "$BOUND" exited "$1" || {
		stuck "$1"
		kill -KILL "$1"
		fail "process $1 did not end within $BOUND s"
	}
	wait "$1"
	rc=$?
}

# long_alive: the pids of the "sleep $LONG" processes still alive (see
# LONG below): an argument is exactly $LONG, which grep's own pattern is
# not.  /proc, as ps is not in every minimal system.
long_alive()
{
	grep -l -s -x -z -e "${LONG%.*}[.]${LONG#*.}" /proc/[0-9]*/cmdline |
	    sed 's|/proc/\([0-9]*\)/cmdline|\1|'
}

# long_count N: exactly N "sleep $LONG" processes are alive.
long_count()
{
	[ "$(long_alive | wc -l)" -eq "$1" ]
}

# survivors DIR: the processes started for a run into DIR still alive
# (their environment says PRUN_RESULTS_DIR=DIR).
survivors()
{
	_d=$(cd "$1" && pwd -P) || fail "no directory $1"
	grep -l -s -x -z -F -e "PRUN_RESULTS_DIR=$_d" /proc/[0-9]*/environ |
	    sed 's|/proc/\([0-9]*\)/environ|\1|' | while read -r _p; do
		printf '%s %s\n' "$_p" "$(tr '\0' ' ' <"/proc/$_p/cmdline" \
		    2>/dev/null)"
	done
}

# What a library on top of this one kills or undoes before $T goes.
cleanup_more()
{
	:
}

# Clean up: kill what the test left in the background, remove $T (even
# what a test made read-only).
cleanup()
{
	_rc=$?
	set +e
	cleanup_more
	for _p in $(jobs -p); do
		kill -KILL "$_p" 2>/dev/null
	done
	for _p in $(long_alive); do
		kill -KILL "$_p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "${T:-}" ] && chmod -R u+rwx "$T" 2>/dev/null
	[ -n "${T:-}" ] && rm -rf "$T"
	exit "$_rc"
}

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
command -v timeout >/dev/null 2>&1 || skip "timeout (coreutils) is missing"
[ -x "$PRUN" ] || fail "no prun at $PRUN (set PRUN or run make check)"

T=$(mktemp -d "${TMPDIR:-/tmp}/prun-$ME.XXXXXX") || fail "mktemp"
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
# "sleep $LONG" is a process that would outlive any test unless killed,
# and that no other test runs: long_alive can tell whether one survived.
LONG=1000.$$
