"""crashlib: what prun's crash tests share.

A suite of tests with known statuses, running the built prun with the
fault-injection shim (tests/faultinject.so, see faultinject.c), reading a
results directory the way a user would (prun summary), and checking it
against the run that nothing interrupted.

The environment comes from the automake test harness: PRUN (the binary),
top_srcdir and top_builddir.  A test that cannot run here exits 77.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

# One kind of test per line: (kind, status it must get, command).  Every
# status a test can earn by itself, subtests, and output big enough that a
# fragment spans several pages.
KINDS = [
    ("pass", "pass", "exec true"),
    ("fail", "fail", "exit 1"),
    ("skip", "skip", "exit 77"),
    ("crash", "crash", "exec sh -c 'kill -SEGV $$'"),
    ("warn", "warn", "echo 'PIGLIT: {\"result\": \"warn\"}'"),
    ("tap", "fail", "printf '1..3\\nok 1 a\\nnot ok 2 b\\nok 3 c # SKIP\\n'"),
    ("big", "pass", "exec seq 1 3000"),
    ("piglit", "pass", "echo 'PIGLIT: {\"subtest\": {\"s1\": \"pass\"}}'"),
]


def skip(why):
    print("SKIP: " + why)
    sys.exit(SKIP)


def fail(why):
    print("FAIL: " + why)
    sys.exit(1)


class Env:
    """Where the binaries are, and a scratch directory for one test."""

    def __init__(self, name):
        self.prun = os.environ.get("PRUN")
        builddir = os.environ.get("top_builddir", ".")
        self.shim = os.path.join(builddir, "tests", "crash", "faultinject.so")
        if not self.prun or not os.access(self.prun, os.X_OK):
            skip("PRUN is not set to the built prun")
        if not os.path.exists(self.shim):
            skip(self.shim + " is not built (make check builds it)")
        if not os.path.isdir("/proc/self/fd"):
            skip("no /proc/self/fd (the shim needs it)")
        # The explorations run prun thousands of times: a RAM file system
        # keeps them fast.  What they check does not depend on where the
        # files are, since the persistence model is applied by alice.py.
        base = None
        for cand in (os.environ.get("PRUN_CRASH_TMPDIR"), "/dev/shm",
                     os.environ.get("TMPDIR"), "/tmp"):
            if cand and os.path.isdir(cand) and os.access(cand, os.W_OK):
                base = cand
                break
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix="prun-" + name +
                                                     ".", dir=base))

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def shim_env(self, root, **kw):
        """The environment of a prun watched below root by the shim."""
        env = dict(os.environ)
        env["LD_PRELOAD"] = self.shim
        env["PRUN_FI_ROOT"] = root
        # A prun built with --enable-sanitizers wants its runtime first.
        env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") +
                               ":verify_asan_link_order=0").lstrip(":")
        for k, v in kw.items():
            if v is not None:
                env["PRUN_FI_" + k.upper()] = str(v)
        return env

    def run(self, args, env=None, stderr=None, check_rc=None):
        """Run prun with args; returns the CompletedProcess."""
        p = subprocess.run([self.prun] + args, env=env,
                           stdout=subprocess.PIPE,
                           stderr=stderr if stderr is not None
                           else subprocess.PIPE)
        if check_rc is not None and p.returncode not in check_rc:
            fail("prun %s exited %d, not %s\n%s" % (
                " ".join(args), p.returncode, check_rc,
                p.stderr.decode(errors="replace") if p.stderr else ""))
        return p


def write_suite(path, n):
    """A test list of n tests of the kinds above; returns {name: status}."""
    want = {}
    with open(path, "w") as f:
        for i in range(n):
            kind, status, cmd = KINDS[i % len(KINDS)]
            name = "suite/%02d-%s" % (i, kind)
            want[name] = status
            f.write("%s %s\n" % (name, cmd))
    return want


def no_dup_pairs(pairs):
    """json object_pairs_hook that refuses a key present twice."""
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("key %r twice" % k)
        d[k] = v
    return d


def summary_tests(env, dirs):
    """prun summary -f json of dirs, read by prun itself whatever the
    layout of its files: (exit code, {name: the test's entry} or None,
    stderr); a test present twice in the report raises ValueError."""
    p = env.run(["summary", "-f", "json"] + list(dirs))
    tests = None
    if p.returncode in (0, 1):
        doc = json.loads(p.stdout, object_pairs_hook=no_dup_pairs)
        tests = doc["tests"]
    return p.returncode, tests, p.stderr.decode(errors="replace")


def summary(env, dirs):
    """Like summary_tests, with {name: status}."""
    rc, tests, err = summary_tests(env, dirs)
    if tests is not None:
        tests = {k: v["result"] for k, v in tests.items()}
    return rc, tests, err


def entry_key(entry):
    """What identifies one recorded try of a test in a report."""
    return json.dumps(entry, sort_keys=True)


def compare(want, got):
    """What differs between two {name: status}: a list of strings."""
    if got is None:
        return ["no report"]
    out = []
    for name in sorted(set(want) | set(got)):
        if name not in got:
            out.append("%s lost" % name)
        elif name not in want:
            out.append("%s not in the plan" % name)
        elif want[name] != got[name]:
            out.append("%s is %s, not %s" % (name, got[name], want[name]))
    return out


def fragment_problems(results):
    """Final names in results/tests that do not hold a whole fragment,
    and temporary files left behind: a list of strings."""
    out = []
    tests = os.path.join(results, "tests")
    for d in (results, tests):
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.startswith(".") and name.endswith(".tmp"):
                out.append("temporary file %s/%s left" % (
                    os.path.basename(d), name))
    if not os.path.isdir(tests):
        return out
    for name in sorted(os.listdir(tests)):
        if name.startswith("."):
            continue
        try:
            with open(os.path.join(tests, name), "rb") as f:
                doc = json.loads(f.read())
            if doc.get("format") != "prun-fragment":
                raise ValueError("not a fragment")
            if "%06d.json" % doc["index"] != name:
                raise ValueError("holds index %d" % doc["index"])
        except (ValueError, KeyError, TypeError) as e:
            out.append("tests/%s does not parse: %s" % (name, e))
    return out


def reported(text):
    """{name: status} of the results prun -v printed ("pass: NAME (T s)")."""
    got = {}
    for line in text.splitlines():
        head, sep, rest = line.partition(": ")
        if not sep or head.startswith("prun") or " (" not in rest:
            continue
        got[rest.rsplit(" (", 1)[0]] = head
    return got
