/*
 * check_report_junit: unit tests of the JUnit report writer, driven as the
 * summary drives it (scan every test, begin, every test again, end), its
 * output parsed back and checked against the JUnit schema: the status
 * mapping and counts, --junit-subtests, hostile text, and the size rules
 * (total budget, failing tests first, the tail kept, 8 MB per node).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "report/report.h"
#include "core/text.h"
#include "fixture.h"
#include "unit.h"

#define MB	(1u << 20)

/* The baseline verdict report() gives every test (OK: not judged). */
static enum baseline_verdict fake_verdict = BASELINE_OK;

/* The metadata of a fake run named "run". */
static void
fake_md(struct prun_metadata *md)
{
	static char *argv[] = { "prun", "run", "-o", "run", "tests.list" };

	memset(md, 0, sizeof *md);
	options_defaults(&md->options);
	md->name = "run";
	md->plan_id = "0123456789abcdef";
	md->hostname = "host";
	md->uname = "Linux 6.1 x86_64";
	md->prun_version = "0.1.0";
	md->time_start = 1764113280.5;
	md->argv = argv;
	md->argc = 5;
}

/* A result named name with status s and output of the given lengths,
 * filled by gen(i) bytes. */
static void
make(struct prun_result *r, size_t index, const char *name,
    enum prun_status s, const char *out, size_t out_len)
{
	memset(r, 0, sizeof *r);
	r->index = index;
	r->name = strdup(name);
	r->status = s;
	r->attempt = 1;
	r->command = strdup("exec ./t");
	r->has_returncode = s != PRUN_NOTRUN && s != PRUN_INCOMPLETE;
	r->returncode = s == PRUN_CRASH ? -11 : s == PRUN_FAIL ? 1 :
	    s == PRUN_SKIP ? 77 : 0;
	r->pid = 100 + (long)index;
	r->time_start = 1764113280.5;
	r->time_end = 1764113282.0;
	r->out = malloc(out_len + 1);
	memcpy(r->out, out, out_len);
	r->out[out_len] = '\0';
	r->out_len = out_len;
	r->err = strdup("");
}

/* Write the report of results rs[0..n) with opts; returns the document. */
static char *
report(struct prun_result *rs, size_t n, const struct report_options *opts,
    size_t *len)
{
	struct prun_error err = { 0 };
	struct prun_metadata md;
	const struct prun_metadata *mds[1];
	struct report_options defaults;
	struct report_info info;
	struct report rep;
	char *dirs[] = { "/results/run" }, *buf = NULL;
	FILE *fp;
	size_t i;

	fake_md(&md);
	mds[0] = &md;
	memset(&info, 0, sizeof info);
	info.md = &md;
	info.dirs = dirs;
	info.mds = mds;
	info.ndirs = 1;
	info.ntests = n;
	info.time_start = md.time_start;
	info.judged = fake_verdict != BASELINE_OK;
	info.verdict = fake_verdict;
	if (opts == NULL) {
		report_options_init(&defaults, REPORT_JUNIT);
		opts = &defaults;
	}
	fp = open_memstream(&buf, len);
	ck_assert_int_eq(report_open(&rep, opts, fp, &err), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(rep.ops->scan(&rep, &info, &rs[i]), 0);
	ck_assert_int_eq(rep.ops->begin(&rep, &info), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(rep.ops->test(&rep, &info, &rs[i]), 0);
	ck_assert_int_eq(rep.ops->end(&rep, &info), 0);
	rep.ops->free(&rep);
	fclose(fp);
	options_free(&md.options);
	return buf;
}

/* Parse a report, checking it against the schema. */
static xmlDocPtr
parse(const char *buf, size_t len)
{
	xmlDocPtr doc;

	ck_assert_msg(fixture_junit_valid(buf, len),
	    "the report is not valid against junit-10.xsd");
	doc = xmlReadMemory(buf, (int)len, NULL, NULL, XML_PARSE_NONET);
	ck_assert_msg(doc != NULL, "the report is not well-formed XML");
	return doc;
}

/* The n-th element named name in document order, or NULL. */
static xmlNodePtr
nth(xmlNodePtr node, const char *name, int *n)
{
	xmlNodePtr found;

	for (; node != NULL; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrEqual(node->name, BAD_CAST name) && (*n)-- == 0)
			return node;
		if ((found = nth(node->children, name, n)) != NULL)
			return found;
	}
	return NULL;
}

/* The i-th element named name of the document. */
static xmlNodePtr
elem(xmlDocPtr doc, const char *name, int i)
{
	return nth(xmlDocGetRootElement(doc), name, &i);
}

/* Assert that attribute name of node is value. */
static void
attr_is(xmlNodePtr node, const char *name, const char *value)
{
	xmlChar *v = xmlGetProp(node, BAD_CAST name);

	ck_assert_msg(v != NULL, "no attribute %s", name);
	ck_assert_str_eq((char *)v, value);
	xmlFree(v);
}

/* The text of a node, and its length. */
static char *
text(xmlNodePtr node, size_t *len)
{
	char *t = (char *)xmlNodeGetContent(node);

	*len = strlen(t);
	return t;
}

/* Free n results. */
static void
free_all(struct prun_result *rs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		result_free(&rs[i]);
}

START_TEST(test_mapping_and_counts)
{
	static const enum prun_status st[] = {
		PRUN_PASS, PRUN_WARN, PRUN_FAIL, PRUN_CRASH, PRUN_TIMEOUT,
		PRUN_INCOMPLETE, PRUN_SKIP, PRUN_NOTRUN,
	};
	static const char *const want[] = {
		NULL, "failure", "failure", "error", "error", "error",
		"skipped", "skipped",
	};
	struct prun_result rs[8];
	xmlNodePtr tc, c;
	xmlDocPtr doc;
	char name[64], *buf;
	size_t i, len;
	int k;

	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "g%zu/sub/case%zu", i % 2, i);
		make(&rs[i], i, name, st[i], "x\n", 2);
	}
	free(rs[0].name);
	rs[0].name = strdup("toplevel");
	buf = report(rs, 8, NULL, &len);
	doc = parse(buf, len);
	attr_is(elem(doc, "testsuites", 0), "tests", "8");
	attr_is(elem(doc, "testsuite", 0), "tests", "8");
	attr_is(elem(doc, "testsuite", 0), "failures", "2");
	attr_is(elem(doc, "testsuite", 0), "errors", "3");
	attr_is(elem(doc, "testsuite", 0), "skipped", "2");
	attr_is(elem(doc, "testsuite", 0), "name", "run");
	attr_is(elem(doc, "testsuite", 0), "hostname", "host");
	attr_is(elem(doc, "testsuite", 0), "timestamp", "2025-11-25T23:28:00");
	attr_is(elem(doc, "testsuite", 0), "time", "1.500");
	/* A test without a group takes the suite's name as classname. */
	attr_is(elem(doc, "testcase", 0), "classname", "run");
	attr_is(elem(doc, "testcase", 0), "name", "toplevel");
	attr_is(elem(doc, "testcase", 1), "classname", "g1.sub");
	attr_is(elem(doc, "testcase", 1), "name", "case1");
	for (i = 0; i < 8; i++) {
		tc = elem(doc, "testcase", (int)i);
		attr_is(tc, "time", "1.500");
		for (c = tc->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    !xmlStrEqual(c->name, BAD_CAST "system-out") &&
			    !xmlStrEqual(c->name, BAD_CAST "system-err"))
				break;
		if (want[i] == NULL) {
			ck_assert_ptr_null(c);
			continue;
		}
		ck_assert_ptr_nonnull(c);
		ck_assert_str_eq((char *)c->name, want[i]);
		attr_is(c, "type", status_name(st[i]));
	}
	/* The crash says which signal. */
	k = 0;
	c = nth(elem(doc, "testcase", 3)->children, "error", &k);
	attr_is(c, "message", "crash: killed by signal 11 (SIGSEGV)");
	/* The run's metadata is in properties. */
	ck_assert_ptr_nonnull(strstr(buf, "<property name=\"prun.version\" "
	    "value=\"0.1.0\"/>"));
	ck_assert_ptr_nonnull(strstr(buf, "<property name=\"prun.shard.0.dir\" "
	    "value=\"/results/run\"/>"));
	ck_assert_ptr_nonnull(strstr(buf, "<property name=\"prun.argv\" "
	    "value=\"prun run -o run tests.list\"/>"));
	ck_assert_ptr_nonnull(strstr(buf, "<property "
	    "name=\"prun.rerun_failures\" value=\"0\"/>"));
	ck_assert_ptr_null(strstr(buf, "prun.shard.0.part"));
	ck_assert_ptr_null(strstr(buf, "(baseline:"));
	xmlFreeDoc(doc);
	free(buf);
	free_all(rs, 8);
}
END_TEST

START_TEST(test_baseline_verdict)
{
	struct prun_result rs[1];
	char *buf;
	size_t len;

	make(&rs[0], 0, "a/b", PRUN_FAIL, "", 0);
	fake_verdict = BASELINE_EXPECTED;
	buf = report(rs, 1, NULL, &len);
	fake_verdict = BASELINE_OK;
	xmlFreeDoc(parse(buf, len));
	ck_assert_ptr_nonnull(strstr(buf, "<failure type=\"fail\" "
	    "message=\"fail: exit status 1 (baseline: expected)\">"));
	free(buf);
	free_all(rs, 1);
}
END_TEST

START_TEST(test_subtests)
{
	struct report_options opts;
	struct prun_result rs[2];
	xmlDocPtr doc;
	char *buf;
	size_t len;

	make(&rs[0], 0, "a/b", PRUN_FAIL, "", 0);
	make(&rs[1], 1, "a/c", PRUN_PASS, "", 0);
	rs[0].subtests = calloc(3, sizeof *rs[0].subtests);
	rs[0].subtests[0].name = strdup("one");
	rs[0].subtests[0].status = PRUN_PASS;
	rs[0].subtests[1].name = strdup("two \x1b[1m");
	rs[0].subtests[1].status = PRUN_FAIL;
	rs[0].subtests[2].name = strdup("three");
	rs[0].subtests[2].status = PRUN_SKIP;
	rs[0].nsubtests = 3;

	buf = report(rs, 2, NULL, &len);
	doc = parse(buf, len);
	attr_is(elem(doc, "testsuite", 0), "tests", "2");
	/* Without the option the failing subtests are named in the body. */
	ck_assert_ptr_nonnull(strstr(buf, "subtest fail: two \\x1b[1m"));
	xmlFreeDoc(doc);
	free(buf);

	report_options_init(&opts, REPORT_JUNIT);
	opts.junit_subtests = 1;
	buf = report(rs, 2, &opts, &len);
	doc = parse(buf, len);
	attr_is(elem(doc, "testsuite", 0), "tests", "5");
	attr_is(elem(doc, "testsuite", 0), "failures", "2");
	attr_is(elem(doc, "testsuite", 0), "skipped", "1");
	attr_is(elem(doc, "testcase", 1), "classname", "a.b");
	attr_is(elem(doc, "testcase", 1), "name", "one");
	attr_is(elem(doc, "testcase", 2), "name", "two \\x1b[1m");
	attr_is(elem(doc, "testcase", 4), "classname", "a");
	attr_is(elem(doc, "testcase", 4), "name", "c");
	xmlFreeDoc(doc);
	free(buf);
	free_all(rs, 2);
}
END_TEST

START_TEST(test_hostile_text)
{
	struct prun_result rs[1];
	char raw[256 * 3 + 64];
	xmlDocPtr doc;
	char *buf, *t;
	size_t i, len, tlen;

	/* Every byte, a lone surrogate, U+FFFE, "]]>" and markup. */
	for (i = 0; i < 256; i++)
		raw[i] = (char)i;
	memcpy(raw + 256, "\xed\xa0\x80 \xef\xbf\xbe ]]> <a>&amp;", 20);
	make(&rs[0], 0, "h/\xef\xbf\xbf]]>", PRUN_FAIL, raw, 276);
	free(rs[0].err);
	rs[0].err = malloc(276);
	memcpy(rs[0].err, raw, 276);
	rs[0].err_len = 276;
	buf = report(rs, 1, NULL, &len);
	ck_assert_ptr_null(strstr(buf, "]]>"));
	doc = parse(buf, len);
	t = text(elem(doc, "system-out", 0), &tlen);
	ck_assert_ptr_nonnull(strstr(t, "\\x00\\x01"));
	ck_assert_ptr_nonnull(strstr(t, "\\x1b"));
	ck_assert_ptr_nonnull(strstr(t, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    " \\uFFFE ]]> <a>&amp;"));
	xmlFree(t);
	attr_is(elem(doc, "testcase", 0), "name", "\\uFFFF]]>");
	xmlFreeDoc(doc);
	free(buf);
	free_all(rs, 1);
}
END_TEST

START_TEST(test_tries)
{
	struct prun_result rs[2];
	xmlNodePtr n;
	xmlDocPtr doc;
	char *buf, *t;
	size_t i, j, len, tlen;

	/* A flaky test (passed on its third try) and one that never passed:
	 * Surefire's flaky and rerun elements, each with its try's output. */
	make(&rs[0], 0, "r/flaky", PRUN_PASS, "third\n", 6);
	make(&rs[1], 1, "r/broken", PRUN_FAIL, "final\n", 6);
	rs[0].flaky = 1;
	for (i = 0; i < 2; i++) {
		rs[i].ntries = 2;
		rs[i].tries = calloc(2, sizeof *rs[i].tries);
		for (j = 0; j < 2; j++)
			make(&rs[i].tries[j], i, "", j == 0 ? PRUN_CRASH :
			    PRUN_FAIL, "try \x1b out\n", 10);
		free(rs[i].tries[0].name);
		free(rs[i].tries[1].name);
		rs[i].tries[0].name = rs[i].tries[1].name = NULL;
	}
	buf = report(rs, 2, NULL, &len);
	doc = parse(buf, len);
	attr_is(elem(doc, "testsuite", 0), "tests", "2");
	attr_is(elem(doc, "testsuite", 0), "failures", "1");
	attr_is(elem(doc, "testsuite", 0), "errors", "0");
	n = elem(doc, "flakyError", 0);
	ck_assert_ptr_nonnull(n);
	attr_is(n, "type", "crash");
	attr_is(n, "message", "try 1: crash: killed by signal 11 (SIGSEGV)");
	ck_assert_ptr_nonnull(elem(doc, "flakyFailure", 0));
	ck_assert_ptr_nonnull(elem(doc, "rerunError", 0));
	ck_assert_ptr_nonnull(n = elem(doc, "rerunFailure", 0));
	attr_is(n, "message", "try 2: fail: exit status 1");
	ck_assert_ptr_null(elem(doc, "flakyFailure", 1));
	/* 2 tries x 2 tests with their own system-out, then the tests'. */
	t = text(elem(doc, "system-out", 0), &tlen);
	ck_assert_str_eq(t, "try \\x1b out\n");
	xmlFree(t);
	t = text(elem(doc, "system-out", 2), &tlen);
	ck_assert_str_eq(t, "third\n");
	xmlFree(t);
	xmlFreeDoc(doc);
	free(buf);
	free_all(rs, 2);
}
END_TEST

/* Output of len bytes: numbered lines, the last one "END-OF-tag". */
static char *
lines(size_t len, const char *tag)
{
	char *s = malloc(len + 1), end[64];
	size_t i = 0, n;

	while (i < len) {
		n = (size_t)snprintf(s + i, len - i + 1, "line %zu of output\n",
		    i);
		i += n < len - i ? n : len - i;
	}
	n = (size_t)snprintf(end, sizeof end, "END-OF-%s\n", tag);
	memcpy(s + len - n, end, n);
	s[len] = '\0';
	return s;
}

/* The sizes, as parsed, of all system-out and system-err. */
static size_t
all_streams(xmlDocPtr doc, size_t *largest)
{
	static const char *const names[] = { "system-out", "system-err" };
	xmlNodePtr n;
	size_t total = 0, len, k;
	char *t;
	int i;

	*largest = 0;
	for (k = 0; k < 2; k++) {
		for (i = 0; (n = elem(doc, names[k], i)) != NULL; i++) {
			t = text(n, &len);
			total += len;
			if (len > *largest)
				*largest = len;
			xmlFree(t);
		}
	}
	return total;
}

START_TEST(test_budget_default)
{
	struct prun_result rs[40];
	xmlDocPtr doc;
	char name[32], *buf, *out, *t;
	size_t i, len, tlen, largest, total;

	/* 40 failing tests with 1 MB on each stream, the most the default
	 * --max-output keeps: 80 MB, the report must stay under GitLab's
	 * 30 MB and the default 20 MB budget. */
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "big/t%02zu", i);
		out = lines(MB, name);
		make(&rs[i], i, name, PRUN_FAIL, out, MB);
		free(rs[i].err);
		rs[i].err = out;
		rs[i].err_len = MB;
		rs[i].out = realloc(rs[i].out, MB + 1);
		memcpy(rs[i].out, out, MB + 1);
	}
	buf = report(rs, 40, NULL, &len);
	ck_assert_uint_lt(len, 30 * MB);
	doc = parse(buf, len);
	total = all_streams(doc, &largest);
	ck_assert_uint_le(total, REPORT_JUNIT_MAX_OUTPUT + 80 * 160);
	ck_assert_uint_ge(total, REPORT_JUNIT_MAX_OUTPUT * 8 / 10);
	for (i = 0; i < 40; i++) {
		/* Each failing test keeps its tail, and says it was cut. */
		snprintf(name, sizeof name, "END-OF-big/t%02zu\n", i);
		t = text(elem(doc, "system-out", (int)i), &tlen);
		ck_assert_uint_gt(tlen, 100 * 1024);
		ck_assert(strncmp(t, "[prun: the first ", 17) == 0);
		ck_assert_str_eq(t + tlen - strlen(name), name);
		xmlFree(t);
	}
	xmlFreeDoc(doc);
	free(buf);
	free_all(rs, 40);
}
END_TEST

START_TEST(test_budget_failing_first)
{
	struct report_options opts;
	struct prun_result rs[21];
	xmlDocPtr doc;
	char name[32], *buf, *out, *t;
	size_t i, len, tlen, largest, total;

	/* A 3 MB failing test among 20 passing ones of 1 MB, 5 MB budget:
	 * the failure is kept whole, the others share what is left. */
	report_options_init(&opts, REPORT_JUNIT);
	opts.junit_max_output = 5 * MB;
	for (i = 0; i < 21; i++) {
		snprintf(name, sizeof name, "t/%02zu", i);
		out = lines(i == 10 ? 3 * MB : MB, name);
		make(&rs[i], i, name, i == 10 ? PRUN_CRASH : PRUN_PASS, out,
		    i == 10 ? 3 * MB : MB);
		free(out);
	}
	buf = report(rs, 21, &opts, &len);
	doc = parse(buf, len);
	t = text(elem(doc, "system-out", 10), &tlen);
	ck_assert_uint_eq(tlen, 3 * MB);
	ck_assert(memcmp(t, rs[10].out, tlen) == 0);
	xmlFree(t);
	for (i = 0; i < 21; i++) {
		if (i == 10)
			continue;
		t = text(elem(doc, "system-out", (int)i), &tlen);
		ck_assert_uint_lt(tlen, 2 * MB / 20 + 200);
		ck_assert_uint_gt(tlen, MB / 20);
		xmlFree(t);
	}
	total = all_streams(doc, &largest);
	ck_assert_uint_le(total, 5 * MB + 42 * 160);
	xmlFreeDoc(doc);
	free(buf);
	free_all(rs, 21);
}
END_TEST

START_TEST(test_node_cap)
{
	struct report_options opts;
	struct prun_result rs[1];
	xmlDocPtr doc;
	char *buf, *out, *t;
	size_t len, tlen;

	/* One 20 MB stream: never more than 8 MB in one node (GitLab's
	 * parser refuses a text node over 10 MB). */
	out = lines(20 * MB, "huge");
	make(&rs[0], 0, "huge", PRUN_FAIL, out, 20 * MB);
	free(out);
	buf = report(rs, 1, NULL, &len);
	doc = parse(buf, len);
	t = text(elem(doc, "system-out", 0), &tlen);
	ck_assert_uint_le(tlen, 8 * MB + 160);
	ck_assert_uint_ge(tlen, 8 * MB - 64);
	ck_assert_str_eq(t + tlen - 12, "END-OF-huge\n");
	xmlFree(t);
	xmlFreeDoc(doc);
	free(buf);

	/* 0: no limit at all. */
	report_options_init(&opts, REPORT_JUNIT);
	opts.junit_max_output = 0;
	buf = report(rs, 1, &opts, &len);
	doc = xmlReadMemory(buf, (int)len, NULL, NULL, XML_PARSE_HUGE);
	ck_assert_ptr_nonnull(doc);
	t = text(elem(doc, "system-out", 0), &tlen);
	ck_assert_uint_eq(tlen, 20 * MB);
	xmlFree(t);
	xmlFreeDoc(doc);
	free(buf);
	free_all(rs, 1);
}
END_TEST

START_TEST(test_escapes_counted)
{
	struct report_options opts;
	struct prun_result rs[1];
	char *buf, *out;
	size_t len;

	/* 1 MB of '"' takes 6 MB once written as &quot;: the budget is on
	 * the bytes written, so a 1 MB budget gives a report of ~1 MB. */
	out = malloc(MB);
	memset(out, '"', MB);
	make(&rs[0], 0, "quotes", PRUN_FAIL, out, MB);
	free(out);
	report_options_init(&opts, REPORT_JUNIT);
	opts.junit_max_output = MB;
	buf = report(rs, 1, &opts, &len);
	ck_assert_uint_le(len, MB + 4096);
	ck_assert_uint_ge(len, MB - 4096);
	xmlFreeDoc(parse(buf, len));
	free(buf);
	free_all(rs, 1);
}
END_TEST

START_TEST(test_c_locale)
{
	struct prun_result rs[1];
	char *buf;
	size_t len;

	make(&rs[0], 0, "t", PRUN_PASS, "", 0);
	rs[0].time_end = rs[0].time_start + 0.25;
	buf = report(rs, 1, NULL, &len);
	ck_assert_ptr_nonnull(strstr(buf, "time=\"0.250\""));
	ck_assert_ptr_nonnull(strstr(buf, "name=\"prun.kill_after\" "
	    "value=\"5\""));
	ck_assert_ptr_null(strstr(buf, "0,25"));
	if (strcmp(localeconv()->decimal_point, ".") != 0)
		fprintf(stderr, "check_report_junit: checked under a locale "
		    "whose decimal point is '%s'\n",
		    localeconv()->decimal_point);
	free(buf);
	free_all(rs, 1);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s;
	TCase	*tc;

	unit_locale();
	s = suite_create("report_junit");
	tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mapping_and_counts);
	tcase_add_test(tc, test_subtests);
	tcase_add_test(tc, test_baseline_verdict);
	tcase_add_test(tc, test_hostile_text);
	tcase_add_test(tc, test_tries);
	tcase_add_test(tc, test_budget_default);
	tcase_add_test(tc, test_budget_failing_first);
	tcase_add_test(tc, test_node_cap);
	tcase_add_test(tc, test_escapes_counted);
	tcase_add_test(tc, test_c_locale);
	suite_add_tcase(s, tc);
	return s;
}
