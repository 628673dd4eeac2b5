/*
 * metadata_write: metadata.json from the frozen plan and options.
 *
 * A plan may hold 100,000 tests (a 17 MB file): nothing here holds a JSON
 * tree of the whole file.  The header is written by jansson, then the
 * tests one a line, last, so that metadata_read.c can read them one at a
 * time.  What a resume executes (command, env, cwd) is stored exactly or
 * refused; what is only shown to people is made valid UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

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

/* One test of the plan as JSON. */
static json_t *
test_json(const struct prun_test *t)
{
	json_t *o;
	int bad = 0;

	if ((o = json_object()) == NULL)
		return NULL;
	bad |= json_object_set_new(o, "name", json_string(t->name));
	bad |= json_object_set_new(o, "command", t->command != NULL ?
	    json_string(t->command) : strv_json(t->argv, (size_t)-1, 0));
	if (t->env != NULL)
		bad |= json_object_set_new(o, "env", env_json(t->env));
	if (t->cwd != NULL)
		bad |= json_object_set_new(o, "cwd", json_string(t->cwd));
	bad |= json_object_set_new(o, "timeout", json_real(t->timeout));
	bad |= json_object_set_new(o, "exclusive", json_boolean(t->exclusive));
	if (t->origin != NULL)
		bad |= json_object_set_new(o, "origin", lossy_string(t->origin));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
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

/* Serialize md as metadata.json: the header, then the tests one a line,
 * each dumped on its own. */
char *
metadata_encode(const struct prun_metadata *md, size_t *len,
    struct prun_error *err)
{
	json_t *root, *t;
	char *head = NULL, *buf = NULL;
	size_t i, hlen, size = 0;
	FILE *fp = NULL;
	int bad = 0;

	for (i = 0; i < md->plan.n; i++)
		if (!test_is_utf8(&md->plan.tests[i])) {
			prun_error_set(err, PRUN_EXIT_USAGE, "%s: test %s: its "
			    "command, cwd or env is not valid UTF-8, which %s "
			    "cannot hold", md->plan.tests[i].origin ?
			    md->plan.tests[i].origin : "?",
			    md->plan.tests[i].name, "metadata.json");
			return NULL;
		}
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
	    "ntests", (json_int_t)md->plan.n);
	if (root != NULL)
		head = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	if (head == NULL || (hlen = strlen(head)) < 2 ||
	    (fp = open_memstream(&buf, &size)) == NULL)
		goto fail;
	/* The header without its closing brace, then "tests" last. */
	head[hlen - 2] = '\0';
	bad |= fprintf(fp, "%s,\n \"tests\": [", head) < 0;
	for (i = 0; !bad && i < md->plan.n; i++) {
		if ((t = test_json(&md->plan.tests[i])) == NULL) {
			bad = 1;
			break;
		}
		bad |= fputs(i ? ",\n  " : "\n  ", fp) == EOF ||
		    json_dumpf(t, fp, JSON_COMPACT) == -1;
		json_decref(t);
	}
	bad |= fputs("\n ]\n}", fp) == EOF;
	bad |= fclose(fp) == EOF;
	fp = NULL;
	if (bad)
		goto fail;
	free(head);
	*len = size;
	return buf;
fail:
	if (fp != NULL)
		fclose(fp);
	free(buf);
	free(head);
	prun_error_set(err, PRUN_EXIT_IO, "cannot encode %s (out of "
	    "memory, or a --wrapper that is not UTF-8)", "metadata.json");
	return NULL;
}
