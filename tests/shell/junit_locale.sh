#!/bin/sh
# junit_locale: numbers in the JUnit report and the XML fragments are
# written in the C locale whatever LC_ALL says.  A comma-decimal locale
# (de_DE.UTF-8) is built with localedef into a private LOCPATH, so the
# test needs no root and no installed locale, only the locales sources.
. "$top_srcdir/tests/shell/lib_junit.sh"
need_xmllint
command -v localedef >/dev/null 2>&1 || skip "localedef not found"
[ -x /usr/bin/printf ] || skip "/usr/bin/printf not found"

mkdir "$tmp/locale"
localedef -i de_DE -f UTF-8 "$tmp/locale/de_DE.UTF-8" >/dev/null 2>&1 ||
    skip "cannot build de_DE.UTF-8 (Debian: install locales)"
LOCPATH=$tmp/locale
export LOCPATH
[ "$(LC_ALL=de_DE.UTF-8 /usr/bin/printf '%.1f' 1.5)" = "1,5" ] ||
    skip "the de_DE.UTF-8 locale does not take effect here"

# The unit tests take the locale from the environment (setlocale).
for t in check_fragment_xml check_report_junit check_xmlout; do
	LC_ALL=de_DE.UTF-8 "$top_builddir/tests/unit/$t" >"$tmp/$t.log" 2>&1 || {
		cat "$tmp/$t.log" >&2
		fail "$t fails under de_DE.UTF-8"
	}
	grep -q "checked under a locale whose decimal point is ','" \
	    "$tmp/$t.log" || fail "$t did not run under the comma locale"
done

# And prun itself, end to end.
cat >"$tmp/list" <<'LIST'
num/pass exec true
num/slow sleep 0.2
num/fail exec false
LIST
LC_ALL=de_DE.UTF-8 prun_run --backend junit --timeout 2.5 \
    --kill-after 1.5 -o "$tmp/d" "$tmp/list" || true
LC_ALL=de_DE.UTF-8 "$PRUN" summary -f junit -o "$tmp/r.xml" "$tmp/d" ||
    true
validate "$tmp/r.xml" "$tmp"/d/tests/*.xml
! grep -Eq '(time|value)="-?[0-9]+,[0-9]' "$tmp/r.xml" "$tmp"/d/tests/*.xml ||
    fail "a number is written with a comma"
grep -Eq '<testcase classname="num" name="slow" time="0\.[0-9]{3}"' \
    "$tmp/r.xml" || fail "the slow test's time is not written 0.NNN"
grep -q 'name="prun.timeout" value="2.5"' "$tmp/r.xml" ||
    fail "the timeout property is not 2.5"
grep -Eq 'name="prun.time.start" value="[0-9]+\.[0-9]+"' \
    "$tmp/d/tests/000000.xml" || fail "a fragment's time is not C locale"
exit 0
