#!/usr/bin/env python3
"""faults: ENOSPC and EIO on prun's writes, fsyncs and renames.

For each kind of operation (create, write, fsync of a file, rename, link,
fsync of a directory), on metadata.json, on the start records (links in
tests/, and their anchor) and on fragments (results, and the start
records of reruns), with ENOSPC and with EIO, the shim
(tests/faultinject.so) makes one call fail.  prun must then:

  - stop with exit status 3 and a message naming the file and the error;
  - never report a result that is not durable: every result it printed
    is in the state a power cut at its exit would leave (alice.py's
    persistence model, where a failed fsync made nothing durable);
  - never trust a failed fsync or write: the file it failed on is never
    fsync'd again nor renamed into place;
  - and a later prun run --resume without the fault (or the first command
    again, when metadata.json could not be written: no test ran then)
    completes the run with the report of an uninterrupted run.

The same is done to a resume (a fault while resuming a killed run).

A full disk (issue 12, item 7): the disk fills up during a run (every
create and write in tests/ fails with ENOSPC from then on, while links
and renames, which need no new space, still work), the run is resumed
twice while it is still full, then without: the report must be the
uninterrupted run's, so no start that prun cut short counted as an
attempt.  Its negative control also refuses the marks of those starts
(a prun that cannot mark them) and must be caught.
"""

import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import alice  # noqa: E402
import crashlib  # noqa: E402

STRERROR = {"ENOSPC": "No space left on device", "EIO": "Input/output error"}

# (label, shim kind, which one, path filter)
TARGETS = [
    ("metadata.json create", "creat", 1, "metadata.json"),
    ("metadata.json write", "write", 1, "metadata.json"),
    ("metadata.json fsync", "fsync", 1, "metadata.json"),
    ("metadata.json rename", "rename", 1, "metadata.json"),
    ("metadata.json directory fsync", "dirsync", 3, None),
]
# The start records: the anchor created once, then a link of it in
# tests/ before each spawn, made durable by an fsync of tests/ (the
# "tests/ fsync" targets below hit those too).
TARGETS += [
    ("start record anchor create", "creat", 1, ".started"),
    ("start record link #1", "link", 1, "tests/"),
    ("start record link #7", "link", 7, "tests/"),
]
# Fragments: one per test of the 20 (results, and the start records of
# reruns and of tests that already have a fragment).
for n in (1, 2, 5, 12, 19):
    TARGETS += [
        ("fragment create #%d" % n, "creat", n, "tests/"),
        ("fragment write #%d" % n, "write", n, "tests/"),
        ("fragment fsync #%d" % n, "fsync", n, "tests/"),
        ("fragment rename #%d" % n, "rename", n, "tests/"),
        ("tests/ fsync #%d" % n, "dirsync", n, "tests"),
    ]

# During a resume: the first fragments and start records it writes.
RESUME_TARGETS = [t for t in TARGETS
                  if t[0].endswith(" #1") or t[0].endswith(" #2")]


def read_log(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f]


def check_log(lines):
    """No fsync or rename of a file after a write or fsync on it failed."""
    bad = []
    failed = set()
    for f in lines:
        if f[1] == "fail" and f[3] in ("write", "fsync"):
            failed.add(f[4])
        elif f[1] in ("fsync", "write") and f[3] in failed:
            bad.append("%s of %s again after it failed" % (f[1], f[3]))
        elif f[1] == "rename" and f[3] in failed:
            bad.append("%s renamed into place after a failed write or "
                       "fsync" % f[3])
        elif f[1] == "creat":
            failed.discard(f[3])   # a new file of that name
    return bad


def main():
    env = crashlib.Env("faults")
    t0 = time.monotonic()
    problems = []
    scenarios = 0
    try:
        suite = env.path("suite.list")
        want = crashlib.write_suite(suite, 20)
        p = env.run(["run", "-j2", "-q", "-o", env.path("ref"), suite])
        rc_ref = p.returncode

        def scenario(label, kind, nth, match, errname, resume):
            root = env.path("s%d" % scenarios)
            os.mkdir(root)
            r = os.path.join(root, "r")
            where = "%s %s%s" % (label, errname,
                                 " during a resume" if resume else "")
            bad = []
            if resume:
                # A run killed half-way, so the resume has work to do.
                env.run(["run", "-j2", "-q", "-o", r, suite],
                        env=env.shim_env(root, kill_at=70))
                args = ["run", "--resume", r, "-j2", "-v"]
            else:
                args = ["run", "-j2", "-v", "-o", r, suite]
            logf = root + ".log"
            errf = root + ".stderr"
            log = alice.Log(root, resume)
            with open(errf, "wb") as ef:
                q = env.run(args, stderr=ef, env=env.shim_env(
                    root, log=logf, fail="%s:%d:%s" % (kind, nth, errname),
                    fail_match=match))
            with open(errf, "rb") as ef:
                text = ef.read().decode(errors="replace")
            log.load(logf, text)
            lines = read_log(logf)
            fails = [f for f in lines if f[1] == "fail"]
            if not fails:
                bad.append("the fault was never hit")
            if q.returncode != 3:
                bad.append("exited %d, not 3" % q.returncode)
            if fails:
                name = os.path.basename(fails[0][4])
                msg = [x for x in text.splitlines()
                       if x.startswith("prun: ") and STRERROR[errname] in x]
                if not msg or name not in msg[0]:
                    bad.append("no message naming %s and '%s': %r" % (
                        name, STRERROR[errname], text[-300:]))
            bad += check_log(lines)
            # What was printed must be durable at exit: in the state a
            # power cut then would leave, as prun reads it.
            dest = root + ".durable"
            alice.materialize(alice.durable_tree(log, len(log.ops)), dest)
            durable = {}
            if os.path.exists(os.path.join(dest, "r", "metadata.json")):
                durable = crashlib.summary(env, [os.path.join(dest, "r")])[1]
            shutil.rmtree(dest)
            for tname, status in crashlib.reported(text).items():
                if (durable or {}).get(tname) != status:
                    bad.append("%s reported %s but not durable" %
                               (tname, status))
            # Without the fault, the run completes.
            if os.path.exists(os.path.join(r, "metadata.json")):
                again = ["run", "--resume", r, "-j2", "-q"]
            else:
                again = ["run", "-j2", "-q", "-o", r, suite]
            q = env.run(again)
            if q.returncode != rc_ref:
                bad.append("%s exited %d, not %d: %s" % (
                    " ".join(again[:2]), q.returncode, rc_ref,
                    q.stderr.decode(errors="replace").strip()))
            _, got, err = crashlib.summary(env, [r])
            if err.strip():
                bad.append("summary said: " + err.strip())
            bad += crashlib.compare(want, got)
            bad += crashlib.fragment_problems(r)
            shutil.rmtree(root)
            problems.extend("%s: %s" % (where, b) for b in bad)

        def full_disk(marks_refused, at):
            """A disk full from operation at, resumed twice while full,
            then with room; returns the violations."""
            root = env.path("full%d%s" % (at, "-neg" if marks_refused
                                          else ""))
            os.mkdir(root)
            r = os.path.join(root, "r")
            full = {"full": "tests/", "full_marks": 1 if marks_refused
                    else None}
            bad = []
            q = env.run(["run", "-j2", "-q", "-o", r, suite],
                        env=env.shim_env(root, full_at=at, **full))
            if q.returncode != 3:
                bad.append("the run onto a disk full from operation %d "
                           "exited %d, not 3" % (at, q.returncode))
            for k in (1, 2):
                q = env.run(["run", "--resume", r, "-j2", "-q"],
                            env=env.shim_env(root, full_at=0, **full))
                if q.returncode != 3:
                    bad.append("resume %d while full exited %d, not 3"
                               % (k, q.returncode))
            q = env.run(["run", "--resume", r, "-j2", "-q"])
            if q.returncode != rc_ref:
                bad.append("the resume with room exited %d, not %d: %s" % (
                    q.returncode, rc_ref,
                    q.stderr.decode(errors="replace").strip()))
            _, got, err = crashlib.summary(env, [r])
            bad += crashlib.compare(want, got)
            bad += crashlib.fragment_problems(r)
            shutil.rmtree(root)
            return ["full disk from operation %d: %s" % (at, b)
                    for b in bad]

        for at in (30, 60, 90):
            problems.extend(full_disk(False, at))
            scenarios += 1
        caught = sum(len(full_disk(True, at)) for at in (30, 60, 90))
        print("negative control (marks refused by the full disk): %d "
              "violations" % caught)
        if not caught:
            problems.append("the full-disk negative control was not "
                            "caught: the check is blind")

        for label, kind, nth, match in TARGETS:
            for errname in ("ENOSPC", "EIO"):
                scenario(label, kind, nth, match, errname, False)
                scenarios += 1
        for label, kind, nth, match in RESUME_TARGETS:
            scenario(label, kind, nth, match, "EIO", True)
            scenarios += 1
        print("fault injection: %d scenarios (ENOSPC and EIO on create, "
              "write, fsync, rename, link and directory fsync)" % scenarios)
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
