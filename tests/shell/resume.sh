#!/bin/sh
# resume.sh: prun run --resume DIR as prun(1), RESUME, promises it.
#  - the plan and options come from metadata.json; a directory that is not
#    prun's, or whose metadata.json is damaged, is refused with exit 2 and
#    a message naming the file;
#  - every fragment is read: an unparsable one, or one holding another
#    test, is reported, ignored and its test run again; stray temporary
#    files go; unknown files are named and left alone;
#  - finished results are never run again nor rewritten;
#  - an incomplete test runs again while its attempts are below
#    --max-attempts (default 2; --no-retry: 1), else stays incomplete;
#  - resuming a finished run does nothing and exits with its status;
#  - a directory left by a run that died before metadata.json was written
#    can be started again with -o, and only such a one.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"

# same_report A B: the TAP reports of two results directories agree.
same_report()
{
	"$PRUN" summary -f tap "$1" >"$T/report.a" 2>&1
	"$PRUN" summary -f tap "$2" >"$T/report.b" 2>&1
	cmp -s "$T/report.a" "$T/report.b" ||
	    fail "report of $2 differs from $1: $(diff "$T/report.a" \
	    "$T/report.b")"
}

# field DIR NAME KEY: KEY of test NAME's fragment in DIR.
field()
{
	jget "$(fragment "$1" "$2")" "str(d.get('$3'))"
}

# mkstart DIR NAME ATTEMPT [interrupted]: turn NAME's result into a start
# record of that attempt, as a death (or a stop) during it leaves.
mkstart()
{
	python3 -S -c '
import json, sys
p, attempt, intr = sys.argv[1], int(sys.argv[2]), len(sys.argv) > 3
with open(p) as f:
    d = json.load(f)
d.update(result="incomplete", attempt=attempt)
if intr:
    d["interrupted"] = True
with open(p, "w") as f:
    json.dump(d, f)
' "$(fragment "$1" "$2")" "$3" ${4:+"$4"} || fail "mkstart $*"
}

cat >suite.list <<'EOF'
s/pass0 exec true
s/fail1 exit 1
s/skip2 exit 77
s/pass3 exec true
s/pass4 exec true
s/fail5 exit 1
EOF
cat >good.list <<'EOF'
g/pass0 exec true
g/skip1 exit 77
EOF

expect_exit 1 "$PRUN" run -j2 -q -o ref suite.list
expect_exit 0 "$PRUN" run -j2 -q -o good good.list

note "resuming a finished run does nothing and exits with its status"
cp -r ref done
ls -l --time-style=+%s.%N done/tests >before
expect_exit 1 "$PRUN" run --resume done -q
ls -l --time-style=+%s.%N done/tests >after
cmp -s before after || fail "resuming a finished run touched its fragments"
expect_exit 0 "$PRUN" run --resume good -q
same_report ref done
# Not quiet: the closing line alone (a stale note once came before it).
expect_exit 1 "$PRUN" run --resume done
check "stderr of a finished run's resume" 1 "$(wc -l <"$T/err")"
check_grep "its counts" "prun: 6/6 tests in .*: 3 pass, 2 fail, 1 skip" "$T/err"

note "not a results directory, or a damaged metadata.json: exit 2"
mkdir empty
expect_exit 2 "$PRUN" run --resume empty
check_grep "no plan" "empty: not a prun results directory (no metadata.json" \
    "$T/err"
expect_exit 2 "$PRUN" run --resume nosuchdir
check_grep "missing directory" "nosuchdir" "$T/err"
for damage in truncate junk array symlink fifo; do
	cp -r ref "m-$damage"
	m="m-$damage/metadata.json"
	case $damage in
	truncate) head -c 100 ref/metadata.json >"$m" ;;
	junk) printf 'hello\n' >"$m" ;;
	array) printf '[1, 2]\n' >"$m" ;;
	symlink) rm "$m"; ln -s ../ref/metadata.json "$m" ;;
	fifo) rm "$m"; mkfifo "$m" ;;
	esac
	expect_exit 2 "$PRUN" run --resume "m-$damage"
	check_grep "$damage metadata.json named" "m-$damage/metadata.json" \
	    "$T/err"
	expect_exit 2 "$PRUN" summary "m-$damage"
	check_grep "$damage metadata.json named" "m-$damage/metadata.json" \
	    "$T/err"
done

note "the plan and its options come from metadata.json alone"
expect_exit 2 "$PRUN" run --resume ref -o elsewhere
expect_exit 2 "$PRUN" run --resume ref suite.list
expect_exit 2 "$PRUN" run --resume ref --timeout 5
check_grep "where the plan is" "metadata.json" "$T/err"

note "an unparsable fragment, and another test's: reported, run again"
cp -r ref dmg
printf '{"format":"prun-fr' >dmg/tests/000001.json
cp dmg/tests/000000.json dmg/tests/000004.json
cp dmg/tests/000000.json keep0
expect_exit 1 "$PRUN" run --resume dmg -v
check_grep "unparsable named" "dmg/tests/000001.json" "$T/err"
check_grep "another test's named" "dmg/tests/000004.json" "$T/err"
check_grep "unparsable rerun" "fail: s/fail1" "$T/err"
check_grep "another test's rerun" "pass: s/pass4" "$T/err"
cmp -s keep0 dmg/tests/000000.json || fail "a finished fragment was rewritten"
check_results_valid dmg
same_report ref dmg

note "stray temporary files are removed; unknown files named, left alone"
cp -r ref stray
: >stray/.metadata.json.tmp
: >stray/tests/.000002.json.tmp
: >stray/tests/notes.txt
cp stray/tests/000000.json stray/tests/000099.json
expect_exit 1 "$PRUN" run --resume stray
check_true "temporary file in DIR removed" test ! -e stray/.metadata.json.tmp
check_true "temporary file in tests/ removed" \
    test ! -e stray/tests/.000002.json.tmp
check_true "unknown file kept" test -e stray/tests/notes.txt
check_grep "unknown file named" "stray/tests/notes.txt: not a fragment" \
    "$T/err"
check_grep "stray fragment named" "stray/tests/000099.json: not a fragment" \
    "$T/err"

note "start records run again while attempts < --max-attempts"
cp -r ref inc1
mkstart inc1 s/pass3 1
expect_exit 1 "$PRUN" run --resume inc1 -v
check "attempt 1 run again" pass "$(field inc1 s/pass3 result)"
check "its rerun is attempt 2" 2 "$(field inc1 s/pass3 attempt)"
same_report ref inc1

cp -r ref inc2
mkstart inc2 s/pass3 2
mkstart good g/pass0 2
expect_exit 1 "$PRUN" run --resume inc2 -v
check "attempt 2 of 2 given up" incomplete "$(field inc2 s/pass3 result)"
expect_exit 1 "$PRUN" run --resume good
check "attempt 2 of 2 given up" incomplete "$(field good g/pass0 result)"
expect_exit 1 "$PRUN" run --resume inc2 --max-attempts 3
check "--max-attempts 3 runs it" pass "$(field inc2 s/pass3 result)"
check "as attempt 3" 3 "$(field inc2 s/pass3 attempt)"
same_report ref inc2

cp -r ref inc3
mkstart inc3 s/pass3 1
expect_exit 1 "$PRUN" run --resume inc3 --no-retry
check "--no-retry gives attempt 1 up" incomplete \
    "$(field inc3 s/pass3 result)"

note "an attempt stopped by prun itself does not count"
cp -r ref intr
mkstart intr s/pass3 2 interrupted
expect_exit 1 "$PRUN" run --resume intr
check "an interrupted attempt 2 runs again" pass \
    "$(field intr s/pass3 result)"
check "under the same number" 2 "$(field intr s/pass3 attempt)"

note "a run that died before metadata.json: -o starts it over"
mkdir -p left/tests
: >left/.metadata.json.tmp
expect_exit 1 "$PRUN" run -j2 -q -o left suite.list
same_report ref left
# ... but never over a run, nor over files prun did not write.
expect_exit 2 "$PRUN" run -q -o ref suite.list
check_grep "a run is pointed to --resume" "use --resume ref" "$T/err"
mkdir -p foreign/tests
: >foreign/tests/000000.json
expect_exit 2 "$PRUN" run -q -o foreign suite.list
check_grep "foreign files refused" "foreign: results directory is not empty" \
    "$T/err"
note "all checks passed"
