#!/bin/sh
# abort_taint.sh: --abort-on-taint and --abort-on halt the run when the
# kernel is damaged: no more tests start, the running ones stop with
# their attempt counted (incomplete, not interrupted), the cause goes to
# stderr and DIR/abort.txt, prun exits 4, and --resume continues (issue
# 14, item 2).  The taint flags are a file through PRUN_TAINTED, the
# kernel log a file through PRUN_KMSG.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
echo 0 >tainted
: >klog
export TAINTED="$T/tainted" KLOG="$T/klog" PRUN_TAINTED="$T/tainted" \
    PRUN_KMSG="$T/klog"
cat >list <<'LIST'
t/first true
t/breaks sh -c '[ -e "$TAINTED.1" ] && exit 0; : >"$TAINTED.1"; sleep 0.2; echo 512 >"$TAINTED"; sleep 30'
t/beside sh -c '[ -e "$TAINTED.2" ] && exit 0; : >"$TAINTED.2"; sleep 30'
t/later true
t/last true
LIST

note "a warning taint (bit 9) set during the run: exit 4"
expect_exit 4 "$PRUN" run -j2 --abort-on-taint --progress lines -o r list
check_grep "the cause on stderr" "the machine needs attention: the kernel is tainted .*9 (W" "$T/err"
check_grep "how to continue" "prun run --resume r" "$T/err"
check_grep "the cause in DIR" "9 (W, kernel warning)" r/abort.txt
pycheck r <<'PY'
d = sys.argv[1]
f = records(d)
n = names(d)
expect("first", "pass", f[n.index("t/first")]["result"])
for t in ("t/breaks", "t/beside"):
    r = f[n.index(t)]
    expect(t + " status", "incomplete", r["result"])
    expect(t + " attempt counts (not interrupted)", False,
           r.get("interrupted", False))
    expect(t + " says why", True, "the kernel is tainted" in r["err"])
expect("not started", False, n.index("t/later") in f)
PY
check "status before resume" "t/first pass
t/breaks incomplete
t/beside incomplete
t/later notrun
t/last notrun" "$(statuses r)"

note "--resume after the reboot: the stopped tests run their second attempt"
echo 0 >tainted
expect_exit 0 "$PRUN" run --resume r --abort-on-taint -j2
check_true "abort.txt removed" test ! -e r/abort.txt
check "attempt of t/beside" 2 "$(jget r/tests/000002.json 'd["attempt"]')"
check "t/later ran" pass "$(jget r/tests/000003.json 'd["result"]')"

note "--max-attempts 1: a test that takes the machine down is given up"
echo 0 >tainted
cat >list1 <<'LIST'
t/breaks sh -c 'echo 128 >"$TAINTED"; sleep 30'
t/after true
LIST
expect_exit 4 "$PRUN" run -j1 --max-attempts 1 --abort-on-taint -o m list1
echo 0 >tainted
expect_exit 1 "$PRUN" run --resume m --abort-on-taint
check "given up, the rest ran" "t/breaks incomplete
t/after pass" "$(statuses m)"
check "t/breaks was not run again" 1 "$(jget m/tests/000000.json 'd["attempt"]')"

note "a bit outside the mask (O, 12: out-of-tree module) is not watched"
echo 0 >tainted
cat >list2 <<'LIST'
t/module sh -c 'echo 4096 >"$TAINTED"; sleep 0.5'
t/after true
LIST
expect_exit 0 "$PRUN" run -q -j1 --abort-on-taint -o o list2
echo 0 >tainted
expect_exit 4 "$PRUN" run -q -j1 --abort-on-taint=0x1000 -o o2 list2
check_grep "MASK chooses the bits" "12 (O, out-of-tree module)" o2/abort.txt
expect_exit 2 "$PRUN" run -q --abort-on-taint=nope -o o3 list2
check_grep "a bad MASK" "abort-on-taint 'nope'" "$T/err"
PRUN_TAINTED=$T/none expect_exit 2 "$PRUN" run -q --abort-on-taint -o o4 list2
check_grep "unreadable taint flags" "$T/none" "$T/err"

note "--abort-on REGEX: a kernel log line"
cat >list3 <<'LIST'
t/lockdep sh -c 'echo "4,1,2,-;possible circular locking dependency detected" >>"$KLOG"; sleep 30'
t/after true
LIST
expect_exit 4 "$PRUN" run -q -j1 --abort-on 'circular locking' -o l list3
check_grep "the line in the cause" "matched --abort-on 'circular locking': possible circular" l/abort.txt
check "lockdep stopped, after not run" "t/lockdep incomplete
t/after notrun" "$(statuses l)"
exit 0
