/*
 * cli: parsing prun's command line with getopt_long, one table per
 * command, into struct cli.  Nothing here prints or exits.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/fsutil.h"
#include "core/util.h"
#include "plan/shard_env.h"
#include "exec/taint.h"

enum {
	OPT_TIMEOUT = 256,
	OPT_KILL_AFTER,
	OPT_MAX_OUTPUT,
	OPT_FSYNC,
	OPT_MAX_ATTEMPTS,
	OPT_NO_RETRY,
	OPT_PROGRESS,
	OPT_RESUME,
	OPT_SHARD,
	OPT_WRAPPER,
	OPT_RERUN_FAILURES,
	OPT_OVERALL_TIMEOUT,
	OPT_BASELINE,
	OPT_FLAKES,
	OPT_ALLOW_FIXES,
	OPT_COMPARE,
	OPT_HTML_OUTPUT,
	OPT_HTML_MAX_OUTPUT,
	OPT_BACKEND,
	OPT_JUNIT_SUBTESTS,
	OPT_JUNIT_MAX_OUTPUT,
	OPT_HEARTBEAT,
	OPT_FAILURE_LINES,
	OPT_COLOR,
	OPT_SPLIT,
	OPT_PIGLIT_NAMES,
	OPT_HISTORY,
	OPT_TESTS_FROM,
	OPT_FAILED_FROM,
	OPT_MAX_FAIL,
	OPT_DMESG,
	OPT_DMESG_REGEX,
	OPT_ABORT_ON_TAINT,
	OPT_ABORT_ON,
	OPT_EVENTS,
	OPT_LEAKS,
	OPT_JSON,
	OPT_REPEAT,
	OPT_UNTIL_FAIL,
	OPT_HELP,
	OPT_VERSION,
};

/* Bits of cli.given: options frozen into the plan at the first run. */
#define GIVEN_PLAN	0x1

static const struct option run_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "include", required_argument, NULL, 't' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "kill-after", required_argument, NULL, OPT_KILL_AFTER },
	{ "max-output", required_argument, NULL, OPT_MAX_OUTPUT },
	{ "fsync", required_argument, NULL, OPT_FSYNC },
	{ "max-attempts", required_argument, NULL, OPT_MAX_ATTEMPTS },
	{ "no-retry", no_argument, NULL, OPT_NO_RETRY },
	{ "progress", required_argument, NULL, OPT_PROGRESS },
	{ "resume", required_argument, NULL, OPT_RESUME },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "wrapper", required_argument, NULL, OPT_WRAPPER },
	{ "rerun-failures", required_argument, NULL, OPT_RERUN_FAILURES },
	{ "overall-timeout", required_argument, NULL, OPT_OVERALL_TIMEOUT },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "heartbeat", required_argument, NULL, OPT_HEARTBEAT },
	{ "failure-lines", required_argument, NULL, OPT_FAILURE_LINES },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "tests-from", required_argument, NULL, OPT_TESTS_FROM },
	{ "failed-from", required_argument, NULL, OPT_FAILED_FROM },
	{ "max-fail", required_argument, NULL, OPT_MAX_FAIL },
	{ "dmesg", no_argument, NULL, OPT_DMESG },
	{ "dmesg-regex", required_argument, NULL, OPT_DMESG_REGEX },
	{ "abort-on-taint", optional_argument, NULL, OPT_ABORT_ON_TAINT },
	{ "abort-on", required_argument, NULL, OPT_ABORT_ON },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "leaks", required_argument, NULL, OPT_LEAKS },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ "until-fail", no_argument, NULL, OPT_UNTIL_FAIL },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option summary_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "flakes", required_argument, NULL, OPT_FLAKES },
	{ "allow-fixes", no_argument, NULL, OPT_ALLOW_FIXES },
	{ "compare", no_argument, NULL, OPT_COMPARE },
	{ "html-output", required_argument, NULL, OPT_HTML_OUTPUT },
	{ "html-max-output", required_argument, NULL, OPT_HTML_MAX_OUTPUT },
	{ "junit-subtests", no_argument, NULL, OPT_JUNIT_SUBTESTS },
	{ "junit-max-output", required_argument, NULL, OPT_JUNIT_MAX_OUTPUT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "split", required_argument, NULL, OPT_SPLIT },
	{ "piglit-names", no_argument, NULL, OPT_PIGLIT_NAMES },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option list_options[] = {
	{ "include", required_argument, NULL, 't' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "wrapper", required_argument, NULL, OPT_WRAPPER },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "tests-from", required_argument, NULL, OPT_TESTS_FROM },
	{ "failed-from", required_argument, NULL, OPT_FAILED_FROM },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option status_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option top_options[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* The long option of opts closest to arg ("--outptu=x"), or NULL. */
static const char *
closest_option(const struct option *opts, const char *arg)
{
	const char *v[64];
	char name[64];
	size_t n;

	arg += strspn(arg, "-");
	snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
	for (n = 0; opts[n].name != NULL && n < 64; n++)
		v[n] = opts[n].name;
	return util_closest(name, v, n);
}

/* Whether arg ("--output" or "--output=x") names a long option of opts. */
static int
is_option(const struct option *opts, const char *arg)
{
	size_t len;

	if (strncmp(arg, "--", 2) != 0)
		return 0;
	arg += 2;
	len = strcspn(arg, "=");
	for (; opts->name != NULL; opts++)
		if (strlen(opts->name) >= len &&
		    strncmp(opts->name, arg, len) == 0)
			return 1;
	return 0;
}

/*
 * The regex a shell glob means, for a -t/-x that is no POSIX ERE: '*'
 * and '?' become ".*" and '.', other specials are escaped, and an end
 * without '*' is anchored (names are searched, not matched whole).
 */
static void
glob_to_regex(const char *g, char *buf, size_t size)
{
	size_t n = 0, len = strlen(g);
	const char *p;

	if (len > 0 && g[0] != '*' && n + 1 < size)
		buf[n++] = '^';
	for (p = g; *p != '\0' && n + 3 < size; p++) {
		if (*p == '*') {
			buf[n++] = '.';
			buf[n++] = '*';
		} else if (*p == '?')
			buf[n++] = '.';
		else {
			if (strchr(".[]()+{}|^$\\", *p) != NULL)
				buf[n++] = '\\';
			buf[n++] = *p;
		}
	}
	if (len > 0 && g[len - 1] != '*' && n + 1 < size)
		buf[n++] = '$';
	buf[n] = '\0';
}

/* A -t/-x pattern must be a POSIX extended regular expression. */
static int
check_regex(const char *cmd, const char *opt, const char *pattern,
    struct prun_error *err)
{
	char msg[128], guess[512];
	regex_t re;
	int rc;

	if ((rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)) == 0) {
		regfree(&re);
		return 0;
	}
	regerror(rc, &re, msg, sizeof msg);
	regfree(&re);
	if (strpbrk(pattern, "*?") == NULL)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: %s '%s': "
		    "invalid regex: %s (a POSIX extended regular expression "
		    "is expected)", cmd, opt, pattern, msg);
	glob_to_regex(pattern, guess, sizeof guess);
	return prun_error_set(err, PRUN_EXIT_USAGE, "%s: %s '%s': invalid "
	    "regex: %s (a POSIX extended regular expression is expected; for "
	    "the glob '%s', did you mean '%s'?)", cmd, opt, pattern, msg,
	    pattern, guess);
}

/* Parse a non-negative, finite, decimal number of seconds. */
int
cli_parse_seconds(const char *s, double *out)
{
	char *end;
	double d;

	/* strtod also takes blanks, hex (0x10) and "inf": not seconds. */
	if ((*s < '0' || *s > '9') && *s != '.')
		return -1;
	if (s[strspn(s, "0123456789.eE+-")] != '\0')
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(d) || d < 0 ||
	    d > OPTIONS_SECONDS_MAX)
		return -1;
	*out = d;
	return 0;
}

/* Parse a byte count with an optional K, M or G (powers of 1024). */
int
cli_parse_bytes(const char *s, size_t *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm': case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g': case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	default:
		return -1;
	}
	if (*end != '\0' || v > SIZE_MAX / mult)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

/* Parse a positive int. */
static int
parse_count(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < 1 ||
	    v > OPTIONS_COUNT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* Append a copy of s to a string vector. */
static int
push(char ***v, size_t *n, const char *s)
{
	char **nv, *copy;

	if ((copy = strdup(s)) == NULL)
		return -1;
	if ((nv = realloc(*v, (*n + 2) * sizeof *nv)) == NULL) {
		free(copy);
		return -1;
	}
	nv[(*n)++] = copy;
	nv[*n] = NULL;
	*v = nv;
	return 0;
}

/* Split a --wrapper command at blanks into a NULL-terminated vector. */
static int
split_words(const char *s, char ***out, size_t *n)
{
	char *word;
	size_t len;

	*n = 0;
	for (; *s != '\0'; s += len) {
		s += strspn(s, " \t");
		if ((len = strcspn(s, " \t")) == 0)
			break;
		if ((word = strndup(s, len)) == NULL)
			return -1;
		if (push(out, n, word) == -1) {
			free(word);
			return -1;
		}
		free(word);
	}
	return 0;
}

/* Set the wrapper from a --wrapper argument. */
static int
parse_wrapper(struct cli *c, const char *cmd, struct prun_error *err)
{
	char **v;
	size_t i, n;

	v = c->opts.wrapper;
	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
	c->opts.wrapper = NULL;
	if (split_words(cmd, &c->opts.wrapper, &n) == -1)
		return -1;
	if (n == 0)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--wrapper '%s': "
		    "no command", cmd);
	return 0;
}

/* Replace *p with a copy of s. */
static int
set_string(char **p, const char *s)
{
	free(*p);
	return (*p = strdup(s)) == NULL ? -1 : 0;
}

/* Parse a non-zero mask of taint bits, decimal or 0x hexadecimal. */
static int
parse_mask(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return end == s || *end != '\0' || errno != 0 || *out == 0 ? -1 : 0;
}

/* A usage error about option opt. */
static int
bad(struct prun_error *err, const char *cmd, const char *opt,
    const char *arg, const char *why)
{
	return prun_error_set(err, PRUN_EXIT_USAGE, "%s: %s '%s': %s", cmd, opt,
	    arg, why);
}

/* Options of prun run. */
static int
parse_run(struct cli *c, int ch, struct prun_error *err)
{
	struct prun_options *o = &c->opts;

	switch (ch) {
	case 'o':
		free(c->output);
		if ((c->output = strdup(optarg)) == NULL)
			return -1;
		return 0;
	case 'j':
		c->jobs_given = 1;
		if (parse_count(optarg, &o->jobs) == -1)
			return bad(err, "run", "-j", optarg,
			    "not a number from 1 to 100000");
		return 0;
	case 't':
		c->given |= GIVEN_PLAN;
		if (check_regex("run", "-t", optarg, err) == -1)
			return -1;
		return push(&o->include, &o->ninclude, optarg);
	case 'x':
		c->given |= GIVEN_PLAN;
		if (check_regex("run", "-x", optarg, err) == -1)
			return -1;
		return push(&o->exclude, &o->nexclude, optarg);
	case 'q':
		o->verbose = -1;
		return 0;
	case 'v':
		o->verbose = 1;
		return 0;
	case OPT_TIMEOUT:
		c->given |= GIVEN_PLAN;
		if (cli_parse_seconds(optarg, &o->timeout) == -1)
			return bad(err, "run", "--timeout", optarg,
			    "not a number of seconds");
		return 0;
	case OPT_KILL_AFTER:
		c->given |= GIVEN_PLAN;
		if (cli_parse_seconds(optarg, &o->kill_after) == -1)
			return bad(err, "run", "--kill-after", optarg,
			    "not a number of seconds");
		return 0;
	case OPT_MAX_OUTPUT:
		c->given |= GIVEN_PLAN;
		if (cli_parse_bytes(optarg, &o->max_output) == -1)
			return bad(err, "run", "--max-output", optarg,
			    "not a byte count (like 512K, 4M)");
		if (o->max_output > OPTIONS_MAX_OUTPUT_MAX)
			return bad(err, "run", "--max-output", optarg,
			    "more than 16M, which a fragment could not hold");
		return 0;
	case OPT_FSYNC:
		c->given |= GIVEN_PLAN;
		if (strcmp(optarg, "always") == 0)
			o->fsync = 1;
		else if (strcmp(optarg, "never") == 0)
			o->fsync = 0;
		else
			return bad(err, "run", "--fsync", optarg,
			    "must be always or never");
		return 0;
	case OPT_MAX_ATTEMPTS:
		c->attempts_given = 1;
		if (parse_count(optarg, &o->max_attempts) == -1)
			return bad(err, "run", "--max-attempts", optarg,
			    "not a number from 1 to 100000");
		return 0;
	case OPT_NO_RETRY:
		c->attempts_given = 1;
		o->max_attempts = 1;
		return 0;
	case OPT_PROGRESS:
		if (strcmp(optarg, "auto") == 0)
			o->progress = PROGRESS_AUTO;
		else if (strcmp(optarg, "tty") == 0)
			o->progress = PROGRESS_TTY;
		else if (strcmp(optarg, "lines") == 0)
			o->progress = PROGRESS_LINES;
		else if (strcmp(optarg, "none") == 0)
			o->progress = PROGRESS_NONE;
		else
			return bad(err, "run", "--progress", optarg,
			    "must be auto, tty, lines or none");
		return 0;
	case 'b':
	case OPT_BACKEND:
		c->given |= GIVEN_PLAN;
		if (options_backend_parse(optarg, &o->backend) == -1)
			return bad(err, "run", "--backend", optarg,
			    "must be json or junit");
		return 0;
	case OPT_RESUME:
		free(c->resume);
		if ((c->resume = strdup(optarg)) == NULL)
			return -1;
		return 0;
	case OPT_SHARD:
		c->given |= GIVEN_PLAN;
		return shard_parse(&o->shard, optarg, getenv, err);
	case OPT_WRAPPER:
		c->given |= GIVEN_PLAN;
		return parse_wrapper(c, optarg, err);
	case OPT_HISTORY:
		/* The order and the cut are recorded: not given on resume. */
		c->given |= GIVEN_PLAN;
		return push(&c->history, &c->nhistory, optarg);
	case OPT_TESTS_FROM:
		c->given |= GIVEN_PLAN;
		return push(&c->tests_from, &c->ntests_from, optarg);
	case OPT_FAILED_FROM:
		c->given |= GIVEN_PLAN;
		return push(&c->failed_from, &c->nfailed_from, optarg);
	case OPT_MAX_FAIL:
		/* Per invocation: may be given again on resume; 0 lifts it. */
		c->max_fail_given = 1;
		if (strcmp(optarg, "0") == 0)
			o->max_fail = 0;
		else if (parse_count(optarg, &o->max_fail) == -1)
			return bad(err, "run", "--max-fail", optarg,
			    "not a number from 0 to 100000");
		return 0;
	case OPT_RERUN_FAILURES:
		c->given |= GIVEN_PLAN;
		if (strcmp(optarg, "0") == 0)
			o->rerun_failures = 0;
		else if (parse_count(optarg, &o->rerun_failures) == -1)
			return bad(err, "run", "--rerun-failures", optarg,
			    "not a number from 0 to 100000");
		return 0;
	case OPT_REPEAT:
		/* Frozen: a resume repeats the same way. */
		c->given |= GIVEN_PLAN;
		c->repeat_given = 1;
		if (parse_count(optarg, &o->repeat) == -1)
			return bad(err, "run", "--repeat", optarg,
			    "not a number from 1 to 100000");
		return 0;
	case OPT_UNTIL_FAIL:
		c->given |= GIVEN_PLAN;
		o->until_fail = 1;
		return 0;
	case OPT_DMESG:
		c->dmesg = 1;
		return 0;
	case OPT_DMESG_REGEX:
		c->dmesg = 1;
		if (check_regex("run", "--dmesg-regex", optarg, err) == -1)
			return -1;
		return set_string(&c->dmesg_regex, optarg);
	case OPT_ABORT_ON:
		if (check_regex("run", "--abort-on", optarg, err) == -1)
			return -1;
		return set_string(&c->abort_on, optarg);
	case OPT_ABORT_ON_TAINT:
		c->abort_taint = 1;
		if (optarg == NULL) {
			c->taint_mask = TAINT_DAMAGED;
			return 0;
		}
		if (parse_mask(optarg, &c->taint_mask) == -1)
			return bad(err, "run", "--abort-on-taint", optarg,
			    "not a mask of taint bits (like 0x4280 or 512)");
		return 0;
	case OPT_EVENTS:
		return set_string(&c->events, optarg);
	case OPT_LEAKS:
		if (strcmp(optarg, "note") == 0)
			o->leaks = LEAKS_NOTE;
		else if (strcmp(optarg, "warn") == 0)
			o->leaks = LEAKS_WARN;
		else if (strcmp(optarg, "fail") == 0)
			o->leaks = LEAKS_FAIL;
		else
			return bad(err, "run", "--leaks", optarg,
			    "must be note, warn or fail");
		return 0;
	case OPT_OVERALL_TIMEOUT:
		c->overall_given = 1;
		if (cli_parse_seconds(optarg, &o->overall_timeout) == -1)
			return bad(err, "run", "--overall-timeout", optarg,
			    "not a number of seconds");
		return 0;
	case OPT_HEARTBEAT:
		if (cli_parse_seconds(optarg, &o->heartbeat) == -1)
			return bad(err, "run", "--heartbeat", optarg,
			    "not a number of seconds (0: no heartbeat)");
		return 0;
	case OPT_FAILURE_LINES:
		if (strcmp(optarg, "0") == 0)
			o->failure_lines = 0;
		else if (parse_count(optarg, &o->failure_lines) == -1)
			return bad(err, "run", "--failure-lines", optarg,
			    "not a number from 0 to 100000");
		return 0;
	case OPT_COLOR:
		if (options_color_parse(optarg, &o->color) == -1)
			return bad(err, "run", "--color", optarg,
			    "must be auto, always or never");
		return 0;
	}
	return 1;
}

/* Options of prun summary and prun list. */
static int
parse_other(struct cli *c, int ch, struct prun_error *err)
{
	int n;

	switch (ch) {
	case 'f':
		c->format_given = 1;
		if (report_format_parse(optarg, &c->format) == -1)
			return bad(err, "summary", "-f", optarg,
			    "must be text, json, junit, tap, baseline or html");
		return 0;
	case OPT_HTML_OUTPUT:
		c->html_given = 1;
		if (strcmp(optarg, "failing") == 0)
			c->show_output = REPORT_SHOW_FAILING;
		else if (strcmp(optarg, "all") == 0)
			c->show_output = REPORT_SHOW_ALL;
		else if (strcmp(optarg, "none") == 0)
			c->show_output = REPORT_SHOW_NONE;
		else
			return bad(err, "summary", "--html-output", optarg,
			    "must be failing, all or none");
		return 0;
	case OPT_HTML_MAX_OUTPUT:
		c->html_given = 1;
		if (cli_parse_bytes(optarg, &c->show_max) == -1)
			return bad(err, "summary", "--html-max-output", optarg,
			    "not a byte count (like 16K, 1M; 0: no cap)");
		return 0;
	case OPT_JUNIT_SUBTESTS:
		c->junit_given = 1;
		c->junit_subtests = 1;
		return 0;
	case OPT_JUNIT_MAX_OUTPUT:
		c->junit_given = 1;
		if (cli_parse_bytes(optarg, &c->junit_max_output) == -1)
			return bad(err, "summary", "--junit-max-output", optarg,
			    "not a byte count (like 512K, 20M; 0: no cap)");
		return 0;
	case OPT_PIGLIT_NAMES:
		c->piglit_names = 1;
		return 0;
	case OPT_SPLIT:
		if (parse_count(optarg, &n) == -1)
			return bad(err, "summary", "--split", optarg,
			    "not a number of test cases from 1 to 100000");
		c->junit_split = (size_t)n;
		return 0;
	case 'o':
		free(c->output);
		if ((c->output = strdup(optarg)) == NULL)
			return -1;
		return 0;
	case 't':
		if (check_regex("list", "-t", optarg, err) == -1)
			return -1;
		return push(&c->opts.include, &c->opts.ninclude, optarg);
	case 'x':
		if (check_regex("list", "-x", optarg, err) == -1)
			return -1;
		return push(&c->opts.exclude, &c->opts.nexclude, optarg);
	case 'v':
		c->opts.verbose = 1;
		return 0;
	case OPT_SHARD:
		return shard_parse(&c->opts.shard, optarg, getenv, err);
	case OPT_WRAPPER:
		return parse_wrapper(c, optarg, err);
	case OPT_HISTORY:
		return push(&c->history, &c->nhistory, optarg);
	case OPT_TESTS_FROM:
		return push(&c->tests_from, &c->ntests_from, optarg);
	case OPT_FAILED_FROM:
		return push(&c->failed_from, &c->nfailed_from, optarg);
	case OPT_BASELINE:
		free(c->baseline);
		if ((c->baseline = strdup(optarg)) == NULL)
			return -1;
		return 0;
	case OPT_FLAKES:
		free(c->flakes);
		if ((c->flakes = strdup(optarg)) == NULL)
			return -1;
		return 0;
	case OPT_ALLOW_FIXES:
		c->allow_fixes = 1;
		return 0;
	case OPT_COMPARE:
		c->compare = 1;
		return 0;
	case OPT_COLOR:
		if (options_color_parse(optarg, &c->opts.color) == -1)
			return bad(err, "summary", "--color", optarg,
			    "must be auto, always or never");
		return 0;
	case OPT_JSON:
		c->json = 1;
		return 0;
	}
	return 1;
}

/* summary -o must not write into a results directory it reads (a
 * fragment or metadata.json replaced by a report loses the run). */
static int
check_output(const struct cli *c, struct prun_error *err)
{
	struct stat st;
	char *dir, *copy, *next;
	size_t i;
	int inside = 0;

	if (c->output == NULL || strcmp(c->output, "-") == 0)
		return 0;
	for (i = 0; i < c->nargs && !inside; i++) {
		if ((copy = strdup(c->args[i])) == NULL)
			return prun_error_errno(err, PRUN_EXIT_IO, errno,
			    "arguments");
		/* -f html --compare takes DIR,DIR,... for the shards of a run */
		for (dir = copy; dir != NULL && !inside; dir = next) {
			if ((next = strchr(dir, ',')) != NULL)
				*next++ = '\0';
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
			    fsutil_is_inside(c->output, dir))
				inside = 1;
		}
		free(copy);
	}
	if (inside)
		return prun_error_set(err, PRUN_EXIT_USAGE, "summary: -o %s: "
		    "inside the results directory %s, which is being read; "
		    "write the report elsewhere", c->output, c->args[i - 1]);
	return 0;
}

/* Check what the command's options and arguments make together. */
static int
check(struct cli *c, struct prun_error *err)
{
	if (c->help || c->version)
		return 0;
	switch (c->cmd) {
	case CLI_RUN:
		if (c->resume != NULL) {
			if (c->output != NULL || c->nargs > 0 ||
			    (c->given & GIVEN_PLAN))
				return prun_error_set(err, PRUN_EXIT_USAGE,
				    "run --resume: the tests, -o, --backend "
				    "and the options of the plan come from %s/"
				    "metadata.json; only -j, --max-attempts, "
				    "--no-retry, --overall-timeout, --max-fail, "
				    "--progress, --heartbeat, "
				    "--failure-lines, --color, -q and -v may "
				    "be given again (and --dmesg, --dmesg-regex, "
				    "--abort-on-taint, --abort-on, --leaks, "
				    "--events)", c->resume);
			return 0;
		}
		if (c->output == NULL)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "run: -o DIR is required (the results "
			    "directory)\n%s", cli_usage(CLI_RUN));
		if (c->nargs == 0)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "run: no TESTS given\n%s", cli_usage(CLI_RUN));
		if (c->opts.until_fail && !c->repeat_given)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "run: --until-fail needs --repeat N, its bound");
		/* Both run a test again, with opposite rules for its
		 * status: one run gives only one of them a meaning. */
		if (c->repeat_given && c->opts.rerun_failures > 0)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "run: --repeat and --rerun-failures cannot be "
			    "given together (a repeated test fails on any "
			    "failing repetition; a rerun one passes on any "
			    "passing try)");
		return 0;
	case CLI_SUMMARY:
		if (c->compare && c->format == REPORT_HTML &&
		    (c->nargs < 2 || c->baseline != NULL ||
		    c->flakes != NULL || c->allow_fixes))
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "summary -f html --compare: takes two runs or "
			    "more (results directories, or DIR,DIR,... the "
			    "shards of one run), and only -o and the html "
			    "options\n%s", cli_usage(CLI_SUMMARY));
		if (c->compare && c->format != REPORT_HTML &&
		    (c->nargs != 2 || c->baseline != NULL ||
		    c->flakes != NULL || c->allow_fixes ||
		    (c->format_given && c->format != REPORT_TEXT)))
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "summary --compare: takes two results, OLD and "
			    "NEW (results directories or JSON reports), and "
			    "only -o (or -f html, for two runs or more)\n%s",
			    cli_usage(CLI_SUMMARY));
		if (c->nargs == 0)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "summary: no results DIR given\n%s",
			    cli_usage(CLI_SUMMARY));
		if (c->html_given && c->format != REPORT_HTML)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "summary: --html-output and --html-max-output "
			    "are for -f html\n%s", cli_usage(CLI_SUMMARY));
		if (c->junit_given && c->format != REPORT_JUNIT)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "summary: --junit-subtests and --junit-max-output "
			    "are for -f junit\n%s", cli_usage(CLI_SUMMARY));
		if (c->piglit_names && (c->format != REPORT_JSON ||
		    c->compare))
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "summary: --piglit-names is for -f json\n%s",
			    cli_usage(CLI_SUMMARY));
		if (c->junit_split > 0 && (c->format != REPORT_JUNIT ||
		    c->compare || c->output == NULL ||
		    strcmp(c->output, "-") == 0))
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "summary: --split N is for -f junit with -o FILE "
			    "(-o junit.xml writes junit-1.xml, junit-2.xml, "
			    "...)\n%s", cli_usage(CLI_SUMMARY));
		return check_output(c, err);
	case CLI_LIST:
		if (c->nargs == 0)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "list: no TESTS given\n%s", cli_usage(CLI_LIST));
		return 0;
	case CLI_STATUS:
		if (c->nargs != 1)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "status: takes one results DIR\n%s",
			    cli_usage(CLI_STATUS));
		return 0;
	default:
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s", cli_usage(CLI_NONE));
	}
}

/* Parse argv into c; getopt_long may permute argv. */
static int
parse_argv(struct cli *c, int argc, char **argv, struct prun_error *err)
{
	const struct option *longopts = top_options;
	static const char *const commands[] = { "run", "summary", "list",
	    "status" };
	const char *shortopts = "+h", *name, *guess;
	int ch, rc, i;

	memset(c, 0, sizeof *c);
	options_defaults(&c->opts);
	c->format = REPORT_TEXT;
	c->show_output = REPORT_SHOW_FAILING;
	c->show_max = REPORT_SHOW_MAX;
	c->junit_max_output = REPORT_JUNIT_MAX_OUTPUT;
	if (argc >= 2 && argv[1][0] != '-') {
		name = argv[1];
		if (strcmp(name, "run") == 0) {
			c->cmd = CLI_RUN;
			longopts = run_options;
			shortopts = "o:j:t:x:b:qvh";
		} else if (strcmp(name, "summary") == 0) {
			c->cmd = CLI_SUMMARY;
			longopts = summary_options;
			shortopts = "f:o:h";
		} else if (strcmp(name, "list") == 0) {
			c->cmd = CLI_LIST;
			longopts = list_options;
			shortopts = "t:x:vh";
		} else if (strcmp(name, "status") == 0) {
			c->cmd = CLI_STATUS;
			longopts = status_options;
			shortopts = "h";
		} else if ((guess = util_closest(name, commands, 4)) != NULL)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "unknown command '%s'; did you mean '%s'?\n%s",
			    name, guess, cli_usage(CLI_NONE));
		else
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "unknown command '%s'\n%s", name, cli_usage(CLI_NONE));
		argc--;
		argv++;
	}
	/* 0, not 1: glibc then forgets where a previous parse stopped in a
	 * cluster of short options ("-zq"). */
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (ch == OPT_HELP || ch == 'h') {
			c->help = 1;
			continue;
		}
		if (ch == OPT_VERSION) {
			c->version = 1;
			continue;
		}
		if (ch == '?' || ch == ':') {
			if (optopt != 0 && optopt < 256)
				return prun_error_set(err, PRUN_EXIT_USAGE,
				    "%s: option -%c %s\n%s", argv[0], optopt,
				    strchr(shortopts, optopt) ?
				    "needs an argument" : "is unknown",
				    cli_usage(c->cmd));
			name = argv[optind - 1];
			if (is_option(longopts, name))
				return prun_error_set(err, PRUN_EXIT_USAGE,
				    "%s: option '%s' needs an argument (or is "
				    "ambiguous)\n%s", argv[0], name,
				    cli_usage(c->cmd));
			if ((guess = closest_option(longopts, name)) != NULL)
				return prun_error_set(err, PRUN_EXIT_USAGE,
				    "%s: option '%s' is unknown; did you mean "
				    "'--%s'?\n%s", argv[0], name, guess,
				    cli_usage(c->cmd));
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: option '%s' is unknown\n%s", argv[0], name,
			    cli_usage(c->cmd));
		}
		rc = c->cmd == CLI_RUN ? parse_run(c, ch, err) :
		    parse_other(c, ch, err);
		if (rc == -1) {
			if (err->code == 0 && errno == ENOMEM)
				prun_error_errno(err, PRUN_EXIT_IO, ENOMEM,
				    "options");
			return -1;
		}
	}
	for (i = optind; i < argc; i++)
		if (push(&c->args, &c->nargs, argv[i]) == -1)
			return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM,
			    "arguments");
	return check(c, err);
}

/*
 * Parse argv into c.  Options may follow the operands of a command, as
 * with GNU tools ("prun run tests.list -o out"); getopt_long permutes a
 * copy of the vector, so argv stays as typed for metadata.json.
 */
int
cli_parse(struct cli *c, int argc, char **argv, struct prun_error *err)
{
	char **copy;
	int rc;

	if ((copy = calloc(argc + 1, sizeof *copy)) == NULL) {
		memset(c, 0, sizeof *c);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "arguments");
	}
	memcpy(copy, argv, argc * sizeof *copy);
	rc = parse_argv(c, argc, copy, err);
	free(copy);
	return rc;
}

/* Free what cli_parse allocated. */
void
cli_free(struct cli *c)
{
	size_t i;

	options_free(&c->opts);
	free(c->output);
	free(c->resume);
	free(c->baseline);
	free(c->flakes);
	for (i = 0; i < c->nhistory; i++)
		free(c->history[i]);
	free(c->history);
	for (i = 0; i < c->ntests_from; i++)
		free(c->tests_from[i]);
	free(c->tests_from);
	for (i = 0; i < c->nfailed_from; i++)
		free(c->failed_from[i]);
	free(c->failed_from);
	free(c->dmesg_regex);
	free(c->abort_on);
	free(c->events);
	for (i = 0; i < c->nargs; i++)
		free(c->args[i]);
	free(c->args);
	memset(c, 0, sizeof *c);
}
