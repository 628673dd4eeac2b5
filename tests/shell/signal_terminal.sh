#!/bin/sh
# signal_terminal.sh: what a terminal and a pipe do to prun (issue 12,
# item 4).  prun runs in a pseudo-terminal of its own, as at a shell:
# closing the terminal (SIGHUP from the kernel) or Ctrl-\ (SIGQUIT) stops
# the run as SIGTERM does: running tests stopped and recorded as
# interrupted, the resume command printed, exit 129 (131), no test left
# running as an orphan.  Ctrl-Z stops prun itself, and it goes on after
# SIGCONT.  And `prun run ... | head -1` neither stops the run nor loses
# a result: SIGPIPE on prun's own output is not its death.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cat >"$T/terminal.py" <<'PY'
import os, pty, signal, sys, time
prun, key, d, lst, err, flags = sys.argv[1:7]
pid, fd = pty.fork()
if pid == 0:
    e = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(e, 2)
    os.execv(prun, [prun, "run", "-j", "2", "--fsync", "never", "-o", d,
                    lst])
def wait_flags(n):
    end = time.monotonic() + 30
    while time.monotonic() < end:
        if len([f for f in os.listdir(flags)]) >= n:
            return
        time.sleep(0.05)
    sys.exit("the tests did not start")
wait_flags(2)
if key == "hangup":
    os.close(fd)
elif key == "suspend":
    os.write(fd, b"\x1a")
    _, st = os.waitpid(pid, os.WUNTRACED)
    if not os.WIFSTOPPED(st):
        sys.exit("Ctrl-Z did not stop prun: %r" % st)
    print("stopped")
    open(flags + "/go", "w").close()
    os.kill(pid, signal.SIGCONT)
else:
    os.write(fd, b"\x1c")
# Drain the terminal until prun is gone.
while key != "hangup":
    try:
        if not os.read(fd, 4096):
            break
    except OSError:
        break
_, st = os.waitpid(pid, 0)
print("exit %d" % os.WEXITSTATUS(st) if os.WIFEXITED(st) else
      "signal %d" % os.WTERMSIG(st))
PY

# terminal KEY DIR: run the list in a pseudo-terminal, and once both
# tests run close it (hangup), type Ctrl-\ (quit) or Ctrl-Z (suspend:
# then the tests end by themselves).
terminal()
{
	rm -rf "$T/flags"
	mkdir "$T/flags"
	_sleep=$LONG
	[ "$1" = suspend ] && _sleep=1
	cat >"$T/t.list" <<LIST
t/a touch $T/flags/a; [ -e $T/flags/go ] || exec sleep $_sleep
t/b touch $T/flags/b; [ -e $T/flags/go ] || exec sleep $_sleep
t/later exec true
LIST
	timeout -k 5 "$BOUND" python3 "$T/terminal.py" "$PRUN" "$1" "$2" \
	    "$T/t.list" "$T/err" "$T/flags" >"$T/out" 2>&1 ||
	    { cat "$T/out" >&2; fail "$1: the driver failed"; }
}

# stopped_by WHAT CODE DIR: prun exited CODE and left DIR as SIGTERM does.
stopped_by()
{
	check "$1: prun's end" "exit $2" "$(tail -n 1 "$T/out")"
	check_grep "$1: resume hint" "prun run --resume $3" "$T/err"
	wait_for 10 long_count 0 || fail "$1: tests outlived prun: $(long_alive)"
	pycheck "$3" <<'PY'
R = sys.argv[1]
f = fragments(R)
expect("fragments", [0, 1], sorted(f))
for i in (0, 1):
    expect("%d result" % i, "incomplete", f[i]["result"])
    expect("%d interrupted" % i, True, f[i].get("interrupted"))
    expect("%d attempt" % i, 1, f[i]["attempt"])
PY
}

note "the terminal closes: SIGHUP from the kernel"
terminal hangup "$T/hup"
stopped_by SIGHUP 129 "$T/hup"
touch "$T/flags/go"
expect_exit 0 "$PRUN" run -q --resume "$T/hup"
check "after the resume" "t/a pass
t/b pass
t/later pass" "$(statuses "$T/hup")"

note "Ctrl-\\: SIGQUIT"
terminal quit "$T/quit"
stopped_by SIGQUIT 131 "$T/quit"

note "Ctrl-Z stops prun, SIGCONT resumes it"
terminal suspend "$T/susp"
check "Ctrl-Z" "stopped
exit 0" "$(cat "$T/out")"

note "prun run ... | head -1: no SIGPIPE death, no result lost"
numbered_list 50 'p/%s' 'echo out' >"$T/p.list"
printf 'p/fail exit 1\n' >>"$T/p.list"
{ "$PRUN" run -v -j 2 --fsync never -o "$T/pipe" "$T/p.list" 2>&1
  echo $? >"$T/rc"; } | head -n 1 >"$T/first"
check "exit status through a closed pipe" 1 "$(cat "$T/rc")"
check "every result" 51 "$(ls "$T/pipe/tests" | wc -l)"
check_results_valid "$T/pipe"
exit 0
