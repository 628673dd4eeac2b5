/*
 * check_report_html: unit tests of the html report writer.
 *
 * Each test feeds results to the writer into memory and reads the page
 * back with libxml2's HTML parser, asking XPath what a browser would
 * build: which elements exist, what text they hold.  That is how a name
 * or an output that tries to inject markup is caught.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "plan/metadata.h"
#include "report/report.h"
#include "unit.h"

struct page {
	char		*buf;
	size_t		 len;
	htmlDocPtr	 doc;
};

/* A finished result, its strings malloc'd (result_free frees them). */
static struct prun_result
result(const char *name, enum prun_status st, const char *out,
    size_t out_len)
{
	struct prun_result r;

	memset(&r, 0, sizeof r);
	r.name = strdup(name);
	r.status = st;
	r.attempt = 1;
	r.command = strdup("exec ./t --flag");
	r.has_returncode = 1;
	r.returncode = st == PRUN_PASS ? 0 : 1;
	r.time_start = 1700000000.0;
	r.time_end = 1700000001.5;
	r.out = malloc(out_len + 1);
	memcpy(r.out, out, out_len);
	r.out[out_len] = '\0';
	r.out_len = out_len;
	r.err = strdup("");
	return r;
}

/* Write the page of one run of results r[0..n) with opts. */
static void
write_single(struct page *pg, struct prun_result *r, size_t n,
    const struct report_options *opts, char *label)
{
	static struct prun_metadata md;
	struct prun_error err;
	struct report_info info;
	struct report rep;
	char *dirs[1] = { label };
	FILE *fp;
	size_t i;

	memset(pg, 0, sizeof *pg);
	memset(&info, 0, sizeof info);
	info.md = &md;
	info.dirs = dirs;
	info.ndirs = 1;
	info.ntests = n;
	ck_assert_ptr_nonnull(fp = open_memstream(&pg->buf, &pg->len));
	ck_assert_int_eq(report_open(&rep, opts, fp, &err), 0);
	ck_assert_int_eq(rep.ops->begin(&rep, &info), 0);
	for (i = 0; i < n; i++) {
		info.counts[r[i].status]++;
		ck_assert_int_eq(rep.ops->test(&rep, &info, &r[i]), 0);
	}
	ck_assert_int_eq(rep.ops->end(&rep, &info), 0);
	rep.ops->free(&rep);
	ck_assert_int_eq(fclose(fp), 0);
	pg->doc = htmlReadMemory(pg->buf, (int)pg->len, NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	ck_assert_ptr_nonnull(pg->doc);
}

/* The default options of -f html. */
static struct report_options
html_options(void)
{
	struct report_options o;

	report_options_init(&o, REPORT_HTML);
	return o;
}

/* Give r the subtests names[0..n) with statuses st. */
static void
add_subtests(struct prun_result *r, const char *const *names,
    const enum prun_status *st, size_t n)
{
	size_t i;

	r->subtests = calloc(n, sizeof *r->subtests);
	for (i = 0; i < n; i++) {
		r->subtests[i].name = strdup(names[i]);
		r->subtests[i].status = st[i];
	}
	r->nsubtests = n;
}

static void
page_free(struct page *pg)
{
	xmlFreeDoc(pg->doc);
	free(pg->buf);
}

/* The number of nodes expr selects. */
static int
count(struct page *pg, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(pg->doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	int n;

	ck_assert_msg(o != NULL, "bad xpath %s", expr);
	n = o->nodesetval != NULL ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return n;
}

/* The text of node i of expr (malloc'd), or NULL. */
static char *
text(struct page *pg, const char *expr, int i)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(pg->doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *s = NULL;

	if (o != NULL && o->nodesetval != NULL && i < o->nodesetval->nodeNr) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[i]);

		s = strdup((char *)c);
		xmlFree(c);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return s;
}

/* Assert that node i of expr has text want. */
#define ck_text(pg, expr, i, want) do {					\
	char *got_ = text((pg), (expr), (i));				\
	ck_assert_msg(got_ != NULL, "nothing at %s[%d]", (expr), (i));	\
	ck_assert_str_eq(got_, (want));					\
	free(got_);							\
} while (0)

#define CLASS(c)	"contains(concat(' ', @class, ' '), ' " c " ')"

/* Names and output that try every trick still end up as text. */
START_TEST(injection)
{
	static const char out[] = "</pre><script>alert(1)</script>"
	    "<img src=x onerror=alert(2)>\"'&amp;\xff\x01\x02\x03";
	struct report_options o = html_options();
	struct prun_result r[3];
	struct page pg;
	char *s;

	r[0] = result("x/<script>alert(1)<\\script>", PRUN_FAIL, out,
	    sizeof out - 1);
	r[1] = result("q/\"onmouseover=\"alert(3)", PRUN_CRASH, "", 0);
	r[2] = result("amp/&lt;b&gt;", PRUN_PASS, "", 0);
	write_single(&pg, r, 3, &o, "dir\"><script>alert(4)</script>");
	/* Only the page's own two scripts; nothing made from test text. */
	ck_assert_int_eq(count(&pg, "//script"), 2);
	ck_assert_int_eq(count(&pg, "//script[@type='application/json']"), 1);
	ck_assert_int_eq(count(&pg, "//img | //main//b[not(@class)]"), 0);
	ck_assert_int_eq(count(&pg, "//*[@onerror or @onmouseover]"), 0);
	ck_text(&pg, "//span[@class='n']", 0, "<script>alert(1)<\\script>");
	ck_text(&pg, "//span[@class='n']", 1, "\"onmouseover=\"alert(3)");
	ck_text(&pg, "//span[@class='n']", 2, "&lt;b&gt;");
	ck_text(&pg, "//details[" CLASS("g") "]/@data-g", 0, "x");
	ck_text(&pg, "//title", 0,
	    "prun report: dir\"><script>alert(4)</script>");
	/* The output, as it was, made valid: U+FFFD, controls visible. */
	ck_assert_ptr_nonnull(s = text(&pg, "//pre", 0));
	ck_assert_str_eq(s, "</pre><script>alert(1)</script>"
	    "<img src=x onerror=alert(2)>\"'&amp;\xef\xbf\xbd\\x01\\x02\\x03");
	free(s);
	/* No C0 control reaches the page (but tab, LF, CR). */
	for (size_t i = 0; i < pg.len; i++)
		ck_assert_msg((unsigned char)pg.buf[i] >= 0x20 ||
		    pg.buf[i] == '\n' || pg.buf[i] == '\t' ||
		    pg.buf[i] == '\r', "control byte %#x at %zu",
		    (unsigned)(unsigned char)pg.buf[i], i);
	page_free(&pg);
	for (int i = 0; i < 3; i++)
		result_free(&r[i]);
}
END_TEST

/* The data for the script: no "<", ">", "&" or U+2028, same values. */
START_TEST(json_data)
{
	struct report_options o = html_options();
	struct prun_result r[1];
	struct page pg;
	json_error_t jerr;
	json_t *data;
	char *s, *label = "a</script>\xe2\x80\xa8<!--&b";
	const char *start, *end;

	r[0] = result("t", PRUN_PASS, "", 0);
	write_single(&pg, r, 1, &o, label);
	start = strstr(pg.buf, "<script type=\"application/json\" "
	    "id=\"prun-data\">");
	ck_assert_ptr_nonnull(start);
	start = strchr(start, '>') + 1;
	ck_assert_ptr_nonnull(end = strstr(start, "</script>"));
	s = strndup(start, (size_t)(end - start));
	ck_assert_ptr_null(strpbrk(s, "<>&"));
	ck_assert_ptr_null(strstr(s, "\xe2\x80\xa8"));
	ck_assert_ptr_nonnull(data = json_loads(s, 0, &jerr));
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(data, "runs"), 0), "label")), label);
	ck_assert_int_eq(json_integer_value(json_object_get(data, "tests")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(data, "runs"), 0), "counts"),
	    "pass")), 1);
	json_decref(data);
	free(s);
	page_free(&pg);
	result_free(&r[0]);
}
END_TEST

/* Groups follow the names, whatever the order of the tests. */
START_TEST(groups)
{
	static const char *const names[] = {
		"a/b/x", "c/y", "a/b/z", "a/w", "top", "a/b/c/deep",
	};
	struct report_options o = html_options();
	struct prun_result r[6];
	struct page pg;
	size_t i;

	for (i = 0; i < 6; i++)
		r[i] = result(names[i], i == 1 ? PRUN_FAIL : PRUN_PASS, "", 0);
	write_single(&pg, r, 6, &o, "run");
	ck_assert_int_eq(count(&pg, "//details[" CLASS("g") "]"), 4);
	/* Top level: group a, group c, test top, in order of arrival. */
	ck_text(&pg, "//main/details[" CLASS("g") "]/@data-g", 0, "a");
	ck_text(&pg, "//main/details[" CLASS("g") "]/@data-g", 1, "c");
	ck_text(&pg, "//main/*[" CLASS("t") "]//span[@class='n']", 0, "top");
	/* a/b holds x and z, then its subgroup c; a then holds w. */
	ck_text(&pg, "//details[@data-g='a/b']/div/*[" CLASS("t") "]"
	    "//span[@class='n']", 0, "x");
	ck_text(&pg, "//details[@data-g='a/b']/div/*[" CLASS("t") "]"
	    "//span[@class='n']", 1, "z");
	ck_assert_int_eq(count(&pg, "//details[@data-g='a/b']/div/"
	    "details[@data-g='a/b/c']"), 1);
	ck_text(&pg, "//details[@data-g='a']/div/*[" CLASS("t") "]"
	    "//span[@class='n']", 0, "w");
	/* Counts in the headers; a small report opens every group. */
	ck_assert_ptr_nonnull(strstr(pg.buf, "<span class=\"gn\">a/</span>"));
	ck_text(&pg, "//details[@data-g='a']/summary", 0, "a/4 tests "
	    "\xc2\xb7 6.000 s");
	ck_text(&pg, "//details[@data-g='c']/summary", 0, "c/1 test "
	    "\xc2\xb7 1 fail \xc2\xb7 1.500 s");
	ck_assert_int_eq(count(&pg, "//details[" CLASS("g") "][@open]"), 4);
	/*
	 * Every test has an id to link to and its status for the filter; a
	 * test that passed is a line with its command, one that failed a
	 * box that opens.
	 */
	ck_assert_int_eq(count(&pg, "//*[" CLASS("t") "][@id]"), 6);
	ck_assert_int_eq(count(&pg, "//details[" CLASS("t") " and "
	    CLASS("x-fail") "]"), 1);
	ck_assert_int_eq(count(&pg, "//div[" CLASS("t") " and "
	    CLASS("x-pass") "]"), 5);
	ck_text(&pg, "//div[@id='t0']/span[@class='cm']", 0,
	    "exit code 0 \xc2\xb7 exec ./t --flag");
	ck_assert_int_eq(count(&pg, "//a[@href='#t1']"), 2);
	page_free(&pg);
	for (i = 0; i < 6; i++)
		result_free(&r[i]);
}
END_TEST

/* A group of thousands of tests is shown in closed chunks of 500. */
START_TEST(chunks)
{
	struct report_options o = html_options();
	struct prun_result *r;
	struct page pg;
	char name[32];
	size_t i, n = 1201;

	r = calloc(n, sizeof *r);
	for (i = 0; i < n; i++) {
		if (i == 600)
			snprintf(name, sizeof name, "g/x");
		else
			snprintf(name, sizeof name, "t%04zu", i);
		r[i] = result(name, i == 700 ? PRUN_FAIL : PRUN_PASS, "", 0);
	}
	write_single(&pg, r, n, &o, "run");
	/* 600 tests, group g, 600 tests: chunks stop at the group. */
	ck_assert_int_eq(count(&pg, "//main/details[" CLASS("k") "]"), 4);
	ck_text(&pg, "//main/details[" CLASS("k") "]/summary/span[@class="
	    "'gn']", 0, "tests 1\xe2\x80\x93" "500 of 1200");
	ck_text(&pg, "//main/details[" CLASS("k") "]/summary/span[@class="
	    "'gn']", 1, "tests 501\xe2\x80\x93" "600 of 1200");
	ck_text(&pg, "//main/details[" CLASS("k") "]/summary/span[@class="
	    "'gn']", 3, "tests 1101\xe2\x80\x93" "1200 of 1200");
	ck_assert_int_eq(count(&pg, "//main/details[" CLASS("k") "][2]/"
	    "following-sibling::*[1][@data-g='g']"), 1);
	ck_assert_int_eq(count(&pg, "//main/details[" CLASS("k") "][3]/div/"
	    "*[" CLASS("t") "]"), 500);
	ck_text(&pg, "//main/details[" CLASS("k") "][3]/summary", 0,
	    "tests 601\xe2\x80\x93" "1100 of 1200" "500 tests \xc2\xb7 1 fail "
	    "\xc2\xb7 750.0 s");
	ck_assert_int_eq(count(&pg, "//details[" CLASS("g") "][@open]"), 0);
	page_free(&pg);
	for (i = 0; i < n; i++)
		result_free(&r[i]);
	free(r);
}
END_TEST

/* Output is capped in its middle, the cut said, UTF-8 kept whole. */
START_TEST(output_cap)
{
	struct report_options o = html_options();
	struct prun_result r[1];
	struct page pg;
	char *big, *s;
	size_t i, n = 30000;

	big = malloc(2 * n);
	for (i = 0; i < n; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2);	/* e acute */
	memcpy(big, "Hi", 2);
	memcpy(big + 2 * n - 2, "xT", 2);
	r[0] = result("t", PRUN_FAIL, big, 2 * n);
	o.show_max = 1003;	/* halves of 501 bytes: inside a character */
	write_single(&pg, r, 1, &o, "run");
	ck_assert_int_eq(count(&pg, "//pre/mark[@class='cut']"), 1);
	ck_assert_ptr_nonnull(s = text(&pg, "//pre/mark", 0));
	ck_assert_msg(strstr(s, "59000 bytes not shown") != NULL, "%s", s);
	free(s);
	ck_assert_ptr_nonnull(s = text(&pg, "//pre", 0));
	ck_assert_int_eq(s[0], 'H');
	ck_assert_int_eq(s[strlen(s) - 1], 'T');
	ck_assert_ptr_null(strstr(s, "\xef\xbf\xbd"));
	ck_assert_uint_lt(strlen(s), 1200);
	free(s);
	page_free(&pg);
	result_free(&r[0]);
	free(big);
}
END_TEST

/* Whose output is shown: failing by default, all, none. */
START_TEST(show_output)
{
	struct report_options o = html_options();
	struct prun_result r[2];
	struct page pg;

	r[0] = result("p", PRUN_PASS, "PASSOUT", 7);
	r[1] = result("f", PRUN_FAIL, "FAILOUT", 7);
	write_single(&pg, r, 2, &o, "run");
	ck_assert_ptr_null(strstr(pg.buf, "PASSOUT"));
	ck_assert_ptr_nonnull(strstr(pg.buf, "<pre>FAILOUT</pre>"));
	page_free(&pg);
	o.show_output = REPORT_SHOW_ALL;
	write_single(&pg, r, 2, &o, "run");
	ck_assert_ptr_nonnull(strstr(pg.buf, "<pre>PASSOUT</pre>"));
	page_free(&pg);
	o.show_output = REPORT_SHOW_NONE;
	write_single(&pg, r, 2, &o, "run");
	ck_assert_ptr_null(strstr(pg.buf, "OUT</pre>"));
	/* The command, exit code and duration are there all the same. */
	ck_text(&pg, "//details[@id='t1']//table[@class='ti']//code", 0,
	    "exec ./t --flag");
	ck_text(&pg, "//details[@id='t1']//table[@class='ti']//tr[2]/td[2]",
	    0, "1");
	ck_text(&pg, "//details[@id='t1']//table[@class='ti']//tr[2]/td[3]",
	    0, "1.500 s");
	page_free(&pg);
	result_free(&r[0]);
	result_free(&r[1]);
}
END_TEST

/* Several runs: a column each, changes marked on cells and rows. */
START_TEST(columns)
{
	static struct prun_metadata md;
	struct report_options o = html_options();
	struct report_run runs[2];
	struct report_info info;
	struct prun_error err;
	struct report rep;
	struct prun_result a[4], b[4];
	const struct prun_result *cells[2];
	char *d0[] = { "old" }, *d1[] = { "new1", "new2" };
	struct page pg;
	FILE *fp;
	int i;

	a[0] = result("g/reg", PRUN_PASS, "", 0);
	b[0] = result("g/reg", PRUN_FAIL, "", 0);
	a[1] = result("g/fix", PRUN_CRASH, "", 0);
	b[1] = result("g/fix", PRUN_PASS, "", 0);
	a[2] = result("g/gone", PRUN_PASS, "", 0);
	b[3] = result("g/new", PRUN_SKIP, "", 0);
	add_subtests(&a[0], (const char *const []){ "x", "y" },
	    (const enum prun_status []){ PRUN_PASS, PRUN_PASS }, 2);
	add_subtests(&b[0], (const char *const []){ "y", "z" },
	    (const enum prun_status []){ PRUN_FAIL, PRUN_PASS }, 2);
	memset(runs, 0, sizeof runs);
	runs[0].md = runs[1].md = &md;
	runs[0].dirs = d0;
	runs[0].ndirs = 1;
	runs[1].dirs = d1;
	runs[1].ndirs = 2;
	memset(&info, 0, sizeof info);
	info.md = &md;
	info.runs = runs;
	info.nruns = 2;
	memset(&pg, 0, sizeof pg);
	ck_assert_ptr_nonnull(fp = open_memstream(&pg.buf, &pg.len));
	ck_assert_int_eq(report_open(&rep, &o, fp, &err), 0);
	ck_assert_ptr_nonnull(rep.ops->row);
	ck_assert_int_eq(rep.ops->begin(&rep, &info), 0);
	for (i = 0; i < 4; i++) {
		cells[0] = i == 3 ? NULL : &a[i];
		cells[1] = i == 2 ? NULL : &b[i];
		ck_assert_int_eq(rep.ops->row(&rep, &info, cells), 0);
	}
	ck_assert_int_eq(rep.ops->end(&rep, &info), 0);
	rep.ops->free(&rep);
	ck_assert_int_eq(fclose(fp), 0);
	pg.doc = htmlReadMemory(pg.buf, (int)pg.len, NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	ck_assert_ptr_nonnull(pg.doc);
	/* A column per run, named by its directories. */
	ck_text(&pg, "//table[@class='totals']//th", 1, "old");
	ck_text(&pg, "//table[@class='totals']//th", 2, "new1,new2");
	/* Rows: the classes the filters use, the marks on cells. */
	ck_assert_int_eq(count(&pg, "//details[@id='t0'][" CLASS("reg") " and "
	    CLASS("chg") " and " CLASS("x-pass") " and " CLASS("x-fail") "]"),
	    1);
	ck_assert_int_eq(count(&pg, "//details[@id='t0']/summary/b[" CLASS("rg")
	    "]"), 1);
	ck_assert_int_eq(count(&pg, "//details[@id='t0']//table[@class='sub']"
	    "//tr[3]/td[3]/b[" CLASS("rg") "]"), 1);
	ck_assert_int_eq(count(&pg, "//details[@id='t1'][" CLASS("fix") "]"),
	    1);
	ck_assert_int_eq(count(&pg, "//details[@id='t1']//b[" CLASS("fx")
	    "]"), 1);
	ck_assert_int_eq(count(&pg, "//details[@id='t2'][" CLASS("x-none")
	    " and " CLASS("chg") " and not(" CLASS("reg") ")]"), 1);
	ck_assert_int_eq(count(&pg, "//details[@id='t3'][" CLASS("x-none")
	    " and " CLASS("x-skip") "]"), 1);
	/* Subtests of both runs, by name, absent where a run lacks one. */
	ck_assert_int_eq(count(&pg, "//details[@id='t0']//table[@class='sub']"
	    "//tr"), 4);
	ck_text(&pg, "//details[@id='t0']//table[@class='sub']//tr[2]", 0,
	    "xpassabsent");
	ck_text(&pg, "//details[@id='t0']//table[@class='sub']//tr[3]", 0,
	    "ypassfail");
	ck_text(&pg, "//details[@id='t0']//table[@class='sub']//tr[4]", 0,
	    "zabsentpass");
	/* The filters of a comparison. */
	ck_assert_int_eq(count(&pg, "//input[@name='change']"), 4);
	ck_assert_int_eq(count(&pg, "//input[@id='f-none']"), 1);
	/* The list at the top: the regression and the fix. */
	ck_assert_int_eq(count(&pg, "//section[@id='notable']//li"), 2);
	page_free(&pg);
	for (i = 0; i < 4; i++) {
		if (i != 3)
			result_free(&a[i]);
		if (i != 2)
			result_free(&b[i]);
	}
}
END_TEST

/* Subtests: counted on a passing line, listed in a failing box. */
START_TEST(subtests)
{
	static const char *const names[] = { "a", "<b>", "c" };
	static const enum prun_status ok[] = { PRUN_PASS, PRUN_SKIP,
	    PRUN_PASS };
	static const enum prun_status bad[] = { PRUN_PASS, PRUN_FAIL,
	    PRUN_CRASH };
	struct report_options o = html_options();
	struct prun_result r[2];
	struct page pg;

	r[0] = result("p", PRUN_PASS, "", 0);
	add_subtests(&r[0], names, ok, 3);
	r[1] = result("f", PRUN_CRASH, "", 0);
	add_subtests(&r[1], names, bad, 3);
	write_single(&pg, r, 2, &o, "run");
	ck_text(&pg, "//div[@id='t0']/span[@class='cm']", 0, "exit code 0 "
	    "\xc2\xb7 3 subtests: 2 pass, 1 skip \xc2\xb7 exec ./t --flag");
	ck_assert_int_eq(count(&pg, "//details[@id='t1']//table[@class='sub']"
	    "//tr"), 4);
	ck_text(&pg, "//details[@id='t1']//table[@class='sub']//tr[3]/td[1]",
	    0, "<b>");
	ck_text(&pg, "//details[@id='t1']//table[@class='sub']//tr[3]/td[2]",
	    0, "fail");
	page_free(&pg);
	result_free(&r[0]);
	result_free(&r[1]);
}
END_TEST

/* Against a baseline: each verdict beside its status, the totals; a
 * flaky test shows its failed try. */
START_TEST(verdicts)
{
	static struct prun_metadata md;
	struct report_options o = html_options();
	struct report_info info;
	struct prun_error err;
	struct report rep;
	struct prun_result r[3], try;
	char *dirs[1] = { "run" };
	struct page pg;
	FILE *fp;
	int i;

	r[0] = result("expected", PRUN_FAIL, "", 0);
	r[1] = result("new-failure", PRUN_CRASH, "", 0);
	r[2] = result("flaky", PRUN_PASS, "", 0);
	try = result("", PRUN_FAIL, "TRYOUT", 6);
	r[2].tries = malloc(sizeof try);
	r[2].tries[0] = try;
	r[2].ntries = 1;
	r[2].flaky = 1;
	memset(&info, 0, sizeof info);
	info.md = &md;
	info.dirs = dirs;
	info.ndirs = 1;
	info.ntests = 3;
	info.judged = 1;
	memset(&pg, 0, sizeof pg);
	ck_assert_ptr_nonnull(fp = open_memstream(&pg.buf, &pg.len));
	ck_assert_int_eq(report_open(&rep, &o, fp, &err), 0);
	ck_assert_int_eq(rep.ops->begin(&rep, &info), 0);
	for (i = 0; i < 3; i++) {
		info.verdict = i == 0 ? BASELINE_EXPECTED : i == 1 ?
		    BASELINE_UNEXPECTED : BASELINE_OK;
		info.expected = i == 0 ? PRUN_FAIL : PRUN_NSTATUS;
		info.verdicts[info.verdict]++;
		info.counts[r[i].status]++;
		ck_assert_int_eq(rep.ops->test(&rep, &info, &r[i]), 0);
	}
	ck_assert_int_eq(rep.ops->end(&rep, &info), 0);
	rep.ops->free(&rep);
	ck_assert_int_eq(fclose(fp), 0);
	pg.doc = htmlReadMemory(pg.buf, (int)pg.len, NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	ck_text(&pg, "//details[@id='t0']//i[" CLASS("vd") "]", 0, "expected");
	ck_text(&pg, "//details[@id='t0']//i[" CLASS("vd") "]/@title", 0,
	    "the baseline says fail");
	ck_text(&pg, "//details[@id='t1']//i[" CLASS("vd") "]", 0,
	    "unexpected");
	ck_text(&pg, "//details[@id='t2']//i[" CLASS("vd") "]", 0, "flaky");
	ck_text(&pg, "//p[@id='verdicts']", 0, "Against the baseline: "
	    "1 unexpected, 1 expected, 0 known flakes, 0 fixed");
	/* The flaky test opens to its failed try and that try's output. */
	ck_text(&pg, "//details[@id='t2']//table[@class='ti'][2]//tr[2]/td[2]",
	    0, "fail");
	ck_assert_ptr_nonnull(strstr(pg.buf, "<h4>stdout of try 1</h4><pre>"
	    "TRYOUT</pre>"));
	ck_assert_int_eq(count(&pg, "//section[@id='notable']//li"), 3);
	page_free(&pg);
	for (i = 0; i < 3; i++)
		result_free(&r[i]);
}
END_TEST

/* Self-contained: nothing is fetched from anywhere. */
START_TEST(self_contained)
{
	struct report_options o = html_options();
	struct prun_result r[1];
	struct page pg;

	r[0] = result("t", PRUN_FAIL, "see http://example.org/x", 24);
	write_single(&pg, r, 1, &o, "run");
	ck_assert_int_eq(count(&pg, "//*[@src] | //link | //iframe | "
	    "//object | //embed"), 0);
	ck_assert_int_eq(count(&pg, "//a[@href][not(starts-with(@href, "
	    "'#'))]"), 0);
	ck_assert_ptr_null(strstr(pg.buf, "@import"));
	ck_assert_ptr_null(strstr(pg.buf, "url("));
	page_free(&pg);
	result_free(&r[0]);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("report_html");
	TCase *tc = tcase_create("html");

	tcase_add_test(tc, injection);
	tcase_add_test(tc, json_data);
	tcase_add_test(tc, groups);
	tcase_add_test(tc, chunks);
	tcase_add_test(tc, output_cap);
	tcase_add_test(tc, show_output);
	tcase_add_test(tc, columns);
	tcase_add_test(tc, subtests);
	tcase_add_test(tc, verdicts);
	tcase_add_test(tc, self_contained);
	suite_add_tcase(s, tc);
	return s;
}
