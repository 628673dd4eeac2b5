/*
 * cli_help: what prun says about its own command line: the usage of each
 * command, and for --help one line per option.  The option tables that
 * these texts describe are in cli.c; tests/shell/man.sh checks that the
 * man page documents every option of those tables.
 */
#include <stdio.h>

#include "cli.h"

static const char usage_run[] =
    "usage: prun run [-qv] [-j N] [-t REGEX]... [-x REGEX]... [--timeout S]\n"
    "                [--kill-after S] [--max-output BYTES]\n"
    "                [--fsync always|never] [--max-attempts N] [--no-retry]\n"
    "                [--shard K/N|auto|auto/N] [--wrapper CMD]\n"
    "                [--rerun-failures N] [--overall-timeout S]\n"
    "                [--progress auto|tty|lines|none] [-b json|junit]\n"
    "                [--heartbeat S] [--failure-lines N]\n"
    "                [--color auto|always|never]\n"
    "                [--history SRC]... [--tests-from FILE]...\n"
    "                [--failed-from SRC]... [--max-fail N]\n"
    "                [--dmesg] [--dmesg-regex REGEX] [--abort-on-taint[=MASK]]\n"
    "                [--abort-on REGEX] [--leaks note|warn|fail] "
    "[--events FILE]\n"
    "                [--repeat N [--until-fail]]\n"
    "                -o DIR TESTS...\n"
    "       prun run --resume DIR [-qv] [-j N] [--max-attempts N] "
    "[--no-retry]\n"
    "                [--overall-timeout S] [--progress auto|tty|lines|none]\n"
    "                [--heartbeat S] [--failure-lines N]\n"
    "                [--color auto|always|never] [--max-fail N]\n";
static const char usage_summary[] =
    "usage: prun summary [-f text|json|junit|tap|baseline|html] [-o FILE]\n"
    "                    [--baseline FILE] [--flakes FILE] [--allow-fixes] "
    "DIR...\n"
    "                    [--color auto|always|never]\n"
    "       prun summary --compare [-o FILE] OLD NEW\n"
    "       prun summary -f html --compare [-o FILE] RUN RUN...\n"
    "                    (RUN: a DIR, or DIR,DIR,... the shards of one run)\n"
    "       -f html also takes [--html-output failing|all|none]\n"
    "                          [--html-max-output BYTES]\n"
    "       -f junit also takes [--junit-subtests]\n"
    "                           [--junit-max-output BYTES]\n"
    "                           [--split N] (with -o FILE)\n"
    "       -f json also takes [--piglit-names]\n";
static const char usage_status[] =
    "usage: prun status [--json] DIR\n";
static const char help_status[] =
    "      --json              one JSON object instead of text\n"
    "  -h, --help              show this help\n"
    "Read-only: what the run in DIR is doing now.  See prun(1).\n";
static const char usage_list[] =
    "usage: prun list [-v] [-t REGEX]... [-x REGEX]... "
    "[--shard K/N|auto|auto/N]\n"
    "                 [--wrapper CMD] [--history SRC]... [--tests-from FILE]...\n"
    "                 [--failed-from SRC]... TESTS...\n";
/* --help: the usage, then one line per option. */
static const char help_run[] =
    "  -o, --output DIR        the results directory to create\n"
    "  -j, --jobs N            run N tests at once (default: the CPUs)\n"
    "  -t, --include REGEX     run only tests whose name matches (POSIX ERE)\n"
    "  -x, --exclude REGEX     leave out tests whose name matches (POSIX ERE)\n"
    "  -q, --quiet             print only errors\n"
    "  -v, --verbose           print every test as it ends\n"
    "      --timeout S         stop a test after S seconds (timeout)\n"
    "      --kill-after S      SIGKILL S seconds after the SIGTERM\n"
    "      --max-output BYTES  keep at most BYTES of each output stream\n"
    "      --fsync always|never  make each result durable, or not\n"
    "      --max-attempts N    give a test up after N interrupted attempts\n"
    "      --no-retry          --max-attempts 1\n"
    "      --shard K/N|auto|auto/N  run only the K-th of N shards\n"
    "      --wrapper CMD       run every test through CMD\n"
    "      --rerun-failures N  run a failing test again, up to N times\n"
    "      --repeat N          run each test N times; its status is the\n"
    "                          worst of them\n"
    "      --until-fail        with --repeat: stop at a test's first failure\n"
    "      --overall-timeout S  start no test after S seconds\n"
    "      --progress auto|tty|lines|none  how progress is shown\n"
    "      --heartbeat S       lines: a line after S silent seconds "
    "(60; 0: off)\n"
    "      --failure-lines N   show N last lines of a failure's stderr "
    "(5)\n"
    "      --color auto|always|never  statuses in colour (auto: a "
    "terminal)\n"
    "  -b, --backend json|junit  the format of each result file\n"
    "      --history SRC       longest tests first, shards cut by time, from\n"
    "                          the durations in SRC (DIR, DIR,DIR... or a\n"
    "                          JSON report); may be repeated\n"
    "      --tests-from FILE   run only the tests named in FILE (-: stdin)\n"
    "      --failed-from SRC   run only the tests that did not pass or skip\n"
    "                          in SRC (DIR, DIR,DIR... or a JSON report)\n"
    "      --max-fail N        start no new test after N failed, crashed or\n"
    "                          timed out (0: no limit)\n"
    "      --resume DIR        continue the run recorded in DIR\n"
    "      --dmesg             keep each test's kernel log lines; judge them\n"
    "      --dmesg-regex REGEX  the lines that make a test dmesg-warn/fail\n"
    "      --abort-on-taint[=MASK]  exit 4 when the kernel gets tainted\n"
    "      --abort-on REGEX    exit 4 when a kernel log line matches\n"
    "      --leaks note|warn|fail  what processes left behind do to a test\n"
    "      --events FILE       the run as JSON lines (-: standard output)\n"
    "  -h, --help              show this help\n"
    "TESTS: test-list files, JSON profiles or directories; - reads a list "
    "from\nstandard input.  See prun(1).\n";
static const char help_summary[] =
    "  -f, --format FORMAT     text, json, junit, tap, baseline or html\n"
    "  -o, --output FILE       write the report to FILE (-: standard output)\n"
    "      --baseline FILE     judge failures against expected ones\n"
    "      --flakes FILE       regexes of tests known to be flaky\n"
    "      --allow-fixes       a baseline failure that passes is no error\n"
    "      --compare           compare runs: OLD NEW (or RUN... with -f html)\n"
    "      --html-output failing|all|none  which outputs -f html shows\n"
    "      --html-max-output BYTES  cap each output -f html shows\n"
    "      --junit-subtests    -f junit: one testcase per subtest\n"
    "      --junit-max-output BYTES  -f junit: cap each output\n"
    "      --color auto|always|never  -f text: statuses in colour\n"
    "      --piglit-names      -f json: groups split by '@', as piglit does\n"
    "      --split N           -f junit: reports of N testcases at most,\n"
    "                          -o junit.xml giving junit-1.xml, junit-2.xml\n"
    "  -h, --help              show this help\n"
    "See prun(1).\n";
static const char help_list[] =
    "  -t, --include REGEX     list only tests whose name matches (POSIX ERE)\n"
    "  -x, --exclude REGEX     leave out tests whose name matches (POSIX ERE)\n"
    "  -v, --verbose           also the plan index and the command\n"
    "      --shard K/N|auto|auto/N  list only the K-th of N shards\n"
    "      --wrapper CMD       show the commands run through CMD\n"
    "      --history SRC       order and cut shards by the durations in SRC;\n"
    "                          with -v show each test's expected time\n"
    "      --tests-from FILE   list only the tests named in FILE (-: stdin)\n"
    "      --failed-from SRC   list only the tests that failed in SRC\n"
    "  -h, --help              show this help\n"
    "TESTS: test-list files, JSON profiles or directories; - reads a list "
    "from\nstandard input.  See prun(1).\n";
static const char help_all[] =
    "commands:\n"
    "  run       run tests, each result kept in its own file\n"
    "  summary   report, judge or compare results directories\n"
    "  list      the tests a run would execute\n"
    "  status    what a run is doing now (read-only)\n"
    "options:\n"
    "  -h, --help              show this help (COMMAND --help: its options)\n"
    "      --version           show prun's version\n";

static const char usage_all[] =
    "usage: prun run [OPTIONS] -o DIR TESTS...\n"
    "       prun run --resume DIR [OPTIONS]\n"
    "       prun summary [OPTIONS] DIR...\n"
    "       prun list [OPTIONS] TESTS...\n"
    "       prun status [--json] DIR\n"
    "       prun --help | --version | COMMAND --help\n"
    "See prun(1).\n";

/* The usage text of a command. */
const char *
cli_usage(enum cli_command cmd)
{
	switch (cmd) {
	case CLI_RUN:
		return usage_run;
	case CLI_SUMMARY:
		return usage_summary;
	case CLI_LIST:
		return usage_list;
	case CLI_STATUS:
		return usage_status;
	default:
		return usage_all;
	}
}

/* The --help text of a command: its usage and one line per option. */
const char *
cli_help(enum cli_command cmd)
{
	static char buf[4096];
	const char *more;

	switch (cmd) {
	case CLI_RUN:
		more = help_run;
		break;
	case CLI_SUMMARY:
		more = help_summary;
		break;
	case CLI_LIST:
		more = help_list;
		break;
	case CLI_STATUS:
		more = help_status;
		break;
	default:
		more = help_all;
		break;
	}
	snprintf(buf, sizeof buf, "%s%s", cli_usage(cmd), more);
	return buf;
}

