#!/bin/sh
# --tests-from FILE and --failed-from SRC: a run of the named tests, or of
# those that did not pass or skip (notrun and incomplete included); an
# unknown name is an error with its line; both combine with -t, -x and
# shards, and shards given another selection are another plan.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

cat > suite.list <<'LIST'
a true
b false
c true
d false
e exit 77
f true
LIST
# A first run whose e and f have no result (e incomplete: its start
# record stays; f as if never started).
expect 1 "$PRUN" run -q --fsync never -j1 -o first suite.list
rm first/tests/000004.json first/tests/000005.json

# --failed-from: b and d failed; e and f have no result (notrun).
"$PRUN" list --failed-from first suite.list > failed.txt
[ "$(tr '\n' ' ' < failed.txt)" = "b d e f " ] ||
	fail "failed-from: $(tr '\n' ' ' < failed.txt)"
# A JSON report and shards joined by commas are sources too.
"$PRUN" summary -f json -o first.json first || true
[ "$("$PRUN" list --failed-from first.json suite.list | tr '\n' ' ')" = \
    "b d e f " ] || fail "failed-from a JSON report"
expect 1 "$PRUN" run -q --fsync never -o again --failed-from first \
    suite.list
[ "$(ls again/tests | wc -l)" -eq 4 ] || fail "again ran $(ls again/tests)"

# --tests-from: one name a line, blank lines skipped, - for stdin; with
# -x and --failed-from it narrows further.
printf 'c\n\nb\nf\n' > names.txt
[ "$("$PRUN" list --tests-from names.txt suite.list | tr '\n' ' ')" = \
    "b c f " ] || fail "tests-from"
[ "$(printf 'a\n' | "$PRUN" list --tests-from - suite.list)" = a ] ||
	fail "tests-from stdin"
[ "$("$PRUN" list --tests-from names.txt -x '^f$' --failed-from first \
    suite.list | tr '\n' ' ')" = "b " ] || fail "combined"

# An unknown name is an error with its file and line; nothing runs.
printf 'a\nnosuch\n' > bad.txt
expect 2 "$PRUN" run -q -o bad --tests-from bad.txt suite.list 2> bad.err
grep -q "bad.txt:2: unknown test 'nosuch'" bad.err || fail "$(cat bad.err)"
[ ! -e bad ] || fail "a results directory was made"
expect 2 "$PRUN" list --tests-from nofile suite.list 2> nofile.err
grep -q -- '--tests-from nofile: No such file' nofile.err ||
	fail "$(cat nofile.err)"
expect 2 "$PRUN" list --failed-from nodir suite.list 2> nodir.err
grep -q -- '--failed-from nodir: nodir' nodir.err || fail "$(cat nodir.err)"

# Shards given the same selection merge; another selection is refused
# as another plan.
expect 1 "$PRUN" run -q --fsync never --shard 1/2 --failed-from first \
    -o s1 suite.list
expect 1 "$PRUN" run -q --fsync never --shard 2/2 --failed-from first \
    -o s2 suite.list
[ "$(statuses s1 s2 | awk "{print \$1, \$2}" | tr "\n" " ")" = "b fail d fail e skip f pass " ] ||
	fail "merged: $(statuses s1 s2 | tr '\n' ' ')"
expect 0 "$PRUN" run -q --fsync never --shard 2/2 --tests-from names.txt \
    -o other suite.list
expect 2 "$PRUN" summary s1 other 2> other.err
grep -q 'results of another plan' other.err || fail "$(cat other.err)"
exit 0
