/*
 * check_error: unit tests of struct prun_error: setting a message, adding
 * strerror, and wrapping with context, above all with messages longer than
 * the buffer, where truncation must neither overflow nor lose the NUL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/error.h"
#include "unit.h"

/* The error inside a guarded struct, to see writes past msg. */
struct guarded {
	struct prun_error	err;
	unsigned char		guard[64];
};

/* A fresh guarded error: msg filled with 'x' (no NUL), guard with 0xa5. */
static void
guard_init(struct guarded *g)
{
	memset(g, 0xa5, sizeof *g);
	memset(g->err.msg, 'x', sizeof g->err.msg);
	g->err.code = PRUN_EXIT_OK;
}

/* Assert that nothing was written past msg and that it is terminated. */
static void
guard_check(const struct guarded *g)
{
	size_t i;

	for (i = 0; i < sizeof g->guard; i++)
		ck_assert_int_eq(g->guard[i], 0xa5);
	ck_assert_ptr_nonnull(memchr(g->err.msg, '\0', sizeof g->err.msg));
}

/* A string of n copies of c, malloc'd. */
static char *
repeat(char c, size_t n)
{
	char *s;

	ck_assert_ptr_nonnull(s = malloc(n + 1));
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* set fills code and message and returns -1; NULL is allowed. */
START_TEST(set_basic)
{
	struct prun_error err;

	memset(&err, 0, sizeof err);
	ck_assert_int_eq(prun_error_set(&err, PRUN_EXIT_USAGE, "%s:%d: %s",
	    "list.txt", 3, "bad line"), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_str_eq(err.msg, "list.txt:3: bad line");
	ck_assert_int_eq(prun_error_set(NULL, PRUN_EXIT_IO, "x"), -1);
	ck_assert_int_eq(prun_error_errno(NULL, PRUN_EXIT_IO, EIO, "x"), -1);
	ck_assert_int_eq(prun_error_wrap(NULL, "x"), -1);
}
END_TEST

/* errno appends ": strerror(errnum)". */
START_TEST(errno_appends_reason)
{
	struct prun_error err;
	char want[256];

	memset(&err, 0, sizeof err);
	ck_assert_int_eq(prun_error_errno(&err, PRUN_EXIT_IO, ENOSPC,
	    "%s/%s: cannot write", "dir", "000001.json"), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	snprintf(want, sizeof want, "dir/000001.json: cannot write: %s",
	    strerror(ENOSPC));
	ck_assert_str_eq(err.msg, want);
}
END_TEST

/* wrap prepends context and keeps the code. */
START_TEST(wrap_prepends)
{
	struct prun_error err;

	memset(&err, 0, sizeof err);
	prun_error_set(&err, PRUN_EXIT_IO, "disk full");
	ck_assert_int_eq(prun_error_wrap(&err, "test %s", "gpu/a"), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_str_eq(err.msg, "test gpu/a: disk full");
	prun_error_wrap(&err, "%s", "run");
	ck_assert_str_eq(err.msg, "run: test gpu/a: disk full");
	/* A prefix may quote the message itself. */
	prun_error_set(&err, PRUN_EXIT_USAGE, "abc");
	prun_error_wrap(&err, "%s", err.msg);
	ck_assert_str_eq(err.msg, "abc: abc");
	/* An empty message gets the bare prefix. */
	prun_error_set(&err, PRUN_EXIT_USAGE, "%s", "");
	prun_error_wrap(&err, "ctx");
	ck_assert_str_eq(err.msg, "ctx: ");
}
END_TEST

/* set and errno with messages longer than the buffer are cut, ended. */
START_TEST(long_set_and_errno)
{
	struct guarded g;
	char *big = repeat('a', 5000);

	guard_init(&g);
	prun_error_set(&g.err, PRUN_EXIT_IO, "%s", big);
	guard_check(&g);
	ck_assert_uint_eq(strlen(g.err.msg), sizeof g.err.msg - 1);

	guard_init(&g);
	prun_error_errno(&g.err, PRUN_EXIT_IO, EIO, "%s", big);
	guard_check(&g);
	ck_assert_uint_eq(strlen(g.err.msg), sizeof g.err.msg - 1);

	/* Just short enough for a part of the reason. */
	guard_init(&g);
	big[sizeof g.err.msg - 4] = '\0';
	prun_error_errno(&g.err, PRUN_EXIT_IO, EIO, "%s", big);
	guard_check(&g);
	ck_assert_uint_eq(strlen(g.err.msg), sizeof g.err.msg - 1);
	ck_assert_int_eq(strncmp(g.err.msg + sizeof g.err.msg - 4, ": ",
	    2), 0);
	free(big);
}
END_TEST

/* wrap with every mix of long prefix and long message stays in bounds. */
START_TEST(long_wrap)
{
	static const size_t plens[] = { 0, 1, 100, 508, 509, 510, 511, 512,
	    1000, 1022, 1023, 1024, 4000 };
	static const size_t mlens[] = { 0, 1, 500, 511, 512, 513, 1000, 1022,
	    1023, 5000 };
	struct guarded g;
	char *prefix, *msg;
	size_t i, j, len, plen;

	for (i = 0; i < sizeof plens / sizeof plens[0]; i++) {
		for (j = 0; j < sizeof mlens / sizeof mlens[0]; j++) {
			prefix = repeat('p', plens[i]);
			msg = repeat('m', mlens[j]);
			guard_init(&g);
			prun_error_set(&g.err, PRUN_EXIT_USAGE, "%s", msg);
			ck_assert_int_eq(prun_error_wrap(&g.err, "%s", prefix),
			    -1);
			guard_check(&g);
			ck_assert_int_eq(g.err.code, PRUN_EXIT_USAGE);
			len = strlen(g.err.msg);
			ck_assert_uint_lt(len, sizeof g.err.msg);
			/* The prefix comes first, then ": ", then the
			 * start of the message. */
			plen = strspn(g.err.msg, "p");
			if (plens[i] < 500)
				ck_assert_uint_eq(plen, plens[i]);
			else
				ck_assert_uint_ge(plen, 500);
			ck_assert_int_eq(strncmp(g.err.msg + plen, ": ", 2),
			    0);
			ck_assert_uint_eq(strspn(g.err.msg + plen + 2, "m"),
			    len - plen - 2);
			if (plens[i] < 500 && mlens[j] < 500)
				ck_assert_uint_eq(len, plens[i] + 2 +
				    mlens[j]);
			free(prefix);
			free(msg);
		}
	}
}
END_TEST

/* wrap of a message that lost its NUL (never set) stays in bounds. */
START_TEST(wrap_unterminated)
{
	struct guarded g;

	guard_init(&g);
	prun_error_wrap(&g.err, "ctx");
	guard_check(&g);
	ck_assert_int_eq(strncmp(g.err.msg, "ctx: xxx", 8), 0);
	ck_assert_uint_eq(strlen(g.err.msg), sizeof g.err.msg - 1);
}
END_TEST

/* The suite of error tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, set_basic);
	tcase_add_test(tc, errno_appends_reason);
	tcase_add_test(tc, wrap_prepends);
	tcase_add_test(tc, long_set_and_errno);
	tcase_add_test(tc, long_wrap);
	tcase_add_test(tc, wrap_unterminated);
	suite_add_tcase(s, tc);
	return s;
}
