/*
 * check_metadata: unit tests of metadata.json, the frozen plan: a plan
 * (shell and argv commands, env, cwd, timeout, exclusive), the options,
 * prun's argv and the host survive init, encode and decode; decode refuses
 * what is damaged, naming the file; the plan id tells plans apart.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <jansson.h>

#include "plan/metadata.h"
#include "plan/plan_source.h"
#include "unit.h"

/* Append a test with every field given (NULL: not set). */
static void
add_test(struct prun_plan *plan, const char *name, const char *shell,
    char **argv, char **env, const char *cwd, double timeout, int exclusive,
    const char *origin)
{
	struct prun_test t;
	struct prun_error err;
	size_t i;

	memset(&t, 0, sizeof t);
	memset(&err, 0, sizeof err);
	t.name = (char *)name;
	t.origin = (char *)origin;
	t.cwd = (char *)cwd;
	t.env = env;
	t.timeout = timeout;
	t.exclusive = exclusive;
	if (shell != NULL)
		ck_assert_msg(plan_set_command(&t, shell, &err) == 0, "%s",
		    err.msg);
	else
		ck_assert_msg(plan_set_argv(&t, argv, &err) == 0, "%s",
		    err.msg);
	ck_assert_msg(plan_append(plan, &t, &err) == 0, "%s", err.msg);
	free(t.command);
	for (i = 0; t.argv[i] != NULL; i++)
		free(t.argv[i]);
	free(t.argv);
}

/* A plan with each kind of test. */
static void
sample_plan(struct prun_plan *plan)
{
	char *argv[] = { "./argv-test", "one arg", "it's", "", NULL };
	char *env[] = { "LANG=C", "EMPTY=", "EQ=a=b", NULL };

	plan_init(plan);
	add_test(plan, "list/true", "exec true", NULL, NULL, NULL, 0, 0,
	    "suite.list:1");
	add_test(plan, "list/sh", "echo a && echo \"b c\"", NULL, NULL, NULL,
	    2.5, 0, "suite.list:2");
	add_test(plan, "prof/argv", NULL, argv, env, "/tmp", 0.125, 0,
	    "profile.json: test 0");
	add_test(plan, "prof/\xce\xbb", "./x", NULL, NULL, NULL, 1e6, 1, NULL);
}

/* Options unlike the defaults in every frozen field. */
static void
sample_options(struct prun_options *o)
{
	options_defaults(o);
	o->timeout = 2.75;
	o->kill_after = 0.5;
	o->max_output = (size_t)5 << 30;
	o->fsync = 0;
	o->jobs = 3;
	o->max_attempts = 4;
	o->backend = BACKEND_JUNIT;
	ck_assert_ptr_nonnull(o->include = calloc(3, sizeof *o->include));
	o->include[0] = strdup("^gpu/");
	o->include[1] = strdup("a|b");
	o->ninclude = 2;
	ck_assert_ptr_nonnull(o->exclude = calloc(2, sizeof *o->exclude));
	o->exclude[0] = strdup("slow");
	o->nexclude = 1;
}

/* Whether two string vectors are equal (both NULL-terminated or NULL). */
static void
assert_strv(char **a, char **b)
{
	size_t i;

	if (a == NULL || b == NULL) {
		ck_assert_ptr_eq(a, b);
		return;
	}
	for (i = 0; a[i] != NULL && b[i] != NULL; i++)
		ck_assert_str_eq(a[i], b[i]);
	ck_assert_ptr_null(a[i]);
	ck_assert_ptr_null(b[i]);
}

/* Assert two tests are the same. */
static void
assert_test(const struct prun_test *a, const struct prun_test *b)
{
	ck_assert_str_eq(a->name, b->name);
	if (a->command == NULL)
		ck_assert_ptr_null(b->command);
	else
		ck_assert_str_eq(a->command, b->command);
	assert_strv(a->argv, b->argv);
	assert_strv(a->env, b->env);
	if (a->cwd == NULL)
		ck_assert_ptr_null(b->cwd);
	else
		ck_assert_str_eq(a->cwd, b->cwd);
	ck_assert_double_eq(a->timeout, b->timeout);
	ck_assert_int_eq(a->exclusive, b->exclusive);
	if (a->origin == NULL)
		ck_assert_ptr_null(b->origin);
	else
		ck_assert_str_eq(a->origin, b->origin);
}

/* Build metadata of the sample plan; the caller frees it. */
static void
sample_metadata(struct prun_metadata *md)
{
	char *argv[] = { "prun", "run", "-o", "out/r1", "suite.list", NULL };
	struct prun_plan plan;
	struct prun_options o;
	struct prun_error err;

	sample_plan(&plan);
	sample_options(&o);
	memset(&err, 0, sizeof err);
	ck_assert_msg(metadata_init(md, &plan, &o, 5, argv, "r1", &err) == 0,
	    "%s", err.msg);
	plan_free(&plan);
	options_free(&o);
}

/* Encode md into a malloc'd string. */
static char *
encode(const struct prun_metadata *md, size_t *len)
{
	struct prun_error err;
	char *buf;

	memset(&err, 0, sizeof err);
	buf = metadata_encode(md, len, &err);
	ck_assert_msg(buf != NULL, "%s", err.msg);
	ck_assert_uint_eq(strlen(buf), *len);
	return buf;
}

/* init fills the host, version, time and a plan id of its own. */
START_TEST(init_fields)
{
	struct prun_metadata md;
	char host[256];

	sample_metadata(&md);
	ck_assert_str_eq(md.name, "r1");
	ck_assert_str_eq(md.prun_version, PACKAGE_VERSION);
	ck_assert_int_eq(gethostname(host, sizeof host), 0);
	host[sizeof host - 1] = '\0';
	ck_assert_str_eq(md.hostname, host);
	ck_assert_ptr_nonnull(md.uname);
	ck_assert_uint_gt(strlen(md.uname), 4);
	ck_assert_uint_eq(strlen(md.plan_id), 16);
	ck_assert(md.time_start > 1e9);
	ck_assert_int_eq(md.argc, 5);
	ck_assert_str_eq(md.argv[4], "suite.list");
	ck_assert_ptr_null(md.argv[5]);
	ck_assert_uint_eq(md.plan.n, 4);
	ck_assert_str_eq(md.options.include[1], "a|b");
	metadata_free(&md);
	/* Freeing twice is harmless. */
	metadata_free(&md);
}
END_TEST

/* Everything survives encode and decode. */
START_TEST(round_trip)
{
	struct prun_metadata md, back;
	struct prun_error err;
	char *buf, *again;
	size_t len, len2, i;

	sample_metadata(&md);
	buf = encode(&md, &len);
	memset(&err, 0, sizeof err);
	ck_assert_msg(metadata_decode(&back, buf, len, "r1/metadata.json",
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(back.name, md.name);
	ck_assert_str_eq(back.plan_id, md.plan_id);
	ck_assert_str_eq(back.hostname, md.hostname);
	ck_assert_str_eq(back.uname, md.uname);
	ck_assert_str_eq(back.prun_version, md.prun_version);
	ck_assert_double_eq(back.time_start, md.time_start);
	ck_assert_int_eq(back.argc, md.argc);
	for (i = 0; i < (size_t)md.argc; i++)
		ck_assert_str_eq(back.argv[i], md.argv[i]);
	ck_assert_ptr_null(back.argv[back.argc]);

	ck_assert_double_eq(back.options.timeout, 2.75);
	ck_assert_double_eq(back.options.kill_after, 0.5);
	ck_assert_uint_eq(back.options.max_output, (size_t)5 << 30);
	ck_assert_int_eq(back.options.fsync, 0);
	ck_assert_int_eq(back.options.jobs, 3);
	ck_assert_int_eq(back.options.max_attempts, 4);
	ck_assert_int_eq(back.options.backend, BACKEND_JUNIT);
	ck_assert_uint_eq(back.options.ninclude, 2);
	assert_strv(back.options.include, md.options.include);
	ck_assert_uint_eq(back.options.nexclude, 1);
	assert_strv(back.options.exclude, md.options.exclude);

	ck_assert_uint_eq(back.plan.n, md.plan.n);
	for (i = 0; i < md.plan.n; i++)
		assert_test(&(*plan_test(&md.plan, i)), &(*plan_test(&back.plan, i)));
	/* The shell string is kept and split again the same way. */
	ck_assert_str_eq((*plan_test(&back.plan, 0)).argv[0], "true");
	ck_assert_str_eq((*plan_test(&back.plan, 1)).argv[0], "/bin/sh");

	/* Encoding what was decoded gives the same bytes. */
	again = encode(&back, &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert_str_eq(buf, again);
	free(again);
	free(buf);
	metadata_free(&back);
	metadata_free(&md);
}
END_TEST

/* metadata_read takes a stream (a resume does not hold the file's
 * bytes): the same plan as metadata_decode, re-encoded to the same bytes,
 * and a damaged stream is refused naming the file. */
START_TEST(read_stream)
{
	struct prun_metadata md, back;
	struct prun_error err;
	FILE *fp;
	char *buf, *again;
	size_t len, len2, i;

	sample_metadata(&md);
	buf = encode(&md, &len);
	ck_assert_ptr_nonnull(fp = tmpfile());
	ck_assert_uint_eq(fwrite(buf, 1, len, fp), len);
	rewind(fp);
	memset(&err, 0, sizeof err);
	ck_assert_msg(metadata_read(&back, fp, "r1/metadata.json", &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(back.plan.n, md.plan.n);
	for (i = 0; i < md.plan.n; i++)
		assert_test(&(*plan_test(&md.plan, i)), &(*plan_test(&back.plan, i)));
	again = encode(&back, &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert_str_eq(buf, again);
	free(again);
	metadata_free(&back);

	/* Cut short: refused, the file named, nothing left to free. */
	ck_assert_ptr_nonnull(fp = tmpfile());
	ck_assert_uint_eq(fwrite(buf, 1, len / 2, fp), len / 2);
	rewind(fp);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(metadata_read(&back, fp, "r1/metadata.json", &err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "r1/metadata.json"));
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	free(buf);
	metadata_free(&md);
}
END_TEST

/* What is only recorded (argv, name, origin, filters) may hold invalid
 * UTF-8 and is stored with U+FFFD; a command that is not UTF-8 is an
 * input error naming the test, since a resume must run it exactly. */
START_TEST(invalid_utf8)
{
	char *argv[] = { "prun", "run", "-o", "r\xff", "l\xfe.list", NULL };
	char *bad[] = { "./t\xff", NULL };
	struct prun_metadata md, back;
	struct prun_plan plan;
	struct prun_options o;
	struct prun_error err;
	char *buf;
	size_t len;

	plan_init(&plan);
	add_test(&plan, "ok", "exec true", NULL, NULL, NULL, 0, 0,
	    "l\xfe.list:1");
	options_defaults(&o);
	ck_assert_ptr_nonnull(o.include = calloc(2, sizeof *o.include));
	o.include[0] = strdup("\xff");
	o.ninclude = 1;
	memset(&err, 0, sizeof err);
	ck_assert_msg(metadata_init(&md, &plan, &o, 5, argv, "r\xff", &err) ==
	    0, "%s", err.msg);
	buf = encode(&md, &len);
	ck_assert_msg(metadata_decode(&back, buf, len, "m", &err) == 0, "%s",
	    err.msg);
	ck_assert_str_eq(back.argv[3], "r\xef\xbf\xbd");
	ck_assert_str_eq(back.name, "r\xef\xbf\xbd");
	ck_assert_str_eq((*plan_test(&back.plan, 0)).origin, "l\xef\xbf\xbd.list:1");
	ck_assert_str_eq(back.options.include[0], "\xef\xbf\xbd");
	free(buf);
	metadata_free(&back);
	metadata_free(&md);

	add_test(&plan, "bad", NULL, bad, NULL, NULL, 0, 0, "dir");
	ck_assert_msg(metadata_init(&md, &plan, &o, 5, argv, "r", &err) == 0,
	    "%s", err.msg);
	ck_assert_ptr_null(metadata_encode(&md, &len, &err));
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(strstr(err.msg, "dir: test bad") != NULL &&
	    strstr(err.msg, "UTF-8") != NULL, "got: %s", err.msg);
	metadata_free(&md);
	plan_free(&plan);
	options_free(&o);
}
END_TEST

/* An empty include list, fsync always, and an empty plan. */
START_TEST(round_trip_defaults)
{
	struct prun_metadata md, back;
	struct prun_plan plan;
	struct prun_options o;
	struct prun_error err;
	char *argv[] = { "prun", NULL }, *buf;
	size_t len;

	plan_init(&plan);
	options_defaults(&o);
	ck_assert_int_eq(metadata_init(&md, &plan, &o, 1, argv, "d", &err),
	    0);
	buf = encode(&md, &len);
	ck_assert_msg(metadata_decode(&back, buf, len, "m", &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(back.plan.n, 0);
	ck_assert_int_eq(back.options.fsync, 1);
	ck_assert_int_eq(back.options.backend, BACKEND_JSON);
	ck_assert_uint_eq(back.options.ninclude, 0);
	ck_assert_uint_eq(back.options.max_output, o.max_output);
	ck_assert_double_eq(back.options.kill_after, o.kill_after);
	free(buf);
	metadata_free(&back);
	metadata_free(&md);
}
END_TEST

/* The options of CI at scale round-trip: shard, wrapper, reruns and the
 * overall timeout; the shard is a key of its own, and does not change the
 * plan id (every shard of a run has the same). */
START_TEST(round_trip_ci)
{
	struct prun_metadata md, back, plain;
	struct prun_plan plan;
	struct prun_options o;
	struct prun_error err;
	char *argv[] = { "prun", NULL }, *buf;
	size_t len;

	sample_plan(&plan);
	options_defaults(&o);
	o.shard.index = 3;
	o.shard.total = 7;
	o.shard.source = SHARD_SLURM;
	ck_assert_ptr_nonnull(o.wrapper = calloc(3, sizeof *o.wrapper));
	o.wrapper[0] = strdup("srun");
	o.wrapper[1] = strdup("-n1");
	o.rerun_failures = 2;
	o.overall_timeout = 3300.5;
	o.repeat = 100;
	o.until_fail = 1;
	ck_assert_int_eq(metadata_init(&md, &plan, &o, 1, argv, "d", &err),
	    0);
	options_free(&o);
	buf = encode(&md, &len);
	ck_assert_ptr_nonnull(strstr(buf, "\"shard\": {"));
	ck_assert_msg(metadata_decode(&back, buf, len, "m", &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(back.options.shard.index, 3);
	ck_assert_uint_eq(back.options.shard.total, 7);
	ck_assert_int_eq(back.options.shard.source, SHARD_SLURM);
	ck_assert_str_eq(back.options.wrapper[0], "srun");
	ck_assert_str_eq(back.options.wrapper[1], "-n1");
	ck_assert_ptr_null(back.options.wrapper[2]);
	ck_assert_int_eq(back.options.rerun_failures, 2);
	ck_assert_double_eq(back.options.overall_timeout, 3300.5);
	ck_assert_int_eq(back.options.repeat, 100);
	ck_assert_int_eq(back.options.until_fail, 1);
	options_defaults(&o);
	ck_assert_int_eq(metadata_init(&plain, &plan, &o, 1, argv, "d", &err),
	    0);
	ck_assert_str_eq(plain.plan_id, md.plan_id);
	ck_assert_uint_eq(plain.options.shard.total, 0);
	ck_assert_ptr_null(plain.options.wrapper);
	free(buf);
	buf = encode(&plain, &len);
	ck_assert_ptr_null(strstr(buf, "\"shard\""));
	ck_assert_ptr_null(strstr(buf, "\"wrapper\""));
	/* Without --repeat the file is as it was before it. */
	ck_assert_ptr_null(strstr(buf, "\"repeat\""));
	ck_assert_ptr_null(strstr(buf, "\"until_fail\""));
	free(buf);
	metadata_free(&plain);
	metadata_free(&back);
	metadata_free(&md);
	plan_free(&plan);
}
END_TEST

/* Decode the text s, expecting a usage error whose message has want. */
static void
refuse_text(const char *s, const char *want)
{
	struct prun_metadata md;
	struct prun_error err;

	memset(&err, 0, sizeof err);
	ck_assert_msg(metadata_decode(&md, s, strlen(s), "DIR/metadata.json",
	    &err) == -1, "accepted: %.200s", s);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(strncmp(err.msg, "DIR/metadata.json:", 18) == 0,
	    "no file name: %s", err.msg);
	ck_assert_msg(strstr(err.msg, want) != NULL, "want '%s', got: %s",
	    want, err.msg);
	ck_assert_ptr_null(md.plan_id);
	ck_assert_uint_eq(md.plan.n, 0);
}

/* Decode o (consumed), expecting a refusal that says want. */
static void
refuse(json_t *o, const char *want)
{
	char *s;

	ck_assert_ptr_nonnull(s = json_dumps(o, JSON_INDENT(1)));
	json_decref(o);
	refuse_text(s, want);
	free(s);
}

/* The sample metadata as a jansson object, to damage. */
static json_t *
valid_doc(void)
{
	struct prun_metadata md;
	json_error_t jerr;
	json_t *o;
	char *buf;
	size_t len;

	sample_metadata(&md);
	buf = encode(&md, &len);
	o = json_loadb(buf, len, 0, &jerr);
	ck_assert_msg(o != NULL, "%s", jerr.text);
	free(buf);
	metadata_free(&md);
	return o;
}

/* Files without the newer keys read with them off; bad ones are refused. */
START_TEST(ci_keys)
{
	json_t *o, *opts;
	struct prun_metadata md;
	struct prun_error err;
	char *s;

	o = valid_doc();
	opts = json_object_get(o, "options");
	json_object_del(opts, "rerun_failures");
	json_object_del(opts, "overall_timeout");
	json_object_del(o, "shard");
	ck_assert_ptr_nonnull(s = json_dumps(o, 0));
	ck_assert_msg(metadata_decode(&md, s, strlen(s), "m", &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(md.options.shard.total, 0);
	ck_assert_int_eq(md.options.rerun_failures, 0);
	ck_assert_double_eq(md.options.overall_timeout, 0);
	metadata_free(&md);
	free(s);

	json_object_set_new(o, "shard", json_pack("{s:i, s:i}", "index", 4,
	    "total", 3));
	refuse(json_deep_copy(o), "invalid shard");
	json_object_set_new(o, "shard", json_pack("{s:i, s:i, s:s}", "index",
	    1, "total", 3, "from", "jenkins"));
	refuse(json_deep_copy(o), "invalid shard");
	json_object_set_new(o, "shard", json_string("1/3"));
	refuse(json_deep_copy(o), "invalid shard");
	json_object_del(o, "shard");
	json_object_set_new(opts, "wrapper", json_array());
	refuse(json_deep_copy(o), "invalid options");
	json_object_set_new(opts, "wrapper", json_pack("[s, i]", "srun", 1));
	refuse(json_deep_copy(o), "invalid options");
	json_object_del(opts, "wrapper");
	json_object_set_new(opts, "rerun_failures", json_integer(-1));
	refuse(json_deep_copy(o), "invalid options");
	json_object_set_new(opts, "rerun_failures", json_integer(0));
	json_object_set_new(opts, "overall_timeout", json_string("1h"));
	refuse(o, "invalid options");
}
END_TEST

/*
 * The layout read as a stream: the header with ntests, then the tests one
 * a line and last; read back a test at a time; older layouts (tests
 * indented over lines, no ntests, tests not last) read the same.
 */
START_TEST(stream_layout)
{
	struct prun_metadata md, back;
	struct metadata_reader rd;
	struct prun_error err;
	struct prun_test t;
	json_t *o, *tests;
	char *buf, *s, *line;
	size_t len, n = 0, i;
	FILE *fp;

	sample_metadata(&md);
	buf = encode(&md, &len);
	ck_assert_ptr_nonnull(s = strstr(buf, "\"ntests\": "));
	ck_assert_ptr_nonnull(strstr(s, "\"tests\": [\n  {"));
	for (line = strstr(buf, "\n  {"); line != NULL;
	    line = strstr(line + 1, "\n  {"))
		n++;
	ck_assert_uint_eq(n, md.plan.n);
	ck_assert_ptr_nonnull(fp = fmemopen(buf, len, "r"));
	ck_assert_msg(metadata_open(&back, &rd, fp, "m", &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(back.ntests, md.plan.n);
	ck_assert_uint_eq(back.plan.n, 0);
	ck_assert_str_eq(back.plan_id, md.plan_id);
	for (i = 0; i < md.plan.n; i++) {
		ck_assert_int_eq(metadata_next(&rd, &t, &err), 1);
		ck_assert_str_eq(t.name, (*plan_test(&md.plan, i)).name);
		metadata_test_free(&t);
	}
	ck_assert_int_eq(metadata_next(&rd, &t, &err), 0);
	metadata_close(&rd);
	metadata_free(&back);
	free(buf);

	/* Older: a tree dumped whole, without ntests, tests not last. */
	o = valid_doc();
	json_object_del(o, "ntests");
	tests = json_incref(json_object_get(o, "tests"));
	json_object_del(o, "tests");
	json_object_del(o, "format");
	json_object_set_new(o, "tests", tests);
	json_object_set_new(o, "format", json_string(METADATA_FORMAT));
	ck_assert_ptr_nonnull(s = json_dumps(o, JSON_INDENT(2)));
	ck_assert_msg(metadata_decode(&back, s, strlen(s), "m", &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(back.plan.n, md.plan.n);
	ck_assert_uint_eq(back.ntests, md.plan.n);
	metadata_free(&back);
	free(s);

	/* A count that is not the tests' is damage. */
	json_object_set_new(o, "ntests", json_integer(2));
	refuse(json_deep_copy(o), "tests, not 2");
	json_object_set_new(o, "ntests", json_string("5"));
	refuse(json_deep_copy(o), "invalid ntests");
	json_object_del(o, "ntests");
	/* Two tests keys, or keys after the end. */
	ck_assert_ptr_nonnull(s = json_dumps(o, JSON_COMPACT));
	line = strdup(s);
	ck_assert_ptr_nonnull(line);
	line[strlen(line) - 1] = '\0';
	free(s);
	ck_assert_int_gt(asprintf(&s, "%s,\"tests\":[]}", line), 0);
	refuse_text(s, "duplicate key");
	free(s);
	ck_assert_int_gt(asprintf(&s, "%s} {}", line), 0);
	refuse_text(s, "data after the end");
	free(s);
	free(line);
	json_decref(o);
	metadata_free(&md);
}
END_TEST

/* Damaged JSON is named with its line and column. */
START_TEST(reject_damaged_json)
{
	json_t *o = valid_doc();
	char *s = json_dumps(o, JSON_INDENT(1)), *cut;

	json_decref(o);
	refuse_text("", "DIR/metadata.json:1:0: damaged");
	refuse_text("{\n\"format\": \"prun-results\",\n\"version\": 1,,\n}",
	    "DIR/metadata.json:3:");
	/* Cut in the middle, as by a full disk without rule 2. */
	cut = strndup(s, strlen(s) / 2);
	refuse_text(cut, "damaged");
	free(cut);
	free(s);
}
END_TEST

/* Other formats and versions. */
START_TEST(reject_format_version)
{
	json_t *o;

	refuse(json_array(), "not a prun metadata.json");
	o = valid_doc();
	json_object_set_new(o, "format", json_string("prun-fragment"));
	refuse(o, "not a prun metadata.json");
	o = valid_doc();
	json_object_del(o, "format");
	refuse(o, "not a prun metadata.json");
	o = valid_doc();
	json_object_set_new(o, "version", json_integer(METADATA_VERSION + 1));
	refuse(o, "incompatible version");
	o = valid_doc();
	json_object_set_new(o, "version", json_string("1"));
	refuse(o, "damaged");
}
END_TEST

/* Every key is required. */
START_TEST(reject_missing_keys)
{
	static const char *const keys[] = {
		"prun_version", "name", "plan_id", "argv", "options", "host",
		"time_start", "tests",
	};
	static const char *const opts[] = {
		"timeout", "kill_after", "max_output", "fsync", "include",
		"exclude", "jobs", "max_attempts",
	};
	static const char *const tkeys[] = { "name", "command", "timeout" };
	json_t *o;
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		o = valid_doc();
		ck_assert_int_eq(json_object_del(o, keys[i]), 0);
		refuse(o, "damaged");
	}
	for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		o = valid_doc();
		json_object_del(json_object_get(o, "options"), opts[i]);
		refuse(o, "invalid options");
	}
	for (i = 0; i < sizeof tkeys / sizeof tkeys[0]; i++) {
		o = valid_doc();
		json_object_del(json_array_get(json_object_get(o, "tests"),
		    2), tkeys[i]);
		refuse(o, "damaged: a test");
	}
	o = valid_doc();
	json_object_del(json_object_get(o, "host"), "uname");
	refuse(o, "damaged");
}
END_TEST

/* Values of the wrong type or out of range. */
START_TEST(reject_wrong_values)
{
	static const struct {
		const char	*where;	/* "" top, "options", "test" */
		const char	*key;
		const char	*value;
		const char	*want;
	} bad[] = {
		{ "", "argv", "[1]", "invalid argv" },
		{ "", "argv", "\"prun\"", "invalid argv" },
		{ "", "tests", "{}", "not an array" },
		{ "", "time_start", "\"now\"", "damaged" },
		{ "options", "fsync", "\"sometimes\"", "invalid options" },
		{ "options", "jobs", "0", "invalid options" },
		{ "options", "max_attempts", "0", "invalid options" },
		{ "options", "timeout", "-1", "invalid options" },
		{ "options", "max_output", "-5", "invalid options" },
		{ "options", "include", "[2]", "invalid options" },
		{ "options", "backend", "\"xml\"", "invalid options" },
		{ "options", "backend", "1", "invalid options" },
		{ "options", "repeat", "0", "invalid options" },
		{ "options", "repeat", "\"5\"", "invalid options" },
		{ "options", "until_fail", "1", "invalid options" },
		{ "test", "command", "[]", "no valid command" },
		{ "test", "command", "\"\"", "empty command" },
		{ "test", "command", "5", "no valid command" },
		{ "test", "env", "[]", "invalid env" },
		{ "test", "env", "{\"A\":1}", "invalid env" },
		{ "test", "cwd", "7", "invalid cwd" },
		{ "test", "timeout", "-0.5", "invalid timeout" },
		{ "test", "timeout", "\"1\"", "invalid timeout" },
		{ "test", "name", "\"\"", "damaged" },
		{ "test", "name", "\"a\\u0001b\"", "damaged" },
	};
	json_error_t jerr;
	json_t *o, *at, *v;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = valid_doc();
		if (strcmp(bad[i].where, "options") == 0)
			at = json_object_get(o, "options");
		else if (strcmp(bad[i].where, "test") == 0)
			at = json_array_get(json_object_get(o, "tests"), 2);
		else
			at = o;
		v = json_loads(bad[i].value, JSON_DECODE_ANY, &jerr);
		ck_assert_msg(v != NULL, "%s", bad[i].value);
		json_object_set_new(at, bad[i].key, v);
		refuse(o, bad[i].want);
	}
}
END_TEST

/* A directory written before --backend existed has json fragments. */
START_TEST(backend_absent_is_json)
{
	struct prun_metadata md;
	struct prun_error err;
	json_t *o;
	char *s;

	o = valid_doc();
	ck_assert_int_eq(json_object_del(json_object_get(o, "options"),
	    "backend"), 0);
	s = json_dumps(o, 0);
	json_decref(o);
	memset(&err, 0, sizeof err);
	ck_assert_msg(metadata_decode(&md, s, strlen(s), "m", &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(md.options.backend, BACKEND_JSON);
	metadata_free(&md);
	free(s);
}
END_TEST

/* Duplicate keys and duplicate test names are refused. */
START_TEST(reject_duplicates)
{
	json_t *o, *tests;
	char *s, *dup;

	o = valid_doc();
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	ck_assert_int_ne(asprintf(&dup, "{\"plan_id\":\"x\",%s", s + 1), -1);
	refuse_text(dup, "duplicate");
	free(dup);
	free(s);

	o = valid_doc();
	tests = json_object_get(o, "tests");
	json_object_set_new(json_array_get(tests, 3), "name",
	    json_string("list/true"));
	refuse(o, "duplicate test name 'list/true'");
}
END_TEST

/* The plan id of one plan.  */
static char *
plan_id_of(const struct prun_plan *plan)
{
	struct prun_metadata md;
	struct prun_options o;
	struct prun_error err;
	char *argv[] = { "prun", NULL }, *id;

	options_defaults(&o);
	ck_assert_msg(metadata_init(&md, plan, &o, 1, argv, "x", &err) == 0,
	    "%s", err.msg);
	ck_assert_ptr_nonnull(id = strdup(md.plan_id));
	metadata_free(&md);
	return id;
}

/* Replace test i of p with t. */
static void
replace(struct prun_plan *p, size_t i, const struct prun_test *t)
{
	struct prun_error err;

	ck_assert_msg(plan_replace(p, i, t, &err) == 0, "%s", err.msg);
}

/* The plan id is the same for the same plan (whatever the options, host
 * or time) and differs when anything a test runs differs. */
START_TEST(plan_id)
{
	char *a1[] = { "run", "X=1", NULL }, *a2[] = { "run", NULL };
	char *e1[] = { "X=1", NULL };
	static char slash[] = "/", name[] = "list/truE", lang[] = "LANG=D";
	char *ids[16], *again;
	struct prun_test t;
	struct prun_plan p;
	size_t n = 0, i, j;

	sample_plan(&p);
	ids[n++] = plan_id_of(&p);
	again = plan_id_of(&p);
	ck_assert_str_eq(again, ids[0]);
	free(again);
	plan_free(&p);
	sample_plan(&p);
	again = plan_id_of(&p);
	ck_assert_str_eq(again, ids[0]);
	free(again);
	plan_free(&p);

	/* One change at a time. */
	sample_plan(&p);
	t = *plan_test(&p, 3);
	t.timeout = 2;
	replace(&p, 3, &t);
	ids[n++] = plan_id_of(&p);
	plan_free(&p);
	sample_plan(&p);
	t = *plan_test(&p, 3);
	t.exclusive = 0;
	replace(&p, 3, &t);
	ids[n++] = plan_id_of(&p);
	plan_free(&p);
	sample_plan(&p);
	t = *plan_test(&p, 2);
	t.cwd = slash;
	replace(&p, 2, &t);
	ids[n++] = plan_id_of(&p);
	plan_free(&p);
	sample_plan(&p);
	t = *plan_test(&p, 0);
	t.name = name;
	replace(&p, 0, &t);
	ids[n++] = plan_id_of(&p);
	plan_free(&p);
	sample_plan(&p);
	plan_test(&p, 2)->env[0] = lang;
	ids[n++] = plan_id_of(&p);
	plan_free(&p);
	sample_plan(&p);
	p.n--;
	ids[n++] = plan_id_of(&p);
	p.n++;
	plan_free(&p);
	/* The same tests in another order. */
	sample_plan(&p);
	{
		struct prun_test t0 = *plan_test(&p, 0);

		t = *plan_test(&p, 1);
		replace(&p, 0, &t);
		replace(&p, 1, &t0);
	}
	ids[n++] = plan_id_of(&p);
	plan_free(&p);

	/* The same strings in other fields: an env entry moved to argv,
	 * a word moved from one test's argv to the other's name. */
	plan_init(&p);
	add_test(&p, "t", NULL, a1, NULL, NULL, 0, 0, NULL);
	ids[n++] = plan_id_of(&p);
	plan_free(&p);
	plan_init(&p);
	add_test(&p, "t", NULL, a2, e1, NULL, 0, 0, NULL);
	ids[n++] = plan_id_of(&p);
	plan_free(&p);
	plan_init(&p);
	add_test(&p, "t", NULL, a2, NULL, "X=1", 0, 0, NULL);
	ids[n++] = plan_id_of(&p);
	plan_free(&p);

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			ck_assert_msg(strcmp(ids[i], ids[j]) != 0,
			    "plans %zu and %zu have the same id %s", i, j,
			    ids[i]);
	for (i = 0; i < n; i++)
		free(ids[i]);
}
END_TEST

/* The header of a metadata.json without ntests, up to its tests' '[':
 * the caller frees it. */
static char *
fast_header(void)
{
	json_t *o = valid_doc();
	char *s;

	json_object_del(o, "ntests");
	json_object_del(o, "tests");
	ck_assert_ptr_nonnull(s = json_dumps(o, JSON_INDENT(1)));
	json_decref(o);
	s[strlen(s) - 1] = '\0';	/* the '}' */
	return s;
}

/* Whether two tests of two plans are the same, to the sign of a zero. */
static void
assert_same_test(const struct prun_test *a, const struct prun_test *b)
{
	assert_test(a, b);
	ck_assert_int_eq(signbit(a->timeout), signbit(b->timeout));
}

/*
 * Decode buf[0..len) through the fast decoder and through jansson alone,
 * asserting the same verdict, and the same plan or the same message:
 * 0 when both accepted it, else -1.
 */
static int
agree(const char *buf, size_t len)
{
	struct prun_metadata a, b;
	struct prun_error ea, eb;
	size_t i;
	int ra, rb;

	memset(&ea, 0, sizeof ea);
	memset(&eb, 0, sizeof eb);
	ra = metadata_decode(&a, buf, len, "m", &ea);
	rb = metadata_decode_jansson(&b, buf, len, "m", &eb);
	ck_assert_msg(ra == rb, "verdicts differ (%d vs jansson %d: %s%s) "
	    "on %.*s", ra, rb, ea.msg, eb.msg, (int)(len > 2000 ? 2000 : len),
	    buf);
	if (ra == -1) {
		ck_assert_str_eq(ea.msg, eb.msg);
		return -1;
	}
	ck_assert_uint_eq(a.plan.n, b.plan.n);
	for (i = 0; i < a.plan.n; i++)
		assert_same_test(plan_test(&a.plan, i), plan_test(&b.plan, i));
	metadata_free(&a);
	metadata_free(&b);
	return 0;
}

/* A metadata.json of the header and the tests text; the caller frees it. */
static char *
with_tests(const char *tests, size_t *len)
{
	char *head = fast_header(), *s;

	ck_assert_int_gt(asprintf(&s, "%s,\n \"tests\": [\n%s\n ]\n}", head,
	    tests), 0);
	free(head);
	*len = strlen(s);
	return s;
}

/* A test the fast decoder takes, over lines, to move what follows. */
#define FAST_PLAIN	"  {\"name\":\"p/1\",\"command\":\"./x 1\"," \
	"\"timeout\":0.0,\"exclusive\":false,\"origin\":\"genresults\"}"
#define FAST_LINES	"  {\n   \"name\" : \"p/2\" ,\n\t\"command\": " \
	"[\"./y\", \"a b\"],\r\n   \"timeout\": 2 }"

/*
 * The fast decoder and jansson agree on each test of the table, alone,
 * after tests (one over lines) and before one: the same plan, or the
 * same message at the same line and column.  ok says whether it is a
 * valid test, so that the table is seen to try both verdicts.
 */
START_TEST(fast_agrees)
{
	static const struct {
		const char	*test;
		int		 ok;
	} cases[] = {
		{ "{\"name\":\"f/1\",\"command\":\"./x 1\",\"timeout\":0.0,"
		  "\"exclusive\":false,\"origin\":\"genresults\"}", 1 },
		{ "{\n\"name\"\t:\r\n\"f/2\" ,\"command\" :\"./x\","
		  "\"timeout\":0}", 1 },
		/* escapes, unicode, \u escapes */
		{ "{\"name\":\"e/\\u00e9\\ud83d\\ude00\\/\\\"\\\\x\","
		  "\"command\":\"./a\\tb\",\"timeout\":1}", 1 },
		{ "{\"name\":\"e/\xce\xbb\xf0\x9f\x98\x80\",\"command\":"
		  "\"./\xce\xbb \\\"q\\\"\",\"timeout\":0}", 1 },
		{ "{\"n\\u0061me\":\"e/k\",\"command\":\"x\",\"timeout\":0}", 1 },
		{ "{\"name\":\"e/nul\\u0000\",\"command\":\"x\",\"timeout\":0}",
		  0 },
		{ "{\"name\":\"e/ctl\\u0001\",\"command\":\"x\",\"timeout\":0}",
		  0 },
		{ "{\"name\":\"e/raw\x01\",\"command\":\"x\",\"timeout\":0}", 0 },
		{ "{\"name\":\"e/lone\\ud800\",\"command\":\"x\",\"timeout\":0}",
		  0 },
		{ "{\"name\":\"e/bad\\x\",\"command\":\"x\",\"timeout\":0}", 0 },
		/* invalid UTF-8, in a value and in a key */
		{ "{\"name\":\"u/\xff\",\"command\":\"x\",\"timeout\":0}", 0 },
		{ "{\"name\":\"u/\xc0\x80\",\"command\":\"x\",\"timeout\":0}", 0 },
		{ "{\"name\":\"u/\xed\xa0\x80\",\"command\":\"x\",\"timeout\":0}",
		  0 },
		{ "{\"name\":\"u/x\",\"command\":\"\xe2\x82\",\"timeout\":0}", 0 },
		{ "{\"name\":\"u/k\",\"command\":\"x\",\"timeout\":0,"
		  "\"\xf4\x90\x80\x80\":1}", 0 },
		/* numbers */
		{ "{\"name\":\"n/1\",\"command\":\"x\",\"timeout\":1e3}", 1 },
		{ "{\"name\":\"n/2\",\"command\":\"x\",\"timeout\":-0}", 1 },
		{ "{\"name\":\"n/3\",\"command\":\"x\",\"timeout\":-0.0}", 1 },
		{ "{\"name\":\"n/4\",\"command\":\"x\",\"timeout\":0.5}", 1 },
		{ "{\"name\":\"n/5\",\"command\":\"x\",\"timeout\":1E+2}", 1 },
		{ "{\"name\":\"n/6\",\"command\":\"x\",\"timeout\":2.5e-3}", 1 },
		{ "{\"name\":\"n/7\",\"command\":\"x\",\"timeout\":1e-999}", 1 },
		{ "{\"name\":\"n/8\",\"command\":\"x\",\"timeout\":1e999}", 0 },
		{ "{\"name\":\"n/9\",\"command\":\"x\","
		  "\"timeout\":99999999999999999999}", 0 },
		{ "{\"name\":\"n/a\",\"command\":\"x\","
		  "\"timeout\":9223372036854775807}", 1 },
		{ "{\"name\":\"n/b\",\"command\":\"x\",\"timeout\":01}", 0 },
		{ "{\"name\":\"n/c\",\"command\":\"x\",\"timeout\":1.}", 0 },
		{ "{\"name\":\"n/d\",\"command\":\"x\",\"timeout\":-1}", 0 },
		{ "{\"name\":\"n/e\",\"command\":\"x\",\"timeout\":\"1\"}", 0 },
		{ "{\"name\":\"n/f\",\"command\":\"x\",\"timeout\":null}", 0 },
		{ "{\"name\":\"n/g\",\"command\":\"x\",\"timeout\":+1}", 0 },
		{ "{\"name\":\"n/h\",\"command\":\"x\",\"timeout\":0x10}", 0 },
		/* true and false, and what test_decode takes for false */
		{ "{\"name\":\"b/1\",\"command\":\"x\",\"timeout\":0,"
		  "\"exclusive\":true}", 1 },
		{ "{\"name\":\"b/2\",\"command\":\"x\",\"timeout\":0,"
		  "\"exclusive\":null}", 1 },
		{ "{\"name\":\"b/3\",\"command\":\"x\",\"timeout\":0,"
		  "\"exclusive\":1}", 1 },
		{ "{\"name\":\"b/4\",\"command\":\"x\",\"timeout\":0,"
		  "\"exclusive\":tru}", 0 },
		/* origin, cwd, env */
		{ "{\"name\":\"o/1\",\"command\":\"x\",\"timeout\":0,"
		  "\"origin\":\"a.list:3\"}", 1 },
		{ "{\"name\":\"o/2\",\"command\":\"x\",\"timeout\":0,"
		  "\"origin\":5}", 1 },
		{ "{\"name\":\"o/3\",\"command\":\"x\",\"timeout\":0,"
		  "\"cwd\":\"/tmp\"}", 1 },
		{ "{\"name\":\"o/4\",\"command\":\"x\",\"timeout\":0,"
		  "\"cwd\":null}", 0 },
		{ "{\"name\":\"v/1\",\"command\":\"x\",\"timeout\":0,"
		  "\"env\":{\"A\":\"1\",\"B\":\"\",\"C=D\":\"e=f\"}}", 1 },
		{ "{\"name\":\"v/2\",\"command\":\"x\",\"timeout\":0,"
		  "\"env\":{}}", 1 },
		{ "{\"name\":\"v/3\",\"command\":\"x\",\"timeout\":0,"
		  "\"env\":{\"A\":1}}", 0 },
		{ "{\"name\":\"v/4\",\"command\":\"x\",\"timeout\":0,"
		  "\"env\":{\"A\":\"1\",\"A\":\"2\"}}", 0 },
		{ "{\"name\":\"v/5\",\"command\":\"x\",\"timeout\":0,"
		  "\"env\":{\"A\\u0000\":\"1\"}}", 0 },
		{ "{\"name\":\"v/6\",\"command\":\"x\",\"timeout\":0,"
		  "\"env\":[\"A=1\"]}", 0 },
		/* commands */
		{ "{\"name\":\"c/1\",\"command\":[\"./x\",\"a b\",\"\"],"
		  "\"timeout\":0}", 1 },
		{ "{\"name\":\"c/2\",\"command\":[],\"timeout\":0}", 0 },
		{ "{\"name\":\"c/3\",\"command\":[\"\"],\"timeout\":0}", 0 },
		{ "{\"name\":\"c/4\",\"command\":[\"x\",1],\"timeout\":0}", 0 },
		{ "{\"name\":\"c/5\",\"command\":[[\"x\"]],\"timeout\":0}", 0 },
		{ "{\"name\":\"c/6\",\"command\":\"\",\"timeout\":0}", 0 },
		{ "{\"name\":\"c/7\",\"command\":\" \\n\",\"timeout\":0}", 0 },
		{ "{\"name\":\"c/8\",\"command\":\"a && b | c\",\"timeout\":0}",
		  1 },
		{ "{\"name\":\"c/9\",\"command\":\"exec ./x y\",\"timeout\":0}",
		  1 },
		{ "{\"name\":\"c/a\",\"command\":5,\"timeout\":0}", 0 },
		/* duplicate, unknown, missing keys, nesting */
		{ "{\"name\":\"d/1\",\"name\":\"d/2\",\"command\":\"x\","
		  "\"timeout\":0}", 0 },
		{ "{\"name\":\"d/3\",\"command\":\"x\",\"timeout\":0,"
		  "\"timeout\":1}", 0 },
		{ "{\"name\":\"d/4\",\"command\":\"x\",\"timeout\":0,"
		  "\"extra\":{\"a\":[1,{\"b\":null}],\"s\":\"}]\\\"\"}}", 1 },
		{ "{\"name\":\"d/5\",\"command\":\"x\",\"timeout\":0,"
		  "\"Name\":\"y\"}", 1 },
		{ "{\"name\":\"d/6\",\"command\":\"x\"}", 0 },
		{ "{\"command\":\"x\",\"timeout\":0}", 0 },
		{ "{\"name\":\"d/7\",\"timeout\":0}", 0 },
		{ "{\"name\":\"d/8\",\"command\":\"x\",\"timeout\":0,}", 0 },
		{ "{\"name\":\"d/9\" \"command\":\"x\",\"timeout\":0}", 0 },
		{ "{\"name\":\"d/a\",\"command\":\"x\",\"timeout\":0", 0 },
		{ "{\"name\":\"d/b\",\"command\":\"x\",\"timeout\":0}}", 0 },
		{ "{\"name\":5,\"command\":\"x\",\"timeout\":0}", 0 },
		{ "{}", 0 },
		{ "[]", 0 },
		{ "\"x\"", 0 },
		{ "5", 0 },
		{ "tru e", 0 },
	};
	char *s, *buf;
	size_t len, i, j;
	int rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *fmt[] = { "%s", FAST_LINES ",\n%s", "%s,\n"
		    FAST_PLAIN, FAST_LINES ",\n  %s,\n  " FAST_LINES };

		for (j = 0; j < sizeof fmt / sizeof fmt[0]; j++) {
			ck_assert_int_gt(asprintf(&s, fmt[j], cases[i].test),
			    0);
			buf = with_tests(s, &len);
			rc = agree(buf, len);
			/* The last layout holds p/2 twice. */
			ck_assert_msg(rc == (cases[i].ok && j < 3 ? 0 : -1),
			    "case %zu, layout %zu: %s", i, j, s);
			free(buf);
			free(s);
		}
	}
}
END_TEST

/*
 * The two agree on every file made by damaging one: each byte of its
 * tests replaced by bytes that matter to JSON, deleted, or the text cut
 * there.
 */
START_TEST(fast_agrees_damaged)
{
	static const char swaps[] = "\"\\{}[],:0e-. \n\x01\xff\x80u";
	char *base, *buf;
	size_t len, i, j, from, accepted = 0;

	base = with_tests(FAST_PLAIN ",\n" FAST_LINES ",\n  {\"name\":\"q/"
	    "\\u00e9\",\"command\":[\"./z\"],\"env\":{\"K\":\"v\"},"
	    "\"cwd\":\"/\",\"timeout\":1.5e1,\"exclusive\":true}", &len);
	ck_assert_int_eq(agree(base, len), 0);
	ck_assert_ptr_nonnull(buf = malloc(len));
	from = (size_t)(strstr(base, "\"tests\"") - base);
	for (i = from; i < len; i++) {
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
	/* Damage that leaves valid tests is read too, by both. */
	ck_assert_uint_gt(accepted, 50);
	free(buf);
	free(base);
}
END_TEST

/*
 * Tests across the reader's blocks of 1 MB: one longer than a block, one
 * cut by a block's end, and damage past them, named at its line.
 */
START_TEST(fast_agrees_blocks)
{
	struct prun_metadata md;
	struct prun_error err;
	char *tests, *buf, *p, *at, want[64];
	size_t n = 30000, size = n * 120 + (3u << 20), len, i;

	ck_assert_ptr_nonnull(tests = malloc(size));
	p = tests;
	for (i = 0; i < n; i++) {
		p += sprintf(p, "  {\"name\":\"b/%zu\",\"command\":\"./x "
		    "%zu\",\"timeout\":0.0,\"exclusive\":false,\"origin\":"
		    "\"genresults\"},\n", i, i);
		if (i == n / 2) {
			p += sprintf(p, "  {\"name\":\"b/long\",\"command\":"
			    "\"./x ");
			memset(p, 'a', (size_t)3 << 20 >> 1);
			p += (size_t)3 << 20 >> 1;
			p += sprintf(p, "\",\"timeout\":1},\n");
		}
	}
	p += sprintf(p, "  " FAST_PLAIN);
	buf = with_tests(tests, &len);
	ck_assert_uint_gt(len, (size_t)4 << 20);
	ck_assert_int_eq(agree(buf, len), 0);
	memset(&err, 0, sizeof err);
	ck_assert_msg(metadata_decode(&md, buf, len, "m", &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(md.plan.n, n + 2);
	ck_assert_uint_eq(strlen(plan_test(&md.plan, n / 2 + 1)->command),
	    4 + ((size_t)3 << 20 >> 1));
	ck_assert_str_eq(plan_test(&md.plan, n + 1)->origin, "genresults");
	metadata_free(&md);
	/* A damaged test near the end: the same message from both, at the
	 * line that holds it. */
	ck_assert_ptr_nonnull(at = strstr(buf, "\"b/29990\""));
	at[1] = '\x01';
	ck_assert_int_eq(agree(buf, len), -1);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(metadata_decode(&md, buf, len, "m", &err), -1);
	for (i = 1, p = buf; p < at; p++)
		i += *p == '\n';
	snprintf(want, sizeof want, "m:%zu:", i);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "want line "
	    "%zu: %s", i, err.msg);
	free(buf);
	free(tests);
}
END_TEST

/* The suite of metadata tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("metadata");
	TCase *tc;

	tc = tcase_create("round trip");
	tcase_add_test(tc, init_fields);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, read_stream);
	tcase_add_test(tc, stream_layout);
	tcase_add_test(tc, round_trip_defaults);
	tcase_add_test(tc, round_trip_ci);
	tcase_add_test(tc, ci_keys);
	tcase_add_test(tc, invalid_utf8);
	tcase_add_test(tc, backend_absent_is_json);
	tcase_add_test(tc, plan_id);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_test(tc, reject_damaged_json);
	tcase_add_test(tc, reject_format_version);
	tcase_add_test(tc, reject_missing_keys);
	tcase_add_test(tc, reject_wrong_values);
	tcase_add_test(tc, reject_duplicates);
	suite_add_tcase(s, tc);

	tc = tcase_create("fast decoder");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fast_agrees);
	tcase_add_test(tc, fast_agrees_damaged);
	tcase_add_test(tc, fast_agrees_blocks);
	suite_add_tcase(s, tc);
	return s;
}
