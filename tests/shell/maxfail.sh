#!/bin/sh
# --max-fail N: after N tests failed, crashed or timed out no new test
# starts, the rest are notrun and the resume command is printed; the
# limit is recorded and counts again on resume, where 0 lifts it.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

cat > suite.list <<'LIST'
f1 false
c1 exec kill -SEGV $$
p1 true
p2 true
p3 true
f2 false
p4 true
f3 false
p5 true
LIST
expect 1 "$PRUN" run -j1 --fsync never --max-fail 2 -o r suite.list \
    2> r.err
grep -q -- '--max-fail 2: 2 tests failed, crashed or timed out: [0-9]* tests not started (notrun); continue with: prun run --resume r' r.err ||
	fail "no cause: $(cat r.err)"
# f1 and c1 count; a test started while c1's result was being recorded
# may still run, but no more.
n=$(ls r/tests | wc -l)
[ "$n" -ge 2 ] && [ "$n" -le 3 ] || fail "$n tests ran: $(ls r/tests)"
[ "$(statuses r | grep -c ' notrun')" -ge 6 ] || fail "$(statuses r)"

# A resume counts again from 0 with the recorded limit: f2 and f3 stop it
# again, after which only p5 is left; --max-fail 0 lifts it.
expect 1 "$PRUN" run -q -j1 --resume r
[ "$(statuses r | grep -c ' notrun')" -le 1 ] || fail "$(statuses r)"
expect 1 "$PRUN" run -q -j1 --resume r --max-fail 0
[ "$(statuses r | grep -c ' notrun')" -eq 0 ] || fail "$(statuses r)"

# Without the limit every test runs; a bad value is a usage error.
expect 1 "$PRUN" run -q -j1 --fsync never -o all suite.list
[ "$(ls all/tests | wc -l)" -eq 9 ] || fail "not all ran"
expect 2 "$PRUN" run -q --max-fail -1 -o bad suite.list
expect 2 "$PRUN" run -q --max-fail x -o bad suite.list
exit 0
