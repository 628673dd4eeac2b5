#!/bin/sh
# --wrapper CMD runs every test through a launcher, and the plan records
# it: metadata.json, prun list -v and the results show the real command.
set -eu
. "$top_srcdir/tests/shell/lib_shards.sh"
scratch

cat > launcher <<'SH'
#!/bin/sh
# A launcher in the style of srun or valgrind: it runs its arguments.
echo "launched: $*" >&2
[ "$1" = --opt ] && shift
WRAPPED=yes exec "$@"
SH
chmod +x launcher
cat > suite.list <<'LIST'
w/direct exec test yes = "$WRAPPED"
w/argv true
LIST
expect 0 "$PRUN" run -q --fsync never --wrapper "$tmp/launcher --opt" \
    -o run suite.list
grep -q '"wrapper": \[' run/metadata.json || fail "wrapper not recorded"
python3 -c '
import json, sys
d = json.load(open("run/tests/000001.json"))
assert d["command"] == sys.argv[1] + "/launcher --opt true", d["command"]
assert "launched: --opt true" in d["err"], d["err"]
' "$tmp" || fail "fragment command"
"$PRUN" list -v --wrapper "env A=1" suite.list > list.txt
printf '000001\tw/argv\tenv A=1 true\n' > want.txt
tail -n 1 list.txt > got.txt
diff want.txt got.txt || fail "prun list -v"
# The plan differs from an unwrapped one: shards must agree on it.
expect 0 "$PRUN" run -q --fsync never --wrapper "env WRAPPED=yes" -o w2 \
    suite.list
expect 2 "$PRUN" summary run w2 2> /dev/null
expect 2 "$PRUN" run --wrapper " " -o x suite.list 2> /dev/null
echo "ok"
