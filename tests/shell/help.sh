#!/bin/sh
# help.sh: help and errors a person sees (issue 12, item 14).  -h works;
# --help shows one line per option; a misspelt option or command gets "did
# you mean"; a bad -t/-x says it is a POSIX extended regular expression and
# shows what a glob meant; - reads a test list from standard input; prun
# list that selects nothing exits 2; --compare counts tests and subtests
# apart; the man page's list of baseline verdicts is quoted right.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
printf 'a/one true\na/two true\n' >two.list

note "-h and --help"
for cmd in "" run summary list; do
	# shellcheck disable=SC2086
	expect_exit 0 "$PRUN" $cmd -h
	cp "$T/out" h.txt
	# shellcheck disable=SC2086
	expect_exit 0 "$PRUN" $cmd --help
	cmp -s h.txt "$T/out" || fail "prun $cmd: -h and --help differ"
	check_grep "prun $cmd -h" "^usage: " "$T/out"
done

# Every long option of a command on a line of its own, first on the line.
for cmd in run summary list; do
	"$PRUN" "$cmd" --help >help.txt || fail "prun $cmd --help"
	sed -n "/^static const struct option ${cmd}_options/,/^};/p" \
	    "$top_srcdir/src/cli.c" |
	    sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)",.*/\1/p' >names.txt
	check_true "$cmd: option table found" test -s names.txt
	while read -r name; do
		grep -q -e "^ *\\(-[a-z], \\)\\{0,1\\}--$name\\b" help.txt ||
		    fail "prun $cmd --help: no line for --$name"
	done <names.txt
done

note "did you mean"
expect_exit 2 "$PRUN" run --outptu r two.list
check_grep "misspelt option" "did you mean '--output'?" "$T/err"
expect_exit 2 "$PRUN" summary --compre a b
check_grep "misspelt summary option" "did you mean '--compare'?" "$T/err"
expect_exit 2 "$PRUN" lsit two.list
check_grep "misspelt command" "did you mean 'list'?" "$T/err"
expect_exit 2 "$PRUN" --hlep
check_grep "misspelt top option" "did you mean '--help'?" "$T/err"
expect_exit 2 "$PRUN" run --zzzzzzzz two.list
check_no_grep "nothing close" "did you mean" "$T/err"
expect_exit 2 "$PRUN" run -o r --timeout
check_grep "missing argument" "needs an argument" "$T/err"

note "a glob given as -t or -x"
expect_exit 2 "$PRUN" list -t '*foo*' two.list
check_grep "-t glob" "POSIX extended regular expression" "$T/err"
check_grep "-t glob hint" "did you mean '\\.\\*foo\\.\\*'" "$T/err"
expect_exit 2 "$PRUN" run -o r -x '*.c' two.list
check_grep "-x glob hint" "did you mean '\\.\\*\\\\\\.c\\$'" "$T/err"
[ -e r ] && fail "a bad -x made a results directory"
expect_exit 2 "$PRUN" list -t '(' two.list
check_grep "not a glob" "POSIX extended regular expression" "$T/err"
check_no_grep "no glob hint" "did you mean" "$T/err"

note "- reads a test list from standard input"
expect_exit 0 sh -c 'printf "z/one true\\n" | "$1" list -' sh "$PRUN"
check "list -" "z/one" "$(cat "$T/out")"
expect_exit 0 sh -c 'printf "z/one true\\n" | "$1" run -q -o r2 - two.list' \
    sh "$PRUN"
check "run -: the tests of stdin and the file" 3 \
    "$(ls r2/tests | grep -c '^[0-9]*\.json$')"

note "prun list that selects nothing"
expect_exit 2 "$PRUN" list -t nomatch two.list
check_grep "empty list" "no tests" "$T/err"
check "nothing on stdout" "" "$(cat "$T/out")"

note "--compare counts tests and subtests apart"
printf 'echo "ok 1 - x"; echo "ok 2 - y"; echo "1..2"\n' >tap.sh
printf 't/tap sh tap.sh\nt/one true\n' >sub.list
expect_exit 0 "$PRUN" run -q --fsync never -o s1 sub.list
expect_exit 0 "$PRUN" summary --compare s1 s1
check_grep "tests and subtests" \
    "^OK: 2 tests (2 subtests) in s1, 2 tests (2 subtests) in s1$" "$T/out"

note "man page: the baseline verdicts quoted one by one"
if command -v man >/dev/null 2>&1; then
	LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$top_srcdir/man/prun.1" \
	    >page.txt 2>/dev/null
	check_grep "verdicts" "(‘expected’, ‘known flake’, ‘fixed’)" page.txt
	check_no_grep "no nested quotes" "’’" page.txt
fi
exit 0
