#!/bin/sh
# progress_live.sh: what a person sees (issue 12 items 11-13, issue 16
# item 2).  Through a pseudo-terminal: the live line names the test that
# runs now with its elapsed time, never one that has ended; statuses in
# colour unless NO_COLOR or --color never.  In a log: a "still running"
# line after --heartbeat seconds of silence; a failure line that says why,
# with the last --failure-lines lines of stderr and no escape sequence of
# the test reaching the terminal.  The options are taken on resume.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "no python3"
PTY="python3 $top_srcdir/tests/shell/pty_run.py"
ESC=$(printf '\033')
cd "$T" || fail "cd $T"

# The last live line of a terminal's output: after the last \r[.
last_line()
{
	tr '\r' '\n' <"$1" | grep '^\[' | tail -n 1 | sed "s/$ESC\[K//g"
}

note "the live line: what runs now, not the last test started"
# With -j 2, x/wait holds the second slot until x/hang has started; then
# x/quick, the last test started, ends at once.  Only x/hang runs, and the
# line must say so while it waits (prun 0.x showed "| x/quick" there).
cat >live.list <<EOF
x/hang touch $T/hang.started; while [ ! -e $T/go ]; do sleep 0.05; done
x/wait while [ ! -e $T/hang.started ]; do sleep 0.05; done; exec true
x/quick exec true
EOF
$PTY live.tty "[2/3]" 1.5 go "$PRUN" run --fsync never -j 2 -o live \
    live.list </dev/null
check "exit status" 0 "$?"
test -e live.tty.snap || fail "the live line never showed [2/3]"
line=$(last_line live.tty.snap)
note "last line while x/hang ran alone: $line"
case $line in
*"1 running: x/hang "[0-9]*s*) ;;
*) fail "the live line does not name x/hang with its elapsed time: $line" ;;
esac
case $line in
*x/quick* | *x/wait*)
	fail "the live line names a test that has ended: $line" ;;
esac
check_grep "the closing line" "prun: 3/3 tests" live.tty

note "colour on a terminal, unless NO_COLOR or --color never"
cat >col.list <<EOF
c/ok exec true
c/bad printf 'first\nsecond $ESC]0;pwned\a $ESC[2J\n' >&2; exit 3
EOF
$PTY col.tty "" 0 - "$PRUN" run --fsync never -j 1 -o col col.list \
    </dev/null
check "exit status" 1 "$?"
check_true "fail in red" grep -q "$ESC\[31mfail$ESC\[0m: c/bad" col.tty
check_true "the counts in colour" grep -q "$ESC\[32m1 pass$ESC\[0m" col.tty
check_no_grep "no OSC of the test reaches the terminal" "$ESC\]0;pwned" \
    col.tty
check_no_grep "no erase of the test" "$ESC\[2J" col.tty
check_grep "its escape shown, not obeyed" '\\x1b\]0;pwned\\x07' col.tty
NO_COLOR= $PTY nocol.tty "" 0 - "$PRUN" run --fsync never -j 1 -o nocol \
    col.list </dev/null
check_no_grep "NO_COLOR set (even empty): no colour" "$ESC\[3" nocol.tty
$PTY never.tty "" 0 - "$PRUN" run --fsync never -j 1 --color never \
    -o never col.list </dev/null
check_no_grep "--color never: no colour" "$ESC\[3" never.tty
"$PRUN" run --fsync never -j 1 --color always --progress lines -o always \
    col.list 2>always.err
check_true "--color always: colour in a log" \
    grep -q "$ESC\[31mfail$ESC\[0m: c/bad" always.err

note "the text summary in colour"
$PTY sum.tty "" 0 - "$PRUN" summary col </dev/null
check_true "a terminal: colour" grep -q "$ESC\[31mfail " sum.tty
NO_COLOR=1 $PTY sumno.tty "" 0 - "$PRUN" summary col </dev/null
check_no_grep "NO_COLOR: none" "$ESC" sumno.tty
expect_exit 1 "$PRUN" summary col
check_no_grep "a pipe: none" "$ESC" out
expect_exit 1 "$PRUN" summary --color always col
check_true "--color always: colour" grep -q "$ESC\[31mfail " out
expect_exit 2 "$PRUN" summary --color sometimes col
check_grep "a bad mode is named" "--color 'sometimes'" err

note "failure lines: why, and the last lines of stderr, made safe"
"$PRUN" run --fsync never -j 1 --progress lines --failure-lines 1 \
    -o fl col.list 2>fl.err
check_grep "the exit status" '^fail: c/bad ([0-9.]* s): exit status 3$' fl.err
check "only the last line, indented and escaped" \
    '    second \x1b]0;pwned\x07 \x1b[2J' \
    "$(grep -A1 '^fail: c/bad' fl.err | tail -n 1)"
check_no_grep "not the line before" "first" fl.err
check_no_grep "no escape byte at all" "$ESC" fl.err
"$PRUN" run --fsync never -j 1 --progress lines --failure-lines 0 \
    -o fl0 col.list 2>fl0.err
check_no_grep "--failure-lines 0: no stderr" "second" fl0.err
expect_exit 2 "$PRUN" run --failure-lines -1 -o flbad col.list
check_grep "a bad count is named" "--failure-lines '-1'" err

note "heartbeat: a line after S silent seconds in a log"
cat >hb.list <<EOF
s/fast exec true
s/slow exec sleep 2.6
EOF
"$PRUN" run --fsync never -j 2 --progress lines --heartbeat 1 -o hb \
    hb.list 2>hb.err
check "exit status" 0 "$?"
check_grep "still running, the counts, the longest-running test" \
    '^prun: still running after [0-9]*s: \[1/2\] 1 pass | 1 running: s/slow [0-9]*s$' \
    hb.err
n=$(grep -c "still running" hb.err)
test "$n" -ge 2 || fail "one heartbeat a second: $n in 2.6 s"
"$PRUN" run --fsync never -j 2 --progress lines --heartbeat 0 -o hb0 \
    hb.list 2>hb0.err
check_no_grep "--heartbeat 0: none" "still running" hb0.err
"$PRUN" run --fsync never -j 2 --progress lines -o hbdef hb.list 2>hbdef.err
check_no_grep "the default (60 s) is not reached" "still running" hbdef.err
expect_exit 2 "$PRUN" run --heartbeat soon -o hbbad hb.list
check_grep "a bad number is named" "--heartbeat 'soon'" err

note "the options are taken on resume"
expect_exit 0 "$PRUN" run --resume hb --heartbeat 1 --failure-lines 3 \
    --color never
exit 0
