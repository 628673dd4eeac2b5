#!/bin/sh
# empty_names.sh: a test name with an empty group or case name ("a/",
# "a//b", "/x") is refused in a new run, with its file and line, from a
# test list and a profile (issue 12, item 3); a results directory that
# already holds one still resumes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
for name in a/ a//b /x /; do
	printf 'fine true\n%s true\n' "$name" >bad.list
	for cmd in list "run -o r"; do
		# shellcheck disable=SC2086
		expect_exit 2 "$PRUN" $cmd bad.list
		check_grep "$cmd '$name'" \
		    "^prun: bad.list:2: invalid test name '$name': an empty group or case name" \
		    "$T/err"
		[ -e r ] && fail "$cmd '$name' made a results directory"
	done
	printf '{"tests": [{"name": "%s", "command": "true"}]}\n' "$name" \
	    >bad.json
	expect_exit 2 "$PRUN" list bad.json
	check_grep "profile '$name'" "^prun: bad.json:tests\\[0\\]: invalid test name" \
	    "$T/err"
done

note "a results directory that holds such a name still resumes"
printf 'a/b true\nc true\n' >ok.list
expect_exit 0 "$PRUN" run -q --fsync never -o old ok.list
sed 's#"a/b"#"a/"#g' old/metadata.json >md && mv md old/metadata.json
rm old/tests/000000.json
expect_exit 0 "$PRUN" run -q --resume old
expect_exit 0 "$PRUN" summary old
check_grep "both pass" "^pass *2$" "$T/out"
exit 0
