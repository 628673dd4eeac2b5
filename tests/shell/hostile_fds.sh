#!/bin/sh
# hostile_fds.sh: a test finds only descriptors 0, 1 and 2 open, stdin at
# /dev/null, no signal blocked or ignored, whatever prun inherited and
# whatever other tests run beside it: it cannot read prun's results
# directory, lock, signalfd or the pipes of another test through fd 3 and
# up.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib_hostile.sh"

note "descriptors 3 and up, stdin and signal dispositions of a test"
cat >"$T/fds.list" <<EOF
fds/helper $HOSTILE fds
fds/shell for fd in 3 4 5 6 7 8 9; do if { true <&\$fd; } 2>/dev/null; then echo "fd \$fd open"; exit 1; fi; done; echo clean
fds/read-3 read -r line <&3
fds/other-1 exec sleep 1
fds/other-2 exec sleep 1
EOF
echo secret >"$T/secret"
# prun inherits descriptors and ignored signals from its caller; its tests
# must get neither.
(
	trap '' INT QUIT USR1 HUP
	exec 3<"$T/secret" 4>"$T/leak" 7<"$T/secret" 9<&0
	prun_exit 1 run -j 5 --fsync never -o "$T/r" "$T/fds.list"
) || exit 1
frag_check "$T/r" <<'EOF'
f = frag("fds/helper")
expect("helper", "pass", f["result"])
expect("helper out", "clean\n", f["out"])
f = frag("fds/shell")
expect("shell", "pass", f["result"])
expect("shell out", "clean\n", f["out"])
f = frag("fds/read-3")
expect("read from fd 3 fails", "fail", f["result"])
expect("nothing read", "", f["out"])
EOF
exit 0
