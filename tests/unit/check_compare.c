/*
 * check_compare: unit tests of the compare module (piglit's definitions
 * of regressions, fixes, new, removed and changed tests, and the report
 * of two JSON results files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "report/compare.h"
#include "core/error.h"
#include "unit.h"

#define ABSENT	COMPARE_ABSENT

START_TEST(classify)
{
	/* Worse or better, both run (neither skip nor notrun). */
	ck_assert_int_eq(compare_classify(PRUN_PASS, PRUN_FAIL),
	    COMPARE_REGRESSION);
	ck_assert_int_eq(compare_classify(PRUN_PASS, PRUN_WARN),
	    COMPARE_REGRESSION);
	ck_assert_int_eq(compare_classify(PRUN_FAIL, PRUN_CRASH),
	    COMPARE_REGRESSION);
	ck_assert_int_eq(compare_classify(PRUN_TIMEOUT, PRUN_INCOMPLETE),
	    COMPARE_REGRESSION);
	ck_assert_int_eq(compare_classify(PRUN_CRASH, PRUN_TIMEOUT),
	    COMPARE_FIX);
	ck_assert_int_eq(compare_classify(PRUN_WARN, PRUN_PASS), COMPARE_FIX);
	/* Not run before (absent or notrun), run now; and back. */
	ck_assert_int_eq(compare_classify(ABSENT, PRUN_PASS), COMPARE_NEW);
	ck_assert_int_eq(compare_classify(PRUN_NOTRUN, PRUN_FAIL),
	    COMPARE_NEW);
	ck_assert_int_eq(compare_classify(ABSENT, PRUN_SKIP), COMPARE_NEW);
	ck_assert_int_eq(compare_classify(PRUN_FAIL, ABSENT),
	    COMPARE_REMOVED);
	ck_assert_int_eq(compare_classify(PRUN_PASS, PRUN_NOTRUN),
	    COMPARE_REMOVED);
	ck_assert_int_eq(compare_classify(PRUN_SKIP, ABSENT),
	    COMPARE_REMOVED);
	/* To and from skip: a change, neither regression nor fix. */
	ck_assert_int_eq(compare_classify(PRUN_PASS, PRUN_SKIP),
	    COMPARE_CHANGE);
	ck_assert_int_eq(compare_classify(PRUN_SKIP, PRUN_CRASH),
	    COMPARE_CHANGE);
	/* No change. */
	ck_assert_int_eq(compare_classify(PRUN_PASS, PRUN_PASS), -1);
	ck_assert_int_eq(compare_classify(PRUN_SKIP, PRUN_SKIP), -1);
	ck_assert_int_eq(compare_classify(ABSENT, ABSENT), -1);
	ck_assert_int_eq(compare_classify(ABSENT, PRUN_NOTRUN), -1);
	ck_assert_int_eq(compare_classify(PRUN_NOTRUN, ABSENT), -1);
	ck_assert_str_eq(compare_kind_name(COMPARE_FIX), "fix");
}
END_TEST

/* Every pair: exactly the kinds above, and symmetric where it must be. */
START_TEST(classify_all)
{
	enum prun_status o, n;
	int k, back;

	for (o = 0; o <= ABSENT; o++) {
		for (n = 0; n <= ABSENT; n++) {
			k = compare_classify(o, n);
			back = compare_classify(n, o);
			ck_assert_int_ge(k, -1);
			ck_assert_int_lt(k, COMPARE_NKINDS);
			if (k == COMPARE_REGRESSION)
				ck_assert_int_eq(back, COMPARE_FIX);
			if (k == COMPARE_NEW)
				ck_assert_int_eq(back, COMPARE_REMOVED);
			if (k == -1 || k == COMPARE_CHANGE)
				ck_assert_int_eq(back, k);
		}
	}
}
END_TEST

/* Write a JSON file into a fresh temporary path (static buffer). */
static const char *
json_file(const char *text, char *path)
{
	FILE *fp;
	int fd;

	strcpy(path, "/tmp/check_compare.XXXXXX");
	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

/* Compare two JSON texts; returns the report in a malloc'd string. */
static char *
compare_texts(const char *old, const char *new, struct compare_outcome *out)
{
	char po[64], pn[64], *buf = NULL;
	struct prun_error err;
	size_t len = 0;
	FILE *fp;

	json_file(old, po);
	json_file(new, pn);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_msg(compare_write(po, pn, fp, NULL, NULL, out, &err) == 0,
	    "%s", err.msg);
	fclose(fp);
	unlink(po);
	unlink(pn);
	return buf;
}

START_TEST(write_json)
{
	static const char old[] = "{\"tests\": {"
	    "\"a/same\": {\"result\": \"pass\"},"
	    "\"a/worse\": {\"result\": \"pass\"},"
	    "\"a/better\": {\"result\": \"crash\"},"
	    "\"a/gone\": {\"result\": \"fail\"},"
	    "\"a/skipped\": {\"result\": \"pass\"},"
	    "\"a/subs\": {\"result\": \"fail\", \"subtests\": "
	    "{\"__type__\": \"Subtests\", \"one\": \"pass\", "
	    "\"two\": \"fail\"}}"
	    "}}";
	static const char new[] = "{\"tests\": {"
	    "\"a/new\": {\"result\": \"dmesg-warn\"},"
	    "\"a/subs\": {\"result\": \"fail\", \"subtests\": "
	    "{\"one\": \"fail\", \"two\": \"pass\", \"three\": \"skip\"}},"
	    "\"a/skipped\": {\"result\": \"skip\"},"
	    "\"a/better\": {\"result\": \"timeout\"},"
	    "\"a/worse\": {\"result\": \"incomplete\"},"
	    "\"a/same\": {\"result\": \"pass\"}"
	    "}}";
	struct compare_outcome out;
	char *report;

	report = compare_texts(old, new, &out);
	/* In the new run's order, then what only the old run had. */
	ck_assert_msg(strstr(report,
	    "new        a/new: none -> warn\n"
	    "regression a/subs [one]: pass -> fail\n"
	    "fix        a/subs [two]: fail -> pass\n"
	    "new        a/subs [three]: none -> skip\n"
	    "change     a/skipped: pass -> skip\n"
	    "fix        a/better: crash -> timeout\n"
	    "regression a/worse: pass -> incomplete\n"
	    "removed    a/gone: fail -> none\n") == report, "%s", report);
	ck_assert_ptr_nonnull(strstr(report, "REGRESSED: 8 tests in"));
	ck_assert_uint_eq(out.counts[COMPARE_REGRESSION], 2);
	ck_assert_uint_eq(out.counts[COMPARE_FIX], 2);
	ck_assert_uint_eq(out.counts[COMPARE_NEW], 2);
	ck_assert_uint_eq(out.counts[COMPARE_REMOVED], 1);
	ck_assert_uint_eq(out.counts[COMPARE_CHANGE], 1);
	ck_assert_uint_eq(out.old_tests, 8);
	ck_assert_uint_eq(out.new_tests, 9);
	free(report);

	report = compare_texts(old, old, &out);
	ck_assert_ptr_nonnull(strstr(report, "OK: 8 tests in"));
	ck_assert_uint_eq(out.counts[COMPARE_REGRESSION] +
	    out.counts[COMPARE_CHANGE] + out.counts[COMPARE_REMOVED], 0);
	free(report);
}
END_TEST

START_TEST(bad_inputs)
{
	struct compare_outcome out;
	struct prun_error err;
	char path[64];
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen("/dev/null", "w"));
	ck_assert_int_eq(compare_write("/nonexistent/x", "/nonexistent/y",
	    fp, NULL, NULL, &out, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	json_file("{\"no tests\": 1}", path);
	ck_assert_int_eq(compare_write(path, path, fp, NULL, NULL, &out,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "\"tests\""));
	unlink(path);
	json_file("{\"tests\": ", path);
	ck_assert_int_eq(compare_write(path, path, fp, NULL, NULL, &out,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	unlink(path);
	fclose(fp);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc;

	tc = tcase_create("classify");
	tcase_add_test(tc, classify);
	tcase_add_test(tc, classify_all);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_test(tc, write_json);
	tcase_add_test(tc, bad_inputs);
	suite_add_tcase(s, tc);
	return s;
}
