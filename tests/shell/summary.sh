#!/bin/sh
# summary.sh: prun summary in every format, -o FILE written atomically,
# missing and damaged fragments, a run still going, shards of one plan
# merged, a test in two shards, and directories of different plans.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
cat >s.list <<EOF
g1/pass echo fine
g1/fail echo bad >&2; exit 1
g1/sub/skip exit 77
g1/sub/warn echo 'PIGLIT: {"result": "warn"}'
g2/crash exec sh -c 'kill -SEGV \$\$'
g2/timeout exec sleep $LONG
g2/tap printf '1..3\nok 1 a\nnot ok 2 b\nok 3 c # SKIP\n'
top exec true
EOF
expect_exit 1 "$PRUN" run --fsync never -j 4 --timeout 1 -o r s.list

note "json"
expect_exit 1 "$PRUN" summary -f json r
cp out r.json
check "stderr" "" "$(cat err)"
pycheck "$T" <<'EOF'
T = sys.argv[1]
d = load(T + "/r.json")
expect("results_version", 10, d["results_version"])
expect("__type__", "TestrunResult", d["__type__"])
expect("name", "r", d["name"])
for k in ("name", "options", "info", "time_elapsed", "tests", "totals"):
    expect("key " + k, True, k in d)
expect("time_elapsed", True,
       d["time_elapsed"]["start"] <= d["time_elapsed"]["end"])
expect("options.argv", ["run", "--fsync"], d["options"]["argv"][1:3])
m = md(T + "/r")
expect("info hostname", m["host"]["hostname"], d["info"]["hostname"])
expect("info uname", m["host"]["uname"], d["info"]["system"]["uname"])
want = {"g1/pass": ("pass", 0), "g1/fail": ("fail", 1),
        "g1/sub/skip": ("skip", 77), "g1/sub/warn": ("warn", 0),
        "g2/crash": ("crash", -11), "g2/timeout": ("timeout", -15),
        "g2/tap": ("fail", 0), "top": ("pass", 0)}
expect("test names", sorted(want), sorted(d["tests"]))
for n, (s, rc) in want.items():
    t = d["tests"][n]
    f = frag(T + "/r", n)
    expect(n + " result", s, t["result"])
    expect(n + " returncode", rc, t["returncode"])
    for k in ("out", "err", "command"):
        expect(n + " " + k, f[k], t[k])
    expect(n + " pid", [f["pid"]], t["pid"])
    expect(n + " time", (f["time"]["start"], f["time"]["end"]),
           (t["time"]["start"], t["time"]["end"]))
    expect(n + " subtests", dict(f["subtests"], __type__="Subtests"),
           t["subtests"])
expect("err of fail", "bad\n", d["tests"]["g1/fail"]["err"])
expect("tap subtests", {"__type__": "Subtests", "a": "pass", "b": "fail",
       "c": "skip"}, d["tests"]["g2/tap"]["subtests"])
statuses = ["pass", "fail", "warn", "crash", "skip", "dmesg-warn",
            "dmesg-fail", "timeout", "notrun", "incomplete"]
def totals(**kw):
    t = {s: 0 for s in statuses}
    t.update(kw)
    t["__type__"] = "Totals"
    return t
# A test with subtests counts its subtests (as piglit does).
expect("totals", {
    "root": totals(**{"pass": 3, "fail": 2, "skip": 2, "warn": 1,
                   "crash": 1, "timeout": 1}),
    "g1": totals(**{"pass": 1, "fail": 1, "skip": 1, "warn": 1}),
    "g1/sub": totals(skip=1, warn=1),
    "g2": totals(**{"pass": 1, "fail": 1, "skip": 1, "crash": 1,
                 "timeout": 1}),
    "g2/tap": totals(**{"pass": 1, "fail": 1, "skip": 1}),
}, d["totals"])
EOF

note "text"
expect_exit 1 "$PRUN" summary r
cat >want <<'EOF'
fail       g1/fail: exit status 1
warn       g1/sub/warn
crash      g2/crash: killed by SIGSEGV
timeout    g2/timeout: timed out
fail       g2/tap: exit status 0; 1 of 3 subtests failed: b

pass              2
warn              1
skip              1
notrun            0
fail              2
timeout           1
crash             1
incomplete        0
total             8
EOF
# The slowest tests (their times vary) and the verdict are checked apart.
awk '/^slowest:$/ { exit } { print }' out | sed '$d' >got
diff -u want got >&2 || fail "text report differs from the above"
check "the five slowest, slowest first" \
    "g2/timeout" "$(sed -n '/^slowest:$/{n;p;}' out | sed 's/^ *[0-9.]* s //')"
check "five of them" 5 "$(sed -n '/^slowest:$/,/^FAILED/p' out | grep -c ' s ')"
check_grep "verdict" '^FAILED in [0-9.]* s$' out

note "tap"
expect_exit 1 "$PRUN" summary -f tap r
cp out r.tap
check "tap plan" "1..8" "$(grep -c '^\(not \)\{0,1\}ok ' r.tap | sed 's/^/1../')"
check_grep "tap plan line" '^1\.\.8$' r.tap
check_grep "tap fail" '^not ok 2 - g1/fail' r.tap
check_grep "tap skip" '^ok 3 - g1/sub/skip # SKIP' r.tap
check_grep "tap pass" '^ok 8 - top$' r.tap
if command -v prove >/dev/null 2>&1; then
	# prove reads the report through a wrapper "test".
	printf '#!/bin/sh\nexec "%s" summary -f tap "%s"\n' "$PRUN" "$T/r" \
	    >report.t
	timeout 60 prove --exec sh report.t >prove.out 2>&1
	check "prove exit status (failures)" 1 "$?"
	check_grep "prove counts" "Failed 4/8 subtests" prove.out
	check_no_grep "prove parses it" "Parse error" prove.out
	# All passing: prove passes.
	expect_exit 0 "$PRUN" run --fsync never -t pass -t skip -t top \
	    -o ok s.list
	printf '#!/bin/sh\nexec "%s" summary -f tap "%s"\n' "$PRUN" "$T/ok" \
	    >ok.t
	timeout 60 prove --exec sh ok.t >prove.out 2>&1 ||
	    { cat prove.out >&2; fail "prove rejects a passing report"; }
	check_grep "prove passes" "^Result: PASS" prove.out
else
	note "prove is not installed: the TAP is not checked by prove"
fi

note "-o FILE"
expect_exit 1 "$PRUN" summary -f json -o report.json r
check "-o: stdout" "" "$(cat out)"
cmp report.json r.json >&2 || fail "-o FILE differs from stdout"
check "-o: no temporaries" "" "$(ls -A | grep '^\.')"
echo old >report.txt
expect_exit 1 "$PRUN" summary -o report.txt r
check_grep "-o replaces the file" '^total  *8$' report.txt
check_no_grep "-o replaces all of it" '^old$' report.txt
expect_exit 3 "$PRUN" summary -o missing/report.txt r
check "-o into a missing directory" "" "$(ls -A missing 2>/dev/null)"
check "-o: no temporaries after an error" "" "$(ls -A | grep '^\.')"
expect_exit 1 "$PRUN" summary -f tap -o - r
cmp out r.tap >&2 || fail "-o - is stdout"

note "missing and damaged fragments"
cp -R r r2
# A crash after g1/fail's start record, before its result: the record
# is there, the fragment is not (a finished test keeps no start record).
f=$(fragment r2 g1/fail)
rm "$f"
f=$(basename "$f" .json)
: >"r2/tests/.$f.1.1.1000000.start"
printf '{"format": "prun-fragment", "ver' >"$(fragment r2 g2/crash)"
: >r2/tests/.000000.json.tmp
expect_exit 1 "$PRUN" summary -f json r2
cp out r2.json
check_grep "damaged fragment named" "$(fragment r2 g2/crash)" err
check "one warning" 1 "$(wc -l <err)"
pycheck "$T" <<'EOF'
T = sys.argv[1]
d, r = load(T + "/r2.json"), load(T + "/r.json")
# Its start record is there: started, never recorded.
expect("deleted: incomplete", "incomplete", d["tests"]["g1/fail"]["result"])
expect("deleted: attempt", 1, d["tests"]["g1/fail"]["attempt"])
expect("damaged: left out", "notrun", d["tests"]["g2/crash"]["result"])
expect("damaged counted", 1, d["prun"]["damaged"])
for n in r["tests"]:
    if n not in ("g1/fail", "g2/crash"):
        expect(n + " reported as before", r["tests"][n], d["tests"][n])
EOF
expect_exit 1 "$PRUN" summary r2
check_grep "text: notrun" '^notrun  *1$' out
check_grep "text: incomplete" '^incomplete  *1$' out
check_grep "text: damaged" '^damaged  *1$' out

note "a run still going"
cat >going.list <<EOF
w/first exec true
w/block touch $T/started; while [ ! -e $T/go ]; do sleep 0.05; done
w/last exec true
EOF
"$PRUN" run --fsync never -j 1 -o going going.list 2>/dev/null &
pid=$!
wait_for 30 test -e started || fail "w/block did not start"
expect_exit 1 "$PRUN" summary going
# A start record while a prun holds the directory: running, not
# incomplete (issue 12 item 13).
check_grep "running, not incomplete" '^running  *w/block$' out
check_grep "counted as running" '^running  *1$' out
check_grep "none incomplete" '^incomplete  *0$' out
check_grep "not started: notrun" '^notrun  *w/last: never started$' out
check_grep "done: pass" '^pass  *1$' out
# Only one prun writes a results directory at a time.
expect_exit 2 "$PRUN" run --resume going
check_grep "one writer" "another prun is writing" err
touch go
reap "$pid"
check "the run went on" 0 "$rc"
expect_exit 0 "$PRUN" summary going
check_grep "then: all pass" '^pass  *3$' out

note "shards of one plan"
cp -R r a
cp -R r b
# Each shard started only its own tests: drop the whole run's start
# records (a finished run has none left; the anchor stays).
rm -f a/tests/.0* b/tests/.0*
for f in a/tests/*.json; do
	n=$(basename "$f" .json)
	case $n in
	*[02468]) rm "b/tests/$n.json" ;;
	*) rm "a/tests/$n.json" ;;
	esac
done
expect_exit 1 "$PRUN" summary -f json a b
cp out ab.json
check "merged: stderr" "" "$(cat err)"
pycheck "$T" <<'EOF'
T = sys.argv[1]
ab, r = load(T + "/ab.json"), load(T + "/r.json")
expect("merged tests", r["tests"], ab["tests"])
expect("merged totals", r["totals"], ab["totals"])
expect("shards", 2, ab["prun"]["shards"])
EOF
cp "r/tests/000001.json" "a/tests/"
expect_exit 1 "$PRUN" summary -f json a b
cp out dup.json
check_grep "duplicate named" "g1/fail.*a.*b" err
pycheck "$T" <<'EOF'
T = sys.argv[1]
d = load(T + "/dup.json")
expect("duplicates", 1, d["prun"]["duplicates"])
expect("duplicate in the report", True,
       "g1/fail has results in both" in d["tests"]["g1/fail"]["err"])
EOF
# A duplicate fails the summary even if every test passed.
cp -R ok ok2
expect_exit 1 "$PRUN" summary ok ok2
check_grep "text: duplicates" '^duplicate  *3$' out

note "directories of different plans"
expect_exit 1 "$PRUN" run --fsync never -t fail -o other s.list
expect_exit 2 "$PRUN" summary r other
check_grep "other plan refused" "other.*another plan.*r" err
check "nothing written" "" "$(cat out)"
exit 0
