/*
 * check_fragment: unit tests of the fragment module: a result survives
 * encode and decode with every field (output with NUL bytes and multi-byte
 * UTF-8, subtests, a missing return code, the interrupted flag, the earlier
 * tries of a test rerun after failing), and decode
 * refuses anything that is not a well-formed fragment, naming the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "store/fragment.h"
#include "store/fragment_json.h"
#include "unit.h"

/* A finished result with every field set; free with result_free. */
static void
full_result(struct prun_result *r)
{
	static const char out[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7"
	    "\0after NUL\n\x1b[31mred\x1b[0m\n";
	static const char errs[] = "\0\0two NULs first\n";

	memset(r, 0, sizeof *r);
	r->index = 123456;
	ck_assert_ptr_nonnull(r->name = strdup("gpu/shaders/\xce\xbb-basic"));
	r->status = PRUN_CRASH;
	r->attempt = 2;
	ck_assert_ptr_nonnull(r->command = strdup("exec ./t --opt='a b'"));
	r->returncode = -11;
	r->has_returncode = 1;
	r->pid = 4194304;
	r->time_start = 1700000000.125;
	r->time_end = 1700000003.5;
	ck_assert_ptr_nonnull(r->out = malloc(sizeof out));
	memcpy(r->out, out, sizeof out);
	r->out_len = sizeof out - 1;
	ck_assert_ptr_nonnull(r->err = malloc(sizeof errs));
	memcpy(r->err, errs, sizeof errs);
	r->err_len = sizeof errs - 1;
	r->nsubtests = 3;
	ck_assert_ptr_nonnull(r->subtests = calloc(3, sizeof *r->subtests));
	ck_assert_ptr_nonnull(r->subtests[0].name = strdup("first"));
	r->subtests[0].status = PRUN_PASS;
	ck_assert_ptr_nonnull(r->subtests[1].name = strdup("\xe2\x9c\x93 two"));
	r->subtests[1].status = PRUN_FAIL;
	ck_assert_ptr_nonnull(r->subtests[2].name = strdup("3"));
	r->subtests[2].status = PRUN_SKIP;
}

/* The status of subtest name in r, or -1. */
static int
subtest_status(const struct prun_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nsubtests; i++)
		if (strcmp(r->subtests[i].name, name) == 0)
			return (int)r->subtests[i].status;
	return -1;
}

/* Assert that two results hold the same record. */
static void
assert_same(const struct prun_result *a, const struct prun_result *b)
{
	size_t i;

	ck_assert_uint_eq(a->index, b->index);
	if (a->name == NULL)	/* an earlier try */
		ck_assert_ptr_null(b->name);
	else
		ck_assert_str_eq(a->name, b->name);
	ck_assert_int_eq(a->status, b->status);
	ck_assert_int_eq(a->attempt, b->attempt);
	ck_assert_int_eq(a->interrupted, b->interrupted);
	if (a->command == NULL)
		ck_assert_ptr_null(b->command);
	else
		ck_assert_str_eq(a->command, b->command);
	ck_assert_int_eq(a->has_returncode, b->has_returncode);
	if (a->has_returncode)
		ck_assert_int_eq(a->returncode, b->returncode);
	ck_assert_int_eq(a->pid, b->pid);
	ck_assert_double_eq(a->time_start, b->time_start);
	ck_assert_double_eq(a->time_end, b->time_end);
	ck_assert_uint_eq(a->out_len, b->out_len);
	ck_assert_mem_eq(a->out ? a->out : "", b->out, a->out_len);
	ck_assert_int_eq(b->out[b->out_len], '\0');
	ck_assert_uint_eq(a->err_len, b->err_len);
	ck_assert_mem_eq(a->err ? a->err : "", b->err, a->err_len);
	ck_assert_int_eq(b->err[b->err_len], '\0');
	ck_assert_uint_eq(a->nsubtests, b->nsubtests);
	for (i = 0; i < a->nsubtests; i++)
		ck_assert_int_eq(subtest_status(b, a->subtests[i].name),
		    (int)a->subtests[i].status);
}

/* Encode r in a backend, decode it back into out, expecting success. */
static void
round_trip_in(const struct prun_result *r, enum prun_backend backend,
    struct prun_result *out)
{
	struct prun_error err;
	char *buf;
	size_t len;

	memset(&err, 0, sizeof err);
	buf = fragment_encode(r, backend, &len, &err);
	ck_assert_msg(buf != NULL, "%s", err.msg);
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(buf[len - 1], '\n');
	ck_assert_msg(fragment_decode(buf, len, backend, "f", out, &err) == 0,
	    "%s", err.msg);
	free(buf);
}

/*
 * Encode r as JSON, decode it back into out, expecting success; the XML
 * fragment of the junit backend must give back the very same result.
 */
static void
round_trip(const struct prun_result *r, struct prun_result *out)
{
	struct prun_result xml;

	size_t i;

	round_trip_in(r, BACKEND_JSON, out);
	round_trip_in(r, BACKEND_JUNIT, &xml);
	assert_same(out, &xml);
	ck_assert_int_eq(out->interrupted, xml.interrupted);
	ck_assert_int_eq(out->flaky, xml.flaky);
	ck_assert_uint_eq(out->ntries, xml.ntries);
	for (i = 0; i < out->ntries; i++) {
		ck_assert_ptr_null(xml.tries[i].name);
		ck_assert_uint_eq(xml.tries[i].index, out->tries[i].index);
		ck_assert_int_eq(xml.tries[i].attempt, out->tries[i].attempt);
		ck_assert_int_eq(xml.tries[i].status, out->tries[i].status);
		ck_assert_int_eq(xml.tries[i].has_returncode,
		    out->tries[i].has_returncode);
		ck_assert_int_eq(xml.tries[i].returncode,
		    out->tries[i].returncode);
		ck_assert_int_eq(xml.tries[i].pid, out->tries[i].pid);
		ck_assert_double_eq(xml.tries[i].time_start,
		    out->tries[i].time_start);
		ck_assert_double_eq(xml.tries[i].time_end,
		    out->tries[i].time_end);
		ck_assert_uint_eq(xml.tries[i].out_len, out->tries[i].out_len);
		ck_assert_mem_eq(xml.tries[i].out, out->tries[i].out,
		    out->tries[i].out_len);
		ck_assert_uint_eq(xml.tries[i].err_len, out->tries[i].err_len);
		ck_assert_mem_eq(xml.tries[i].err, out->tries[i].err,
		    out->tries[i].err_len);
		ck_assert_uint_eq(xml.tries[i].nsubtests,
		    out->tries[i].nsubtests);
	}
	result_free(&xml);
}

/* Every field survives, byte for byte. */
START_TEST(round_trip_full)
{
	struct prun_result r, back;

	full_result(&r);
	round_trip(&r, &back);
	assert_same(&r, &back);
	ck_assert_int_eq(back.interrupted, 0);
	ck_assert_uint_eq(back.out_len, r.out_len);
	ck_assert_int_eq(memchr(back.out, '\0', back.out_len) != NULL, 1);
	ck_assert_int_eq(subtest_status(&back, "\xe2\x9c\x93 two"), PRUN_FAIL);
	result_free(&back);
	result_free(&r);
	/* result_free zeroes, so freeing twice is harmless. */
	result_free(&r);
}
END_TEST

/* A start record: incomplete, no return code, no end, no output, no
 * subtests; and an interrupted one. */
START_TEST(round_trip_start_record)
{
	struct prun_result r, back;

	memset(&r, 0, sizeof r);
	r.index = 0;
	r.name = "a";
	r.status = PRUN_INCOMPLETE;
	r.attempt = 1;
	r.time_start = 1.5;
	round_trip(&r, &back);
	assert_same(&r, &back);
	ck_assert_int_eq(back.has_returncode, 0);
	ck_assert_ptr_null(back.command);
	ck_assert_ptr_nonnull(back.out);
	ck_assert_ptr_null(back.subtests);
	result_free(&back);

	r.interrupted = 1;
	r.attempt = 3;
	r.pid = 77;
	round_trip(&r, &back);
	assert_same(&r, &back);
	ck_assert_int_eq(back.interrupted, 1);
	result_free(&back);
}
END_TEST

/* Every status and every kind of return code survives. */
START_TEST(round_trip_statuses)
{
	static const int codes[] = { 0, 1, 77, 255, -9, -64 };
	struct prun_result r, back;
	enum prun_status s;
	size_t i;

	memset(&r, 0, sizeof r);
	r.name = "s";
	r.attempt = 1;
	r.has_returncode = 1;
	for (s = 0; s < PRUN_NSTATUS; s++) {
		for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
			r.status = s;
			r.index = s * 10 + i;
			r.returncode = codes[i];
			round_trip(&r, &back);
			assert_same(&r, &back);
			result_free(&back);
		}
	}
}
END_TEST

/* A name or output that is not valid UTF-8 cannot be encoded: the error
 * names the test instead of writing a broken file. */
START_TEST(encode_invalid_utf8)
{
	struct prun_result r;
	struct prun_error err;
	size_t len;

	memset(&r, 0, sizeof r);
	r.name = "t";
	r.attempt = 1;
	r.out = "\xff\xfe";
	r.out_len = 2;
	memset(&err, 0, sizeof err);
	ck_assert_ptr_null(fragment_encode(&r, BACKEND_JSON, &len, &err));
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(strstr(err.msg, "test t:") != NULL, "got: %s", err.msg);
}
END_TEST

/* A flaky result: it passed on its third try; the two failed tries are
 * kept with their own status, exit, output, time and subtests. */
START_TEST(round_trip_tries)
{
	struct prun_result r, back;
	size_t i;

	full_result(&r);
	r.status = PRUN_PASS;
	r.returncode = 0;
	r.flaky = 1;
	r.ntries = 2;
	ck_assert_ptr_nonnull(r.tries = calloc(2, sizeof *r.tries));
	full_result(&r.tries[0]);
	full_result(&r.tries[1]);
	for (i = 0; i < 2; i++) {
		free(r.tries[i].name);
		free(r.tries[i].command);
		r.tries[i].name = r.tries[i].command = NULL;
		r.tries[i].index = r.index;
		r.tries[i].attempt = r.attempt;
	}
	r.tries[0].status = PRUN_TIMEOUT;
	r.tries[0].has_returncode = 0;
	r.tries[1].status = PRUN_FAIL;
	r.tries[1].returncode = 3;
	r.tries[1].pid = 77;
	r.tries[1].time_end = 1700000009.25;
	round_trip(&r, &back);
	assert_same(&r, &back);
	ck_assert_int_eq(back.flaky, 1);
	ck_assert_uint_eq(back.ntries, 2);
	ck_assert_int_eq(back.tries[0].status, PRUN_TIMEOUT);
	ck_assert_int_eq(back.tries[0].has_returncode, 0);
	ck_assert_int_eq(back.tries[1].status, PRUN_FAIL);
	ck_assert_int_eq(back.tries[1].returncode, 3);
	ck_assert_int_eq(back.tries[1].pid, 77);
	ck_assert_double_eq(back.tries[1].time_end, 1700000009.25);
	ck_assert_uint_eq(back.tries[0].out_len, r.out_len);
	ck_assert_mem_eq(back.tries[0].out, r.out, r.out_len);
	ck_assert_uint_eq(back.tries[1].nsubtests, 3);
	ck_assert_ptr_null(back.tries[0].name);
	ck_assert_ptr_null(back.tries[0].tries);
	result_free(&back);

	/* Tries of a test that never passed: not flaky. */
	r.flaky = 0;
	r.status = PRUN_FAIL;
	round_trip(&r, &back);
	ck_assert_int_eq(back.flaky, 0);
	ck_assert_uint_eq(back.ntries, 2);
	result_free(&back);
	result_free(&r);

	/* No tries: neither key is written. */
	full_result(&r);
	round_trip(&r, &back);
	ck_assert_int_eq(back.flaky, 0);
	ck_assert_uint_eq(back.ntries, 0);
	ck_assert_ptr_null(back.tries);
	result_free(&back);
	result_free(&r);
}
END_TEST

/* Assert that b holds the version 2 additions of a. */
static void
assert_same_v2(const struct prun_result *a, const struct prun_result *b)
{
	size_t i;

	for (i = 0; i < a->nsubtests; i++)
		ck_assert_int_eq(a->subtests[i].todo, b->subtests[i].todo);
	ck_assert_uint_eq(a->dmesg_len, b->dmesg_len);
	if (a->dmesg == NULL)
		ck_assert_ptr_null(b->dmesg);
	else
		ck_assert_mem_eq(a->dmesg, b->dmesg, a->dmesg_len);
	ck_assert_int_eq(a->dmesg_shared, b->dmesg_shared);
	ck_assert_uint_eq(a->leaked, b->leaked);
	ck_assert_uint_eq(a->nleak_commands, b->nleak_commands);
	for (i = 0; i < a->nleak_commands; i++)
		ck_assert_str_eq(a->leak_commands[i], b->leak_commands[i]);
	ck_assert_uint_eq(a->nreps, b->nreps);
	for (i = 0; i < a->nreps; i++) {
		ck_assert_int_eq(a->reps[i].status, b->reps[i].status);
		ck_assert_int_eq(a->reps[i].has_returncode,
		    b->reps[i].has_returncode);
		if (a->reps[i].has_returncode)
			ck_assert_int_eq(a->reps[i].returncode,
			    b->reps[i].returncode);
		ck_assert_double_eq(a->reps[i].duration, b->reps[i].duration);
		ck_assert_uint_eq(a->reps[i].out_len, b->reps[i].out_len);
		ck_assert_uint_eq(a->reps[i].err_len, b->reps[i].err_len);
		ck_assert_int_eq(a->reps[i].out == NULL, b->reps[i].out == NULL);
		ck_assert_int_eq(a->reps[i].err == NULL, b->reps[i].err == NULL);
		if (a->reps[i].out != NULL)
			ck_assert_mem_eq(a->reps[i].out, b->reps[i].out,
			    a->reps[i].out_len);
		if (a->reps[i].err != NULL)
			ck_assert_mem_eq(a->reps[i].err, b->reps[i].err,
			    a->reps[i].err_len);
	}
}

/* A copy of the len bytes at s, NUL-terminated. */
static char *
dup_bytes(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/*
 * Version 2: the dmesg statuses, TODO points, the kernel log, leaks and
 * repetitions survive both backends byte for byte; a result without them
 * writes none of their keys.
 */
START_TEST(round_trip_v2)
{
	static const char dmesg[] = "[  1.0] WARNING: at x.c:1\n\0\x01<3>oops\n";
	static const char out[] = "last \x1b[1mrun\n";
	struct prun_result r, back, xml;
	struct prun_error err;
	size_t i, len;
	char *buf;

	full_result(&r);
	r.status = PRUN_DMESG_FAIL;
	r.subtests[0].status = PRUN_DMESG_WARN;
	r.subtests[0].todo = 1;
	r.subtests[2].todo = 1;
	r.dmesg = dup_bytes(dmesg, sizeof dmesg - 1);
	r.dmesg_len = sizeof dmesg - 1;
	r.dmesg_shared = 1;
	r.leaked = 40;
	r.nleak_commands = 2;
	ck_assert_ptr_nonnull(r.leak_commands = calloc(2, sizeof (char *)));
	r.leak_commands[0] = dup_bytes("sleep", 5);
	r.leak_commands[1] = dup_bytes("daemon \xce\xbb", 9);
	r.nreps = 3;
	ck_assert_ptr_nonnull(r.reps = calloc(3, sizeof *r.reps));
	r.reps[0].status = PRUN_PASS;
	r.reps[0].has_returncode = 1;
	r.reps[0].duration = 0.25;
	r.reps[1].status = PRUN_TIMEOUT;
	r.reps[1].duration = 10.000000000000002;
	r.reps[1].out = dup_bytes("first\0failure", 13);
	r.reps[1].out_len = 13;
	r.reps[1].err = dup_bytes("", 0);
	r.reps[2].status = PRUN_CRASH;
	r.reps[2].has_returncode = 1;
	r.reps[2].returncode = -6;
	r.reps[2].duration = 1e-6;
	r.reps[2].out = dup_bytes(out, sizeof out - 1);
	r.reps[2].out_len = sizeof out - 1;
	r.reps[2].err = dup_bytes("e", 1);
	r.reps[2].err_len = 1;
	round_trip(&r, &back);
	assert_same(&r, &back);
	assert_same_v2(&r, &back);
	round_trip_in(&r, BACKEND_JUNIT, &xml);
	assert_same_v2(&r, &xml);
	result_free(&xml);
	result_free(&back);
	result_free(&r);

	/* None of them: no key of version 2 is written. */
	full_result(&r);
	memset(&err, 0, sizeof err);
	for (i = 0; i < 2; i++) {
		buf = fragment_encode(&r, i == 0 ? BACKEND_JSON : BACKEND_JUNIT,
		    &len, &err);
		ck_assert_ptr_nonnull(buf);
		/* buf is not NUL-terminated: len bytes. */
		ck_assert_ptr_null(memmem(buf, len, "todo", 4));
		ck_assert_ptr_null(memmem(buf, len, "dmesg", 5));
		ck_assert_ptr_null(memmem(buf, len, "leak", 4));
		ck_assert_ptr_null(memmem(buf, len, "rep", 3));
		free(buf);
	}
	result_free(&r);
}
END_TEST

/* A version 1 fragment, as prun wrote it before, still reads. */
START_TEST(read_version_1)
{
	static const char v1[] = "{\"format\":\"prun-fragment\","
	    "\"version\":1,\"index\":3,\"name\":\"a/b\",\"attempt\":1,"
	    "\"command\":\"true\",\"result\":\"pass\",\"returncode\":0,"
	    "\"pid\":42,\"time\":{\"start\":1.5,\"end\":2.5},"
	    "\"out\":\"\",\"err\":\"\",\"subtests\":{\"x\":\"fail\"}}\n";
	struct prun_result r;
	struct prun_error err;

	ck_assert_msg(fragment_decode(v1, sizeof v1 - 1, BACKEND_JSON, "f",
	    &r, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(r.status, PRUN_PASS);
	ck_assert_uint_eq(r.index, 3);
	ck_assert_uint_eq(r.nsubtests, 1);
	ck_assert_int_eq(r.subtests[0].todo, 0);
	ck_assert_ptr_null(r.dmesg);
	ck_assert_uint_eq(r.nreps, 0);
	result_free(&r);
}
END_TEST

/* A valid fragment as a jansson object, to damage one piece at a time. */
static json_t *
valid_doc(void)
{
	struct prun_result r;
	struct prun_error err;
	json_error_t jerr;
	json_t *o;
	char *buf;
	size_t len;

	full_result(&r);
	r.index = 5;
	buf = fragment_encode(&r, BACKEND_JSON, &len, &err);
	ck_assert_ptr_nonnull(buf);
	o = json_loadb(buf, len, JSON_ALLOW_NUL, &jerr);
	ck_assert_msg(o != NULL, "%s", jerr.text);
	free(buf);
	result_free(&r);
	return o;
}

/* Decode the text s, expecting a refusal whose message has want. */
static void
refuse_text(const char *s, size_t len, const char *want)
{
	struct prun_result r;
	struct prun_error err;

	memset(&err, 0, sizeof err);
	memset(&r, 0xff, sizeof r);
	ck_assert_msg(fragment_decode(s, len, BACKEND_JSON,
	    "dir/tests/000005.json", &r, &err) == -1, "accepted: %.*s",
	    (int)len, s);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(strncmp(err.msg, "dir/tests/000005.json:", 22) == 0,
	    "no file name: %s", err.msg);
	ck_assert_msg(strstr(err.msg, want) != NULL, "want '%s', got: %s",
	    want, err.msg);
	/* The result is left empty, so the caller may free it. */
	ck_assert_ptr_null(r.name);
	ck_assert_ptr_null(r.out);
	ck_assert_ptr_null(r.subtests);
	result_free(&r);
}

/* Decode o (which is consumed), expecting a refusal mentioning want. */
static void
refuse(json_t *o, const char *want)
{
	char *s;

	ck_assert_ptr_nonnull(s = json_dumps(o, JSON_COMPACT |
	    JSON_ENCODE_ANY));
	json_decref(o);
	refuse_text(s, strlen(s), want);
	free(s);
}

/* Bytes that are not JSON: the position of the fault is named. */
START_TEST(reject_not_json)
{
	static const char *const bad[] = {
		"", "\n", "{", "{\"format\":", "not json", "{}{}",
		"{\"format\":\"prun-fragment\"} trailing",
	};
	size_t i;

	/* file:line:column: jansson's reason */
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refuse_text(bad[i], strlen(bad[i]), bad[i][0] == '\n' ?
		    "000005.json:2:" : "000005.json:1:");
	/* A fragment cut short by a crash (what rule 2 of store.c prevents). */
	{
		json_t *o = valid_doc();
		char *s = json_dumps(o, JSON_COMPACT);

		refuse_text(s, strlen(s) / 2, "dir/tests/000005.json:1:");
		free(s);
		json_decref(o);
	}
}
END_TEST

/* Other documents, formats and versions. */
START_TEST(reject_format_version)
{
	json_t *o;

	refuse(json_array(), "not a prun fragment");
	refuse(json_pack("{s:s}", "format", "other"), "not a prun fragment");
	refuse(json_string("prun-fragment"), "expected");
	o = valid_doc();
	json_object_set_new(o, "format", json_string("prun-results"));
	refuse(o, "not a prun fragment");
	o = valid_doc();
	json_object_set_new(o, "format", json_integer(1));
	refuse(o, "not a prun fragment");
	o = valid_doc();
	json_object_set_new(o, "version", json_integer(FRAGMENT_VERSION + 1));
	refuse(o, "version");
	o = valid_doc();
	json_object_set_new(o, "version", json_integer(0));
	refuse(o, "version");
	o = valid_doc();
	json_object_set_new(o, "version", json_string("1"));
	refuse(o, "version");
	o = valid_doc();
	json_object_set_new(o, "version", json_real(1.0));
	refuse(o, "version");
}
END_TEST

/* Every key encode writes is required (but command and interrupted). */
START_TEST(reject_missing_keys)
{
	static const char *const keys[] = {
		"format", "version", "index", "name", "result", "attempt",
		"returncode", "pid", "time", "out", "err", "subtests",
	};
	json_t *o;
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		o = valid_doc();
		ck_assert_int_eq(json_object_del(o, keys[i]), 0);
		refuse(o, ": ");
	}
	o = valid_doc();
	json_object_del(json_object_get(o, "time"), "start");
	refuse(o, "time");
	o = valid_doc();
	json_object_del(json_object_get(o, "time"), "end");
	refuse(o, "time");
}
END_TEST

/* Keys of the wrong type. */
START_TEST(reject_wrong_types)
{
	static const struct {
		const char	*key;
		const char	*value;	/* JSON */
	} bad[] = {
		{ "index", "\"5\"" }, { "index", "5.0" }, { "index", "-1" },
		{ "name", "5" }, { "name", "null" },
		{ "result", "0" }, { "result", "null" },
		{ "attempt", "\"1\"" }, { "attempt", "1.5" },
		{ "attempt", "-1" }, { "attempt", "2000000" },
		{ "command", "[\"a\"]" }, { "command", "null" },
		{ "returncode", "\"0\"" }, { "returncode", "0.5" },
		{ "returncode", "true" },
		{ "pid", "\"1\"" }, { "pid", "null" },
		{ "time", "1.0" }, { "time", "{\"start\":\"0\",\"end\":1}" },
		{ "time", "{\"start\":0,\"end\":null}" },
		{ "out", "null" }, { "out", "[]" }, { "err", "7" },
		{ "subtests", "[]" }, { "subtests", "null" },
		{ "subtests", "{\"a\":1}" }, { "subtests", "{\"a\":\"good\"}" },
		{ "interrupted", "\"yes\"" }, { "interrupted", "1" },
		{ "interrupted", "null" },
	};
	json_error_t jerr;
	json_t *o, *v;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = valid_doc();
		v = json_loads(bad[i].value, JSON_DECODE_ANY, &jerr);
		ck_assert_msg(v != NULL, "%s", bad[i].value);
		json_object_set_new(o, bad[i].key, v);
		refuse(o, ": ");
	}
}
END_TEST

/* A key given twice is refused, at the top and inside subtests. */
START_TEST(reject_duplicate_keys)
{
	json_t *o;
	char *s, *dup;

	o = valid_doc();
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	ck_assert_int_ne(asprintf(&dup, "{\"result\":\"pass\",%s", s + 1), -1);
	refuse_text(dup, strlen(dup), "duplicate");
	free(dup);
	ck_assert_int_ne(asprintf(&dup, "{\"index\":5,%s", s + 1), -1);
	refuse_text(dup, strlen(dup), "duplicate");
	free(dup);
	free(s);
	refuse_text("{\"format\":\"prun-fragment\",\"subtests\":{\"a\":"
	    "\"pass\",\"a\":\"fail\"}}", 61, "duplicate");
}
END_TEST

/* A status that is not piglit's, and the first attempt is 1. */
START_TEST(reject_bad_status_attempt)
{
	json_t *o;

	o = valid_doc();
	json_object_set_new(o, "result", json_string("passed"));
	refuse(o, "result");
	o = valid_doc();
	json_object_set_new(o, "result", json_string(""));
	refuse(o, "result");
	o = valid_doc();
	json_object_set_new(o, "attempt", json_integer(0));
	refuse(o, "attempt");
	o = valid_doc();
	json_object_set_new(o, "subtests", json_pack("{s:s, s:s}", "a",
	    "pass", "b", "PASS"));
	refuse(o, "subtest");
}
END_TEST

/* Damaged tries are refused like any damaged key. */
START_TEST(reject_bad_tries)
{
	json_t *o;

	o = valid_doc();
	json_object_set_new(o, "tries", json_string("none"));
	refuse(o, "tries is not an array");
	o = valid_doc();
	json_object_set_new(o, "tries", json_pack("[i]", 1));
	refuse(o, "a try is not an object");
	o = valid_doc();
	json_object_set_new(o, "tries", json_pack("[{s:s}]", "result",
	    "fail"));
	refuse(o, "returncode is not an integer or null");
	o = valid_doc();
	json_object_set_new(o, "tries", json_pack("[{s:s}]", "result",
	    "flaky"));
	refuse(o, "no valid result");
}
END_TEST

/* What decode accepts beyond what encode writes: piglit's dmesg statuses
 * in a fragment (each its own status), and a fragment without command or
 * interrupted. */
START_TEST(accept_lenient)
{
	struct prun_result r;
	struct prun_error err;
	json_t *o;
	char *s;

	o = valid_doc();
	json_object_set_new(o, "result", json_string("dmesg-warn"));
	json_object_set_new(o, "subtests", json_pack("{s:s}", "x",
	    "dmesg-fail"));
	json_object_del(o, "command");
	json_object_set_new(o, "interrupted", json_false());
	json_object_set_new(o, "returncode", json_null());
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	ck_assert_msg(fragment_decode(s, strlen(s), BACKEND_JSON, "f", &r,
	    &err) == 0, "%s", err.msg);
	ck_assert_int_eq(r.status, PRUN_DMESG_WARN);
	ck_assert_int_eq(subtest_status(&r, "x"), PRUN_DMESG_FAIL);
	ck_assert_ptr_null(r.command);
	ck_assert_int_eq(r.interrupted, 0);
	ck_assert_int_eq(r.has_returncode, 0);
	result_free(&r);
	free(s);
}
END_TEST

/* Damaged version 2 keys are refused with a reason. */
START_TEST(reject_bad_v2)
{
	json_t *o;

	o = valid_doc();
	json_object_set_new(o, "todo", json_pack("[s]", "no such"));
	refuse(o, "todo names no subtest");
	o = valid_doc();
	json_object_set_new(o, "todo", json_string("x"));
	refuse(o, "todo is not an array");
	o = valid_doc();
	json_object_set_new(o, "dmesg", json_integer(1));
	refuse(o, "dmesg is not a string");
	o = valid_doc();
	json_object_set_new(o, "leaks", json_pack("{s:i,s:[s,s]}", "count", 1,
	    "commands", "a", "b"));
	refuse(o, "no valid leaks");
	o = valid_doc();
	json_object_set_new(o, "repetitions", json_pack("[{s:s}]", "result",
	    "pass"));
	refuse(o, "a repetition has no valid result or duration");
}
END_TEST

/* Assert that the fast reader (in fragment_decode) and jansson's reader
 * give the same verdict on buf, and the same result or message. */
static int
agree(const char *buf, size_t len)
{
	struct prun_result a, b;
	struct prun_error ea, eb;
	size_t i;
	int ra, rb;

	memset(&ea, 0, sizeof ea);
	memset(&eb, 0, sizeof eb);
	ra = fragment_decode(buf, len, BACKEND_JSON, "f", &a, &ea);
	rb = fragment_json_decode_jansson(buf, len, "f", &b, &eb);
	ck_assert_msg(ra == rb, "verdicts differ (%d vs jansson %d: %s) on "
	    "%.*s", ra, rb, eb.msg, (int)len, buf);
	if (ra == -1) {
		ck_assert_str_eq(ea.msg, eb.msg);
		return -1;
	}
	assert_same(&b, &a);
	for (i = 0; i < a.nsubtests; i++)
		ck_assert_str_eq(a.subtests[i].name, b.subtests[i].name);
	ck_assert_int_eq(a.flaky, b.flaky);
	ck_assert_uint_eq(a.ntries, b.ntries);
	for (i = 0; i < a.ntries; i++) {
		assert_same(&b.tries[i], &a.tries[i]);
		ck_assert_uint_eq(a.tries[i].index, b.tries[i].index);
	}
	result_free(&a);
	result_free(&b);
	return 0;
}

/* A fragment as prun writes it, with tries, subtests and odd output. */
static char *
rich_fragment(size_t *len)
{
	struct prun_result r;
	struct prun_error err;
	char *buf;

	full_result(&r);
	r.flaky = 1;
	r.ntries = 1;
	ck_assert_ptr_nonnull(r.tries = calloc(1, sizeof *r.tries));
	full_result(&r.tries[0]);
	free(r.tries[0].name);
	free(r.tries[0].command);
	r.tries[0].name = r.tries[0].command = NULL;
	r.tries[0].has_returncode = 0;
	ck_assert_ptr_nonnull(buf = fragment_encode(&r, BACKEND_JSON, len,
	    &err));
	result_free(&r);
	return buf;
}

/*
 * The fast reader agrees with jansson's on what prun writes, on hand-made
 * edge cases, and on every fragment made by damaging one: each byte
 * replaced by bytes that matter to JSON, deleted, or the text cut there.
 */
START_TEST(fast_reader_agrees)
{
	static const char *const cases[] = {
		"{}",
		" {\"format\":\"prun-fragment\"} ",
		/* escapes, pairs, lone surrogates, NUL in out and name */
		"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\\"\\\\",
		"\\ud800x", "\\udc00", "\\ud800\\u0041", "\\u0000", "\\u00G0",
		"\\x", "\x01", "\xff", "\xc0\x80", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xe2\x82", "\x7f",
	};
	static const char *const nums[] = {
		"0", "-0", "7", "1.5", "1e3", "-1", "01", "1.", "1e", "-",
		"2147483648", "-2147483649", "99999999999999999999", "1e999",
		"1e-999", "true", "null", "\"3\"", "3 ", " 3",
	};
	static const char swaps[] = "\"\\{}[],:0 \x01\xff\x80u";
	char *base, *buf, *at;
	size_t len, i, j, n, accepted = 0;

	ck_assert_int_eq(agree(cases[0], strlen(cases[0])), -1);
	ck_assert_int_eq(agree(cases[1], strlen(cases[1])), -1);
	base = rich_fragment(&len);
	ck_assert_int_eq(agree(base, len), 0);
	ck_assert_ptr_nonnull(buf = malloc(len + 64));
	/* Odd strings in out, in the name and as a subtest name. */
	for (i = 2; i < sizeof cases / sizeof cases[0]; i++) {
		const char *keys[] = { "\"out\":\"", "\"name\":\"",
		    "\"subtests\":{\"" };

		for (j = 0; j < 3; j++) {
			ck_assert_ptr_nonnull(at = strstr(base, keys[j]));
			at += strlen(keys[j]);
			n = (size_t)(at - base);
			memcpy(buf, base, n);
			memcpy(buf + n, cases[i], strlen(cases[i]));
			memcpy(buf + n + strlen(cases[i]), at, len - n);
			if (agree(buf, len + strlen(cases[i])) == 0)
				accepted++;
		}
	}
	/* Odd numbers as the pid, the attempt and a time. */
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		const char *keys[] = { "\"pid\":", "\"attempt\":",
		    "\"start\":", "\"returncode\":" };

		for (j = 0; j < 4; j++) {
			size_t old;

			ck_assert_ptr_nonnull(at = strstr(base, keys[j]));
			at += strlen(keys[j]);
			n = (size_t)(at - base);
			old = strcspn(at, ",}");
			memcpy(buf, base, n);
			memcpy(buf + n, nums[i], strlen(nums[i]));
			memcpy(buf + n + strlen(nums[i]), at + old,
			    len - n - old);
			if (agree(buf, len + strlen(nums[i]) - old) == 0)
				accepted++;
		}
	}
	/* Every byte damaged, and the text cut at every byte. */
	for (i = 0; i < len; i++) {
		memcpy(buf, base, len);
		for (j = 0; j < sizeof swaps - 1; j++) {
			buf[i] = swaps[j];
			if (agree(buf, len) == 0)
				accepted++;
		}
		memcpy(buf, base, i);
		memcpy(buf + i, base + i + 1, len - i - 1);
		if (agree(buf, len - 1) == 0)
			accepted++;
		agree(base, i);
	}
	/* Some damage is harmless (a digit of the output changed): both
	 * readers must have accepted those alike. */
	ck_assert_uint_gt(accepted, 0);
	free(buf);
	free(base);
}
END_TEST

/* The suite of fragment tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("fragment");
	TCase *tc;

	tc = tcase_create("round trip");
	tcase_add_test(tc, round_trip_full);
	tcase_add_test(tc, round_trip_start_record);
	tcase_add_test(tc, round_trip_statuses);
	tcase_add_test(tc, encode_invalid_utf8);
	tcase_add_test(tc, round_trip_tries);
	tcase_add_test(tc, round_trip_v2);
	tcase_add_test(tc, read_version_1);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	/* fast_reader_agrees decodes every one-byte damage and truncation of
	 * a fragment with both readers: seconds under the sanitizers, more on
	 * a loaded machine than Check's default 4 s. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, reject_not_json);
	tcase_add_test(tc, reject_format_version);
	tcase_add_test(tc, reject_missing_keys);
	tcase_add_test(tc, reject_wrong_types);
	tcase_add_test(tc, reject_duplicate_keys);
	tcase_add_test(tc, reject_bad_status_attempt);
	tcase_add_test(tc, reject_bad_tries);
	tcase_add_test(tc, accept_lenient);
	tcase_add_test(tc, reject_bad_v2);
	tcase_add_test(tc, fast_reader_agrees);
	suite_add_tcase(s, tc);
	return s;
}
