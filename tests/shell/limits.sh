#!/bin/sh
# limits.sh: low limits lower -j or refuse the run before anything
# starts, and a failure before a test's exec (pipes, fork) is prun's,
# not the test's: the run stops resumable, and nothing counts against
# the test (issue 12, item 6).  Before: with ulimit -n 12 and -j8, poll
# failed (EINVAL), prun exited 3 leaving 8 start records of tests that
# never ran, and two such runs later they were given up as incomplete;
# under a process limit 35 of 40 tests were recorded fail ("cannot
# execute /bin/sh: Resource temporarily unavailable").  Root ignores
# ulimit -u, so the process limit is a pids cgroup (v1 or v2).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

# valgrind holds descriptors and processes of its own: the limits it runs
# under are not the ones prun sees.
case $PRUN in
*valgrind*) skip "the limits are valgrind's, not prun's" ;;
esac

cd "$T" || fail "cd $T"
i=1
while [ $i -le 40 ]; do
	echo "t/$i echo \$PRUN_ATTEMPT >>$T/attempts.$i"
	i=$((i + 1))
done >l40

note "ulimit -n 12, -j8: refused, naming the limit, nothing started"
(ulimit -n 12 && exec "$PRUN" run -j8 -o r l40) >out 2>err
check "exit status under ulimit -n 12" 2 "$?"
check_grep "the limit is named" "open-file limit (ulimit -n 12)" err
check_grep "the resume is said" "prun run --resume r" err
check "start records" "" "$(ls -A r/tests 2>/dev/null | grep -v '^\.started$')"
check "fragments" "" "$(ls r/tests)"
# Twice more (a CI retry), then a resume with room: no test lost.
for k in 1 2; do
	(ulimit -n 12 && exec "$PRUN" run --resume r) >out 2>err
	check "resume $k under ulimit -n 12" 2 "$?"
done
expect_exit 0 "$PRUN" run -q --resume r
check "statuses" "pass" "$(statuses r | cut -d' ' -f2 | sort -u)"
check "attempts" "1" "$(cat attempts.* | sort -u)"

note "ulimit -n 24, -j8: -j lowered, said so, every test run"
rm -f attempts.*
(ulimit -n 24 && exec "$PRUN" run --progress none -j8 -o r24 l40) >out 2>err
check "exit status under ulimit -n 24" 0 "$?"
check_grep "-j lowered" "^prun: -j 8 lowered to [1-9]: the open-file limit (ulimit -n 24)" err
check "statuses" "pass" "$(statuses r24 | cut -d' ' -f2 | sort -u)"

# The pids cgroup: v1's pids hierarchy, or v2 with pids enabled.
CG=
if [ -w /sys/fs/cgroup/pids ] && [ -f /sys/fs/cgroup/pids/cgroup.procs ]; then
	CG=/sys/fs/cgroup/pids/prun-limits.$$
elif grep -qw pids /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
	CG=/sys/fs/cgroup/prun-limits.$$
fi
[ -n "$CG" ] && mkdir "$CG" 2>/dev/null || skip "no pids cgroup to make here"
cleanup_more()
{
	for _p in $(cat "$CG/cgroup.procs" 2>/dev/null); do
		kill -KILL "$_p" 2>/dev/null
	done
	sleep 0.2
	rmdir "$CG" 2>/dev/null
}
# in_cgroup MAX CMD...: run CMD alone in the cgroup, pids.max MAX.
in_cgroup()
{
	echo "$1" >"$CG/pids.max" || fail "cannot set $CG/pids.max"
	shift
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG" "$@"
}

note "pids.max 4: refused, naming the cgroup's limit"
in_cgroup 4 "$PRUN" run -j8 -o p4 l40 >out 2>err
check "exit status under pids.max 4" 2 "$?"
check_grep "the limit is named" "pids.max.*too low to run even one test" err

note "pids.max 12, -j8: -j lowered, every test run"
rm -f attempts.*
in_cgroup 12 "$PRUN" run --progress none -j8 -o p12 l40 >out 2>err
check "exit status under pids.max 12" 0 "$?"
check_grep "-j lowered" "^prun: -j 8 lowered to [1-9]: .*pids.max" err
check "statuses" "pass" "$(statuses p12 | cut -d' ' -f2 | sort -u)"

note "a test that takes every process left: the next fork fails"
rm -f attempts.*
# It forks whenever the limit lets it, for a while (so a process that
# ends leaves its pid to the hog, not to prun), then lets them all go.
cat >hog <<'EOF'
#!/usr/bin/env python3
import os, time
end = time.time() + 1.5
while time.time() < end:
    try:
        if os.fork() == 0:
            time.sleep(max(end - time.time(), 0) + 0.5)
            os._exit(0)
    except OSError:
        time.sleep(0.0005)
time.sleep(0.6)
EOF
chmod +x hog
{
	echo "a/hog $T/hog"
	sed 's/$/; exec sleep 0.1/' l40
} >hog.list
in_cgroup 16 "$PRUN" run --progress none -j3 -o h hog.list >out 2>err
check "exit status when fork fails" 3 "$?"
check_grep "prun's failure, named" "cannot start a process for it (the process limit" err
pycheck h <<'PY'
d = sys.argv[1]
for i, f in fragments(d).items():
    expect("%s: not failed by prun's fork" % f["name"], False,
           "Resource temporarily unavailable" in f["err"])
cut = [l for l in start_lines(d) if l[3]]
expect("some start marked cut short", True, len(cut) > 0)
PY
expect_exit 0 "$PRUN" run -q --resume h
check "statuses after the resume" "pass" \
    "$(statuses h | cut -d' ' -f2 | sort -u)"
pycheck h <<'PY'
d = sys.argv[1]
for i, f in fragments(d).items():
    expect("%s: attempt (nothing counted)" % f["name"], 1, f["attempt"])
PY
