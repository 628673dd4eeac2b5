#!/bin/sh
# examples.sh: run the example suite (a directory, a test list and a
# profile) and check every test's result, the fragments and metadata.json.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$EXAMPLES" || fail "no $EXAMPLES"
R=$T/results
note "prun run over examples/"
# The run's timeout ends basic/hang; it leaves room for a loaded machine.
expect_exit 1 "$PRUN" run --timeout 10 --kill-after 2 --max-output 64K -j 2 \
    --progress lines -o "$R" tests suite.list profile.json
cp "$T/err" "$T/progress"

# Every file at a final name is whole, valid JSON, and loads back.
check_results_valid "$R"
check "temporaries left" "" "$(ls -A "$R/tests" | grep '^\.')"
check "fragments" 19 "$(ls "$R/tests" | grep -c '^[0-9]\{6\}\.json$')"

# What chatty writes, to compare with what was kept of it.
"$EXAMPLES/tests/output/chatty" >"$T/chatty.out" 2>"$T/chatty.err"

pycheck "$R" "$PRUN" "$(uname -n)" "$(uname -s) $(uname -r) $(uname -m)" \
    "$("$PRUN" --version)" "$T" <<'EOF'
R, prun, hostname, uname, version, T = sys.argv[1:]
want = """\
basic/crash crash -11
basic/fail fail 1
basic/hang timeout -15
basic/pass pass 0
basic/skip skip 77
output/binary pass 0
output/chatty pass 0
output/piglit warn 0
output/tap pass 0
list/true pass 0
list/echo pass 0
list/sh-syntax pass 0
list/exit3 fail 3
profile/string pass 0
profile/argv pass 0
profile/env pass 0
profile/cwd pass 0
profile/timeout timeout -15
profile/exclusive pass 0""".split("\n")
m = md(R)
expect("plan order", [w.split()[0] for w in want], names(R))
f = {n: frag(R, n) for n in names(R)}
for w in want:
    n, s, rc = w.split()
    expect(n + " result", s, f[n]["result"])
    expect(n + " returncode", int(rc), f[n]["returncode"])
    expect(n + " attempt", 1, f[n]["attempt"])
    expect(n + " name", n, f[n]["name"])
    expect(n + " pid", True, f[n]["pid"] > 1)
    expect(n + " time", True,
           m["time_start"] <= f[n]["time"]["start"] <= f[n]["time"]["end"])
    expect(n + " not interrupted", False, "interrupted" in f[n])

# What the tests printed, and what prun adds.
expect("pass out", "everything is fine\n", f["basic/pass"]["out"])
expect("fail err", "expected 4, got 5\n", f["basic/fail"]["err"])
expect("crash out", "about to crash\n", f["basic/crash"]["out"])
expect("sh-syntax out", "a\nb\n", f["list/sh-syntax"]["out"])
expect("argv out", "one argument, not split\n", f["profile/argv"]["out"])
expect("env out", "hi\n", f["profile/env"]["out"])
expect("exclusive out", "running alone\n", f["profile/exclusive"]["out"])
expect("hang out", "waiting forever\n", f["basic/hang"]["out"])
expect("hang err", "prun: killed after the timeout of 10 s",
       f["basic/hang"]["err"])
expect("profile timeout err", "prun: killed after the timeout of 1 s",
       f["profile/timeout"]["err"])
expect("list command", "exit 3", f["list/exit3"]["command"])
expect("profile command", "sleep 30", f["profile/timeout"]["command"])
expect("argv command", "printf '%s\n' 'one argument, not split'",
       f["profile/argv"]["command"])
expect("dir command", "tests/basic/pass", f["basic/pass"]["command"])

# Subtests, in the order reported: TAP and piglit.
expect("tap subtests", [("parse", "pass"), ("render", "skip"),
       ("compress", "skip"), ("cleanup", "pass")],
       list(f["output/tap"]["subtests"].items()))
expect("piglit subtests", [("first", "pass"), ("second", "warn")],
       list(f["output/piglit"]["subtests"].items()))
expect("no subtests", {}, f["basic/pass"]["subtests"])

# Unsafe output: each invalid byte is U+FFFD, NUL is kept, ESC kept.
expect("binary out", "invalid UTF-8: \ufffd\ufffd \ufffd(\n"
       "a NUL byte: <\x00>\nan escape sequence: \x1b[31mred\x1b[0m\n"
       "a CDATA end: ]]>\n", f["output/binary"]["out"])
raw = open(R + "/tests/%06d.json" % names(R).index("output/binary"),
           "rb").read()
expect("NUL written as \\u0000", True, b"<\\u0000>" in raw)

# chatty writes 4 MiB on each stream; 64K keeps 32K of head and of tail.
for s in ("out", "err"):
    data = open(T + "/chatty." + s, "rb").read()
    expect("chatty " + s + " size", 4 << 20, len(data))
    cut = (data[:32768] + b"\n[prun: %d bytes dropped]\n" %
           (len(data) - 65536) + data[-32768:]).decode()
    expect("chatty " + s + " capped", cut, f["output/chatty"][s])

# metadata.json: the plan, the options, the host and the command line.
expect("format", "prun-results", m["format"])
expect("version", 1, m["version"])
expect("prun_version", version, "prun " + m["prun_version"])
expect("name", "results", m["name"])
# argv[0] is the binary's path, which a wrapper of prun (valgrind) hides.
expect("argv[0]", True, m["argv"][0] == prun or
       os.path.basename(m["argv"][0]) == "prun")
expect("argv", ["run", "--timeout", "10", "--kill-after", "2",
       "--max-output", "64K", "-j", "2", "--progress", "lines", "-o", R,
       "tests", "suite.list", "profile.json"], m["argv"][1:])
want = {"exclude": [], "fsync": "always", "include": [], "jobs": 2,
        "kill_after": 2.0, "max_attempts": 2, "max_output": 65536,
        "timeout": 10.0}
expect("options", want, {k: m["options"].get(k) for k in want})
expect("hostname", hostname, m["host"]["hostname"])
expect("uname", uname, m["host"]["uname"])
t = {x["name"]: x for x in m["tests"]}
expect("dir test", {"command": ["tests/basic/pass"], "exclusive": False,
       "name": "basic/pass", "origin": "tests/basic/pass", "timeout": 0.0},
       t["basic/pass"])
expect("list test", ("exit 3", 0.0, False, None, None),
       tuple(t["list/exit3"].get(k) for k in
             ("command", "timeout", "exclusive", "env", "cwd")))
expect("list origin", "suite.list:8", t["list/exit3"]["origin"])
expect("profile argv", ["printf", "%s\n", "one argument, not split"],
       t["profile/argv"]["command"])
expect("profile env", {"GREETING": "hi"}, t["profile/env"]["env"])
expect("profile cwd", "/", t["profile/cwd"]["cwd"])
expect("profile timeout", 1.0, t["profile/timeout"]["timeout"])
expect("profile default timeout", 10.0, t["profile/string"]["timeout"])
expect("exclusive", True, t["profile/exclusive"]["exclusive"])
EOF

# The progress lines name the tests that did not pass, and the totals.
for t in basic/crash basic/fail basic/hang list/exit3 profile/timeout; do
	check_grep "progress line of $t" "$t" "$T/progress"
done
check_no_grep "no line for a pass" "basic/pass" "$T/progress"
check_grep "closing line" "19/19" "$T/progress"

# The summary agrees.
expect_exit 1 "$PRUN" summary "$R"
check_grep "summary pass count" '^pass  *12$' "$T/out"
check_grep "summary total" '^total  *19$' "$T/out"
exit 0
