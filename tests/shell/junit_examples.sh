#!/bin/sh
# junit_examples: the example suite run with each backend.  Every XML
# fragment and every JUnit report is valid against junit-10.xsd, and the
# XML fragments give the very summaries (json, junit, tap, text) that the
# JSON fragments give, times, pids and paths aside.
. "$top_srcdir/tests/shell/lib_junit.sh"
need_xmllint

ex=$top_srcdir/examples
# The run's timeout ends basic/hang; it leaves output/chatty (4 MB on each
# stream) room to finish on a loaded machine, so that both backends'
# runs give it the same status.
for b in json junit; do
	status_of prun_run --backend "$b" --timeout 15 -o "$tmp/$b" \
	    "$ex/tests" "$ex/suite.list" "$ex/profile.json"
	[ "$st" = 1 ] || fail "run --backend $b exited $st, not 1"
done
grep -q '"backend": "junit"' "$tmp/junit/metadata.json" ||
    fail "the backend is not frozen in metadata.json"
[ "$(ls "$tmp/junit/tests" | grep -c '\.xml$')" = 19 ] ||
    fail "the junit backend did not write 19 .xml fragments"
! ls "$tmp/junit/tests" | grep -qv '\.xml$' ||
    fail "the junit backend wrote something else than .xml fragments"
! ls "$tmp/json/tests" | grep -qv '\.json$' ||
    fail "the json backend wrote something else than .json fragments"
# Each fragment is a JUnit document on its own.
validate "$tmp"/junit/tests/*.xml

for b in json junit; do
	for f in junit json tap text; do
		status_of "$PRUN" summary -f "$f" -o "$tmp/$b.$f" "$tmp/$b"
		[ "$st" = 1 ] || fail "summary -f $f of $b exited $st"
	done
	status_of "$PRUN" summary -f junit --junit-subtests \
	    -o "$tmp/$b.sub.junit" "$tmp/$b"
	validate "$tmp/$b.junit" "$tmp/$b.sub.junit"
	[ "$(xmllint --xpath 'string(//testsuite/@tests)' "$tmp/$b.junit")" \
	    = 19 ] || fail "the $b report does not count 19 tests"
	# output/piglit has 2 subtests and output/tap 4.
	[ "$(xmllint --xpath 'string(//testsuite/@tests)' \
	    "$tmp/$b.sub.junit")" = 25 ] ||
	    fail "--junit-subtests does not count 25 testcases"
done

# Paths, times, pids and the backend's name aside, the same reports.
strip_junit() {
	sed -e 's/ time="[^"]*"//g' -e 's/ timestamp="[^"]*"//g' \
	    -e '/<property name="prun\./d' -e 's/ name="\(json\|junit\)"//' "$1"
}
for f in junit sub.junit; do
	strip_junit "$tmp/json.$f" >"$tmp/a"
	strip_junit "$tmp/junit.$f" >"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" || {
		diff "$tmp/a" "$tmp/b" | cut -c1-150 | head -20 >&2
		fail "-f $f differs between the json and junit backends"
	}
done
cmp -s "$tmp/json.tap" "$tmp/junit.tap" ||
    fail "-f tap differs between the json and junit backends"
# The slowest tests and the verdict hold times, which differ.
sed '/^slowest:$/,$d' "$tmp/json.text" >"$tmp/a"
sed '/^slowest:$/,$d' "$tmp/junit.text" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" ||
    fail "-f text differs between the json and junit backends"
# Shards of one run, one per backend, merge into one valid report.
prun_run --backend junit --shard 1/2 -o "$tmp/s1" "$ex/suite.list" || true
prun_run --backend json --shard 2/2 -o "$tmp/s2" "$ex/suite.list" || true
ls "$tmp/s1/tests" | grep -qv '\.xml$' && fail "shard 1 wrote a non-.xml"
status_of "$PRUN" summary -f junit -o "$tmp/shards.xml" "$tmp/s1" "$tmp/s2"
[ "$st" = 1 ] || fail "summary of the shards exited $st, not 1"
validate "$tmp/shards.xml"
[ "$(xmllint --xpath 'string(//testsuite/@tests)' "$tmp/shards.xml")" = 4 ] ||
    fail "the merged shards do not count 4 tests"
[ "$(xmllint --xpath 'count(//skipped[@type="notrun"])' \
    "$tmp/shards.xml")" = 0 ] || fail "a shard's test is missing"
grep -q '<property name="prun.shard.1.part" value="2/2"/>' \
    "$tmp/shards.xml" || fail "the shards' parts are not in properties"

if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/json.json" "$tmp/junit.json" <<'PY' ||
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
keys = ("result", "out", "err", "returncode", "command", "subtests",
        "attempt")
for name, t in a["tests"].items():
    u = b["tests"][name]
    for k in keys:
        if t[k] != u[k]:
            sys.exit("%s: %s differs: %r / %r" % (name, k, t[k], u[k]))
if a["totals"] != b["totals"] or set(a["tests"]) != set(b["tests"]):
    sys.exit("totals or test names differ")
PY
	fail "-f json differs between the json and junit backends"
fi
exit 0
