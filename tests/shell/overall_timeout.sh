#!/bin/sh
# --overall-timeout S: no test starts after S seconds; the tests not
# started are notrun in the summary and a resume runs them.  The tests
# wait on files, not on the clock, so the test holds on a slow machine.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

# o/gate waits (up to 30 s) for a file that appears after 2 s; with -j 1
# and a deadline of 0.5 s, o/gate starts at once, outlives the deadline,
# and nothing after it starts.
cat > suite.list <<LIST
o/gate i=0; while [ ! -e "$tmp/go" ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i+1)); done
o/second true
o/last true
LIST
( sleep 2; touch "$tmp/go" ) &
expect 0 "$PRUN" run -j 1 --fsync never --overall-timeout 0.5 -o run \
    suite.list 2> err.txt
wait
grep -q 'overall-timeout of 0.5 s reached: 2 tests not started' err.txt ||
	fail "$(cat err.txt)"
grep -q 'prun run --resume run' err.txt || fail "no resume hint"
printf 'o/gate pass \no/second notrun \no/last notrun \n' > want.txt
statuses run > got.txt
diff want.txt got.txt || fail "unstarted tests are not notrun"
[ "$(ls run/tests | wc -l)" -eq 1 ] || fail "fragments of unstarted tests"

# The resume runs them; 0 lifts the deadline it inherits.
expect 0 "$PRUN" run -q --resume run --overall-timeout 0
statuses run | grep -q notrun && fail "notrun after the resume"
expect 2 "$PRUN" run --overall-timeout soon -o x suite.list 2> /dev/null
echo "ok"
