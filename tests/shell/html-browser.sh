#!/bin/sh
# The html report in a real browser (headless Chromium over the DevTools
# protocol): the counts it shows, the status filter clicked with and
# without JavaScript, the name filter, the comparison filter, no markup
# injected by names or output.  Leaves tests/html-report.png and
# tests/html-report-compare.png in the build tree.  Skips (77) without
# chromium or python3.
set -eu
. "$top_srcdir/tests/shell/lib_html.sh"

chromium=${CHROMIUM:-/usr/bin/chromium}
if ! [ -x "$chromium" ] || ! command -v python3 >/dev/null; then
	echo "skip: needs $chromium and python3"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

html_single "$tmp" || true
html_compare "$tmp" || true
rc=0
"$PRUN" summary -f html -o "$tmp/single.html" "$tmp/run" || rc=$?
[ "$rc" -eq 1 ] || { echo "summary exited $rc, not 1"; exit 1; }
rc=0
"$PRUN" summary -f html --compare -o "$tmp/compare.html" \
    "$tmp/old" "$tmp/new" || rc=$?
[ "$rc" -eq 1 ] || { echo "summary --compare exited $rc, not 1"; exit 1; }

mkdir -p "$top_builddir/tests"
shot=$top_builddir/tests/html-report.png
rm -f "$shot" "$top_builddir/tests/html-report-compare.png"
python3 "$top_srcdir/tests/shell/html_browser.py" check "$tmp/single.html" \
    "$tmp/compare.html" "$shot" '{
	"counts": {"pass": 3, "warn": 1, "skip": 1, "notrun": 0, "fail": 2,
	    "timeout": 0, "crash": 1, "incomplete": 0},
	"tests": 8, "pass_only": 3, "name": "BASIC/", "name_shown": 3,
	"injected": "inject/<script>alert(1)</script>",
	"compare": {"regression_row": ["0", "1"], "regressed": ["flip"],
	    "fixed": ["fixme"], "rows": 7}}'
test -s "$shot" && test -s "$top_builddir/tests/html-report-compare.png"
