#!/bin/sh
# signals.sh: SIGINT and SIGTERM stop a run (exit 130, 143), the running
# tests are stopped and left incomplete, a resume completes the run with
# the report an uninterrupted run gives, and a second SIGINT does not wait
# for --kill-after.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

# Two tests block until $T/go exists; the others end at once.
cat >"$T/s.list" <<EOF
s/a exec true
s/block1 [ -e $T/go ] || exec sleep $LONG
s/block2 [ -e $T/go ] || exec sleep $LONG
s/fail exit 1
s/skip exit 77
s/pass echo pass
EOF

# stop_run SIGNAL CODE DIR: start a run into DIR, send SIGNAL once both
# blocking tests run, and check that prun exits CODE.  A background job of
# a script starts with SIGINT ignored, which prun respects: env restores it.
stop_run()
{
	env --default-signal=INT "$PRUN" run -j 2 --fsync never -o "$3" "$T/s.list" 2>"$T/err" &
	pid=$!
	wait_for 30 long_count 2 || fail "the blocking tests did not start"
	kill -"$1" "$pid"
	reap "$pid"
	check "exit status after SIG$1" "$2" "$rc"
	check "no test survives SIG$1" "" "$(long_alive)"
	check_grep "resume hint" "prun run --resume $3" "$T/err"
}

# The results of an interrupted run: stopped tests are incomplete and
# marked interrupted, tests never started have no fragment.
check_interrupted()
{
	pycheck "$1" <<'EOF'
R = sys.argv[1]
f = fragments(R)
expect("fragments", [0, 1, 2], sorted(f))
expect("a", "pass", f[0]["result"])
for i in (1, 2):
    expect("block%d result" % i, "incomplete", f[i]["result"])
    expect("block%d interrupted" % i, True, f[i].get("interrupted"))
    expect("block%d returncode" % i, -15, f[i]["returncode"])
    expect("block%d attempt" % i, 1, f[i]["attempt"])
EOF
}

note "SIGINT"
stop_run INT 130 "$T/int"
check_interrupted "$T/int"
expect_exit 1 "$PRUN" summary "$T/int"
check_grep "summary: interrupted tests" '^incomplete  *2$' "$T/out"
check_grep "summary: tests not started" '^notrun  *3$' "$T/out"

note "SIGTERM"
stop_run TERM 143 "$T/term"
check_interrupted "$T/term"

note "resume completes the runs as an uninterrupted run would"
touch "$T/go"
expect_exit 1 "$PRUN" run -j 2 --fsync never -o "$T/whole" "$T/s.list"
expect_exit 1 "$PRUN" summary "$T/whole"
# Times aside (the slowest tests, the verdict line), the same report.
sed '/^slowest:$/,$d' "$T/out" >"$T/want"
for d in int term; do
	expect_exit 1 "$PRUN" run --resume "$T/$d"
	check "$d: statuses after resume" "$(statuses "$T/whole")" \
	    "$(statuses "$T/$d")"
	expect_exit 1 "$PRUN" summary "$T/$d"
	sed '/^slowest:$/,$d' "$T/out" >"$T/got"
	diff -u "$T/want" "$T/got" >&2 || fail "$d: report after resume"
	pycheck "$T/$d" <<'EOF'
R = sys.argv[1]
for n, f in fragments(R).items():
    expect("attempt of %d (interruptions do not count)" % n, 1,
           f["attempt"])
    expect("%d not interrupted" % n, False, "interrupted" in f)
EOF
	# A complete run resumes to nothing.
	expect_exit 1 "$PRUN" run --resume "$T/$d"
	check "$d: statuses after a second resume" "$(statuses "$T/whole")" \
	    "$(statuses "$T/$d")"
done
rm -f "$T/go"

# A test that ignores SIGTERM: the first SIGINT sends SIGTERM, the second
# SIGKILL at once; a wait for the --kill-after of an hour would hang.
note "a second SIGINT does not wait for --kill-after"
cat >"$T/k.list" <<EOF
k/stubborn trap 'echo term >>$T/termlog' TERM; while :; do sleep $LONG & wait; done
EOF
env --default-signal=INT "$PRUN" run --fsync never --kill-after 3600 -o "$T/k" "$T/k.list" 2>/dev/null &
pid=$!
wait_for 30 long_count 1 || fail "the stubborn test did not start"
kill -INT "$pid"
wait_for 30 test -s "$T/termlog" || fail "the test got no SIGTERM"
kill -INT "$pid"
reap "$pid"
check "exit status after two SIGINTs" 130 "$rc"
check "no test survives" "" "$(long_alive)"
check "stubborn" "incomplete -9" \
    "$(jget "$(ls "$T"/k/tests/*.json)" "d['result']" "d['returncode']" |
    tr '\n' ' ' | sed 's/ $//')"

# A background job of a script is started with SIGINT ignored; prun must
# keep it ignored rather than stop the run on the terminal's Ctrl-C.
note "SIGINT ignored at start stays ignored"
printf 'i/sleep sleep 1\n' >"$T/i.list"
sh -c 'trap "" INT; exec "$0" run -q --fsync never -o "$1" "$2"' \
    "$PRUN" "$T/i" "$T/i.list" &
pid=$!
wait_for 30 test -f "$T/i/metadata.json" || fail "the run did not start"
kill -INT "$pid"
reap "$pid"
check "exit status with SIGINT ignored" 0 "$rc"
check "i/sleep" "pass" "$(jget "$T/i/tests/000000.json" "d['result']")"
exit 0
