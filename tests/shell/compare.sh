#!/bin/sh
# prun summary --compare OLD NEW: regressions, fixes, new, removed and
# changed tests between two runs (results directories or JSON reports),
# exit 1 on a regression.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

cat > old.list <<'LIST'
t/same true
t/worse true
t/better exit 1
t/gone true
t/skipped true
t/subs echo 'PIGLIT: {"subtest": {"a": "pass"}}'; echo 'PIGLIT: {"subtest": {"b": "fail"}}'
LIST
cat > new.list <<'LIST'
t/same true
t/worse exit 1
t/better true
t/skipped exit 77
t/subs echo 'PIGLIT: {"subtest": {"a": "fail"}}'; echo 'PIGLIT: {"subtest": {"b": "fail"}}'
t/added true
LIST
expect 1 "$PRUN" run -q --fsync never -o old old.list
expect 1 "$PRUN" run -q --fsync never -o new new.list

expect 1 "$PRUN" summary --compare old new > out.txt
cat > want.txt <<'WANT'
regression t/worse: pass -> fail
fix        t/better: fail -> pass
change     t/skipped: pass -> skip
regression t/subs [a]: pass -> fail
new        t/added: none -> pass
removed    t/gone: pass -> none

regression        2
fix               1
new               1
removed           1
change            1
WANT
head -n 12 out.txt > got.txt
diff want.txt got.txt || fail "comparison of directories"
# Tests and subtests counted apart (issue 12: not "8 tests").
grep -q '^REGRESSED: 6 tests (2 subtests) in old, 6 tests (2 subtests) in new$' out.txt || fail "$(cat out.txt)"

# JSON reports compare the same, either side.
expect 1 "$PRUN" summary -f json -o old.json old
expect 1 "$PRUN" summary -f json -o new.json new
expect 1 "$PRUN" summary --compare old.json new > out2.txt
head -n 12 out2.txt > got2.txt
diff want.txt got2.txt || fail "comparison of a JSON report"
expect 1 "$PRUN" summary --compare -o cmp.txt old new.json
head -n 12 cmp.txt > got3.txt
diff want.txt got3.txt || fail "comparison written with -o"

# NEW given as its shards, DIR,DIR: the same changes.
expect 1 "$PRUN" run -q --fsync never --shard 1/2 -o s1 new.list
expect 1 "$PRUN" run -q --fsync never --shard 2/2 -o s2 new.list
expect 1 "$PRUN" summary --compare old s1,s2 > shards.txt
head -n 12 shards.txt > got4.txt
diff want.txt got4.txt || fail "comparison of shards"

# The other way round, regressions are fixes and the reverse.
expect 1 "$PRUN" summary --compare new old > back.txt
grep -q '^fix        t/worse: fail -> pass$' back.txt || fail "$(cat back.txt)"
grep -q '^regression t/better: pass -> fail$' back.txt || fail "$(cat back.txt)"

# No regression: exit 0, even with other changes.
expect 0 "$PRUN" run -q --fsync never -x 'worse|subs' -o new2 new.list
expect 0 "$PRUN" summary --compare old new2 > out4.txt
grep -q '^regression *0$' out4.txt && grep -q '^removed *3$' out4.txt ||
	fail "$(cat out4.txt)"
expect 0 "$PRUN" summary --compare old old > same.txt
grep -q '^OK: 6 tests (2 subtests) in old, 6 tests (2 subtests) in old$' same.txt || fail "$(cat same.txt)"

# Usage: exactly two runs; not a results file is an error.
expect 2 "$PRUN" summary --compare old 2> /dev/null
expect 2 "$PRUN" summary --compare --baseline x old new 2> /dev/null
expect 2 "$PRUN" summary --compare old old.list 2> err.txt
grep -q 'old.list' err.txt || fail "$(cat err.txt)"
echo "ok"
