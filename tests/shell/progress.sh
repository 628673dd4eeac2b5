#!/bin/sh
# progress.sh: what prun run prints while it runs: on a terminal one live
# line redrawn in place with the non-passing tests above it; in a log one
# line per test that did not pass or skip; -v every test; --progress none
# only the closing line; -q nothing at all.  Progress goes to stderr, so
# stdout stays empty.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
{
	for i in 1 2 3 4 5 6; do echo "p/ok$i exec true"; done
	echo "p/bad exit 1"
	echo "p/skipped exit 77"
} >p.list

# run NAME ARGS...: a run into NAME, stdout to NAME.out, stderr to NAME.err
run()
{
	name=$1
	shift
	"$PRUN" run --fsync never -j 2 -o "$name" "$@" p.list \
	    >"$name.out" 2>"$name.err"
	echo $? >"$name.rc"
}

note "not a terminal: lines"
run lines
check "exit status" 1 "$(cat lines.rc)"
check "stdout stays empty" "" "$(cat lines.out)"
check "the failing test, then the closing line" \
    "fail: p/bad: exit status 1
prun: 8/8 tests in X s: 6 pass, 1 fail, 1 skip; results in lines" \
    "$(sed 's/ ([0-9.]* s)//; s/in [0-9.]* s:/in X s:/' lines.err)"

note "-v: every test"
run verbose -v
check "a line per test and the closing line" 9 "$(wc -l <verbose.err)"
check_grep "a passing test is shown" "^pass: p/ok3 " verbose.err

note "--progress none: only the closing line"
run none --progress none
check "one line" 1 "$(wc -l <none.err)"
check_grep "closing line" "^prun: 8/8 tests" none.err

note "-q: nothing but errors"
run quiet -q
check "no output" "" "$(cat quiet.err quiet.out)"
check "exit status still says so" 1 "$(cat quiet.rc)"

note "--progress tty: the live line, redrawn in place"
run tty --progress tty
check_grep "live line with done/total" "\[8/8\] " tty.err
check_grep "live line with the counts" "6 pass, 1 fail, 1 skip" tty.err
check_grep "rate and ETA" "/s ETA " tty.err
check_true "redrawn with carriage returns and erase-line" \
    grep -q "$(printf '\r')" tty.err
check_true "erased with ESC [K" grep -q "$(printf '\033')\[K" tty.err
check_grep "the failing test is printed above the line" "fail: p/bad" tty.err

# On a real terminal (script(1) gives prun a pty) auto chooses the live line.
if command -v script >/dev/null 2>&1; then
	note "auto on a terminal"
	script -qec "'$PRUN' run --fsync never -j 2 -o auto p.list" /dev/null \
	    >auto.tty 2>&1 </dev/null
	check_grep "auto draws the live line on a tty" "\[8/8\] " auto.tty
fi
exit 0
