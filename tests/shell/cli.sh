#!/bin/sh
# cli.sh: usage and input errors exit 2 with a message naming the file and
# line, and run nothing; --help and --version exit 0; prun list prints the
# selected tests in plan order.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
# Any test that runs leaves a trace.
echo "m/mark touch $T/ran" >mark.list
printf 'a/one exec true\nb/typo\n' >typo.list
printf 'x/dup exec true\n' >d1.list
printf '# a comment\n\nx/dup exec false\n' >d2.list
printf 'ok exec true\nbad\377name exec true\n' >utf.list
printf 'ok exec true\nbad\001name exec true\n' >ctrl.list
printf '{"tests": [\n  {"name": "a", "command": "true",}\n]}\n' >bad.json
printf '{"tests": [{"name": "a", "command": "true", "timout": 3}]}\n' >key.json
printf '{"tests": [], "default": {}}\n' >key2.json
printf '{"tests": [{"name": "a"}]}\n' >nocmd.json
printf '[]\n' >array.json
printf '# nothing but comments\n' >empty.list
mkdir full notprun damaged damaged2
echo "keep me" >full/file
mkdir damaged/tests damaged2/tests
printf '{"format": "prun-results", "version": 1,\n' >damaged/metadata.json
printf '{"format": "prun-results", "version": 1}\n' >damaged2/metadata.json

# usage CODE PATTERN ARGS...: prun ARGS exits CODE saying PATTERN, and
# ran nothing: no test, no results directory r.
usage()
{
	_c=$1
	_p=$2
	shift 2
	expect_exit "$_c" "$PRUN" "$@"
	check_grep "prun $*" "$_p" "$T/err"
	check "prun $*: lines on stdout" 0 "$(wc -l <"$T/out")"
	[ -e "$T/ran" ] && fail "prun $*: a test ran"
	[ -e "$T/r" ] && fail "prun $*: created a results directory"
	return 0
}

note "errors in test sources"
for cmd in list "run -o r"; do
	# shellcheck disable=SC2086
	usage 2 "typo.list:2: .*b/typo.*no command" $cmd mark.list typo.list
	usage 2 "d2.list:3: .*x/dup.*d1.list:1" $cmd mark.list d1.list d2.list
	usage 2 "d1.list:1: .*x/dup.*d1.list:1" $cmd mark.list d1.list d1.list
	usage 2 "utf.list:2: .*not valid UTF-8" $cmd mark.list utf.list
	usage 2 "ctrl.list:2: .*control character" $cmd mark.list ctrl.list
	usage 2 "nonexistent.list: No such file" $cmd mark.list \
	    nonexistent.list
	usage 2 "bad.json:2:[0-9]*: " $cmd mark.list bad.json
	usage 2 'key.json.*unknown key "timout"' $cmd mark.list key.json
	usage 2 'key2.json.*unknown key "default"' $cmd mark.list key2.json
	usage 2 "nocmd.json" $cmd mark.list nocmd.json
	usage 2 "array.json" $cmd mark.list array.json
	usage 2 "invalid regex" $cmd -t "(" mark.list
done
usage 2 "no tests" run -o r empty.list
usage 2 "no tests" run -x mark -o r mark.list

note "results directories that are not prun's to take"
usage 2 "full: .*not empty" run -o full mark.list
check "full/ untouched" "file" "$(ls -A full)"
usage 2 "full/file: .*Not a directory" run -o full/file mark.list
usage 2 "missing/r: cannot create" run -o missing/r mark.list
usage 2 "notprun: not a prun results directory" run --resume notprun
usage 2 "nonexistent: cannot open" run --resume nonexistent
usage 2 "damaged/metadata.json:2:[0-9]*: damaged" run --resume damaged
usage 2 "damaged2/metadata.json: damaged" run --resume damaged2
usage 2 "full: not a prun results directory" summary full
usage 2 "damaged/metadata.json:2:[0-9]*: damaged" summary damaged
check "notprun/ untouched" "" "$(ls -A notprun)"

note "bad options"
usage 2 "-j '0'" run -j 0 -o r mark.list
usage 2 "-j 'abc'" run -j abc -o r mark.list
usage 2 "-j '1.5'" run -j 1.5 -o r mark.list
usage 2 "--timeout '-1'" run --timeout -1 -o r mark.list
usage 2 "--timeout 'abc'" run --timeout abc -o r mark.list
usage 2 "--timeout 'nan'" run --timeout nan -o r mark.list
usage 2 "--kill-after '1s'" run --kill-after 1s -o r mark.list
usage 2 "--max-output '1X'" run --max-output 1X -o r mark.list
usage 2 "--max-output '-1'" run --max-output -1 -o r mark.list
usage 2 "--max-output '99999999999G'" run --max-output 99999999999G -o r \
    mark.list
usage 2 "--fsync 'sometimes'" run --fsync sometimes -o r mark.list
usage 2 "--progress 'loud'" run --progress loud -o r mark.list
usage 2 "--max-attempts '0'" run --max-attempts 0 -o r mark.list
usage 2 "-f 'xml'" summary -f xml r
usage 2 "--bogus" run --bogus -o r mark.list
usage 2 "-Z" run -Z -o r mark.list
usage 2 "needs an argument" run mark.list -o
usage 2 "-o DIR is required" run mark.list
usage 2 "no TESTS" run -o r
usage 2 "no results DIR" summary
usage 2 "no TESTS" list
usage 2 "unknown command 'bogus'" bogus
usage 2 "usage:" 
usage 2 "only -j" run --resume notprun -t x
usage 2 "only -j" run --resume notprun --timeout 3
usage 2 "only -j" run --resume notprun -o r
usage 2 "only -j" run --resume notprun mark.list

note "--help and --version"
expect_exit 0 "$PRUN" --help
check_grep "--help" "^usage: prun run" "$T/out"
for c in run summary list; do
	expect_exit 0 "$PRUN" $c --help
	check_grep "$c --help" "^usage: prun $c" "$T/out"
	check "$c --help: stderr" "" "$(cat "$T/err")"
done
expect_exit 0 "$PRUN" --version
check_grep "--version" '^prun [0-9][0-9.]*$' "$T/out"

note "prun list"
expect_exit 0 "$PRUN" list -t '^basic/' -x hang "$EXAMPLES/tests"
check "list -t -x" "basic/crash basic/fail basic/pass basic/skip" \
    "$(tr '\n' ' ' <"$T/out" | sed 's/ $//')"
# Several -t select in plan order, not in the order of the -t.
expect_exit 0 "$PRUN" list -t tap -t '^list/' -t '^basic/p' \
    "$EXAMPLES/tests" "$EXAMPLES/suite.list"
check "list -t -t -t" "basic/pass output/tap list/true list/echo list/sh-syntax list/exit3" \
    "$(tr '\n' ' ' <"$T/out" | sed 's/ $//')"
expect_exit 0 "$PRUN" list "$EXAMPLES/profile.json" "$EXAMPLES/suite.list"
check "list order of sources" 10 "$(wc -l <"$T/out")"
check "first of the profile first" profile/string "$(head -n 1 "$T/out")"
# A list that selects nothing is a usage error, as for run (issue 12).
usage 2 "no tests" list empty.list
usage 2 "no tests" list -x mark mark.list

note "options after the operands"
expect_exit 0 "$PRUN" run mark.list -o r --fsync never
check_true "the test ran" test -e "$T/ran"
check "argv as typed" '["run", "mark.list", "-o", "r", "--fsync", "never"]' \
    "$(jget r/metadata.json "d['argv'][1:]")"
check "options after the operands" never \
    "$(jget r/metadata.json "d['options']['fsync']")"
rm -rf "$T/ran" r
usage 2 "^prun: -o: No such file" run -o r -- mark.list -o

note "names and paths that are not UTF-8"
# Only recorded for people: a results directory not named in UTF-8 works.
expect_exit 0 "$PRUN" run -o "$(printf 'r\377')" mark.list
check_true "the test ran" test -e "$T/ran"
rm -rf "$T/ran" "$(printf 'r\377')"
# What runs must be stored exactly: a command that is not UTF-8 is refused.
mkdir "$(printf 'dir\377')"
printf '#!/bin/sh\ntrue\n' >"$(printf 'dir\377/t')"
chmod +x "$(printf 'dir\377/t')"
usage 2 "not valid UTF-8" run -o r mark.list "$(printf 'dir\377')"
exit 0
