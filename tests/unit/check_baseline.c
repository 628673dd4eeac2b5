/*
 * check_baseline: unit tests of the baseline module (baseline and flakes
 * files, and the verdict on a test's status).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "report/baseline.h"
#include "core/error.h"
#include "core/status.h"
#include "unit.h"

/* A baseline from text, expecting it to parse. */
static struct baseline *
parse_ok(const char *text, const char *flakes)
{
	struct prun_error err;
	struct baseline *bl;

	memset(&err, 0, sizeof err);
	ck_assert_ptr_nonnull(bl = baseline_new());
	ck_assert_msg(baseline_parse(bl, text, "base.txt", &err) == 0, "%s",
	    err.msg);
	if (flakes != NULL)
		ck_assert_msg(baseline_parse_flakes(bl, flakes, "flakes.txt",
		    &err) == 0, "%s", err.msg);
	return bl;
}

/* Parse text expecting a usage error; returns the message. */
static const char *
parse_fails(const char *text, int flakes)
{
	static struct prun_error err;
	struct baseline *bl;
	int rc;

	memset(&err, 0, sizeof err);
	ck_assert_ptr_nonnull(bl = baseline_new());
	rc = flakes ? baseline_parse_flakes(bl, text, "flakes.txt", &err) :
	    baseline_parse(bl, text, "base.txt", &err);
	baseline_free(bl);
	ck_assert_msg(rc == -1, "'%s' parsed", text);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	return err.msg;
}

/* The verdict on name with status, ignoring the expected status. */
static enum baseline_verdict
judge(struct baseline *bl, const char *name, enum prun_status s, int flaky)
{
	enum prun_status expected;

	return baseline_judge(bl, name, s, flaky, &expected);
}

/* A value a row does not check. */
#define ANY	(-1)
#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* The verdict on a test that ended with status (flaky: passed on a rerun),
 * and the status the baseline expected (ANY: not checked). */
struct judgement {
	const char		*name;
	enum prun_status	 status;
	int			 flaky;
	enum baseline_verdict	 verdict;
	int			 expected;
};

/* Assert each of the n judgements of bl. */
static void
assert_judgements(struct baseline *bl, const struct judgement *j, size_t n)
{
	enum prun_status e;
	size_t i;

	for (i = 0; i < n; i++) {
		ck_assert_msg(baseline_judge(bl, j[i].name, j[i].status,
		    j[i].flaky, &e) == j[i].verdict, "verdict on %s %s%s",
		    j[i].name, status_name(j[i].status),
		    j[i].flaky ? " (flaky)" : "");
		if (j[i].expected != ANY)
			ck_assert_int_eq(e, j[i].expected);
	}
}

START_TEST(file_format)
{
	static const struct judgement listed[] = {
		{ "gpu/a", PRUN_FAIL, 0, BASELINE_EXPECTED, PRUN_FAIL },
		{ "gpu/b", PRUN_CRASH, 0, BASELINE_EXPECTED, ANY },
		{ "name with blanks", PRUN_TIMEOUT, 0, BASELINE_EXPECTED, ANY },
		{ "dEQP-GLES2.functional.x", PRUN_FAIL, 0, BASELINE_EXPECTED,
		    ANY },
		{ "gpu/dmesg", PRUN_DMESG_FAIL, 0, BASELINE_EXPECTED, ANY },
	};
	struct baseline *bl;
	const char *first;

	bl = parse_ok("# comment\n"
	    "\n"
	    "gpu/a fail\n"
	    "  gpu/b   crash  \r\n"
	    "name with blanks\ttimeout\n"
	    "dEQP-GLES2.functional.x,Fail\n"
	    "gpu/dmesg dmesg-fail\n"
	    "gpu/last Incomplete", NULL);
	assert_judgements(bl, listed, NELEM(listed));
	ck_assert_uint_eq(baseline_unseen(bl, &first), 1);
	ck_assert_str_eq(first, "gpu/last");
	ck_assert_int_eq(judge(bl, "gpu/last", PRUN_INCOMPLETE, 0),
	    BASELINE_EXPECTED);
	ck_assert_uint_eq(baseline_unseen(bl, &first), 0);
	ck_assert_ptr_null(first);
	baseline_free(bl);
}
END_TEST

START_TEST(file_errors)
{
	/* A text, whether it is a flakes file, and a part of the error. */
	static const struct {
		const char	*text;
		int		 flakes;
		const char	*msg;
	} bad[] = {
		{ "a fail\nb\n", 0, "base.txt:2:" },
		{ "a fial\n", 0, "unknown status 'fial'" },
		{ "a fail\n#\na crash\n", 0,
		    "base.txt:3: test 'a' is already listed on line 1" },
		{ " fail\n", 0, "" },
		{ ",fail\n", 0, "" },
		{ "ok\n(unclosed\n", 1, "flakes.txt:2: invalid regex" },
	};
	size_t i;

	for (i = 0; i < NELEM(bad); i++) {
		ck_assert_ptr_nonnull(strstr(parse_fails(bad[i].text,
		    bad[i].flakes), bad[i].msg));
	}
}
END_TEST

START_TEST(verdicts)
{
	static const struct judgement rows[] = {
		/* Not listed: failures are unexpected, the rest fine. */
		{ "gpu/new", PRUN_FAIL, 0, BASELINE_UNEXPECTED, PRUN_NSTATUS },
		{ "gpu/new", PRUN_PASS, 0, BASELINE_OK, ANY },
		{ "gpu/new", PRUN_WARN, 0, BASELINE_OK, ANY },
		{ "gpu/new", PRUN_SKIP, 0, BASELINE_OK, ANY },
		{ "gpu/new", PRUN_NOTRUN, 0, BASELINE_OK, ANY },
		{ "gpu/new", PRUN_PASS, 1, BASELINE_OK, ANY },
		/* Listed: the same failure is expected, another one is not. */
		{ "gpu/fails", PRUN_FAIL, 0, BASELINE_EXPECTED, ANY },
		{ "gpu/fails", PRUN_CRASH, 0, BASELINE_UNEXPECTED, PRUN_FAIL },
		/* A listed failure that passes is fixed; skipped says
		 * nothing ... */
		{ "gpu/crashes", PRUN_PASS, 0, BASELINE_FIXED, ANY },
		{ "gpu/crashes", PRUN_WARN, 0, BASELINE_FIXED, ANY },
		{ "gpu/crashes", PRUN_SKIP, 0, BASELINE_OK, ANY },
		{ "gpu/crashes", PRUN_NOTRUN, 0, BASELINE_OK, ANY },
		/* ... unless it passed only on a rerun. */
		{ "gpu/crashes", PRUN_PASS, 1, BASELINE_FLAKE, ANY },
		/* A listed skip that fails is unexpected; passing is fine. */
		{ "gpu/skips", PRUN_FAIL, 0, BASELINE_UNEXPECTED, ANY },
		{ "gpu/skips", PRUN_PASS, 0, BASELINE_OK, ANY },
		/* Known flakes: failures tolerated, regexes not anchored. */
		{ "gpu/flaky-1", PRUN_TIMEOUT, 0, BASELINE_FLAKE, ANY },
		{ "x/wobbly", PRUN_CRASH, 0, BASELINE_FLAKE, ANY },
		{ "x/wobbly2", PRUN_CRASH, 0, BASELINE_UNEXPECTED, ANY },
		{ "a/gpu/flaky-1", PRUN_FAIL, 0, BASELINE_UNEXPECTED, ANY },
		{ "gpu/flaky-1", PRUN_PASS, 0, BASELINE_OK, ANY },
	};
	struct baseline *bl = parse_ok("gpu/fails fail\ngpu/crashes crash\n"
	    "gpu/skips skip\n", "^gpu/flaky-\nwobbly$\n");

	assert_judgements(bl, rows, NELEM(rows));
	baseline_free(bl);
}
END_TEST

START_TEST(no_baseline)
{
	static const struct judgement rows[] = {
		{ "a", PRUN_FAIL, 0, BASELINE_UNEXPECTED, PRUN_NSTATUS },
		{ "a", PRUN_INCOMPLETE, 0, BASELINE_UNEXPECTED, ANY },
		{ "a", PRUN_PASS, 1, BASELINE_OK, ANY },
		{ "a", PRUN_SKIP, 0, BASELINE_OK, ANY },
	};

	assert_judgements(NULL, rows, NELEM(rows));
}
END_TEST

/* An empty baseline with flakes only, and a big one that must grow. */
START_TEST(sizes)
{
	struct baseline *bl = parse_ok("", "^x$");
	struct prun_error err;
	char *text, *p, name[32];
	size_t i;

	ck_assert_int_eq(judge(bl, "x", PRUN_FAIL, 0), BASELINE_FLAKE);
	ck_assert_int_eq(judge(bl, "y", PRUN_FAIL, 0), BASELINE_UNEXPECTED);
	baseline_free(bl);

	ck_assert_ptr_nonnull(text = malloc(20000 * 32));
	for (p = text, i = 0; i < 20000; i++)
		p += sprintf(p, "t/%zu %s\n", i, i % 2 ? "fail" : "crash");
	ck_assert_ptr_nonnull(bl = baseline_new());
	ck_assert_int_eq(baseline_parse(bl, text, "big", &err), 0);
	free(text);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof name, "t/%zu", i);
		ck_assert_int_eq(judge(bl, name, i % 2 ? PRUN_FAIL :
		    PRUN_CRASH, 0), BASELINE_EXPECTED);
	}
	baseline_free(bl);
}
END_TEST

START_TEST(read_files)
{
	char path[] = "/tmp/check_baseline.XXXXXX";
	struct prun_error err;
	struct baseline *bl;
	FILE *fp;
	int fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	fputs("a/b fail\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(bl = baseline_new());
	ck_assert_int_eq(baseline_read(bl, path, &err), 0);
	ck_assert_int_eq(baseline_read_flakes(bl, path, &err), 0);
	ck_assert_int_eq(judge(bl, "a/b", PRUN_FAIL, 0), BASELINE_EXPECTED);
	unlink(path);
	ck_assert_int_eq(baseline_read(bl, path, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	baseline_free(bl);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(baseline_verdict_name(BASELINE_FIXED), "fixed");
	ck_assert_str_eq(baseline_verdict_name(BASELINE_NVERDICTS),
	    "unknown");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("baseline");
	TCase *tc;

	tc = tcase_create("files");
	tcase_add_test(tc, file_format);
	tcase_add_test(tc, file_errors);
	tcase_add_test(tc, read_files);
	tcase_add_test(tc, sizes);
	suite_add_tcase(s, tc);

	tc = tcase_create("verdicts");
	tcase_add_test(tc, verdicts);
	tcase_add_test(tc, no_baseline);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}
