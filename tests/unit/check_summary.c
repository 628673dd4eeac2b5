/*
 * check_summary: unit tests of prun summary's assembly of a report from
 * results directories built with the store and metadata modules: tests
 * without a fragment are notrun, a damaged fragment is reported and left
 * out, shards of one plan merge, a test found twice is counted and shown,
 * results of another plan are refused; each format gets the counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "fixture.h"
#include "plan/metadata.h"
#include "store/store.h"
#include "report/pipeline.h"
#include "report/summary.h"
#include "unit.h"

/* The plan every results directory of these tests runs, unless a test
 * changes its commands. */
static const char *const names[] = {
	"gpu/a", "gpu/b", "gpu/sub/c", "net/d", "e",
};
#define NNAMES	(sizeof names / sizeof names[0])

/* A results directory dir/name of the plan, with its metadata.json, of
 * shard k of n (n 0: not sharded); cmd is every test's command; the run
 * started at 990 s (or 0.5 s before for a name ending in 2, as shards
 * start apart).  Returns the path; st stays open. */
static char *
shard_dir(struct prun_store **st, const char *dir, const char *name,
    const char *cmd, unsigned k, unsigned n)
{
	struct prun_metadata md;
	struct prun_plan plan;
	struct prun_options o;
	struct prun_error err;
	char *argv[] = { "prun", "run", NULL }, *path, *buf;
	size_t i, len;

	plan_init(&plan);
	for (i = 0; i < NNAMES; i++)
		fixture_test(&plan, names[i], cmd);
	options_defaults(&o);
	o.shard.index = k;
	o.shard.total = n;
	ck_assert_int_eq(metadata_init(&md, &plan, &o, 2, argv, name, &err),
	    0);
	md.time_start = name[strlen(name) - 1] == '2' ? 989.5 : 990;
	path = fixture_path(dir, name);
	ck_assert_msg(store_create(st, path, BACKEND_JSON, 0,
	    &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(buf = metadata_encode(&md, &len, &err));
	ck_assert_int_eq(store_write_metadata(*st, buf, len, &err), 0);
	free(buf);
	metadata_free(&md);
	plan_free(&plan);
	return path;
}

/* The same, not sharded. */
static char *
results_dir(struct prun_store **st, const char *dir, const char *name,
    const char *cmd)
{
	return shard_dir(st, dir, name, cmd, 0, 0);
}

/* Record test index with status s, at times start..end, with subtests. */
static void
record(struct prun_store *st, size_t index, enum prun_status s,
    double start, double end, const char *sub, enum prun_status subs)
{
	struct prun_subtest st1;
	struct prun_result r;
	struct prun_error err;

	memset(&r, 0, sizeof r);
	r.index = index;
	r.name = (char *)names[index];
	r.status = s;
	r.attempt = 1;
	r.has_returncode = s != PRUN_INCOMPLETE;
	r.returncode = s == PRUN_FAIL;
	r.pid = 500 + (long)index;
	r.time_start = start;
	r.time_end = end;
	r.err = "from the test\n";
	r.err_len = strlen(r.err);
	if (sub != NULL) {
		st1.name = (char *)sub;
		st1.status = subs;
		r.subtests = &st1;
		r.nsubtests = 1;
	}
	ck_assert_msg(store_write_result(st, &r, &err) == 0, "%s", err.msg);
}

/* What a test asks of a summary: a format and the pipeline's settings. */
struct sum_config {
	enum report_format	 format;
	struct baseline		*baseline;
	int			 allow_fixes;
	void			(*warn)(void *, const char *);
	void			*ctx;
};

/* The report of dirs through the pipeline, as prun summary writes it. */
static int
write_summary(char **dirs, size_t ndirs, const struct sum_config *c,
    FILE *fp, struct pipeline_outcome *out, struct prun_error *err)
{
	struct report_options ro;
	struct pipeline_config pc;

	report_options_init(&ro, c->format);
	memset(&pc, 0, sizeof pc);
	pc.report = &ro;
	pc.baseline = c->baseline;
	pc.allow_fixes = c->allow_fixes;
	pc.warn = c->warn;
	pc.ctx = c->ctx;
	return pipeline_write(dirs, ndirs, &pc, fp, out, err);
}

/* Run write_summary on the one directory *path with cfg; returns the
 * report text. */
static char *
summarize_cfg(char **path, const struct sum_config *cfg,
    struct pipeline_outcome *out)
{
	struct prun_error err;
	char *buf = NULL;
	size_t n;
	FILE *fp;

	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &n));
	memset(&err, 0, sizeof err);
	ck_assert_msg(write_summary(path, 1, cfg, fp, out, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

/* Settings of a summary without warnings or baseline. */
static const struct sum_config text_only = { .format = REPORT_TEXT };
static const struct sum_config json_only = { .format = REPORT_JSON };

/* The summary settings of format fmt, without a baseline. */
static struct sum_config
config(enum report_format fmt, struct fixture_warnings *w)
{
	struct sum_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.format = fmt;
	cfg.warn = w != NULL ? fixture_warn : NULL;
	cfg.ctx = w;
	return cfg;
}

/* Run write_summary on dirs in fmt, expecting success; returns the
 * report text. */
static char *
summarize(char **dirs, size_t ndirs, enum report_format fmt,
    struct fixture_warnings *w, struct pipeline_outcome *out, size_t *len)
{
	struct sum_config cfg;
	struct prun_error err;
	char *buf = NULL;
	size_t n;
	FILE *fp;

	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &n));
	memset(&err, 0, sizeof err);
	cfg = config(fmt, w);
	ck_assert_msg(write_summary(dirs, ndirs, &cfg, fp, out, &err) == 0,
	    "%s", err.msg);
	ck_assert_int_eq(fclose(fp), 0);
	if (len != NULL)
		*len = n;
	return buf;
}

/* Assert that text has the line want. */
static void
assert_line(const char *text, const char *want)
{
	const char *p = text;
	size_t n = strlen(want);

	while ((p = strstr(p, want)) != NULL) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' ||
		    p[n] == '\0'))
			return;
		p++;
	}
	ck_abort_msg("no line '%s' in:\n%s", want, text);
}

/* Parse a JSON report. */
static json_t *
load_json(const char *t, size_t len)
{
	json_error_t jerr;
	json_t *o;

	o = json_loadb(t, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES,
	    &jerr);
	ck_assert_msg(o != NULL, "%d:%d: %s", jerr.line, jerr.column,
	    jerr.text);
	return o;
}

/* The result of test name in a JSON report. */
static const char *
json_result(json_t *doc, const char *name)
{
	json_t *t = json_object_get(json_object_get(doc, "tests"), name);

	ck_assert_msg(t != NULL, "no test %s", name);
	return json_string_value(json_object_get(t, "result"));
}

/* The count of status in totals group g of a JSON report. */
static json_int_t
total(json_t *doc, const char *g, const char *status)
{
	return json_integer_value(json_object_get(json_object_get(
	    json_object_get(doc, "totals"), g), status));
}

/* One directory, in each format: finished results, a start record, and
 * tests without a fragment, which are notrun. */
START_TEST(one_dir_every_format)
{
	struct prun_store *st;
	struct pipeline_outcome out;
	struct fixture_warnings w = { { NULL }, 0 };
	char *dir = fixture_dir(), *path, *t;
	json_t *doc;
	size_t len;

	path = results_dir(&st, dir, "r", "true");
	record(st, 0, PRUN_PASS, 1000, 1001, NULL, 0);
	record(st, 1, PRUN_FAIL, 1000.5, 1004, "s1", PRUN_FAIL);
	record(st, 2, PRUN_INCOMPLETE, 1002, 0, NULL, 0);
	/* 3 and 4 never started. */

	t = summarize(&path, 1, REPORT_TEXT, &w, &out, &len);
	ck_assert_uint_eq(out.counts[PRUN_PASS], 1);
	ck_assert_uint_eq(out.counts[PRUN_FAIL], 1);
	ck_assert_uint_eq(out.counts[PRUN_INCOMPLETE], 1);
	ck_assert_uint_eq(out.counts[PRUN_NOTRUN], 2);
	ck_assert_uint_eq(out.duplicates + out.damaged, 0);
	ck_assert_uint_eq(w.n, 0);
	assert_line(t, "fail       gpu/b: exit status 1; 1 of 1 subtests "
	    "failed: s1");
	assert_line(t, "incomplete gpu/sub/c: started, but no result was "
	    "recorded");
	assert_line(t, "notrun     net/d: never started");
	assert_line(t, "notrun     e: never started");
	assert_line(t, "pass              1");
	assert_line(t, "notrun            2");
	assert_line(t, "total             5");
	/* From the start of the run to the last end. */
	assert_line(t, "FAILED in 14.0 s");
	free(t);

	t = summarize(&path, 1, REPORT_TAP, &w, &out, &len);
	ck_assert_int_eq(strncmp(t, "TAP version 13\n1..5\n", 20), 0);
	assert_line(t, "ok 1 - gpu/a");
	assert_line(t, "not ok 2 - gpu/b # fail");
	assert_line(t, "not ok 3 - gpu/sub/c # incomplete");
	assert_line(t, "ok 4 - net/d # SKIP notrun");
	assert_line(t, "ok 5 - e # SKIP notrun");
	free(t);

	t = summarize(&path, 1, REPORT_JSON, &w, &out, &len);
	doc = load_json(t, len);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "name")),
	    "r");
	ck_assert_str_eq(json_result(doc, "gpu/a"), "pass");
	ck_assert_str_eq(json_result(doc, "gpu/b"), "fail");
	ck_assert_str_eq(json_result(doc, "gpu/sub/c"), "incomplete");
	ck_assert_str_eq(json_result(doc, "net/d"), "notrun");
	ck_assert_str_eq(json_result(doc, "e"), "notrun");
	/* A notrun test still says what it would have run. */
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    json_object_get(doc, "tests"), "e"), "command")), "true");
	ck_assert_int_eq(total(doc, "root", "pass"), 1);
	/* gpu/b counts its subtest, not itself. */
	ck_assert_int_eq(total(doc, "root", "fail"), 1);
	ck_assert_int_eq(total(doc, "gpu/b", "fail"), 1);
	ck_assert_int_eq(total(doc, "gpu", "incomplete"), 1);
	ck_assert_int_eq(total(doc, "gpu/sub", "incomplete"), 1);
	ck_assert_int_eq(total(doc, "net", "notrun"), 1);
	ck_assert_int_eq(total(doc, "root", "notrun"), 2);
	ck_assert_double_eq(json_number_value(json_object_get(json_object_get(
	    doc, "time_elapsed"), "end")), 1004);
	json_decref(doc);
	free(t);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

/* A fragment that does not parse is named, counted and left out: its
 * test is notrun. */
START_TEST(damaged_left_out)
{
	struct prun_store *st;
	struct pipeline_outcome out;
	struct fixture_warnings w = { { NULL }, 0 };
	char *dir = fixture_dir(), *path, *p, *t;
	size_t len;
	json_t *doc;

	path = results_dir(&st, dir, "r", "true");
	record(st, 0, PRUN_PASS, 1, 2, NULL, 0);
	p = fixture_path(store_tests_path(st), "000001.json");
	fixture_write_str(p, "{\"format\":\"prun-fragment\",\"ver");
	t = summarize(&path, 1, REPORT_JSON, &w, &out, &len);
	ck_assert_uint_eq(out.damaged, 1);
	ck_assert_uint_eq(out.counts[PRUN_NOTRUN], 4);
	ck_assert_uint_eq(w.n, 1);
	ck_assert_msg(fixture_has(w.msg[0], p), "got: %s", w.msg[0]);
	doc = load_json(t, len);
	ck_assert_str_eq(json_result(doc, "gpu/b"), "notrun");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    doc, "prun"), "damaged")), 1);
	json_decref(doc);
	free(t);
	fixture_warnings_free(&w);

	t = summarize(&path, 1, REPORT_TEXT, &w, &out, &len);
	assert_line(t, "damaged           1");
	free(t);
	fixture_warnings_free(&w);
	free(p);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

/* Shards of one plan merge into one report, with the earliest start. */
START_TEST(shards_merge)
{
	struct prun_store *a, *b;
	struct pipeline_outcome out;
	struct fixture_warnings w = { { NULL }, 0 };
	char *dir = fixture_dir(), *dirs[2], *t;
	json_t *doc;
	size_t len;

	dirs[0] = results_dir(&a, dir, "shard1", "true");
	dirs[1] = results_dir(&b, dir, "shard2", "true");
	record(a, 0, PRUN_PASS, 1000, 1001, NULL, 0);
	record(a, 2, PRUN_CRASH, 1002, 1003, NULL, 0);
	record(b, 1, PRUN_SKIP, 990, 991, NULL, 0);
	record(b, 3, PRUN_WARN, 992, 1010, NULL, 0);
	record(b, 4, PRUN_TIMEOUT, 993, 994, NULL, 0);
	t = summarize(dirs, 2, REPORT_JSON, &w, &out, &len);
	ck_assert_uint_eq(w.n, 0);
	ck_assert_uint_eq(out.duplicates, 0);
	ck_assert_uint_eq(out.counts[PRUN_NOTRUN], 0);
	ck_assert_uint_eq(out.counts[PRUN_PASS], 1);
	ck_assert_uint_eq(out.counts[PRUN_SKIP], 1);
	ck_assert_uint_eq(out.counts[PRUN_CRASH], 1);
	ck_assert_uint_eq(out.counts[PRUN_WARN], 1);
	ck_assert_uint_eq(out.counts[PRUN_TIMEOUT], 1);
	doc = load_json(t, len);
	ck_assert_str_eq(json_result(doc, "gpu/a"), "pass");
	ck_assert_str_eq(json_result(doc, "gpu/b"), "skip");
	ck_assert_str_eq(json_result(doc, "gpu/sub/c"), "crash");
	ck_assert_str_eq(json_result(doc, "net/d"), "warn");
	ck_assert_str_eq(json_result(doc, "e"), "timeout");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    doc, "prun"), "shards")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    doc, "prun"), "duplicates")), 0);
	/* From the earliest start of a shard to the last end. */
	ck_assert_double_eq(json_number_value(json_object_get(json_object_get(
	    doc, "time_elapsed"), "start")), 989.5);
	ck_assert_double_eq(json_number_value(json_object_get(json_object_get(
	    doc, "time_elapsed"), "end")), 1010);
	json_decref(doc);
	free(t);
	store_close(a);
	store_close(b);
	free(dirs[0]);
	free(dirs[1]);
	free(dir);
}
END_TEST

/* Real shards (2 of 5 tests in shard 2/3): the merge takes each test from
 * its shard; a missing shard is named with its number of tests, and a
 * shard given twice is named too. */
START_TEST(shards_named)
{
	struct prun_store *a, *b, *c;
	struct pipeline_outcome out;
	struct fixture_warnings w = { { NULL }, 0 };
	char *dir = fixture_dir(), *dirs[3], *t;

	dirs[0] = shard_dir(&a, dir, "s1", "true", 1, 3);
	dirs[1] = shard_dir(&b, dir, "s3", "true", 3, 3);
	dirs[2] = shard_dir(&c, dir, "s3again", "true", 3, 3);
	record(a, 0, PRUN_PASS, 1000, 1001, NULL, 0);
	record(a, 3, PRUN_FAIL, 1000, 1001, NULL, 0);
	record(b, 2, PRUN_PASS, 1000, 1001, NULL, 0);
	t = summarize(dirs, 2, REPORT_TEXT, &w, &out, NULL);
	ck_assert_uint_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "shard 2/3 is missing: its 2 tests are "
	    "notrun");
	ck_assert_uint_eq(out.counts[PRUN_NOTRUN], 2);
	ck_assert_uint_eq(out.counts[PRUN_PASS], 2);
	ck_assert_int_eq(out.failing, 1);
	free(t);
	fixture_warnings_free(&w);
	t = summarize(dirs, 3, REPORT_TEXT, &w, &out, NULL);
	ck_assert_msg(w.n == 2 && fixture_has(w.msg[0], "s3again: shard 3/3 "
	    "is given twice"), "got %zu: %s", w.n, w.msg[0]);
	free(t);
	fixture_warnings_free(&w);
	store_close(a);
	store_close(b);
	store_close(c);
	free(dirs[0]);
	free(dirs[1]);
	free(dirs[2]);
	free(dir);
}
END_TEST

/* The merged results one at a time, in plan order, notrun where no
 * directory has a fragment. */
START_TEST(iterate)
{
	struct prun_store *a, *b;
	struct prun_result r;
	struct prun_error err;
	struct summary *sum;
	char *dir = fixture_dir(), *dirs[2];
	enum prun_status want[] = { PRUN_PASS, PRUN_NOTRUN, PRUN_FAIL,
	    PRUN_NOTRUN, PRUN_SKIP };
	size_t i = 0;
	int rc;

	dirs[0] = results_dir(&a, dir, "i1", "true");
	dirs[1] = results_dir(&b, dir, "i2", "true");
	record(a, 0, PRUN_PASS, 1000, 1001, NULL, 0);
	record(b, 2, PRUN_FAIL, 1000, 1001, NULL, 0);
	record(a, 4, PRUN_SKIP, 1000, 1001, NULL, 0);
	ck_assert_int_eq(summary_open(&sum, dirs, 2, NULL, NULL, &err), 0);
	ck_assert_str_eq(summary_metadata(sum, 0)->name, "i1");
	while ((rc = summary_next(sum, &r, &err)) == 1) {
		ck_assert_uint_lt(i, NNAMES);
		ck_assert_uint_eq(r.index, i);
		ck_assert_str_eq(r.name, names[i]);
		ck_assert_int_eq(r.status, want[i]);
		result_free(&r);
		i++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(i, NNAMES);
	ck_assert_int_eq(summary_next(sum, &r, &err), 0);
	summary_close(sum);
	store_close(a);
	store_close(b);
	free(dirs[0]);
	free(dirs[1]);
	free(dir);
}
END_TEST

/* Any test by its plan index, in any order, once the plan is held, and
 * the trouble counted. */
START_TEST(read_by_index)
{
	const struct prun_plan *plan;
	struct prun_store *a, *b;
	struct prun_result r;
	struct prun_error err;
	struct summary *sum;
	char *dir = fixture_dir(), *dirs[2];
	size_t dups, damaged;

	dirs[0] = results_dir(&a, dir, "x1", "true");
	dirs[1] = results_dir(&b, dir, "x2", "true");
	record(a, 3, PRUN_CRASH, 1000, 1001, NULL, 0);
	record(a, 1, PRUN_PASS, 1000, 1001, NULL, 0);
	record(b, 1, PRUN_FAIL, 1000, 1001, NULL, 0);
	ck_assert_int_eq(summary_open(&sum, dirs, 2, NULL, NULL, &err), 0);
	/* The plan is read as the tests come, unless held. */
	ck_assert_uint_eq(summary_metadata(sum, 0)->plan.n, 0);
	ck_assert_uint_eq(summary_metadata(sum, 0)->ntests, NNAMES);
	ck_assert_ptr_null(summary_metadata(sum, 2));
	ck_assert_int_eq(summary_read(sum, 3, &r, &err), -1);
	ck_assert_ptr_nonnull(plan = summary_plan(sum, &err));
	ck_assert_uint_eq(plan->n, NNAMES);
	ck_assert_ptr_eq(summary_plan(sum, &err), plan);
	/* The plan is the summary's: the metadata stays a header. */
	ck_assert_uint_eq(summary_metadata(sum, 0)->plan.n, 0);
	ck_assert_int_eq(summary_read(sum, 3, &r, &err), 0);
	ck_assert_str_eq(r.name, names[3]);
	ck_assert_int_eq(r.status, PRUN_CRASH);
	result_free(&r);
	ck_assert_int_eq(summary_read(sum, 0, &r, &err), 0);
	ck_assert_int_eq(r.status, PRUN_NOTRUN);
	result_free(&r);
	summary_trouble(sum, &dups, &damaged);
	ck_assert_uint_eq(dups, 0);
	ck_assert_int_eq(summary_read(sum, 1, &r, &err), 0);
	ck_assert_int_eq(r.status, PRUN_FAIL);
	result_free(&r);
	summary_trouble(sum, &dups, &damaged);
	ck_assert_uint_eq(dups, 1);
	ck_assert_uint_eq(damaged, 0);
	/* summary_next still starts at the first test. */
	ck_assert_int_eq(summary_next(sum, &r, &err), 1);
	ck_assert_uint_eq(r.index, 0);
	result_free(&r);
	summary_close(sum);
	store_close(a);
	store_close(b);
	free(dirs[0]);
	free(dirs[1]);
	free(dir);
}
END_TEST

/* Against a baseline and flakes: the verdicts, the text that says them,
 * and when the summary fails. */
START_TEST(baseline_verdicts)
{
	struct sum_config cfg;
	struct pipeline_outcome out;
	struct fixture_warnings w = { { NULL }, 0 };
	struct prun_store *a;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *t;

	path = results_dir(&a, dir, "b", "true");
	record(a, 0, PRUN_FAIL, 1000, 1001, NULL, 0);
	record(a, 1, PRUN_CRASH, 1000, 1001, NULL, 0);
	record(a, 2, PRUN_PASS, 1000, 1001, NULL, 0);
	record(a, 3, PRUN_PASS, 1000, 1001, NULL, 0);
	record(a, 4, PRUN_TIMEOUT, 1000, 1001, NULL, 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.format = REPORT_TEXT;
	cfg.warn = fixture_warn;
	cfg.ctx = &w;
	ck_assert_ptr_nonnull(cfg.baseline = baseline_new());
	ck_assert_int_eq(baseline_parse(cfg.baseline, "gpu/a fail\n"
	    "gpu/b fail\ngpu/sub/c crash\ngone/x fail\n", "base", &err), 0);
	ck_assert_int_eq(baseline_parse_flakes(cfg.baseline, "^e$", "fl",
	    &err), 0);
	t = summarize_cfg(&path, &cfg, &out);
	ck_assert_uint_eq(out.verdicts[BASELINE_EXPECTED], 1);
	ck_assert_uint_eq(out.verdicts[BASELINE_UNEXPECTED], 1);
	ck_assert_uint_eq(out.verdicts[BASELINE_FIXED], 1);
	ck_assert_uint_eq(out.verdicts[BASELINE_FLAKE], 1);
	ck_assert_uint_eq(out.verdicts[BASELINE_OK], 1);
	ck_assert_int_eq(out.failing, 1);
	ck_assert_msg(fixture_has(t, "fail       gpu/a (expected): exit status 1\n") &&
	    fixture_has(t, "crash      gpu/b (the baseline says fail): "
	    "exit status 0\n") &&
	    fixture_has(t, "pass       gpu/sub/c (fixed: the baseline says "
	    "crash)\n") && fixture_has(t, "timeout    e (known flake): timed out\n") &&
	    !fixture_has(t, "net/d:") && !fixture_has(t, "net/d (") &&
	    fixture_has(t, "unexpected        1"),
	    "got: %s", t);
	ck_assert_msg(w.n == 1 && fixture_has(w.msg[0], "1 test that is not "
	    "in the plan (such as gone/x)"), "warnings: %zu", w.n);
	free(t);
	fixture_warnings_free(&w);
	baseline_free(cfg.baseline);

	/* Only fixes left: they fail the summary unless allowed. */
	ck_assert_ptr_nonnull(cfg.baseline = baseline_new());
	ck_assert_int_eq(baseline_parse(cfg.baseline, "gpu/a fail\n"
	    "gpu/b crash\ngpu/sub/c crash\ne timeout\n", "base", &err), 0);
	t = summarize_cfg(&path, &cfg, &out);
	ck_assert_int_eq(out.failing, 1);
	ck_assert_msg(fixture_has(t, "--allow-fixes"), "got: %s", t);
	free(t);
	cfg.allow_fixes = 1;
	t = summarize_cfg(&path, &cfg, &out);
	ck_assert_int_eq(out.failing, 0);
	ck_assert_msg(fixture_has(t, "\nOK in "), "got: %s", t);
	free(t);
	/* The baseline writer lists the failures. */
	cfg.format = REPORT_BASELINE;
	t = summarize_cfg(&path, &cfg, &out);
	ck_assert_msg(fixture_has(t, "\ngpu/a fail\ngpu/b crash\ne timeout\n"),
	    "got: %s", t);
	free(t);
	baseline_free(cfg.baseline);
	store_close(a);
	free(path);
	free(dir);
}
END_TEST

/* A test with results in two shards is counted, said in its err and in
 * a warning, and keeps the worse result. */
START_TEST(duplicate_counted)
{
	struct prun_store *a, *b;
	struct pipeline_outcome out;
	struct fixture_warnings w = { { NULL }, 0 };
	char *dir = fixture_dir(), *dirs[2], *t, *err;
	json_t *doc, *test;
	size_t len;

	dirs[0] = results_dir(&a, dir, "s1", "true");
	dirs[1] = results_dir(&b, dir, "s2", "true");
	record(a, 1, PRUN_PASS, 1, 2, NULL, 0);
	record(b, 1, PRUN_FAIL, 1, 2, NULL, 0);
	record(a, 2, PRUN_CRASH, 1, 2, NULL, 0);
	record(b, 2, PRUN_PASS, 1, 2, NULL, 0);
	t = summarize(dirs, 2, REPORT_JSON, &w, &out, &len);
	ck_assert_uint_eq(out.duplicates, 2);
	ck_assert_uint_eq(out.counts[PRUN_FAIL], 1);
	ck_assert_uint_eq(out.counts[PRUN_CRASH], 1);
	ck_assert_uint_eq(out.counts[PRUN_PASS], 0);
	ck_assert_uint_eq(out.counts[PRUN_NOTRUN], 3);
	ck_assert_uint_eq(w.n, 2);
	ck_assert_msg(fixture_has(w.msg[0], "gpu/b") &&
	    fixture_has(w.msg[0], dirs[0]) && fixture_has(w.msg[0], dirs[1]),
	    "got: %s", w.msg[0]);
	doc = load_json(t, len);
	test = json_object_get(json_object_get(doc, "tests"), "gpu/b");
	ck_assert_str_eq(json_string_value(json_object_get(test, "result")),
	    "fail");
	err = (char *)json_string_value(json_object_get(test, "err"));
	ck_assert_msg(fixture_has(err, "from the test\n") &&
	    fixture_has(err, "has results in both"), "err: %s", err);
	ck_assert_str_eq(json_result(doc, "gpu/sub/c"), "crash");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    doc, "prun"), "duplicates")), 2);
	json_decref(doc);
	free(t);
	fixture_warnings_free(&w);

	t = summarize(dirs, 2, REPORT_TEXT, &w, &out, &len);
	assert_line(t, "duplicate         2");
	assert_line(t, "total             5");
	free(t);
	fixture_warnings_free(&w);
	/* The same directory twice is a duplicate of every result. */
	free(dirs[1]);
	dirs[1] = dirs[0];
	t = summarize(dirs, 2, REPORT_TAP, &w, &out, &len);
	ck_assert_uint_eq(out.duplicates, 2);
	free(t);
	fixture_warnings_free(&w);
	store_close(a);
	store_close(b);
	free(dirs[0]);
	free(dir);
}
END_TEST

/* Results of another plan are refused, naming both directories. */
START_TEST(other_plan_refused)
{
	struct prun_store *a, *b;
	struct pipeline_outcome out;
	struct prun_error err;
	char *dir = fixture_dir(), *dirs[2], *buf = NULL;
	size_t len;
	FILE *fp;

	dirs[0] = results_dir(&a, dir, "p1", "true");
	dirs[1] = results_dir(&b, dir, "p2", "false");
	record(a, 0, PRUN_PASS, 1, 2, NULL, 0);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(write_summary(dirs, 2, &text_only, fp,
	    &out, &err), -1);
	fclose(fp);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, dirs[0]) &&
	    fixture_has(err.msg, dirs[1]) &&
	    fixture_has(err.msg, "another plan"), "got: %s", err.msg);
	/* Nothing was written. */
	ck_assert_uint_eq(len, 0);
	free(buf);
	store_close(a);
	store_close(b);
	free(dirs[0]);
	free(dirs[1]);
	free(dir);
}
END_TEST

/* A directory that is not a results directory, or whose metadata.json
 * is damaged, is an error naming it. */
START_TEST(bad_dirs)
{
	struct prun_store *st;
	struct pipeline_outcome out;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *p;
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen("/dev/null", "w"));
	path = fixture_path(dir, "missing");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(write_summary(&path, 1, &text_only, fp,
	    &out, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, path), "got: %s", err.msg);
	free(path);

	path = results_dir(&st, dir, "r", "true");
	store_close(st);
	p = fixture_path(path, "metadata.json");
	fixture_write_str(p, "{\"format\": \"prun-results\",\n\"version\":");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(write_summary(&path, 1, &json_only, fp,
	    &out, &err), -1);
	ck_assert_msg(fixture_has(err.msg, p) && fixture_has(err.msg, ":2:"),
	    "got: %s", err.msg);
	free(p);
	free(path);
	fclose(fp);
	free(dir);
}
END_TEST

/* A report that cannot be written (a full disk) is an I/O error. */
START_TEST(write_error)
{
	struct prun_store *st;
	struct pipeline_outcome out;
	struct prun_error err;
	char *dir = fixture_dir(), *path;
	FILE *fp;
	size_t i;

	if ((fp = fopen("/dev/full", "w")) == NULL)
		return;
	path = results_dir(&st, dir, "r", "true");
	for (i = 0; i < NNAMES; i++)
		record(st, i, PRUN_FAIL, 1, 2, NULL, 0);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(write_summary(&path, 1, &json_only, fp,
	    &out, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(fixture_has(err.msg, "cannot write the report"),
	    "got: %s", err.msg);
	fclose(fp);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

/* The suite of summary tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, one_dir_every_format);
	tcase_add_test(tc, damaged_left_out);
	tcase_add_test(tc, shards_merge);
	tcase_add_test(tc, shards_named);
	tcase_add_test(tc, iterate);
	tcase_add_test(tc, read_by_index);
	tcase_add_test(tc, baseline_verdicts);
	tcase_add_test(tc, duplicate_counted);
	tcase_add_test(tc, other_plan_refused);
	tcase_add_test(tc, bad_dirs);
	tcase_add_test(tc, write_error);
	suite_add_tcase(s, tc);
	return s;
}
