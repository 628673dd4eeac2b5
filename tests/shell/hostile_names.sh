#!/bin/sh
# hostile_names.sh: test names that look like paths or shell code never
# reach a path or a shell (fragments are named by plan index; the name
# reaches the test only as PRUN_TEST_NAME), names with control characters
# are refused before anything runs, and every file prun makes respects the
# umask.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib_hostile.sh"

# Each test prints the name it was given; none may create a file.  (A
# name starting with / is refused since issue 12: empty_names.sh.)
cd "$T" || fail "cd $T"
cat >"$T/names.list" <<'EOF'
names/../../escape printf %s "$PRUN_TEST_NAME"
../up printf %s "$PRUN_TEST_NAME"
abs/path printf %s "$PRUN_TEST_NAME"
names/$(touch${IFS}pwned1) printf %s "$PRUN_TEST_NAME"
names/`touch${IFS}pwned2` printf %s "$PRUN_TEST_NAME"
names/;touch${IFS}pwned3;# printf %s "$PRUN_TEST_NAME"
names/'"quotes"' printf %s "$PRUN_TEST_NAME"
names/|&<>*?[]{}~!\ printf %s "$PRUN_TEST_NAME"
names/#not-a-comment printf %s "$PRUN_TEST_NAME"
names/-x printf %s "$PRUN_TEST_NAME"
names/é€😀 printf %s "$PRUN_TEST_NAME"
EOF
python3 - "$T/names.json" <<'EOF' || fail "writing the profile"
import json, sys
tests = [{"name": n, "command": ["printenv", "PRUN_TEST_NAME"]} for n in
         ["profile/with space", "profile/$HOME", "profile/a'b\"c",
          "profile/..", "profile/*"]]
json.dump({"tests": tests}, open(sys.argv[1], "w"))
EOF

note "names like paths and shell code"
prun_exit 0 list "$T/names.list" "$T/names.json"
check "prun list prints each name as it is" 16 "$(wc -l <"$T/out")"
check_grep "list" '^names/\$(touch\${IFS}pwned1)$' "$T/out"
prun_exit 0 run -j 4 --fsync never -o "$T/r" "$T/names.list" "$T/names.json"
check "no shell ran a name" "" "$(ls "$T" | grep pwned)"
check "no path was made of a name" "" \
    "$(find "$T" -name escape -o -name up -o -name abs)"
check "only fragments named by index" "" \
    "$(ls -A "$T/r/tests" | grep -v '^[0-9]\{6\}\.json$')"
frag_check "$T/r" <<'EOF'
for name in index:
    f = frag(name)
    expect(name + " result", "pass", f["result"])
    want = name + "\n" if name.startswith("profile/") else name
    expect(name + " got its name", want, f["out"])
EOF
prun_exit 0 summary -f json "$T/r"
python3 - "$T/out" <<'EOF' || fail "names in the JSON summary"
import json, sys
d = json.load(open(sys.argv[1]))
assert "names/|&<>*?[]{}~!\\" in d["tests"], sorted(d["tests"])
assert "profile/a'b\"c" in d["tests"], sorted(d["tests"])
assert len(d["tests"]) == 16
EOF
prun_exit 0 summary -f tap "$T/r"
check_grep "TAP escapes a # in a name" 'names/\\#not-a-comment$' "$T/out"

note "control characters in names are refused before anything runs"
python3 - "$T" <<'EOF' || fail "writing the profiles"
import json, sys
for i, n in enumerate(["bad/new\nline", "bad/tab\there", "bad/esc\u001b[2J",
                       "bad/del\u007f", "bad/c1\u0085", ""]):
    json.dump({"tests": [{"name": "ok", "command": "true"},
                         {"name": n, "command": "true"}]},
              open("%s/bad%d.json" % (sys.argv[1], i), "w"))
EOF
for i in 0 1 2 3 4 5; do
	prun_exit 2 run -o "$T/bad$i" "$T/bad$i.json"
	check_grep "bad name $i is refused" 'bad\|empty' "$T/err"
	check_no_grep "and shown escaped" "$(printf '[\033\t]')" "$T/err"
	[ ! -e "$T/bad$i" ] || fail "a results directory was made for bad$i"
done
prun_exit 2 run -o "$T/bad0" "$T/bad0.json"
check_grep "a newline is shown escaped" 'bad/new\\x0aline' "$T/err"
mkdir -p "$T/dir/sub"
printf '#!/bin/sh\nexit 0\n' >"$T/dir/sub/new
line"
chmod +x "$T/dir/sub/new
line"
prun_exit 2 list "$T/dir"
check_grep "a file name with a newline is refused" 'sub/new\\x0aline' "$T/err"

note "files respect the umask"
for mask in 022 027 077; do
	(
		umask $mask
		prun_exit 0 run --fsync never -o "$T/u$mask" "$T/names.json"
		prun_exit 0 summary -f json -o "$T/u$mask.json" "$T/u$mask"
	) || exit 1
	want_dir=$(printf '%o' $((0777 & ~0$mask)))
	want_file=$(printf '%o' $((0666 & ~0$mask)))
	check "umask $mask: results directory" "$want_dir" \
	    "$(stat -c %a "$T/u$mask")"
	check "umask $mask: tests/" "$want_dir" "$(stat -c %a "$T/u$mask/tests")"
	check "umask $mask: metadata.json" "$want_file" \
	    "$(stat -c %a "$T/u$mask/metadata.json")"
	check "umask $mask: a fragment" "$want_file" \
	    "$(stat -c %a "$T/u$mask/tests/000000.json")"
	check "umask $mask: summary -o" "$want_file" \
	    "$(stat -c %a "$T/u$mask.json")"
done
exit 0
