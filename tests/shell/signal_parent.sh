#!/bin/sh
# signal_parent.sh: a test that signals its parent, prun (issue 12, item
# 4).  SIGTSTP, SIGTTIN and SIGTTOU stopped prun forever, SIGUSR1,
# SIGUSR2, SIGALRM and SIGHUP killed it; now none does anything, whether
# the test's own shell sends it, a subshell of its process group, or a
# process that left the group (setsid).  The same SIGHUP sent by anyone
# else (a person, a shell passing on its hangup) still stops the run.  A
# sender of SIGHUP that is gone before prun reads the signal cannot be
# told from /bin/kill: those here live on a little (prun/signals.c rule 3);
# SIGTSTP from a sender gone is ignored.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

note "a test sends each signal to \$PPID"
: >"$T/p.list"
for sig in TSTP TTIN TTOU USR1 USR2 ALRM HUP CONT; do
	printf 'parent/%s kill -%s $PPID; echo sent\n' "$sig" "$sig" \
	    >>"$T/p.list"
done
cat >>"$T/p.list" <<'LIST'
subshell/HUP (kill -HUP $PPID; sleep 2); echo sent
subshell/TSTP (kill -TSTP $PPID); echo sent
setsid/HUP p=$PPID; setsid sh -c "kill -HUP $p; sleep 2"; echo sent
setsid/TSTP p=$PPID; setsid sh -c "kill -TSTP $p"; echo sent
after/pass sleep 0.5; echo sent
LIST
expect_exit 0 "$PRUN" run -j 3 --fsync never -o "$T/p" "$T/p.list"
check_no_grep "no stop" "stopped\|--resume" "$T/err"
pycheck "$T/p" <<'PY'
d = sys.argv[1]
f = fragments(d)
for i, n in enumerate(names(d)):
    expect(n + " recorded", True, i in f)
    if i in f:
        expect(n, ["pass", "sent\n"], [f[i]["result"], f[i]["out"]])
PY

note "SIGHUP from outside the run stops it"
printf 'h/a exec sleep %s\nh/b exec true\n' "$LONG" >"$T/h.list"
# With SIGHUP's default action: under nohup (a CI job may run so) prun
# keeps ignoring the SIGHUP it was started ignoring (signals.c rule 2).
env --default-signal=HUP "$PRUN" run -j 1 --fsync never -o "$T/h" \
    "$T/h.list" 2>"$T/err" &
pid=$!
wait_for 30 long_count 1 || fail "the test did not start"
kill -HUP "$pid"
reap "$pid"
check "exit status after SIGHUP" 129 "$rc"
check "no test survives SIGHUP" "" "$(long_alive)"
check_grep "resume hint" "prun run --resume $T/h" "$T/err"
check_grep "closing line" "(hung up)" "$T/err"
check "h/a interrupted" "incomplete true" \
    "$(jget "$T/h/tests/000000.json" "d['result']" "d.get('interrupted')" |
    tr '\n' ' ' | sed 's/ $//')"
exit 0
