#!/bin/sh
# events.sh: --events FILE writes the run as JSON lines as it goes (run
# start, test start, test end, run end, each with the schema's version),
# checked line by line against the fragments with jq; a resume appends;
# - is standard output (issue 14, item 4).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

command -v jq >/dev/null 2>&1 || skip "jq is not installed"
cd "$T" || fail "cd $T"
cat >list <<'LIST'
e/pass true
e/fail false
e/tap printf '1..2\nok 1 a\nnot ok 2 b\n'
e/slow sleep 30
LIST

note "a run stopped by SIGTERM, then resumed"
"$PRUN" run -q -j2 --events ev.jsonl -o r list &
pid=$!
i=0
until [ "$(jq -s 'map(select(.event == "test-end")) | length' ev.jsonl 2>/dev/null)" = 3 ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "three test-end events did not come"
	sleep 0.05
done
check "flushed as it happens: e/slow has started" 1 \
    "$(jq -s 'map(select(.event == "test-start" and .name == "e/slow")) | length' ev.jsonl)"
kill -TERM $pid
wait $pid
check "exit status of the stopped run" 143 $?
sed -i 's/sleep 30/true/' r/metadata.json
expect_exit 1 "$PRUN" run --resume r -q --events ev.jsonl

note "every line is one JSON object of version 1"
check "lines" "$(wc -l <ev.jsonl)" "$(jq -c . ev.jsonl | wc -l)"
check "versions" 1 "$(jq -s 'map(.version) | unique | .[]' ev.jsonl)"
check "the two runs" "run-start false
run-end 143
run-start true
run-end 1" "$(jq -r 'select(.event | test("^run-")) |
    "\(.event) \(if .event == "run-start" then .resume else .exit end)"' ev.jsonl)"
check "a fresh run reads no fragment" "false 4" \
    "$(jq -r 'select(.event == "run-start") | "\(.reading) \(.todo)"' ev.jsonl |
    head -n 1)"
check "run-start" '"tests":4,"todo":4,"jobs":2,"shard":null' \
    "$(jq -c 'select(.event == "run-start") | {tests, todo, jobs, shard}' ev.jsonl |
    head -n 1 | sed 's/^{//; s/}$//')"
check "e/slow lost, then run again" "stopped" \
    "$(jq -r 'select(.event == "test-lost") | .why' ev.jsonl)"

note "each test-end is its fragment"
jq -c 'select(.event == "test-end")' ev.jsonl | while read -r line; do
	idx=$(printf '%s' "$line" | jq .index)
	frag=$(printf 'r/tests/%06d.json' "$idx")
	check "name of $idx" "$(jq -c .name "$frag")" \
	    "$(printf '%s' "$line" | jq -c .name)"
	# The event's attempt is the start number (PRUN_ATTEMPT), which a
	# start prun stopped raises and the fragment's attempt does not.
	check "attempt of $idx at least the fragment's" true \
	    "$(printf '%s' "$line" | jq --argjson a "$(jq .attempt "$frag")" \
	    '.attempt >= $a')"
	check "status of $idx" "$(jq -c .result "$frag")" \
	    "$(printf '%s' "$line" | jq -c .status)"
	check "subtests of $idx" \
	    "$(jq -cS '[.subtests | to_entries[] | .value] | group_by(.) | map({(.[0]): length}) | add // {}' "$frag")" \
	    "$(printf '%s' "$line" | jq -cS .subtests)"
	# A stopped attempt runs again under its number: one start or two.
	check "a test-start for it" true "$(jq -s --argjson i "$idx" \
	    --argjson a "$(printf '%s' "$line" | jq .attempt)" \
	    'map(select(.event == "test-start" and .index == $i and .attempt == $a)) | length >= 1' ev.jsonl)"
done || exit 1
check "test-end events: one per fragment" "$(ls r/tests | wc -l)" \
    "$(jq -s 'map(select(.event == "test-end")) | length' ev.jsonl)"
check "run-end counts" '{"fail":2,"pass":2}' \
    "$(jq -cS 'select(.event == "run-end") | .counts' ev.jsonl | tail -n 1)"

note "a resume with tests to start reads the fragments beside them"
# e/pass as if it never ran: no fragment, so it starts at once.
rm r/tests/000000.json
expect_exit 1 "$PRUN" run --resume r -q --events ev2.jsonl
check "reading, todo" "true 1" \
    "$(jq -r 'select(.event == "run-start") | "\(.reading) \(.todo)"' ev2.jsonl)"
check "its run-end counts the fragments read meanwhile" '{"fail":2,"pass":2}' \
    "$(jq -cS 'select(.event == "run-end") | .counts' ev2.jsonl)"

# A finished run's resume reads its fragments first: none to come.
expect_exit 1 "$PRUN" run --resume r -q --events ev3.jsonl
check "a finished run's resume: reading, todo" "false 0" \
    "$(jq -r 'select(.event == "run-start") | "\(.reading) \(.todo)"' ev3.jsonl)"

note "- is standard output"
expect_exit 0 "$PRUN" run -q --events - -o s /dev/stdin <<'LIST'
one true
LIST
check "events on stdout" "run-start test-start test-end run-end" \
    "$(jq -r .event "$T/out" | tr '\n' ' ' | sed 's/ $//')"
expect_exit 2 "$PRUN" run -q --events "$T/no/such/dir/ev" -o x /dev/stdin </dev/null
check_grep "unwritable --events" "no/such/dir/ev" "$T/err"
exit 0
