#!/bin/sh
# kill9.sh: SIGKILL prun at random moments of a run, resuming each time.
# No final name may ever hold a partial or unparsable file, a finished
# result is never rewritten, resumes remove the temporaries, no test is
# lost and none runs twice unless it was running at a kill, and the run
# ends with the statuses of an uninterrupted run.  Then a test that kills
# prun itself (no reboot loop) and a damaged fragment.  About 10-30 s.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

N=40
KILLS=${KILLS:-30}
# make_list LOG: 40 short deterministic tests that log each start to LOG,
# outside the results.
make_list()
{
	i=1
	while [ $i -le $N ]; do
		n=$(printf '%02d' $i)
		case $((i % 4)) in
		0) end="exit 1" ;;
		1) end="exit 77" ;;
		2) end="echo 'PIGLIT: {\"result\": \"warn\"}'" ;;
		*) end="echo done" ;;
		esac
		echo "k/$n echo $n >>$1; sleep 0.1; $end"
		i=$((i + 1))
	done
}
make_list "$T/log" >"$T/k.list"
make_list /dev/null >"$T/whole.list"

# Random delays before each kill, from a seed printed for a rerun; the
# first ones fall in prun's start-up (the plan not yet written, or a
# resume reading the fragments).
SEED=${SEED:-$$}
note "seed $SEED, $KILLS kills"
awk -v seed="$SEED" -v n="$KILLS" 'BEGIN { srand(seed);
    for (i = 0; i < n; i++) printf "%.3f\n", rand() * (i < 5 ? 0.01 : 0.12) }' \
    >"$T/delays"

R=$T/r
k=0
while read -r delay; do
	if [ -e "$R/metadata.json" ]; then
		"$PRUN" run --resume "$R" >/dev/null 2>"$T/err.$k" &
	else
		"$PRUN" run -j 2 --max-attempts 1000 -o "$R" "$T/k.list" \
		    >/dev/null 2>"$T/err.$k" &
	fi
	pid=$!
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	reap "$pid"
	case $rc in
	137)	;;
	0|1)	note "the run ended before kill $k"
		break ;;
	*)	cat "$T/err.$k" >&2
		fail "prun exited $rc before kill $k (after $delay s)" ;;
	esac
	# What a crash left, to check once at the end (python is slow).
	[ -d "$R" ] && cp -R "$R" "$T/snap.$k"
	k=$((k + 1))
done <"$T/delays"

# Finish the run, twice: the second resume has nothing to do.
note "$k kills; resuming to the end"
expect_exit 1 "$PRUN" run --resume "$R"
expect_exit 1 "$PRUN" run --resume "$R"
check "temporaries after resume" "" "$(ls -A "$R" "$R/tests" | grep '^\.' | grep -v '^\.started$')"
# Tests of the last attempts may still write their log line.
sleep 0.3

expect_exit 1 "$PRUN" run --fsync never -j 2 -o "$T/whole" "$T/whole.list"
check "statuses after $k kills" "$(statuses "$T/whole")" "$(statuses "$R")"

pycheck "$T" "$k" "$N" <<'EOF'
T, kills, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
R = T + "/r"
final = {}
for n in os.listdir(R + "/tests"):
    if n != ".started":     # the start records' anchor (store.c rule 11)
        final[n] = open(R + "/tests/" + n, "rb").read()
expect("final fragments", N, len(final))
# How often each test may have run: once, plus once for each kill that
# found it started (a start record: an entry in tests/, or an incomplete
# fragment) but not finished.
allowed = {"%02d" % i: 1 for i in range(1, N + 1)}
temporaries = 0
for k in range(kills):
    S = "%s/snap.%d" % (T, k)
    if not os.path.exists(S + "/metadata.json"):
        # Killed before the plan was written: no fragment may exist.
        expect("snap %d: fragments without a plan" % k, [],
               os.listdir(S + "/tests") if os.path.isdir(S + "/tests")
               else [])
        continue
    plan = names(S)
    have = {int(n[:-5]) for n in os.listdir(S + "/tests")
            if not n.startswith(".")}
    # A test started by the log and not recorded.
    for i in starts(S):
        if i not in have:
            allowed[plan[i][2:]] += 1
    for n in os.listdir(S + "/tests"):
        if n.startswith("."):
            # Temporaries and start records (counted by starts() above).
            temporaries += 1
            continue
        raw = open(S + "/tests/" + n, "rb").read()
        try:
            f = json.loads(raw.decode("utf-8"))
        except ValueError as e:
            expect("snap %d: %s parses" % (k, n), "", str(e))
            continue
        i = int(n[:-5])
        expect("snap %d: %s name" % (k, n), plan[i], f["name"])
        if f["result"] == "incomplete":
            allowed[plan[i][2:]] += 1
        else:
            expect("snap %d: finished %s never rewritten" % (k, n),
                   raw, final[n])
runs = {}
for line in open(T + "/log"):
    runs[line.strip()] = runs.get(line.strip(), 0) + 1
for t, a in sorted(allowed.items()):
    n = runs.get(t, 0)
    if not 1 <= n <= a:
        expect("runs of k/%s (at most %d)" % (t, a), a, n)
print("kill9: %d kills, %d temporaries seen, %d reruns" %
      (kills, temporaries, sum(runs.values()) - N))
EOF

# A test that takes prun down with it (as one that crashes the machine
# would) runs again once, then stays incomplete: no reboot loop.
note "a test that kills prun"
cat >"$T/m.list" <<EOF
m/before exec true
m/killer echo run >>$T/killer.log; kill -KILL \$PPID; exec sleep 0.2
m/after exec true
EOF
expect_exit 137 "$PRUN" run -j 1 -o "$T/m" "$T/m.list"
check "killed at attempt 1" "m/before pass m/killer incomplete m/after notrun" \
    "$(statuses "$T/m" | tr '\n' ' ' | sed 's/ $//')"
cp -R "$T/m" "$T/m1"
expect_exit 137 "$PRUN" run --resume "$T/m"
expect_exit 1 "$PRUN" run --resume "$T/m"
check "given up after 2 attempts" "m/before pass m/killer incomplete m/after pass" \
    "$(statuses "$T/m" | tr '\n' ' ' | sed 's/ $//')"
check "the killer ran twice" 2 "$(wc -l <"$T/killer.log")"
check "attempt" 2 "$(attempt_of "$T/m" m/killer)"
# --no-retry gives up at once.
expect_exit 1 "$PRUN" run --resume "$T/m1" --no-retry
check "--no-retry" "m/before pass m/killer incomplete m/after pass" \
    "$(statuses "$T/m1" | tr '\n' ' ' | sed 's/ $//')"
check "the killer did not run again" 2 "$(wc -l <"$T/killer.log")"

# What a disk or a crash may leave: a damaged fragment is named, ignored
# and its test run again; stray temporaries are removed.
note "a damaged fragment and temporaries"
printf '{"format": "prun-fr' >"$(fragment "$T/m" m/before)"
: >"$T/m/tests/.000002.json.tmp"
expect_exit 1 "$PRUN" run --resume "$T/m"
check_grep "damaged fragment named" "$T/m/tests/000000.json" "$T/err"
check "rerun" "m/before pass m/killer incomplete m/after pass" \
    "$(statuses "$T/m" | tr '\n' ' ' | sed 's/ $//')"
check "temporaries removed" "" "$(ls -A "$T/m/tests" | grep '\.tmp$')"
# The killer gave up (incomplete): its start record (start 2, attempt 2)
# is what says so, and stays.
check "the killer's start record stays" 1 \
    "$(ls -A "$T/m/tests" | grep -c '^\.000001\.2\.2\.[0-9]*\.start$')"
exit 0
