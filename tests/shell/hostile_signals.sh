#!/bin/sh
# hostile_signals.sh: tests that resist being stopped still end at their
# timeout: one that stopped itself with SIGSTOP, one that ignores SIGTERM,
# one that moved out of its process group (into prun's own), and one that
# also ignores SIGTERM there, which only SIGKILL to its pid ends.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib_hostile.sh"

note "SIGSTOP, SIGTERM ignored, process group left: --timeout ends them all"
cat >"$T/resist.list" <<EOF
resist/stop $HOSTILE stop
resist/ignore-term $HOSTILE ignore-term
resist/leave-group $HOSTILE leave-group
resist/leave-and-ignore trap '' TERM; exec $HOSTILE leave-group
resist/pass exec true
EOF
prun_exit 1 run -j 5 --timeout 1 --kill-after 1 --fsync never -o "$T/r" \
    "$T/resist.list"
frag_check "$T/r" <<'EOF'
for name in ["stop", "ignore-term", "leave-group", "leave-and-ignore"]:
    f = frag("resist/" + name)
    expect(name + " result", "timeout", f["result"])
    expect(name + " killed", True, f["returncode"] in (-9, -15))
    expect(name + " note", True, "killed after the timeout" in f["err"])
for name in ["ignore-term", "leave-and-ignore"]:
    expect(name + " needed SIGKILL", -9,
           frag("resist/" + name)["returncode"])
expect("stop ran", "stopping\n", frag("resist/stop")["out"])
expect("pass", "pass", frag("resist/pass")["result"])
EOF

prun_exit 1 summary "$T/r"
check_grep "the summary counts the timeouts" '^timeout *4$' "$T/out"
check_grep "and the pass" '^pass *1$' "$T/out"
exit 0
