#!/bin/sh
# env.sh: what a test finds when it starts: PRUN_TEST_NAME and an absolute
# PRUN_RESULTS_DIR, stdin from /dev/null, only fds 0-2, its own process
# group, default signal dispositions and an empty mask even when prun was
# started with signals ignored, and the cwd and env of its profile.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
mkdir sub
cat >e.list <<'EOF'
e/name echo "$PRUN_TEST_NAME"
e/dir echo "$PRUN_RESULTS_DIR"
e/fds ls /proc/$$/fd
e/stdin readlink /proc/self/fd/0
e/stdin-read cat
e/status cat /proc/self/status
e/stat cat /proc/self/stat
e/env env
EOF
cat >e.json <<EOF
{"tests": [
  {"name": "p/env", "command": "env", "env": {"OUTER": "inner", "NEW": "a b=c"}},
  {"name": "p/argv-env", "command": ["sh", "-c", "echo \"\$NEW\""],
   "env": {"NEW": "x"}},
  {"name": "p/cwd", "command": "pwd -P", "cwd": "/"},
  {"name": "p/cwd-rel", "command": "pwd -P", "cwd": "sub"},
  {"name": "p/cwd-missing", "command": "pwd -P", "cwd": "$T/missing"},
  {"name": "p/default-cwd", "command": ["pwd", "-P"]},
  {"name": "p/not-found", "command": ["no-such-command-$$"]}
]}
EOF
# prun itself starts with SIGINT, SIGPIPE and SIGHUP ignored, extra fds
# open, and variables a test must not see twice or spoofed.
note "a test's process environment"
(
	trap '' INT PIPE HUP
	OUTER=outer PRUN_TEST_NAME=spoof PRUN_RESULTS_DIR=/spoof \
	    exec "$PRUN" run --fsync never -j 4 -o r e.list e.json \
	    3>/dev/null 7</dev/null 9>>"$T/extra"
) >out 2>err
check "exit status" 1 "$?"
pycheck "$T" "$(pwd -P)" <<'EOF'
T, real = sys.argv[1:]
R = T + "/r"
f = {n: frag(R, n) for n in names(R)}
for n in f:
    if n not in ("p/cwd-missing", "p/not-found"):
        expect(n + " result", "pass", f[n]["result"])
expect("PRUN_TEST_NAME", "e/name\n", f["e/name"]["out"])
expect("PRUN_RESULTS_DIR absolute", real + "/r\n", f["e/dir"]["out"])
expect("only fds 0-2", "0\n1\n2\n", f["e/fds"]["out"])
expect("stdin", "/dev/null\n", f["e/stdin"]["out"])
expect("stdin reads nothing", "", f["e/stdin-read"]["out"])
status = dict(l.split(":\t", 1) for l in f["e/status"]["out"].splitlines()
              if ":\t" in l)
# Signals 32 and 33 belong to glibc's threads: no program can set them.
expect("no signal ignored", 0, int(status["SigIgn"], 16) & ~0x180000000)
expect("no signal blocked", 0, int(status["SigBlk"], 16))
expect("no signal caught", 0, int(status["SigCgt"], 16))
stat = f["e/stat"]["out"].rsplit(")", 1)[1].split()
expect("own process group", str(f["e/stat"]["pid"]), stat[2])
env = f["e/env"]["out"].splitlines()
expect("name once, not spoofed", ["PRUN_TEST_NAME=e/env"],
       [l for l in env if l.startswith("PRUN_TEST_NAME=")])
expect("dir once, not spoofed", ["PRUN_RESULTS_DIR=" + real + "/r"],
       [l for l in env if l.startswith("PRUN_RESULTS_DIR=")])
expect("prun's environment passed on", ["OUTER=outer"],
       [l for l in env if l.startswith("OUTER=")])
env = f["p/env"]["out"].splitlines()
expect("profile env replaces", ["OUTER=inner"],
       [l for l in env if l.startswith("OUTER=")])
expect("profile env adds", ["NEW=a b=c"],
       [l for l in env if l.startswith("NEW=")])
expect("env with argv", "x\n", f["p/argv-env"]["out"])
expect("cwd", "/\n", f["p/cwd"]["out"])
expect("relative cwd", real + "/sub\n", f["p/cwd-rel"]["out"])
expect("default cwd", real + "\n", f["p/default-cwd"]["out"])
g = f["p/cwd-missing"]
expect("missing cwd", "fail", g["result"])
# Under valgrind, posix_spawn's vfork runs as a fork, which cannot hand
# the exec error back: the child exits 127 and the reason is lost.
valgrind = "valgrind" in os.environ.get("PRUN", "")
expect("missing cwd: why", True, valgrind or T + "/missing" in g["err"] and
       "No such file" in g["err"])
g = f["p/not-found"]
expect("not found", "fail", g["result"])
expect("not found: why", True, valgrind or "no-such-command" in g["err"] and
       "No such file" in g["err"])
EOF
exit 0
