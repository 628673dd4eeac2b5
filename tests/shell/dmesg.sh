#!/bin/sh
# dmesg.sh: --dmesg keeps the kernel log lines written while a test ran in
# its result and judges them by --dmesg-regex with piglit's rules (pass ->
# dmesg-warn; warn, fail -> dmesg-fail); with -j above 1 a line goes to
# every test running and the result says so; a kernel log that cannot be
# read is exit 2 naming it (issue 14, item 1).  The kernel log is a file
# or a FIFO through PRUN_KMSG, and the real /dev/kmsg where it can be read.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
: >klog
export KLOG="$T/klog"
cat >list <<'LIST'
k/oops sh -c 'echo "4,100,200,-;WARNING: CPU: 1 PID: 9 at drivers/x.c:1" >>"$KLOG"; sleep 0.3'
k/quiet sh -c 'echo "6,101,201,-;usb 1-1: new device" >>"$KLOG"; sleep 0.3'
k/failbug sh -c 'echo "BUG: unable to handle page fault" >>"$KLOG"; sleep 0.3; exit 1'
k/none true
LIST

note "a file: each test gets its lines; the default pattern judges them"
PRUN_KMSG=$T/klog expect_exit 1 "$PRUN" run -q -j1 --dmesg -o r1 list
check "statuses" "k/oops dmesg-warn
k/quiet pass
k/failbug dmesg-fail
k/none pass" "$(statuses r1)"
pycheck r1 <<'PY'
d = sys.argv[1]
expect("oops dmesg", "WARNING: CPU: 1 PID: 9 at drivers/x.c:1\n",
       frag(d, "k/oops").get("dmesg"))
expect("quiet dmesg", "usb 1-1: new device\n", frag(d, "k/quiet").get("dmesg"))
expect("none dmesg", None, frag(d, "k/none").get("dmesg"))
expect("not shared at -j1", None, frag(d, "k/oops").get("dmesg_shared"))
PY
expect_exit 1 "$PRUN" summary -f json -o r1.json r1
check "JSON report dmesg" "usb 1-1: new device" \
    "$(jq -r '.tests["k/quiet"].dmesg' r1.json | head -n 1)"
check "JSON report empty dmesg" "" "$(jq -r '.tests["k/none"].dmesg' r1.json)"

note "without --dmesg nothing is read or judged"
PRUN_KMSG=$T/klog expect_exit 1 "$PRUN" run -q -j1 -o r0 list
check "statuses without --dmesg" "k/oops pass
k/quiet pass
k/failbug fail
k/none pass" "$(statuses r0)"

note "--dmesg-regex . is piglit's: every line counts; dmesg-warn exits 0"
grep -v failbug list >list2
PRUN_KMSG=$T/klog expect_exit 0 "$PRUN" run -q -j1 --dmesg-regex . -o r2 list2
check "statuses with ." "k/oops dmesg-warn
k/quiet dmesg-warn
k/none pass" "$(statuses r2)"

note "-j2: a line goes to every test running, marked shared"
# A line goes to the tests running when prun reads it, so both must be
# running, as prun sees them, before either writes: each says it is up,
# waits (at most 10 s) for the other, gives prun a second to take both
# starts in however slowly the machine runs (a sanitizer build, a loaded
# CI), writes its line and waits for the other's before it ends.
: >klog3
cat >list3 <<'LIST'
k/oops sh -c 'touch "$KLOG.oops"; i=0; until [ -e "$KLOG.quiet" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done; sleep 1; echo "4,100,200,-;WARNING: CPU: 1 PID: 9 at drivers/x.c:1" >>"$KLOG"; i=0; until grep -q "new device" "$KLOG" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done; sleep 0.3'
k/quiet sh -c 'touch "$KLOG.quiet"; i=0; until [ -e "$KLOG.oops" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done; sleep 1; echo "6,101,201,-;usb 1-1: new device" >>"$KLOG"; i=0; until grep -q "WARNING: CPU" "$KLOG" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done; sleep 0.3'
k/none true
LIST
KLOG=$T/klog3 PRUN_KMSG=$T/klog3 expect_exit 0 "$PRUN" run -q -j2 --dmesg \
    -o r3 list3
pycheck r3 <<'PY'
d = sys.argv[1]
for n in ("k/oops", "k/quiet"):
    f = frag(d, n)
    expect(n + " shared", True, f.get("dmesg_shared"))
    expect(n + " has the WARNING", True, "WARNING: CPU" in f.get("dmesg", ""))
    expect(n + " status", "dmesg-warn", f["result"])
PY

note "a FIFO"
mkfifo kfifo
KLOG=$T/kfifo PRUN_KMSG=$T/kfifo expect_exit 0 "$PRUN" run -q -j1 --dmesg \
    -o r4 list2
check "statuses through a FIFO" "k/oops dmesg-warn
k/quiet pass
k/none pass" "$(statuses r4)"

note "a kernel log that cannot be read: exit 2, naming it, no directory"
PRUN_KMSG=$T/nonexistent expect_exit 2 "$PRUN" run -q --dmesg -o r5 list
check_grep "names the log" "cannot read the kernel log $T/nonexistent" "$T/err"
check_true "no directory made" test ! -e r5
expect_exit 2 "$PRUN" run -q --dmesg-regex '(' -o r5 list
check_grep "bad regex" "dmesg-regex" "$T/err"

note "a flood of kernel log lines is cut at 1 MiB, saying so"
cat >flood <<'LIST'
k/flood sh -c 'yes "WARNING: flooding the log" | head -n 100000 >>"$KLOG"'
LIST
PRUN_KMSG=$T/klog expect_exit 0 "$PRUN" run -q --dmesg -o r7 flood
pycheck r7 <<'PY'
f = frag(sys.argv[1], "k/flood")
expect("status", "dmesg-warn", f["result"])
expect("at most 1 MiB and the note", True, len(f["dmesg"]) < (1 << 20) + 100)
expect("the note", True, "more bytes of the kernel log were not kept" in
       f["dmesg"].split("\n")[-2])
PY

note "the real /dev/kmsg"
[ -c /dev/kmsg ] && [ -w /dev/kmsg ] || skip "no /dev/kmsg to write here"
TOKEN="prun-dmesg-test-$$-$(date +%s%N)"
printf 'k/real sh -c "echo WARNING: %s >/dev/kmsg; sleep 0.3"\n' "$TOKEN" >real
env -u PRUN_KMSG "$PRUN" run -q -j1 --dmesg -o r6 real >/dev/null 2>"$T/err"
rc=$?
[ $rc = 2 ] && skip "/dev/kmsg: $(cat "$T/err")"
pycheck r6 "$TOKEN" <<'PY'
d, token = sys.argv[1], sys.argv[2]
f = frag(d, "k/real")
lines = [l for l in f.get("dmesg", "").split("\n") if token in l]
expect("the token's line", ["WARNING: " + token], lines)
PY
exit 0
