#!/bin/sh
# timeout.sh: --timeout ends the whole process group of a test, SIGKILL
# follows after --kill-after for a test that ignores SIGTERM, a stopped
# test still ends, and a profile's per-test timeout takes precedence.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

note "--timeout over tests that hide, ignore SIGTERM or stop"
cat >"$T/t.list" <<EOF
to/children sh -c 'sleep $LONG & sleep $LONG & wait'
to/grandchildren sh -c 'sh -c "sleep $LONG & wait" & wait'
to/ignore trap '' TERM; sleep $LONG & while :; do sleep 0.1; done
to/catch trap 'exit 0' TERM; sleep $LONG & wait
to/stop kill -STOP \$\$; echo never
to/stopgroup sleep $LONG & kill -STOP 0
to/quick exec true
EOF
expect_exit 1 "$PRUN" run --fsync never -j 7 --timeout 0.5 --kill-after 0.5 \
    -o "$T/r" "$T/t.list"
cat >"$T/want" <<'EOF'
to/children timeout
to/grandchildren timeout
to/ignore timeout
to/catch timeout
to/stop timeout
to/stopgroup timeout
to/quick pass
EOF
statuses "$T/r" >"$T/got"
diff -u "$T/want" "$T/got" >&2 || fail "statuses differ from the above"
check "nothing survives the run" "" "$(long_alive)"
pycheck "$T/r" <<'EOF'
R = sys.argv[1]
for n in ("children", "grandchildren", "stop", "stopgroup"):
    expect(n + " ended by SIGTERM", -15, frag(R, "to/" + n)["returncode"])
expect("ignore ended by SIGKILL", -9, frag(R, "to/ignore")["returncode"])
expect("catch exited 0", 0, frag(R, "to/catch")["returncode"])
expect("note", "prun: killed after the timeout of 0.5 s",
       frag(R, "to/ignore")["err"])
expect("stop printed nothing", "", frag(R, "to/stop")["out"])
EOF

note "per-test timeouts from a profile"
cat >"$T/p.json" <<EOF
{
  "defaults": {"timeout": 0.3},
  "tests": [
    {"name": "p/default", "command": "sleep $LONG"},
    {"name": "p/own", "command": "sleep $LONG", "timeout": 0.4},
    {"name": "p/longer", "command": "sleep 0.6", "timeout": 30}
  ]
}
EOF
cat >"$T/p2.json" <<EOF
{"tests": [
  {"name": "q/own", "command": ["sleep", "$LONG"], "timeout": 0.3},
  {"name": "q/run", "command": ["sleep", "$LONG"], "timeout": 0}
]}
EOF
expect_exit 1 "$PRUN" run --fsync never -j 5 --timeout 0.2 \
    -o "$T/p" "$T/p.json" "$T/p2.json"
cat >"$T/want" <<'EOF'
p/default timeout
p/own timeout
p/longer pass
q/own timeout
q/run timeout
EOF
statuses "$T/p" >"$T/got"
diff -u "$T/want" "$T/got" >&2 || fail "statuses differ from the above"
pycheck "$T/p" <<'EOF'
R = sys.argv[1]
for n, t in (("p/default", "0.3"), ("p/own", "0.4"), ("q/own", "0.3"),
             ("q/run", "0.2")):
    expect(n + " note", "prun: killed after the timeout of %s s" % t,
           frag(R, n)["err"])
EOF

# Without --timeout a profile's own timeout still applies.
expect_exit 1 "$PRUN" run --fsync never -t own -o "$T/p3" "$T/p2.json"
check "own timeout alone" "q/own timeout" "$(statuses "$T/p3")"
check "nothing survives the runs" "" "$(long_alive)"
exit 0
