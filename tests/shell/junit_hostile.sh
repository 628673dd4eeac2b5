#!/bin/sh
# junit_hostile: tests that print ESC sequences, NUL, every byte 0x00-0xff,
# lone surrogates in UTF-8 form, "]]>" across read boundaries, hostile
# subtest names, and 50 MB of output.  Every fragment and every report
# validates against junit-10.xsd, holds no raw control character, and a
# report made with the default settings stays within GitLab's limits
# (under 30 MB, no text node over 10 MB) while a failing test keeps the
# tail of its output.  Takes about 10 s.
. "$top_srcdir/tests/shell/lib_junit.sh"
need_xmllint

cat >"$tmp/list" <<LIST
hostile/esc sh $HOSTILE esc
hostile/nul sh $HOSTILE nul
hostile/allbytes sh $HOSTILE allbytes
hostile/surrogate sh $HOSTILE surrogate
hostile/cdata sh $HOSTILE cdata
hostile/subtests sh $HOSTILE subtests
hostile/name<&>"'&amp;]]>\\ sh $HOSTILE esc
hostile/ünï/cødé/€ sh $HOSTILE nul
big/fifty sh $HOSTILE big
LIST

# Bytes no XML 1.0 document may hold (C0 controls but tab, LF, CR).
raw_controls() {
	LC_ALL=C tr -d '\t\n\r\040-\377' <"$1" | wc -c | tr -d ' '
}

# Check a report: valid, no raw control, no "]]>", the hostile text shown.
check_report() {
	validate "$1"
	[ "$(raw_controls "$1")" = 0 ] || fail "$1 holds control characters"
	! grep -q ']]>' "$1" || fail "$1 holds a raw ]]>"
	grep -q 'colour \\x1b\[1;31mred' "$1" || fail "$1 does not show ESC"
	grep -q 'a\\x00b\\x00c' "$1" || fail "$1 does not show NUL"
	grep -q 'lone high ���, lone low ���' "$1" ||
	    fail "$1 does not show a lone surrogate as U+FFFD"
	grep -q 'U+FFFE \\uFFFE, U+FFFF \\uFFFF' "$1" ||
	    fail "$1 does not show U+FFFE and U+FFFF"
	grep -q 'THE ERROR IS HERE' "$1" || fail "$1 lost the tail of big"
	# A test's writes never fail, however fast it prints.
	! grep -q 'write error' "$1" || fail "a test could not write its output"
}

for b in json junit; do
	status_of prun_run --backend "$b" -j 4 -o "$tmp/$b" "$tmp/list"
	[ "$st" = 1 ] || fail "run --backend $b exited $st, not 1"
	status_of "$PRUN" summary -f junit -o "$tmp/$b.xml" "$tmp/$b"
	[ "$st" = 1 ] || fail "summary -f junit of $b exited $st"
	check_report "$tmp/$b.xml"
	status_of "$PRUN" summary -f junit --junit-subtests \
	    -o "$tmp/$b.sub.xml" "$tmp/$b"
	check_report "$tmp/$b.sub.xml"
	grep -q 'name="esc \\x1b\[31m \]\]&gt; &lt;&amp;&gt;"' \
	    "$tmp/$b.sub.xml" || fail "a hostile subtest name is not shown"
	status_of "$PRUN" summary -f tap -o "$tmp/$b.tap" "$tmp/$b"
	status_of "$PRUN" summary -f json -o "$tmp/$b.json" "$tmp/$b"
	[ "$st" = 1 ] || fail "summary -f json of $b exited $st"
done
validate "$tmp"/junit/tests/*.xml
for f in "$tmp"/junit/tests/*.xml; do
	[ "$(raw_controls "$f")" = 0 ] || fail "$f holds control characters"
done
cmp -s "$tmp/json.tap" "$tmp/junit.tap" || fail "the TAP reports differ"
if command -v python3 >/dev/null 2>&1; then
	# The XML fragments give back what the JSON ones hold, byte for byte.
	python3 - "$tmp/json.json" "$tmp/junit.json" <<'PY' ||
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for name, t in a["tests"].items():
    for k in ("result", "out", "err", "subtests", "returncode"):
        if t[k] != b["tests"][name][k]:
            sys.exit("%s: %s differs" % (name, k))
PY
	fail "-f json from XML fragments differs from JSON fragments"
fi

# With --max-output 0 the 50 MB are in the fragment; the report keeps
# 8 MB of them, the end included, and says what it cut.
status_of prun_run --backend junit --max-output 0 -o "$tmp/all" \
    -t '^big/' "$tmp/list"
[ "$st" = 1 ] || fail "the 50 MB run exited $st, not 1"
validate "$tmp/all/tests/000000.xml"
status_of "$PRUN" summary -f junit -o "$tmp/all.xml" "$tmp/all"
validate "$tmp/all.xml"
size=$(size_of "$tmp/all.xml")
[ "$size" -lt 31457280 ] || fail "the report is $size bytes, not < 30 MB"
[ "$(xmllint --huge --xpath 'count(//*[string-length() > 10000000])' \
    "$tmp/all.xml")" = 0 ] || fail "a text node holds more than 10 MB"
grep -q '\[prun: the first [0-9]* of [0-9]* bytes are cut; the fragment' \
    "$tmp/all.xml" || fail "the cut is not marked"
tail -c 200 "$tmp/all.xml" | grep -q 'THE ERROR IS HERE' ||
    fail "the report lost the error at the end of 50 MB"

# Default settings, 30 failing tests printing 2 MB on each stream: the
# fragments keep 1 MB per stream (60 MB), the report stays under 30 MB,
# and every test keeps the end of each stream.
numbered_list 30 'many/t%d' "sh $HOSTILE lines" >"$tmp/many"
status_of prun_run -o "$tmp/many.d" "$tmp/many"
[ "$st" = 1 ] || fail "the 30 x 4 MB run exited $st, not 1"
"$PRUN" summary -f junit -o "$tmp/many.xml" "$tmp/many.d" || true
validate "$tmp/many.xml"
size=$(size_of "$tmp/many.xml")
[ "$size" -lt 31457280 ] || fail "the report is $size bytes, not < 30 MB"
i=0
while [ $i -lt 30 ]; do
	[ "$(grep -c "^END OF many/t$i\$" "$tmp/many.xml")" = 2 ] ||
	    fail "many/t$i lost the end of its stdout or stderr"
	i=$((i + 1))
done
[ "$(grep -c '<system-\(out\|err\)>\[prun: the first [0-9]* of [0-9]* bytes' \
    "$tmp/many.xml")" = 60 ] || fail "the cuts are not marked"
echo "report sizes: hostile $(size_of "$tmp/junit.xml"), 50 MB test $(size_of "$tmp/all.xml"), 30 x 4 MB $size"
exit 0
