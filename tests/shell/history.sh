#!/bin/sh
# --history: a run starts the longest tests first (exclusive tests first
# of all, unknown tests as the median), records the order in
# metadata.json and keeps it on resume, without changing the plan id;
# --shard K/N with --history cuts the shards by time, and a summary
# refuses shards cut from other history; prun list -v shows expected
# times; a source that cannot be read is exit 2 naming it.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

# Eight quick tests; the history (a JSON report, as prun summary -f json
# writes it) says how long each took.  "new" has no history: the median
# of the others (4 s); "gone" is a test the plan lacks.
cat > suite.list <<'LIST'
t1 true
t2 true
t3 true
t4 true
t5 true
t6 true
new true
t8 true
LIST
python3 - <<'PY'
import json
times = {"t1": 1, "t2": 2, "t3": 3, "t4": 9, "t5": 5, "t6": 6, "t8": 8,
         "gone": 100}
tests = {n: {"result": "pass", "time": {"start": 1000.0, "end": 1000.0 + s}}
         for n, s in times.items()}
json.dump({"tests": tests}, open("hist.json", "w"))
PY

# The order a run would start them in: longest first, new as the median
# (5 among 1 2 3 5 6 8 9), ties by plan order.
"$PRUN" list --history hist.json suite.list > order.txt
[ "$(tr '\n' ' ' < order.txt)" = "t4 t8 t6 t5 new t3 t2 t1 " ] ||
	fail "list order: $(tr '\n' ' ' < order.txt)"
"$PRUN" list -v --history hist.json suite.list > list-v.txt
grep -q '^000006	new	5.000	true$' list-v.txt ||
	fail "no expected time for new: $(cat list-v.txt)"
grep -q '^# 8 tests, expected 39.000 s in all (history for 7 of 8 tests' \
    list-v.txt || fail "no total: $(tail -1 list-v.txt)"

# A run at -j1 starts them in that order; the plan id is that of the
# plan without history; the order is in metadata.json.
expect 0 "$PRUN" run -q -j1 --fsync never -o plain suite.list
expect 0 "$PRUN" run -q -j1 --fsync never --history hist.json -o hist \
    suite.list
started_order() {
	python3 -c '
import json, sys
d = sys.argv[1]
md = json.load(open(d + "/metadata.json"))
fr = []
for i, t in enumerate(md["tests"]):
    f = json.load(open("%s/tests/%06d.json" % (d, i)))
    fr.append((f["time"]["start"], t["name"]))
print(" ".join(n for _, n in sorted(fr)))' "$1"
}
[ "$(started_order hist)" = "t4 t8 t6 t5 new t3 t2 t1" ] ||
	fail "run order: $(started_order hist)"
[ "$(started_order plain)" = "t1 t2 t3 t4 t5 t6 new t8" ] ||
	fail "plain order: $(started_order plain)"
python3 -c '
import json
a, b = (json.load(open(p + "/metadata.json")) for p in ("plain", "hist"))
assert a["plan_id"] == b["plan_id"], "history changed the plan id"
assert "schedule" not in a
s = b["schedule"]
assert s["order"] == [3, 7, 5, 4, 6, 2, 1, 0], s["order"]
assert s["expected"][6] == 5 and s["known"] == 7, s
' || fail "metadata.json does not record the schedule"

# A resume keeps the recorded order without --history: the fragments of
# t8, new and t1 are removed (their start records stay: incomplete, run
# again) and the resume starts them longest first.
rm hist/tests/000007.json hist/tests/000006.json hist/tests/000000.json
expect 0 "$PRUN" run -q -j1 --resume hist
[ "$(started_order hist | cut -d' ' -f6-)" = "t8 new t1" ] ||
	fail "resume order: $(started_order hist)"
expect 2 "$PRUN" run -q --resume hist --history hist.json

# An exclusive test starts first of all, whatever its history.
cat > prof.json <<'JSON'
{"tests": [{"name": "t1", "command": "true"},
           {"name": "t2", "command": "true", "exclusive": true},
           {"name": "t4", "command": "true"}]}
JSON
[ "$("$PRUN" list --history hist.json prof.json | tr '\n' ' ')" = \
    "t2 t4 t1 " ] || fail "exclusive test not first"

# Shards by time: 2 shards of expected 20 and 19 s (round-robin cuts 14
# and 25), each test in exactly one; metadata says how.
"$PRUN" list -v --shard 1/2 --history hist.json suite.list > sh1.txt
"$PRUN" list -v --shard 2/2 --history hist.json suite.list > sh2.txt
grep -q '^# 4 tests, expected 20.000 s' sh1.txt || fail "$(cat sh1.txt)"
grep -q '^# 4 tests, expected 19.000 s' sh2.txt || fail "$(cat sh2.txt)"
[ "$(cat sh1.txt sh2.txt | grep -v '^#' | cut -f2 | sort | tr '\n' ' ')" = \
    "new t1 t2 t3 t4 t5 t6 t8 " ] || fail "shards do not partition"
expect 0 "$PRUN" run -q --fsync never --shard 1/2 --history hist.json \
    -o s1 suite.list
expect 0 "$PRUN" run -q --fsync never --shard 2/2 --history hist.json \
    -o s2 suite.list
[ "$(ls s1/tests | wc -l)" -eq 4 ] && [ "$(ls s2/tests | wc -l)" -eq 4 ] ||
	fail "shards are not 4 and 4 tests"
python3 -c '
import json
a, b = (json.load(open(p + "/metadata.json"))["shard"] for p in ("s1", "s2"))
assert a["cut"] == b["cut"] == "time", (a, b)
assert a["history"] == b["history"], (a, b)
' || fail "metadata.json does not say how the shards were cut"
statuses s1 s2 > merged.txt
[ "$(grep -c ' pass' merged.txt)" -eq 8 ] || fail "merged: $(cat merged.txt)"
expect 0 "$PRUN" summary s2 s1 > /dev/null

# A missing shard by time: its own tests are notrun, and counted right.
"$PRUN" summary s1 > missing.out 2> missing.err || true
grep -q 'shard 2/2 is missing: its 4 tests are notrun' missing.err ||
	fail "missing shard: $(cat missing.err)"

# Shards cut from other history, or round-robin, are refused.
python3 -c '
import json
d = json.load(open("hist.json"))
d["tests"]["t1"]["time"]["end"] = 1050.0
json.dump(d, open("hist2.json", "w"))'
expect 0 "$PRUN" run -q --fsync never --shard 2/2 --history hist2.json \
    -o other suite.list
expect 0 "$PRUN" run -q --fsync never --shard 2/2 -o rr suite.list
expect 2 "$PRUN" summary s1 other 2> other.err
grep -q 'other: a shard cut from other history than s1' other.err ||
	fail "other history: $(cat other.err)"
expect 2 "$PRUN" summary s1 rr 2> rr.err
grep -q 'rr: a shard cut from other history than s1 (round-robin' rr.err ||
	fail "round-robin beside time: $(cat rr.err)"

# A results directory, and the shards of a run joined by commas, are
# sources too, and several sources average.
expect 0 "$PRUN" list --history s1,s2 --history plain suite.list > /dev/null

# A source that cannot be read or is damaged: exit 2, named, no run.
expect 2 "$PRUN" run -q --history nosuch -o bad1 suite.list 2> e1
grep -q -- '--history nosuch: nosuch: No such file' e1 || fail "$(cat e1)"
[ ! -e bad1 ] || fail "a results directory was made"
printf '{"tests": ' > broken.json
expect 2 "$PRUN" list --history broken.json suite.list 2> e2
grep -q -- '--history broken.json: broken.json:1:' e2 || fail "$(cat e2)"
mkdir damaged && cp -r plain/tests damaged/ && echo '{' > damaged/metadata.json
expect 2 "$PRUN" list --history damaged suite.list 2> e3
grep -q -- '--history damaged: damaged/metadata.json' e3 || fail "$(cat e3)"
exit 0
