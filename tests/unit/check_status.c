/*
 * check_status: unit tests of the status module: piglit's names, their
 * parsing (dmesg-warn and dmesg-fail are statuses of their own since
 * fragment version 2), the order from best to worst, and which statuses
 * fail a run.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/status.h"
#include "unit.h"

/* Every status has piglit's name, and parsing it gives it back. */
START_TEST(names_round_trip)
{
	static const char *const want[PRUN_NSTATUS] = {
		"skip", "notrun", "pass", "warn", "dmesg-warn", "fail",
		"dmesg-fail", "timeout", "crash", "incomplete",
	};
	enum prun_status s, got;

	for (s = 0; s < PRUN_NSTATUS; s++) {
		ck_assert_str_eq(status_name(s), want[s]);
		got = PRUN_NSTATUS;
		ck_assert_int_eq(status_parse(want[s], &got), 0);
		ck_assert_int_eq(got, s);
	}
	ck_assert_str_eq(status_name(PRUN_NSTATUS), "unknown");
	ck_assert_str_eq(status_name((enum prun_status)-1), "unknown");
	ck_assert_str_eq(status_name((enum prun_status)1000), "unknown");
}
END_TEST

/* piglit's dmesg statuses are their own; others are refused. */
START_TEST(parse_dmesg_and_unknown)
{
	static const char *const bad[] = {
		"", "PASS", "Pass", "pass ", " pass", "passed", "dmesg",
		"dmesg-pass", "dmesg-warn ", "unknown", "ok", "not ok",
	};
	static const struct {
		const char		*name;
		enum prun_status	 status;
	} dmesg[] = {
		{ "dmesg-warn", PRUN_DMESG_WARN },
		{ "dmesg-fail", PRUN_DMESG_FAIL },
	};
	enum prun_status got;
	size_t i;

	for (i = 0; i < sizeof dmesg / sizeof dmesg[0]; i++) {
		got = PRUN_NSTATUS;
		ck_assert_int_eq(status_parse(dmesg[i].name, &got), 0);
		ck_assert_int_eq(got, dmesg[i].status);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		got = PRUN_NSTATUS;
		ck_assert_msg(status_parse(bad[i], &got) == -1,
		    "'%s' was accepted", bad[i]);
		ck_assert_int_eq(got, PRUN_NSTATUS);
	}
}
END_TEST

/* piglit's order: skip < notrun < pass < warn < dmesg-warn < fail <
 * dmesg-fail < timeout < crash < incomplete; worst is symmetric and
 * idempotent. */
START_TEST(worst_ordering)
{
	static const enum prun_status order[] = {
		PRUN_SKIP, PRUN_NOTRUN, PRUN_PASS, PRUN_WARN, PRUN_DMESG_WARN,
		PRUN_FAIL, PRUN_DMESG_FAIL, PRUN_TIMEOUT, PRUN_CRASH,
		PRUN_INCOMPLETE,
	};
	size_t i, j, n = sizeof order / sizeof order[0];

	ck_assert_uint_eq(n, PRUN_NSTATUS);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			enum prun_status w = order[i > j ? i : j];

			ck_assert_int_eq(status_worst(order[i], order[j]), w);
			ck_assert_int_eq(status_worst(order[j], order[i]), w);
		}
	}
	ck_assert_int_eq(status_worst(PRUN_PASS, PRUN_SKIP), PRUN_PASS);
	ck_assert_int_eq(status_worst(PRUN_WARN, PRUN_PASS), PRUN_WARN);
	ck_assert_int_eq(status_worst(PRUN_CRASH, PRUN_TIMEOUT), PRUN_CRASH);
}
END_TEST

/* fail, dmesg-fail, timeout, crash and incomplete fail a run; the rest
 * (dmesg-warn too, as warn) do not. */
START_TEST(is_failure)
{
	static const int fails[PRUN_NSTATUS] = {
		[PRUN_SKIP] = 0, [PRUN_NOTRUN] = 0, [PRUN_PASS] = 0,
		[PRUN_WARN] = 0, [PRUN_DMESG_WARN] = 0, [PRUN_FAIL] = 1,
		[PRUN_DMESG_FAIL] = 1, [PRUN_TIMEOUT] = 1,
		[PRUN_CRASH] = 1, [PRUN_INCOMPLETE] = 1,
	};
	enum prun_status s;

	for (s = 0; s < PRUN_NSTATUS; s++)
		ck_assert_int_eq(status_is_failure(s) != 0, fails[s]);
}
END_TEST

/* Every status has a colour (a new one needs one too): SGR numbers. */
START_TEST(colors)
{
	enum prun_status s;
	const char *c;

	for (s = 0; s < PRUN_NSTATUS; s++) {
		ck_assert_ptr_nonnull(c = status_color(s));
		ck_assert_uint_gt(strlen(c), 0);
		ck_assert_uint_eq(strspn(c, "0123456789;"), strlen(c));
	}
	ck_assert_str_eq(status_color(PRUN_PASS), "32");
	ck_assert_str_eq(status_color(PRUN_FAIL), "31");
	ck_assert_ptr_null(status_color(PRUN_NSTATUS));
}
END_TEST

/* The suite of status tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, names_round_trip);
	tcase_add_test(tc, parse_dmesg_and_unknown);
	tcase_add_test(tc, worst_ordering);
	tcase_add_test(tc, is_failure);
	tcase_add_test(tc, colors);
	suite_add_tcase(s, tc);
	return s;
}
