/*
 * check_report: unit tests of the report writers, fed results in memory:
 * the text table and its list of tests to look at, TAP's plan and lines,
 * and piglit's JSON (its keys, the tests, and the totals of root, of every
 * group, and of tests with subtests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "fixture.h"
#include "report/report.h"
#include "unit.h"

/* One test of the sample run. */
struct sample {
	const char		*name;
	enum prun_status	 status;
	const char		*subtests;	/* "name=status,..." or NULL */
};

static const struct sample samples[] = {
	{ "gpu/shaders/basic", PRUN_PASS, NULL },
	{ "gpu/shaders/loop", PRUN_FAIL, NULL },
	{ "gpu/clear", PRUN_FAIL, "a=pass,b=fail,c=skip" },
	{ "top", PRUN_CRASH, NULL },
	{ "net/x", PRUN_NOTRUN, NULL },
	{ "gpu/shaders/warn", PRUN_WARN, NULL },
	{ "io/skipped", PRUN_SKIP, NULL },
	{ "io/slow", PRUN_TIMEOUT, NULL },
	{ "io/died", PRUN_INCOMPLETE, NULL },
	{ "odd/a#b\\c", PRUN_PASS, NULL },
};
#define NSAMPLES	(sizeof samples / sizeof samples[0])

/* The result of sample i; free with result_free. */
static void
sample_result(size_t i, struct prun_result *r)
{
	const struct sample *s = &samples[i];
	char *list, *item, *save, *eq;

	memset(r, 0, sizeof *r);
	r->index = i;
	ck_assert_ptr_nonnull(r->name = strdup(s->name));
	r->status = s->status;
	r->attempt = 1;
	ck_assert_ptr_nonnull(r->command = strdup("exec ./t"));
	r->has_returncode = s->status != PRUN_NOTRUN &&
	    s->status != PRUN_INCOMPLETE;
	r->returncode = s->status == PRUN_CRASH ? -11 :
	    s->status == PRUN_FAIL;
	r->pid = s->status == PRUN_NOTRUN ? 0 : 1000 + (long)i;
	r->time_start = 100 + (double)i;
	r->time_end = s->status == PRUN_INCOMPLETE ? 0 : 100.5 + (double)i;
	/* Output with a NUL and UTF-8 in it. */
	ck_assert_ptr_nonnull(r->out = malloc(8));
	memcpy(r->out, "o\0\xc3\xa9\n", 6);
	r->out_len = 5;
	ck_assert_ptr_nonnull(r->err = strdup("err line\n"));
	r->err_len = strlen(r->err);
	if (s->subtests == NULL)
		return;
	ck_assert_ptr_nonnull(list = strdup(s->subtests));
	ck_assert_ptr_nonnull(r->subtests = calloc(8, sizeof *r->subtests));
	for (item = strtok_r(list, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		*eq = '\0';
		r->subtests[r->nsubtests].name = strdup(item);
		ck_assert_int_eq(status_parse(eq + 1,
		    &r->subtests[r->nsubtests].status), 0);
		r->nsubtests++;
	}
	free(list);
}

/* Metadata of a plan with the sample names. */
static void
sample_metadata(struct prun_metadata *md, size_t n)
{
	char *argv[] = { "prun", "run", "-o", "results", "x.list", NULL };
	struct prun_plan plan;
	struct prun_options o;
	struct prun_error err;
	size_t i;

	plan_init(&plan);
	for (i = 0; i < n; i++)
		fixture_test(&plan, samples[i].name, "exec ./t");
	options_defaults(&o);
	o.timeout = 3;
	ck_assert_msg(metadata_init(md, &plan, &o, 5, argv, "results",
	    &err) == 0, "%s", err.msg);
	plan_free(&plan);
}

/* Write the report of the first n samples in fmt; returns the text.
 * dups and damaged go into the info as a summary would count them, and
 * each test's verdict is the summary's without a baseline. */
static char *
write_report(enum report_format fmt, size_t n, size_t dups, size_t damaged,
    size_t *len)
{
	struct prun_metadata md;
	struct report_options opts;
	struct report_info info;
	struct report rep;
	struct prun_result r;
	struct prun_error err;
	char *dirs[] = { "results", NULL }, *buf = NULL;
	FILE *fp;
	size_t i;

	sample_metadata(&md, n);
	memset(&info, 0, sizeof info);
	info.md = &md;
	info.dirs = dirs;
	info.ndirs = 1;
	info.ntests = n;
	info.duplicates = dups;
	info.damaged = damaged;
	info.time_start = 100;
	info.time_end = 100;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, len));
	report_options_init(&opts, fmt);
	ck_assert_int_eq(report_open(&rep, &opts, fp, &err), 0);
	ck_assert_int_eq(rep.ops->begin(&rep, &info), 0);
	for (i = 0; i < n; i++) {
		sample_result(i, &r);
		info.counts[r.status]++;
		info.verdict = baseline_judge(NULL, r.name, r.status, r.flaky,
		    &info.expected);
		info.verdicts[info.verdict]++;
		if (r.time_end > info.time_end)
			info.time_end = r.time_end;
		ck_assert_int_eq(rep.ops->test(&rep, &info, &r), 0);
		result_free(&r);
	}
	info.failing = info.verdicts[BASELINE_UNEXPECTED] > 0 ||
	    info.duplicates > 0;
	ck_assert_int_eq(rep.ops->end(&rep, &info), 0);
	if (rep.ops->free != NULL)
		rep.ops->free(&rep);
	ck_assert_int_eq(fclose(fp), 0);
	metadata_free(&md);
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

/* Format names, and the group and case of a name. */
START_TEST(formats_and_names)
{
	enum report_format f;
	struct report_options opts;
	struct report rep;
	struct prun_error err;
	const char *c;

	ck_assert_int_eq(report_format_parse("text", &f), 0);
	ck_assert_int_eq(f, REPORT_TEXT);
	ck_assert_int_eq(report_format_parse("json", &f), 0);
	ck_assert_int_eq(f, REPORT_JSON);
	ck_assert_int_eq(report_format_parse("tap", &f), 0);
	ck_assert_int_eq(f, REPORT_TAP);
	ck_assert_int_eq(report_format_parse("junit", &f), 0);
	ck_assert_int_eq(f, REPORT_JUNIT);
	ck_assert_int_eq(report_format_parse("TAP", &f), -1);
	ck_assert_int_eq(report_format_parse("", &f), -1);
	report_options_init(&opts, (enum report_format)99);
	ck_assert_int_eq(report_open(&rep, &opts, stdout, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);

	ck_assert_uint_eq(report_split_name("gpu/shaders/basic", &c), 11);
	ck_assert_str_eq(c, "basic");
	ck_assert_uint_eq(report_split_name("top", &c), 0);
	ck_assert_str_eq(c, "top");
	ck_assert_uint_eq(report_split_name("a/", &c), 1);
	ck_assert_str_eq(c, "");
}
END_TEST

/* text: one line per test to look at, the table, the verdict. */
START_TEST(text_report)
{
	char *t;
	size_t len;

	t = write_report(REPORT_TEXT, NSAMPLES, 0, 0, &len);
	ck_assert_uint_eq(strlen(t), len);
	assert_line(t, "fail       gpu/shaders/loop: exit status 1");
	assert_line(t, "fail       gpu/clear: exit status 1; 1 of 3 subtests "
	    "failed: b");
	assert_line(t, "crash      top: killed by SIGSEGV");
	assert_line(t, "notrun     net/x: never started");
	assert_line(t, "warn       gpu/shaders/warn");
	assert_line(t, "timeout    io/slow: timed out");
	assert_line(t, "incomplete io/died: started, but no result was "
	    "recorded");
	/* Passed and skipped tests are only counted (and timed). */
	ck_assert_ptr_null(strstr(t, "gpu/shaders/basic:"));
	ck_assert_ptr_null(strstr(t, "io/skipped:"));
	/* The slowest finished tests, slowest first (all of 0.5 s here:
	 * the first in plan order), before the verdict. */
	ck_assert_msg(fixture_has(t, "\nslowest:\n      0.50 s "
	    "gpu/shaders/basic\n      0.50 s gpu/shaders/loop\n      0.50 s "
	    "gpu/clear\n      0.50 s top\n      0.50 s gpu/shaders/warn\n"
	    "FAILED"), "%s", t);
	assert_line(t, "pass              2");
	assert_line(t, "warn              1");
	assert_line(t, "skip              1");
	assert_line(t, "notrun            1");
	assert_line(t, "fail              2");
	assert_line(t, "timeout           1");
	assert_line(t, "crash             1");
	assert_line(t, "incomplete        1");
	assert_line(t, "total            10");
	ck_assert_ptr_null(strstr(t, "duplicate"));
	ck_assert_ptr_null(strstr(t, "damaged"));
	/* From the first start to the last end: 100 to 109.5. */
	assert_line(t, "FAILED in 9.5 s");
	free(t);

	/* Only passes: OK, and no list. */
	t = write_report(REPORT_TEXT, 1, 0, 0, &len);
	ck_assert_int_eq(strncmp(t, "\npass              1\n", 21), 0);
	assert_line(t, "OK in 0.5 s");
	free(t);

	/* A duplicate fails; damaged fragments are shown. */
	t = write_report(REPORT_TEXT, 1, 1, 2, &len);
	assert_line(t, "duplicate         1");
	assert_line(t, "damaged           2");
	assert_line(t, "FAILED in 0.5 s");
	free(t);

	t = write_report(REPORT_TEXT, 0, 0, 0, &len);
	assert_line(t, "total             0");
	assert_line(t, "OK in 0.0 s");
	free(t);
}
END_TEST

/* TAP: the plan first, then one point per test, numbered by index. */
START_TEST(tap_report)
{
	char *t;
	size_t len;

	t = write_report(REPORT_TAP, NSAMPLES, 0, 0, &len);
	ck_assert_int_eq(strncmp(t, "TAP version 13\n1..10\n", 21), 0);
	assert_line(t, "ok 1 - gpu/shaders/basic");
	assert_line(t, "not ok 2 - gpu/shaders/loop # fail");
	assert_line(t, "not ok 3 - gpu/clear # fail");
	assert_line(t, "not ok 4 - top # crash");
	assert_line(t, "ok 5 - net/x # SKIP notrun");
	assert_line(t, "ok 6 - gpu/shaders/warn # warn");
	assert_line(t, "ok 7 - io/skipped # SKIP skip");
	assert_line(t, "not ok 8 - io/slow # timeout");
	assert_line(t, "not ok 9 - io/died # incomplete");
	/* '#' and '\' in a name cannot make a directive. */
	assert_line(t, "ok 10 - odd/a\\#b\\\\c");
	free(t);

	t = write_report(REPORT_TAP, 0, 0, 0, &len);
	ck_assert_str_eq(t, "TAP version 13\n1..0\n");
	free(t);
}
END_TEST

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

/* The count of status name in totals group g. */
static json_int_t
total(json_t *doc, const char *g, const char *status)
{
	json_t *grp = json_object_get(json_object_get(doc, "totals"), g);

	ck_assert_msg(json_is_object(grp), "no totals for '%s'", g);
	ck_assert_msg(json_is_integer(json_object_get(grp, status)),
	    "totals '%s' has no %s", g, status);
	return json_integer_value(json_object_get(grp, status));
}

/* Assert the totals of group g: counts in piglit's order. */
static void
assert_totals(json_t *doc, const char *g, json_int_t pass, json_int_t fail,
    json_int_t warn, json_int_t crash, json_int_t skip, json_int_t timeout,
    json_int_t notrun, json_int_t incomplete)
{
	ck_assert_int_eq(total(doc, g, "pass"), pass);
	ck_assert_int_eq(total(doc, g, "fail"), fail);
	ck_assert_int_eq(total(doc, g, "warn"), warn);
	ck_assert_int_eq(total(doc, g, "crash"), crash);
	ck_assert_int_eq(total(doc, g, "skip"), skip);
	ck_assert_int_eq(total(doc, g, "timeout"), timeout);
	ck_assert_int_eq(total(doc, g, "notrun"), notrun);
	ck_assert_int_eq(total(doc, g, "incomplete"), incomplete);
	ck_assert_int_eq(total(doc, g, "dmesg-warn"), 0);
	ck_assert_int_eq(total(doc, g, "dmesg-fail"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    json_object_get(doc, "totals"), g), "__type__")), "Totals");
}

/* piglit's JSON: the header keys and every test's keys. */
START_TEST(json_report_keys)
{
	json_t *doc, *t, *v;
	char *text;
	size_t len, i;

	text = write_report(REPORT_JSON, NSAMPLES, 0, 0, &len);
	doc = load_json(text, len);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "__type__")),
	    "TestrunResult");
	ck_assert_int_eq(json_integer_value(json_object_get(doc,
	    "results_version")), 10);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "name")),
	    "results");
	v = json_object_get(doc, "options");
	ck_assert(json_is_array(json_object_get(v, "include_filter")));
	ck_assert(json_is_array(json_object_get(v, "exclude_filter")));
	ck_assert_double_eq(json_number_value(json_object_get(v, "timeout")),
	    3);
	ck_assert_uint_eq(json_array_size(json_object_get(v, "argv")), 5);
	v = json_object_get(doc, "info");
	ck_assert(json_is_string(json_object_get(json_object_get(v,
	    "system"), "uname")));
	ck_assert(json_is_string(json_object_get(v, "plan_id")));
	v = json_object_get(doc, "time_elapsed");
	ck_assert_str_eq(json_string_value(json_object_get(v, "__type__")),
	    "TimeAttribute");
	ck_assert_double_eq(json_number_value(json_object_get(v, "start")),
	    100);
	ck_assert_double_eq(json_number_value(json_object_get(v, "end")),
	    109.5);
	v = json_object_get(doc, "prun");
	ck_assert_int_eq(json_integer_value(json_object_get(v, "tests")), 10);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(v,
	    "counts"), "fail")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(v, "shards")), 1);

	v = json_object_get(doc, "tests");
	ck_assert_uint_eq(json_object_size(v), NSAMPLES);
	for (i = 0; i < NSAMPLES; i++) {
		t = json_object_get(v, samples[i].name);
		ck_assert_msg(json_is_object(t), "no test %s",
		    samples[i].name);
		ck_assert_str_eq(json_string_value(json_object_get(t,
		    "__type__")), "TestResult");
		ck_assert_str_eq(json_string_value(json_object_get(t,
		    "result")), status_name(samples[i].status));
		ck_assert_uint_eq(json_string_length(json_object_get(t,
		    "out")), 5);
		ck_assert_mem_eq(json_string_value(json_object_get(t, "out")),
		    "o\0\xc3\xa9\n", 5);
		ck_assert_str_eq(json_string_value(json_object_get(t, "err")),
		    "err line\n");
		ck_assert_str_eq(json_string_value(json_object_get(t,
		    "command")), "exec ./t");
		ck_assert(json_is_array(json_object_get(t, "pid")));
		ck_assert_str_eq(json_string_value(json_object_get(
		    json_object_get(t, "time"), "__type__")), "TimeAttribute");
		ck_assert(json_is_number(json_object_get(json_object_get(t,
		    "time"), "start")));
		ck_assert_str_eq(json_string_value(json_object_get(
		    json_object_get(t, "subtests"), "__type__")), "Subtests");
	}
	t = json_object_get(v, "net/x");
	ck_assert(json_is_null(json_object_get(t, "returncode")));
	ck_assert_uint_eq(json_array_size(json_object_get(t, "pid")), 0);
	t = json_object_get(v, "top");
	ck_assert_int_eq(json_integer_value(json_object_get(t, "returncode")),
	    -11);
	ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(t,
	    "pid"), 0)), 1003);
	t = json_object_get(json_object_get(v, "gpu/clear"), "subtests");
	ck_assert_uint_eq(json_object_size(t), 4);
	ck_assert_str_eq(json_string_value(json_object_get(t, "b")), "fail");
	ck_assert_str_eq(json_string_value(json_object_get(t, "c")), "skip");
	json_decref(doc);
	free(text);
}
END_TEST

/* A result named name, with subtests "s0", "s1"... of the statuses st. */
static void
nested_result(struct prun_result *r, size_t i, const char *name,
    enum prun_status status, const enum prun_status *st, size_t n)
{
	size_t k;

	memset(r, 0, sizeof *r);
	r->index = i;
	r->attempt = 1;
	r->status = status;
	ck_assert_ptr_nonnull(r->name = strdup(name));
	ck_assert_ptr_nonnull(r->out = strdup(""));
	ck_assert_ptr_nonnull(r->err = strdup(""));
	if (n > 0)
		ck_assert_ptr_nonnull(r->subtests = calloc(n,
		    sizeof *r->subtests));
	for (k = 0; k < n; k++) {
		ck_assert_int_gt(asprintf(&r->subtests[k].name, "s%zu", k), 0);
		r->subtests[k].status = st[k];
	}
	r->nsubtests = n;
}

/*
 * A test with subtests whose name is also a group above other tests, the
 * others coming before or after it: one key for the group, with all its
 * counts (the totals of tests with subtests are kept apart until the end).
 */
START_TEST(json_report_totals_nested)
{
	static const enum prun_status pf[] = { PRUN_PASS, PRUN_FAIL };
	static const enum prun_status sk[] = { PRUN_SKIP };
	static const enum prun_status fl[] = { PRUN_FAIL };
	struct prun_metadata md;
	struct report_options opts;
	struct report_info info;
	struct report rep;
	struct prun_result r;
	struct prun_error err;
	char *dirs[] = { "results", NULL }, *buf = NULL;
	json_t *doc;
	size_t len;
	FILE *fp;

	sample_metadata(&md, 1);
	memset(&info, 0, sizeof info);
	info.md = &md;
	info.dirs = dirs;
	info.ndirs = 1;
	info.ntests = 5;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	report_options_init(&opts, REPORT_JSON);
	ck_assert_int_eq(report_open(&rep, &opts, fp, &err), 0);
	ck_assert_int_eq(rep.ops->begin(&rep, &info), 0);
	nested_result(&r, 0, "a/d/q", PRUN_PASS, NULL, 0);
	ck_assert_int_eq(rep.ops->test(&rep, &info, &r), 0);
	result_free(&r);
	nested_result(&r, 1, "a/b", PRUN_FAIL, pf, 2);
	ck_assert_int_eq(rep.ops->test(&rep, &info, &r), 0);
	result_free(&r);
	nested_result(&r, 2, "a/b/c", PRUN_PASS, NULL, 0);
	ck_assert_int_eq(rep.ops->test(&rep, &info, &r), 0);
	result_free(&r);
	nested_result(&r, 3, "a/d", PRUN_SKIP, sk, 1);
	ck_assert_int_eq(rep.ops->test(&rep, &info, &r), 0);
	result_free(&r);
	nested_result(&r, 4, "a/b/e/f", PRUN_FAIL, fl, 1);
	ck_assert_int_eq(rep.ops->test(&rep, &info, &r), 0);
	result_free(&r);
	ck_assert_int_eq(rep.ops->end(&rep, &info), 0);
	rep.ops->free(&rep);
	ck_assert_int_eq(fclose(fp), 0);
	doc = load_json(buf, len);
	/*                         pass fail warn crash skip tmo notrun inc */
	assert_totals(doc, "root",    3,   2,   0,    0,   1,  0,    0,   0);
	assert_totals(doc, "a",       3,   2,   0,    0,   1,  0,    0,   0);
	assert_totals(doc, "a/b",     2,   2,   0,    0,   0,  0,    0,   0);
	assert_totals(doc, "a/b/e",   0,   1,   0,    0,   0,  0,    0,   0);
	assert_totals(doc, "a/b/e/f", 0,   1,   0,    0,   0,  0,    0,   0);
	assert_totals(doc, "a/d",     1,   0,   0,    0,   1,  0,    0,   0);
	ck_assert_uint_eq(json_object_size(json_object_get(doc, "totals")), 6);
	json_decref(doc);
	free(buf);
	metadata_free(&md);
}
END_TEST

/* Totals: root, every group above a test, and a test with subtests
 * counted as a group of its subtests (as piglit does). */
START_TEST(json_report_totals)
{
	json_t *doc, *totals;
	char *text;
	size_t len;

	text = write_report(REPORT_JSON, NSAMPLES, 0, 0, &len);
	doc = load_json(text, len);
	totals = json_object_get(doc, "totals");
	/*                         pass fail warn crash skip tmo notrun inc */
	assert_totals(doc, "root",    3,   2,   1,    1,   2,  1,    1,   1);
	assert_totals(doc, "gpu",     2,   2,   1,    0,   1,  0,    0,   0);
	assert_totals(doc, "gpu/shaders",
				      1,   1,   1,    0,   0,  0,    0,   0);
	assert_totals(doc, "gpu/clear",
				      1,   1,   0,    0,   1,  0,    0,   0);
	assert_totals(doc, "net",     0,   0,   0,    0,   0,  0,    1,   0);
	assert_totals(doc, "io",      0,   0,   0,    0,   1,  1,    0,   1);
	assert_totals(doc, "odd",     1,   0,   0,    0,   0,  0,    0,   0);
	/* No group for a test without subtests, nor for top-level tests. */
	ck_assert_ptr_null(json_object_get(totals, "top"));
	ck_assert_ptr_null(json_object_get(totals, "gpu/shaders/basic"));
	ck_assert_uint_eq(json_object_size(totals), 7);
	json_decref(doc);
	free(text);

	/* No tests: a valid document with zero totals. */
	text = write_report(REPORT_JSON, 0, 0, 0, &len);
	doc = load_json(text, len);
	ck_assert_uint_eq(json_object_size(json_object_get(doc, "tests")), 0);
	assert_totals(doc, "root", 0, 0, 0, 0, 0, 0, 0, 0);
	json_decref(doc);
	free(text);
}
END_TEST

/* Many groups (the table grows) are all counted. */
START_TEST(json_report_many_groups)
{
	struct prun_metadata md;
	struct prun_plan plan;
	struct prun_options o;
	struct report_options opts;
	struct report_info info;
	struct report rep;
	struct prun_result r;
	struct prun_error err;
	char *argv[] = { "prun", NULL }, *buf = NULL, name[64];
	json_t *doc;
	FILE *fp;
	size_t len, i;

	plan_init(&plan);
	options_defaults(&o);
	ck_assert_int_eq(metadata_init(&md, &plan, &o, 1, argv, "many", &err),
	    0);
	memset(&info, 0, sizeof info);
	info.md = &md;
	info.ntests = 500;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	report_options_init(&opts, REPORT_JSON);
	ck_assert_int_eq(report_open(&rep, &opts, fp, &err), 0);
	ck_assert_int_eq(rep.ops->begin(&rep, &info), 0);
	for (i = 0; i < 500; i++) {
		memset(&r, 0, sizeof r);
		snprintf(name, sizeof name, "g%zu/sub%zu/t", i % 100, i % 7);
		r.index = i;
		r.name = name;
		r.status = i % 2 ? PRUN_PASS : PRUN_FAIL;
		r.attempt = 1;
		ck_assert_int_eq(rep.ops->test(&rep, &info, &r), 0);
	}
	ck_assert_int_eq(rep.ops->end(&rep, &info), 0);
	rep.ops->free(&rep);
	fclose(fp);
	doc = load_json(buf, len);
	ck_assert_int_eq(total(doc, "root", "pass"), 250);
	ck_assert_int_eq(total(doc, "root", "fail"), 250);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "g%zu", i);
		ck_assert_int_eq(total(doc, name, "pass") +
		    total(doc, name, "fail"), 5);
	}
	ck_assert_int_eq(total(doc, "g3/sub3", "fail") +
	    total(doc, "g3/sub3", "pass"), 1);
	json_decref(doc);
	free(buf);
	metadata_free(&md);
}
END_TEST

/* The suite of report tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("writers");

	tcase_add_test(tc, formats_and_names);
	tcase_add_test(tc, text_report);
	tcase_add_test(tc, tap_report);
	tcase_add_test(tc, json_report_keys);
	tcase_add_test(tc, json_report_totals);
	tcase_add_test(tc, json_report_totals_nested);
	tcase_add_test(tc, json_report_many_groups);
	suite_add_tcase(s, tc);
	return s;
}
