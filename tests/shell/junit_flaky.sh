#!/bin/sh
# junit_flaky: tests rerun by --rerun-failures, recorded by the junit
# backend: each XML fragment keeps every try (valid JUnit, with Surefire's
# flakyFailure and rerunFailure elements), summaries from it equal those
# from JSON fragments, and the report shows the tries.
. "$top_srcdir/tests/shell/lib_junit.sh"
need_xmllint

cat >"$tmp/list" <<'LIST'
f/once n=$(cat "$PRUN_RESULTS_DIR/once" 2>/dev/null || echo 0); echo $((n+1)) >"$PRUN_RESULTS_DIR/once"; printf 'try %s \033[1m\n' "$n"; [ "$n" -ge 1 ]
f/never printf 'no\000\n'; exit 1
f/crash exec kill -SEGV $$
f/pass true
LIST
for b in json junit; do
	status_of prun_run --backend "$b" --rerun-failures 2 -o "$tmp/$b" \
	    "$tmp/list"
	[ "$st" = 1 ] || fail "run --backend $b exited $st, not 1"
	for f in json junit tap text; do
		status_of "$PRUN" summary -f "$f" -o "$tmp/$b.$f" "$tmp/$b"
		[ "$st" = 1 ] || fail "summary -f $f of $b exited $st"
	done
done
validate "$tmp"/junit/tests/*.xml "$tmp/json.junit" "$tmp/junit.junit"
f=$tmp/junit/tests/000000.xml
[ "$(xmllint --xpath 'count(//testcase/flakyFailure)' "$f")" = 1 ] ||
    fail "the flaky test's fragment has no flakyFailure"
[ "$(xmllint --xpath 'string(//testcase/flakyFailure/system-out)' "$f")" \
    = 'try 0 \x1b[1m' ] || fail "the first try's output is not kept"
[ "$(xmllint --xpath 'count(//testcase/rerunError)' \
    "$tmp/junit/tests/000002.xml")" = 2 ] ||
    fail "the crashing test's fragment has not 2 rerunError"
for r in json junit; do
	[ "$(xmllint --xpath 'count(//testcase[@name="once"]/flakyFailure)' \
	    "$tmp/$r.junit")" = 1 ] || fail "the $r report has no flakyFailure"
	[ "$(xmllint --xpath 'count(//testcase[@name="never"]/rerunFailure)' \
	    "$tmp/$r.junit")" = 2 ] || fail "the $r report has no rerunFailure"
done
cmp -s "$tmp/json.tap" "$tmp/junit.tap" || fail "the TAP reports differ"
# The slowest tests and the verdict hold times, which differ.
sed '/^slowest:$/,$d' "$tmp/json.text" >"$tmp/a"
sed '/^slowest:$/,$d' "$tmp/junit.text" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "the text reports differ"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/json.json" "$tmp/junit.json" <<'PY' ||
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for name, t in a["tests"].items():
    u = b["tests"][name]
    for k in ("result", "out", "err", "returncode", "flaky", "subtests"):
        if t.get(k) != u.get(k):
            sys.exit("%s: %s differs" % (name, k))
    ta, tb = t.get("tries", []), u.get("tries", [])
    if [(x["result"], x["out"], x["err"], x["returncode"]) for x in ta] != \
       [(x["result"], x["out"], x["err"], x["returncode"]) for x in tb]:
        sys.exit("%s: tries differ" % name)
if a["tests"]["f/once"].get("flaky") is not True:
    sys.exit("f/once is not flaky")
PY
	fail "-f json from XML fragments differs from JSON fragments"
fi
exit 0
