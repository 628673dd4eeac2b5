#!/bin/sh
# Sharding: three shards of one plan, merged, give the statuses of an
# unsharded run; a missing shard is notrun, a doubled one is an error,
# results of another plan are refused; --shard auto reads GitLab, Slurm
# and Kubernetes variables; a resumed shard runs only its own tests.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

write_suite suite.list
unset CI_NODE_INDEX CI_NODE_TOTAL SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN \
    SLURM_ARRAY_TASK_COUNT SLURM_ARRAY_TASK_STEP JOB_COMPLETION_INDEX

expect 1 "$PRUN" run -q --fsync never -o full suite.list
# Shard 2/3 has only passing tests (indices 1, 4, 7, 10): it exits 0.
expect 1 "$PRUN" run -q --fsync never --shard 1/3 -o s1 suite.list
expect 0 "$PRUN" run -q --fsync never --shard 2/3 -o s2 suite.list
expect 1 "$PRUN" run -q --fsync never --shard 3/3 -o s3 suite.list

# Shards partition the plan: every test ran exactly once, the sizes are
# 4, 4 and 3, and each fragment is named by its index in the full plan.
[ "$(ls s1/tests | tr '\n' ' ')" = "000000.json 000003.json 000006.json 000009.json " ] ||
	fail "shard 1/3 ran $(ls s1/tests)"
[ "$(ls s2/tests | wc -l)" -eq 4 ] && [ "$(ls s3/tests | wc -l)" -eq 3 ] ||
	fail "shards are not 4, 4, 3 tests"
grep -q '"shard": {' s2/metadata.json || fail "no shard in metadata.json"
python3 -c '
import json, sys
a, b = (json.load(open(p + "/metadata.json")) for p in ("full", "s2"))
assert a["plan_id"] == b["plan_id"], "plan_id differs"
assert [t["name"] for t in a["tests"]] == [t["name"] for t in b["tests"]]
assert b["shard"] == {"index": 2, "total": 3, "from": "given"}, b["shard"]
' || fail "shard 2/3 does not hold the whole plan"

# Merged shards report what the unsharded run reports (timings aside).
statuses full > full.txt
statuses s1 s2 s3 > merged.txt
statuses s3 s1 s2 > merged-other-order.txt
diff full.txt merged.txt || fail "merged shards differ from the full run"
diff full.txt merged-other-order.txt || fail "shard order matters"
[ "$(wc -l < full.txt)" -eq 11 ] || fail "expected 11 tests"
expect 1 "$PRUN" summary s1 s2 s3 > /dev/null

# The same statuses in every report format but the timing lines.
expect 1 "$PRUN" summary -f tap full > full.tap
expect 1 "$PRUN" summary -f tap s1 s2 s3 > merged.tap
diff full.tap merged.tap || fail "TAP of merged shards differs"

# A missing shard: its tests are notrun, and stderr says which.
"$PRUN" summary s1 s3 > missing.out 2> missing.err || true
grep -q 'shard 2/3 is missing: its 4 tests are notrun' missing.err ||
	fail "no warning about the missing shard: $(cat missing.err)"
[ "$(statuses s1 s3 | grep -c ' notrun')" -eq 4 ] || fail "not 4 notrun"

# A shard given twice: every test of it is a duplicate, which fails.
"$PRUN" run -q --fsync never --shard 1/3 -o s1again suite.list || true
expect 1 "$PRUN" summary s2 s3 s1 s1again > dup.out 2> dup.err
grep -q 'has results in both' dup.err || fail "duplicates not reported"
grep -q '^duplicate *4$' dup.out || fail "not 4 duplicates: $(cat dup.out)"
cp -r s2 s2copy
expect 1 "$PRUN" summary s1 s2 s2copy s3 > /dev/null 2>&1

# Results of another plan are refused with a message.
{ cat suite.list; echo "s/extra true"; } > other.list
"$PRUN" run -q --fsync never --shard 2/3 -o other other.list || true
expect 2 "$PRUN" summary s1 other s3 > /dev/null 2> other.err
grep -q 'another plan' other.err || fail "no message: $(cat other.err)"

# --shard auto, from each scheduler.
CI_NODE_INDEX=2 CI_NODE_TOTAL=3 "$PRUN" list --shard auto suite.list > gl.txt
"$PRUN" list --shard 2/3 suite.list > given.txt
diff given.txt gl.txt || fail "GitLab CI_NODE_INDEX=2 is not 2/3"
SLURM_ARRAY_TASK_ID=11 SLURM_ARRAY_TASK_MIN=10 SLURM_ARRAY_TASK_COUNT=3 \
    "$PRUN" list --shard auto suite.list > slurm.txt
diff given.txt slurm.txt || fail "Slurm task 11 of 10-12 is not 2/3"
JOB_COMPLETION_INDEX=1 "$PRUN" list --shard auto/3 suite.list > k8s.txt
diff given.txt k8s.txt || fail "Kubernetes index 1 is not 2/3"
expect 2 "$PRUN" list --shard auto suite.list 2> none.err
grep -q 'no shard in the environment' none.err || fail "$(cat none.err)"
expect 2 env JOB_COMPLETION_INDEX=1 "$PRUN" list --shard auto suite.list \
    2> /dev/null
expect 2 "$PRUN" list --shard 4/3 suite.list 2> /dev/null
CI_NODE_INDEX=3 CI_NODE_TOTAL=3 "$PRUN" run -q --fsync never \
    --shard auto -o gl suite.list || true
grep -q '"from": "gitlab"' gl/metadata.json || fail "source not recorded"
[ "$(ls gl/tests | tr '\n' ' ')" = "000002.json 000005.json 000008.json " ] ||
	fail "CI_NODE_INDEX=3 ran $(ls gl/tests)"

# A resumed shard runs its own missing tests, and only those.
rm s2/tests/000004.json s2/tests/000010.json
expect 0 "$PRUN" run -q --resume s2
[ "$(ls s2/tests | tr '\n' ' ')" = "000001.json 000004.json 000007.json 000010.json " ] ||
	fail "resumed shard 2/3 holds $(ls s2/tests)"
statuses s1 s2 s3 > merged2.txt
diff full.txt merged2.txt || fail "merge after resume differs"

# More shards than tests: the empty shards run nothing, and succeed.
expect 0 "$PRUN" run -q --fsync never --shard 20/20 -o empty suite.list
[ -z "$(ls empty/tests)" ] || fail "shard 20/20 ran something"
echo "ok"
