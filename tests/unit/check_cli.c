/*
 * check_cli: unit tests of prun's command line: every option of run,
 * summary and list, the parsing of seconds and byte counts, what --resume
 * forbids, and the messages of usage errors.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "cli.h"
#include "unit.h"

#define MAXARGS	32

/* Parse the NULL-terminated words given, expecting success. */
static void
parse_ok(struct cli *c, ...)
{
	char *argv[MAXARGS];
	struct prun_error err;
	va_list ap;
	int argc = 0;

	va_start(ap, c);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		ck_assert_int_lt(++argc, MAXARGS);
	va_end(ap);
	memset(&err, 0, sizeof err);
	ck_assert_msg(cli_parse(c, argc, argv, &err) == 0, "%s", err.msg);
}

/* Parse the NULL-terminated words, expecting a usage error; returns the
 * message (static). */
static const char *
parse_fails_argv(const char *const *words)
{
	static struct prun_error err;
	char *argv[MAXARGS];
	struct cli c;
	int argc = 0;

	while ((argv[argc] = (char *)words[argc]) != NULL)
		ck_assert_int_lt(++argc, MAXARGS);
	memset(&err, 0, sizeof err);
	ck_assert_msg(cli_parse(&c, argc, argv, &err) == -1, "accepted %s %s",
	    argv[1], argc > 2 ? argv[2] : "");
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	cli_free(&c);
	return err.msg;
}

/* parse_fails_argv of the words given, the last one NULL. */
static const char *
parse_fails(const char *first, ...)
{
	const char *words[MAXARGS];
	va_list ap;
	int n = 1;

	words[0] = first;
	va_start(ap, first);
	while ((words[n] = va_arg(ap, const char *)) != NULL)
		ck_assert_int_lt(++n, MAXARGS);
	va_end(ap);
	return parse_fails_argv(words);
}

/* Assert that msg contains want. */
#define ck_assert_has(msg, want) \
	ck_assert_msg(strstr((msg), (want)) != NULL, "want '%s' in: %s", \
	    (want), (msg))

/* run with no options but -o: the defaults. */
START_TEST(run_defaults)
{
	struct prun_options d;
	struct cli c;

	options_defaults(&d);
	parse_ok(&c, "prun", "run", "-o", "out", "a.list", "b.json", NULL);
	ck_assert_int_eq(c.cmd, CLI_RUN);
	ck_assert_str_eq(c.output, "out");
	ck_assert_ptr_null(c.resume);
	ck_assert_uint_eq(c.nargs, 2);
	ck_assert_str_eq(c.args[0], "a.list");
	ck_assert_str_eq(c.args[1], "b.json");
	ck_assert_ptr_null(c.args[2]);
	ck_assert_int_eq(c.help, 0);
	ck_assert_int_eq(c.version, 0);
	ck_assert_uint_eq(c.given, 0);
	ck_assert_int_eq(c.jobs_given, 0);
	ck_assert_int_eq(c.attempts_given, 0);
	ck_assert_int_eq(c.opts.jobs, d.jobs);
	ck_assert_int_ge(c.opts.jobs, 1);
	ck_assert_double_eq(c.opts.timeout, 0);
	ck_assert_double_eq(c.opts.kill_after, 5);
	ck_assert_uint_eq(c.opts.max_output, 1024 * 1024);
	ck_assert_int_eq(c.opts.fsync, 1);
	ck_assert_int_eq(c.opts.max_attempts, 2);
	ck_assert_int_eq(c.opts.verbose, 0);
	ck_assert_int_eq(c.opts.progress, PROGRESS_AUTO);
	ck_assert_double_eq(c.opts.heartbeat, 60);
	ck_assert_int_eq(c.opts.failure_lines, 5);
	ck_assert_int_eq(c.opts.color, COLOR_AUTO);
	ck_assert_uint_eq(c.opts.ninclude, 0);
	ck_assert_uint_eq(c.opts.nexclude, 0);
	cli_free(&c);
}
END_TEST

/* Every option of run, short and long, with = and without. */
START_TEST(run_every_option)
{
	struct cli c;

	parse_ok(&c, "prun", "run", "-o", "o1", "-j", "3", "-t", "^gpu/",
	    "-x", "slow", "-t", "b", "-q", "--timeout", "2.5",
	    "--kill-after=0.25", "--max-output", "64K", "--fsync", "never",
	    "--max-attempts", "4", "--progress", "lines", "--backend", "junit",
	    "T", NULL);
	ck_assert_str_eq(c.output, "o1");
	ck_assert_int_eq(c.opts.backend, BACKEND_JUNIT);
	ck_assert_int_eq(c.opts.jobs, 3);
	ck_assert_int_eq(c.jobs_given, 1);
	ck_assert_uint_eq(c.opts.ninclude, 2);
	ck_assert_str_eq(c.opts.include[0], "^gpu/");
	ck_assert_str_eq(c.opts.include[1], "b");
	ck_assert_uint_eq(c.opts.nexclude, 1);
	ck_assert_str_eq(c.opts.exclude[0], "slow");
	ck_assert_int_eq(c.opts.verbose, -1);
	ck_assert_double_eq(c.opts.timeout, 2.5);
	ck_assert_double_eq(c.opts.kill_after, 0.25);
	ck_assert_uint_eq(c.opts.max_output, 65536);
	ck_assert_int_eq(c.opts.fsync, 0);
	ck_assert_int_eq(c.opts.max_attempts, 4);
	ck_assert_int_eq(c.attempts_given, 1);
	ck_assert_int_eq(c.opts.progress, PROGRESS_LINES);
	ck_assert_uint_ne(c.given, 0);
	ck_assert_uint_eq(c.nargs, 1);
	cli_free(&c);

	parse_ok(&c, "prun", "run", "--output=o2", "--jobs=1",
	    "--include=x", "--exclude", "y", "--verbose", "--no-retry",
	    "--fsync=always", "--progress=tty", "T1", "T2", NULL);
	ck_assert_str_eq(c.output, "o2");
	ck_assert_int_eq(c.opts.backend, BACKEND_JSON);
	ck_assert_int_eq(c.opts.jobs, 1);
	ck_assert_str_eq(c.opts.include[0], "x");
	ck_assert_str_eq(c.opts.exclude[0], "y");
	ck_assert_int_eq(c.opts.verbose, 1);
	ck_assert_int_eq(c.opts.max_attempts, 1);
	ck_assert_int_eq(c.attempts_given, 1);
	ck_assert_int_eq(c.opts.fsync, 1);
	ck_assert_int_eq(c.opts.progress, PROGRESS_TTY);
	ck_assert_uint_eq(c.nargs, 2);
	cli_free(&c);

	parse_ok(&c, "prun", "run", "-vqo", "o3", "-j4", "--progress", "none",
	    "--quiet", "T", NULL);
	ck_assert_str_eq(c.output, "o3");
	ck_assert_int_eq(c.opts.jobs, 4);
	ck_assert_int_eq(c.opts.verbose, -1);
	ck_assert_int_eq(c.opts.progress, PROGRESS_NONE);
	cli_free(&c);

	parse_ok(&c, "prun", "run", "-o", "a", "--progress", "auto", "-o",
	    "b", "T", NULL);
	ck_assert_str_eq(c.output, "b");
	ck_assert_int_eq(c.opts.progress, PROGRESS_AUTO);
	cli_free(&c);

	/* Options may follow the TESTS; they end at --. */
	parse_ok(&c, "prun", "run", "-o", "d", "T", "-j", "2", NULL);
	ck_assert_uint_eq(c.nargs, 1);
	ck_assert_str_eq(c.args[0], "T");
	ck_assert_int_eq(c.jobs_given, 1);
	ck_assert_int_eq(c.opts.jobs, 2);
	cli_free(&c);
	parse_ok(&c, "prun", "run", "-o", "d", "--", "-T", NULL);
	ck_assert_uint_eq(c.nargs, 1);
	ck_assert_str_eq(c.args[0], "-T");
	cli_free(&c);
}
END_TEST

/* run needs -o and TESTS, unless it resumes or only asks for help. */
START_TEST(run_missing)
{
	struct cli c;

	parse_ok(&c, "prun", "run", "--help", NULL);
	ck_assert_int_eq(c.help, 1);
	ck_assert_int_eq(c.cmd, CLI_RUN);
	cli_free(&c);
}
END_TEST

/* --resume takes the plan from the directory: only -j, the attempts,
 * progress and verbosity may be given again. */
START_TEST(resume)
{
	static const char *const forbidden[][2] = {
		{ "-o", "d" }, { "-t", "x" }, { "-x", "x" },
		{ "--timeout", "1" }, { "--kill-after", "1" },
		{ "--max-output", "1K" }, { "--fsync", "never" },
		{ "--include", "x" }, { "--exclude", "y" },
		{ "--backend", "junit" },
	};
	struct cli c;
	const char *m;
	size_t i;

	parse_ok(&c, "prun", "run", "--resume", "r", "-j", "2",
	    "--max-attempts", "3", "-v", "--progress", "none", NULL);
	ck_assert_str_eq(c.resume, "r");
	ck_assert_ptr_null(c.output);
	ck_assert_uint_eq(c.nargs, 0);
	ck_assert_int_eq(c.opts.jobs, 2);
	ck_assert_int_eq(c.jobs_given, 1);
	ck_assert_int_eq(c.opts.max_attempts, 3);
	ck_assert_int_eq(c.attempts_given, 1);
	ck_assert_int_eq(c.opts.verbose, 1);
	ck_assert_int_eq(c.opts.progress, PROGRESS_NONE);
	cli_free(&c);
	parse_ok(&c, "prun", "run", "--resume=r", "--no-retry", "-q", NULL);
	ck_assert_int_eq(c.opts.max_attempts, 1);
	cli_free(&c);
	/* How a run is shown is no part of its plan. */
	parse_ok(&c, "prun", "run", "--resume", "r", "--heartbeat", "0.5",
	    "--failure-lines", "0", "--color", "never", NULL);
	ck_assert_double_eq(c.opts.heartbeat, 0.5);
	ck_assert_int_eq(c.opts.failure_lines, 0);
	ck_assert_int_eq(c.opts.color, COLOR_NEVER);
	ck_assert_uint_eq(c.given, 0);
	cli_free(&c);
	parse_ok(&c, "prun", "run", "--resume", "r", "--heartbeat=0",
	    "--failure-lines=40", "--color=always", NULL);
	ck_assert_double_eq(c.opts.heartbeat, 0);
	ck_assert_int_eq(c.opts.failure_lines, 40);
	ck_assert_int_eq(c.opts.color, COLOR_ALWAYS);
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "--color", "always", "d", NULL);
	ck_assert_int_eq(c.opts.color, COLOR_ALWAYS);
	cli_free(&c);

	for (i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
		m = parse_fails("prun", "run", "--resume", "r",
		    forbidden[i][0], forbidden[i][1], NULL);
		ck_assert_has(m, "r/metadata.json");
		ck_assert_has(m, "only -j");
	}
}
END_TEST

/* summary: -f, -o and the DIRs. */
START_TEST(summary)
{
	struct cli c;

	parse_ok(&c, "prun", "summary", "r1", NULL);
	ck_assert_int_eq(c.cmd, CLI_SUMMARY);
	ck_assert_int_eq(c.format, REPORT_TEXT);
	ck_assert_ptr_null(c.output);
	ck_assert_uint_eq(c.nargs, 1);
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "-f", "json", "-o", "out.json", "r1",
	    "r2", "r3", NULL);
	ck_assert_int_eq(c.format, REPORT_JSON);
	ck_assert_str_eq(c.output, "out.json");
	ck_assert_uint_eq(c.nargs, 3);
	ck_assert_str_eq(c.args[2], "r3");
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "--format=tap", "--output", "-",
	    "r", NULL);
	ck_assert_int_eq(c.format, REPORT_TAP);
	ck_assert_str_eq(c.output, "-");
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "--format", "text", "r", NULL);
	ck_assert_int_eq(c.format, REPORT_TEXT);
	ck_assert_int_eq(c.junit_subtests, 0);
	ck_assert_uint_eq(c.junit_max_output, REPORT_JUNIT_MAX_OUTPUT);
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "-f", "junit", "--junit-subtests",
	    "--junit-max-output", "5M", "r", NULL);
	ck_assert_int_eq(c.format, REPORT_JUNIT);
	ck_assert_int_eq(c.junit_subtests, 1);
	ck_assert_uint_eq(c.junit_max_output, 5u << 20);
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "-f", "junit", "--junit-max-output=0",
	    "r", NULL);
	ck_assert_uint_eq(c.junit_max_output, 0);
	cli_free(&c);
}
END_TEST

/* summary -f html: --compare and the options of the html writer. */
START_TEST(summary_html)
{
	struct cli c;

	parse_ok(&c, "prun", "summary", "-f", "html", "r", NULL);
	ck_assert_int_eq(c.format, REPORT_HTML);
	ck_assert_int_eq(c.compare, 0);
	ck_assert_int_eq(c.show_output, REPORT_SHOW_FAILING);
	ck_assert_uint_eq(c.show_max, REPORT_SHOW_MAX);
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "-f", "html", "--compare",
	    "--html-output", "all", "--html-max-output=1M", "old", "a,b",
	    NULL);
	ck_assert_int_eq(c.compare, 1);
	ck_assert_int_eq(c.show_output, REPORT_SHOW_ALL);
	ck_assert_uint_eq(c.show_max, 1 << 20);
	ck_assert_uint_eq(c.nargs, 2);
	ck_assert_str_eq(c.args[1], "a,b");
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "-f", "html", "--html-output=none",
	    "--html-max-output", "0", "r", NULL);
	ck_assert_int_eq(c.show_output, REPORT_SHOW_NONE);
	ck_assert_uint_eq(c.show_max, 0);
	cli_free(&c);

}
END_TEST

/* list: -t, -x and TESTS. */
START_TEST(list)
{
	struct cli c;

	parse_ok(&c, "prun", "list", "-t", "a", "--include", "b", "-x", "c",
	    "--exclude=d", "T", NULL);
	ck_assert_int_eq(c.cmd, CLI_LIST);
	ck_assert_uint_eq(c.opts.ninclude, 2);
	ck_assert_str_eq(c.opts.include[1], "b");
	ck_assert_uint_eq(c.opts.nexclude, 2);
	ck_assert_str_eq(c.opts.exclude[1], "d");
	ck_assert_uint_eq(c.nargs, 1);
	cli_free(&c);
}
END_TEST

/* run's options for CI at scale: --shard, --wrapper, --rerun-failures,
 * --overall-timeout; what a resume takes again and what it refuses. */
START_TEST(run_ci_options)
{
	static const char *const forbidden[][2] = {
		{ "--shard", "1/2" }, { "--wrapper", "srun" },
		{ "--rerun-failures", "2" },
	};
	struct cli c;
	const char *m;
	size_t i;

	parse_ok(&c, "prun", "run", "-o", "d", "--shard", "2/3", "--wrapper",
	    "  srun\t-n 1 ", "--rerun-failures", "3", "--overall-timeout",
	    "59.5", "T", NULL);
	ck_assert_uint_eq(c.opts.shard.index, 2);
	ck_assert_uint_eq(c.opts.shard.total, 3);
	ck_assert_int_eq(c.opts.shard.source, SHARD_GIVEN);
	ck_assert_str_eq(c.opts.wrapper[0], "srun");
	ck_assert_str_eq(c.opts.wrapper[1], "-n");
	ck_assert_str_eq(c.opts.wrapper[2], "1");
	ck_assert_ptr_null(c.opts.wrapper[3]);
	ck_assert_int_eq(c.opts.rerun_failures, 3);
	ck_assert_double_eq(c.opts.overall_timeout, 59.5);
	ck_assert_int_eq(c.overall_given, 1);
	cli_free(&c);
	/* The last --wrapper wins; 0 reruns is allowed. */
	parse_ok(&c, "prun", "run", "-o", "d", "--wrapper", "a b",
	    "--wrapper=c", "--rerun-failures=0", "T", NULL);
	ck_assert_str_eq(c.opts.wrapper[0], "c");
	ck_assert_ptr_null(c.opts.wrapper[1]);
	ck_assert_int_eq(c.opts.rerun_failures, 0);
	cli_free(&c);


	parse_ok(&c, "prun", "run", "--resume", "r", "--overall-timeout", "0",
	    NULL);
	ck_assert_int_eq(c.overall_given, 1);
	ck_assert_double_eq(c.opts.overall_timeout, 0);
	cli_free(&c);
	for (i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
		m = parse_fails("prun", "run", "--resume", "r",
		    forbidden[i][0], forbidden[i][1], NULL);
		ck_assert_has(m, "--overall-timeout");
	}
}
END_TEST

/* summary's baseline options and --compare; list's -v, --shard, --wrapper. */
START_TEST(summary_ci_options)
{
	struct cli c;

	parse_ok(&c, "prun", "summary", "--baseline", "b.txt", "--flakes=f",
	    "--allow-fixes", "-f", "baseline", "r1", "r2", NULL);
	ck_assert_str_eq(c.baseline, "b.txt");
	ck_assert_str_eq(c.flakes, "f");
	ck_assert_int_eq(c.allow_fixes, 1);
	ck_assert_int_eq(c.format, REPORT_BASELINE);
	ck_assert_int_eq(c.compare, 0);
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "--compare", "-o", "c.txt", "old",
	    "new.json", NULL);
	ck_assert_int_eq(c.compare, 1);
	ck_assert_str_eq(c.args[1], "new.json");
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "--compare", "-f", "text", "a", "b",
	    NULL);
	cli_free(&c);

	parse_ok(&c, "prun", "list", "-v", "--shard", "1/4", "--wrapper",
	    "valgrind -q", "T", NULL);
	ck_assert_int_eq(c.opts.verbose, 1);
	ck_assert_uint_eq(c.opts.shard.total, 4);
	ck_assert_str_eq(c.opts.wrapper[1], "-q");
	cli_free(&c);
}
END_TEST

/* The top level: --help, --version, unknown commands and options. */
START_TEST(top_level)
{
	struct cli c;

	parse_ok(&c, "prun", "--help", NULL);
	ck_assert_int_eq(c.cmd, CLI_NONE);
	ck_assert_int_eq(c.help, 1);
	cli_free(&c);
	parse_ok(&c, "prun", "--version", NULL);
	ck_assert_int_eq(c.version, 1);
	cli_free(&c);
	parse_ok(&c, "prun", "summary", "--help", NULL);
	ck_assert_int_eq(c.cmd, CLI_SUMMARY);
	ck_assert_int_eq(c.help, 1);
	cli_free(&c);
}
END_TEST

/*
 * Usage errors: the words of a command line (after "prun") and parts of
 * the message each must give; "" checks only that it fails.
 */
static const struct {
	const char	*argv[16];
	const char	*msg[3];
} usage_errors[] = {
	/* Bad values of run's options name the option and the value. */
	{ { "prun", "run", "-o", "d", "-j", "0", "T" }, { "-j '0'" } },
	{ { "prun", "run", "-o", "d", "-j", "2x", "T" }, { "-j '2x'" } },
	{ { "prun", "run", "-o", "d", "-j", "100001", "T" }, { "-j" } },
	{ { "prun", "run", "-o", "d", "--timeout", "-1", "T" },
	    { "--timeout '-1'" } },
	{ { "prun", "run", "-o", "d", "--kill-after", "soon", "T" },
	    { "--kill-after 'soon'" } },
	{ { "prun", "run", "-o", "d", "--max-output", "1T", "T" },
	    { "--max-output '1T'" } },
	{ { "prun", "run", "-o", "d", "--fsync", "sometimes", "T" },
	    { "--fsync 'sometimes'" } },
	{ { "prun", "run", "-o", "d", "--max-attempts", "0", "T" },
	    { "--max-attempts '0'" } },
	{ { "prun", "run", "-o", "d", "--progress", "fancy", "T" },
	    { "--progress 'fancy'" } },
	{ { "prun", "run", "-o", "d", "--backend", "xml", "T" },
	    { "--backend 'xml'" } },
	{ { "prun", "run", "-o", "d", "--heartbeat", "soon", "T" },
	    { "--heartbeat 'soon'", "0: no heartbeat" } },
	{ { "prun", "run", "-o", "d", "--failure-lines", "-2", "T" },
	    { "--failure-lines '-2'" } },
	{ { "prun", "run", "-o", "d", "--color", "yes", "T" },
	    { "--color 'yes'", "auto, always or never" } },
	{ { "prun", "summary", "--color", "yes", "r" },
	    { "summary: --color 'yes'" } },
	/* run needs -o and TESTS. */
	{ { "prun", "run", "T" }, { "-o DIR is required", "usage: prun run" } },
	{ { "prun", "run", "-o", "d" }, { "no TESTS" } },
	{ { "prun", "run" }, { "-o DIR is required" } },
	/* --resume takes no TESTS, and forbids an option given before it. */
	{ { "prun", "run", "--resume", "r", "T" }, { "only -j" } },
	{ { "prun", "run", "--timeout", "1", "--resume", "r" }, { "only -j" } },
	/* summary: bad values and no DIR; the options of run are not options
	 * of summary. */
	{ { "prun", "summary", "-f", "junit", "--junit-max-output", "5T", "r" },
	    { "--junit-max-output '5T'" } },
	{ { "prun", "summary", "--junit-subtests", "r" },
	    { "are for -f junit" } },
	{ { "prun", "summary", "-f", "xml", "r" }, { "-f 'xml'" } },
	{ { "prun", "summary" }, { "no results DIR", "usage: prun summary" } },
	{ { "prun", "summary", "-o", "f" }, { "no results DIR" } },
	{ { "prun", "summary", "-j", "2", "r" }, { "-j is unknown" } },
	{ { "prun", "summary", "--timeout=1", "r" }, { "'--timeout=1'" } },
	/* summary -f html: --compare and the options of the html writer. */
	{ { "prun", "summary", "-f", "html", "--compare", "a" },
	    { "two runs or more" } },
	{ { "prun", "summary", "-f", "html", "--compare", "--baseline", "b",
	    "x", "y" }, { "only -o and the html options" } },
	{ { "prun", "summary", "--compare", "a", "b", "c" },
	    { "or -f html, for two runs or more" } },
	{ { "prun", "summary", "-f", "json", "--html-output", "all", "r" },
	    { "are for -f html" } },
	{ { "prun", "summary", "-f", "html", "--html-output", "failed", "r" },
	    { "must be failing, all or none" } },
	{ { "prun", "summary", "-f", "html", "--html-max-output", "-1", "r" },
	    { "not a byte count" } },
	/* list needs TESTS and has no -o. */
	{ { "prun", "list" }, { "no TESTS", "usage: prun list" } },
	{ { "prun", "list", "-o", "d", "T" }, { "-o is unknown" } },
	/* run's options for CI at scale. */
	{ { "prun", "run", "-o", "d", "--shard", "0/3", "T" },
	    { "--shard '0/3'" } },
	{ { "prun", "run", "-o", "d", "--shard", "3", "T" }, { "K/N" } },
	{ { "prun", "run", "-o", "d", "--wrapper", " ", "T" },
	    { "no command" } },
	{ { "prun", "run", "-o", "d", "--rerun-failures", "-1", "T" },
	    { "--rerun-failures '-1'" } },
	{ { "prun", "run", "-o", "d", "--overall-timeout", "1h", "T" },
	    { "--overall-timeout '1h'" } },
	/* --repeat: a count; --until-fail needs it; not with reruns; frozen. */
	{ { "prun", "run", "-o", "d", "--repeat", "0", "T" },
	    { "--repeat '0'" } },
	{ { "prun", "run", "-o", "d", "--until-fail", "T" },
	    { "--until-fail needs --repeat" } },
	{ { "prun", "run", "-o", "d", "--repeat", "3", "--rerun-failures", "1",
	    "T" }, { "--repeat and --rerun-failures" } },
	{ { "prun", "run", "--resume", "r", "--repeat", "2" }, { "only -j" } },
	/* summary --compare takes two results and no report option; list's
	 * --shard. */
	{ { "prun", "summary", "--compare", "a" }, { "two results" } },
	{ { "prun", "summary", "--compare", "a", "b", "c" }, { "" } },
	{ { "prun", "summary", "--compare", "--baseline", "x", "a", "b" },
	    { "" } },
	{ { "prun", "summary", "--compare", "--allow-fixes", "a", "b" },
	    { "" } },
	{ { "prun", "summary", "--compare", "-f", "json", "a", "b" }, { "" } },
	{ { "prun", "summary", "--shard", "1/2", "r" }, { "" } },
	{ { "prun", "list", "--shard", "5/4", "T" }, { "--shard '5/4'" } },
	/* Unknown commands and options, a missing argument, and an
	 * abbreviation that fits two options (--max). */
	{ { "prun" }, { "usage: prun run" } },
	{ { "prun", "frob" }, { "unknown command 'frob'", "usage:" } },
	{ { "prun", "Run" }, { "unknown command 'Run'" } },
	{ { "prun", "--frob" }, { "'--frob' is unknown" } },
	{ { "prun", "-z" }, { "-z is unknown" } },
	{ { "prun", "run", "--frob", "-o", "d", "T" },
	    { "run: option '--frob' is unknown", "usage: prun run" } },
	{ { "prun", "run", "-z", "-o", "d", "T" },
	    { "run: option -z is unknown" } },
	{ { "prun", "run", "-o" }, { "run: option -o needs an argument" } },
	{ { "prun", "run", "-o", "d", "--timeout" }, { "'--timeout'" } },
	{ { "prun", "run", "-o", "d", "--max", "3", "T" }, { "'--max'" } },
};

/* One row of usage_errors (a loop test: _i is the row). */
START_TEST(usage_error)
{
	const char *const *argv = usage_errors[_i].argv;
	const char *m;
	size_t i;

	m = parse_fails_argv(argv);
	for (i = 0; i < 3 && usage_errors[_i].msg[i] != NULL; i++)
		ck_assert_has(m, usage_errors[_i].msg[i]);
}
END_TEST

/* Parsing twice in one process gives the same result, even after an
 * error in the middle of a cluster of short options. */
START_TEST(parse_twice)
{
	struct cli c;
	const char *m;

	m = parse_fails("prun", "run", "-zq", "-o", "d", "T", NULL);
	ck_assert_has(m, "-z is unknown");
	parse_ok(&c, "prun", "run", "-o", "d", "T", NULL);
	ck_assert_int_eq(c.opts.verbose, 0);
	ck_assert_str_eq(c.output, "d");
	cli_free(&c);
	m = parse_fails("prun", "summary", "-zf", "r", NULL);
	parse_ok(&c, "prun", "list", "T", NULL);
	ck_assert_uint_eq(c.nargs, 1);
	ck_assert_uint_eq(c.opts.ninclude, 0);
	cli_free(&c);
}
END_TEST

/* Seconds: a non-negative decimal number, with a fraction. */
START_TEST(seconds)
{
	static const struct {
		const char	*s;
		double		 want;
	} good[] = {
		{ "0", 0 }, { "1", 1 }, { "2.5", 2.5 }, { "0.2", 0.2 },
		{ ".5", 0.5 }, { "10.", 10 }, { "600", 600 }, { "1e3", 1000 },
		{ "1000000000", 1e9 },
	};
	static const char *const bad[] = {
		"", "-1", "-0.5", "abc", "1s", "5m", "1h", "inf", "nan",
		"infinity", "1e10", "1000000001", "0x10", " 5", "5 ", "1,5",
		"+", ".", "1e", "--1",
	};
	double d;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		d = -1;
		ck_assert_msg(cli_parse_seconds(good[i].s, &d) == 0,
		    "refused '%s'", good[i].s);
		ck_assert_double_eq(d, good[i].want);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		d = -1;
		ck_assert_msg(cli_parse_seconds(bad[i], &d) == -1,
		    "accepted '%s' as %g", bad[i], d);
		ck_assert_double_eq(d, -1);
	}
}
END_TEST

/* Bytes: a decimal count with an optional K, M or G (powers of 1024). */
START_TEST(bytes)
{
	static const struct {
		const char	*s;
		size_t		 want;
	} good[] = {
		{ "0", 0 }, { "1", 1 }, { "512", 512 }, { "64K", 65536 },
		{ "64k", 65536 }, { "1M", 1048576 }, { "4m", 4194304 },
		{ "1G", 1073741824 }, { "3g", (size_t)3 << 30 },
		{ "007", 7 }, { "18446744073709551615", SIZE_MAX },
		{ "17179869183G", (size_t)17179869183 << 30 },
	};
	static const char *const bad[] = {
		"", "K", "-1", "+1", " 1", "1 ", "1.5M", "1KB", "1 K", "1T",
		"0x10", "1e3", "18446744073709551616", "17179869184G",
		"99999999999999999999999", "1KK", "k1",
	};
	size_t n;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		n = 12345;
		ck_assert_msg(cli_parse_bytes(good[i].s, &n) == 0,
		    "refused '%s'", good[i].s);
		ck_assert_uint_eq(n, good[i].want);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = 12345;
		ck_assert_msg(cli_parse_bytes(bad[i], &n) == -1,
		    "accepted '%s' as %zu", bad[i], n);
		ck_assert_uint_eq(n, 12345);
	}
}
END_TEST

/* The usage texts name every option of their command. */
START_TEST(usage_texts)
{
	static const char *const run_opts[] = {
		"-o DIR", "-j N", "-t REGEX", "-x REGEX", "--timeout",
		"--kill-after", "--max-output", "--fsync", "--max-attempts",
		"--no-retry", "--progress", "--resume", "-qv",
	};
	const char *u;
	size_t i;

	u = cli_usage(CLI_RUN);
	for (i = 0; i < sizeof run_opts / sizeof run_opts[0]; i++)
		ck_assert_has(u, run_opts[i]);
	u = cli_usage(CLI_SUMMARY);
	ck_assert_has(u, "-f ");
	ck_assert_has(u, "-o FILE");
	u = cli_usage(CLI_LIST);
	ck_assert_has(u, "-t REGEX");
	ck_assert_has(u, "-x REGEX");
	u = cli_usage(CLI_NONE);
	ck_assert_has(u, "prun run");
	ck_assert_has(u, "prun summary");
	ck_assert_has(u, "prun list");
	ck_assert_has(u, "--version");
}
END_TEST

/* The suite of cli tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc;

	tc = tcase_create("commands");
	tcase_add_test(tc, run_defaults);
	tcase_add_test(tc, run_every_option);
	tcase_add_test(tc, run_missing);
	tcase_add_test(tc, resume);
	tcase_add_test(tc, summary);
	tcase_add_test(tc, summary_html);
	tcase_add_test(tc, list);
	tcase_add_test(tc, run_ci_options);
	tcase_add_test(tc, summary_ci_options);
	tcase_add_test(tc, top_level);
	tcase_add_loop_test(tc, usage_error, 0,
	    sizeof usage_errors / sizeof usage_errors[0]);
	tcase_add_test(tc, parse_twice);
	tcase_add_test(tc, usage_texts);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, seconds);
	tcase_add_test(tc, bytes);
	suite_add_tcase(s, tc);
	return s;
}
