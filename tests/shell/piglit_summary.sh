#!/bin/sh
# piglit_summary: piglit's own summary tools load a report of
# summary -f json --piglit-names: piglit summary console gives prun's
# counts, and piglit summary html shows prun's groups as groups (a report
# without --piglit-names is one flat list there).  Skips (77) without
# Debian's piglit package.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"
command -v piglit >/dev/null 2>&1 ||
	skip "piglit not found (apt-get install piglit)"

cd "$T" || fail "cd $T"
cat >s.list <<'EOF2'
gpu/shaders/basic exec true
gpu/shaders/loop exec false
gpu/tap printf '1..2\nok 1 a\nnot ok 2 b\n'
net/skip exit 77
top exec true
EOF2
expect_exit 1 "$PRUN" run --fsync never -o r s.list
expect_exit 1 "$PRUN" summary -f json --piglit-names -o piglit.json r
expect_exit 1 "$PRUN" summary -f json -o plain.json r

note "piglit summary console"
expect_exit 0 piglit summary console -s piglit.json
cp "$T/out" console.txt
for want in "pass: *3" "fail: *2" "skip: *1" "total: *6"; do
	check_grep "console $want" "^ *$want\$" console.txt
done

note "piglit summary html: groups"
expect_exit 0 piglit summary html html piglit.json
expect_exit 0 piglit summary html flat plain.json
for g in gpu shaders net; do
	check_grep "group $g in the html" "<b>$g</b>" html/index.html
	check_no_grep "group $g in a flat list" "<b>$g</b>" flat/index.html
done
check_true "a test's page" test -f html/r/gpu@shaders@loop.html
note "ok"
