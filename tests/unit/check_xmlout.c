/*
 * check_xmlout: unit tests of what the XML writers share: numbers that
 * never see the locale, timestamps, the JUnit classname of a test name,
 * and text made safe on its way into a libxml2 writer.
 *
 * unit_suite() takes the locale from the environment, so
 * tests/junit_locale.sh runs this program under a comma-decimal locale too.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <libxml/xmlwriter.h>

#include "core/xmlout.h"
#include "unit.h"

/* A number and how a formatter of xmlout writes it. */
struct formatted {
	double		 v;
	const char	*want;
};

/* Assert that format writes each of the n values as wanted. */
static void
assert_formats(void (*format)(double, char *, size_t),
    const struct formatted *f, size_t n)
{
	char buf[64];
	size_t i;

	for (i = 0; i < n; i++) {
		format(f[i].v, buf, sizeof buf);
		ck_assert_str_eq(buf, f[i].want);
	}
}

START_TEST(test_seconds)
{
	static const struct formatted seconds[] = {
		{ 1.5, "1.500" }, { 0.0004, "0.000" }, { 0.0005, "0.001" },
		{ 12345.6789, "12345.679" },
		/* A clock that went back, or a start record: never
		 * negative. */
		{ -3, "0.000" }, { NAN, "0.000" }, { INFINITY, "0.000" },
	};

	assert_formats(xmlout_seconds, seconds,
	    sizeof seconds / sizeof seconds[0]);
	if (strcmp(localeconv()->decimal_point, ".") != 0)
		fprintf(stderr, "check_xmlout: checked under a locale whose "
		    "decimal point is '%s'\n", localeconv()->decimal_point);
}
END_TEST

START_TEST(test_timestamp)
{
	static const struct formatted stamps[] = {
		{ 1764113280.9, "2025-11-25T23:28:00" },
		{ 0, "1970-01-01T00:00:00" }, { -1, "1970-01-01T00:00:00" },
		{ NAN, "1970-01-01T00:00:00" },
	};

	assert_formats(xmlout_timestamp, stamps,
	    sizeof stamps / sizeof stamps[0]);
}
END_TEST

START_TEST(test_doubles)
{
	static const double v[] = {
		0, 1.5, -2.25, 1764113280.123456789, 1e-300, 5e-324, 1e300,
		0.1, 2.0 / 3.0,
	};
	static const char *const bad[] = {
		"1,5", " 1", "1 ", "", "nan", "inf", "1e999",
	};
	char buf[64];
	double d;
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		ck_assert_int_eq(xmlout_format_double(v[i], buf,
		    sizeof buf), 0);
		ck_assert_ptr_null(strchr(buf, ','));
		ck_assert_int_eq(xmlout_parse_double(buf, &d), 0);
		ck_assert_msg(d == v[i], "%s read back differently", buf);
	}
	ck_assert_int_eq(xmlout_parse_double("1.5", &d), 0);
	ck_assert(d == 1.5);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_int_eq(xmlout_parse_double(bad[i], &d), -1);
}
END_TEST

START_TEST(test_classname)
{
	/* A test name, its class in a suite named run, and the rest. */
	static const char *const cases[][3] = {
		{ "gpu/shaders/basic", "gpu.shaders", "basic" },
		{ "a/b", "a", "b" },
		{ "toplevel", "run", "toplevel" },
	};
	const char *c;
	char *cn;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cn = xmlout_classname(cases[i][0], "run", &c);
		ck_assert_str_eq(cn, cases[i][1]);
		ck_assert_str_eq(c, cases[i][2]);
		free(cn);
	}
}
END_TEST

START_TEST(test_safe_text)
{
	xmlBufferPtr b = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(b, 0);
	const char *doc;

	ck_assert_int_ge(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL),
	    0);
	ck_assert_int_ge(xmlTextWriterStartElement(w, BAD_CAST "r"), 0);
	ck_assert_int_eq(xmlout_attr(w, "a", "x\x1by<\"]]>\xff"), 0);
	ck_assert_int_eq(xmlout_text(w, "t\0u\x1b]]>&\r", 9), 0);
	ck_assert_int_eq(xmlout_text(w, "", 0), 0);
	ck_assert_int_eq(xmlout_element(w, "e", "\xef\xbf\xbf", 3), 0);
	ck_assert_int_eq(xmlout_element(w, "empty", "", 0), 0);
	ck_assert_int_ge(xmlTextWriterEndDocument(w), 0);
	xmlFreeTextWriter(w);
	doc = (const char *)xmlBufferContent(b);
	ck_assert_ptr_nonnull(strstr(doc, "<r a=\"x\\x1by&lt;&quot;]]&gt;"
	    "\xef\xbf\xbd\">t\\x00u\\x1b]]&gt;&amp;&#13;<e>\\uFFFF</e>"
	    "<empty></empty></r>"));
	xmlBufferFree(b);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s;
	TCase	*tc;

	unit_locale();
	s = suite_create("xmlout");
	tc = tcase_create("core");
	tcase_add_test(tc, test_seconds);
	tcase_add_test(tc, test_timestamp);
	tcase_add_test(tc, test_doubles);
	tcase_add_test(tc, test_classname);
	tcase_add_test(tc, test_safe_text);
	suite_add_tcase(s, tc);
	return s;
}
