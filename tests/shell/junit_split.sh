#!/bin/sh
# junit_split: -f junit --split N writes junit-1.xml, junit-2.xml, ... of
# at most N testcases each (a test and its subtests together), each valid
# against junit-10.xsd; the parts' counts add up to the unsplit report's
# and they hold its testcases in order; parts an earlier, longer report
# left are removed; --split without -f junit or -o FILE is refused.
. "$top_srcdir/tests/shell/lib_junit.sh"
need_xmllint

# 25 tests: pass, fail, skip and crash in turn, and one with 4 TAP
# subtests (3 pass, 1 fail).
{
	i=0
	while [ $i -lt 25 ]; do
		case $((i % 4)) in
		0) echo "g$((i % 3))/t$i true" ;;
		1) echo "g$((i % 3))/t$i false" ;;
		2) echo "g$((i % 3))/t$i exit 77" ;;
		3) echo "g$((i % 3))/t$i exec kill -SEGV \$\$" ;;
		esac
		i=$((i + 1))
	done
	printf '%s\n' "tap/sub printf '1..4\\nok 1 a\\nok 2 b\\nnot ok 3 c\\nok 4 d\\n'"
} >"$tmp/suite.list"
status_of prun_run -o "$tmp/run" "$tmp/suite.list"
check "run exit" 1 "$st"

# counts FILE...: "tests failures errors skipped" of testsuite, summed.
counts() {
	for f in "$@"; do
		xmllint --xpath 'concat(//testsuite/@tests, " ",
		    //testsuite/@failures, " ", //testsuite/@errors, " ",
		    //testsuite/@skipped)' "$f"
		echo
	done | awk '{ t += $1; f += $2; e += $3; s += $4 }
	    END { print t, f, e, s }'
}
# cases FILE...: the classname and name of every testcase, in order.
cases() {
	for f in "$@"; do
		xmllint --xpath '//testcase/@classname | //testcase/@name' \
		    "$f" | tr -s ' \n' '\n\n' | grep .
	done
}

for sub in "" --junit-subtests; do
	rm -f "$tmp"/parts.d/*
	mkdir -p "$tmp/parts.d"
	status_of "$PRUN" summary -f junit $sub -o "$tmp/whole.xml" "$tmp/run"
	check "summary $sub exit" 1 "$st"
	status_of "$PRUN" summary -f junit $sub --split 7 \
	    -o "$tmp/parts.d/junit.xml" "$tmp/run"
	check "summary --split 7 $sub exit" 1 "$st"
	ls "$tmp/parts.d" >"$tmp/parts"
	[ -z "$sub" ] && want=4 || want=5
	check "parts of --split 7 $sub" "$want" "$(wc -l <"$tmp/parts")"
	parts=
	k=1
	while [ $k -le "$want" ]; do
		check_grep "part $k $sub" "^junit-$k.xml\$" "$tmp/parts"
		parts="$parts $tmp/parts.d/junit-$k.xml"
		k=$((k + 1))
	done
	# shellcheck disable=SC2086
	validate $parts
	for p in $parts; do
		n=$(xmllint --xpath 'count(//testcase)' "$p")
		[ "$n" -le 7 ] || fail "$p holds $n testcases, more than 7"
		check "$p: testsuite tests" "$n" \
		    "$(xmllint --xpath 'string(//testsuite/@tests)' "$p")"
		check_grep "$p: its part" "name=\"prun.junit.part\" value=\"[0-9]*/$want\"" "$p"
	done
	# shellcheck disable=SC2086
	check "the parts' counts $sub" "$(counts "$tmp/whole.xml")" \
	    "$(counts $parts)"
	cases "$tmp/whole.xml" >"$tmp/whole.cases"
	# shellcheck disable=SC2086
	cases $parts >"$tmp/parts.cases"
	cmp -s "$tmp/whole.cases" "$tmp/parts.cases" ||
		fail "the parts' testcases $sub are not the report's, in order"
	note "--split 7 $sub: $want parts, counts $(counts $parts)"
done
# With subtests: 7, 7 and 7 tests, then t21..t24, and tap/sub's 5
# testcases, which do not fit beside them, make a part of their own.
check "tap/sub and its subtests in one part" 5 \
    "$(xmllint --xpath 'count(//testcase)' "$tmp/parts.d/junit-5.xml")"

# A report of fewer parts removes the later parts of the earlier one, so
# the glob junit-*.xml collects one report.
"$PRUN" summary -f junit --split 5 -o "$tmp/parts.d/junit.xml" "$tmp/run" || true
check "parts of --split 5" 6 "$(ls "$tmp/parts.d" | wc -l)"
"$PRUN" summary -f junit --split 1000 -o "$tmp/parts.d/junit.xml" "$tmp/run" ||
    true
check "parts of --split 1000" "junit-1.xml" "$(ls "$tmp/parts.d")"
check "one part holds all" 26 \
    "$(xmllint --xpath 'string(//testsuite/@tests)' "$tmp/parts.d/junit-1.xml")"
# The name without an extension gets -K at its end.
"$PRUN" summary -f junit --split 20 -o "$tmp/parts.d/report" "$tmp/run" || true
check_true "report-2" test -f "$tmp/parts.d/report-2"

# exits CODE ARGS...: prun ARGS exits CODE (stderr in $T/err).
exits() {
	_want=$1
	shift
	status_of "$PRUN" "$@" >"$T/out" 2>"$T/err"
	check "exit status of prun $*" "$_want" "$st"
}

# Usage errors: exit 2, nothing written.
exits 2 summary --split 10 -o "$tmp/x.xml" "$tmp/run"
check_grep "--split without -f junit" "for -f junit with -o FILE" "$T/err"
exits 2 summary -f junit --split 10 "$tmp/run"
exits 2 summary -f junit --split 0 -o "$tmp/x.xml" "$tmp/run"
check_grep "--split 0" "--split '0'" "$T/err"
check_true "nothing written" test ! -e "$tmp/x-1.xml"
# A part that cannot be created is named.
exits 3 summary -f junit --split 10 \
    -o "$tmp/no-such-dir/junit.xml" "$tmp/run"
check_grep "unwritable part" "no-such-dir/junit-1.xml" "$T/err"
note "ok"
