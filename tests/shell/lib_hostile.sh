# lib_hostile.sh: helpers of the hostile tests (tests/shell/hostile_*.sh),
# on top of lib.sh (its scratch directory $T, fail, skip, note, check,
# check_grep, pycheck).  $HOSTILE is the misbehaving test program
# (tests/shell/hostile_child); a test may keep the pids it must not leave
# alive in $T/*.pids, which are killed on exit.  Sourced after "set -u".

# A hostile run may take long: a hang is one that outlasts 300 s.
BOUND=${BOUND:-300}
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"
HOSTILE=$top_builddir/tests/shell/hostile_child

# prun_exit CODE ARGS...: run prun ARGS (stdout in $T/out, stderr in
# $T/err) and fail unless it exits CODE within $BOUND seconds.
prun_exit()
{
	_want=$1
	shift
	expect_exit "$_want" "$PRUN" "$@"
}

# frag_check DIR: pycheck the python3 on stdin with R = DIR, frag(name)
# the fragment of that test in R and index[name] its index.
frag_check()
{
	{
		printf '%s\n' 'R = sys.argv[1]' \
		    'index = {n: i for i, n in enumerate(names(R))}' \
		    '_frag = frag' \
		    'def frag(name):' '    return _frag(R, name)'
		cat
	} >"$T/frag_check.py"
	pycheck "$1" <"$T/frag_check.py"
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

# Kill whatever a failed test left in its pid files (lib.sh's cleanup).
cleanup_more()
{
	for _f in "$T"/*.pids; do
		[ -f "$_f" ] || continue
		for _pid in $(alive "$_f"); do
			kill -9 "$_pid" 2>/dev/null
		done
	done
}

[ -x "$HOSTILE" ] || skip "$HOSTILE is not built"
[ -d /proc/self/fd ] || skip "/proc is needed"
