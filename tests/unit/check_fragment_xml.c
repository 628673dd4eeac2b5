/*
 * check_fragment_xml: unit tests of the junit backend's fragments: every
 * string comes back byte for byte whatever a test printed, a fragment is
 * the same result as its JSON twin, the document is valid JUnit, and
 * parsing refuses DTDs, entities, damaged and oversized documents without
 * reading anything they point at.
 *
 * unit_suite() takes the locale from the environment, so that running this
 * program with LC_ALL set to a comma-decimal locale (tests/junit_locale.sh
 * does) checks that no number is written with a comma.
 */
#include <sys/stat.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "store/fragment.h"
#include "store/fragment_xml.h"
#include "core/text.h"
#include "fixture.h"
#include "unit.h"

/* A result with the given output, the other fields fixed. */
static void
make(struct prun_result *r, const char *out, size_t out_len,
    const char *err, size_t err_len)
{
	memset(r, 0, sizeof *r);
	r->index = 42;
	r->name = strdup("gpu/shaders/basic");
	r->status = PRUN_FAIL;
	r->attempt = 2;
	r->command = strdup("exec ./shader --quick");
	r->returncode = 3;
	r->has_returncode = 1;
	r->pid = 12345;
	r->time_start = 1764113280.123456789;
	r->time_end = 1764113281.987654321;
	r->out = malloc(out_len + 1);
	memcpy(r->out, out, out_len);
	r->out[out_len] = '\0';
	r->out_len = out_len;
	r->err = malloc(err_len + 1);
	memcpy(r->err, err, err_len);
	r->err[err_len] = '\0';
	r->err_len = err_len;
}

/* Add a subtest. */
static void
add_sub(struct prun_result *r, const char *name, enum prun_status s)
{
	r->subtests = realloc(r->subtests,
	    (r->nsubtests + 1) * sizeof *r->subtests);
	r->subtests[r->nsubtests].name = strdup(name);
	r->subtests[r->nsubtests].status = s;
	r->nsubtests++;
}

/* Whether two optional strings are equal. */
static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Assert that two results hold exactly the same. */
static void
assert_same(const struct prun_result *a, const struct prun_result *b)
{
	size_t i;

	ck_assert_uint_eq(a->index, b->index);
	ck_assert(str_eq(a->name, b->name));
	ck_assert_int_eq(a->status, b->status);
	ck_assert_int_eq(a->attempt, b->attempt);
	ck_assert_int_eq(a->interrupted, b->interrupted);
	ck_assert(str_eq(a->command, b->command));
	ck_assert_int_eq(a->has_returncode, b->has_returncode);
	if (a->has_returncode)
		ck_assert_int_eq(a->returncode, b->returncode);
	ck_assert_int_eq(a->pid, b->pid);
	ck_assert(a->time_start == b->time_start);
	ck_assert(a->time_end == b->time_end);
	ck_assert_uint_eq(a->out_len, b->out_len);
	ck_assert(memcmp(a->out, b->out, a->out_len) == 0);
	ck_assert_uint_eq(a->err_len, b->err_len);
	ck_assert(memcmp(a->err, b->err, a->err_len) == 0);
	ck_assert_uint_eq(a->nsubtests, b->nsubtests);
	for (i = 0; i < a->nsubtests; i++) {
		ck_assert_str_eq(a->subtests[i].name, b->subtests[i].name);
		ck_assert_int_eq(a->subtests[i].status, b->subtests[i].status);
	}
	ck_assert_int_eq(a->flaky, b->flaky);
	ck_assert_uint_eq(a->ntries, b->ntries);
	for (i = 0; i < a->ntries; i++)
		assert_same(&a->tries[i], &b->tries[i]);
}

/* Encode r as XML, decode it back, and check it is the same. */
static char *
roundtrip(const struct prun_result *r, size_t *len)
{
	struct prun_error err = { 0 };
	struct prun_result back;
	char *xml;

	xml = fragment_encode(r, BACKEND_JUNIT, len, &err);
	ck_assert_msg(xml != NULL, "encode: %s", err.msg);
	ck_assert_msg(fragment_decode(xml, *len, BACKEND_JUNIT, "frag.xml",
	    &back, &err) == 0, "decode: %s", err.msg);
	assert_same(r, &back);
	result_free(&back);
	return xml;
}

START_TEST(test_plain_roundtrip)
{
	struct prun_result r;
	const char out[] = "hello <world> & \"quotes\" 'single' ]]> done\n"
	    "a \\ backslash, \\x41 and \\\\ stay as they are\n";
	char *xml;
	size_t len;

	make(&r, out, sizeof out - 1, "", 0);
	add_sub(&r, "first", PRUN_PASS);
	add_sub(&r, "sec ond", PRUN_FAIL);
	xml = roundtrip(&r, &len);
	/* Ordinary output is written as printed, markup escaped. */
	ck_assert_ptr_nonnull(strstr(xml, "hello &lt;world&gt; &amp; "));
	ck_assert_ptr_nonnull(strstr(xml, "]]&gt; done"));
	ck_assert_ptr_nonnull(strstr(xml, "a \\ backslash, \\x41 and \\\\ "));
	ck_assert_ptr_null(strstr(xml, "out.escaped"));
	ck_assert_ptr_null(strstr(xml, "]]>"));
	ck_assert(fixture_junit_valid(xml, len));
	free(xml);
	result_free(&r);
}
END_TEST

START_TEST(test_hostile_roundtrip)
{
	struct prun_result r;
	/* Controls, NUL, ESC, CR and CRLF, U+FFFE, U+FFFF, backslashes that
	 * look like escapes, markup, and multi-byte characters. */
	const char out[] = "\x1b[31mred\x1b[0m\0nul\x01\x02\x7f\r\r\n"
	    "\xef\xbf\xbe \xef\xbf\xbf \\x1b \\uFFFE \\\\ ]]> <&>\n"
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbd\t";
	const char err[] = "\0\0\0";
	char *xml;
	size_t len;

	make(&r, out, sizeof out - 1, err, sizeof err - 1);
	free(r.name);
	r.name = strdup("odd/na\\me <&> \xc3\xa9 ]]>");
	free(r.command);
	r.command = strdup("printf '\x01\\x01\x1b' \xef\xbf\xbf");
	r.interrupted = 1;
	r.status = PRUN_INCOMPLETE;
	r.has_returncode = 0;
	r.returncode = 0;
	add_sub(&r, "esc \x1b[1m bold", PRUN_CRASH);
	add_sub(&r, "back\\slash", PRUN_SKIP);
	add_sub(&r, "\xef\xbf\xbe", PRUN_WARN);
	xml = roundtrip(&r, &len);
	ck_assert_ptr_nonnull(strstr(xml, "prun.out.escaped"));
	ck_assert_ptr_nonnull(strstr(xml, "prun.err.escaped"));
	ck_assert(fixture_junit_valid(xml, len));
	free(xml);
	result_free(&r);
}
END_TEST

START_TEST(test_every_byte)
{
	struct prun_result r;
	char raw[512], *valid, *xml;
	size_t i, vlen, len;

	/* Every byte value, and every byte after every other in pairs,
	 * made valid UTF-8 as the runner stores output. */
	for (i = 0; i < 256; i++) {
		raw[i] = (char)i;
		raw[511 - i] = (char)i;
	}
	valid = text_to_utf8(raw, sizeof raw, &vlen);
	make(&r, valid, vlen, valid, vlen);
	xml = roundtrip(&r, &len);
	ck_assert(fixture_junit_valid(xml, len));
	free(xml);
	free(valid);
	result_free(&r);
}
END_TEST

START_TEST(test_pairs)
{
	struct prun_result r;
	char raw[2], *valid, *xml;
	size_t vlen, len;
	int a, b;

	/* Every pair of bytes, so any escape boundary is crossed. */
	make(&r, "", 0, "", 0);
	for (a = 0; a < 256; a += 3) {
		for (b = 0; b < 256; b += 5) {
			raw[0] = (char)a;
			raw[1] = (char)b;
			valid = text_to_utf8(raw, 2, &vlen);
			free(r.out);
			r.out = valid;
			r.out_len = vlen;
			xml = roundtrip(&r, &len);
			free(xml);
		}
	}
	result_free(&r);
}
END_TEST

START_TEST(test_same_as_json)
{
	struct prun_error err = { 0 };
	struct prun_result r, fromjson, fromxml;
	const char out[] = "out\0with\x1b nul\r\n\xef\xbf\xbf";
	char *json, *xml;
	size_t jlen, xlen;

	make(&r, out, sizeof out - 1, "e\\rr", 4);
	add_sub(&r, "s\x01", PRUN_FAIL);
	r.returncode = -11;
	r.time_start = 0.1;
	r.time_end = 1e-300;
	json = fragment_encode(&r, BACKEND_JSON, &jlen, &err);
	xml = fragment_encode(&r, BACKEND_JUNIT, &xlen, &err);
	ck_assert(json != NULL && xml != NULL);
	ck_assert_int_eq(fragment_decode(json, jlen, BACKEND_JSON, "j",
	    &fromjson, &err), 0);
	ck_assert_int_eq(fragment_decode(xml, xlen, BACKEND_JUNIT, "x",
	    &fromxml, &err), 0);
	assert_same(&fromjson, &fromxml);
	assert_same(&r, &fromxml);
	ck_assert_str_eq(fragment_extension(BACKEND_JSON), "json");
	ck_assert_str_eq(fragment_extension(BACKEND_JUNIT), "xml");
	free(json);
	free(xml);
	result_free(&fromjson);
	result_free(&fromxml);
	result_free(&r);
}
END_TEST

START_TEST(test_big_output)
{
	struct prun_result r;
	size_t n = 12u << 20, len, i;
	char *out, *xml;

	/* Over libxml2's 10 MB text node limit: XML_PARSE_HUGE reads it. */
	out = malloc(n);
	for (i = 0; i < n; i++)
		out[i] = "abc<>&\n\x1b"[i % 9];
	make(&r, out, n, "", 0);
	xml = roundtrip(&r, &len);
	free(xml);
	free(out);
	result_free(&r);
}
END_TEST

START_TEST(test_c_locale)
{
	struct prun_result r;
	char *xml;
	size_t len;

	/* main() took LC_ALL from the environment: with a comma-decimal
	 * locale, times must still be written with a dot. */
	make(&r, "", 0, "", 0);
	r.time_start = 1.5;
	r.time_end = 3.25;
	xml = roundtrip(&r, &len);
	ck_assert_ptr_nonnull(strstr(xml, "name=\"prun.time.start\" "
	    "value=\"1.5\""));
	ck_assert_ptr_nonnull(strstr(xml, "time=\"1.750\""));
	ck_assert_ptr_null(strstr(xml, "1,5"));
	if (strcmp(localeconv()->decimal_point, ".") != 0)
		fprintf(stderr, "check_fragment_xml: checked under a locale "
		    "whose decimal point is '%s'\n",
		    localeconv()->decimal_point);
	free(xml);
	result_free(&r);
}
END_TEST

/* Assert that decoding s fails with a message holding what. */
static void
refused(const char *s, size_t len, const char *what)
{
	struct prun_error err = { 0 };
	struct prun_result r;

	ck_assert_int_eq(fragment_decode(s, len, BACKEND_JUNIT, "f.xml", &r,
	    &err), -1);
	ck_assert_msg(strstr(err.msg, what) != NULL, "'%s' lacks '%s'",
	    err.msg, what);
	ck_assert_msg(strncmp(err.msg, "f.xml", 5) == 0, "'%s'", err.msg);
}

START_TEST(test_billion_laughs)
{
	const char doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE testsuite [\n"
	    " <!ENTITY a \"lol\">\n"
	    " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	    " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	    " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	    " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	    " <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	    " <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	    " <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
	    " <!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
	    "]>\n"
	    "<testsuite><properties/><testcase>&i;</testcase></testsuite>\n";

	refused(doc, sizeof doc - 1, "DOCTYPE");
}
END_TEST

START_TEST(test_external_entity_not_read)
{
	char dir[] = "/tmp/check_fragment_xml.XXXXXX", fifo[4200];
	char doc[8192];
	int n;

	/* A FIFO blocks whoever opens it for reading: if the parser tried
	 * to read the entity or the external subset, this test would hang
	 * until Check's timeout fails it. */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	n = snprintf(doc, sizeof doc, "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE testsuite SYSTEM \"file://%s\" [\n"
	    " <!ENTITY x SYSTEM \"file://%s\">\n"
	    " <!ENTITY %% p SYSTEM \"file://%s\"> %%p;\n]>\n"
	    "<testsuite><properties/><testcase>&x;</testcase></testsuite>\n",
	    fifo, fifo, fifo);
	refused(doc, (size_t)n, "DOCTYPE");
	n = snprintf(doc, sizeof doc, "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE testsuite SYSTEM \"%s\">\n<testsuite/>\n", fifo);
	refused(doc, (size_t)n, "DOCTYPE");
	n = snprintf(doc, sizeof doc, "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE testsuite PUBLIC \"-//x//y\" \"http://127.0.0.1:9/x."
	    "dtd\">\n<testsuite/>\n");
	refused(doc, (size_t)n, "DOCTYPE");
	unlink(fifo);
	rmdir(dir);
}
END_TEST

START_TEST(test_undeclared_entity)
{
	const char doc[] = "<?xml version=\"1.0\"?>\n"
	    "<testsuite><properties/><testcase>&xxe;</testcase></testsuite>";

	refused(doc, sizeof doc - 1, "not well-formed");
}
END_TEST

START_TEST(test_size_cap)
{
	const char small[] = "<testsuite/>";

	/* Refused on its length alone: nothing past small is read (ASan
	 * would say so in a sanitizer build). */
	refused(small, (size_t)FRAGMENT_XML_MAX + 1, "larger than");
}
END_TEST

START_TEST(test_every_prefix_refused)
{
	struct prun_error err = { 0 };
	struct prun_result r, back;
	char *xml;
	size_t len, i;

	make(&r, "out\x1b", 4, "err", 3);
	add_sub(&r, "s", PRUN_PASS);
	xml = fragment_encode(&r, BACKEND_JUNIT, &len, &err);
	ck_assert(xml != NULL);
	/* A torn file (which the atomic protocol never publishes, but a
	 * disk may still give) is refused, never half-read; only the
	 * final newline may go. */
	for (i = 0; i + 1 < len; i++)
		ck_assert_msg(fragment_decode(xml, i, BACKEND_JUNIT, "f",
		    &back, &err) == -1, "prefix of %zu bytes parsed", i);
	ck_assert_int_eq(fragment_decode(xml, len - 1, BACKEND_JUNIT, "f",
	    &back, &err), 0);
	result_free(&back);
	free(xml);
	result_free(&r);
}
END_TEST

/* A valid fragment with one property replaced by text. */
static char *
with_property(const char *name, const char *value)
{
	struct prun_error err = { 0 };
	struct prun_result r;
	char *xml, *out, *p, *q, prop[256];
	size_t len;

	make(&r, "o", 1, "e", 1);
	xml = fragment_encode(&r, BACKEND_JUNIT, &len, &err);
	result_free(&r);
	snprintf(prop, sizeof prop, "name=\"prun.%s\" value=\"", name);
	p = strstr(xml, prop);
	ck_assert_ptr_nonnull(p);
	p += strlen(prop);
	q = strchr(p, '"');
	out = malloc(len + strlen(value) + 1);
	memcpy(out, xml, (size_t)(p - xml));
	strcpy(out + (p - xml), value);
	strcat(out, q);
	free(xml);
	return out;
}

START_TEST(test_damaged_properties)
{
	static const struct {
		const char *name, *value, *why;
	} cases[] = {
		{ "format", "something-else", "not a prun fragment" },
		{ "version", "3", "unsupported fragment version" },
		{ "index", "-1", "no valid index" },
		{ "index", "1x", "no valid index" },
		{ "result", "great", "no valid result" },
		{ "attempt", "0", "no valid attempt" },
		{ "returncode", "abc", "returncode" },
		{ "time.start", "1,5", "no valid time" },
		{ "time.end", "nan", "no valid time" },
		{ "name", "bad\\q", "no valid name" },
		{ "name", "nul\\x00inside", "no valid name" },
		{ "name", "high\\x8f", "no valid name" },
		{ "command", "trailing\\", "command" },
		{ "command", "\\uFFFD", "command" },
	};
	char *doc;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		doc = with_property(cases[i].name, cases[i].value);
		refused(doc, strlen(doc), cases[i].why);
		free(doc);
	}
}
END_TEST

START_TEST(test_structure)
{
	const char noprops[] = "<testsuite><testcase/></testsuite>";
	const char other[] = "<testsuites/>";
	const char twice[] = "<testsuite><properties>"
	    "<property name=\"prun.format\" value=\"prun-fragment\"/>"
	    "<property name=\"prun.format\" value=\"prun-fragment\"/>"
	    "</properties><testcase/></testsuite>";
	const char nocase[] = "<testsuite><properties>"
	    "<property name=\"prun.format\" value=\"prun-fragment\"/>"
	    "</properties></testsuite>";

	refused(noprops, sizeof noprops - 1, "no properties or testcase");
	refused(other, sizeof other - 1, "no testsuite");
	refused(twice, sizeof twice - 1, "twice");
	refused(nocase, sizeof nocase - 1, "no properties or testcase");
	refused("", 0, "not well-formed");
}
END_TEST

START_TEST(test_missing_streams)
{
	struct prun_error err = { 0 };
	struct prun_result r;
	char *xml, *p;
	size_t len;

	make(&r, "o", 1, "e", 1);
	xml = fragment_encode(&r, BACKEND_JUNIT, &len, &err);
	result_free(&r);
	p = strstr(xml, "<system-err>");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "<system-out>", 12);
	memcpy(strstr(p, "</system-err>"), "</system-out>", 13);
	refused(xml, len, "two system-out");
	free(xml);
}
END_TEST

/* Make r a test rerun after failing: two earlier tries with hostile
 * output, flaky when it passed in the end. */
static void
add_tries(struct prun_result *r, int flaky)
{
	const char out0[] = "try one \x1b[31m\0 ]]> \\x00";
	const char err1[] = "try two \xef\xbf\xbf <&>";
	size_t i;

	r->ntries = 2;
	r->tries = calloc(2, sizeof *r->tries);
	for (i = 0; i < 2; i++) {
		r->tries[i].index = r->index;
		r->tries[i].attempt = r->attempt;
		r->tries[i].pid = 500 + (long)i;
		r->tries[i].time_start = 1764113200.25 + (double)i;
		r->tries[i].time_end = 1764113201.75 + (double)i;
	}
	r->tries[0].status = PRUN_CRASH;
	r->tries[0].has_returncode = 1;
	r->tries[0].returncode = -11;
	r->tries[0].out = malloc(sizeof out0);
	memcpy(r->tries[0].out, out0, sizeof out0);
	r->tries[0].out_len = sizeof out0 - 1;
	r->tries[0].err = strdup("");
	r->tries[1].status = PRUN_TIMEOUT;
	r->tries[1].out = strdup("");
	r->tries[1].err = strdup(err1);
	r->tries[1].err_len = strlen(err1);
	add_sub(&r->tries[1], "sub \x01", PRUN_FAIL);
	r->flaky = flaky;
	if (flaky)
		r->status = PRUN_PASS;
}

START_TEST(test_tries_roundtrip)
{
	struct prun_result r;
	char *xml;
	size_t len;
	int flaky;

	for (flaky = 0; flaky <= 1; flaky++) {
		make(&r, "final \x1b", 7, "", 0);
		add_tries(&r, flaky);
		xml = roundtrip(&r, &len);
		/* Surefire's elements, each with its try's own output. */
		ck_assert_ptr_nonnull(strstr(xml, flaky ?
		    "<flakyError type=\"crash\" message=\"try 1: crash\">" :
		    "<rerunError type=\"crash\" message=\"try 1: crash\">"));
		ck_assert_ptr_nonnull(strstr(xml, flaky ? "<flakyError "
		    "type=\"timeout\"" : "<rerunError type=\"timeout\""));
		ck_assert_ptr_nonnull(strstr(xml, "try one \\x1b[31m"));
		ck_assert_ptr_nonnull(strstr(xml, "name=\"prun.tries\" "
		    "value=\"2\""));
		ck_assert(fixture_junit_valid(xml, len));
		free(xml);
		result_free(&r);
	}
}
END_TEST

START_TEST(test_tries_refused)
{
	struct prun_error err = { 0 };
	struct prun_result r;
	char *xml, *p;
	size_t len;

	make(&r, "o", 1, "e", 1);
	add_tries(&r, 0);
	xml = fragment_encode(&r, BACKEND_JUNIT, &len, &err);
	result_free(&r);
	/* A try element fewer than the properties say. */
	p = strstr(xml, "<rerunError type=\"timeout\"");
	ck_assert_ptr_nonnull(p);
	memcpy(p + 1, "rerunErrox", 10);
	memcpy(strstr(p, "</rerunError>") + 2, "rerunErrox", 10);
	refused(xml, len, "fewer tries");
	free(xml);
	/* A try's property beyond prun.tries. */
	make(&r, "o", 1, "e", 1);
	add_tries(&r, 0);
	xml = fragment_encode(&r, BACKEND_JUNIT, &len, &err);
	result_free(&r);
	p = strstr(xml, "name=\"prun.try.1.result\"");
	ck_assert_ptr_nonnull(p);
	p[15] = '7';
	refused(xml, len, "names no try");
	free(xml);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s;
	TCase	*tc;

	unit_locale();
	s = suite_create("fragment_xml");
	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_plain_roundtrip);
	tcase_add_test(tc, test_hostile_roundtrip);
	tcase_add_test(tc, test_tries_roundtrip);
	tcase_add_test(tc, test_tries_refused);
	tcase_add_test(tc, test_every_byte);
	tcase_add_test(tc, test_pairs);
	tcase_add_test(tc, test_same_as_json);
	tcase_add_test(tc, test_big_output);
	tcase_add_test(tc, test_c_locale);
	tcase_add_test(tc, test_billion_laughs);
	tcase_add_test(tc, test_external_entity_not_read);
	tcase_add_test(tc, test_undeclared_entity);
	tcase_add_test(tc, test_size_cap);
	tcase_add_test(tc, test_every_prefix_refused);
	tcase_add_test(tc, test_damaged_properties);
	tcase_add_test(tc, test_structure);
	tcase_add_test(tc, test_missing_streams);
	suite_add_tcase(s, tc);
	return s;
}
