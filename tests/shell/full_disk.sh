#!/bin/sh
# full_disk.sh: a disk that fills up must not cost attempts, however
# often the run is resumed while it is still full (issue 12, item 7).
# A chatty suite logs to the disk that holds its results, a 4 MB tmpfs,
# until neither a result nor a mark of an attempt cut short fits (exit
# 3); it is resumed twice while still full (a CI retry); the tmpfs is
# grown and resumed: no test may end incomplete, and no start prun cut
# short counts.  Before: 5 tests that each ran to completion twice ended
# incomplete.  The marks go into space the start log reserved ahead
# (src/store/store.c rule 11).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"
mkdir "$T/fs" || fail "mkdir"
mount -t tmpfs -o size=4m tmpfs "$T/fs" 2>/dev/null ||
    skip "cannot mount a tmpfs here"
cleanup_more()
{
	umount "$T/fs" 2>/dev/null
}
cd "$T" || fail "cd $T"

i=1
while [ $i -le 30 ]; do
	echo "c/$i head -c 300000 /dev/zero >>$T/fs/log; echo chat"
	i=$((i + 1))
done >chatty.list

expect_exit 3 "$PRUN" run -q -j4 -o fs/r chatty.list
check_grep "the disk is full" "No space left on device" err
for k in 1 2; do
	expect_exit 3 "$PRUN" run -q --resume fs/r
done
# Every start a full disk cut short is marked so, none left counted.
pycheck fs/r <<'PY'
d = sys.argv[1]
cut = [l for l in start_lines(d) if l[3]]
expect("starts marked cut short", True, len(cut) > 0)
expect("starts left counted", [], [l for l in start_lines(d) if not l[3]])
PY
mount -o remount,size=64m "$T/fs" || fail "cannot grow the tmpfs"
expect_exit 0 "$PRUN" run -q --resume fs/r
check "incomplete tests" "" "$(statuses fs/r | grep -v ' pass$')"
pycheck fs/r <<'PY'
d = sys.argv[1]
for i, f in fragments(d).items():
    expect("%s: attempt (a full disk counts nothing)" % f["name"], 1,
           f["attempt"])
expect("start records left", [], start_lines(d))
PY
