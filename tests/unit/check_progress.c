/*
 * check_progress: unit tests of the progress display, driven as an
 * observer of a run on a fake clock: the lines of a CI log with why each
 * test failed and its stderr made safe, the heartbeat of a silent log,
 * the live line (here to a pipe, which is no terminal) naming what runs
 * now with an ETA that does not jump, colour, quiet, and the closing line.
 */
#include <fcntl.h>
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

/* The fake clock every progress of these tests reads. */
static double fake_now;

static double
fake_clock(void)
{
	return fake_now;
}

/* A progress writing to a pipe, and its observer. */
struct harness {
	struct progress		 p;
	struct run_observer	 o;
	FILE			*fp;
	int			 rfd;
};

/* Set up a progress of total tests (prior passes found by a resume). */
static void
harness_init(struct harness *h, const struct prun_options *opts,
    size_t total, size_t prior)
{
	size_t counts[PRUN_NSTATUS] = { 0 };
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	/* A long run's lines must not fill the pipe before it is read. */
	fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
	ck_assert_ptr_nonnull(h->fp = fdopen(fds[1], "w"));
	h->rfd = fds[0];
	counts[PRUN_PASS] = prior;
	fake_now = 1000;
	progress_init(&h->p, h->fp, opts, total, counts);
	h->p.clock = fake_clock;
	h->p.start = h->p.last_output = fake_now;
	progress_observer(&h->p, &h->o);
	ck_assert_ptr_null(h->o.next);
}

/* Test index, named name, starts now. */
static void
start(struct harness *h, size_t index, const char *name)
{
	struct prun_test t;

	memset(&t, 0, sizeof t);
	t.name = (char *)name;
	h->o.started(h->o.ctx, &t, index, 1);
}

/* Test index ends now with status, exit code rc and stderr err. */
static void
end(struct harness *h, size_t index, const char *name,
    enum prun_status status, int rc, double secs, const char *err)
{
	struct prun_result r;

	memset(&r, 0, sizeof r);
	r.name = (char *)name;
	r.index = index;
	r.status = status;
	r.has_returncode = 1;
	r.returncode = rc;
	r.pid = 100;
	r.time_start = 1000;
	r.time_end = 1000 + secs;
	r.err = (char *)(err != NULL ? err : "");
	r.err_len = strlen(r.err);
	h->o.ended(h->o.ctx, &r, 1);
}

/* Time passes. */
static void
tick(struct harness *h)
{
	if (h->o.tick != NULL)
		h->o.tick(h->o.ctx);
}

/* Everything written so far, then everything (after the close): a copy. */
static char *
drain(struct harness *h, int sig)
{
	char *out = NULL, buf[4096];
	size_t len = 0;
	ssize_t n;

	progress_end(&h->p, sig, "/dir");
	fclose(h->fp);
	while ((n = read(h->rfd, buf, sizeof buf)) > 0) {
		ck_assert_ptr_nonnull(out = realloc(out, len + n + 1));
		memcpy(out + len, buf, n);
		len += n;
	}
	close(h->rfd);
	if (out == NULL)
		out = strdup("");
	out[len] = '\0';
	return out;
}

/* The options of a case. */
static struct prun_options
opts_of(enum prun_progress mode, int verbose)
{
	struct prun_options o;

	options_defaults(&o);
	o.progress = mode;
	o.verbose = verbose;
	o.color = COLOR_NEVER;
	return o;
}

/* The results every case of lines and live reports, in order. */
static const struct {
	const char		*name;
	enum prun_status	 status;
	int			 rc;
	int			 flaky;
	double			 secs;
	const char		*err;
} results[] = {
	{ "a", PRUN_PASS, 0, 0, 1, NULL },
	{ "b", PRUN_FAIL, 2, 0, 1.5, "one\ntwo\nthree\n" },
	{ "c", PRUN_SKIP, 77, 0, 0, NULL },
	{ "d", PRUN_PASS, 0, 1, 0.25, NULL },
};
#define NRESULTS	(sizeof results / sizeof results[0])

/* Show the results through a progress of o; what it wrote. */
static char *
show(const struct prun_options *o, size_t prior, int sig)
{
	struct harness h;
	struct prun_result r;
	size_t i;

	harness_init(&h, o, prior + NRESULTS, prior);
	for (i = 0; i < NRESULTS; i++) {
		start(&h, prior + i, results[i].name);
		tick(&h);
		memset(&r, 0, sizeof r);
		r.name = (char *)results[i].name;
		r.index = prior + i;
		r.status = results[i].status;
		r.has_returncode = 1;
		r.returncode = results[i].rc;
		r.pid = 100;
		r.flaky = results[i].flaky;
		r.time_start = 1000;
		r.time_end = 1000 + results[i].secs;
		r.err = (char *)(results[i].err ? results[i].err : "");
		r.err_len = strlen(r.err);
		h.o.ended(h.o.ctx, &r, 1);
	}
	return drain(&h, sig);
}

/* Without the live line: the tests that did not pass (or all with -v)
 * with why and the last lines of their stderr, then the closing line;
 * nothing at all when quiet. */
START_TEST(lines)
{
	static const struct {
		enum prun_progress	 mode;
		int			 verbose;
		int			 failure_lines;
		size_t			 prior;	/* passes of a resume */
		int			 sig;
		const char		*want;
	} cases[] = {
		{ PROGRESS_LINES, 0, 5, 0, 0,
		    "fail: b (1.50 s): exit status 2\n"
		    "    one\n    two\n    three\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 4/4 tests in 0.0 s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		/* --failure-lines 2: the last two; 0: none. */
		{ PROGRESS_LINES, 0, 2, 0, 0,
		    "fail: b (1.50 s): exit status 2\n"
		    "    two\n    three\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 4/4 tests in 0.0 s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		{ PROGRESS_LINES, 0, 0, 0, 0,
		    "fail: b (1.50 s): exit status 2\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 4/4 tests in 0.0 s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		{ PROGRESS_LINES, 1, 1, 0, 0,
		    "pass: a (1.00 s)\n"
		    "fail: b (1.50 s): exit status 2\n"
		    "    three\n"
		    "skip: c (0.00 s): exit status 77\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 4/4 tests in 0.0 s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		/* A pipe is no terminal: auto means lines. */
		{ PROGRESS_AUTO, 0, 0, 0, 0,
		    "fail: b (1.50 s): exit status 2\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 4/4 tests in 0.0 s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		{ PROGRESS_NONE, 0, 5, 0, 0,
		    "prun: 4/4 tests in 0.0 s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n" },
		{ PROGRESS_LINES, 0, 0, 3, SIGINT,
		    "fail: b (1.50 s): exit status 2\n"
		    "pass (flaky): d (0.25 s)\n"
		    "prun: 7/7 tests in 0.0 s: 5 pass, 1 fail, 1 skip "
		    "(interrupted); results in /dir\n" },
		{ PROGRESS_NONE, 0, 5, 0, SIGTERM,
		    "prun: 4/4 tests in 0.0 s: 2 pass, 1 fail, 1 skip "
		    "(terminated); results in /dir\n" },
		{ PROGRESS_LINES, -1, 5, 0, 0, "" },
		{ PROGRESS_TTY, -1, 5, 0, SIGINT, "" },
	};
	struct prun_options o;
	size_t i;
	char *out;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		o = opts_of(cases[i].mode, cases[i].verbose);
		o.failure_lines = cases[i].failure_lines;
		out = show(&o, cases[i].prior, cases[i].sig);
		ck_assert_msg(strcmp(out, cases[i].want) == 0,
		    "case %zu: got\n%s", i, out);
		free(out);
	}
}
END_TEST

/* A failure line says how the test ended and which subtests failed; what
 * the test wrote reaches the terminal without a single escape sequence. */
START_TEST(failure_reasons)
{
	struct prun_options o = opts_of(PROGRESS_LINES, 0);
	struct prun_subtest subs[5] = {
		{ "s1", PRUN_PASS }, { "s2", PRUN_FAIL }, { "s3", PRUN_CRASH },
		{ "s4", PRUN_FAIL }, { "s5\033[2J", PRUN_FAIL },
	};
	struct prun_result r;
	struct harness h;
	char *out;

	harness_init(&h, &o, 3, 0);
	start(&h, 0, "t/sig");
	end(&h, 0, "t/sig", PRUN_CRASH, -11, 0.5, "bye\n");
	start(&h, 1, "t/esc");
	end(&h, 1, "t/esc", PRUN_FAIL, 1, 0.5,
	    "a \033[31mred\033[0m word\r\033]0;owned\007\n\xc2\x9b" "2J\n");
	memset(&r, 0, sizeof r);
	r.name = "t/subs";
	r.index = 2;
	r.status = PRUN_FAIL;
	r.has_returncode = 1;
	r.pid = 1;
	r.time_start = 1000;
	r.time_end = 1001;
	r.subtests = subs;
	r.nsubtests = 5;
	r.err = "";
	h.o.ended(h.o.ctx, &r, 1);
	out = drain(&h, 0);
	ck_assert_msg(fixture_has(out, "crash: t/sig (0.50 s): killed by "
	    "SIGSEGV\n    bye\n"), "%s", out);
	ck_assert_msg(fixture_has(out, "fail: t/esc (0.50 s): exit status 1\n"
	    "    a \\x1b[31mred\\x1b[0m word\\x0d\\x1b]0;owned\\x07\n"
	    "    \\u009b2J\n"), "%s", out);
	ck_assert_msg(fixture_has(out, "fail: t/subs (1.00 s): exit status 0; "
	    "4 of 5 subtests failed: s2, s3, s4 and 1 more\n"), "%s", out);
	ck_assert_ptr_null(strchr(out, '\033'));
	ck_assert_ptr_null(strstr(out, "\xc2\x9b"));
	free(out);
}
END_TEST

/* The live line, forced onto a pipe: drawn after each result and on
 * ticks, taken off before a test's line and before the closing line. */
START_TEST(live)
{
	static const char *const has[] = {
		"\r[0/4] | 1 running: a 0s\033[K",	/* before any result */
		"\r[1/4] 1 pass | ",
		"\r\033[Kfail: b (1.50 s): exit status 2\n    one\n",
		"\r[2/4] 1 pass, 1 fail | ",
		"\r[3/4] 1 pass, 1 fail, 1 skip | ",
		"\r\033[Kpass (flaky): d (0.25 s)\n",
		"\r[4/4] 2 pass, 1 fail, 1 skip | ",
		"\r\033[Kprun: 4/4 tests in 0.0 s: 2 pass, 1 fail, 1 skip; "
		    "results in /dir\n",
	};
	struct prun_options o = opts_of(PROGRESS_TTY, 0);
	char *out = show(&o, 0, 0);
	size_t i;

	for (i = 0; i < sizeof has / sizeof has[0]; i++)
		ck_assert_msg(strstr(out, has[i]) != NULL,
		    "no '%s' in\n%s", has[i], out);
	/* The closing line is the last thing written. */
	ck_assert_str_eq(out + strlen(out) - strlen("/dir\n"), "/dir\n");
	free(out);
}
END_TEST

/* The last live line drawn in out (after the last '\r' that starts one). */
static const char *
last_line(const char *out)
{
	const char *p = out, *q;

	while ((q = strstr(p, "\r[")) != NULL)
		p = q + 1;
	return p;
}

/* The live line names what runs now, longest first with its elapsed
 * time, never a test that has ended: a quick test started after a hang
 * and done is gone from it (issue 12: it showed x/quick for 3 s while
 * only x/hang ran). */
START_TEST(live_running)
{
	struct prun_options o = opts_of(PROGRESS_TTY, 0);
	struct harness h;
	char *out, *line;
	size_t n;

	harness_init(&h, &o, 3, 0);
	start(&h, 0, "x/hang");
	fake_now += 2;
	start(&h, 1, "x/quick");
	tick(&h);
	fake_now += 1;
	end(&h, 1, "x/quick", PRUN_PASS, 0, 1, NULL);
	fake_now += 62;
	tick(&h);
	/* What is on screen now, up to the end of the line. */
	fflush(h.fp);
	out = drain(&h, 0);
	ck_assert_msg(strstr(out, "| 2 running: x/hang 2s, x/quick 0s\033[K")
	    != NULL, "%s", out);
	/* After x/quick ended, only x/hang, at 65 s. */
	line = strdup(last_line(out));
	n = strcspn(line, "\033");
	line[n] = '\0';
	ck_assert_msg(strstr(line, "| 1 running: x/hang 1m05s") != NULL,
	    "%s", line);
	ck_assert_ptr_null(strstr(line, "quick"));
	free(line);
	free(out);
}
END_TEST

/* The ETA ("m:ss") in the last live line of out, in seconds, or -1. */
static long
eta_of(const char *out)
{
	const char *p = strstr(last_line(out), "ETA ");
	long m, s;

	if (p == NULL || sscanf(p, "ETA %ld:%ld", &m, &s) != 2)
		return -1;
	return m * 60 + s;
}

/* The ETA does not grow during a long test nor leap when it ends: it
 * counts down between results, and a result moves it only part of the
 * way (issue 12: it swung during a long test). */
START_TEST(live_eta)
{
	struct prun_options o = opts_of(PROGRESS_TTY, 0);
	struct harness h;
	char *out = NULL, name[16];
	long eta, prev = -1;
	size_t i, len = 0;
	int k;

	harness_init(&h, &o, 20, 0);
	/* Ten tests of 1 s each: 10 left at 1/s, about 10 s. */
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "t%zu", i);
		start(&h, i, name);
		fake_now += 1;
		end(&h, i, name, PRUN_PASS, 0, 1, NULL);
	}
	/* Then one of 60 s: the old rate-since-start ETA rose every tick. */
	start(&h, 10, "long");
	fflush(h.fp);
	for (k = 0; k < 60; k++) {
		char buf[65536];
		ssize_t n;

		fake_now += 1;
		tick(&h);
		fflush(h.fp);
		fcntl(h.rfd, F_SETFL, O_NONBLOCK);
		while ((n = read(h.rfd, buf, sizeof buf - 1)) > 0) {
			ck_assert_ptr_nonnull(out = realloc(out, len + n + 1));
			memcpy(out + len, buf, n);
			len += n;
			out[len] = '\0';
		}
		eta = eta_of(out);
		ck_assert_int_ge(eta, 0);
		if (prev >= 0)
			ck_assert_msg(eta <= prev, "ETA rose from %ld to %ld "
			    "at %d s of the long test", prev, eta, k + 1);
		prev = eta;
	}
	/* It ends: the ETA moves, but by a quarter of the way. */
	end(&h, 10, "long", PRUN_PASS, 0, 60, NULL);
	fflush(h.fp);
	{
		char buf[65536];
		ssize_t n;

		while ((n = read(h.rfd, buf, sizeof buf - 1)) > 0) {
			ck_assert_ptr_nonnull(out = realloc(out, len + n + 1));
			memcpy(out + len, buf, n);
			len += n;
			out[len] = '\0';
		}
	}
	eta = eta_of(out);
	/* 9 left at 11 tests in 70 s: 57 s predicted; from 0 a quarter. */
	ck_assert_msg(eta >= 10 && eta <= 20, "ETA %ld after the long test",
	    eta);
	free(out);
	fcntl(h.rfd, F_SETFL, 0);
	free(drain(&h, 0));
}
END_TEST

/* Lines mode: after --heartbeat seconds without a line, one "still
 * running" line with the counts and the longest-running tests; any line
 * restarts the wait; 0 turns it off; the live line has none. */
START_TEST(heartbeat)
{
	static const char want[] =
	    "prun: still running after 5s: [1/4] 1 pass | 2 running: "
	    "x/hang 5s, x/other 2s\n"
	    "prun: still running after 10s: [1/4] 1 pass | 2 running: "
	    "x/hang 10s, x/other 7s\n"
	    "fail: x/other (9.00 s): exit status 1\n"
	    "prun: still running after 17s: [2/4] 1 pass, 1 fail | 1 running: "
	    "x/hang 17s\n"
	    "prun: 2/4 tests in 18.0 s: 1 pass, 1 fail; results in /dir\n";
	struct prun_options o = opts_of(PROGRESS_LINES, 0);
	struct harness h;
	char *out;
	int s, beat;

	for (beat = 0; beat < 3; beat++) {
		o.heartbeat = beat == 0 ? 5 : 0;
		o.progress = beat == 2 ? PROGRESS_TTY : PROGRESS_LINES;
		harness_init(&h, &o, 4, 0);
		start(&h, 0, "x/quick");
		end(&h, 0, "x/quick", PRUN_PASS, 0, 0, NULL);
		start(&h, 1, "x/hang");
		for (s = 1; s <= 18; s++) {
			fake_now += 1;
			if (s == 3)
				start(&h, 2, "x/other");
			if (s == 12)
				end(&h, 2, "x/other", PRUN_FAIL, 1, 9, NULL);
			tick(&h);
		}
		out = drain(&h, 0);
		if (beat == 0)
			ck_assert_msg(strcmp(out, want) == 0, "got\n%s", out);
		else
			ck_assert_msg(strstr(out, "still running") == NULL,
			    "case %d: %s", beat, out);
		free(out);
	}
}
END_TEST

/* --color: statuses in colour in the lines and the live line, always or
 * on a terminal in auto unless NO_COLOR is set (to anything). */
START_TEST(color)
{
	struct prun_options o = opts_of(PROGRESS_TTY, 0);
	struct harness h;
	char *out;
	int ptm, pts;

	o.color = COLOR_ALWAYS;
	harness_init(&h, &o, 2, 0);
	start(&h, 0, "a");
	end(&h, 0, "a", PRUN_FAIL, 1, 0, NULL);
	start(&h, 1, "b");
	end(&h, 1, "b", PRUN_CRASH, -6, 0, NULL);
	out = drain(&h, 0);
	ck_assert_msg(fixture_has(out, "\033[31mfail\033[0m: a (0.00 s): "
	    "exit status 1\n"), "%s", out);
	ck_assert_msg(fixture_has(out, "\033[1;31mcrash\033[0m: b (0.00 s): "
	    "killed by SIGABRT\n"), "%s", out);
	ck_assert_msg(fixture_has(out, "[2/2] \033[31m1 fail\033[0m, "
	    "\033[1;31m1 crash\033[0m"), "%s", out);
	free(out);

	/* auto: a pipe is no terminal; a pseudo-terminal is, unless
	 * NO_COLOR is set, even to "". */
	ck_assert_int_eq(options_color_on(COLOR_AUTO, h.rfd), 0);
	ck_assert_int_ge(ptm = posix_openpt(O_RDWR | O_NOCTTY), 0);
	ck_assert_int_eq(grantpt(ptm), 0);
	ck_assert_int_eq(unlockpt(ptm), 0);
	ck_assert_int_ge(pts = open(ptsname(ptm), O_RDWR | O_NOCTTY), 0);
	unsetenv("NO_COLOR");
	ck_assert_int_eq(options_color_on(COLOR_AUTO, pts), 1);
	ck_assert_int_eq(options_color_on(COLOR_NEVER, pts), 0);
	setenv("NO_COLOR", "", 1);
	ck_assert_int_eq(options_color_on(COLOR_AUTO, pts), 0);
	ck_assert_int_eq(options_color_on(COLOR_ALWAYS, pts), 1);
	unsetenv("NO_COLOR");
	close(pts);
	close(ptm);

	/* never: not a single escape but the live line's own. */
	o.color = COLOR_NEVER;
	o.progress = PROGRESS_LINES;
	harness_init(&h, &o, 1, 0);
	start(&h, 0, "a");
	end(&h, 0, "a", PRUN_FAIL, 1, 0, NULL);
	out = drain(&h, 0);
	ck_assert_ptr_null(strchr(out, '\033'));
	free(out);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("progress");

	tcase_add_test(tc, lines);
	tcase_add_test(tc, failure_reasons);
	tcase_add_test(tc, live);
	tcase_add_test(tc, live_running);
	tcase_add_test(tc, live_eta);
	tcase_add_test(tc, heartbeat);
	tcase_add_test(tc, color);
	suite_add_tcase(s, tc);
	return s;
}
