/*
 * check_change: unit tests of the change module: piglit's kinds of change
 * of a status, and of a test with its subtests (the rule of change.h).
 */
#include <string.h>

#include <check.h>

#include "report/change.h"
#include "unit.h"

#define ABSENT	CHANGE_ABSENT

/* The kind of change of one status, case by case. */
START_TEST(status_cases)
{
	static const struct {
		enum prun_status	o, n;
		int			want;	/* -1: none */
	} cases[] = {
		/* Worse or better, both run (neither skip nor notrun). */
		{ PRUN_PASS, PRUN_FAIL, CHANGE_REGRESSION },
		{ PRUN_PASS, PRUN_WARN, CHANGE_REGRESSION },
		{ PRUN_FAIL, PRUN_CRASH, CHANGE_REGRESSION },
		{ PRUN_TIMEOUT, PRUN_INCOMPLETE, CHANGE_REGRESSION },
		{ PRUN_CRASH, PRUN_TIMEOUT, CHANGE_FIX },
		{ PRUN_WARN, PRUN_PASS, CHANGE_FIX },
		/* Not run before (absent or notrun), run now; and back. */
		{ ABSENT, PRUN_PASS, CHANGE_NEW },
		{ PRUN_NOTRUN, PRUN_FAIL, CHANGE_NEW },
		{ ABSENT, PRUN_SKIP, CHANGE_NEW },
		{ PRUN_FAIL, ABSENT, CHANGE_REMOVED },
		{ PRUN_PASS, PRUN_NOTRUN, CHANGE_REMOVED },
		{ PRUN_SKIP, ABSENT, CHANGE_REMOVED },
		/* To and from skip: a change, neither regression nor fix. */
		{ PRUN_PASS, PRUN_SKIP, CHANGE_OTHER },
		{ PRUN_SKIP, PRUN_CRASH, CHANGE_OTHER },
		/* No change. */
		{ PRUN_PASS, PRUN_PASS, -1 },
		{ PRUN_SKIP, PRUN_SKIP, -1 },
		{ ABSENT, ABSENT, -1 },
		{ ABSENT, PRUN_NOTRUN, -1 },
		{ PRUN_NOTRUN, ABSENT, -1 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(change_status(cases[i].o, cases[i].n) ==
		    cases[i].want, "case %zu", i);
	ck_assert_str_eq(change_kind_name(CHANGE_FIX), "fix");
	ck_assert_str_eq(change_kind_name(CHANGE_OTHER), "change");
	ck_assert_str_eq(change_kind_name(CHANGE_NKINDS), "unknown");
}
END_TEST

/* Every pair: exactly the kinds above, and symmetric where it must be. */
START_TEST(status_all)
{
	enum prun_status o, n;
	int k, back;

	for (o = 0; o <= ABSENT; o++) {
		for (n = 0; n <= ABSENT; n++) {
			k = change_status(o, n);
			back = change_status(n, o);
			ck_assert_int_ge(k, -1);
			ck_assert_int_lt(k, CHANGE_NKINDS);
			if (k == CHANGE_REGRESSION)
				ck_assert_int_eq(back, CHANGE_FIX);
			if (k == CHANGE_NEW)
				ck_assert_int_eq(back, CHANGE_REMOVED);
			if (k == -1 || k == CHANGE_OTHER)
				ck_assert_int_eq(back, k);
		}
	}
}
END_TEST

#define BIT(k)	(1u << (k))

/* A test's kind from its own and its subtests'. */
START_TEST(fold_cases)
{
	static const struct {
		int		own;
		unsigned	subs;
		int		want;
	} cases[] = {
		{ -1, 0, -1 },
		{ CHANGE_NEW, BIT(CHANGE_REGRESSION), CHANGE_NEW },
		{ CHANGE_REMOVED, BIT(CHANGE_FIX), CHANGE_REMOVED },
		{ CHANGE_REGRESSION, BIT(CHANGE_FIX), CHANGE_REGRESSION },
		{ CHANGE_FIX, BIT(CHANGE_REGRESSION), CHANGE_REGRESSION },
		{ CHANGE_OTHER, BIT(CHANGE_REGRESSION), CHANGE_REGRESSION },
		{ CHANGE_FIX, BIT(CHANGE_OTHER), CHANGE_FIX },
		{ CHANGE_OTHER, BIT(CHANGE_FIX), CHANGE_OTHER },
		{ -1, BIT(CHANGE_REGRESSION) | BIT(CHANGE_FIX),
		    CHANGE_REGRESSION },
		{ -1, BIT(CHANGE_FIX) | BIT(CHANGE_NEW), CHANGE_FIX },
		{ -1, BIT(CHANGE_NEW), CHANGE_OTHER },
		{ -1, BIT(CHANGE_REMOVED), CHANGE_OTHER },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(change_fold(cases[i].own, cases[i].subs) ==
		    cases[i].want, "case %zu", i);
}
END_TEST

/* What changed in a test: its status, subtests counting for it. */
START_TEST(test_cases)
{
	static const struct {
		int	before, after;	/* -1 absent */
		int	want;		/* -1 none */
	} cases[] = {
		{ PRUN_PASS, PRUN_PASS, -1 },
		{ PRUN_PASS, PRUN_FAIL, CHANGE_REGRESSION },
		{ PRUN_PASS, PRUN_WARN, CHANGE_REGRESSION },
		{ PRUN_FAIL, PRUN_CRASH, CHANGE_REGRESSION },
		{ PRUN_FAIL, PRUN_PASS, CHANGE_FIX },
		{ PRUN_CRASH, PRUN_WARN, CHANGE_FIX },
		{ PRUN_PASS, PRUN_SKIP, CHANGE_OTHER },
		{ PRUN_NOTRUN, PRUN_PASS, CHANGE_NEW },
		{ PRUN_FAIL, PRUN_NOTRUN, CHANGE_REMOVED },
		{ -1, PRUN_FAIL, CHANGE_NEW },
		{ PRUN_PASS, -1, CHANGE_REMOVED },
		{ -1, -1, -1 },
	};
	struct prun_subtest sa[2] = { { "x", PRUN_PASS }, { "y", PRUN_FAIL } };
	struct prun_subtest sb[2] = { { "y", PRUN_PASS }, { "x", PRUN_PASS } };
	struct prun_result a, b;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&a, 0, sizeof a);
		memset(&b, 0, sizeof b);
		a.status = (enum prun_status)cases[i].before;
		b.status = (enum prun_status)cases[i].after;
		ck_assert_msg(change_test(cases[i].before < 0 ? NULL : &a,
		    cases[i].after < 0 ? NULL : &b) == cases[i].want,
		    "case %zu", i);
	}
	/* Same status, a subtest fixed (in another order): a fix. */
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.status = b.status = PRUN_FAIL;
	a.subtests = sa;
	a.nsubtests = 2;
	b.subtests = sb;
	b.nsubtests = 2;
	ck_assert_int_eq(change_test(&a, &b), CHANGE_FIX);
	ck_assert_ptr_eq(change_subtest(&b, "x", 0), &sb[1]);
	ck_assert_ptr_null(change_subtest(&b, "z", 0));
	ck_assert_ptr_null(change_subtest(NULL, "x", 0));
	/* The other way: a regression, even where the test got better. */
	a.status = PRUN_CRASH;
	ck_assert_int_eq(change_test(&b, &a), CHANGE_REGRESSION);
	/* A subtest gone: a change. */
	a.status = b.status = PRUN_FAIL;
	a.nsubtests = 1;
	b.subtests = sa;
	b.nsubtests = 2;
	ck_assert_int_eq(change_test(&b, &a), CHANGE_OTHER);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("change");
	TCase *tc = tcase_create("change");

	tcase_add_test(tc, status_cases);
	tcase_add_test(tc, status_all);
	tcase_add_test(tc, fold_cases);
	tcase_add_test(tc, test_cases);
	suite_add_tcase(s, tc);
	return s;
}
