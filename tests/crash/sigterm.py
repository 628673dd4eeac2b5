#!/usr/bin/env python3
"""sigterm: prun stopped by SIGTERM or SIGINT mid-run, then resumed.

  1. A run of 20 tests with -j2 in which one test blocks: once it has
     started, prun gets SIGTERM (then, in a second run, SIGINT).  prun must
     exit 143 (130), say how to resume, keep every result it printed, and
     record the stopped test as an interrupted start record whose attempt
     does not count; prun run --resume must then complete the run with the
     report of an uninterrupted run.
  2. SIGTERM delivered at every 7th file-system operation of a run (by the
     shim, so the moment is exact): exit 143 (or death by SIGTERM before
     the first test started, or a normal exit if every test had finished
     and the run is complete), then resume to the same report.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crashlib  # noqa: E402


def check_final(env, r, want, rc_ref, rc, problems, where):
    if rc != rc_ref:
        problems.append("%s: resume exited %d, not %d" % (where, rc, rc_ref))
    _, got, err = crashlib.summary(env, [r])
    if err.strip():
        problems.append("%s: summary said: %s" % (where, err.strip()))
    problems += ["%s: %s" % (where, b) for b in
                 crashlib.compare(want, got) + crashlib.fragment_problems(r)]


def stop_blocked(env, suite, want, rc_ref, flag, started, index, sig, code):
    """Part 1 with signal sig, which must give exit status code."""
    problems = []
    where = "SIG" + signal.Signals(sig).name[3:]
    r = env.path("r-%d" % sig)
    open(flag, "w").close()
    if os.path.exists(started):
        os.unlink(started)
    p = subprocess.Popen([env.prun, "run", "-j2", "-v", "-o", r, suite],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not os.path.exists(started) and p.poll() is None and \
            time.monotonic() < deadline:
        time.sleep(0.01)
    p.send_signal(sig)
    _, err = p.communicate(timeout=120)
    err = err.decode(errors="replace")
    os.unlink(flag)
    if p.returncode != code:
        problems.append("%s: exited %d, not %d" % (where, p.returncode,
                                                  code))
    if "--resume " + r not in err:
        problems.append("%s: no word on how to resume: %r" % (where, err))
    said = crashlib.reported(err)
    tests = os.path.join(r, "tests")
    for name, status in said.items():
        with open(os.path.join(tests, "%06d.json" % index[name])) as f:
            if json.load(f)["result"] != status:
                problems.append("%s: %s was reported %s but is not on "
                                "disk" % (where, name, status))
    with open(os.path.join(tests, "%06d.json" % index["suite/block"])) as f:
        doc = json.load(f)
    if doc["result"] != "incomplete" or not doc.get("interrupted"):
        problems.append("%s: the stopped test is recorded as %s%s" % (
            where, doc["result"], "" if doc.get("interrupted") else
            ", not interrupted"))
    q = env.run(["run", "--resume", r, "-q"])
    check_final(env, r, want, rc_ref, q.returncode, problems, where)
    with open(os.path.join(tests, "%06d.json" % index["suite/block"])) as f:
        doc = json.load(f)
    if doc["attempt"] != 1:
        problems.append("%s: the stopped test's attempt counted (attempt "
                        "%d)" % (where, doc["attempt"]))
    return problems


def main():
    env = crashlib.Env("sigterm")
    t0 = time.monotonic()
    problems = []
    try:
        suite = env.path("suite.list")
        want = crashlib.write_suite(suite, 20)
        flag = env.path("block-flag")
        started = env.path("block-started")
        # The blocking test, in the middle of the plan.
        with open(suite) as f:
            lines = f.readlines()
        lines.insert(10, "suite/block if [ -e %s ]; then : > %s; exec sleep "
                     "60; fi\n" % (flag, started))
        with open(suite, "w") as f:
            f.writelines(lines)
        want["suite/block"] = "pass"
        index = {line.split()[0]: i for i, line in enumerate(lines)}
        p = env.run(["run", "-j2", "-q", "-o", env.path("ref"), suite])
        rc_ref = p.returncode
        _, got, _ = crashlib.summary(env, [env.path("ref")])
        diff = crashlib.compare(want, got)
        if diff:
            crashlib.fail("the uninterrupted run: " + "; ".join(diff))

        problems += stop_blocked(env, suite, want, rc_ref, flag, started,
                                 index, signal.SIGTERM, 143)
        problems += stop_blocked(env, suite, want, rc_ref, flag, started,
                                 index, signal.SIGINT, 130)

        # Part 2: SIGTERM at every 7th operation.
        root = env.path("count")
        os.mkdir(root)
        log = env.path("count.log")
        env.run(["run", "-j2", "-q", "-o", os.path.join(root, "r"), suite],
                env=env.shim_env(root, log=log), check_rc=[rc_ref])
        with open(log) as f:
            nops = sum(1 for line in f if not line.startswith("0\t"))
        points = list(range(1, nops + 1, 7))
        for k in points:
            root = env.path("t%d" % k)
            os.mkdir(root)
            r = os.path.join(root, "r")
            where = "SIGTERM at operation %d" % k
            p = env.run(["run", "-j2", "-q", "-o", r, suite],
                        env=env.shim_env(root, kill_at=k, kill_sig=15))
            # A signal that lands once every test has finished may end a
            # complete run normally; then the run must indeed be complete.
            if p.returncode == rc_ref:
                _, got, _ = crashlib.summary(env, [r])
                if crashlib.compare(want, got):
                    problems.append("%s: exited %d on an incomplete run" %
                                    (where, p.returncode))
            elif p.returncode not in (143, -15):
                problems.append("%s: exited %d, not 143" %
                                (where, p.returncode))
            if os.path.exists(os.path.join(r, "metadata.json")):
                q = env.run(["run", "--resume", r, "-q"])
            else:
                q = env.run(["run", "-j2", "-q", "-o", r, suite])
            check_final(env, r, want, rc_ref, q.returncode, problems, where)
            shutil.rmtree(root)
        print("signals: SIGTERM and SIGINT to a blocked run, SIGTERM at %d "
              "operations of %d" % (len(points), nops))
        print("violations: %d" % len(problems))
        for b in problems[:30]:
            print("  " + b)
        print("time: %.1f s" % (time.monotonic() - t0))
        if problems:
            crashlib.fail("%d violations" % len(problems))
    finally:
        env.cleanup()


if __name__ == "__main__":
    main()
