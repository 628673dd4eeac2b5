#!/bin/sh
# hostile_kill_prun.sh: a test that sends SIGTERM (or SIGINT) to prun
# itself.  prun stops as if a person had: its running tests are stopped
# and recorded as interrupted, it exits 143 (130), and the run is left
# resumable: a resume runs what is left and ends with the report an
# uninterrupted run gives.  The tests misbehave only before the resume.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib_hostile.sh"

for sig in TERM INT; do
	case $sig in
	TERM)	code=143 ;;
	INT)	code=130 ;;
	esac
	# -j 2: beside and killer start together, and no slot frees before
	# prun has stopped, so the later tests never start.
	note "a test sends SIG$sig to prun"
	cat >"$T/$sig.list" <<EOF
kill/beside test -e $T/$sig.resumed || exec sleep 300
kill/killer $HOSTILE kill-prun $sig $T/$sig.flag
kill/later-1 exec true
kill/later-2 exec true
EOF
	prun_exit $code run -j 2 --fsync never -o "$T/$sig" "$T/$sig.list"
	check_grep "$sig: says how to continue" "prun run --resume $T/$sig" \
	    "$T/err"
	frag_check "$T/$sig" <<'EOF'
for name in ["beside", "killer"]:
    f = frag("kill/" + name)
    expect(name + " stopped", "incomplete", f["result"])
    expect(name + " interrupted", True, f.get("interrupted"))
for name in ["later-1", "later-2"]:
    expect(name + " never started", False,
           os.path.exists(os.path.join(R, "tests", "%06d.json" %
                                       index["kill/" + name])))
EOF
	prun_exit 1 summary "$T/$sig"
	check_grep "$sig: summary of the stopped run" '^incomplete *2$' "$T/out"
	check_grep "$sig: later tests not run" '^notrun *2$' "$T/out"
	check_grep "$sig: nothing else" '^pass *0$' "$T/out"

	: >"$T/$sig.resumed"
	prun_exit 0 run --resume "$T/$sig"
	frag_check "$T/$sig" <<'EOF'
expect("killer ran again, once", "pass", frag("kill/killer")["result"])
expect("killer's attempt is still its first", 1,
       frag("kill/killer")["attempt"])
for name in ["beside", "later-1", "later-2"]:
    expect(name, "pass", frag("kill/" + name)["result"])
EOF
	prun_exit 0 summary "$T/$sig"
	check_grep "$sig: resumed" '^pass *4$' "$T/out"
	check_grep "$sig: nothing left" '^incomplete *0$' "$T/out"
done
exit 0
