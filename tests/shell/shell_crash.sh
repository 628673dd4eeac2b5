#!/bin/sh
# shell_crash.sh: a test that is a shell string runs under prun's
# /bin/sh -c; dash runs its last command in a child, so a crash of that
# command reaches prun as the shell's exit status 128+N.  For a signal
# that means a crash (SEGV, ABRT, BUS, FPE, ILL, SYS, TRAP) the test is
# recorded crash with the signal named (issue 12, item 2); other exit
# statuses, and the same status from a program prun ran without its
# shell, stay fail.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
printf '#!/bin/sh\nexit 139\n' >exit139
printf '#!/bin/sh\nkill -SEGV $$\n' >segv
chmod +x exit139 segv
cat >crash.list <<LIST
sh/segv python3 -c 'import os, signal; os.kill(os.getpid(), signal.SIGSEGV)'
sh/abrt sh -c 'kill -ABRT \$\$'
sh/fpe sh -c 'kill -FPE \$\$'; true; sh -c 'kill -FPE \$\$'
sh/int sh -c 'kill -INT \$\$'
sh/exit1 sh -c 'exit 1'
direct/exit139 $T/exit139
direct/segv $T/segv
LIST
expect_exit 1 "$PRUN" run -q --fsync never -o r crash.list
statuses r >got
cat >want <<WANT
sh/segv crash
sh/abrt crash
sh/fpe crash
sh/int fail
sh/exit1 fail
direct/exit139 fail
direct/segv crash
WANT
diff want got >&2 || fail "statuses differ from what was expected"
pycheck r <<'PY'
d = sys.argv[1]
f = fragments(d)
n = names(d)
def err(name):
    return f[n.index(name)]["err"]
expect("segv returncode", 139, f[n.index("sh/segv")]["returncode"])
expect("segv note", True, "prun: crash: the shell reported its command "
       "killed by SIGSEGV (exit status 139)" in err("sh/segv"))
expect("abrt note", True, "killed by SIGABRT (exit status 134)" in
       err("sh/abrt"))
expect("fpe note", True, "killed by SIGFPE (exit status 136)" in
       err("sh/fpe"))
expect("int: no note", False, "prun: crash" in err("sh/int"))
expect("direct exit 139: no note", False, "prun: crash" in
       err("direct/exit139"))
expect("direct segv: a signal", -11, f[n.index("direct/segv")]["returncode"])
PY
