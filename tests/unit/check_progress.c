/*
 * check_progress: unit tests of the progress display, driven as an
 * observer of a run: the lines of a CI log, the live line (here to a
 * pipe, which is no terminal), quiet, and the closing line.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "core/result.h"
#include "exec/progress.h"
#include "fixture.h"
#include "unit.h"

/* The results every case reports, in order. */
static const struct {
	const char		*name;
	enum prun_status	 status;
	int			 flaky;
	double			 secs;
} results[] = {
	{ "a", PRUN_PASS, 0, 1 },
	{ "b", PRUN_FAIL, 0, 1.5 },
	{ "c", PRUN_SKIP, 0, 0 },
	{ "d", PRUN_PASS, 1, 0.25 },
};
#define NRESULTS	(sizeof results / sizeof results[0])

/* Replace the closing line's elapsed time ("in 0.0 s") with "in T s". */
static void
normalise(char *s)
{
	char *p, *e;

	if ((p = strstr(s, " tests in ")) == NULL)
		return;
	p += strlen(" tests in ");
	for (e = p; (*e >= '0' && *e <= '9') || *e == '.'; e++)
		;
	if (e > p) {
		*p = 'T';
		memmove(p + 1, e, strlen(e) + 1);
	}
}

/* Show the results through a progress in mode to a pipe; what it wrote. */
static char *
show(enum prun_progress mode, int verbose, size_t prior, int sig)
{
	struct progress p;
	struct run_observer o;
	struct prun_test t;
	struct prun_result r;
	size_t counts[PRUN_NSTATUS] = { 0 }, i, len = 0;
	char *out = NULL, buf[4096];
	ssize_t n;
	FILE *fp;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_ptr_nonnull(fp = fdopen(fds[1], "w"));
	counts[PRUN_PASS] = prior;
	progress_init(&p, fp, mode, verbose, prior + NRESULTS, counts);
	progress_observer(&p, &o);
	ck_assert_ptr_null(o.next);
	for (i = 0; i < NRESULTS; i++) {
		memset(&t, 0, sizeof t);
		t.name = (char *)results[i].name;
		o.started(o.ctx, &t, prior + i, 1);
		if (o.tick != NULL)
			o.tick(o.ctx);
		memset(&r, 0, sizeof r);
		r.name = (char *)results[i].name;
		r.index = prior + i;
		r.status = results[i].status;
		r.flaky = results[i].flaky;
		r.time_start = 1000;
		r.time_end = 1000 + results[i].secs;
		o.ended(o.ctx, &r, 1);
	}
	progress_end(&p, sig, "/dir");
	fclose(fp);
	while ((n = read(fds[0], buf, sizeof buf)) > 0) {
		ck_assert_ptr_nonnull(out = realloc(out, len + n + 1));
		memcpy(out + len, buf, n);
		len += n;
	}
	close(fds[0]);
	if (out == NULL)
		out = strdup("");
	out[len] = '\0';
	normalise(out);
	return out;
}

/* Without the live line: the tests that did not pass (or all with -v),
 * then the closing line; nothing at all when quiet. */
START_TEST(lines)
{
	static const struct {
		enum prun_progress	 mode;
		int			 verbose;
		size_t			 prior;	/* passes of a resume */
		int			 sig;
		const char		*want;
	} cases[] = {
		{ PROGRESS_LINES, 0, 0, 0,
		    "fail: b (1.50 s)\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 4/4 tests in T s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		{ PROGRESS_LINES, 1, 0, 0,
		    "pass: a (1.00 s)\n"
		    "fail: b (1.50 s)\n"
		    "skip: c (0.00 s)\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 4/4 tests in T s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		/* A pipe is no terminal: auto means lines. */
		{ PROGRESS_AUTO, 0, 0, 0,
		    "fail: b (1.50 s)\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 4/4 tests in T s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		{ PROGRESS_NONE, 0, 0, 0,
		    "prun: 4/4 tests in T s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		{ PROGRESS_LINES, 0, 3, SIGINT,
		    "fail: b (1.50 s)\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 7/7 tests in T s: 5 pass, 1 fail, 1 skip "
		    "(interrupted); results in /dir\n" },
		{ PROGRESS_NONE, 0, 0, SIGTERM,
		    "prun: 4/4 tests in T s: 2 pass, 1 fail, 1 skip "
		    "(terminated); results in /dir\n" },
		{ PROGRESS_LINES, -1, 0, 0, "" },
		{ PROGRESS_TTY, -1, 0, SIGINT, "" },
	};
	size_t i;
	char *out;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		out = show(cases[i].mode, cases[i].verbose, cases[i].prior,
		    cases[i].sig);
		ck_assert_msg(strcmp(out, cases[i].want) == 0,
		    "case %zu: got\n%s", i, out);
		free(out);
	}
}
END_TEST

/* The live line, forced onto a pipe: drawn after each result and on
 * ticks, taken off before a test's line and before the closing line. */
START_TEST(live)
{
	static const char *const has[] = {
		"\r[0/4]  | a\033[K",		/* a tick before any result */
		"\r[1/4] 1 pass | ",
		"| a\033[K",
		"\r\033[Kfail: b (1.50 s)\n\r[2/4] 1 pass, 1 fail | ",
		"\r[3/4] 1 pass, 1 fail, 1 skip | ",
		"\r\033[Kpass (flaky): d (0.25 s)\n",
		"\r[4/4] 2 pass, 1 fail, 1 skip | ",
		"\r\033[Kprun: 4/4 tests in T s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n",
	};
	char *out = show(PROGRESS_TTY, 0, 0, 0);
	size_t i;

	for (i = 0; i < sizeof has / sizeof has[0]; i++)
		ck_assert_msg(strstr(out, has[i]) != NULL,
		    "no '%s' in\n%s", has[i], out);
	/* The closing line is the last thing written. */
	ck_assert(fixture_has(out, "results in /dir\n"));
	ck_assert_str_eq(out + strlen(out) - strlen("/dir\n"), "/dir\n");
	free(out);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("progress");

	tcase_add_test(tc, lines);
	tcase_add_test(tc, live);
	suite_add_tcase(s, tc);
	return s;
}
