# Helpers of the html report tests (sourced): a small suite with a test of
# each kind, a name and an output that try to inject markup, and two runs
# of a suite that changed between them.

# Write the suite to $1/suite.list and run it into $1/run.
html_single() {
	cat > "$1/suite.list" <<'LIST'
basic/pass exec true
basic/fail echo 'it broke' >&2; exit 1
basic/skip echo 'no device'; exit 77
basic/warn echo 'PIGLIT: {"result": "warn"}'
deep/a/b/pass echo 'a passing test says this'
deep/a/c/crash exec kill -SEGV $$
inject/<script>alert(1)</script> echo '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'; exit 1
quote/"'&amp;<b> printf 'a]]>b\001\002\003c\n'
LIST
	"$PRUN" run -q --fsync never -j 2 -o "$1/run" "$1/suite.list"
	test -f "$1/run/metadata.json"
}

# Two runs of a suite that changed: $1/old and $1/new (and new as two
# shards, $1/new-1 and $1/new-2).
html_compare() {
	cat > "$1/old.list" <<'LIST'
gpu/basic/clear exec true
gpu/basic/flip test -z "$FLIP"
gpu/shaders/fixme test -n "$FLIP"
gpu/shaders/gone exec true
cc/pr1 exec true
cc/pr2 exit 77
LIST
	cat > "$1/new.list" <<'LIST'
gpu/basic/clear exec true
gpu/basic/flip test -z "$FLIP"
gpu/basic/added exec false
gpu/shaders/fixme test -n "$FLIP"
cc/pr1 exec true
cc/pr2 exit 77
LIST
	"$PRUN" run -q --fsync never -o "$1/old" "$1/old.list"
	FLIP=1 "$PRUN" run -q --fsync never -o "$1/new" "$1/new.list"
	FLIP=1 "$PRUN" run -q --fsync never --shard 1/2 -o "$1/new-1" \
	    "$1/new.list"
	FLIP=1 "$PRUN" run -q --fsync never --shard 2/2 -o "$1/new-2" \
	    "$1/new.list"
	test -f "$1/new-2/metadata.json"
}
