/*
 * check_outparse: unit tests of the parser of what a test reports on its
 * stdout (TAP and piglit lines), including the way stdout arrives in
 * arbitrary chunks and the rules that combine the report with the exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "exec/outparse.h"
#include "unit.h"

/* Parse s in chunks of at most chunk bytes (0: one feed), then finish. */
static void
parse_chunked(struct outparse *p, const char *s, size_t len, size_t chunk)
{
	size_t	off, n;

	outparse_init(p);
	if (chunk == 0)
		chunk = len;
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		ck_assert_int_eq(outparse_feed(p, s + off, n), 0);
	}
	ck_assert_int_eq(outparse_finish(p), 0);
}

/* Parse a NUL-terminated text in one feed. */
static void
parse(struct outparse *p, const char *s)
{
	parse_chunked(p, s, strlen(s), 0);
}

/* The status of subtest name, or -1 when there is none. */
static int
sub(const struct outparse *p, const char *name)
{
	size_t	i;

	for (i = 0; i < p->nsubtests; i++) {
		if (strcmp(p->subtests[i].name, name) == 0)
			return p->subtests[i].status;
	}
	return -1;
}

/* Assert that two parsers ended with the same report. */
static void
assert_same(const struct outparse *a, const struct outparse *b)
{
	size_t	i;

	ck_assert_int_eq(a->has_result, b->has_result);
	if (a->has_result)
		ck_assert_int_eq(a->result, b->result);
	ck_assert_uint_eq(a->nsubtests, b->nsubtests);
	for (i = 0; i < a->nsubtests; i++) {
		ck_assert_str_eq(a->subtests[i].name, b->subtests[i].name);
		ck_assert_int_eq(a->subtests[i].status, b->subtests[i].status);
	}
	ck_assert_int_eq(a->tap_planned, b->tap_planned);
	ck_assert_int_eq(a->tap_seen, b->tap_seen);
	ck_assert_int_eq(a->tap_bailout, b->tap_bailout);
	ck_assert_int_eq(a->note == NULL, b->note == NULL);
	if (a->note != NULL)
		ck_assert_str_eq(a->note, b->note);
	ck_assert_int_eq(outparse_status(a, PRUN_PASS),
	    outparse_status(b, PRUN_PASS));
}

/* A value a row of a table does not check. */
#define ANY	(-2)
/* The result a row wants when the output reported none. */
#define NONE	(-1)

/* One subtest a parser should have, in order; status ANY: not checked. */
struct want_sub {
	const char	*name;
	int		 status;
};

/* Assert that p has exactly the n subtests of want, in order. */
static void
assert_subs(const struct outparse *p, const struct want_sub *want, size_t n)
{
	size_t	i;

	ck_assert_uint_eq(p->nsubtests, n);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(p->subtests[i].name, want[i].name);
		if (want[i].status != ANY)
			ck_assert_int_eq(p->subtests[i].status, want[i].status);
	}
}

/* The arguments want, n of assert_subs from a list of { name, status }. */
#define SUBS(...)	(const struct want_sub[]){ __VA_ARGS__ },	\
	sizeof (const struct want_sub[]){ __VA_ARGS__ } /		\
	sizeof (struct want_sub)

START_TEST(test_plan_all_ok)
{
	struct outparse	p;

	parse(&p, "TAP version 13\n1..3\nok 1 - first\nok 2 - second\n"
	    "ok 3 third\n");
	ck_assert_int_eq(p.tap_planned, 3);
	ck_assert_int_eq(p.tap_seen, 3);
	ck_assert_int_eq(p.has_result, 0);
	ck_assert_ptr_null(p.note);
	assert_subs(&p, SUBS({ "first", ANY }, { "second", ANY },
	    { "third", PRUN_PASS }));
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_PASS);
	outparse_free(&p);
}
END_TEST

START_TEST(test_points_forms)
{
	struct outparse	p;

	parse(&p, "ok\nnot ok\nok 7\nnot ok 8 - bad one  \t\nok - dash\n"
	    "not ok\tno number\nok 11 -\nok 12 -notstripped\n");
	ck_assert_int_eq(p.tap_planned, -1);
	ck_assert_int_eq(p.tap_seen, 8);
	assert_subs(&p, SUBS({ "1", PRUN_PASS }, { "2", PRUN_FAIL },
	    { "7", ANY }, { "bad one", PRUN_FAIL }, { "dash", ANY },
	    { "no number", PRUN_FAIL }, { "11", ANY },
	    { "-notstripped", ANY }));
	/* No plan is no error: only a plan can be broken. */
	ck_assert_ptr_null(p.note);
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_FAIL);
	outparse_free(&p);
}
END_TEST

START_TEST(test_not_points)
{
	struct outparse	p;

	parse(&p, "okay\nok\xc3\xa9\nnotok 1\nnot okay\n  ok 1 - nested\n"
	    "\tnot ok 2\n# ok 3\nOK 4\nNot ok 5\nokok\n1..\n1..x\n1..3x\n"
	    "Bail out\nPIGLIT:{\"result\": \"fail\"}\n piglit\n"
	    " PIGLIT: {\"result\": \"fail\"}\n\n");
	ck_assert_uint_eq(p.nsubtests, 0);
	ck_assert_int_eq(p.tap_seen, 0);
	ck_assert_int_eq(p.tap_planned, -1);
	ck_assert_int_eq(p.tap_bailout, 0);
	ck_assert_int_eq(p.has_result, 0);
	ck_assert_ptr_null(p.note);
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_PASS);
	ck_assert_int_eq(outparse_status(&p, PRUN_CRASH), PRUN_CRASH);
	outparse_free(&p);
}
END_TEST

START_TEST(test_nested_tap_ignored)
{
	struct outparse	p;

	parse(&p, "1..1\n    # Subtest: inner\n    1..2\n    ok 1 - a\n"
	    "    not ok 2 - b\n    ---\n    message: x\n    ...\n"
	    "ok 1 - inner\n");
	ck_assert_int_eq(p.tap_planned, 1);
	assert_subs(&p, SUBS({ "inner", PRUN_PASS }));
	ck_assert_ptr_null(p.note);
	outparse_free(&p);
}
END_TEST

START_TEST(test_directives)
{
	struct outparse	p;

	parse(&p, "1..10\n"
	    "ok 1 - a # SKIP no GPU\n"
	    "ok 2 - b # skip\n"
	    "not ok 3 - c # Skip broken\n"
	    "ok 4 # skipped: old kernel\n"
	    "ok 5 - e # TODO not yet\n"
	    "not ok 6 - f # TODO known bug\n"
	    "not ok 7 - g # todo\n"
	    "not ok 8 - h # todos are not directives\n"
	    "ok 9 - i \\# SKIP escaped\n"
	    "not ok 10 - j #TODO\n");
	assert_subs(&p, SUBS({ "a", PRUN_SKIP }, { "b", PRUN_SKIP },
	    { "c", PRUN_SKIP }, { "# skipped: old kernel", PRUN_PASS },
	    { "e", PRUN_PASS },
	    { "f", PRUN_SKIP }, { "g", PRUN_SKIP },
	    { "h # todos are not directives", PRUN_FAIL },
	    { "i # SKIP escaped", PRUN_PASS }, { "j", PRUN_SKIP }));
	ck_assert_ptr_null(p.note);
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_FAIL);
	outparse_free(&p);

	/* An expected failure is not a failure. */
	parse(&p, "1..2\nok 1\nnot ok 2 # TODO flaky\n");
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_PASS);
	outparse_free(&p);
}
END_TEST

START_TEST(test_bail_out)
{
	struct outparse	p;

	parse(&p, "1..5\nok 1 - a\nBail out!  no device \nok 2 - b\n"
	    "not ok 3 - c\nBail out! again\n");
	ck_assert_int_eq(p.tap_bailout, 1);
	/* prove counts the points after a bail out too. */
	ck_assert_int_eq(p.tap_seen, 3);
	assert_subs(&p, SUBS({ "a", PRUN_PASS }, { "b", PRUN_PASS },
	    { "c", PRUN_FAIL }));
	ck_assert_ptr_nonnull(p.note);
	ck_assert_ptr_nonnull(strstr(p.note, "Bail out!"));
	ck_assert_ptr_nonnull(strstr(p.note, "no device"));
	ck_assert_ptr_null(strstr(p.note, "again"));
	/* The plan is not the news after a bail out. */
	ck_assert_ptr_null(strstr(p.note, "plan"));
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_FAIL);
	ck_assert_int_eq(outparse_status(&p, PRUN_SKIP), PRUN_FAIL);
	ck_assert_int_eq(outparse_status(&p, PRUN_CRASH), PRUN_CRASH);
	outparse_free(&p);

	parse(&p, "Bail out!\n");
	ck_assert_int_eq(p.tap_bailout, 1);
	ck_assert_str_eq(p.note, "TAP: Bail out!");
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_FAIL);
	outparse_free(&p);
}
END_TEST

/*
 * What a parser makes of an output, and the status it gives a test that
 * exited with exit: status, result (the report's own, NONE), planned
 * (tap_planned) and noted (whether there is a note, and note, a part of
 * it); ANY (or a NULL note) is not checked.
 */
static const struct {
	const char	*in;
	int		 exit, status, result, planned, noted;
	const char	*note;
} reports[] = {
	/* Too few points. */
	{ "1..3\nok 1\nok 2\n", PRUN_PASS, PRUN_FAIL, ANY, ANY, 1, "1..3" },
	/* A number beyond the plan, even with the right count. */
	{ "1..2\nok 1\nok 5\n", PRUN_PASS, PRUN_FAIL, ANY, ANY, 1, "5" },
	/* Too many points. */
	{ "1..1\nok\nok\n", PRUN_PASS, PRUN_FAIL, ANY, ANY, 1, NULL },
	/* A plan and nothing else. */
	{ "1..4\n", PRUN_PASS, PRUN_FAIL, ANY, ANY, 1, NULL },
	/* A trailing plan is as good as a leading one. */
	{ "ok 1 - a\nnot ok 2 - b # TODO\n1..2\n", PRUN_PASS, PRUN_PASS, ANY,
	    2, 0, NULL },
	/* A trailing plan that a number exceeds. */
	{ "ok 1\nok 9\n1..2\n", PRUN_PASS, ANY, ANY, ANY, 1, NULL },
	/* Two plans. */
	{ "1..1\nok 1\n1..1\n", PRUN_PASS, ANY, ANY, 1, 1, NULL },
	/* A plan with a comment. */
	{ "1..1 # one test\nok 1\n", PRUN_PASS, ANY, ANY, 1, 0, NULL },

	/* Skip-all plans; reporting skip does not hide a failing exit. */
	{ "1..0 # SKIP no hardware\n", PRUN_PASS, PRUN_SKIP, PRUN_SKIP, 0, 0,
	    NULL },
	{ "1..0 # SKIP no hardware\n", PRUN_FAIL, PRUN_FAIL, PRUN_SKIP, 0, 0,
	    NULL },
	{ "1..0 # skip\n", PRUN_PASS, ANY, PRUN_SKIP, ANY, ANY, NULL },
	{ "1..0\n", PRUN_PASS, ANY, PRUN_SKIP, ANY, ANY, NULL },
	/* Points after a skip-all plan break it. */
	{ "1..0 # SKIP\nok 1\n", PRUN_PASS, PRUN_FAIL, ANY, ANY, 1, NULL },

	/* Piglit's result line; dmesg-fail is its own status. */
	{ "PIGLIT: {\"result\": \"pass\"}\n", PRUN_PASS, PRUN_PASS, PRUN_PASS,
	    ANY, ANY, NULL },
	{ "PIGLIT: {\"result\": \"skip\"}\n", PRUN_PASS, PRUN_SKIP, ANY, ANY,
	    ANY, NULL },
	{ "PIGLIT: {\"result\": \"dmesg-fail\"}\n", PRUN_PASS, ANY,
	    PRUN_DMESG_FAIL,
	    ANY, ANY, NULL },
	/* Two result lines: the worse one stands. */
	{ "PIGLIT: {\"result\": \"fail\"}\nPIGLIT: {\"result\": \"pass\"}\n",
	    PRUN_PASS, ANY, PRUN_FAIL, ANY, ANY, NULL },
	/* Surrounding whitespace is still one JSON object. */
	{ "PIGLIT:  {\"result\": \"fail\"}  \n", PRUN_PASS, ANY, PRUN_FAIL,
	    ANY, ANY, NULL },

	/* Nothing reported: the exit decides. */
	{ "hello\n", PRUN_PASS, PRUN_PASS, ANY, ANY, ANY, NULL },
	{ "hello\n", PRUN_SKIP, PRUN_SKIP, ANY, ANY, ANY, NULL },
	{ "hello\n", PRUN_FAIL, PRUN_FAIL, ANY, ANY, ANY, NULL },
	{ "hello\n", PRUN_TIMEOUT, PRUN_TIMEOUT, ANY, ANY, ANY, NULL },
	/* Only skipped subtests and exit 0: skip. */
	{ "1..2\nok 1 # SKIP\nok 2 # SKIP\n", PRUN_PASS, PRUN_SKIP, ANY, ANY,
	    ANY, NULL },
	{ "1..2\nok 1 # SKIP\nok 2 # SKIP\n", PRUN_FAIL, PRUN_FAIL, ANY, ANY,
	    ANY, NULL },
	/* Pass and skip: pass. */
	{ "1..2\nok 1\nok 2 # SKIP\n", PRUN_PASS, PRUN_PASS, ANY, ANY, ANY,
	    NULL },
	/* A failing subtest fails a test that exited 0. */
	{ "1..2\nok 1\nnot ok 2\n", PRUN_PASS, PRUN_FAIL, ANY, ANY, ANY, NULL },
	/* Exit 77 with passing subtests: the worst of both. */
	{ "ok 1\n", PRUN_SKIP, PRUN_PASS, ANY, ANY, ANY, NULL },
	/* A test that passes its report cannot hide a crash or a timeout. */
	{ "PIGLIT: {\"result\": \"pass\"}\n", PRUN_CRASH, PRUN_CRASH, ANY, ANY,
	    ANY, NULL },
	{ "PIGLIT: {\"result\": \"pass\"}\n", PRUN_TIMEOUT, PRUN_TIMEOUT, ANY,
	    ANY, ANY, NULL },
	{ "PIGLIT: {\"result\": \"pass\"}\n", PRUN_FAIL, PRUN_FAIL, ANY, ANY,
	    ANY, NULL },
	/* Warn reported, exit 0: warn. */
	{ "PIGLIT: {\"result\": \"warn\"}\nok 1\n", PRUN_PASS, PRUN_WARN, ANY,
	    ANY, ANY, NULL },
	/* Reported skip overall but a subtest failed: fail. */
	{ "PIGLIT: {\"result\": \"skip\"}\n"
	    "PIGLIT: {\"subtest\": {\"s\": \"fail\"}}\n", PRUN_PASS, PRUN_FAIL,
	    ANY, ANY, ANY, NULL },
	/* A note forces fail even when every subtest passed. */
	{ "1..3\nok 1\nok 2\n", PRUN_PASS, PRUN_FAIL, ANY, ANY, ANY, NULL },
	{ "1..3\nok 1\nok 2\n", PRUN_SKIP, PRUN_FAIL, ANY, ANY, ANY, NULL },
	{ "1..3\nok 1\nok 2\n", PRUN_INCOMPLETE, PRUN_INCOMPLETE, ANY, ANY, ANY,
	    NULL },
};

/* One row of reports (a loop test: _i is the row). */
START_TEST(test_reports)
{
	struct outparse	p;

	parse(&p, reports[_i].in);
	if (reports[_i].status != ANY)
		ck_assert_int_eq(outparse_status(&p, reports[_i].exit),
		    reports[_i].status);
	if (reports[_i].result == NONE)
		ck_assert_int_eq(p.has_result, 0);
	else if (reports[_i].result != ANY) {
		ck_assert_int_eq(p.has_result, 1);
		ck_assert_int_eq(p.result, reports[_i].result);
	}
	if (reports[_i].planned != ANY)
		ck_assert_int_eq(p.tap_planned, reports[_i].planned);
	if (reports[_i].noted != ANY)
		ck_assert_int_eq(p.note != NULL, reports[_i].noted);
	if (reports[_i].note != NULL)
		ck_assert_ptr_nonnull(strstr(p.note, reports[_i].note));
	outparse_free(&p);
}
END_TEST

/* Plan checks wait for finish: the stream is not over before. */
START_TEST(test_plan_waits_for_finish)
{
	struct outparse	p;

	outparse_init(&p);
	ck_assert_int_eq(outparse_feed(&p, "1..2\nok 1\n", 10), 0);
	ck_assert_ptr_null(p.note);
	ck_assert_int_eq(outparse_finish(&p), 0);
	ck_assert_ptr_nonnull(p.note);
	outparse_free(&p);
}
END_TEST

static const char mixed[] =
    "TAP version 13\r\n"
    "1..6\n"
    "# a comment\n"
    "ok 1 - alpha\r\n"
    "not ok 2 - beta # TODO later\n"
    "ok 3 - gamma # SKIP nope\n"
    "    ok 1 - nested\n"
    "PIGLIT: {\"enumerate subtests\": [\"e1\", \"e2\", \"alpha\"]}\n"
    "PIGLIT: {\"subtest\": {\"e1\": \"dmesg-warn\"}}\r\n"
    "some noise without newline at the end of a long line ok 4\n"
    "ok 4 - d\xff\xfe name\n"
    "PIGLIT: {\"result\": \"pass\"}\n"
    "not ok 5 - alpha\n"
    "PIGLIT: {bad json\n"
    "ok 6";

/* What mixed reports of its subtests (in no particular order). */
static const struct want_sub mixed_subs[] = {
	{ "alpha", PRUN_PASS }, { "alpha (5)", PRUN_FAIL },
	{ "beta", PRUN_SKIP }, { "gamma", PRUN_SKIP },
	{ "e1", PRUN_DMESG_WARN }, { "e2", PRUN_NOTRUN },
	{ "d\xef\xbf\xbd\xef\xbf\xbd name", PRUN_PASS }, { "6", PRUN_PASS },
};

START_TEST(test_split_every_offset)
{
	struct outparse	 whole, part;
	size_t		 len = sizeof mixed - 1, k;

	parse_chunked(&whole, mixed, len, 0);
	ck_assert_int_eq(whole.tap_planned, 6);
	ck_assert_int_eq(whole.tap_seen, 6);
	ck_assert_ptr_null(whole.note);
	for (k = 0; k < sizeof mixed_subs / sizeof mixed_subs[0]; k++) {
		ck_assert_int_eq(sub(&whole, mixed_subs[k].name),
		    mixed_subs[k].status);
	}
	ck_assert_uint_eq(whole.nsubtests, 8);
	ck_assert_int_eq(whole.has_result, 1);
	ck_assert_int_eq(whole.result, PRUN_PASS);
	ck_assert_int_eq(outparse_status(&whole, PRUN_PASS), PRUN_FAIL);

	/* One byte at a time. */
	parse_chunked(&part, mixed, len, 1);
	assert_same(&whole, &part);
	outparse_free(&part);

	/* Two feeds, cut at every offset. */
	for (k = 0; k <= len; k++) {
		outparse_init(&part);
		ck_assert_int_eq(outparse_feed(&part, mixed, k), 0);
		ck_assert_int_eq(outparse_feed(&part, mixed + k, len - k), 0);
		ck_assert_int_eq(outparse_finish(&part), 0);
		assert_same(&whole, &part);
		outparse_free(&part);
	}

	/* Chunks of every size. */
	for (k = 2; k < len; k++) {
		parse_chunked(&part, mixed, len, k);
		assert_same(&whole, &part);
		outparse_free(&part);
	}
	outparse_free(&whole);
}
END_TEST

START_TEST(test_crlf)
{
	struct outparse	p;

	parse(&p, "1..2\r\nok 1 - a\r\nnot ok 2 - b # SKIP why\r\n"
	    "PIGLIT: {\"result\": \"warn\"}\r\n");
	ck_assert_int_eq(p.tap_planned, 2);
	ck_assert_ptr_null(p.note);
	assert_subs(&p, SUBS({ "a", ANY }, { "b", PRUN_SKIP }));
	ck_assert_int_eq(p.has_result, 1);
	ck_assert_int_eq(p.result, PRUN_WARN);
	outparse_free(&p);

	/* "ok\r" is a point without a description. */
	parse(&p, "ok\r\n");
	assert_subs(&p, SUBS({ "1", ANY }));
	outparse_free(&p);
}
END_TEST

START_TEST(test_overlong_line)
{
	struct outparse	 p, q;
	size_t		 big = 64 * 1024 + 1, len, off;
	char		*buf;

	/* "not ok 1 - xxx...x\nok 2 - after\n", the first line too long. */
	buf = malloc(big + 64);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, "not ok 1 - ", 11);
	memset(buf + 11, 'x', big - 11);
	len = big;
	memcpy(buf + len, "\nok 2 - after\n", 14);
	len += 14;

	parse_chunked(&p, buf, len, 0);
	assert_subs(&p, SUBS({ "after", ANY }));
	ck_assert_int_eq(p.tap_seen, 1);
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_PASS);
	outparse_free(&p);

	/* Fed in pieces: the flag is up while the line is being dropped. */
	outparse_init(&q);
	for (off = 0; off < big; off += 4096) {
		ck_assert_int_eq(outparse_feed(&q, buf + off,
		    big - off < 4096 ? big - off : 4096), 0);
	}
	ck_assert_int_eq(q.line_overflow, 1);
	ck_assert_int_eq(outparse_feed(&q, buf + big, len - big), 0);
	ck_assert_int_eq(q.line_overflow, 0);
	ck_assert_int_eq(outparse_finish(&q), 0);
	assert_subs(&q, SUBS({ "after", ANY }));
	outparse_free(&q);

	/* An overlong last line without '\n' is dropped by finish too. */
	parse_chunked(&p, buf, big, 1000);
	ck_assert_uint_eq(p.nsubtests, 0);
	ck_assert_int_eq(p.line_overflow, 0);
	outparse_free(&p);

	/* Exactly 64 KiB is still a line. */
	big = 64 * 1024;
	memcpy(buf + big, "\n", 1);
	parse_chunked(&p, buf, big + 1, 0);
	ck_assert_uint_eq(p.nsubtests, 1);
	ck_assert_int_eq(p.subtests[0].status, PRUN_FAIL);
	ck_assert_uint_eq(strlen(p.subtests[0].name), big - 11);
	outparse_free(&p);
	parse_chunked(&p, buf, big + 1, 333);
	ck_assert_uint_eq(p.nsubtests, 1);
	ck_assert_uint_eq(strlen(p.subtests[0].name), big - 11);
	outparse_free(&p);
	free(buf);
}
END_TEST

START_TEST(test_finish_flushes_last_line)
{
	struct outparse	p;

	outparse_init(&p);
	ck_assert_int_eq(outparse_feed(&p, "ok 1 - a\nnot ok 2 - b", 21), 0);
	ck_assert_uint_eq(p.nsubtests, 1);
	ck_assert_int_eq(outparse_finish(&p), 0);
	assert_subs(&p, SUBS({ "a", ANY }, { "b", PRUN_FAIL }));
	outparse_free(&p);
}
END_TEST

START_TEST(test_piglit)
{
	struct outparse	p;

	parse(&p, "PIGLIT: {\"subtest\": {\"one\": \"pass\", "
	    "\"two\": \"dmesg-warn\"}}\n"
	    "PIGLIT: {\"subtest\": {\"three\": \"crash\"}, \"other\": 1}\n"
	    "PIGLIT: {\"subtest\": {\"four\": \"nonsense\", \"five\": 3}}\n"
	    "PIGLIT: {\"result\": \"pass\"}\n");
	assert_subs(&p, SUBS({ "one", PRUN_PASS }, { "two", PRUN_DMESG_WARN },
	    { "three", PRUN_CRASH }));
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_CRASH);
	outparse_free(&p);
}
END_TEST

START_TEST(test_enumerate_notrun)
{
	struct outparse	p;

	parse(&p, "PIGLIT: {\"enumerate subtests\": [\"a\", \"b\", 5, \"c\"]}\n"
	    "PIGLIT: {\"subtest\": {\"b\": \"pass\"}}\n"
	    "PIGLIT: {\"subtest\": {\"c\": \"skip\"}}\n"
	    "PIGLIT: {\"subtest\": {\"d\": \"pass\"}}\n"
	    "PIGLIT: {\"enumerate subtests\": [\"b\", \"e\"]}\n");
	/* A report replaces the declaration even when skip < notrun (c). */
	assert_subs(&p, SUBS({ "a", PRUN_NOTRUN }, { "b", PRUN_PASS },
	    { "c", PRUN_SKIP }, { "d", ANY }, { "e", PRUN_NOTRUN }));
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_PASS);
	outparse_free(&p);

	/* Declared and never run: notrun, which is not a failure. */
	parse(&p, "PIGLIT: {\"enumerate subtests\": [\"x\"]}\n");
	ck_assert_int_eq(sub(&p, "x"), PRUN_NOTRUN);
	ck_assert_int_eq(outparse_status(&p, PRUN_CRASH), PRUN_CRASH);
	outparse_free(&p);
}
END_TEST

START_TEST(test_duplicates_keep_worst)
{
	struct outparse	p;

	/* PIGLIT: lines update a name; TAP points are each their own. */
	parse(&p, "ok 1 - same\nnot ok 2 - same\n"
	    "PIGLIT: {\"subtest\": {\"same\": \"warn\"}}\n"
	    "PIGLIT: {\"subtest\": {\"p\": \"crash\"}}\n"
	    "PIGLIT: {\"subtest\": {\"p\": \"warn\"}}\n"
	    "PIGLIT: {\"subtest\": {\"P\": \"pass\"}}\n"
	    "PIGLIT: {\"subtest\": {\"same (2)\": \"skip\"}}\n");
	assert_subs(&p, SUBS({ "same", PRUN_WARN }, { "same (2)", PRUN_FAIL },
	    { "p", PRUN_CRASH }, { "P", PRUN_PASS }));
	outparse_free(&p);
}
END_TEST

START_TEST(test_many_subtests)
{
	struct outparse	 p;
	char		 line[64];
	int		 i, n;

	/* Enough names to grow the index several times, each seen twice. */
	outparse_init(&p);
	for (i = 0; i < 5000; i++) {
		n = snprintf(line, sizeof line,
		    "PIGLIT: {\"subtest\": {\"t%d\": \"pass\"}}\n", i);
		ck_assert_int_eq(outparse_feed(&p, line, n), 0);
	}
	for (i = 0; i < 5000; i += 7) {
		n = snprintf(line, sizeof line,
		    "PIGLIT: {\"subtest\": {\"t%d\": \"fail\"}}\n", i);
		ck_assert_int_eq(outparse_feed(&p, line, n), 0);
	}
	ck_assert_int_eq(outparse_finish(&p), 0);
	ck_assert_uint_eq(p.nsubtests, 5000);
	for (i = 0; i < 5000; i++) {
		snprintf(line, sizeof line, "t%d", i);
		ck_assert_str_eq(p.subtests[i].name, line);
		ck_assert_int_eq(p.subtests[i].status,
		    i % 7 == 0 ? PRUN_FAIL : PRUN_PASS);
	}
	outparse_free(&p);
}
END_TEST

/*
 * TAP streams, the names prun gives their points ('|' between them) and
 * the counts Debian's prove 3.44 gives for them (TAP::Parser's tests_run,
 * skipped, todo; tests/shell/tap_prove.sh checks the same kinds of
 * stream against prove itself).
 */
static const struct {
	const char	*in;
	const char	*names;
	size_t		 points, skipped, todo;
} tap_streams[] = {
	/* Repeats get their number; the first keeps its name; case. */
	{ "1..6\nok 1 - a\nok 2 - a\nnot ok 3 - A\nok 4 - a (2)\nok - a\n"
	    "ok 6 - b\n",
	    "a|a (2)|A (3)|a (2) (4)|a (5)|b", 6, 0, 0 },
	/* The example of the manual. */
	{ "ok 1 - setup\nok 2 - Setup\nok - setup\n",
	    "setup|Setup (2)|setup (3)", 3, 0, 0 },
	/* A name in the way of "DESC (N)": the ordinal, then a counter. */
	{ "ok 1 - x\nok 2 - x (1)\nok 1 - x\nok 1 - x\n",
	    "x|x (1)|x (1, 3)|x (1, 4)", 4, 0, 0 },
	{ "ok 1 - y\nok 2 - y (1, 4)\nok 3 - y (1)\nok 1 - y\n",
	    "y|y (1, 4)|y (1)|y (1, 4, 2)", 4, 0, 0 },
	/* Empty descriptions and descriptions that are only a number. */
	{ "ok 1\nok 2 - 1\nok\nok 4 -\nok 5 - 4\nok 6 -  \nok 6\n",
	    "1|1 (2)|3|4|4 (5)|6|6 (6)", 7, 0, 0 },
	/* Without case beyond ASCII, as Python's str.lower(). */
	{ "ok 1 - \xc3\x89t\xc3\xa9\nok 2 - \xc3\xa9T\xc3\x89\n"
	    "ok 3 - \xce\x94\xce\xa3\nok 4 - \xce\xb4\xcf\x83\n"
	    "ok 5 - \xd0\x96\xd0\x81\nok 6 - \xd0\xb6\xd1\x91\n"
	    "ok 7 - \xc5\xb8\xc4\x80\nok 8 - \xc3\xbf\xc4\x81\n"
	    "ok 9 - \xc4\xb0\nok 10 - i\n",
	    "\xc3\x89t\xc3\xa9|\xc3\xa9T\xc3\x89 (2)|"
	    "\xce\x94\xce\xa3|\xce\xb4\xcf\x83 (4)|"
	    "\xd0\x96\xd0\x81|\xd0\xb6\xd1\x91 (6)|"
	    "\xc5\xb8\xc4\x80|\xc3\xbf\xc4\x81 (8)|\xc4\xb0|i", 10, 0, 0 },
	/* Directives in any case, and escaped. */
	{ "1..8\nok 1 - a # todo later\nnot ok 2 - a # ToDo\n"
	    "ok 3 - a \\# TODO not one\nnot ok 4 - a # sKiP\n"
	    "ok 5 - a \\\\# SKIP one\nok 6 - a # skipped: old\n"
	    "not ok 7 - a #TODO\nok 8 - a \\# \\\\\n",
	    "a|a (2)|a # TODO not one|a (4)|a \\|a # skipped: old|a (7)|"
	    "a # \\", 8, 2, 3 },
	/* A plan at the end. */
	{ "ok 1 - p\nnot ok 2 - p # TODO\n1..2\n", "p|p (2)", 2, 0, 1 },
	/* Skip all. */
	{ "1..0 # SKIP no hardware\n", "", 0, 0, 0 },
	/* TAP 13 with YAML blocks, whose lines are no points. */
	{ "TAP version 13\n1..2\nnot ok 1 - y\n  ---\n  message: |\n"
	    "    ok 3 - y\n  at: x\n  ...\nok 2 - y\n",
	    "y|y (2)", 2, 0, 0 },
	/* TAP 14 subtests: only the top-level points count. */
	{ "TAP version 14\n1..2\n# Subtest: s\n    1..2\n    ok 1 - x\n"
	    "    ok 2 - x\nok 1 - s\n    # Subtest: s\n    ok 1 - x\n"
	    "    1..1\n    ---\n    a: 1\n    ...\nok 2 - s\n",
	    "s|s (2)", 2, 0, 0 },
	/* Pragmas are not points. */
	{ "TAP version 13\npragma +strict\n1..2\nok 1 - q\npragma -strict\n"
	    "ok 2 - q\n", "q|q (2)", 2, 0, 0 },
	/* Points after a bail out count, as prove counts them. */
	{ "1..4\nok 1 - b\nok 2 - b # SKIP\nBail out! stop\nok 3 - b\n",
	    "b|b (2)|b (3)", 3, 1, 0 },
	/* No plan. */
	{ "ok - n\nok - n\nnot ok - n # TODO\n", "n|n (2)|n (3)", 3, 0, 1 },
	/* Numbers out of order or missing. */
	{ "1..4\nok 3 - o\nok 1 - o\nok - o\nok 4 - o\n",
	    "o|o (1)|o (3)|o (4)", 4, 0, 0 },
	{ "1..3\nok 1 - m\nok 3 - m\n", "m|m (3)", 2, 0, 0 },
};

/* One row of tap_streams (a loop test: _i is the row). */
START_TEST(test_tap_streams)
{
	struct outparse	 p;
	const char	*want = tap_streams[_i].names, *bar;
	size_t		 i, len, skipped = 0, todo = 0;

	parse(&p, tap_streams[_i].in);
	for (i = 0; i < p.nsubtests; i++) {
		ck_assert_msg(*want != '\0', "more subtests than names: %s",
		    p.subtests[i].name);
		bar = strchr(want, '|');
		len = bar != NULL ? (size_t)(bar - want) : strlen(want);
		ck_assert_msg(strlen(p.subtests[i].name) == len &&
		    memcmp(p.subtests[i].name, want, len) == 0,
		    "subtest %zu is '%s', not '%.*s'", i, p.subtests[i].name,
		    (int)len, want);
		want += bar != NULL ? len + 1 : len;
		if (p.subtests[i].todo)
			todo++;
		else if (p.subtests[i].status == PRUN_SKIP)
			skipped++;
	}
	ck_assert_str_eq(want, "");
	ck_assert_uint_eq(p.nsubtests + p.dropped, tap_streams[_i].points);
	ck_assert_uint_eq(skipped, tap_streams[_i].skipped);
	ck_assert_uint_eq(todo, tap_streams[_i].todo);
	outparse_free(&p);
}
END_TEST

/* TODO points are marked, and only they; their verdicts are their own. */
START_TEST(test_todo_marked)
{
	struct outparse	p;

	parse(&p, "1..4\nok 1 - a # TODO\nnot ok 2 - b # todo why\n"
	    "ok 3 - c # SKIP\nnot ok 4 - d\n");
	assert_subs(&p, SUBS({ "a", PRUN_PASS }, { "b", PRUN_SKIP },
	    { "c", PRUN_SKIP }, { "d", PRUN_FAIL }));
	ck_assert_int_eq(p.subtests[0].todo, 1);
	ck_assert_int_eq(p.subtests[1].todo, 1);
	ck_assert_int_eq(p.subtests[2].todo, 0);
	ck_assert_int_eq(p.subtests[3].todo, 0);
	outparse_free(&p);

	/* A declared name taken over by a TODO point is marked too. */
	parse(&p, "PIGLIT: {\"enumerate subtests\": [\"e\"]}\n"
	    "not ok 1 - e # TODO\nok 2 - e\n");
	assert_subs(&p, SUBS({ "e", PRUN_SKIP }, { "e (2)", PRUN_PASS }));
	ck_assert_int_eq(p.subtests[0].todo, 1);
	ck_assert_int_eq(p.subtests[1].todo, 0);
	outparse_free(&p);
}
END_TEST

/* Repeated descriptions stop at the cap like any other subtest. */
START_TEST(test_repeats_capped)
{
	struct outparse	 p;
	const char	*line;
	size_t		 n = OUTPARSE_SUBTESTS_MAX + 5, i;

	outparse_init(&p);
	for (i = 0; i < n; i++) {
		line = i + 1 == n ? "not ok - same\n" : "ok - same\n";
		ck_assert_int_eq(outparse_feed(&p, line, strlen(line)), 0);
	}
	ck_assert_int_eq(outparse_finish(&p), 0);
	ck_assert_uint_eq(p.nsubtests, OUTPARSE_SUBTESTS_MAX);
	ck_assert_uint_eq(p.dropped, 5);
	ck_assert_str_eq(p.subtests[0].name, "same");
	ck_assert_str_eq(p.subtests[1].name, "same (2)");
	ck_assert_str_eq(p.subtests[OUTPARSE_SUBTESTS_MAX - 1].name,
	    "same (100000)");
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_FAIL);
	outparse_free(&p);
}
END_TEST

/*
 * Names that are equal without case share a hash of that index: 65,536
 * "PIGLIT:" names in every mix of case must not make one probe sequence
 * that every new name walks (minutes, where this takes a fraction of a
 * second; the tcase's timeout is the check).
 */
START_TEST(test_case_variants_fast)
{
	struct outparse	 p;
	char		 line[128], word[17];
	size_t		 i, k, n = (size_t)1 << 16;
	int		 len;

	outparse_init(&p);
	for (i = 0; i < n; i++) {
		for (k = 0; k < 16; k++)
			word[k] = (char)((i >> k & 1 ? 'A' : 'a') + k);
		word[16] = '\0';
		len = snprintf(line, sizeof line,
		    "PIGLIT: {\"subtest\": {\"%s\": \"pass\"}}\n", word);
		ck_assert_int_eq(outparse_feed(&p, line, (size_t)len), 0);
	}
	ck_assert_int_eq(outparse_feed(&p, "ok 1 - ABCDEFGHIJKLMNOP\n", 24),
	    0);
	ck_assert_int_eq(outparse_finish(&p), 0);
	ck_assert_uint_eq(p.nsubtests, n + 1);
	ck_assert_str_eq(p.subtests[n].name, "ABCDEFGHIJKLMNOP (1)");
	outparse_free(&p);
}
END_TEST

START_TEST(test_invalid_utf8_names)
{
	static const char	 in[] = "ok 1 - a\xff" "b\n"
	    "ok 2 - \xc3\xa9t\xc3\xa9\n"
	    "ok 3 - \xc0\xaf\n"
	    "ok 4 - x\0y\n";
	struct outparse		 p;

	parse_chunked(&p, in, sizeof in - 1, 0);
	/* A NUL byte must not cut the name short (x?y). */
	assert_subs(&p, SUBS({ "a\xef\xbf\xbd" "b", ANY },
	    { "\xc3\xa9t\xc3\xa9", ANY },
	    { "\xef\xbf\xbd\xef\xbf\xbd", ANY }, { "x?y", ANY }));
	outparse_free(&p);

	/* jansson rejects invalid UTF-8, so the line is not a report. */
	parse(&p, "PIGLIT: {\"subtest\": {\"a\xff\": \"fail\"}}\n"
	    "PIGLIT: {\"subtest\": {\"\\u00e9\": \"pass\"}}\n");
	assert_subs(&p, SUBS({ "\xc3\xa9", ANY }));
	outparse_free(&p);
}
END_TEST

START_TEST(test_bad_json_ignored)
{
	struct outparse	p;

	parse(&p, "PIGLIT: {\n"
	    "PIGLIT: \n"
	    "PIGLIT: [\"result\", \"fail\"]\n"
	    "PIGLIT: \"fail\"\n"
	    "PIGLIT: {\"result\": 4}\n"
	    "PIGLIT: {\"result\": \"bogus\"}\n"
	    "PIGLIT: {\"result\": \"fail\"} trailing\n"
	    "PIGLIT: {\"result\": \"fail\"}{\"result\": \"fail\"}\n"
	    "PIGLIT: {\"subtest\": [\"a\", \"fail\"]}\n"
	    "PIGLIT: {\"subtest\": \"fail\"}\n"
	    "PIGLIT: {\"enumerate subtests\": \"a\"}\n"
	    "PIGLIT: {\"result\": \"fail\", }\n");
	ck_assert_int_eq(p.has_result, 0);
	ck_assert_uint_eq(p.nsubtests, 0);
	ck_assert_ptr_null(p.note);
	ck_assert_int_eq(outparse_status(&p, PRUN_PASS), PRUN_PASS);
	outparse_free(&p);
}
END_TEST

START_TEST(test_take_subtests)
{
	struct outparse		 p;
	struct prun_subtest	*s;
	size_t			 n, i;

	parse(&p, "ok 1 - a\nnot ok 2 - b\n");
	s = outparse_take_subtests(&p, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s[0].name, "a");
	ck_assert_int_eq(s[1].status, PRUN_FAIL);
	ck_assert_uint_eq(p.nsubtests, 0);
	ck_assert_ptr_null(p.subtests);

	/* The parser still works after the hand-over, with a fresh index. */
	ck_assert_int_eq(outparse_feed(&p, "ok 3 - a\n", 9), 0);
	ck_assert_uint_eq(p.nsubtests, 1);
	ck_assert_str_eq(p.subtests[0].name, "a");
	outparse_free(&p);
	ck_assert_ptr_null(p.subtests);
	ck_assert_ptr_null(p.note);
	outparse_free(&p);	/* freeing twice is harmless */

	for (i = 0; i < n; i++)
		free(s[i].name);
	free(s);

	outparse_init(&p);
	s = outparse_take_subtests(&p, &n);
	ck_assert_uint_eq(n, 0);
	free(s);
	outparse_free(&p);
}
END_TEST

/* All the tests of the outparse module. */
Suite *
unit_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("outparse");
	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_plan_all_ok);
	tcase_add_test(tc, test_points_forms);
	tcase_add_test(tc, test_not_points);
	tcase_add_test(tc, test_nested_tap_ignored);
	tcase_add_test(tc, test_directives);
	tcase_add_test(tc, test_bail_out);
	tcase_add_loop_test(tc, test_reports, 0,
	    sizeof reports / sizeof reports[0]);
	tcase_add_test(tc, test_plan_waits_for_finish);
	tcase_add_test(tc, test_split_every_offset);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_overlong_line);
	tcase_add_test(tc, test_finish_flushes_last_line);
	tcase_add_test(tc, test_piglit);
	tcase_add_test(tc, test_enumerate_notrun);
	tcase_add_test(tc, test_duplicates_keep_worst);
	tcase_add_test(tc, test_many_subtests);
	tcase_add_loop_test(tc, test_tap_streams, 0,
	    sizeof tap_streams / sizeof tap_streams[0]);
	tcase_add_test(tc, test_todo_marked);
	tcase_add_test(tc, test_repeats_capped);
	tcase_add_test(tc, test_invalid_utf8_names);
	tcase_add_test(tc, test_bad_json_ignored);
	tcase_add_test(tc, test_take_subtests);
	suite_add_tcase(s, tc);
	tc = tcase_create("speed");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_case_variants_fast);
	suite_add_tcase(s, tc);
	return s;
}
