#!/bin/sh
# junit_unsafe: XML fragments that would make a careless parser expand a
# billion entities, read a local file, or swallow 300 MB are refused at
# once as unparsable: summary names them and reports their tests notrun,
# and a resume runs those tests again.  The external entity points at a
# FIFO, so reading it would hang: timeout(1) turns that into a failure.
. "$top_srcdir/tests/shell/lib_junit.sh"
need_xmllint
command -v timeout >/dev/null 2>&1 || skip "timeout(1) not found"

numbered_list 6 'unsafe/t%d' 'exec true' >"$tmp/list"
d=$tmp/results
prun_run --backend junit -o "$d" "$tmp/list"
mkfifo "$tmp/fifo"

cat >"$d/tests/000000.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE testsuite [
 <!ENTITY a "lollollollollollollollollollollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<testsuite name="x" tests="1" failures="0" errors="0"><properties>
<property name="prun.format" value="prun-fragment"/>
<property name="prun.name" value="&g;"/>
</properties><testcase name="t0">&g;</testcase></testsuite>
XML
cat >"$d/tests/000001.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE testsuite SYSTEM "file://$tmp/fifo" [
 <!ENTITY secret SYSTEM "file://$tmp/fifo">
]>
<testsuite name="x" tests="1" failures="0" errors="0"><properties>
<property name="prun.format" value="prun-fragment"/>
</properties><testcase name="t1">&secret;</testcase></testsuite>
XML
cat >"$d/tests/000002.xml" <<XML
<?xml version="1.0"?>
<testsuite name="x"><properties/><testcase name="t2">&secret;</testcase>
</testsuite>
XML
truncate -s 300M "$d/tests/000003.xml"
printf '<testsuite><properties>' >"$d/tests/000004.xml"

timeout 60 "$PRUN" summary -f junit -o "$tmp/report.xml" "$d" \
    2>"$tmp/stderr" && st=0 || st=$?
[ "$st" != 124 ] || fail "summary hung: it read the FIFO"
[ "$st" = 0 ] || fail "summary exited $st, not 0"
grep -q "000000.xml: has a DOCTYPE" "$tmp/stderr" ||
    fail "the billion laughs are not refused for their DOCTYPE"
grep -q "000001.xml: has a DOCTYPE" "$tmp/stderr" ||
    fail "the external entity is not refused for its DOCTYPE"
grep -q "000002.xml:[0-9]*: not well-formed XML: .*secret" "$tmp/stderr" ||
    fail "an undeclared entity is not refused"
grep -q "000003.xml: 314572800 bytes, larger than the limit" \
    "$tmp/stderr" || fail "the 300 MB fragment is not refused by its size"
grep -q "000004.xml:[0-9]*: not well-formed XML" "$tmp/stderr" ||
    fail "a torn fragment is not refused"
[ "$(grep -c '^prun: warning: ' "$tmp/stderr")" = 5 ] ||
    fail "summary did not warn once per unsafe fragment"
[ "$(grep -vc '^prun: warning: ' "$tmp/stderr")" = 0 ] ||
    fail "summary printed more than its warnings (libxml2 messages?)"
validate "$tmp/report.xml"
[ "$(xmllint --xpath 'count(//skipped[@type="notrun"])' \
    "$tmp/report.xml")" = 5 ] || fail "the refused tests are not notrun"
! grep -q lollol "$tmp/report.xml" || fail "an entity was expanded"

timeout 60 "$PRUN" run --resume "$d" --progress none 2>"$tmp/stderr" &&
    st=0 || st=$?
[ "$st" != 124 ] || fail "resume hung: it read the FIFO"
[ "$st" = 0 ] || fail "resume exited $st, not 0"
[ "$(grep -c 'warning: .*tests/00000[0-4].xml' "$tmp/stderr")" = 5 ] ||
    fail "resume did not name the 5 unsafe fragments"
validate "$d"/tests/*.xml
"$PRUN" summary -f junit -o "$tmp/after.xml" "$d"
[ "$(xmllint --xpath 'count(//testcase[not(*[self::skipped or self::failure or self::error])])' "$tmp/after.xml")" = 6 ] ||
    fail "the resume did not run the refused tests again"
exit 0
