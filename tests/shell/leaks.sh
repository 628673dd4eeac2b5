#!/bin/sh
# leaks.sh: a test whose processes outlive its main process gets that in
# its result (how many, their command names), shown in the reports, and
# --leaks note|warn|fail decides its status (issue 14, item 3).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
# l/leaky exits only once both children are sleep: a child forked and
# not yet exec'd is still named sh.
cat >list <<'LIST'
l/leaky sh -c 'sleep 60 & a=$!; sleep 60 & b=$!; for p in $a $b; do until [ "$(cat /proc/$p/comm)" = sleep ]; do :; done; done; exit 0'
l/clean sh -c 'sleep 0.1 & wait'
l/warns sh -c 'sleep 60 & echo "PIGLIT: {\"result\": \"warn\"}"'
LIST

note "note (the default): noted, status kept"
expect_exit 0 "$PRUN" run -q -j1 -o n list
check "statuses" "l/leaky pass
l/clean pass
l/warns warn" "$(statuses n)"
pycheck n <<'PY'
d = sys.argv[1]
expect("leaky", {"count": 2, "commands": ["sleep", "sleep"]},
       frag(d, "l/leaky").get("leaks"))
expect("clean", None, frag(d, "l/clean").get("leaks"))
PY
"$PRUN" summary n >report || fail "summary"
check_grep "text report" "^pass  *l/leaky (left 2 processes: sleep, sleep)" report
# The slowest tests, a list of times, may name it: look above them.
sed '/^slowest:/,$d' report > report.top
check_no_grep "clean not listed" "l/clean" report.top
"$PRUN" summary -f json -o n.json n || fail "summary -f json"
check "JSON report" 2 "$(jq '.tests["l/leaky"].leaks.count' n.json)"

note "warn: a pass becomes warn"
expect_exit 0 "$PRUN" run -q -j2 --leaks warn -o w list
check "statuses" "l/leaky warn
l/clean pass
l/warns warn" "$(statuses w)"

note "fail: a pass or a warn becomes fail"
expect_exit 1 "$PRUN" run -q -j2 --leaks fail -o f list
check "statuses" "l/leaky fail
l/clean pass
l/warns fail" "$(statuses f)"

expect_exit 2 "$PRUN" run -q --leaks maybe -o x list
check_grep "bad --leaks" "must be note, warn or fail" "$T/err"
exit 0
