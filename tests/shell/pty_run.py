#!/usr/bin/env python3
"""pty_run.py OUT PATTERN DELAY TOUCH CMD...: run CMD on a pseudo-terminal
(so that prun sees a terminal, as a person's shell gives it), keep all it
writes in OUT and exit with its status.  When PATTERN (non-empty) has
appeared in the output and DELAY seconds more have passed, write what came
so far to OUT.snap and create the file TOUCH: the test's cue to go on."""
import os
import pty
import select
import signal
import sys
import time


def main():
    out, pattern, delay, touch = sys.argv[1:5]
    cmd = sys.argv[5:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    buf = b""
    seen = None
    touched = False
    deadline = time.time() + 120
    while True:
        if time.time() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            buf += data
        if pattern and seen is None and pattern.encode() in buf:
            seen = time.time()
        if seen is not None and not touched and \
                time.time() - seen >= float(delay):
            with open(out + ".snap", "wb") as f:
                f.write(buf)
            open(touch, "w").close()
            touched = True
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(buf)
    sys.exit(os.waitstatus_to_exitcode(status))


main()
