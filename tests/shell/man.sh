#!/bin/sh
# man.sh: the man page renders without warnings, and it and the usage text
# of each command document every option of the option tables in src/ and its folders.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

MAN=$top_srcdir/man/prun.1
command -v man >/dev/null 2>&1 || skip "man is not installed"

note "rendering"
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" >"$T/page" 2>"$T/warnings" ||
    fail "man -l $MAN failed: $(cat "$T/warnings")"
[ -s "$T/warnings" ] && fail "man warns: $(head -n 5 "$T/warnings")"
check_grep "rendered" "^NAME" "$T/page"
# Wide and in ASCII, so that no option is hyphenated or turned into U+2010.
LC_ALL=C MANWIDTH=1000 man -l "$MAN" 2>/dev/null >"$T/wide"

# Every "{ "name", ..._argument, NULL, VAL }" row of an option table, as
# "COMMAND NAME SHORT" (SHORT is - for a long-only option).
for f in "$top_srcdir"/src/*.c "$top_srcdir"/src/*/*.c; do
	sed -n -e 's/^static const struct option \([a-z]*\)_options.*/table \1/p' \
	    -e "s/^[[:space:]]*{ \"\\([a-z0-9-]*\\)\", [a-z_]*_argument, NULL, '\\(.\\)' },.*/opt \\1 \\2/p" \
	    -e 's/^[[:space:]]*{ "\([a-z0-9-]*\)", [a-z_]*_argument, NULL, [A-Z_]* },.*/opt \1 -/p' \
	    "$f"
done | awk '$1 == "table" { t = $2 } $1 == "opt" { print t, $2, $3 }' \
    >"$T/options"
check_true "option tables found" test "$(wc -l <"$T/options")" -gt 10

note "every option documented"
while read -r cmd name short; do
	grep -q -e "--$name\\b" "$T/wide" ||
	    fail "--$name ($cmd) is not in the man page"
	[ "$short" = - ] || grep -q -e "-$short\\b" "$T/wide" ||
	    fail "-$short ($cmd) is not in the man page"
	# The usage text of the command names it, in one of its forms.
	case $cmd in
	top) "$PRUN" --help >"$T/usage" ;;
	*) "$PRUN" "$cmd" --help >"$T/usage" ;;
	esac || fail "prun $cmd --help failed"
	[ "$name" = help ] && continue
	grep -q -e "--$name\\b" "$T/usage" ||
	    { [ "$short" != - ] && grep -q -e "-[a-zA-Z]*$short" "$T/usage"; } ||
	    fail "--$name is not in the usage of prun $cmd"
done <"$T/options"
exit 0
