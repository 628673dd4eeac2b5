#!/bin/sh
# signal_storm.sh: SIGTERM or SIGINT sent as fast as a driver can, over
# the whole life of prun, never kills prun by the signal: every trial
# ends with the documented exit status (143, 130) and the resume command
# (issue 12, item 5).  The storm starts once prun's mask blocks the
# signal, the first line of main, so that a death can only be prun's
# fault; the trials start it later and later to hit each phase (plan,
# metadata, tests starting, running, winding down, the closing lines).
# Then the same during the scan of a 100,000-fragment resume, which stops
# at once with the message, and nothing of the resume runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cat >"$T/storm.py" <<'PY'
import os, signal, subprocess, sys, time

def blocked(pid, sig):
    """Whether sig is in pid's blocked mask (/proc/PID/status SigBlk)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("SigBlk:"):
                    return int(line.split()[1], 16) >> (sig - 1) & 1
    except OSError:
        pass
    return 0

def storm(argv, sig, delay, wait, every=0.001, bound=60):
    """Run argv; from the moment sig is blocked (or wait s have passed)
    plus delay, send sig every `every` s until it exits.  Returns
    (returncode, stderr, signals sent)."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         restore_signals=True)
    end = time.monotonic() + bound
    first = time.monotonic() + wait
    while not blocked(p.pid, sig) and p.poll() is None:
        if time.monotonic() > first:
            break
    time.sleep(delay)
    sent = 0
    while p.poll() is None and time.monotonic() < end:
        try:
            os.kill(p.pid, sig)
            sent += 1
        except ProcessLookupError:
            break
        time.sleep(every)
    if p.poll() is None:
        p.kill()
    err = p.stderr.read().decode("utf-8", "replace")
    p.wait()
    return p.returncode, err, sent

prun, mode, out = sys.argv[1], sys.argv[2], sys.argv[3]
args = sys.argv[4:]
bad = 0
# A prun blocks its signals at its first line, milliseconds after the
# exec: a scan of 100,000 fragments takes far more than the 0.2 s the
# driver waits for that.
if mode == "run":
    trials = [(sig, 0.01 * k) for k in range(15)
              for sig in (signal.SIGTERM, signal.SIGINT)]
    wait = 60
else:
    trials = [(signal.SIGTERM, 0.0), (signal.SIGINT, 0.2)]
    wait = 0.2
for n, (sig, delay) in enumerate(trials):
    if mode == "run":
        d = "%s/%d" % (out, n)
        argv = [prun, "run", "-j", "4", "--fsync", "never", "-o", d] + args
    else:
        d = out
        argv = [prun, "run", "--resume", d]
    rc, err, sent = storm(argv, sig, delay, wait)
    want = 128 + sig
    hint = "continue with: prun run --resume %s" % d
    if rc != want or hint not in err:
        bad += 1
        sys.stderr.write("trial %d: %s every ms from %.2f s after the block"
                         " (%d sent): exit %d, want %d; stderr: %r\n" %
                         (n, signal.Signals(sig).name, delay, sent, rc, want,
                          err[-300:]))
print("%d trials, %d bad" % (len(trials), bad))
sys.exit(1 if bad else 0)
PY

note "a storm of SIGTERM or SIGINT over the whole life of prun"
cat >"$T/s.list" <<LIST
s/sleep1 exec sleep $LONG
s/sleep2 exec sleep $LONG
s/sleep3 exec sleep $LONG
s/sleep4 exec sleep $LONG
s/quick1 exec true
s/quick2 echo out
LIST
mkdir "$T/runs" || fail "mkdir"
python3 "$T/storm.py" "$PRUN" run "$T/runs" "$T/s.list" >"$T/log" 2>&1 ||
    { cat "$T/log" >&2; fail "prun died by the storm"; }
cat "$T/log"
check "no test survives the storms" "" "$(long_alive)"
# Each stopped run is whole: its fragments hold their tests.
pycheck "$T/runs" <<'PY'
for run in os.listdir(sys.argv[1]):
    d = os.path.join(sys.argv[1], run)
    n = names(d)
    for i, f in fragments(d).items():
        expect("%s: fragment %d" % (d, i), n[i], f["name"])
        if f["result"] == "incomplete":
            expect("%s: %s interrupted" % (d, n[i]), True,
                   f.get("interrupted"))
PY

note "a SIGTERM, then a storm of SIGINT, in the scan of a 100,000-fragment resume"
python3 -S -c '
for i in range(100000): print("b/%06d exec true" % i)' >"$T/big.list"
# A shard of one test makes the plan of 100,000 and runs one of them.
expect_exit 0 "$PRUN" run -q --fsync never --shard 1/100000 -o "$T/big" \
    "$T/big.list"
python3 -S - "$T/big" <<'PY' || fail "cannot write the fragments"
import json, os, sys
d = sys.argv[1]
names = [t["name"] for t in json.load(open(d + "/metadata.json"))["tests"]]
# Every test has its result: the resume is all scan.
for i, n in enumerate(names):
    p = "%s/tests/%06d.json" % (d, i)
    if not os.path.exists(p):
        with open(p, "w") as f:
            f.write('{"format":"prun-fragment","version":1,"index":%d,'
                    '"name":"%s","attempt":1,"command":"exec true",'
                    '"result":"pass","returncode":0,"pid":1,"time":'
                    '{"start":1.0,"end":1.5},"out":"","err":"",'
                    '"subtests":{}}' % (i, n))
PY
python3 "$T/storm.py" "$PRUN" resume "$T/big" >"$T/log" 2>&1 ||
    { cat "$T/log" >&2; fail "prun died by a signal during the scan"; }
cat "$T/log"
# Test 0 ran and finished (no start record left); nothing else started.
check "the stopped resumes ran nothing" "" "$(python3 -S -c "$PYLIB"'
print(" ".join(str(i) for i in sorted(starts(sys.argv[1]))))' "$T/big")"
exit 0
