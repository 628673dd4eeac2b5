#!/bin/sh
# piglit_names: summary -f json --piglit-names writes the names of tests
# and of the groups of the totals with piglit's '@' separator (the
# default keeps '/'); a test whose name holds '@' is an error naming it;
# --piglit-names is for -f json only; run -b is --backend.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
cat >s.list <<'EOF2'
gpu/shaders/basic exec true
gpu/shaders/loop exec false
gpu/tap printf '1..2\nok 1 a\nnot ok 2 b\n'
top exec true
EOF2
expect_exit 1 "$PRUN" run --fsync never -o r s.list

note "default: '/' kept"
expect_exit 1 "$PRUN" summary -f json -o plain.json r
check "default names" '["gpu/shaders/basic", "gpu/shaders/loop", "gpu/tap", "top"]' \
    "$(jget plain.json 'sorted(d["tests"])')"

note "--piglit-names: '@' in tests and totals"
expect_exit 1 "$PRUN" summary -f json --piglit-names -o piglit.json r
check "piglit names" '["gpu@shaders@basic", "gpu@shaders@loop", "gpu@tap", "top"]' \
    "$(jget piglit.json 'sorted(d["tests"])')"
check "piglit groups" '["gpu", "gpu@shaders", "gpu@tap", "root"]' \
    "$(jget piglit.json 'sorted(d["totals"])')"
# The counts are those of the default report, group by group.
pycheck plain.json piglit.json <<'PY'
plain, piglit = load(sys.argv[1]), load(sys.argv[2])
for k, v in plain["totals"].items():
    expect("totals of " + k, v, piglit["totals"][k.replace("/", "@")])
for k, v in plain["tests"].items():
    p = piglit["tests"][k.replace("/", "@")]
    for key in ("result", "subtests", "returncode", "out"):
        expect(k + " " + key, v[key], p[key])
expect("gpu's totals", {"pass": 2, "fail": 2},
       {s: n for s, n in piglit["totals"]["gpu"].items()
        if s in ("pass", "fail") and n})
PY

note "a name with '@' is an error naming it"
cat >at.list <<'EOF2'
ok exec true
mail/user@host exec true
EOF2
expect_exit 0 "$PRUN" run --fsync never -o at at.list
expect_exit 0 "$PRUN" summary -f json -o at.json at
expect_exit 2 "$PRUN" summary -f json --piglit-names -o at2.json at
check_grep "the test named" "test 'mail/user@host'" "$T/err"
check_true "no report written" test ! -e at2.json

note "--piglit-names is for -f json"
expect_exit 2 "$PRUN" summary -f junit --piglit-names r
check_grep "-f json only" "piglit-names is for -f json" "$T/err"

note "run -b junit is run --backend junit"
expect_exit 1 "$PRUN" run --fsync never -b junit -o b s.list
check "backend of -b" junit "$(jget b/metadata.json 'd["options"]["backend"]')"
check_true "junit fragments" test -f b/tests/000000.xml
expect_exit 2 "$PRUN" run --fsync never -b yaml -o b2 s.list
check_grep "-b checked" "must be json or junit" "$T/err"
note "ok"
