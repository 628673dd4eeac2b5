/*
 * metadata_write: metadata.json from the frozen plan and options.
 *
 * A plan may hold a million tests (a 100 MB file): nothing here holds
 * the whole file, or a JSON tree of it.  metadata_write puts it into a
 * stream (store.c makes that the atomic write's temporary file): the
 * header by jansson, then the tests one a line, last, each written as it
 * comes by json.c's string writer, so that metadata_read.c can read them
 * one at a time.  What a resume executes (command, env, cwd) is stored
 * exactly or refused (metadata_check, before anything is written); what
 * is only shown to people is made valid UTF-8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "core/text.h"
#include "plan/metadata.h"

/*
 * A JSON string of s with each invalid byte as U+FFFD: only for what is
 * recorded for people (prun's argv, the run's name, origins, filters),
 * never for what a resume executes, which must be stored exactly.
 */
static json_t *
lossy_string(const char *s)
{
	json_t *v;
	char *u;
	size_t len;

	if ((u = text_to_utf8(s, strlen(s), &len)) == NULL)
		return NULL;
	v = json_stringn(u, len);
	free(u);
	return v;
}

/* A JSON array of strings, exact or lossy. */
static json_t *
strv_json(char *const *v, size_t n, int lossy)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && (n == (size_t)-1 ? v[i] != NULL : i < n); i++)
		if (json_array_append_new(a, lossy ? lossy_string(v[i]) :
		    json_string(v[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* A test's "KEY=VALUE" vector as a JSON object. */
static json_t *
env_json(char *const *env)
{
	json_t *o = json_object();
	const char *eq;
	char *key;
	size_t i;
	int rc;

	for (i = 0; o != NULL && env[i] != NULL; i++) {
		eq = strchr(env[i], '=');
		key = eq == NULL ? strdup(env[i]) : strndup(env[i], eq - env[i]);
		rc = key == NULL ? -1 : json_object_set_new(o, key,
		    json_string(eq == NULL ? "" : eq + 1));
		free(key);
		if (rc == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* s as a JSON string, exact (s is valid UTF-8) or lossy as above. */
static int
put_string(FILE *fp, const char *s, int lossy)
{
	char *u;
	size_t len = strlen(s);
	int rc;

	if (!lossy || text_utf8_valid(s, len))
		return json_write_string(fp, s, len);
	if ((u = text_to_utf8(s, len, &len)) == NULL)
		return -1;
	rc = json_write_string(fp, u, len);
	free(u);
	return rc;
}

/* A real as jansson writes it (0.0, 2.5, 1e+300). */
static int
put_real(FILE *fp, double d)
{
	json_t *v;
	int rc;

	if (d == 0)
		return fputs("0.0", fp) == EOF ? -1 : 0;
	if ((v = json_real(d)) == NULL)
		return -1;
	rc = json_dumpf(v, fp, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(v);
	return rc;
}

/*
 * One test of the plan as a line of JSON, the members in the order
 * jansson wrote them: a million of these are written, so no tree of each
 * is built but for the rare env.
 */
static int
put_test(FILE *fp, const struct prun_test *t)
{
	json_t *env;
	size_t i;
	int bad = 0;

	bad |= fputs("{\"name\":", fp) == EOF;
	bad |= put_string(fp, t->name, 0);
	bad |= fputs(",\"command\":", fp) == EOF;
	if (t->command != NULL)
		bad |= put_string(fp, t->command, 0);
	else {
		bad |= putc('[', fp) == EOF;
		for (i = 0; t->argv[i] != NULL; i++) {
			bad |= i > 0 && putc(',', fp) == EOF;
			bad |= put_string(fp, t->argv[i], 0);
		}
		bad |= putc(']', fp) == EOF;
	}
	if (t->env != NULL) {
		bad |= fputs(",\"env\":", fp) == EOF;
		if ((env = env_json(t->env)) == NULL)
			return -1;
		bad |= json_dumpf(env, fp, JSON_COMPACT);
		json_decref(env);
	}
	if (t->cwd != NULL) {
		bad |= fputs(",\"cwd\":", fp) == EOF;
		bad |= put_string(fp, t->cwd, 0);
	}
	bad |= fputs(",\"timeout\":", fp) == EOF;
	bad |= put_real(fp, t->timeout);
	bad |= fputs(t->exclusive ? ",\"exclusive\":true" :
	    ",\"exclusive\":false", fp) == EOF;
	if (t->origin != NULL) {
		bad |= fputs(",\"origin\":", fp) == EOF;
		bad |= put_string(fp, t->origin, 1);
	}
	bad |= putc('}', fp) == EOF;
	return bad ? -1 : 0;
}

/* The frozen options as JSON. */
static json_t *
options_json(const struct prun_options *o)
{
	json_t *j;

	j = json_pack("{s:f, s:f, s:I, s:s, s:s, s:o, s:o, s:i, s:i, s:i, "
	    "s:f, s:o*}",
	    "timeout", o->timeout,
	    "kill_after", o->kill_after,
	    "max_output", (json_int_t)o->max_output,
	    "fsync", o->fsync ? "always" : "never",
	    "backend", options_backend_name(o->backend),
	    "include", strv_json(o->include, o->ninclude, 1),
	    "exclude", strv_json(o->exclude, o->nexclude, 1),
	    "jobs", o->jobs,
	    "max_attempts", o->max_attempts,
	    "rerun_failures", o->rerun_failures,
	    "overall_timeout", o->overall_timeout,
	    "wrapper", o->wrapper ? strv_json(o->wrapper, (size_t)-1, 0) :
	    NULL);
	/* Left out when not given: files stay as they were without it. */
	if (j != NULL && o->max_fail > 0 && json_object_set_new(j,
	    "max_fail", json_integer(o->max_fail)) == -1) {
		json_decref(j);
		return NULL;
	}
	/* --repeat and --until-fail, likewise only when given: a resume
	 * repeats the same way. */
	if (j != NULL && o->repeat > 1 && (json_object_set_new(j, "repeat",
	    json_integer(o->repeat)) == -1 || (o->until_fail &&
	    json_object_set_new(j, "until_fail", json_true()) == -1))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The shard of a sharded run, or NULL (the key is left out); "cut" says
 * how the shards were cut: round-robin, or by the time of the history
 * whose digest "history" gives (schedule.h). */
static json_t *
shard_json(const struct prun_metadata *md)
{
	const struct prun_shard *sh = &md->options.shard;
	int timed = sh->total > 1 && md->sched.owner != NULL;

	if (sh->total == 0)
		return NULL;
	return json_pack("{s:i, s:i, s:s, s:s*, s:s*}", "index", (int)sh->index,
	    "total", (int)sh->total, "from", shard_source_name(sh->source),
	    "cut", timed ? "time" : NULL,
	    "history", timed ? md->sched.digest : NULL);
}

/*
 * The schedule of a run with --history, or NULL (the key is left out):
 * how the shards were cut, the digest of the history they were cut from,
 * every test's expected time and the start order, so that a resume, on
 * any machine, starts the tests in the same order.
 */
static json_t *
schedule_json(const struct prun_metadata *md)
{
	const struct prun_schedule *s = &md->sched;
	json_t *o, *exp, *order;
	size_t i;
	int bad = 0;

	if (s->expected == NULL)
		return NULL;
	exp = json_array();
	order = json_array();
	for (i = 0; exp != NULL && order != NULL && i < s->n; i++) {
		bad |= json_array_append_new(exp, json_real(s->expected[i]));
		bad |= json_array_append_new(order,
		    json_integer((json_int_t)s->order[i]));
	}
	o = json_pack("{s:s, s:s, s:I, s:o, s:o}",
	    "cut", md->options.shard.total > 1 ? "time" : "none",
	    "history", s->digest,
	    "known", (json_int_t)s->known,
	    "expected", exp, "order", order);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Whether what runs test t (command, cwd, env) is valid UTF-8, which is
 * all that JSON can hold. */
static int
test_is_utf8(const struct prun_test *t)
{
	size_t i;

	if (t->command != NULL && !text_utf8_valid(t->command,
	    strlen(t->command)))
		return 0;
	for (i = 0; t->command == NULL && t->argv[i] != NULL; i++)
		if (!text_utf8_valid(t->argv[i], strlen(t->argv[i])))
			return 0;
	for (i = 0; t->env != NULL && t->env[i] != NULL; i++)
		if (!text_utf8_valid(t->env[i], strlen(t->env[i])))
			return 0;
	return t->cwd == NULL || text_utf8_valid(t->cwd, strlen(t->cwd));
}

/* Refuse a plan that metadata.json cannot hold exactly. */
int
metadata_check(const struct prun_metadata *md, struct prun_error *err)
{
	const struct prun_test *t;
	size_t i, n = plan_size(&md->plan);

	for (i = 0; i < n; i++) {
		t = plan_test(&md->plan, i);
		if (!test_is_utf8(t))
			return prun_error_set(err, PRUN_EXIT_USAGE, "%s: test "
			    "%s: its command, cwd or env is not valid UTF-8, "
			    "which %s cannot hold", t->origin ? t->origin :
			    "?", t->name, "metadata.json");
	}
	return 0;
}

/* What a failure to encode is: out of memory, or a bad real or string
 * that metadata_check did not see. */
static int
encode_failed(struct prun_error *err)
{
	return prun_error_set(err, PRUN_EXIT_IO, "cannot encode %s (out of "
	    "memory, or a --wrapper that is not UTF-8)", "metadata.json");
}

/* Write md as metadata.json to fp: the header, then the tests one a
 * line.  A write error of fp stops it and is left for the caller to find
 * (ferror); -1 only when something could not be encoded. */
int
metadata_write(const struct prun_metadata *md, FILE *fp,
    struct prun_error *err)
{
	json_t *root;
	char *head = NULL;
	size_t i, n = plan_size(&md->plan), hlen;

	root = json_pack("{s:s, s:i, s:s, s:o, s:s, s:o, s:o, s:o*, s:o*, "
	    "s:{s:s, s:s}, s:f, s:I}",
	    "format", METADATA_FORMAT,
	    "version", METADATA_VERSION,
	    "prun_version", md->prun_version,
	    "name", lossy_string(md->name),
	    "plan_id", md->plan_id,
	    "argv", strv_json(md->argv, md->argc, 1),
	    "options", options_json(&md->options),
	    "shard", shard_json(md),
	    "schedule", schedule_json(md),
	    "host", "hostname", md->hostname, "uname", md->uname,
	    "time_start", md->time_start,
	    "ntests", (json_int_t)n);
	if (root != NULL)
		head = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	if (head == NULL || (hlen = strlen(head)) < 2) {
		free(head);
		return encode_failed(err);
	}
	/* The header without its closing brace, then "tests" last. */
	head[hlen - 2] = '\0';
	fprintf(fp, "%s,\n \"tests\": [", head);
	free(head);
	for (i = 0; i < n && !ferror(fp); i++) {
		fputs(i ? ",\n  " : "\n  ", fp);
		if (put_test(fp, plan_test(&md->plan, i)) == -1 && !ferror(fp))
			return encode_failed(err);
	}
	fputs("\n ]\n}", fp);
	return 0;
}

/* metadata_check and metadata_write into a malloc'd buffer. */
char *
metadata_encode(const struct prun_metadata *md, size_t *len,
    struct prun_error *err)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp;
	int bad;

	if (metadata_check(md, err) == -1)
		return NULL;
	if ((fp = open_memstream(&buf, &size)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "metadata.json");
		return NULL;
	}
	if (metadata_write(md, fp, err) == -1) {
		fclose(fp);
		free(buf);
		return NULL;
	}
	bad = ferror(fp);
	if (fclose(fp) == EOF || bad) {
		free(buf);
		encode_failed(err);
		return NULL;
	}
	*len = size;
	return buf;
}
