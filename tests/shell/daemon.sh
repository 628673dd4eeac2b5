#!/bin/sh
# daemon.sh: processes a test leaves behind (in the background holding its
# stdout, in a new session, double-forked) neither hang prun nor outlive
# the run, while the helpers of a test that still runs are spared, even
# orphaned ones that prun reaps.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

# A prun that waited for the leftovers to close the pipes would hang:
# catch it well before make check would.
BOUND=30

cat >"$T/d.list" <<EOF
d/bg echo start; sleep $LONG & echo end
d/setsid setsid sleep $LONG & echo setsid
d/setsid-f setsid -f sleep $LONG; echo setsid-f
d/double sh -c '(sleep $LONG &) &'; echo double
d/closed setsid -f sh -c 'exec sleep $LONG </dev/null >/dev/null 2>&1'; echo closed
d/group sh -c 'sleep $LONG & sleep $LONG & exit 0'; echo group
d/nested setsid -f sh -c 'setsid -f sh -c "sleep 0.2; exec sleep $LONG"; sleep 0.1'; echo nested
d/stopped setsid -f sh -c 'sleep $LONG & kill -STOP \$\$'; echo stopped
d/helper setsid sh -c 'sleep 0.5; echo helper' & wait; echo waited
d/orphan setsid -f sh -c 'sleep 0.3; echo orphan; : >$T/orphan.done'; i=0; while [ ! -e $T/orphan.done ] && [ \$i -lt 600 ]; do sleep 0.05; i=\$((i+1)); done; echo waited
d/tick sleep 0.1; echo tick
EOF
# d/tick ends while the helper of d/orphan, reparented to prun, still runs:
# prun must see that the helper belongs to a running test.  d/orphan waits
# for its helper's mark rather than a fixed time, so load cannot reorder.
for j in 1 3 8; do
	note "tests that leave processes behind, -j $j"
	R=$T/r$j
	rm -f "$T/orphan.done"
	expect_exit 0 "$PRUN" run --fsync never -j "$j" -o "$R" "$T/d.list"
	check "-j $j: no sleep survives" "" "$(long_alive)"
	check "-j $j: no process of the run survives" "" "$(survivors "$R")"
	pycheck "$R" <<'EOF'
R = sys.argv[1]
for n, out in (("bg", "start\nend\n"), ("setsid", "setsid\n"),
               ("setsid-f", "setsid-f\n"), ("double", "double\n"),
               ("closed", "closed\n"), ("group", "group\n"),
               ("nested", "nested\n"), ("stopped", "stopped\n"),
               ("helper", "helper\nwaited\n"),
               ("orphan", "orphan\nwaited\n"), ("tick", "tick\n")):
    f = frag(R, "d/" + n)
    expect(n + " result", "pass", f["result"])
    expect(n + " out", out, f["out"])
EOF
done
exit 0
