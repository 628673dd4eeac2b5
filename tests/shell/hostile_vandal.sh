#!/bin/sh
# hostile_vandal.sh: tests that write in their results directory
# ($PRUN_RESULTS_DIR) while they run: symlinks to a file outside at their
# own fragment's name and at the temporary names prun writes through, a
# FIFO there, a directory, junk files.  prun writes through none of them,
# never blocks, records every test, and the summary and a resume read the
# directory back whole.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib_hostile.sh"

echo "outside, not to be touched" >"$T/outside"
cp "$T/outside" "$T/outside.orig"
# The plan index of each test is its line: the vandals know their names.
cat >"$T/vandal.list" <<EOF
vandal/own-fragment ln -sf $T/outside \$PRUN_RESULTS_DIR/tests/000000.json
vandal/later-fragment ln -s $T/outside \$PRUN_RESULTS_DIR/tests/000005.json
vandal/own-temporary ln -s $T/outside \$PRUN_RESULTS_DIR/tests/.000002.json.tmp
vandal/fifo-temporary mkfifo \$PRUN_RESULTS_DIR/tests/.000003.json.tmp
vandal/junk touch \$PRUN_RESULTS_DIR/tests/junk \$PRUN_RESULTS_DIR/tests/999999.json \$PRUN_RESULTS_DIR/tests/.tmp
vandal/victim exec true
vandal/fifo-later mkfifo \$PRUN_RESULTS_DIR/tests/000007.json
vandal/fifo-victim exec true
EOF
note "tests plant symlinks, FIFOs and junk in PRUN_RESULTS_DIR"
prun_exit 0 run -j 1 -o "$T/r" "$T/vandal.list"
cmp -s "$T/outside" "$T/outside.orig" || fail "a file outside was written"
for i in 0 1 2 3 4 5 6 7; do
	f=$T/r/tests/00000$i.json
	[ -f "$f" ] && [ ! -L "$f" ] || fail "$f is not a regular file"
done
frag_check "$T/r" <<'EOF'
for name in ["own-fragment", "later-fragment", "own-temporary",
             "fifo-temporary", "junk", "victim", "fifo-later", "fifo-victim"]:
    expect(name, "pass", frag("vandal/" + name)["result"])
EOF
prun_exit 0 summary "$T/r"
check_grep "the summary reads every test" '^pass *8$' "$T/out"
check "and warns of nothing" "" "$(cat "$T/err")"
prun_exit 0 run --resume "$T/r"
check_grep "a resume finds every test done" '8/8' "$T/err"
cmp -s "$T/outside" "$T/outside.orig" || fail "a file outside was written"
exit 0
