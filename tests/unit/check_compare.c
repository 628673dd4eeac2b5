/*
 * check_compare: unit tests of prun summary --compare's text (the
 * pipeline with report_compare.c) on two JSON results files; the kinds of
 * change are check_change's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "report/pipeline.h"
#include "core/error.h"
#include "unit.h"

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

/* Compare the runs old and new as prun summary --compare does. */
static int
compare_write(const char *old, const char *new, FILE *fp,
    struct pipeline_outcome *out, struct prun_error *err)
{
	struct report_options ro;
	struct pipeline_config cfg = { .report = &ro, .compare = 1 };
	char *runs[2] = { (char *)old, (char *)new };

	report_options_init(&ro, REPORT_TEXT);
	return pipeline_write(runs, 2, &cfg, fp, out, err);
}

/* Compare two JSON texts; returns the report in a malloc'd string. */
static char *
compare_texts(const char *old, const char *new, struct pipeline_outcome *out)
{
	char po[64], pn[64], *buf = NULL;
	struct prun_error err;
	size_t len = 0;
	FILE *fp;

	json_file(old, po);
	json_file(new, pn);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_msg(compare_write(po, pn, fp, out, &err) == 0,
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
	struct pipeline_outcome out;
	char *report;

	report = compare_texts(old, new, &out);
	/* In the new run's order, then what only the old run had. */
	ck_assert_msg(strstr(report,
	    "new        a/new: none -> dmesg-warn\n"
	    "regression a/subs [one]: pass -> fail\n"
	    "fix        a/subs [two]: fail -> pass\n"
	    "new        a/subs [three]: none -> skip\n"
	    "change     a/skipped: pass -> skip\n"
	    "fix        a/better: crash -> timeout\n"
	    "regression a/worse: pass -> incomplete\n"
	    "removed    a/gone: fail -> none\n") == report, "%s", report);
	/* Tests are counted once each, a/subs a regression (change.h). */
	ck_assert_msg(strstr(report, "\n\n"
	    "regression        2\n"
	    "fix               1\n"
	    "new               1\n"
	    "removed           1\n"
	    "change            1\n"
	    "REGRESSED: 6 tests (2 subtests) in ") != NULL, "%s", report);
	/* Tests and subtests apart (issue 12): not "8 tests", "9 in". */
	ck_assert_ptr_nonnull(strstr(report, ", 6 tests (3 subtests) in "));
	ck_assert_uint_eq(out.regressions, 2);
	ck_assert_uint_eq(out.fixes, 1);
	ck_assert_int_eq(out.failing, 1);
	free(report);

	report = compare_texts(old, old, &out);
	ck_assert_ptr_nonnull(strstr(report, "OK: 6 tests (2 subtests) in"));
	ck_assert_uint_eq(out.regressions + out.fixes, 0);
	ck_assert_int_eq(out.failing, 0);
	free(report);
}
END_TEST

START_TEST(bad_inputs)
{
	struct pipeline_outcome out;
	struct prun_error err;
	char path[64];
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen("/dev/null", "w"));
	ck_assert_int_eq(compare_write("/nonexistent/x", "/nonexistent/y",
	    fp, &out, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	json_file("{\"no tests\": 1}", path);
	ck_assert_int_eq(compare_write(path, path, fp, &out, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "\"tests\""));
	unlink(path);
	json_file("{\"tests\": ", path);
	ck_assert_int_eq(compare_write(path, path, fp, &out, &err), -1);
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

	tc = tcase_create("write");
	tcase_add_test(tc, write_json);
	tcase_add_test(tc, bad_inputs);
	suite_add_tcase(s, tc);
	return s;
}
