/*
 * metadata: metadata.json, the frozen plan and options of a run.
 *
 * A resume takes the plan from here alone, so every field that decides
 * what a test runs (command, env, cwd, timeout) is stored, and decoding is
 * strict: a damaged file is refused rather than guessed at.
 */
#include <sys/utsname.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "metadata.h"
#include "text.h"

/* FNV-1a over one more byte string, with a separator. */
static uint64_t
fnv(uint64_t h, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= 0xff;
	return h * 0x100000001b3ULL;
}

/*
 * A hash of what the plan runs, to tell shards of one plan from others.
 * Each test starts with how many strings of each field follow, so the
 * same strings in other fields (an env entry that became an argument)
 * make another plan.
 */
static char *
plan_hash(const struct prun_plan *plan)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char buf[128], *p;
	size_t i, j, nargv, nenv;

	for (i = 0; i < plan->n; i++) {
		const struct prun_test *t = &plan->tests[i];

		for (nargv = 0; t->argv[nargv] != NULL; nargv++)
			;
		for (nenv = 0; t->env != NULL && t->env[nenv] != NULL; nenv++)
			;
		snprintf(buf, sizeof buf, "%zu/%zu/%d/%.17g/%d", nargv, nenv,
		    t->cwd != NULL, t->timeout, t->exclusive);
		h = fnv(h, buf, strlen(buf));
		h = fnv(h, t->name, strlen(t->name));
		for (j = 0; j < nargv; j++)
			h = fnv(h, t->argv[j], strlen(t->argv[j]));
		for (j = 0; j < nenv; j++)
			h = fnv(h, t->env[j], strlen(t->env[j]));
		if (t->cwd != NULL)
			h = fnv(h, t->cwd, strlen(t->cwd));
	}
	snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
	p = strdup(buf);
	return p;
}

/* Copy a NULL-terminated string vector. */
static char **
strv_copy(char *const *v, int n)
{
	char **c;
	int i;

	if ((c = calloc(n + 1, sizeof *c)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((c[i] = strdup(v[i])) == NULL) {
			while (i-- > 0)
				free(c[i]);
			free(c);
			return NULL;
		}
	}
	return c;
}

/* Copy the options, with their own regex vectors. */
static int
options_copy(struct prun_options *dst, const struct prun_options *src)
{
	int n;

	*dst = *src;
	dst->include = strv_copy(src->include, (int)src->ninclude);
	dst->exclude = strv_copy(src->exclude, (int)src->nexclude);
	dst->wrapper = NULL;
	if (dst->include == NULL || dst->exclude == NULL)
		return -1;
	if (src->wrapper != NULL) {
		for (n = 0; src->wrapper[n] != NULL; n++)
			;
		if ((dst->wrapper = strv_copy(src->wrapper, n)) == NULL)
			return -1;
	}
	return 0;
}

/* Fill md for a fresh run. */
int
metadata_init(struct prun_metadata *md, const struct prun_plan *plan,
    const struct prun_options *opts, int argc, char *const *argv,
    const char *name, struct prun_error *err)
{
	struct utsname u;
	struct timespec ts;
	char host[256];
	size_t i;

	memset(md, 0, sizeof *md);
	plan_init(&md->plan);
	for (i = 0; i < plan->n; i++)
		if (plan_append(&md->plan, &plan->tests[i], err) == -1)
			goto fail;
	if (options_copy(&md->options, opts) == -1)
		goto nomem;
	if (gethostname(host, sizeof host) == -1)
		strcpy(host, "unknown");
	host[sizeof host - 1] = '\0';
	if (uname(&u) == -1)
		memset(&u, 0, sizeof u);
	clock_gettime(CLOCK_REALTIME, &ts);
	md->time_start = ts.tv_sec + ts.tv_nsec / 1e9;
	md->argc = argc;
	if ((md->argv = strv_copy(argv, argc)) == NULL ||
	    (md->name = strdup(name)) == NULL ||
	    (md->hostname = strdup(host)) == NULL ||
	    asprintf(&md->uname, "%s %s %s", u.sysname, u.release,
	    u.machine) == -1 ||
	    (md->prun_version = strdup(PACKAGE_VERSION)) == NULL ||
	    (md->plan_id = plan_hash(&md->plan)) == NULL)
		goto nomem;
	return 0;
nomem:
	prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "metadata");
fail:
	metadata_free(md);
	return -1;
}

/* Free every member. */
void
metadata_free(struct prun_metadata *md)
{
	int i;

	plan_free(&md->plan);
	options_free(&md->options);
	for (i = 0; md->argv != NULL && i < md->argc; i++)
		free(md->argv[i]);
	free(md->argv);
	free(md->name);
	free(md->plan_id);
	free(md->hostname);
	free(md->uname);
	free(md->prun_version);
	memset(md, 0, sizeof *md);
}

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
	return json_pack("{s:f, s:f, s:I, s:s, s:s, s:o, s:o, s:i, s:i, s:i, "
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
}

/* The shard of a sharded run, or NULL (the key is left out). */
static json_t *
shard_json(const struct prun_shard *sh)
{
	if (sh->total == 0)
		return NULL;
	return json_pack("{s:i, s:i, s:s}", "index", (int)sh->index,
	    "total", (int)sh->total, "from", shard_source_name(sh->source));
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

/* Serialize md as metadata.json. */
char *
metadata_encode(const struct prun_metadata *md, size_t *len,
    struct prun_error *err)
{
	json_t *root, *tests;
	char *buf = NULL;
	size_t i;

	for (i = 0; i < md->plan.n; i++)
		if (!test_is_utf8(&md->plan.tests[i])) {
			prun_error_set(err, PRUN_EXIT_USAGE, "%s: test %s: its "
			    "command, cwd or env is not valid UTF-8, which %s "
			    "cannot hold", md->plan.tests[i].origin ?
			    md->plan.tests[i].origin : "?",
			    md->plan.tests[i].name, "metadata.json");
			return NULL;
		}
	tests = json_array();
	for (i = 0; tests != NULL && i < md->plan.n; i++)
		if (json_array_append_new(tests,
		    test_json(&md->plan.tests[i])) == -1) {
			json_decref(tests);
			tests = NULL;
		}
	root = json_pack("{s:s, s:i, s:s, s:o, s:s, s:o, s:o, s:o*, "
	    "s:{s:s, s:s}, s:f, s:o}",
	    "format", METADATA_FORMAT,
	    "version", METADATA_VERSION,
	    "prun_version", md->prun_version,
	    "name", lossy_string(md->name),
	    "plan_id", md->plan_id,
	    "argv", strv_json(md->argv, md->argc, 1),
	    "options", options_json(&md->options),
	    "shard", shard_json(&md->options.shard),
	    "host", "hostname", md->hostname, "uname", md->uname,
	    "time_start", md->time_start,
	    "tests", tests);
	if (root != NULL)
		buf = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	if (buf == NULL) {
		prun_error_set(err, PRUN_EXIT_IO, "cannot encode %s (out of "
		    "memory, or a --wrapper that is not UTF-8)",
		    "metadata.json");
		return NULL;
	}
	*len = strlen(buf);
	return buf;
}

/* A JSON array of strings as a NULL-terminated vector; NULL if wrong. */
static char **
json_strv(json_t *a, size_t *n)
{
	char **v;
	json_t *s;
	size_t i;

	if (!json_is_array(a))
		return NULL;
	if ((v = calloc(json_array_size(a) + 1, sizeof *v)) == NULL)
		return NULL;
	json_array_foreach(a, i, s) {
		if (!json_is_string(s) ||
		    (v[i] = strdup(json_string_value(s))) == NULL) {
			while (i-- > 0)
				free(v[i]);
			free(v);
			return NULL;
		}
	}
	if (n != NULL)
		*n = json_array_size(a);
	return v;
}

/* Free a NULL-terminated vector. */
static void
strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* One test of metadata.json back into a prun_test. */
static int
test_decode(json_t *o, struct prun_test *t, const char **why,
    struct prun_error *err)
{
	json_t *cmd, *env, *v;
	const char *key;
	size_t i;

	memset(t, 0, sizeof *t);
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "name"))) {
		*why = "a test has no name";
		return -1;
	}
	t->name = (char *)json_string_value(json_object_get(o, "name"));
	cmd = json_object_get(o, "command");
	if (json_is_string(cmd)) {
		if (plan_set_command(t, json_string_value(cmd), err) == -1)
			return -1;
	} else {
		char **argv = json_strv(cmd, &i);

		if (argv == NULL || i == 0) {
			strv_free(argv);
			*why = "a test has no valid command";
			return -1;
		}
		i = plan_set_argv(t, argv, err);
		strv_free(argv);
		if (i != 0)
			return -1;
	}
	if ((env = json_object_get(o, "env")) != NULL) {
		if (!json_is_object(env) ||
		    (t->env = calloc(json_object_size(env) + 1,
		    sizeof *t->env)) == NULL) {
			*why = "a test has an invalid env";
			return -1;
		}
		i = 0;
		json_object_foreach(env, key, v) {
			if (!json_is_string(v) || asprintf(&t->env[i], "%s=%s",
			    key, json_string_value(v)) == -1) {
				t->env[i] = NULL;
				*why = "a test has an invalid env";
				return -1;
			}
			i++;
		}
	}
	if ((v = json_object_get(o, "cwd")) != NULL) {
		if (!json_is_string(v) ||
		    (t->cwd = strdup(json_string_value(v))) == NULL) {
			*why = "a test has an invalid cwd";
			return -1;
		}
	}
	v = json_object_get(o, "timeout");
	if (!json_is_number(v) || json_number_value(v) < 0) {
		*why = "a test has an invalid timeout";
		return -1;
	}
	t->timeout = json_number_value(v);
	t->exclusive = json_is_true(json_object_get(o, "exclusive"));
	v = json_object_get(o, "origin");
	t->origin = (char *)(json_is_string(v) ? json_string_value(v) : NULL);
	return 0;
}

/* Release what test_decode allocated (name and origin are borrowed). */
static void
test_release(struct prun_test *t)
{
	free(t->command);
	strv_free(t->argv);
	strv_free(t->env);
	free(t->cwd);
}

/* The frozen options back from JSON. */
static int
options_decode(json_t *o, struct prun_options *opts)
{
	const char *fsync = NULL, *backend = NULL;
	json_int_t max_output = 0;
	json_t *inc = NULL, *exc = NULL, *v;
	size_t n;

	options_defaults(opts);
	/* backend is optional: directories older than it are json. */
	if (json_unpack(o, "{s:F, s:F, s:I, s:s, s?s, s:o, s:o, s:i, s:i}",
	    "timeout", &opts->timeout,
	    "kill_after", &opts->kill_after,
	    "max_output", &max_output,
	    "fsync", &fsync,
	    "backend", &backend,
	    "include", &inc,
	    "exclude", &exc,
	    "jobs", &opts->jobs,
	    "max_attempts", &opts->max_attempts) == -1)
		return -1;
	/* The bounds of the command line: a damaged file must not make
	 * prun allocate a slot per job for billions of jobs. */
	if (opts->timeout < 0 || opts->timeout > OPTIONS_SECONDS_MAX ||
	    opts->kill_after < 0 || opts->kill_after > OPTIONS_SECONDS_MAX ||
	    max_output < 0 || opts->jobs < 1 ||
	    opts->jobs > OPTIONS_COUNT_MAX || opts->max_attempts < 1 ||
	    opts->max_attempts > OPTIONS_COUNT_MAX)
		return -1;
	opts->max_output = (size_t)max_output;
	if (strcmp(fsync, "always") == 0)
		opts->fsync = 1;
	else if (strcmp(fsync, "never") == 0)
		opts->fsync = 0;
	else
		return -1;
	if (backend != NULL &&
	    options_backend_parse(backend, &opts->backend) == -1)
		return -1;
	opts->include = json_strv(inc, &opts->ninclude);
	opts->exclude = json_strv(exc, &opts->nexclude);
	if (opts->include == NULL || opts->exclude == NULL)
		return -1;
	/* Keys added after the first format: absent means off. */
	if ((v = json_object_get(o, "rerun_failures")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 100000)
			return -1;
		opts->rerun_failures = (int)json_integer_value(v);
	}
	if ((v = json_object_get(o, "overall_timeout")) != NULL) {
		if (!json_is_number(v) || json_number_value(v) < 0)
			return -1;
		opts->overall_timeout = json_number_value(v);
	}
	if ((v = json_object_get(o, "wrapper")) != NULL &&
	    ((opts->wrapper = json_strv(v, &n)) == NULL || n == 0))
		return -1;
	return 0;
}

/* The shard of metadata.json, if the run was sharded. */
static int
shard_decode(json_t *o, struct prun_shard *sh)
{
	const char *from = "given";
	int index, total;

	memset(sh, 0, sizeof *sh);
	if (o == NULL)
		return 0;
	if (json_unpack(o, "{s:i, s:i, s?s}", "index", &index, "total", &total,
	    "from", &from) == -1 || total < 1 || total > SHARD_MAX ||
	    index < 1 || index > total ||
	    shard_source_parse(from, &sh->source) == -1)
		return -1;
	sh->index = (unsigned)index;
	sh->total = (unsigned)total;
	return 0;
}

/* Parse metadata.json strictly. */
int
metadata_decode(struct prun_metadata *md, const char *buf, size_t len,
    const char *what, struct prun_error *err)
{
	json_error_t jerr;
	json_t *root, *tests, *o;
	const char *why = NULL, *format = NULL, *version_s = NULL,
	    *name = NULL, *plan_id = NULL, *host = NULL, *un = NULL;
	json_t *argv = NULL, *options = NULL;
	struct prun_test t;
	char reason[sizeof err->msg];
	size_t i, n;
	int version = 0, rc;

	memset(md, 0, sizeof *md);
	plan_init(&md->plan);
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s:%d:%d: damaged: %s", what, jerr.line, jerr.column,
		    jerr.text);
	if (json_unpack_ex(root, &jerr, 0, "{s:s, s:i}", "format", &format,
	    "version", &version) == -1 || strcmp(format, METADATA_FORMAT)) {
		why = "not a prun metadata.json";
		goto fail;
	}
	if (version != METADATA_VERSION) {
		why = "written by an incompatible version of prun";
		goto fail;
	}
	if (json_unpack_ex(root, &jerr, 0, "{s:s, s:s, s:s, s:o, s:o, "
	    "s:{s:s, s:s}, s:F, s:o}",
	    "prun_version", &version_s, "name", &name, "plan_id", &plan_id,
	    "argv", &argv, "options", &options,
	    "host", "hostname", &host, "uname", &un,
	    "time_start", &md->time_start, "tests", &tests) == -1) {
		why = jerr.text;
		goto fail;
	}
	if (options_decode(options, &md->options) == -1) {
		why = "invalid options";
		goto fail;
	}
	if (shard_decode(json_object_get(root, "shard"),
	    &md->options.shard) == -1) {
		why = "invalid shard";
		goto fail;
	}
	if ((md->argv = json_strv(argv, &n)) == NULL) {
		why = "invalid argv";
		goto fail;
	}
	md->argc = (int)n;
	if (!json_is_array(tests)) {
		why = "tests is not an array";
		goto fail;
	}
	json_array_foreach(tests, i, o) {
		why = NULL;
		rc = test_decode(o, &t, &why, err);
		if (rc == 0)
			rc = plan_append(&md->plan, &t, err);
		test_release(&t);
		if (rc == -1) {
			if (why == NULL) {
				snprintf(reason, sizeof reason, "%s", err->msg);
				why = reason;
			}
			goto fail;
		}
	}
	if ((md->name = strdup(name)) == NULL ||
	    (md->plan_id = strdup(plan_id)) == NULL ||
	    (md->hostname = strdup(host)) == NULL ||
	    (md->uname = strdup(un)) == NULL ||
	    (md->prun_version = strdup(version_s)) == NULL) {
		why = strerror(ENOMEM);
		goto fail;
	}
	json_decref(root);
	if (plan_check(&md->plan, err) == -1) {
		metadata_free(md);
		return prun_error_wrap(err, "%s: damaged", what);
	}
	return 0;
fail:
	prun_error_set(err, PRUN_EXIT_USAGE, "%s: damaged: %s", what, why);
	json_decref(root);
	metadata_free(md);
	return -1;
}
