/*
 * check_json: unit tests of the fast JSON module, as tables of cases:
 * documents with the reader's verdict (checked against jansson's too),
 * strings with the bytes they decode to, numbers, the string writer, and
 * where the stream scanner finds a value's end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "core/json.h"
#include "unit.h"

/* A length from a string literal that may hold NUL. */
#define S(lit)	lit, sizeof lit - 1

/* Whether jansson takes buf as one value (NUL allowed in strings). */
static int
jansson_valid(const char *buf, size_t len)
{
	json_error_t jerr;
	json_t *v;

	v = json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	json_decref(v);
	return v != NULL;
}

/* Whether the reader takes buf[0..len), from an exact-size copy. */
static int
valid(const char *buf, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, buf, len);
	rc = json_valid(copy, len);
	free(copy);
	return rc;
}

/* Documents and the reader's verdict: 1 valid, 0 not (jansson agrees),
 * 2 given up on though jansson takes it (json.h rule 2). */
static const struct {
	const char	*in;
	size_t		 len;
	int		 verdict;
} documents[] = {
	{ S("{}"), 1 },
	{ S(" { } \n"), 1 },
	{ S("[]"), 1 },
	{ S("[1, 2.5, -0, 1e3, 1E-2, true, false, null, \"x\"]"), 1 },
	{ S("{\"a\":{\"b\":[{}]},\"c\":\"\\u00e9\\ud83d\\ude00\"}"), 1 },
	{ S("\"plain\""), 1 },
	{ S("\"caf\xc3\xa9\""), 1 },
	{ S("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), 1 },
	{ S("\"\\u0000\""), 1 },
	{ S("0"), 1 },
	{ S("-12"), 1 },
	{ S("9223372036854775807"), 1 },
	{ S(""), 0 },
	{ S("   "), 0 },
	{ S("{"), 0 },
	{ S("{\"a\"}"), 0 },
	{ S("{\"a\":}"), 0 },
	{ S("{\"a\":1,}"), 0 },
	{ S("[1,]"), 0 },
	{ S("[1 2]"), 0 },
	{ S("{} {}"), 0 },
	{ S("{}x"), 0 },
	{ S("01"), 0 },
	{ S("-"), 0 },
	{ S("1."), 0 },
	{ S(".5"), 0 },
	{ S("1e"), 0 },
	{ S("1e+"), 0 },
	{ S("+1"), 0 },
	{ S("tru"), 0 },
	{ S("nul"), 0 },
	{ S("True"), 0 },
	{ S("\"open"), 0 },
	{ S("\"a\\\""), 0 },
	{ S("\"\\x41\""), 0 },
	{ S("\"\\u12\""), 0 },
	{ S("\"\\u12G4\""), 0 },
	{ S("\"\\ud800\""), 0 },
	{ S("\"\\udc00\""), 0 },
	{ S("\"\\ud800\\u0041\""), 0 },
	{ S("\"tab\there\""), 0 },
	{ S("\"nl\nhere\""), 0 },
	{ S("\"nul\0here\""), 0 },
	{ S("\"\xff\""), 0 },
	{ S("\"\xc3\""), 0 },
	{ S("\"\xc0\xaf\""), 0 },
	{ S("\"\xed\xa0\x80\""), 0 },
	{ S("\"\xf4\x90\x80\x80\""), 0 },
	{ S("{1:2}"), 0 },
	{ S("{\"\\u0000\":1}"), 0 },
	{ S("9223372036854775808"), 0 },
	{ S("1e400"), 0 },
	{ S("1e-400"), 2 },
	{ S("1.00000000000000000000000000000000000000000000000000000000000001"),
	    2 },
};

/* Each document gets its verdict, and jansson's agrees with it. */
START_TEST(documents_verdict)
{
	size_t i;

	for (i = 0; i < sizeof documents / sizeof documents[0]; i++) {
		ck_assert_msg(valid(documents[i].in, documents[i].len) ==
		    (documents[i].verdict == 1), "case %zu: %s", i,
		    documents[i].in);
		ck_assert_msg(jansson_valid(documents[i].in, documents[i].len) ==
		    (documents[i].verdict != 0), "case %zu (jansson): %s", i,
		    documents[i].in);
	}
}
END_TEST

/* Every prefix of a valid document: taken only if jansson takes it. */
START_TEST(documents_truncated)
{
	size_t i, n;

	for (i = 0; i < sizeof documents / sizeof documents[0]; i++)
		for (n = 0; documents[i].verdict == 1 && n < documents[i].len;
		    n++)
			ck_assert_msg(!valid(documents[i].in, n) ||
			    jansson_valid(documents[i].in, n),
			    "case %zu cut at %zu", i, n);
}
END_TEST

/* Nesting: deep is fine up to JSON_DEPTH_MAX, then given up on. */
START_TEST(nesting)
{
	static const size_t depths[] = { 1, 100, JSON_DEPTH_MAX,
	    JSON_DEPTH_MAX + 1, 5000 };
	char *buf;
	size_t i, d;

	for (i = 0; i < sizeof depths / sizeof depths[0]; i++) {
		d = depths[i];
		ck_assert_ptr_nonnull(buf = malloc(2 * d));
		memset(buf, '[', d);
		memset(buf + d, ']', d);
		ck_assert_int_eq(valid(buf, 2 * d), d <= JSON_DEPTH_MAX);
		free(buf);
	}
}
END_TEST

/* Strings and the bytes they decode to; out NULL when given up on. */
static const struct {
	const char	*in;
	size_t		 inlen;
	int		 nul;
	const char	*out;
	size_t		 outlen;
} strings[] = {
	{ S("\"\""), 0, S("") },
	{ S("  \"abc\" tail"), 0, S("abc") },
	{ S("\"a\\nb\\tc\\\\d\\\"e\\/f\""), 0, S("a\nb\tc\\d\"e/f") },
	{ S("\"\\b\\f\\r\""), 0, S("\b\f\r") },
	{ S("\"\\u00e9\\u20AC\""), 0, S("\xc3\xa9\xe2\x82\xac") },
	{ S("\"\\ud83d\\ude00\""), 0, S("\xf0\x9f\x98\x80") },
	{ S("\"\\u0000x\""), 1, S("\0x") },
	{ S("\"\\u0000x\""), 0, NULL, 0 },
	{ S("\"caf\xc3\xa9\""), 0, S("caf\xc3\xa9") },
	{ S("\"\xc3\""), 0, NULL, 0 },
	{ S("\"a"), 0, NULL, 0 },
	{ S("\"a\\"), 0, NULL, 0 },
	{ S("\"\\ud83d\""), 0, NULL, 0 },
	{ S("abc"), 0, NULL, 0 },
};

/* Each string decodes to its bytes, and the reader stands after it. */
START_TEST(strings_decode)
{
	struct json_in in;
	char *out;
	size_t i, len;
	int rc;

	for (i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		in.p = strings[i].in;
		in.end = strings[i].in + strings[i].inlen;
		rc = json_read_string(&in, strings[i].nul, &out, &len);
		if (strings[i].out == NULL) {
			ck_assert_msg(rc == -1 && out == NULL, "case %zu", i);
			continue;
		}
		ck_assert_msg(rc == 0, "case %zu", i);
		ck_assert_uint_eq(len, strings[i].outlen);
		ck_assert_msg(memcmp(out, strings[i].out, len) == 0 &&
		    out[len] == '\0', "case %zu", i);
		ck_assert_int_eq(in.p[-1], '"');
		free(out);
	}
}
END_TEST

/* Numbers: integers, reals, and what is given up on. */
START_TEST(numbers)
{
	static const struct {
		const char	*in;
		int		 rc, is_int;
		long long	 ll;
		double		 d;
	} cases[] = {
		{ "0", 0, 1, 0, 0 },
		{ "-7", 0, 1, -7, -7 },
		{ "1234567890123", 0, 1, 1234567890123LL, 1234567890123.0 },
		{ "2.5", 0, 0, 0, 2.5 },
		{ "-1e2", 0, 0, 0, -100 },
		{ "1.5E+1", 0, 0, 0, 15 },
		{ "1e-400", -1, 0, 0, 0 },
		{ "99999999999999999999", -1, 0, 0, 0 },
		{ "00", 0, 1, 0, 0 },	/* one number, then a stray 0 */
		{ "-a", -1, 0, 0, 0 },
	};
	struct json_in in;
	long long ll;
	double d;
	size_t i;
	int is_int;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		in.p = cases[i].in;
		in.end = cases[i].in + strlen(cases[i].in);
		ck_assert_msg(json_read_number(&in, &d, &ll, &is_int) ==
		    cases[i].rc, "case %zu", i);
		if (cases[i].rc == -1)
			continue;
		ck_assert_int_eq(is_int, cases[i].is_int);
		if (is_int)
			ck_assert_int_eq(ll, cases[i].ll);
		ck_assert_double_eq(d, cases[i].d);
	}
}
END_TEST

/* The writer: bytes to JSON text, read back by both readers. */
START_TEST(writer)
{
	static const struct {
		const char	*in;
		size_t		 inlen;
		const char	*out;
	} cases[] = {
		{ S(""), "\"\"" },
		{ S("plain text"), "\"plain text\"" },
		{ S("q\"b\\"), "\"q\\\"b\\\\\"" },
		{ S("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"" },
		{ S("\0\x01\x1f"), "\"\\u0000\\u0001\\u001f\"" },
		{ S("/\x7f\xc3\xa9"), "\"/\x7f\xc3\xa9\"" },
	};
	struct json_in in;
	json_t *v;
	char *buf, *back;
	size_t i, size, len;
	FILE *fp;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_ptr_nonnull(fp = open_memstream(&buf, &size));
		ck_assert_int_eq(json_write_string(fp, cases[i].in,
		    cases[i].inlen), 0);
		ck_assert_int_eq(fclose(fp), 0);
		ck_assert_str_eq(buf, cases[i].out);
		/* jansson reads the same bytes back. */
		ck_assert_ptr_nonnull(v = json_loadb(buf, size,
		    JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL));
		ck_assert_uint_eq(json_string_length(v), cases[i].inlen);
		ck_assert(memcmp(json_string_value(v), cases[i].in,
		    cases[i].inlen) == 0);
		json_decref(v);
		/* The reader gives the bytes back. */
		in.p = buf;
		in.end = buf + size;
		ck_assert_int_eq(json_read_string(&in, 1, &back, &len), 0);
		ck_assert_uint_eq(len, cases[i].inlen);
		ck_assert(memcmp(back, cases[i].in, len) == 0);
		ck_assert(in.p == in.end);
		free(back);
		free(buf);
	}
}
END_TEST

/* The stream scanner ends a value where the reader does. */
START_TEST(scan)
{
	static const char *const cases[] = {
		"{}", "[]", "\"\"", "\"a\\\"}\"", "{\"a\":[1,{\"b\":\"]\"}]}",
		"[\"\\\\\",[[]]]", "{\"k\":\"\\u005d\"}",
	};
	struct json_scan sc;
	struct json_in in;
	size_t i, n, len;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = strlen(cases[i]);
		memset(&sc, 0, sizeof sc);
		for (n = 0; n < len; n++)
			if (json_scan_byte(&sc, (unsigned char)cases[i][n]))
				break;
		in.p = cases[i];
		in.end = cases[i] + len;
		ck_assert_int_eq(json_skip_value(&in), 0);
		ck_assert_msg(n + 1 == (size_t)(in.p - cases[i]),
		    "case %zu: %zu", i, n);
	}
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, documents_verdict);
	tcase_add_test(tc, documents_truncated);
	tcase_add_test(tc, nesting);
	tcase_add_test(tc, strings_decode);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, writer);
	tcase_add_test(tc, scan);
	suite_add_tcase(s, tc);
	return s;
}
