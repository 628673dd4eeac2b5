#!/usr/bin/env python3
"""alice: power-loss exploration of prun's results directory.

After ALICE (Pillai et al., "All File Systems Are Not Created Equal: On
the Complexity of Crafting Crash-Consistent Applications", OSDI 2014):
record the file-system operations of a real prun run (the LD_PRELOAD shim
tests/faultinject.so logs them with file names, inode numbers and bytes),
compute the states a power cut could leave on disk under a stated
persistence model, materialize each state as a directory, and check that
prun keeps its promises in every one of them.

PERSISTENCE MODEL (weaker than ext4 or xfs, so a pass here is a pass on
them; a "cut" falls between two recorded operations):

  1. An operation that had not begun at the cut never happened.
  2. File data (write, truncate) of an inode is durable once an fsync or
     fdatasync of that inode completed after it.  Until then it may be
     missing, cut short (a prefix of the last write), replaced by zeros or
     by stale bytes (the file grew but its blocks were never written:
     ext4 data=writeback), or partly applied (an earlier write kept, a
     later one lost).
  3. A directory entry operation (create, mkdir, link, rename, unlink) is
     durable once an fsync of every directory it changed completed after
     it.  fsync of a file does NOT make the file's name durable.  Entry
     operations that are not durable may each be missing, and may persist
     out of order: a later one kept while an earlier one is lost.  A
     rename never tears: the name points to the old inode or the new one.
  4. syncfs() and sync() make everything before them durable.
  5. A durable operation stays durable; the root directory of the
     exploration and everything in it before the recorded run are durable.

STATES: at every cut, the operations that are not yet durable are kept
all, none, as each prefix (an ordered journal), all but one (one lost),
or just one (one persisted early); and for each file with data that is
not durable: none of it, all but its last write, its last write cut
short (after 1 byte, at its quarters, 1 byte short and at every 512-byte
sector), zeros, or stale bytes.  States with the same files and the same
promises to check are explored once.

CHECKS, in every state: (a) each result prun had printed before the cut
is in the state with that status; (b) each test prun had started has a
record of that attempt (its start record, a later one, or a result).
Then prun run --resume (or, when the cut came before metadata.json was
durable, the first command again) must exit as the uninterrupted run
did, and (c) prun summary must give every test once with the status of
the uninterrupted run (or incomplete, for a test whose start record says
it was tried --max-attempts times already: the reboot-loop guard); (d)
no final name may hold an unparsable fragment and no temporary file may
remain; (e) the fragments of the results checked in (a) are unchanged.

Workloads: a fresh run; resumes of that run killed mid-way (with a start
record, a temporary file and finished results on disk), stopped by
SIGTERM (with interrupted records, a damaged fragment and a stray
temporary file), and cut by a power loss (its durable state).  Negative
controls run prun with its directory fsyncs suppressed, and with its
start records made durable only where a result's fsync happens to cover
them (the fsync a start record issues of its own skipped), and must be
caught losing reported results and start records, so a blind explorer
cannot pass.
"""

import argparse
import bisect
import concurrent.futures
import hashlib
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crashlib  # noqa: E402

INF = float("inf")
MAX_ATTEMPTS = 2        # prun's default --max-attempts
FINISHED = ("pass", "fail", "skip", "warn", "crash", "timeout")


class Op:
    """One recorded operation, on model inodes (not inode numbers, which
    a file system reuses)."""

    __slots__ = ("seq", "kind", "rep", "dirs", "parent", "name", "target",
                 "sparent", "sname", "inode", "data", "off", "length", "dur")

    def __init__(self, seq, kind, rep):
        self.seq, self.kind, self.rep = seq, kind, rep
        self.dirs = ()


class Log:
    """A recorded run: its operations, events and the initial tree."""

    def __init__(self, root, initial):
        """Read the tree below root as the initial, durable state; call
        load() once the recorded run is over."""
        self.ops = []           # counted operations, seq 1..N in order
        self.spawns = []        # (number of ops before it, test name)
        self.fails = []         # (number of ops before it, kind, path, errno)
        self.stderr = ""
        self.kinds = {}         # model inode -> "d" or "f"
        self.init_entries = {}  # dir inode -> {name: inode}
        self.init_data = {}     # file inode -> bytes
        self.dsyncs = {}        # dir inode -> [seq of each fsync]
        self.fsyncs = {}        # file inode -> [seq]
        self.syncfs = []
        self.root = 0
        self.next_id = 1
        self.cur = {}           # inode number -> model inode
        self._snapshot(root, initial)

    def load(self, logfile, stderr_text):
        """Read the shim's log and what prun printed on stderr."""
        self.stderr = stderr_text
        with open(logfile, "rb") as f:
            for line in f:
                self._parse(line.rstrip(b"\n").decode("utf-8",
                                                      "surrogateescape"))
        for op in self.ops:
            op.dur = self._durable_from(op)
        return self

    def _new(self, kind, ino):
        i = self.next_id
        self.next_id += 1
        self.kinds[i] = kind
        if kind == "d":
            self.init_entries.setdefault(i, {})
        if ino:
            self.cur[ino] = i
        return i

    def _snapshot(self, root, initial):
        """The tree below root before the run: durable (model rule 5)."""
        self.root = self._new("d", os.lstat(root).st_ino)
        if not initial:
            return
        for dirpath, dirnames, filenames in os.walk(root):
            d = self.cur[os.lstat(dirpath).st_ino]
            for n in dirnames + filenames:
                p = os.path.join(dirpath, n)
                st = os.lstat(p)
                i = self._new("d" if n in dirnames else "f", st.st_ino)
                self.init_entries[d][n] = i
                if n in filenames:
                    with open(p, "rb") as f:
                        self.init_data[i] = f.read()

    def _inode(self, ino, kind="f"):
        """The model inode of an inode number seen for the first time
        outside a create (an unnamed file, say): a new one."""
        if int(ino) not in self.cur:
            return self._new(kind, int(ino))
        return self.cur[int(ino)]

    def _parse(self, line):
        f = line.split("\t")
        seq, kind, rep = int(f[0]), f[1], int(f[2])
        if kind == "spawn":
            # Where it began: a worker thread may have logged operations
            # while the spawn went on.
            self.spawns.append((int(f[4]) if len(f) > 4 else len(self.ops),
                                f[3]))
            return
        if kind == "fail":
            self.fails.append((len(self.ops), f[3], f[4], int(f[5])))
            return
        if seq != len(self.ops) + 1:
            raise ValueError("log: operation %d after %d" %
                             (seq, len(self.ops)))
        op = Op(seq, kind, rep)
        base = lambda p: p.rsplit("/", 1)[-1]  # noqa: E731
        if kind in ("mkdir", "creat", "link"):
            op.parent = self.cur[int(f[5])]
            op.name = base(f[3])
            if kind == "link":
                op.target = self.cur[int(f[4])]
            else:
                op.target = self._new("d" if kind == "mkdir" else "f",
                                      int(f[4]))
            op.kind = "dent"
            op.dirs = (op.parent,)
        elif kind == "tmpfile":
            op.inode = self._new("f", int(f[4]))
        elif kind == "write":
            op.inode = self._inode(f[4])
            op.off = int(f[5])
            op.data = bytes.fromhex(f[6])
        elif kind == "trunc":
            op.inode = self._inode(f[4])
            op.length = int(f[5])
        elif kind == "fsync":
            op.inode = self._inode(f[4])
            self.fsyncs.setdefault(op.inode, []).append(seq)
        elif kind == "dirsync":
            op.inode = self._inode(f[4], "d")
            self.dsyncs.setdefault(op.inode, []).append(seq)
        elif kind == "rename":
            op.target = self.cur[int(f[5])]
            op.sparent, op.sname = self.cur[int(f[6])], base(f[3])
            op.parent, op.name = self.cur[int(f[7])], base(f[4])
            op.dirs = tuple({op.sparent, op.parent})
            op.kind = "ren"
        elif kind in ("unlink", "rmdir"):
            op.target = self.cur[int(f[4])]
            op.parent = self.cur[int(f[5])]
            op.name = base(f[3])
            op.kind = "unl"
            op.dirs = (op.parent,)
        elif kind == "syncfs":
            self.syncfs.append(seq)
        else:
            raise ValueError("log: unknown operation " + kind)
        self.ops.append(op)

    def _next_sync(self, seqs, after):
        """The first sync in seqs (sorted) after operation after."""
        i = bisect.bisect_right(seqs, after)
        return seqs[i] if i < len(seqs) else INF

    def _durable_from(self, op):
        """The operation after which op is durable (model rules 2-4)."""
        fs = self._next_sync(self.syncfs, op.seq)
        if op.kind in ("write", "trunc"):
            return min(fs, self._next_sync(self.fsyncs.get(op.inode, []),
                                           op.seq))
        if op.kind not in ("dent", "ren", "unl"):
            return op.seq
        return min(fs, max(self._next_sync(self.dsyncs.get(d, []), op.seq)
                           for d in op.dirs))

    def durable(self, op, cut):
        """Whether op is durable at a cut after operation cut."""
        return op.dur <= cut

    def reported_at(self, cut):
        """Bytes of stderr printed before the cut after operation cut:
        all that was printed until operation cut+1 ended (another thread
        may print while it runs, and the cut may fall before it took
        effect)."""
        if cut < len(self.ops) and self.ops[cut].rep >= 0:
            return self.ops[cut].rep
        return len(self.stderr)


def apply_data(buf, op, mode=None):
    """Apply a write or truncate to buf (a bytearray); mode "zeros" writes
    zeros of the same length, "garbage" stale bytes (what the blocks held
    before), an int keeps only that many bytes."""
    if op.kind == "trunc":
        del buf[op.length:]
        buf.extend(b"\0" * (op.length - len(buf)))
        return
    data = op.data
    if mode == "zeros":
        data = b"\0" * len(data)
    elif mode == "garbage":
        data = bytes((i * 151 + 89) & 0xff for i in range(len(data)))
    elif isinstance(mode, int):
        data = data[:mode]
    if len(buf) < op.off:
        buf.extend(b"\0" * (op.off - len(buf)))
    buf[op.off:op.off + len(data)] = data


def cut_points(n):
    """Where a write of n bytes may be cut short: after its first byte,
    at its quarters, one byte short, and at each 512-byte sector."""
    pts = {1, n // 4, n // 2, 3 * n // 4, n - 1}
    pts.update(range(512, n, 512))
    return sorted(p for p in pts if 0 < p < n)


def variants(log, cut):
    """The crash states at a cut: (entry ops kept, {inode: data choice})
    pairs, where a data choice is "all", "none", ("first", k) or
    ("last", mode)."""
    done = log.ops[:cut]
    pend = [op for op in done if op.kind in ("dent", "ren", "unl")
            and not log.durable(op, cut)]
    pdata = {}
    for op in done:
        if op.kind in ("write", "trunc") and not log.durable(op, cut):
            pdata.setdefault(op.inode, []).append(op)
    n = len(pend)
    full = {i: "all" for i in pdata}
    out = [(frozenset(pend), full),
           (frozenset(), {i: "none" for i in pdata})]
    for i in range(n):
        out.append((frozenset(pend[:i]), full))
        out.append((frozenset(pend[:i] + pend[i + 1:]), full))
        out.append((frozenset([pend[i]]), full))
    def one(ino, how):
        d = dict(full)
        d[ino] = how
        return (frozenset(pend), d)
    for ino, ops in pdata.items():
        out.append(one(ino, "none"))
        out.append(one(ino, "zeros"))
        out.append(one(ino, "garbage"))
        if len(ops) > 1:
            out.append(one(ino, ("first", len(ops) - 1)))
        last = ops[-1]
        if last.kind == "write" and len(last.data) >= 3:
            for b in cut_points(len(last.data)):
                out.append(one(ino, ("last", b)))
    return pend, pdata, out


def build(log, cut, kept, choice):
    """The tree of a state: {relative path: None for a dir, or bytes}."""
    entries = {d: dict(e) for d, e in log.init_entries.items()}
    for op in log.ops[:cut]:
        if op.kind not in ("dent", "ren", "unl"):
            continue
        if op not in kept and not log.durable(op, cut):
            continue
        if op.kind == "dent":
            entries.setdefault(op.parent, {})[op.name] = op.target
            if log.kinds[op.target] == "d":
                entries.setdefault(op.target, {})
        elif op.kind == "ren":
            src = entries.setdefault(op.sparent, {})
            if src.get(op.sname) == op.target:
                del src[op.sname]
            entries.setdefault(op.parent, {})[op.name] = op.target
        else:
            d = entries.setdefault(op.parent, {})
            if d.get(op.name) == op.target:
                del d[op.name]
    data = {}
    pending = {}
    for op in log.ops[:cut]:
        if op.kind not in ("write", "trunc"):
            continue
        if log.durable(op, cut):
            buf = data.setdefault(op.inode, bytearray(
                log.init_data.get(op.inode, b"")))
            apply_data(buf, op)
        else:
            pending.setdefault(op.inode, []).append(op)
    for ino, ops in pending.items():
        buf = data.setdefault(ino, bytearray(log.init_data.get(ino, b"")))
        how = choice.get(ino, "all")
        for k, op in enumerate(ops):
            if how == "none":
                break
            if isinstance(how, tuple) and how[0] == "first" and k >= how[1]:
                break
            last = k == len(ops) - 1
            if how in ("zeros", "garbage"):
                apply_data(buf, op, how)
            elif isinstance(how, tuple) and how[0] == "last" and last:
                apply_data(buf, op, how[1])
            else:
                apply_data(buf, op)
    tree = {}

    def walk(d, prefix, depth):
        if depth > 64:
            return
        for name, i in sorted(entries.get(d, {}).items()):
            p = prefix + name
            if log.kinds[i] == "d":
                tree[p] = None
                walk(i, p + "/", depth + 1)
            else:
                tree[p] = bytes(data.get(i, log.init_data.get(i, b"")))
    walk(log.root, "", 0)
    return tree


def full_tree(log, cut):
    """The state at a cut in which everything done survived (what a
    process crash leaves)."""
    return build(log, cut, frozenset(op for op in log.ops[:cut]), {})


def durable_tree(log, cut):
    """The state at a cut in which nothing that was not durable survived."""
    pdata = {op.inode for op in log.ops[:cut]
             if op.kind in ("write", "trunc") and not log.durable(op, cut)}
    return build(log, cut, frozenset(), {i: "none" for i in pdata})


def tree_key(tree):
    h = hashlib.sha1()
    for p in sorted(tree):
        h.update(p.encode("utf-8", "surrogateescape") + b"\0")
        h.update(b"D" if tree[p] is None else
                 hashlib.sha1(tree[p]).digest())
    return h.hexdigest()


def materialize(tree, dest):
    os.makedirs(dest)
    for p in sorted(tree):
        full = os.path.join(dest, p)
        if tree[p] is None:
            os.mkdir(full)
        else:
            with open(full, "wb") as f:
                f.write(tree[p])


class Explorer:
    """Explores the states of recorded runs of one suite."""

    def __init__(self, env, suite, want, rc_ref, names):
        self.env, self.suite, self.want = env, suite, want
        self.rc_ref = rc_ref
        self.index = {n: i for i, n in enumerate(names)}
        self.cache = {}
        self.states = 0
        self.contents = set()
        self.violations = []
        self.seen = set()

    def read(self, tree, key, dest):
        """Materialize tree at dest and read it as prun does: {name: entry}
        of prun summary, or None when it has no plan to read."""
        materialize(tree, dest)
        r = os.path.join(dest, "r")
        if not os.path.exists(os.path.join(r, "metadata.json")):
            return None
        return crashlib.summary_tests(self.env, [r])[1]

    def resume(self, tree, key):
        """Read the state, resume it, read it again: what it ended with."""
        dest = self.env.path("state-%s" % key[:16])
        pre = self.read(tree, key, dest)
        r = os.path.join(dest, "r")
        if os.path.exists(os.path.join(r, "metadata.json")):
            args = ["run", "--resume", r, "-j2", "-q"]
        else:
            args = ["run", "-j2", "-q", "-o", r, self.suite]
        p = self.env.run(args)
        out = {"rc": p.returncode,
               "err": p.stderr.decode(errors="replace")[-2000:],
               "args": " ".join(args[:2]),
               "pre": None if pre is None else
               {n: (e["result"], e.get("attempt", 1), crashlib.entry_key(e))
                for n, e in pre.items()}}
        _, post, out["sum_err"] = crashlib.summary_tests(self.env, [r])
        out["post"] = None if post is None else \
            {n: crashlib.entry_key(e) for n, e in post.items()}
        out["statuses"] = None if post is None else \
            {n: e["result"] for n, e in post.items()}
        out["problems"] = crashlib.fragment_problems(r)
        shutil.rmtree(dest)
        return out

    def check(self, where, reported, spawned, res):
        bad = []
        pre, post = res["pre"] or {}, res["post"] or {}
        for name, status in sorted(reported.items()):
            got = pre.get(name)
            if got is None or got[0] != status:
                bad.append("%s was reported %s but the state has %s" %
                           (name, status, got[0] if got else "no plan"))
            elif post.get(name) != got[2]:
                bad.append("%s was reported %s but the resume rewrote it" %
                           (name, status))
        for name, attempt in sorted(spawned):
            got = pre.get(name)
            if got is None or got[0] not in FINISHED and \
                    (got[0] != "incomplete" or got[1] < attempt):
                bad.append("%s was started (attempt %d) without a durable "
                           "start record: the state has %s" % (
                               name, attempt, "%s, attempt %d" % got[:2]
                               if got else "no plan"))
        # A test whose start record says it was tried max-attempts times
        # already took prun or the machine down that often: the resume
        # must give it up (no reboot loop), not run it again.
        want = dict(self.want)
        for name, got in pre.items():
            if got[0] == "incomplete" and got[1] >= MAX_ATTEMPTS:
                want[name] = "incomplete"
        rc_want = 1 if want != self.want else self.rc_ref
        if res["rc"] != rc_want:
            bad.append("%s exited %d, not %d: %s" % (
                res["args"], res["rc"], rc_want, res["err"].strip()))
        if res["sum_err"].strip():
            bad.append("summary said: " + res["sum_err"].strip())
        bad += crashlib.compare(want, res["statuses"])
        bad += res["problems"]
        for b in bad:
            self.violations.append("%s: %s" % (where, b))

    def explore(self, log, label, initial_reported, stride=1, jobs=2,
                max_states=None):
        """Every state of every cut of log (every stride-th cut), or the
        first max_states of them."""
        todo = []
        ncut = len(log.ops)
        # The attempt each spawned test was started as: that of the start
        # record prun had written, as prun reads it.
        started = []
        for k, name in log.spawns:
            tree = full_tree(log, k)
            key = tree_key(tree)
            tests = self.read(tree, key, self.env.path("spawn-" + key[:16]))
            shutil.rmtree(self.env.path("spawn-" + key[:16]))
            got = (tests or {}).get(name, {})
            started.append((k, name, got.get("attempt", 1)))
        for cut in range(0, ncut + 1):
            if stride > 1 and cut % stride and cut != ncut:
                continue
            rep = crashlib.reported(log.stderr[:log.reported_at(cut)])
            reported = dict(initial_reported, **rep)
            spawned = frozenset((n, a) for (k, n, a) in started if k <= cut)
            _, _, vs = variants(log, cut)
            for kept, choice in vs:
                if max_states is not None and len(todo) >= max_states:
                    break
                tree = build(log, cut, kept, choice)
                key = tree_key(tree)
                sig = (key, frozenset(reported.items()), spawned)
                if sig in self.seen:
                    continue
                self.seen.add(sig)
                self.states += 1
                self.contents.add(key)
                todo.append(("%s cut %d/%d" % (label, cut, ncut), tree, key,
                             reported, spawned))
        # Resume each distinct content once, two at a time.
        keys = {}
        for t in todo:
            if t[2] not in self.cache:
                keys.setdefault(t[2], t[1])
        with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
            futs = {ex.submit(self.resume, tree, key): key
                    for key, tree in keys.items()}
            for fu in concurrent.futures.as_completed(futs):
                self.cache[futs[fu]] = fu.result()
        for where, tree, key, reported, spawned in todo:
            self.check(where, reported, spawned, self.cache[key])


def record(env, root, args, **shim):
    """Run prun -v under the shim, logging below root; returns the Log
    (the tree below root before the run is its initial state) and prun's
    exit code."""
    logfile = root + ".log"
    errfile = root + ".stderr"
    log = Log(root, os.listdir(root) != [])
    with open(errfile, "wb") as err:
        p = env.run(args, env=env.shim_env(root, log=logfile, **shim),
                    stderr=err)
    with open(errfile, "rb") as f:
        text = f.read().decode(errors="replace")
    return log.load(logfile, text), p.returncode


def finished_in(env, results):
    """{name: status} of the finished results in a results directory."""
    _, got, _ = crashlib.summary(env, [results])
    return {n: st for n, st in (got or {}).items() if st in FINISHED}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tests", type=int, default=20)
    ap.add_argument("--stride", type=int, default=1,
                    help="explore every N-th cut only")
    ap.add_argument("--min-states", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-control", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    env = crashlib.Env("alice")
    t0 = time.monotonic()
    try:
        suite = env.path("suite.list")
        want = crashlib.write_suite(suite, a.tests)
        names = list(want)

        # The uninterrupted run: what every state must end up as.
        p = env.run(["run", "-j2", "-q", "-o", env.path("ref"), suite])
        rc_ref = p.returncode
        _, got, _ = crashlib.summary(env, [env.path("ref")])
        diff = crashlib.compare(want, got)
        if diff:
            crashlib.fail("the uninterrupted run: " + "; ".join(diff))

        ex = Explorer(env, suite, want, rc_ref, names)
        counts = []

        def workload(label, w, args, before=None, **shim):
            lg, rc = record(env, w, args, **shim)
            if rc != rc_ref:
                crashlib.fail("recorded %s exited %d, not %d" %
                              (label, rc, rc_ref))
            n = ex.states
            ex.explore(lg, label, before or {}, a.stride, a.jobs)
            counts.append("%s: %d operations, %d states" %
                          (label, len(lg.ops), ex.states - n))
            return lg

        # 1. A fresh run.
        w = env.path("w1")
        os.mkdir(w)
        log1 = workload("fresh run", w, ["run", "-j2", "-v", "-o",
                                         os.path.join(w, "r"), suite])
        renames = [op.seq for op in log1.ops if op.kind == "ren"]

        # 2. A resume of a run killed half-way, just before a rename: a
        # start record, a temporary file and finished results on disk.
        w = env.path("w2")
        os.mkdir(w)
        r = os.path.join(w, "r")
        env.run(["run", "-j2", "-q", "-o", r, suite],
                env=env.shim_env(w, kill_at=renames[len(renames) // 2]))
        workload("resume after kill", w,
                 ["run", "--resume", r, "-j2", "-v"],
                 finished_in(env, r))

        # 3. A resume of a run stopped by SIGTERM a third of the way (its
        # stopped tests recorded as interrupted), with a damaged fragment
        # and a stray temporary metadata file.
        w = env.path("w3")
        os.mkdir(w)
        r = os.path.join(w, "r")
        env.run(["run", "-j2", "-q", "-o", r, suite],
                env=env.shim_env(w, kill_at=renames[len(renames) // 3],
                                 kill_sig=15))
        before = finished_in(env, r)
        damaged = sorted(before)[0]
        frag = os.path.join(r, "tests", "%06d.json" % ex.index[damaged])
        with open(frag, "rb") as f:
            b = f.read()
        with open(frag, "wb") as f:
            f.write(b[:len(b) // 2])
        del before[damaged]
        with open(os.path.join(r, ".metadata.json.tmp"), "wb") as f:
            f.write(b"{")
        workload("resume after SIGTERM", w,
                 ["run", "--resume", r, "-j2", "-v"], before)

        # 4. A resume after a power cut two thirds into the fresh run: the
        # durable state there, with the start records of the tests that
        # were running.
        w = env.path("w4")
        materialize(durable_tree(log1, 2 * len(log1.ops) // 3), w)
        r = os.path.join(w, "r")
        workload("resume after power cut", w,
                 ["run", "--resume", r, "-j2", "-v"],
                 finished_in(env, r))

        print("power-loss exploration of %d tests: %s" %
              (a.tests, "; ".join(counts)))
        print("states explored: %d; distinct disk contents resumed: %d" %
              (ex.states, len(ex.contents)))
        print("violations: %d" % len(ex.violations))
        for v in ex.violations[:30]:
            print("  " + v)

        lost = unstarted = None
        if not a.no_control:
            # Negative control: a prun whose directory fsyncs are skipped
            # must be caught losing reported results.
            cex = Explorer(env, suite, want, rc_ref, names)
            w = env.path("wc")
            os.mkdir(w)
            lg, _ = record(env, w, ["run", "-j2", "-v", "-o",
                                    os.path.join(w, "r"), suite],
                           no_dirsync=1)
            cex.explore(lg, "control", {}, 7, a.jobs, max_states=150)
            lost = sum(1 for v in cex.violations if "was reported" in v)
            print("negative control (directory fsyncs skipped): %d states, "
                  "%d violations, %d of them a reported result lost "
                  "(must be > 0)" % (cex.states, len(cex.violations), lost))
            if a.verbose:
                for v in cex.violations[:5]:
                    print("  " + v)
            # A second one: a prun that skips the fsync of tests/ a start
            # record needs when no result covers it must be caught
            # starting tests without a durable start record.
            sex = Explorer(env, suite, want, rc_ref, names)
            w = env.path("ws")
            os.mkdir(w)
            lg, _ = record(env, w, ["run", "-j2", "-v", "-o",
                                    os.path.join(w, "r"), suite],
                           no_sync_after_link=1)
            sex.explore(lg, "control", {}, 7, a.jobs, max_states=150)
            unstarted = sum(1 for v in sex.violations
                            if "without a durable start record" in v)
            print("negative control (start records' own fsyncs skipped): "
                  "%d states, "
                  "%d violations, %d of them a start record lost "
                  "(must be > 0)" % (sex.states, len(sex.violations),
                                     unstarted))
        print("time: %.1f s" % (time.monotonic() - t0))
        if ex.violations:
            crashlib.fail("%d violations" % len(ex.violations))
        if ex.states < a.min_states:
            crashlib.fail("only %d states explored, fewer than %d" %
                          (ex.states, a.min_states))
        if lost == 0:
            crashlib.fail("the negative control found no lost result: "
                          "the explorer cannot see one")
        if unstarted == 0:
            crashlib.fail("the negative control found no lost start "
                          "record: the explorer cannot see one")
    finally:
        env.cleanup()


if __name__ == "__main__":
    main()
