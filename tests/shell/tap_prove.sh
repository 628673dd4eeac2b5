#!/bin/sh
# tap_prove: the TAP report is accepted by perl's TAP::Parser and prove(1),
# with the plan, the passes, failures and skips where they should be, and
# names holding '#' or '\' unable to forge a directive.
. "$top_srcdir/tests/shell/lib_junit.sh"
command -v perl >/dev/null 2>&1 || skip "perl not found"
perl -MTAP::Parser -e 1 2>/dev/null || skip "perl's TAP::Parser not found"
command -v prove >/dev/null 2>&1 || skip "prove not found"

cat >"$tmp/list" <<'LIST'
tap/pass exec true
tap/fail exec false
tap/skip sh -c 'exit 77'
tap/notrun exec true
tap/hash#not-a-directive exec false
tap/back\slash#\ exec true
tap/SKIP-in-name#SKIP exec true
tap/ünï/cødé exec true
LIST
status_of prun_run -o "$tmp/d" "$tmp/list"
# Neither a fragment nor a start record: notrun.
rm "$tmp/d/tests/000003.json"
status_of "$PRUN" summary -f tap -o "$tmp/r.tap" "$tmp/d"
[ "$st" = 1 ] || fail "summary -f tap exited $st, not 1"

perl -MTAP::Parser -e '
	local $/;
	my $p = TAP::Parser->new({ tap => scalar <STDIN> });
	while (defined(my $r = $p->next)) {}
	printf "planned=%d run=%d passed=%d failed=%s skipped=%d errors=%d\n",
	    $p->tests_planned, $p->tests_run, scalar($p->passed),
	    join(",", $p->failed), scalar($p->skipped),
	    scalar($p->parse_errors);
' <"$tmp/r.tap" >"$tmp/counts"
want="planned=8 run=8 passed=6 failed=2,5 skipped=2 errors=0"
[ "$(cat "$tmp/counts")" = "$want" ] ||
    fail "TAP::Parser saw '$(cat "$tmp/counts")', not '$want'"

# prove itself: it reports the failures, and no parse error.
status_of prove --exec cat "$tmp/r.tap" >"$tmp/prove.out" 2>&1
[ "$st" = 1 ] || fail "prove exited $st, not 1 (failing tests)"
grep -q 'Failed tests:  2, 5' "$tmp/prove.out" || {
	cat "$tmp/prove.out" >&2
	fail "prove does not list tests 2 and 5 as failed"
}
! grep -q 'Parse errors' "$tmp/prove.out" || fail "prove found parse errors"

# A suite that passes gives a report prove passes.
printf 'ok/a exec true\nok/b sh -c "exit 77"\n' >"$tmp/ok"
prun_run -o "$tmp/okd" "$tmp/ok"
"$PRUN" summary -f tap -o "$tmp/ok.tap" "$tmp/okd"
prove --exec cat "$tmp/ok.tap" >"$tmp/prove.out" 2>&1 ||
    fail "prove does not pass a passing report"
exit 0
