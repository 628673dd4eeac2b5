#!/bin/sh
# hostile_results.sh: results directories that a crash, a test or a person
# damaged.  Fragments that are symlinks (to /dev/zero, to a file outside),
# a FIFO, a directory, 1 GB, nested 100,000 deep, with duplicate keys,
# \u0000, huge or negative numbers, wrong types, cut short or holding
# another test; temporary names taken by a symlink and a directory; a
# damaged metadata.json; a results directory that is a symlink.
#
# prun never follows a symlink when it writes, never blocks on a FIFO,
# never reads past its cap, names each bad file with the reason, the
# summary still reports everything else, and a resume runs the damaged
# tests again and ends with a whole, clean run.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib_hostile.sh"

# A clean run of 20 passing tests, to damage.
numbered_list 20 't/%02d' 'exec true' >"$T/pass.list"
prun_exit 0 run -j 4 --fsync never -o "$T/clean" "$T/pass.list"
cp -R "$T/clean" "$T/r"
D=$T/r/tests

# damage N PYTHON-EXPR: replace fragment N with the bytes of PYTHON-EXPR,
# where f is the fragment as a dict and s its text.
damage()
{
	python3 - "$D/$(printf %06d "$1").json" "$2" <<'EOF' ||
import json, sys
path, expr = sys.argv[1], sys.argv[2]
s = open(path).read()
f = json.loads(s)
def dump(d):
    return json.dumps(d, ensure_ascii=False)
data = eval(expr)
open(path, "wb").write(data if isinstance(data, bytes) else data.encode())
EOF
	fail "cannot damage fragment $1"
}

note "damaging the fragments"
echo "outside, not to be touched" >"$T/outside"
cp "$T/outside" "$T/outside.orig"
rm "$D/000001.json" "$D/000002.json" "$D/000003.json" "$D/000004.json" \
    "$D/000014.json"
ln -s /dev/zero "$D/000001.json"
mkfifo "$D/000002.json"
mkdir "$D/000003.json"
truncate -s 1G "$D/000004.json"
damage 5 '"[" * 100000 + "]" * 100000'
damage 6 's.replace("\"result\":\"pass\"", "\"result\":\"pass\",\"result\":\"fail\"")'
damage 7 'dump(dict(f, name=f["name"] + "\u0000evil"))'
damage 8 'dump(dict(f, out="before\u0000after"))'
damage 9 'dump(dict(f, pid=1e300))'
damage 10 's.replace("\"index\":10", "\"index\":1e400")'
damage 11 'dump(dict(f, attempt=-1))'
damage 12 'dump(dict(f, returncode=2**40))'
damage 13 'dump(dict(f, result=5, subtests=[]))'
damage 15 's[:len(s) // 2]'
damage 16 '""'
damage 17 's.replace("\"index\":17", "\"index\":0")'
damage 18 'dump(dict(f, name="t/\n\u001b[2Jnot ok 1 - forged"))'
# 14 is a symlink to a file outside that holds a valid fragment of 14.
cp "$T/clean/tests/000014.json" "$T/outside14"
cp "$T/outside14" "$T/outside14.orig"
ln -s "$T/outside14" "$D/000014.json"
# Temporary names taken: a symlink out and a directory.
ln -s "$T/outside" "$D/.000019.json.tmp"
mkdir "$D/.000000.json.tmp"

note "summary of the damaged directory"
prun_exit 0 summary "$T/r"
for why in \
    '000001.json: a symbolic link, not followed' \
    '000002.json: a FIFO, not a regular file' \
    '000003.json: a directory, not a regular file' \
    '000004.json: 1073741824 bytes, larger than the limit' \
    '000005.json:1:[0-9]*: maximum parsing depth reached' \
    '000006.json:1:[0-9]*: duplicate object key' \
    '000007.json: no valid name' \
    '000009.json: no valid pid' \
    '000010.json:1:[0-9]*: real number overflow' \
    '000011.json: no valid attempt' \
    '000012.json: returncode is not an integer or null' \
    '000013.json: no valid result' \
    '000014.json: a symbolic link, not followed' \
    '000015.json:1:[0-9]*: ' \
    '000016.json:1:[0-9]*: ' \
    '000017.json: holds index 0' \
    "000018.json: holds another test than 't/18'"; do
	check_grep "the warning names the file and why" "$why" "$T/err"
done
check "one warning per bad file" 17 "$(grep -c 'warning' "$T/err")"
check_no_grep "no control character from a file in messages" \
    "$(printf '\033')" "$T/err"
check_grep "every other test is reported" '^pass *3$' "$T/out"
check_grep "the damaged ones are notrun" '^notrun *17$' "$T/out"
check_grep "and counted" '^damaged *17$' "$T/out"
prun_exit 0 summary -f tap "$T/r"
check_no_grep "no forged TAP line" 'forged' "$T/out"
check "one TAP line per test" 20 "$(grep -c '^ok' "$T/out")"
prun_exit 0 summary -f json "$T/r"
python3 - "$T/out" <<'EOF' || fail "the JSON summary"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["prun"]["damaged"] == 17, d["prun"]
assert d["tests"]["t/08"]["out"] == "before\0after"
assert sorted(d["tests"]) == ["t/%02d" % i for i in range(20)]
EOF

note "a directory where a fragment belongs: resume refuses before running"
prun_exit 2 run --resume "$T/r"
check_grep "names the directory and its test" \
    "000003.json: a directory where test 't/03' records its result" "$T/err"
rmdir "$D/000003.json"

note "resume runs the damaged tests again, without following a symlink"
prun_exit 0 run --resume "$T/r"
cmp -s "$T/outside" "$T/outside.orig" || fail "a file outside was written"
cmp -s "$T/outside14" "$T/outside14.orig" || fail "outside14 was written"
[ -e /dev/zero ] && [ -c /dev/zero ] || fail "/dev/zero is gone"
for f in "$D"/* "$D"/.[!.]*; do
	[ -e "$f" ] || [ -L "$f" ] || continue
	[ -f "$f" ] && [ ! -L "$f" ] || fail "$f is not a regular file"
done
check "no temporary file left" "" "$(ls -A "$D" | grep -v '^[0-9]*\.json$')"
prun_exit 0 summary "$T/r"
check_grep "all pass after the resume" '^pass *20$' "$T/out"
check_no_grep "nothing damaged" '^damaged' "$T/out"
frag_check "$T/r" <<'EOF'
for i in range(20):
    expect("t/%02d" % i, "pass", frag("t/%02d" % i)["result"])
EOF

note "damaged metadata.json"
for how in truncated garbage types jobs symlink fifo; do
	cp -R "$T/clean" "$T/m-$how"
	M=$T/m-$how/metadata.json
	case $how in
	truncated)	head -c 300 "$T/clean/metadata.json" >"$M" ;;
	garbage)	printf '\377\376{"format": \000' >"$M" ;;
	types)		python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); d["tests"] = {"t/00": "true"}
json.dump(d, open(sys.argv[1], "w"))' "$M" ;;
	jobs)		sed -i 's/"jobs": [0-9]*/"jobs": 2147483647/' "$M" ;;
	symlink)	rm "$M"; ln -s /dev/zero "$M" ;;
	fifo)		rm "$M"; mkfifo "$M" ;;
	esac
	case $how in
	truncated|garbage)	why='metadata.json:[0-9]*:[0-9]*: damaged' ;;
	types)		why='metadata.json: damaged: tests is not an array' ;;
	jobs)		why='metadata.json: damaged: invalid options' ;;
	symlink)	why='metadata.json: a symbolic link, not followed' ;;
	fifo)		why='metadata.json: a FIFO, not a regular file' ;;
	esac
	prun_exit 2 summary "$T/m-$how"
	check_grep "summary, $how metadata.json" "$why" "$T/err"
	prun_exit 2 run --resume "$T/m-$how"
	check_grep "resume, $how metadata.json" "$why" "$T/err"
done

note "a results directory that is a symlink"
ln -s "$T/clean" "$T/link"
prun_exit 0 summary "$T/link"
check_grep "summary reads through it" '^pass *20$' "$T/out"
prun_exit 2 run --resume "$T/link"
check_grep "resume does not write through it" 'is a symbolic link' "$T/err"
mkdir "$T/empty"
ln -s "$T/empty" "$T/newlink"
prun_exit 2 run -o "$T/newlink" "$T/pass.list"
check_grep "run -o does not write through it" 'is a symbolic link' "$T/err"
check "nothing written through it" "" "$(ls -A "$T/empty")"
exit 0
