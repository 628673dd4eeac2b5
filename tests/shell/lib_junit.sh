# lib_junit.sh: helpers of the shell tests of the JUnit and TAP reports,
# on top of lib.sh (fail, skip, the scratch directory $T, here also $tmp).
# Sourced by tests/shell/*.sh run from make check, which exports PRUN,
# top_srcdir and top_builddir.

set -eu
: "${PRUN:?run from make check}" "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/shell/lib.sh"

XSD=$top_srcdir/tests/data/junit-10.xsd
HOSTILE=$top_srcdir/tests/shell/hostile_output
tmp=$T

# Skip unless xmllint (Debian: libxml2-utils) is installed.
need_xmllint() {
	command -v xmllint >/dev/null 2>&1 ||
	    skip "xmllint not found (install libxml2-utils)"
}

# Check that each file is valid against the JUnit schema.
validate() {
	for f in "$@"; do
		xmllint --noout --huge --schema "$XSD" "$f" \
		    2>"$tmp/xmllint.err" || {
			head -20 "$tmp/xmllint.err" >&2
			fail "$f is not valid against junit-10.xsd"
		}
	done
}

# A run that does not need durability or a progress line.
prun_run() {
	"$PRUN" run --fsync never --progress none "$@"
}

# prun's exit status without letting set -e stop the test.
status_of() {
	set +e
	"$@"
	st=$?
	set -e
	return 0
}

# The size of a file in bytes.
size_of() {
	wc -c <"$1" | tr -d ' '
}
