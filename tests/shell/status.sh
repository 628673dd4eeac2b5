#!/bin/sh
# status.sh: prun status DIR says what a live or dead run is doing (done
# and total, counts, tests running and for how long, who holds the
# directory), in text and --json, read-only: it takes no lock, so a
# resume can start while it reads (issue 14, item 5).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

command -v jq >/dev/null 2>&1 || skip "jq is not installed"
cd "$T" || fail "cd $T"
cat >list <<'LIST'
s/pass true
s/fail false
s/long1 sleep 30
s/long2 sleep 30
s/later true
LIST

note "a run in progress"
"$PRUN" run -q -j2 -o r list &
pid=$!
i=0
until [ "$("$PRUN" status --json r 2>/dev/null | jq '.running | length')" = 2 ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "two tests did not show as running"
	sleep 0.05
done
expect_exit 0 "$PRUN" status --json r
check "held" true "$(jq .held "$T/out")"
check "owner pid" "$pid" "$(jq .owner.pid "$T/out")"
check "owner host" "$(hostname)" "$(jq -r .owner.host "$T/out")"
check "done/total" "2/5" "$(jq -r '"\(.done)/\(.total)"' "$T/out")"
check "counts" '{"fail":1,"pass":1}' "$(jq -cS .counts "$T/out")"
check "running" "s/long1 s/long2" "$(jq -r '[.running[].name] | sort | join(" ")' "$T/out")"
check "seconds" true "$(jq '[.running[].seconds] | all(. >= 0 and . < 60)' "$T/out")"
expect_exit 0 "$PRUN" status r
check_grep "text: done" "^r: 2/5 tests done: 1 pass, 1 fail" "$T/out"
check_grep "text: holder" "running: prun pid $pid on " "$T/out"
check_grep "text: a running test" "^  s/long1 (attempt 1, for " "$T/out"

note "a killed run"
kill -KILL $pid
wait $pid 2>/dev/null
expect_exit 0 "$PRUN" status --json r
check "not held" false "$(jq .held "$T/out")"
check "last owner" "$pid" "$(jq .owner.pid "$T/out")"
check "left started" "s/long1 s/long2" "$(jq -r '[.started[].name] | sort | join(" ")' "$T/out")"
check "none running" 0 "$(jq '.running | length' "$T/out")"
expect_exit 0 "$PRUN" status r
check_grep "text: how to continue" "not running: no prun holds the directory; continue with: prun run --resume r" "$T/out"
check_grep "text: started" "2 started, not finished" "$T/out"

note "read-only, without the lock: a resume starts while status reads"
sed -i 's/sleep 30/sleep 1/' r/metadata.json
"$PRUN" run --resume r -q &
rpid=$!
expect_exit 0 "$PRUN" status r
wait $rpid
check "the resume ran" 1 $?
expect_exit 0 "$PRUN" status --json r
check "all done" "5/5" "$(jq -r '"\(.done)/\(.total)"' "$T/out")"

expect_exit 2 "$PRUN" status "$T/nothing"
expect_exit 2 "$PRUN" status
exit 0
