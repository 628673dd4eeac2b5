#!/bin/sh
# signal_stopped.sh: prun itself stopped (SIGSTOP: a paused job, a VM)
# while its tests go on (issue 12, item 8).  A test with a timeout of 2 s
# that ran 3 s and exited while prun was stopped was recorded pass, and
# every duration became the time until prun reaped it.  Now, when SIGCONT
# says prun runs again, a test found past its deadline is timeout with a
# note that prun was stopped (its exit status kept), and a test that
# ended meanwhile gets the duration prun saw, with a note of the bounds.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

mkdir "$T/flags" || fail "mkdir"
cat >"$T/stop.json" <<JSON
{"tests": [
 {"name": "stop/ended", "command": "touch $T/flags/1; sleep 3",
  "timeout": 2},
 {"name": "stop/running", "command": "touch $T/flags/2; exec sleep $LONG",
  "timeout": 2},
 {"name": "stop/intime", "command": "touch $T/flags/3; sleep 1",
  "timeout": 60}
]}
JSON
"$PRUN" run -j 3 --kill-after 1 --fsync never -o "$T/r" "$T/stop.json" \
    2>"$T/err" &
pid=$!
wait_for 30 test -e "$T/flags/3" -a -e "$T/flags/2" -a -e "$T/flags/1" ||
    fail "the tests did not start"
kill -STOP "$pid"
note "prun stopped for 4.5 s"
sleep 4.5
kill -CONT "$pid"
reap "$pid"
check "exit status" 1 "$rc"
check "no test survives" "" "$(long_alive)"
pycheck "$T/r" <<'PY'
d = sys.argv[1]
def dur(f):
    return f["time"]["end"] - f["time"]["start"]
e = frag(d, "stop/ended")
expect("ended: status", "timeout", e["result"])
expect("ended: its own exit status kept", 0, e["returncode"])
expect("ended: note", True, "prun: prun was stopped from" in e["err"] and
       "found it past its timeout of 2 s when it ran again" in e["err"])
expect("ended: bounds", True,
       "the test ended while prun was stopped: it ran at least" in e["err"])
expect("ended: duration is what prun saw, not the 4.5 s stop", True,
       dur(e) < 2.5)
r = frag(d, "stop/running")
expect("running: status", "timeout", r["result"])
expect("running: killed", True, r["returncode"] in (-15, -9))
expect("running: note", True, "killed after the timeout of 2 s" in r["err"]
       and "prun: prun was stopped from" in r["err"])
i = frag(d, "stop/intime")
expect("intime: status", "pass", i["result"])
expect("intime: bounds", True,
       "the test ended while prun was stopped: it ran at least" in i["err"])
expect("intime: duration is what prun saw", True, dur(i) < 2.5)
PY
exit 0
