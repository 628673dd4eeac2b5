/*
 * check_reason: unit tests of why a test did not pass, as a failure line
 * and the text report say it: how it ended, its failing subtests, and the
 * last lines of its stderr made safe for a terminal.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/reason.h"
#include "unit.h"

/* A subtest list "s1=fail,..." is parsed from this many at most. */
#define NSUBS	8

/* Fill r from a status, a return code (NO_RC: none), a pid and the
 * statuses of its subtests (a string, one letter each: p pass, f fail,
 * c crash, s skip). */
#define NO_RC	1000
static void
make(struct prun_result *r, enum prun_status st, int rc, long pid,
    const char *subs, struct prun_subtest *buf)
{
	static const char *const names[NSUBS] = {
		"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8\033[2J",
	};
	size_t i;

	memset(r, 0, sizeof *r);
	r->status = st;
	r->has_returncode = rc != NO_RC;
	r->returncode = rc != NO_RC ? rc : 0;
	r->pid = pid;
	for (i = 0; subs != NULL && subs[i] != '\0' && i < NSUBS; i++) {
		buf[i].name = (char *)names[i];
		buf[i].status = subs[i] == 'p' ? PRUN_PASS : subs[i] == 'f' ?
		    PRUN_FAIL : subs[i] == 'c' ? PRUN_CRASH : PRUN_SKIP;
	}
	r->subtests = buf;
	r->nsubtests = i;
}

/* How a test ended, in words. */
START_TEST(describe)
{
	static const struct {
		enum prun_status	 status;
		int			 rc;
		long			 pid;
		int			 flags;	/* 1 interrupted, 2 running */
		const char		*subs;
		const char		*want;
	} cases[] = {
		{ PRUN_PASS, 0, 1, 0, NULL, "" },
		{ PRUN_PASS, 0, 1, 0, "pps", "" },
		{ PRUN_WARN, 0, 1, 0, NULL, "" },
		{ PRUN_SKIP, 77, 1, 0, NULL, "exit status 77" },
		{ PRUN_FAIL, 1, 1, 0, NULL, "exit status 1" },
		{ PRUN_FAIL, 255, 1, 0, NULL, "exit status 255" },
		{ PRUN_CRASH, -11, 1, 0, NULL, "killed by SIGSEGV" },
		{ PRUN_CRASH, -6, 1, 0, NULL, "killed by SIGABRT" },
		{ PRUN_CRASH, -40, 1, 0, NULL, "killed by signal 40" },
		{ PRUN_CRASH, 139, 1, 0, NULL,
		    "exit status 139 (SIGSEGV under the shell)" },
		{ PRUN_TIMEOUT, -15, 1, 0, NULL, "timed out" },
		{ PRUN_NOTRUN, NO_RC, 0, 0, NULL, "never started" },
		{ PRUN_INCOMPLETE, NO_RC, 0, 0, NULL,
		    "started, but no result was recorded" },
		{ PRUN_INCOMPLETE, NO_RC, 1, 1, NULL,
		    "stopped by prun (interrupted)" },
		{ PRUN_INCOMPLETE, NO_RC, 0, 2, NULL, "running" },
		{ PRUN_FAIL, NO_RC, 0, 0, NULL, "could not be started" },
		/* The failing subtests: the first three, then a count. */
		{ PRUN_FAIL, 0, 1, 0, "pf",
		    "exit status 0; 1 of 2 subtests failed: s2" },
		{ PRUN_FAIL, 1, 1, 0, "ffsc",
		    "exit status 1; 3 of 4 subtests failed: s1, s2, s4" },
		{ PRUN_FAIL, 0, 1, 0, "pfffffff",
		    "exit status 0; 7 of 8 subtests failed: s2, s3, s4 and 4 "
		    "more" },
		/* A subtest's name cannot drive the terminal either. */
		{ PRUN_FAIL, 0, 1, 0, "pppppppf",
		    "exit status 0; 1 of 8 subtests failed: s8\\x1b[2J" },
	};
	struct prun_subtest subs[NSUBS];
	struct prun_result r;
	char buf[512];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make(&r, cases[i].status, cases[i].rc, cases[i].pid,
		    cases[i].subs, subs);
		r.interrupted = (cases[i].flags & 1) != 0;
		r.running = (cases[i].flags & 2) != 0;
		reason_describe(&r, buf, sizeof buf);
		ck_assert_msg(strcmp(buf, cases[i].want) == 0,
		    "case %zu: got '%s'", i, buf);
	}
	/* A small buffer is cut, not overrun. */
	make(&r, PRUN_FAIL, 1, 1, "ffff", subs);
	reason_describe(&r, buf, 10);
	ck_assert_str_eq(buf, "exit stat");
}
END_TEST

/* --repeat: how many repetitions failed, after how the record ended. */
START_TEST(repetitions)
{
	static const struct {
		enum prun_status	 status;
		int			 rc;
		const char		*reps;	/* p pass, f fail, c crash */
		const char		*subs;
		const char		*want;
	} cases[] = {
		{ PRUN_PASS, 0, "ppp", NULL, "" },
		{ PRUN_FAIL, 1, "ppfpp", NULL,
		    "exit status 1; failed 1 of 5 repetitions" },
		{ PRUN_CRASH, -11, "c", NULL,
		    "killed by SIGSEGV; failed 1 of 1 repetition" },
		{ PRUN_CRASH, 1, "fpc", "pf", "exit status 1; failed 2 of 3 "
		    "repetitions; 1 of 2 subtests failed: s2" },
	};
	struct prun_repetition reps[8];
	struct prun_subtest subs[NSUBS];
	struct prun_result r;
	char buf[512];
	size_t i, j;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		make(&r, cases[i].status, cases[i].rc, 1, cases[i].subs, subs);
		memset(reps, 0, sizeof reps);
		for (j = 0; cases[i].reps[j] != '\0'; j++)
			reps[j].status = cases[i].reps[j] == 'p' ? PRUN_PASS :
			    cases[i].reps[j] == 'f' ? PRUN_FAIL : PRUN_CRASH;
		r.reps = reps;
		r.nreps = j;
		reason_describe(&r, buf, sizeof buf);
		ck_assert_msg(strcmp(buf, cases[i].want) == 0,
		    "case %zu: got '%s'", i, buf);
	}
}
END_TEST

/* The last lines of stderr, each ending in a newline, made safe. */
START_TEST(err_tail)
{
	static const struct {
		const char	*err;
		size_t		 n;
		const char	*want;
	} cases[] = {
		{ "a\nb\nc\n", 2, "b\nc\n" },
		{ "a\nb\nc\n", 3, "a\nb\nc\n" },
		{ "a\nb\nc\n", 10, "a\nb\nc\n" },
		{ "a\nb\nc", 1, "c\n" },
		{ "a\nb\nc\n", 0, "" },
		{ "", 5, "" },
		{ "a\n\n\nb\n", 2, "\nb\n" },
		{ "x\033[1;1H\033[2Jy\r\n", 1, "x\\x1b[1;1H\\x1b[2Jy\\x0d\n" },
		{ "one\n\xc2\x9b" "31m\n", 1, "\\u009b31m\n" },
	};
	struct prun_result r;
	size_t i;
	char *out;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&r, 0, sizeof r);
		r.err = (char *)cases[i].err;
		r.err_len = strlen(cases[i].err);
		ck_assert_ptr_nonnull(out = reason_err_tail(&r, cases[i].n));
		ck_assert_msg(strcmp(out, cases[i].want) == 0,
		    "case %zu: got '%s'", i, out);
		free(out);
	}
	memset(&r, 0, sizeof r);
	ck_assert_ptr_nonnull(out = reason_err_tail(&r, 3));
	ck_assert_str_eq(out, "");
	free(out);

	/* A line of 1 MiB is cut, at a whole character, saying how much. */
	ck_assert_ptr_nonnull(r.err = malloc(1 << 20));
	memset(r.err, 'x', 1 << 20);
	memcpy(r.err + REASON_LINE_MAX - 1, "\xc3\xa9", 2);
	r.err[(1 << 20) - 1] = '\n';
	r.err_len = 1 << 20;
	ck_assert_ptr_nonnull(out = reason_err_tail(&r, 2));
	ck_assert_uint_eq(strspn(out, "x"), REASON_LINE_MAX - 1);
	ck_assert_str_eq(out + REASON_LINE_MAX - 1, " [1047552 bytes more]\n");
	free(out);
	free(r.err);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("reason");
	TCase *tc = tcase_create("reason");

	tcase_add_test(tc, describe);
	tcase_add_test(tc, repetitions);
	tcase_add_test(tc, err_tail);
	suite_add_tcase(s, tc);
	return s;
}
