#!/bin/sh
# hostile_daemons.sh: no process a test starts outlives the run.  Tests
# leave daemons behind by setsid() and by a double fork, some holding
# prun's output pipes open and some not; prun, their child subreaper,
# kills them when their test ends, and the tests still pass.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib_hostile.sh"

note "setsid daemons and double forks, with and without prun's pipes"
cat >"$T/daemons.list" <<EOF
daemon/setsid-keep $HOSTILE daemon $T/daemons.pids keep
daemon/setsid-detach $HOSTILE daemon $T/daemons.pids detach
daemon/double-fork-keep $HOSTILE double-fork $T/daemons.pids keep
daemon/double-fork-detach $HOSTILE double-fork $T/daemons.pids detach
daemon/shell-background sleep 300 >/dev/null 2>&1 & echo \$! >>$T/daemons.pids
daemon/subshell ( ( exec sleep 300 ) & echo \$! >>$T/daemons.pids ) >/dev/null
daemon/running-long exec sleep 2
EOF
# -j 2: daemons of finished tests die while another test still runs.
prun_exit 0 run -j 2 --timeout 30 --fsync never -o "$T/r" "$T/daemons.list"
check "daemons started" 6 "$(wc -l <"$T/daemons.pids")"
left=$(alive "$T/daemons.pids")
[ -z "$left" ] || fail "still running after the run: $(for p in $left; do
	tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)"
frag_check "$T/r" <<'EOF'
for name in ["setsid-keep", "setsid-detach"]:
    expect(name, "pass", frag("daemon/" + name)["result"])
    expect(name + " out", "daemon started\n", frag("daemon/" + name)["out"])
for name in ["double-fork-keep", "double-fork-detach"]:
    expect(name, "pass", frag("daemon/" + name)["result"])
for name in ["shell-background", "subshell", "running-long"]:
    expect(name, "pass", frag("daemon/" + name)["result"])
EOF

note "a daemon of a test that times out"
cat >"$T/timeout.list" <<EOF
daemon/then-hang $HOSTILE daemon $T/timeout.pids keep; exec sleep 300
EOF
prun_exit 1 run --timeout 1 --kill-after 1 --fsync never -o "$T/t" \
    "$T/timeout.list"
left=$(alive "$T/timeout.pids")
[ -z "$left" ] || fail "daemon $left of a timed out test still runs"
frag_check "$T/t" <<'EOF'
expect("then-hang", "timeout", frag("daemon/then-hang")["result"])
EOF
exit 0
