/*
 * check_schedule: unit tests of the schedule module (--history): the
 * longest-first order, the median for tests without history, exclusive
 * tests first, the greedy cut of shards by time, a todo list sorted into
 * the order, and a recorded schedule taken back (or refused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/error.h"
#include "plan/plan.h"
#include "plan/schedule.h"
#include "plan/shard.h"
#include "unit.h"

/* A plan of tests t0, t1, ...; exclusive[i] marks test i exclusive. */
static void
make_plan(struct prun_plan *plan, size_t n, const int *exclusive)
{
	struct prun_error err = { 0 };
	char *argv[] = { "true", NULL }, name[32];
	struct prun_test t;
	size_t i;

	plan_init(plan);
	for (i = 0; i < n; i++) {
		memset(&t, 0, sizeof t);
		snprintf(name, sizeof name, "t%zu", i);
		t.name = name;
		t.argv = argv;
		t.exclusive = exclusive != NULL && exclusive[i];
		ck_assert_msg(plan_append(plan, &t, &err) == 0, "%s", err.msg);
	}
}

/* A malloc'd copy of times, as schedule_build takes them. */
static double *
times(const double *v, size_t n)
{
	double *e = malloc(n * sizeof *e);

	ck_assert_ptr_nonnull(e);
	memcpy(e, v, n * sizeof *e);
	return e;
}

/* One order case: expected times (-1 unknown), exclusive marks, the
 * start order and the time an unknown test gets. */
static const struct order_case {
	size_t	n;
	double	expected[8];
	int	exclusive[8];
	size_t	order[8];
	double	median;
} order_cases[] = {
	/* longest first; ties in plan order */
	{ 5, { 1, 5, 3, 5, 2 }, { 0 }, { 1, 3, 2, 4, 0 }, -1 },
	/* unknown: the median of 1 2 9 (2) */
	{ 4, { 1, -1, 9, 2 }, { 0 }, { 2, 1, 3, 0 }, 2 },
	/* even count: the mean of the middle two (2, 4: 3) */
	{ 5, { 1, 2, 4, 8, -1 }, { 0 }, { 3, 2, 4, 1, 0 }, 3 },
	/* nothing known: 1 s each, plan order */
	{ 3, { -1, -1, -1 }, { 0 }, { 0, 1, 2 }, 1 },
	/* exclusive tests first of all, longest first among them */
	{ 4, { 9, 1, 2, 8 }, { 0, 1, 1, 0 }, { 2, 1, 0, 3 }, -1 },
};

START_TEST(order)
{
	const struct order_case *c = &order_cases[_i];
	struct prun_error err = { 0 };
	struct prun_schedule s;
	struct prun_plan plan;
	size_t i;

	make_plan(&plan, c->n, c->exclusive);
	ck_assert_msg(schedule_build(&s, &plan, times(c->expected, c->n),
	    NULL, &err) == 0, "%s", err.msg);
	for (i = 0; i < c->n; i++)
		ck_assert_msg(s.order[i] == c->order[i], "case %d: order[%zu] "
		    "is %zu, not %zu", _i, i, s.order[i], c->order[i]);
	for (i = 0; i < c->n; i++)
		if (c->expected[i] < 0)
			ck_assert_double_eq(s.expected[i], c->median);
	ck_assert_ptr_null(s.owner);
	schedule_free(&s);
	plan_free(&plan);
}
END_TEST

/* Greedy by time: 9 8 6 5 5 3 2 1 onto 2 shards is 20 and 19; every test
 * in exactly one shard; shard_size and shard_member agree. */
START_TEST(cut_by_time)
{
	static const double e[] = { 1, 2, 3, 9, 5, 6, 5, 8 };
	static const unsigned want[] = { 0, 1, 1, 0, 0, 1, 0, 1 };
	struct prun_error err = { 0 };
	struct prun_shard sh = { 1, 2, SHARD_GIVEN, NULL }, other;
	struct prun_schedule s;
	struct prun_plan plan;
	size_t i;

	make_plan(&plan, 8, NULL);
	ck_assert_int_eq(schedule_build(&s, &plan, times(e, 8), &sh, &err), 0);
	ck_assert_ptr_eq(sh.owner, s.owner);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(s.owner[i], want[i]);
	other = sh;
	other.index = 2;
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(shard_member(&sh, i) + shard_member(&other, i),
		    1);
	ck_assert_uint_eq(shard_size(&sh, 8), 4);
	ck_assert_double_eq(schedule_shard_total(&s, &sh), 20);
	ck_assert_double_eq(schedule_shard_total(&s, &other), 19);
	schedule_free(&s);
	plan_free(&plan);
}
END_TEST

/* A todo list (a resume's: some tests done) follows the order. */
START_TEST(sort_todo)
{
	static const double e[] = { 1, 4, 3, 2 };
	struct run_todo todo[] = { { 0, 1, 1 }, { 2, 2, 2 }, { 3, 1, 1 } };
	struct prun_error err = { 0 };
	struct prun_schedule s;
	struct prun_plan plan;

	make_plan(&plan, 4, NULL);
	ck_assert_int_eq(schedule_build(&s, &plan, times(e, 4), NULL, &err), 0);
	schedule_sort(&s, todo, 3);
	ck_assert_uint_eq(todo[0].index, 2);
	ck_assert_int_eq(todo[0].attempt, 2);
	ck_assert_uint_eq(todo[1].index, 3);
	ck_assert_uint_eq(todo[2].index, 0);
	schedule_free(&s);
	plan_free(&plan);
}
END_TEST

/* A recorded schedule comes back with the same digest and cut; an order
 * that is no permutation of the plan is refused. */
START_TEST(restore)
{
	static const double e[] = { 1, 2, 3, 9, 5, 6, 5, 8 };
	struct prun_error err = { 0 };
	struct prun_shard sh = { 2, 2, SHARD_GIVEN, NULL }, sh2 = sh;
	struct prun_schedule s, r;
	struct prun_plan plan;
	size_t *ord;

	make_plan(&plan, 8, NULL);
	ck_assert_int_eq(schedule_build(&s, &plan, times(e, 8), &sh, &err), 0);
	ord = malloc(8 * sizeof *ord);
	memcpy(ord, s.order, 8 * sizeof *ord);
	ck_assert_int_eq(schedule_restore(&r, times(s.expected, 8), ord, 8,
	    &sh2, &err), 0);
	ck_assert_str_eq(r.digest, s.digest);
	ck_assert_mem_eq(r.owner, s.owner, 8 * sizeof *r.owner);
	schedule_free(&r);

	ord = malloc(8 * sizeof *ord);
	memcpy(ord, s.order, 8 * sizeof *ord);
	ord[3] = ord[4];
	ck_assert_int_eq(schedule_restore(&r, times(s.expected, 8), ord, 8,
	    NULL, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	schedule_free(&s);
	plan_free(&plan);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("schedule");
	TCase *tc = tcase_create("schedule");

	tcase_add_loop_test(tc, order, 0,
	    sizeof order_cases / sizeof order_cases[0]);
	tcase_add_test(tc, cut_by_time);
	tcase_add_test(tc, sort_todo);
	tcase_add_test(tc, restore);
	suite_add_tcase(s, tc);
	return s;
}
