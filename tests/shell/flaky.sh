#!/bin/sh
# Flake detection: prun run --rerun-failures N reruns a failing test up to
# N times; one that then passes is pass with flaky: true and keeps every
# try in its fragment; text, TAP and JSON reports show it.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

# Each test counts its tries in a file beside the results.
cat > suite.list <<'LIST'
f/once n=$(cat "$PRUN_RESULTS_DIR/once" 2>/dev/null || echo 0); echo $((n+1)) > "$PRUN_RESULTS_DIR/once"; echo "try $n"; [ "$n" -ge 1 ]
f/twice n=$(cat "$PRUN_RESULTS_DIR/twice" 2>/dev/null || echo 0); echo $((n+1)) > "$PRUN_RESULTS_DIR/twice"; echo "try $n"; [ "$n" -ge 2 ]
f/never echo no; exit 1
f/crash exec kill -SEGV $$
f/pass true
LIST

expect 1 "$PRUN" run -q --fsync never --rerun-failures 2 -o run suite.list
statuses run > got.txt
printf 'f/once pass flaky\nf/twice pass flaky\nf/never fail \nf/crash crash \nf/pass pass \n' \
    > want.txt
diff want.txt got.txt || fail "statuses after reruns"
python3 - <<'PY' || fail "fragments do not keep the tries"
import json
def frag(i):
    return json.load(open("run/tests/%06d.json" % i))
once, twice, never, crash, ok = (frag(i) for i in range(5))
assert once["flaky"] is True and once["result"] == "pass"
assert [t["result"] for t in once["tries"]] == ["fail"]
assert once["tries"][0]["out"] == "try 0\n" and once["out"] == "try 1\n"
assert [t["out"] for t in twice["tries"]] == ["try 0\n", "try 1\n"]
assert "flaky" not in never and len(never["tries"]) == 2
assert [t["result"] for t in crash["tries"]] == ["crash", "crash"]
assert crash["tries"][0]["returncode"] == -11
assert "tries" not in ok and "flaky" not in ok
PY

expect 1 "$PRUN" summary run > out.txt
grep -q '^flaky *f/twice (passed after 2 failed tries)$' out.txt ||
	fail "$(cat out.txt)"
grep -q '^flaky *2$' out.txt || fail "no flaky count"
expect 1 "$PRUN" summary -f tap run > out.tap
grep -q '^ok 1 - f/once # flaky: passed after 1 failed try$' out.tap ||
	fail "$(cat out.tap)"
"$PRUN" summary -f json run | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = d["tests"]["f/twice"]
assert t["flaky"] is True and t["result"] == "pass", t
assert [x["result"] for x in t["tries"]] == ["fail", "fail"]
assert d["prun"]["flaky"] == 2
' || fail "JSON"

# Without the option a failure is final; a flaky pass does not fail a run.
expect 1 "$PRUN" run -q --fsync never -t once -o run0 suite.list
[ "$(statuses run0)" = "f/once fail " ] || fail "reran without the option"
expect 0 "$PRUN" run -q --fsync never --rerun-failures 1 -t once -o run1 \
    suite.list
expect 2 "$PRUN" run --rerun-failures -1 -o x suite.list 2> /dev/null
echo "ok"
