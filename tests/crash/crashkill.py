#!/usr/bin/env python3
"""crashkill: kill prun at every step of its fragment protocol, resume.

A run of N tests with -j2 is recorded once under the shim
(tests/faultinject.so) to count its file-system operations: every mkdir,
create, write, fsync, rename and directory fsync below the results
directory, of metadata.json and of every fragment.  Then, for each
operation k in turn, a fresh run is killed with SIGKILL just before
operation k (so just after operation k-1), and the directory is resumed
(or, when metadata.json was not yet written, the run started again, as
the README's CI script does) and summarized.  The final report must
match the uninterrupted run's: every test once, with its status; no
result that the killed prun had printed may be lost or rewritten; no
temporary file or unparsable fragment may remain.

With --nested, the first resume is itself killed at one of its own early
operations and a second resume (with --max-attempts 3, since a test may
now have been cut short twice) must still end with the same report.

The operations are numbered as they happen, not from an assumed protocol,
so the test stays valid when prun changes how or when it syncs.
"""

import argparse
import concurrent.futures
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crashlib  # noqa: E402


def entries(env, results):
    """{name: (status, what identifies its record)} as prun summary reads
    the results directory."""
    if not os.path.exists(os.path.join(results, "metadata.json")):
        return {}
    _, tests, _ = crashlib.summary_tests(env, [results])
    return {n: (e["result"], crashlib.entry_key(e))
            for n, e in (tests or {}).items()}


class Kill:
    def __init__(self, env, suite, want, rc_ref, nested_every):
        self.env, self.suite, self.want = env, suite, want
        self.rc_ref = rc_ref
        self.nested_every = nested_every

    def go_on(self, root, results, extra, **shim):
        """Resume results, or start the run again when metadata.json was
        never written (nothing ran then)."""
        if os.path.exists(os.path.join(results, "metadata.json")):
            args = ["run", "--resume", results, "-j2", "-v"] + extra
        else:
            args = ["run", "-j2", "-v", "-o", results, self.suite]
        env = self.env.shim_env(root, **shim) if shim else None
        return self.env.run(args, env=env)

    def point(self, k):
        """Kill at operation k, resume, check: (problems, killed, nested
        crash point or None)."""
        root = self.env.path("k%d" % k)
        os.mkdir(root)
        r = os.path.join(root, "r")
        bad = []
        try:
            p = self.env.run(["run", "-j2", "-v", "-o", r, self.suite],
                             env=self.env.shim_env(root, kill_at=k))
            killed = p.returncode == -9
            # What the killed prun had reported must survive unchanged.
            # (what was printed, the fragments when it was killed)
            stages = [(crashlib.reported(p.stderr.decode(errors="replace")),
                       entries(self.env, r))]
            nested = None
            extra = []
            if killed and self.nested_every and k % self.nested_every == 0:
                j = 1 + (k * 7) % 40
                q = self.go_on(root, r, [], kill_at=j)
                if q.returncode == -9:
                    nested = j
                    extra = ["--max-attempts", "3"]
                    stages.append((crashlib.reported(
                        q.stderr.decode(errors="replace")),
                        entries(self.env, r)))
            q = self.go_on(root, r, extra)
            if q.returncode != self.rc_ref:
                bad.append("resume exited %d, not %d: %s" % (
                    q.returncode, self.rc_ref,
                    q.stderr.decode(errors="replace").strip()[-500:]))
            rc, got, err = crashlib.summary(self.env, [r])
            if err.strip():
                bad.append("summary said: " + err.strip())
            bad += crashlib.compare(self.want, got)
            bad += crashlib.fragment_problems(r)
            final = entries(self.env, r)
            for said, at_kill in stages:
                for name, status in sorted(said.items()):
                    if at_kill.get(name, ("none",))[0] != status:
                        bad.append("%s was reported %s before a kill but "
                                   "was not on disk" % (name, status))
                    elif final.get(name) != at_kill[name]:
                        bad.append("%s was reported %s before a kill but "
                                   "its record changed" % (name, status))
        finally:
            shutil.rmtree(root, ignore_errors=True)
        return ["kill at %d%s: %s" % (k, " then %d" % nested
                                      if nested else "", b) for b in bad], \
            killed, nested


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tests", type=int, default=30)
    ap.add_argument("--stride", type=int, default=1,
                    help="kill at every N-th operation only")
    ap.add_argument("--nested-every", type=int, default=3,
                    help="also kill the first resume, at every N-th point")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()

    env = crashlib.Env("kill")
    t0 = time.monotonic()
    try:
        suite = env.path("suite.list")
        want = crashlib.write_suite(suite, a.tests)
        p = env.run(["run", "-j2", "-q", "-o", env.path("ref"), suite])
        rc_ref = p.returncode
        _, got, _ = crashlib.summary(env, [env.path("ref")])
        diff = crashlib.compare(want, got)
        if diff:
            crashlib.fail("the uninterrupted run: " + "; ".join(diff))

        # Count the operations of an uninterrupted run.
        root = env.path("count")
        os.mkdir(root)
        log = env.path("count.log")
        env.run(["run", "-j2", "-q", "-o", os.path.join(root, "r"), suite],
                env=env.shim_env(root, log=log), check_rc=[rc_ref])
        kinds = {}
        nops = 0
        with open(log) as f:
            for line in f:
                seq, kind = line.split("\t", 2)[:2]
                if int(seq) > 0:
                    nops += 1
                    kinds[kind] = kinds.get(kind, 0) + 1
        points = [k for k in range(1, nops + 1)
                  if a.stride == 1 or k % a.stride == 1]

        k = Kill(env, suite, want, rc_ref, a.nested_every)
        problems, killed, nested = [], 0, 0
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
            for bad, was_killed, n in ex.map(k.point, points):
                problems += bad
                killed += was_killed
                nested += n is not None
        print("process-crash exploration: %d tests, -j2, %d operations "
              "per run (%s)" % (a.tests, nops, ", ".join(
                  "%d %s" % (v, n) for n, v in sorted(kinds.items()))))
        print("crash points explored: %d (prun killed at %d of them)%s" % (
            len(points), killed, "; nested crash points: %d" % nested
            if a.nested_every else ""))
        print("violations: %d" % len(problems))
        for b in problems[:30]:
            print("  " + b)
        print("time: %.1f s" % (time.monotonic() - t0))
        if problems:
            crashlib.fail("%d violations" % len(problems))
        if killed < len(points) * 9 // 10:
            crashlib.fail("prun was killed at only %d of %d points: the "
                          "operations of a run are not what was counted" %
                          (killed, len(points)))
    finally:
        env.cleanup()


if __name__ == "__main__":
    main()
