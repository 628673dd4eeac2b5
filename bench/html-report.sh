#!/bin/sh
# How fast the html report of a big run is written and opened.
#
#   bench/html-report.sh [N] [WORKDIR]     (from a built tree; N: 100000)
#
# Runs a synthetic suite of N tests with prun (grouped like piglit's,
# about 2% failing with some output, 1% skipped; about 5 minutes for
# 100000 on 2 cores), keeps it in WORKDIR (default /tmp/prun-bench-N) so
# that a second call skips the run, writes the html report (time and
# size), then opens it three times in headless Chromium and prints when
# it painted: the paint entries of the Paint Timing API and the
# navigation's DOMContentLoaded and load, read over the DevTools protocol
# by tests/html_browser.py (each in a fresh tab of one browser), with the
# CPU time of the renderer's main thread and the DOM nodes it built.  The
# times are wall-clock: on a machine shared with other work, the CPU time
# is the steadier figure.
set -eu
n=${1:-100000}
work=${2:-/tmp/prun-bench-$n}
top=$(cd "$(dirname "$0")/.." && pwd)
prun=${PRUN:-$top/prun}
mkdir -p "$work"
if ! [ -f "$work/run/metadata.json" ]; then
	awk -v n="$n" 'BEGIN {
		for (i = 0; i < n; i++) {
			name = sprintf("spec/suite%02d/group%03d/test%06d",
			    int(i / 10000), int(i / 100) % 100, i)
			if (i % 50 == 7)
				cmd = "echo \"expected 1, got " i "\"; exit 1"
			else if (i % 100 == 13)
				cmd = "exit 77"
			else
				cmd = "exec true"
			print name, cmd
		}
	}' > "$work/suite.list"
	start=$(date +%s)
	"$prun" run -q --fsync never -j "$(nproc)" -o "$work/run" \
	    "$work/suite.list" || true
	echo "ran $n tests in $(($(date +%s) - start)) s"
fi
start=$(date +%s.%N)
"$prun" summary -f html -o "$work/report.html" "$work/run" || true
echo "summary -f html: $(awk -v a="$start" -v b="$(date +%s.%N)" \
    'BEGIN { printf "%.1f", b - a }') s, $(wc -c < "$work/report.html") bytes"
python3 "$top/tests/shell/html_browser.py" paint "$work/report.html" 3
