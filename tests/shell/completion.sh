#!/bin/sh
# completion: the bash completion (completion/prun) driven as bash does,
# through COMP_WORDS and COMP_CWORD: commands, each command's options
# (those of its --help), option values (formats, backends, progress
# modes, fsync, --shard auto), test files, and results directories for
# --resume and summary.  Needs bash, not the bash-completion package.
# The zsh completion is checked for syntax where zsh is installed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"
command -v bash >/dev/null 2>&1 || skip "bash not found"

cd "$T" || fail "cd $T"
mkdir -p bin results-1 results-2 notes tests
ln -s "$PRUN" bin/prun
echo '{}' >results-1/metadata.json
echo '{}' >results-2/metadata.json
echo 't1 true' >tests/suite.list

# offers WORDS...: what completing the last word of the command line
# WORDS offers, sorted, on one line.
offers() {
	PATH=$T/bin:$PATH bash -c '
		. "$1/completion/prun" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_prun || exit 1
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}" |
		    sort | tr "\n" " "
	' bash "$top_srcdir" "$@" || fail "the completion of '$*' failed"
}

# case WANT WORDS...: completing WORDS offers WANT.
case_() {
	_want=$1
	shift
	check "completion of '$*'" "$_want" "$(offers "$@")"
}

note "commands"
case_ "--help --version list run summary " prun ""
case_ "run " prun r
case_ "summary " prun su

note "options of each command, from its --help"
case_ "--fsync " prun run --fs
case_ "--backend " prun run --ba
case_ "--max-attempts --max-fail --max-output " prun run --max
case_ "--piglit-names " prun summary --pig
case_ "--split " prun summary --spl
case_ "--shard " prun list --sh
for cmd in run summary list; do
	"$PRUN" $cmd --help | sed -n 's/^ *\(-., \)\{0,1\}\(--[a-z-]*\).*/\2/p' \
	    >"$cmd.opts"
	[ -s "$cmd.opts" ] || fail "no options in prun $cmd --help"
	got=$(offers prun "$cmd" --)
	while read -r opt; do
		case " $got" in
		*" $opt "*) ;;
		*) fail "prun $cmd --: $opt is not offered (got: $got)" ;;
		esac
	done <"$cmd.opts"
done
# A lone '-': the short options and the long ones.
got=$(offers prun run -)
for opt in -b -h -j -o -q -t -v -x --backend --output; do
	case " $got" in
	*" $opt "*) ;;
	*) fail "prun run -: $opt is not offered (got: $got)" ;;
	esac
done

note "option values"
case_ "always never " prun run --fsync ""
case_ "auto lines none tty " prun run --progress ""
case_ "json junit " prun run --backend ""
case_ "json junit " prun run -b ""
case_ "junit " prun run -b ju
case_ "auto auto/ " prun run --shard ""
case_ "baseline html json junit tap text " prun summary -f ""
case_ "json junit " prun summary --format j
case_ "all failing none " prun summary --html-output ""
case_ "" prun run -j ""
case_ "" prun run --timeout ""

note "files and results directories"
case_ "tests/suite.list " prun run tests/s
case_ "tests/suite.list " prun list -v tests/s
case_ "results-1 results-2 " prun run --resume ""
case_ "results-1 results-2 " prun summary -f json ""
case_ "results-2 " prun summary results-2
# Where no directory holds a run, every directory, to descend into.
case_ "notes " prun summary no
# -o of run is a new directory; of summary, a file.
case_ "notes " prun run -o no
case_ "tests/suite.list " prun summary -o tests/s

if command -v zsh >/dev/null 2>&1; then
	note "zsh: the syntax of completion/_prun"
	zsh -n "$top_srcdir/completion/_prun" || fail "zsh -n completion/_prun"
else
	note "zsh not installed: completion/_prun not checked"
fi
note "ok"
