#!/bin/sh
# repeat.sh: prun run --repeat N runs each test N times, each repetition
# a start of its own (PRUN_ATTEMPT 1..N); the test's status is the worst
# of them, its output and exit those of the first failing one (else the
# last); the fragment keeps every repetition's status, exit and duration,
# and the output of the first failing and of the last only.  --until-fail
# stops at the first failure.  --repeat is frozen for a resume, which
# runs a test cut short by a crash from its first repetition again; it
# cannot go with --rerun-failures, nor --until-fail without it (issue 13,
# item 4).  Both backends.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"

# A test that fails on its 3rd run (a counter file per results dir), one
# that always passes; both log the PRUN_ATTEMPT they saw.
cat >t.list <<'EOF2'
third n=$(cat "$PRUN_RESULTS_DIR/n" 2>/dev/null || echo 0); n=$((n+1)); echo $n >"$PRUN_RESULTS_DIR/n"; echo $PRUN_ATTEMPT >>"$PRUN_RESULTS_DIR/third.log"; echo "out $n"; echo "err $n" >&2; [ $n -ne 3 ]
pass echo $PRUN_ATTEMPT >>"$PRUN_RESULTS_DIR/pass.log"; echo "pass $PRUN_ATTEMPT"
EOF2

for b in json junit; do
	note "--repeat 5, backend $b: fail on the 3rd of 5"
	expect_exit 1 "$PRUN" run -q -j1 --backend "$b" --repeat 5 -o "r$b" \
	    t.list
	check "$b: starts of third" "1 2 3 4 5" "$(echo $(cat r$b/third.log))"
	check "$b: starts of pass" "1 2 3 4 5" "$(echo $(cat r$b/pass.log))"
	expect_exit 1 "$PRUN" summary -f json -o "r$b.json" "r$b"
	expect_exit 1 "$PRUN" summary -f junit -o "r$b.xml" "r$b"
	check_grep "$b: the option in the junit report" \
	    'name="prun.repeat" value="5"' "r$b.xml"
	expect_exit 1 "$PRUN" summary -f text "r$b"
	check_grep "$b: text reason" \
	    'third: exit status 1; failed 1 of 5 repetitions' "$T/out"
	pycheck "r$b.json" <<'PY'
t = load(sys.argv[1])["tests"]
expect("third", ("fail", 1, "out 3\n", "err 3\n"),
       (t["third"]["result"], t["third"]["returncode"], t["third"]["out"],
        t["third"]["err"]))
expect("third's repetitions", {"count": 5, "failed": 1, "results":
       ["pass", "pass", "fail", "pass", "pass"]}, t["third"]["repetitions"])
expect("pass", ("pass", "pass 5\n"), (t["pass"]["result"], t["pass"]["out"]))
expect("pass's repetitions", {"count": 5, "failed": 0, "results":
       ["pass"] * 5}, t["pass"]["repetitions"])
PY
done

note "the JSON fragment: output of the 3rd and the 5th only"
pycheck rjson <<'PY'
r = frag(sys.argv[1], "third")["repetitions"]
expect("statuses", ["pass", "pass", "fail", "pass", "pass"],
       [x["result"] for x in r])
expect("exits", [0, 0, 1, 0, 0], [x["returncode"] for x in r])
expect("durations", [True] * 5,
       [isinstance(x["duration"], float) and x["duration"] >= 0 for x in r])
expect("out kept", [None, None, "out 3\n", None, "out 5\n"],
       [x.get("out") for x in r])
expect("err kept", [None, None, "err 3\n", None, "err 5\n"],
       [x.get("err") for x in r])
PY
check "attempt of third (no crash)" 1 "$(attempt_of rjson third)"
note "the XML fragment: the same"
x=rjunit/tests/000000.xml
for k in 0 1 3; do
	check_no_grep "rep $k's output" "name=\"prun\\.rep\\.$k\\.out\"" "$x"
done
check_grep "rep 2's output" 'name="prun\.rep\.2\.out"' "$x"
check_grep "rep 4's output" 'name="prun\.rep\.4\.out"' "$x"

note "--until-fail: stops at the 3rd"
expect_exit 1 "$PRUN" run -q -j1 --repeat 5 --until-fail --events u.events \
    -o u t.list
check "starts of third" "1 2 3" "$(echo $(cat u/third.log))"
check "starts of pass (no failure)" "1 2 3 4 5" "$(echo $(cat u/pass.log))"
check "third's repetitions" 3 "$(jget "$(fragment u third)" \
    'len(d["repetitions"])')"
check "third's output" "out 3" "$(jget "$(fragment u third)" 'd["out"]')"
pycheck u.events <<'PY'
ev = [json.loads(l) for l in open(sys.argv[1])]
expect("the event stream: a start each, one end",
       [("test-start", 1), ("test-start", 2), ("test-start", 3),
        ("test-end", 3)],
       [(e["event"], e["attempt"]) for e in ev if e.get("name") == "third"])
PY

# Under valgrind, posix_spawn's vfork runs as a fork, which cannot hand
# an exec failure back (see env.sh): the child exits 127 there instead.
case $PRUN in
*valgrind*)
	note "an exec failure: not seen under valgrind" ;;
*)
	note "a program gone after its first run: the exec failure ends them"
	printf '#!/bin/sh\nrm -f "$0"\necho ran\n' >gone.sh
	chmod +x gone.sh
	echo "gone $T/gone.sh" >g.list
	expect_exit 1 "$PRUN" run -q -j1 --repeat 4 -o g g.list
	pycheck g <<'PY'
f = frag(sys.argv[1], "gone")
expect("status", "fail", f["result"])
expect("repetitions", ["pass", "fail"],
       [x["result"] for x in f["repetitions"]])
expect("the reason kept", True, "cannot execute" in f["err"])
expect("output kept of the failing last only", [False, True],
       ["err" in x for x in f["repetitions"]])
PY
	;;
esac

note "--repeat 1 is a plain run"
expect_exit 0 "$PRUN" run -q -j1 --repeat 1 -o one t.list
check "no repetitions kept" "None" "$(jget "$(fragment one pass)" \
    'str(d.get("repetitions"))')"

note "usage errors: exit 2, nothing run"
expect_exit 2 "$PRUN" run -q --repeat 3 --rerun-failures 2 -o e1 t.list
check_grep "says why" '--repeat and --rerun-failures' "$T/err"
expect_exit 2 "$PRUN" run -q --until-fail -o e2 t.list
check_grep "says why" '--until-fail needs --repeat' "$T/err"
expect_exit 2 "$PRUN" run -q --repeat 0 -o e3 t.list
expect_exit 2 "$PRUN" run -q --repeat x -o e4 t.list
for d in e1 e2 e3 e4; do
	check_true "nothing run in $d" [ ! -e "$d" ]
done

note "a crash of prun in the middle: the resume repeats from the first"
# Start 2 takes prun down; the resume (one attempt more) runs the test's
# three repetitions again, as metadata.json says.
cat >k.list <<'EOF2'
k echo $PRUN_ATTEMPT >>"$PRUN_RESULTS_DIR/k.log"; [ $PRUN_ATTEMPT != 2 ] || kill -KILL $PPID
EOF2
expect_exit 137 "$PRUN" run -q -j1 --repeat 3 -o k k.list
check "frozen" 3 "$(jget k/metadata.json 'd["options"]["repeat"]')"
expect_exit 2 "$PRUN" run -q --resume k --repeat 2
expect_exit 0 "$PRUN" run -q --resume k
check "starts of k" "1 2 3 4 5" "$(echo $(cat k/k.log))"
check "k's repetitions" '["pass", "pass", "pass"]' "$(jget "$(fragment k k)" \
    '[x["result"] for x in d["repetitions"]]')"
check "attempt of k (one crash)" 2 "$(attempt_of k k)"
exit 0
