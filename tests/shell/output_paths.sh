#!/bin/sh
# output_paths.sh: where prun writes a report (issue 12, items 9 and 10).
# summary -o onto a device node, a FIFO, a socket, /dev/fd/N,
# /proc/self/fd/N or /dev/stdout writes into it and never replaces it; -o -
# is standard output; an output inside a results directory being read is
# refused; a dead summary's temporary file is removed; errors name the
# user's path (or standard output), never the temporary.  The real /dev is
# never written: device nodes are made in $T, and /dev/stdout is tried only
# in a private mount namespace over a copy of it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

cd "$T" || fail "cd $T"
printf 'a/one true\na/two true\n' >two.list
expect_exit 0 "$PRUN" run -q --fsync never -o res two.list
expect_exit 0 "$PRUN" summary -f json -o want.json res

# The kind of file at a path, from stat(1).
kind()
{
	stat -c %F "$1"
}

note "-o onto a character device (mknod 1,3, /dev/null's numbers)"
if mknod nul c 1 3 2>/dev/null && echo probe >nul 2>/dev/null; then
	expect_exit 0 "$PRUN" summary -f json -o nul res
	check "the device after summary -o" "character special file" \
	    "$(kind nul)"
	# Still a device: what is written to it is gone.
	check "the device reads empty" 0 "$(wc -c <nul)"
	# /dev/full's numbers: a device that cannot take the report is an
	# error naming it, and stays a device.
	mknod full c 1 7 || fail "mknod full"
	expect_exit 3 "$PRUN" summary -f json -o full res
	check_grep "full device named" "^prun: full: cannot write" "$T/err"
	check_no_grep "no temporary named" "\\.tmp" "$T/err"
	check "the full device after summary -o" "character special file" \
	    "$(kind full)"
else
	note "cannot make a usable device node here (not root, or nodev): skipped"
fi

note "-o onto a FIFO with a reader"
mkfifo fifo || fail "mkfifo"
timeout 30 cat fifo >fifo.out &
reader=$!
expect_exit 0 "$PRUN" summary -f json -o fifo res
wait "$reader"
check "the FIFO after summary -o" fifo "$(kind fifo)"
cmp -s want.json fifo.out || fail "the report read from the FIFO differs"

note "-o onto a socket"
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' sock ||
    fail "cannot make a socket"
expect_exit 3 "$PRUN" summary -f json -o sock res
check_grep "socket named" "^prun: sock: cannot open" "$T/err"
check "the socket after summary -o" socket "$(kind sock)"

note "-o -, /dev/fd/1 and /proc/self/fd/1: standard output"
for out in - /dev/fd/1 /proc/self/fd/1; do
	expect_exit 0 "$PRUN" summary -f json -o "$out" res
	cmp -s want.json "$T/out" || fail "-o $out: not the report on stdout"
done
# Redirected into a file, fd 1 is written, not reopened nor replaced.
"$PRUN" summary -f json -o /dev/fd/1 res >redirected.json ||
    fail "-o /dev/fd/1 into a file"
cmp -s want.json redirected.json || fail "-o /dev/fd/1 into a file differs"

note "-o /dev/stdout, in a private mount namespace"
mkdir dev
ln -s /proc/self/fd/1 dev/stdout
if unshare -m --propagation private true 2>/dev/null; then
	# The namespace's /dev is the copy: a prun that replaced
	# /dev/stdout would replace dev/stdout here, not the machine's.
	unshare -m --propagation private sh -c \
	    'mount --bind "$1" /dev && exec "$2" summary -f json -o /dev/stdout "$3"' \
	    sh "$T/dev" "$PRUN" res >stdout.json 2>stdout.err ||
	    fail "-o /dev/stdout: $(cat stdout.err)"
	[ -L dev/stdout ] || fail "-o /dev/stdout replaced the link"
	cmp -s want.json stdout.json || fail "-o /dev/stdout: not the report"
else
	note "no private mount namespace here: /dev/stdout skipped"
fi

note "-o inside a results directory being read"
cp res/tests/000000.json keep.json
cp res/metadata.json keep-md.json
for out in res/tests/000000.json res/metadata.json res/new.json \
    ./res/../res/tests/x.json "$T/res/report.txt"; do
	expect_exit 2 "$PRUN" summary -f json -o "$out" res
	check_grep "-o $out refused" "inside the results directory res" \
	    "$T/err"
done
cmp -s keep.json res/tests/000000.json || fail "a fragment was replaced"
cmp -s keep-md.json res/metadata.json || fail "metadata.json was replaced"
ls -a res res/tests | grep -q 'tmp$' && fail "a temporary left in res"
expect_exit 2 "$PRUN" summary -f html --compare -o res/x.html res,res res
expect_exit 0 "$PRUN" summary -o res.txt res

note "temporaries of dead processes are removed, others kept"
dead=$(sh -c 'echo $$')
kill -0 "$dead" 2>/dev/null && fail "pid $dead is alive again"
: >".rep.txt.$dead.tmp"
: >".rep.txt.$$.tmp"
: >".rep.txt.tmp"
: >".other.txt.$dead.tmp"
expect_exit 0 "$PRUN" summary -o rep.txt res
[ -e ".rep.txt.$dead.tmp" ] && fail "a dead summary's temporary is left"
for f in ".rep.txt.$$.tmp" .rep.txt.tmp ".other.txt.$dead.tmp"; do
	[ -e "$f" ] || fail "$f was removed"
done

note "errors name the user's path, or standard output"
expect_exit 3 "$PRUN" summary -o nodir/rep.txt res
check_grep "the path named" "^prun: nodir/rep.txt: " "$T/err"
check_no_grep "no temporary named" "\\.tmp" "$T/err"
expect_exit 3 sh -c '"$1" list two.list >/dev/full' sh "$PRUN"
check_grep "list names standard output" "standard output" "$T/err"
expect_exit 3 sh -c '"$1" summary res >/dev/full' sh "$PRUN"
check_grep "summary names standard output" \
    "^prun: standard output: cannot write the report" "$T/err"
exit 0
