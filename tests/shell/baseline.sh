#!/bin/sh
# Baselines and flakes (prun summary --baseline, --flakes, --allow-fixes,
# -f baseline), as deqp-runner has them.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

write_suite suite.list
expect 1 "$PRUN" run -q --fsync never -o run1 suite.list

# -f baseline lists the failures, with their statuses (and exits 1, as
# every summary of a run with failures does).
expect 1 "$PRUN" summary -f baseline -o base.txt run1
grep -v '^#' base.txt > lines.txt
printf 's/fail-1 fail\ns/fail-2 fail\ns/crash-1 crash\n' > want.txt
diff want.txt lines.txt || fail "baseline written wrong"

# Against its own baseline a run passes: the failures are expected.
expect 0 "$PRUN" summary --baseline base.txt run1 > out.txt
grep -q '^fail *s/fail-1 (expected): exit status 1$' out.txt || fail "$(cat out.txt)"
grep -q '^expected *3$' out.txt || fail "not 3 expected: $(cat out.txt)"
grep -q '^OK' out.txt || fail "not OK"
"$PRUN" summary -f json --baseline base.txt run1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = d["tests"]["s/crash-1"]
assert t["verdict"] == "expected" and t["expected"] == "crash", t
assert d["prun"]["verdicts"]["expected"] == 3 and not d["prun"]["failing"]
' || fail "JSON verdicts"
"$PRUN" summary -f tap --baseline base.txt run1 > out.tap
grep -q '^not ok 3 - s/fail-1 # TODO fail (expected)$' out.tap ||
	fail "TAP: $(cat out.tap)"

# Another failure than the baseline's is unexpected.
sed 's/crash-1 crash/crash-1 fail/' base.txt > other.txt
expect 1 "$PRUN" summary --baseline other.txt run1 > out.txt
grep -q '^crash *s/crash-1 (the baseline says fail): killed by SIGSEGV$' \
    out.txt ||
	fail "$(cat out.txt)"

# A listed test that passes is fixed: it fails the summary until the
# baseline is updated, or --allow-fixes is given.
{ cat base.txt; echo "s/pass-3 fail"; echo "s/skip-1 crash"; } > fixed.txt
expect 1 "$PRUN" summary --baseline fixed.txt run1 > out.txt
grep -q '^pass *s/pass-3 (fixed: the baseline says fail)$' out.txt ||
	fail "$(cat out.txt)"
grep -q '^fixed *1$' out.txt || fail "skip counted as a fix"
expect 0 "$PRUN" summary --allow-fixes --baseline fixed.txt run1 > /dev/null

# Known flakes: failures reported but tolerated.
grep -v crash base.txt > nocrash.txt
expect 1 "$PRUN" summary --baseline nocrash.txt run1 > /dev/null
echo '^s/crash-' > flakes.txt
expect 0 "$PRUN" summary --baseline nocrash.txt --flakes flakes.txt run1 \
    > out.txt
grep -q '^crash *s/crash-1 (known flake): killed by SIGSEGV$' out.txt || fail "$(cat out.txt)"
printf '# comment\n^s/(fail|crash)-\n' > flakes2.txt
expect 0 "$PRUN" summary --flakes flakes2.txt run1 > /dev/null
# A flake is left out of a new baseline.
"$PRUN" summary -f baseline --flakes flakes.txt -o new.txt run1 || true
grep -q crash new.txt && fail "flake in the baseline"

# Baseline entries of no planned test are named; bad files are errors.
echo "gone/test fail" >> nocrash.txt
"$PRUN" summary --baseline nocrash.txt --flakes flakes.txt run1 \
    > /dev/null 2> err.txt
grep -q 'baseline lists 1 test that is not in the plan (such as gone/test)' \
    err.txt || fail "$(cat err.txt)"
echo "s/x frobbed" > bad.txt
expect 2 "$PRUN" summary --baseline bad.txt run1 2> err.txt
grep -q "bad.txt:1: unknown status 'frobbed'" err.txt || fail "$(cat err.txt)"
echo "(" > badflakes.txt
expect 2 "$PRUN" summary --flakes badflakes.txt run1 2> /dev/null
expect 2 "$PRUN" summary --baseline nonexistent.txt run1 2> /dev/null
echo "ok"
