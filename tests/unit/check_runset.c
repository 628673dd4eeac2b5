/*
 * check_runset: unit tests of reading several runs side by side: the
 * order of the rows, absent and notrun cells, shards of one run, a test
 * found in two shards, and what counts as a regression.
 *
 * Results directories are written with the library (plan, metadata,
 * store) in the fixture directory of each test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "fixture.h"
#include "plan/metadata.h"
#include "plan/plan.h"
#include "report/pipeline.h"
#include "report/runset.h"
#include "store/store.h"
#include "unit.h"

#define NOFRAG	(-1)	/* planned, no fragment */

/*
 * A results directory dir planning names[0..n); a fragment with
 * status[i] for each test whose status is not NOFRAG.
 */
static void
make_run(const char *dir, const char *const *names, const int *status,
    size_t n)
{
	char *argv[] = { "true", NULL };
	struct prun_options opts;
	struct prun_metadata md;
	struct prun_error err;
	struct prun_store *st;
	struct prun_plan plan;
	struct prun_result r;
	size_t i, len;
	char *buf;

	plan_init(&plan);
	for (i = 0; i < n; i++)
		fixture_test(&plan, names[i], "true");
	options_defaults(&opts);
	ck_assert_int_eq(metadata_init(&md, &plan, &opts, 1, argv, "run",
	    &err), 0);
	ck_assert_msg(store_create(&st, dir, BACKEND_JSON, 0,
	    &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(buf = metadata_encode(&md, &len, &err));
	ck_assert_int_eq(store_write_metadata(st, buf, len, &err), 0);
	free(buf);
	for (i = 0; i < n; i++) {
		if (status[i] == NOFRAG)
			continue;
		memset(&r, 0, sizeof r);
		r.index = i;
		r.name = (char *)names[i];
		r.status = (enum prun_status)status[i];
		r.attempt = 1;
		r.command = "true";
		r.has_returncode = 1;
		r.time_start = 1700000000;
		r.time_end = 1700000001;
		ck_assert_int_eq(store_write_result(st, &r, &err), 0);
	}
	store_close(st);
	metadata_free(&md);
	plan_free(&plan);
	options_free(&opts);
}

/* Read every row: names[i] and each run's status (-2: absent). */
static size_t
read_rows(struct runset *rs, char names[][32], int st[][3], size_t max)
{
	const struct prun_result *cells[3];
	struct prun_error err;
	size_t n = 0, k, nruns;

	runset_runs(rs, &nruns);
	ck_assert_uint_le(nruns, 3);
	while (runset_next(rs, cells, &err) == 1) {
		ck_assert_uint_lt(n, max);
		names[n][0] = '\0';
		for (k = 0; k < nruns; k++) {
			st[n][k] = cells[k] ? (int)cells[k]->status : -2;
			if (cells[k] != NULL)
				snprintf(names[n], 32, "%s", cells[k]->name);
		}
		n++;
	}
	return n;
}

/* Three runs of a suite that changed, for the tests of row order. */
static const char *const r0[] = { "a", "b", "c" };
static const int s0[] = { PRUN_PASS, PRUN_FAIL, PRUN_PASS };
static const char *const r1[] = { "a", "x", "c", "y" };
static const int s1[] = { PRUN_FAIL, PRUN_PASS, NOFRAG, PRUN_SKIP };
static const char *const r2[] = { "z", "b" };
static const int s2[] = { PRUN_CRASH, PRUN_PASS };

/* Rows: the first run's order, new tests after their predecessor. */
START_TEST(union_order)
{
	static const char *const want[] = { "z", "a", "x", "b", "c", "y" };
	static const int wst[][3] = {
		{ -2, -2, PRUN_CRASH }, { PRUN_PASS, PRUN_FAIL, -2 },
		{ -2, PRUN_PASS, -2 }, { PRUN_FAIL, -2, PRUN_PASS },
		{ PRUN_PASS, PRUN_NOTRUN, -2 }, { -2, PRUN_SKIP, -2 },
	};
	char *dir = fixture_dir(), *runs[3], names[8][32];
	int st[8][3];
	const struct report_run *info;
	struct prun_error err;
	struct runset *rs;
	size_t n, i, nruns;

	runs[0] = fixture_path(dir, "u0");
	runs[1] = fixture_path(dir, "u1");
	runs[2] = fixture_path(dir, "u2");
	make_run(runs[0], r0, s0, 3);
	make_run(runs[1], r1, s1, 4);
	make_run(runs[2], r2, s2, 2);
	ck_assert_ptr_nonnull(rs = runset_open(runs, 3, 0, NULL, NULL, &err));
	ck_assert_uint_eq(runset_rows(rs), 6);
	n = read_rows(rs, names, st, 8);
	ck_assert_uint_eq(n, 6);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(names[i], want[i]);
		ck_assert_int_eq(st[i][0], wst[i][0]);
		ck_assert_int_eq(st[i][1], wst[i][1]);
		ck_assert_int_eq(st[i][2], wst[i][2]);
	}
	info = runset_runs(rs, &nruns);
	ck_assert_uint_eq(nruns, 3);
	ck_assert_uint_eq(info[1].ntests, 4);
	ck_assert_uint_eq(info[1].counts[PRUN_NOTRUN], 1);
	ck_assert_uint_eq(info[1].regressions, 1);	/* a */
	ck_assert_uint_eq(info[2].fixes, 0);	/* b: not in run 1 */
	runset_close(rs);
	for (i = 0; i < 3; i++)
		free(runs[i]);
	free(dir);
}
END_TEST

/* Rows in the last run's order (--compare's text), and a run that is a
 * JSON report (its tests in the file's order, subtests kept). */
START_TEST(newest_and_json)
{
	static const struct {
		int		 flags;
		int		 json;	/* run 0 is the JSON report */
		size_t		 nruns;
		const char	*want;	/* the rows' names */
	} cases[] = {
		{ 0, 0, 3, "z a x b c y" },
		{ RUNSET_NEWEST, 0, 3, "a x c y z b" },
		{ RUNSET_NEWEST, 0, 2, "a b x c y" },
		{ RUNSET_JSON, 1, 2, "q a x c y b" },
		{ RUNSET_JSON | RUNSET_NEWEST, 1, 2, "q a b x c y" },
	};
	static const char json[] = "{\"tests\": {"
	    "\"q\": {\"result\": \"pass\"},"
	    "\"a\": {\"result\": \"fail\", \"subtests\": "
	    "{\"__type__\": \"Subtests\", \"s\": \"pass\"}},"
	    "\"bad\": {\"result\": \"nonsense\"},"
	    "\"b\": {\"result\": \"pass\"}}}";
	char *dir = fixture_dir(), *paths[4], *runs[3], names[8][32];
	char got[64];
	int st[8][3];
	struct prun_error err;
	struct runset *rs;
	size_t c, n, i;
	FILE *fp;

	paths[0] = fixture_path(dir, "n0");
	paths[1] = fixture_path(dir, "n1");
	paths[2] = fixture_path(dir, "n2");
	paths[3] = fixture_path(dir, "n.json");
	make_run(paths[0], r0, s0, 3);
	make_run(paths[1], r1, s1, 4);
	make_run(paths[2], r2, s2, 2);
	ck_assert_ptr_nonnull(fp = fopen(paths[3], "w"));
	fputs(json, fp);
	ck_assert_int_eq(fclose(fp), 0);
	for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		runs[0] = cases[c].json ? paths[3] : paths[0];
		runs[1] = paths[1];
		runs[2] = paths[2];
		rs = runset_open(runs, cases[c].nruns, cases[c].flags, NULL,
		    NULL, &err);
		ck_assert_msg(rs != NULL, "case %zu: %s", c, err.msg);
		n = read_rows(rs, names, st, 8);
		got[0] = '\0';
		for (i = 0; i < n; i++)
			snprintf(got + strlen(got), sizeof got - strlen(got),
			    "%s%s", i ? " " : "", names[i]);
		ck_assert_msg(strcmp(got, cases[c].want) == 0,
		    "case %zu: %s", c, got);
		runset_close(rs);
	}
	/* Without RUNSET_JSON, a file is no run. */
	runs[0] = paths[3];
	ck_assert_ptr_null(runset_open(runs, 2, 0, NULL, NULL, &err));
	for (i = 0; i < 4; i++)
		free(paths[i]);
	free(dir);
}
END_TEST

/*
 * A run given as shards (one plan, each shard with its part of the
 * results): each test from the shard that has it.  Shards of two plans
 * are refused, as a summary refuses them.
 */
START_TEST(shards)
{
	static const char *const old[] = { "g/p", "g/q", "r" };
	static const int sold[] = { PRUN_PASS, PRUN_PASS, PRUN_PASS };
	static const int ss1[] = { PRUN_FAIL, PRUN_PASS, NOFRAG };
	static const int ss2[] = { NOFRAG, NOFRAG, PRUN_PASS };
	static const char *const other[] = { "g/p", "x" };
	char *dir = fixture_dir(), *runs[2], *p1, *p2, *p3, names[8][32];
	int st[8][3];
	struct prun_error err;
	struct runset *rs;
	const struct report_run *info;
	size_t nruns;

	runs[0] = fixture_path(dir, "old");
	p1 = fixture_path(dir, "s1");
	p2 = fixture_path(dir, "s2");
	p3 = fixture_path(dir, "s3");
	make_run(runs[0], old, sold, 3);
	make_run(p1, old, ss1, 3);
	make_run(p2, old, ss2, 3);
	make_run(p3, other, sold, 2);
	ck_assert_int_gt(asprintf(&runs[1], "%s,%s", p1, p3), 0);
	ck_assert_ptr_null(runset_open(runs, 2, 0, NULL, NULL, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "another plan"));
	free(runs[1]);
	ck_assert_int_gt(asprintf(&runs[1], "%s,%s", p1, p2), 0);
	ck_assert_ptr_nonnull(rs = runset_open(runs, 2, 0, NULL, NULL, &err));
	ck_assert_uint_eq(read_rows(rs, names, st, 8), 3);
	ck_assert_str_eq(names[0], "g/p");
	ck_assert_int_eq(st[0][1], PRUN_FAIL);
	ck_assert_str_eq(names[2], "r");
	ck_assert_int_eq(st[2][1], PRUN_PASS);
	info = runset_runs(rs, &nruns);
	ck_assert_uint_eq(info[1].ndirs, 2);
	ck_assert_uint_eq(info[1].ntests, 3);
	ck_assert_uint_eq(info[1].regressions, 1);
	runset_close(rs);
	free(runs[0]);
	free(runs[1]);
	free(p1);
	free(p2);
	free(p3);
	free(dir);
}
END_TEST

/* The same test with results in two shards: the worse, and said. */
static int warned;

static void
count_warn(void *ctx, const char *msg)
{
	(void)ctx;
	if (strstr(msg, "has results in both") != NULL)
		warned++;
}

START_TEST(duplicate)
{
	static const char *const names[] = { "t" };
	static const int a[] = { PRUN_PASS }, b[] = { PRUN_CRASH };
	const struct prun_result *cells[1];
	const struct report_run *info;
	struct prun_error err;
	struct runset *rs;
	char *dir = fixture_dir(), *runs[1], *p1, *p2;
	size_t nruns;

	p1 = fixture_path(dir, "d1");
	p2 = fixture_path(dir, "d2");
	make_run(p1, names, a, 1);
	make_run(p2, names, b, 1);
	ck_assert_int_gt(asprintf(&runs[0], "%s,%s", p1, p2), 0);
	ck_assert_ptr_nonnull(rs = runset_open(runs, 1, 0, count_warn, NULL,
	    &err));
	ck_assert_int_eq(runset_next(rs, cells, &err), 1);
	ck_assert_int_eq(cells[0]->status, PRUN_CRASH);
	ck_assert_ptr_nonnull(strstr(cells[0]->err, "has results in both"));
	ck_assert_int_eq(warned, 1);
	ck_assert_int_eq(runset_next(rs, cells, &err), 0);
	info = runset_runs(rs, &nruns);
	ck_assert_uint_eq(info[0].duplicates, 1);
	runset_close(rs);
	free(runs[0]);
	free(p1);
	free(p2);
	free(dir);
}
END_TEST

/* Errors name the directory; a format without columns is refused. */
START_TEST(errors)
{
	static const char *const names[] = { "t" };
	static const int s[] = { PRUN_PASS };
	struct report_options opts;
	struct pipeline_config cfg = { .report = &opts, .compare = 1 };
	struct pipeline_outcome out;
	struct prun_error err;
	char *dir = fixture_dir(), *runs[2], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	runs[0] = fixture_path(dir, "missing");
	ck_assert_ptr_null(runset_open(runs, 1, 0, NULL, NULL, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "missing"));
	free(runs[0]);
	runs[0] = fixture_path(dir, "e1");
	make_run(runs[0], names, s, 1);
	ck_assert_int_gt(asprintf(&runs[1], "%s,", runs[0]), 0);
	ck_assert_ptr_null(runset_open(runs, 2, 0, NULL, NULL, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "empty directory name"));
	free(runs[1]);
	runs[1] = runs[0];
	report_options_init(&opts, REPORT_JSON);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_int_eq(pipeline_write(runs, 2, &cfg, fp, &out, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "side by side"));
	fclose(fp);
	free(buf);
	free(runs[0]);
	free(dir);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("runset");
	TCase *tc = tcase_create("runset");

	tcase_add_test(tc, union_order);
	tcase_add_test(tc, newest_and_json);
	tcase_add_test(tc, shards);
	tcase_add_test(tc, duplicate);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return s;
}
