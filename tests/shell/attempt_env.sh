#!/bin/sh
# attempt_env.sh: a test sees PRUN_ATTEMPT, its start number: 1 at its
# first start and one more at every later one, a rerun by
# --rerun-failures as much as a resume after a crash, and kept in the
# start log, so a resume goes on counting (issue 13, item 4).  The
# attempt --max-attempts bounds still counts only starts a crash cut
# short.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"

note "reruns: PRUN_ATTEMPT counts every try"
cat >r.list <<EOF
r/third echo \$PRUN_ATTEMPT >>$T/third.log; [ \$PRUN_ATTEMPT -ge 3 ]
r/pass echo \$PRUN_ATTEMPT >>$T/pass.log
EOF
expect_exit 0 "$PRUN" run -q -j1 --rerun-failures 3 -o r r.list
check "starts of r/third" "1 2 3" "$(echo $(cat third.log))"
check "starts of r/pass" "1" "$(echo $(cat pass.log))"
check "attempt of r/third (no crash)" 1 "$(attempt_of r r/third)"

note "a crash of prun, then a resume: the next start number"
cat >k.list <<EOF
k/killer echo \$PRUN_ATTEMPT >>$T/killer.log; [ \$PRUN_ATTEMPT != 2 ] || kill -KILL \$PPID; [ \$PRUN_ATTEMPT = 3 ]
k/after echo \$PRUN_ATTEMPT >>$T/after.log
EOF
# Start 1 fails, its rerun (start 2) takes prun down; the resume is
# start 3, one attempt more, and passes.
expect_exit 137 "$PRUN" run -q -j1 --rerun-failures 1 -o k k.list
# On disk: the latest start record of k/killer only (start 2, attempt 1).
pycheck k <<'PY'
d = sys.argv[1]
expect("start records of k/killer after the crash", [(0, 1, 2, False)],
       [l for l in start_lines(d) if l[0] == 0])
PY
expect_exit 0 "$PRUN" run -q --resume k
check "starts of k/killer" "1 2 3" "$(echo $(cat killer.log))"
check "starts of k/after" "1" "$(echo $(cat after.log))"
check "attempt of k/killer (one crash)" 2 "$(attempt_of k k/killer)"
# Finished: no start record is left.
pycheck k <<'PY'
expect("start records after the resume", [], start_lines(sys.argv[1]))
PY

note "a start log of an older prun: its lines count as starts"
cat >o.list <<EOF
o/x echo \$PRUN_ATTEMPT >>$T/old.log
EOF
expect_exit 0 "$PRUN" run -q -o o o.list
rm o/tests/000000.json
python3 -S -c "$PYLIB"'
d = sys.argv[1]
body = b"0 1 1.000000"
open(d + "/starts.log", "wb").write(body + b" %08x\n" % fnv(body))
' o
expect_exit 0 "$PRUN" run -q --resume o
check "starts of o/x" "1 2" "$(echo $(cat old.log))"
check "attempt of o/x after an old start" 2 "$(attempt_of o o/x)"
