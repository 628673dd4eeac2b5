#!/bin/sh
# junit_resume: a run with the junit backend that is killed with its test
# running resumes from its XML fragments: finished tests are not run
# again, the interrupted one is (attempt 2), the backend cannot be
# changed, and the report is the one an uninterrupted run gives.
. "$top_srcdir/tests/shell/lib_junit.sh"
need_xmllint

cat >"$tmp/list" <<'LIST'
first/once sh -c 'echo x >>"$PRUN_RESULTS_DIR/first.count"; echo done'
second/slow sh -c 'echo x >>"$PRUN_RESULTS_DIR/slow.count"; echo $$ >"$PRUN_RESULTS_DIR/slow.pid"; while [ ! -e "$PRUN_RESULTS_DIR/go" ]; do sleep 0.05; done; echo finished'
third/after sh -c 'echo x >>"$PRUN_RESULTS_DIR/after.count"'
LIST
d=$tmp/results
# Not through a function: $! must be prun itself.
"$PRUN" run --fsync never --progress none --backend junit -j 1 -o "$d" \
    "$tmp/list" &
prun_pid=$!
# Wait (at most 30 s) for the slow test to be running.
i=0
while [ ! -s "$d/slow.pid" ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the slow test never started"
	sleep 0.05
done
# The machine dies: prun and the test vanish without a word.
kill -KILL "$prun_pid"
wait "$prun_pid" 2>/dev/null || true
kill -KILL "$(cat "$d/slow.pid")" 2>/dev/null || true
[ -f "$d/tests/000000.xml" ] || fail "no XML fragment for the first test"
! [ -e "$d/tests/000001.xml" ] || fail "a fragment for the slow test"
ls -a "$d/tests" | grep -q '^\.000001\.1\.1\.[0-9]*\.start$' ||
    fail "no start record for the slow test in $d/tests"
validate "$d/tests/000000.xml"
status_of "$PRUN" summary -f junit -o "$tmp/mid.xml" "$d"
validate "$tmp/mid.xml"
[ "$(xmllint --xpath 'string(//testcase[@name="slow"]/error/@type)' \
    "$tmp/mid.xml")" = incomplete ] || fail "the killed test is not an error"
[ "$(xmllint --xpath 'string(//testcase[@name="after"]/skipped/@type)' \
    "$tmp/mid.xml")" = notrun ] || fail "the test never run is not skipped"

# The backend is part of the plan: it may not change on resume.
status_of "$PRUN" run --resume "$d" --backend json
[ "$st" = 2 ] || fail "resume with --backend exited $st, not 2"

touch "$d/go"
status_of "$PRUN" run --resume "$d" --progress none 2>"$tmp/stderr"
[ "$st" = 0 ] || fail "the resumed run exited $st, not 0"
! grep -q 'not a fragment' "$tmp/stderr" ||
    fail "resume took the XML fragments for strangers: $(cat "$tmp/stderr")"
[ "$(wc -l <"$d/first.count")" = 1 ] || fail "the finished test ran again"
[ "$(wc -l <"$d/slow.count")" = 2 ] || fail "the killed test did not run again"
[ "$(wc -l <"$d/after.count")" = 1 ] || fail "the last test did not run once"
! ls "$d/tests" | grep -qv '\.xml$' || fail "a resume wrote a non-XML fragment"
validate "$d"/tests/*.xml
"$PRUN" summary -f junit -o "$tmp/end.xml" "$d"
validate "$tmp/end.xml"
[ "$(xmllint --xpath 'string(//testsuite/@tests)' "$tmp/end.xml")" = 3 ] ||
    fail "the report does not count 3 tests"
[ "$(xmllint --xpath 'count(//testcase/*[self::failure or self::error or self::skipped])' "$tmp/end.xml")" = 0 ] ||
    fail "the report of the resumed run is not all pass"
"$PRUN" summary -f json "$d" | grep -q '"attempt":2' ||
    fail "the rerun of the killed test is not attempt 2"
exit 0
