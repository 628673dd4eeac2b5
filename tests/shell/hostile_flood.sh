#!/bin/sh
# hostile_flood.sh: tests that write gigabytes.  One writes NUL bytes
# without a newline, one millions of distinct TAP test points, both on
# stdout and stderr at once.  prun drains both without deadlock, keeps its
# memory bounded (its peak resident size grows by less than 128 MiB while
# they write, read by the test from /proc), caps what it records, and the
# fragments stay small enough to read back.
#
# HOSTILE_FLOOD_MIB (default 1024) is how much each test writes to each
# stream; the valgrind run of the suite lowers it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib_hostile.sh"

# Under AddressSanitizer, freed memory waits in a quarantine of 256 MiB:
# the millions of names prun looks up and drops would fill it, which is
# ASan's memory, not prun's.  A small quarantine keeps the figure honest.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16
export ASAN_OPTIONS

mib=${HOSTILE_FLOOD_MIB:-1024}
tap=$((mib / 4))
note "$mib MiB of NUL bytes and $tap MiB of TAP on each of stdout and stderr"
cat >"$T/flood.list" <<EOF
flood/raw $HOSTILE flood $mib raw $T/raw.mem
flood/tap $HOSTILE flood $tap tap $T/tap.mem
EOF
prun_exit 0 run -j 2 --fsync never -o "$T/r" "$T/flood.list"
for kind in raw tap; do
	read -r before after points <"$T/$kind.mem" ||
	    fail "$kind: no memory figures"
	[ "$before" -gt 0 ] && [ "$after" -gt 0 ] ||
	    fail "$kind: cannot read prun's VmHWM ($before, $after)"
	grew=$((after - before))
	note "$kind: prun's peak resident size grew by $grew kB"
	# Under valgrind the figure is mostly valgrind's own (code it
	# translates as prun runs), so it says nothing of prun.
	case $PRUN in
	*valgrind*)	continue ;;
	esac
	# About 30 MiB in a plain build, twice that under ASan; keeping every
	# subtest took 790 MiB for a quarter of this TAP.
	[ "$grew" -lt 131072 ] ||
	    fail "$kind: prun's peak memory grew by $grew kB (limit 128 MiB)"
done
frag_check "$T/r" <<'EOF'
import re
f = frag("flood/raw")
expect("raw result", "pass", f["result"])
# The default --max-output of 1 MiB: the head, the dropped line, the tail.
expect("raw out head", "\0" * 100, f["out"][:100])
expect("raw out capped", True, len(f["out"]) < (1 << 20) + 100)
m = re.search(r"\n\[prun: (\d+) bytes dropped\]\n", f["out"])
expect("raw out says what it dropped", True, m is not None)
f = frag("flood/tap")
expect("tap result", "pass", f["result"])
expect("tap subtests kept", 100000, len(f["subtests"]))
expect("tap says what it did not keep", True,
       re.search(r"prun: \d+ more subtests than the 100000 kept were not "
                 r"recorded \(the worst was pass\)", f["err"]) is not None)
for name in ["raw", "tap"]:
    size = os.path.getsize(os.path.join(R, "tests", "%06d.json" %
                                        index["flood/" + name]))
    expect(name + " fragment under 32 MiB", True, size < (32 << 20))
EOF
prun_exit 0 summary "$T/r"
check_grep "summary" '^pass *2$' "$T/out"
exit 0
