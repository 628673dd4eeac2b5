#!/bin/sh
# tap_subtests_prove.sh: every TAP point is a subtest of its own (issue 12, item
# 1).  prun's counts of a test's subtests (points, skipped, TODO) must be
# the counts TAP::Parser, prove's parser, gives for the same stream: with
# repeated descriptions (a suite of 10,480 points came out as 8,824
# subtests when repeats were merged), empty or numeric descriptions,
# directives in any case and escaped, a plan at the end, a skip-all plan,
# TAP 13 YAML blocks, TAP 14 nested subtests (prove counts only the
# top-level points), pragmas, Bail out!, no plan, and numbers out of
# order or missing.  The names stay unique without case (piglit
# lowercases them), and TODO points are named in the fragment's and the
# JSON report's "todo", with either backend.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

perl -MTAP::Parser -e 1 2>/dev/null ||
	skip "perl's TAP::Parser (prove's parser) is not installed"

cd "$T" || fail "cd $T"
mkdir s

printf '1..6\nok 1 - a\nok 2 - a\nnot ok 3 - A\nok 4 - a (2)\nok - a\n'\
'ok 6 - b\n' >s/repeats
printf 'ok 1 - x\nok 2 - x (1)\nok 1 - x\nok 1 - x\nok 3 - y (1, 6)\n'\
'ok 6 - y\nok 1 - y\nok 1 - y\n' >s/in-the-way
printf 'ok 1\nok 2 - 1\nok\nok 4 -\nok 5 - 4\nok 6 -  \nok 6\n' >s/numbers
printf 'ok 1 - \303\211t\303\251\nok 2 - \303\251T\303\211\n'\
'ok 3 - \316\224\316\243\nok 4 - \316\264\317\203\n'\
'ok 5 - \320\226\nok 6 - \320\266\n' >s/case
printf '1..8\nok 1 - a # todo later\nnot ok 2 - a # ToDo\n'\
'ok 3 - a \\# TODO not one\nnot ok 4 - a # sKiP\n'\
'ok 5 - a \\\\# SKIP one\nok 6 - a # skipped: old\nnot ok 7 - a #TODO\n'\
'ok 8 - a \\# \\\\\n' >s/directives
printf 'ok 1 - p\nnot ok 2 - p # TODO\nok 3 - p # SKIP\n1..3\n' >s/plan-at-end
printf '1..0 # SKIP no hardware\n' >s/skip-all
printf 'TAP version 13\n1..3\nnot ok 1 - y\n  ---\n  message: |\n'\
'    ok 3 - y\n  at: x\n  ...\nok 2 - y\nok 3 - y # TODO\n' >s/yaml13
printf 'TAP version 14\n1..2\n# Subtest: s\n    1..2\n    ok 1 - x\n'\
'    not ok 2 - x # TODO\nok 1 - s\n    # Subtest: s\n    ok 1 - x\n'\
'    1..1\n    ---\n    a: 1\n    ...\nok 2 - s\n' >s/nested14
printf 'TAP version 13\npragma +strict\n1..2\nok 1 - q\npragma -strict\n'\
'ok 2 - q\n' >s/pragma
printf '1..4\nok 1 - b\nok 2 - b # SKIP\nBail out! stop\nok 3 - b\n' >s/bail
printf 'ok - n\nok - n\nnot ok - n # TODO\n' >s/no-plan
printf '1..5\nok 3 - o\nok 1 - o\nok - o\nok 5 - o # skip\n' >s/out-of-order
printf '1..4\nok 1 - m\nok 4 - m\n' >s/missing
# The issue's finding: a long stream whose descriptions repeat.
awk 'BEGIN { print "1..3000"; for (i = 1; i <= 3000; i++) {
	d = i % 6 == 0 ? "setup" : "check after op " i % 4;
	if (i % 97 == 0) d = d " # TODO not yet"; else if (i % 89 == 0)
	d = d " # SKIP no device"; printf "%s %d - %s\n",
	i % 101 == 0 ? "not ok" : "ok", i, d } }' >s/suite

for f in s/*; do
	printf '%s cat %s/%s\n' "${f#s/}" "$T" "$f"
done >tap.list

# What TAP::Parser counts of each stream: NAME points skipped todo.
perl -MTAP::Parser -e '
	for my $f (@ARGV) {
		open my $fh, "<", $f or die "$f: $!";
		my $tap = do { local $/; <$fh> };
		my $p = TAP::Parser->new({ tap => $tap });
		1 while defined $p->next;
		(my $n = $f) =~ s{^s/}{};
		printf "%s %d %d %d\n", $n, $p->tests_run,
		    scalar($p->skipped), scalar($p->todo);
	}' s/* >want || fail "TAP::Parser could not read the streams"
check "prove's count of the long stream" "suite 3000 33 30" \
    "$(grep '^suite ' want)"

# What prun recorded, as the JSON report DIR.json of DIR says it: the
# subtests, the skips that are no TODO, the TODO points; whether the names
# are unique without case; and that the report says what a JSON fragment
# says.
counts()
{
	python3 -c '
import json, os, sys
d = sys.argv[1]
md = json.load(open(d + "/metadata.json"))
rep = json.load(open(d + ".json"))["tests"]
for i, t in enumerate(md["tests"]):
    subs = {k: v for k, v in rep[t["name"]]["subtests"].items()
            if k != "__type__"}
    todo = rep[t["name"]].get("todo", [])
    p = "%s/tests/%06d.json" % (d, i)
    if os.path.exists(p):
        f = json.load(open(p))
        if f["subtests"] != subs or f.get("todo", []) != todo:
            print("%s: the JSON report differs from the fragment" %
                  t["name"])
    if len({k.lower() for k in subs}) != len(subs):
        print("%s: names not unique without case: %s" % (t["name"],
              sorted(subs)))
    if not set(todo) <= set(subs):
        print("%s: todo names no subtest" % t["name"])
    skipped = sum(1 for k, v in subs.items() if v == "skip" and
                  k not in todo)
    print(t["name"], len(subs), skipped, len(todo))
' "$1"
}

for backend in json junit; do
	note "backend $backend"
	expect_exit 1 "$PRUN" run -q --fsync never --backend $backend \
	    -o r-$backend tap.list
	expect_exit 1 "$PRUN" summary -f json -o r-$backend.json r-$backend
	counts r-$backend >got-$backend ||
		fail "reading r-$backend"
	diff want got-$backend >&2 ||
		fail "$backend: prun's counts differ from prove's"
done

# The names: the first keeps its own, a repeat has its number (or its
# ordinal), and a name in the way gives way to the ordinal.
pycheck r-json <<'PY'
d = sys.argv[1]
def subs(name):
    return list(frag(d, name)["subtests"])
expect("repeats", ["a", "a (2)", "A (3)", "a (2) (4)", "a (5)", "b"],
       subs("repeats"))
expect("in the way", ["x", "x (1)", "x (1, 3)", "x (1, 4)", "y (1, 6)",
       "y", "y (1)", "y (1, 8)"], subs("in-the-way"))
expect("numbers", ["1", "1 (2)", "3", "4", "4 (5)", "6", "6 (6)"],
       subs("numbers"))
expect("case", ["\u00c9t\u00e9", "\u00e9T\u00c9 (2)", "\u0394\u03a3",
       "\u03b4\u03c3 (4)", "\u0416", "\u0436 (6)"], subs("case"))
expect("directives", ["a", "a (2)", "a # TODO not one", "a (4)", "a \\",
       "a # skipped: old", "a (7)", "a # \\"], subs("directives"))
expect("directives todo", ["a", "a (2)", "a (7)"],
       frag(d, "directives")["todo"])
expect("nested: top-level points only", ["s", "s (2)"], subs("nested14"))
expect("bail out", "fail", frag(d, "bail")["result"])
expect("skip all", "skip", frag(d, "skip-all")["result"])
expect("long stream", "setup (12)", subs("suite")[11])
PY

# The JUnit subtests tell a TODO point from a skip.
expect_exit 1 "$PRUN" summary -f junit --junit-subtests -o j.xml r-json
check_grep "a TODO subtest in JUnit" 'message="skip: TODO subtest"' j.xml
check_grep "a skipped subtest in JUnit" 'message="skip: subtest"' j.xml

# A comparison of two runs sees a change in a repeated point, by its name.
printf '#!/bin/sh\nprintf "1..3\\nok 1 - same\\nok 2 - same\\nok 3 - same\\n"\n' \
    >same-old
printf '#!/bin/sh\nprintf "1..3\\nok 1 - same\\nnot ok 2 - same\\nok 3 - same\\n"\n' \
    >same-new
chmod +x same-old same-new
echo "t $T/same-old" >old.list
echo "t $T/same-new" >new.list
expect_exit 0 "$PRUN" run -q --fsync never -o c-old old.list
expect_exit 1 "$PRUN" run -q --fsync never -o c-new new.list
expect_exit 1 "$PRUN" summary --compare c-old c-new
check_grep "the change of a repeated point" \
    '^regression t \[same (2)\]: pass -> fail$' out
check_no_grep "the points that did not change" 'same\]\|same (3)' out
