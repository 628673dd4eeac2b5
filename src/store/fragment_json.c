/*
 * fragment_json: one test's result as a standalone JSON document, the
 * fragments of the json backend (tests/NNNNNN.json).
 *
 * The JSON layout keeps piglit's per-test keys (result, out, err, returncode,
 * command, pid, time, subtests) so the summary copies them as they are,
 * and adds prun's own: format, version, index, name, attempt, and for a
 * test rerun after failing, flaky and the earlier tries (each with the
 * per-run keys: result, returncode, pid, time, out, err, subtests).
 *
 * Reading is on the path of every summary and resume, which read every
 * fragment of a run: mostly long out and err strings.  So a fragment is
 * first read by a fast reader of exactly what prun writes, on core/json's
 * scanner; it gives up on anything else (an unknown or duplicate key, a
 * number out of range, an escape it does not know, a byte out of place),
 * and jansson then reads the fragment and gives its verdict.  The rules
 * the fast reader keeps:
 *  1. It accepts only valid JSON (json.h rule 1, and no duplicate key),
 *     a subset of what jansson accepts.
 *  2. What it accepts, it reads into the same result as jansson's reader
 *     (check_fragment compares the two on damaged fragments).
 *  3. It never reports an error itself: every message is jansson's
 *     reader's, so a damaged fragment is named as before.
 *  4. Each version it reads says which keys it must hold (needed[]); a
 *     later version is one more row there and in jansson's dispatch.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "store/fragment_json.h"
#include "store/fragment_version.h"

/* Set key to a new value, failing on NULL (out of memory). */
static int
put(json_t *o, const char *key, json_t *v)
{
	return v == NULL ? -1 : json_object_set_new(o, key, v);
}

/* Put "todo", the names of the TAP TODO points of a run, if any. */
static int
put_todo(json_t *o, const struct prun_result *r)
{
	json_t *todo = NULL;
	size_t i;
	int bad = 0;

	for (i = 0; i < r->nsubtests; i++) {
		if (!r->subtests[i].todo)
			continue;
		if (todo == NULL && put(o, "todo", todo = json_array()) == -1)
			return -1;
		bad |= json_array_append_new(todo,
		    json_string(r->subtests[i].name));
	}
	return bad ? -1 : 0;
}

/* Put the keys of one run of the test: status, exit, time, output. */
static int
put_run(json_t *o, const struct prun_result *r)
{
	json_t *time, *subs;
	size_t i;
	int bad = 0;

	bad |= put(o, "result", json_string(status_name(r->status)));
	bad |= put(o, "returncode", r->has_returncode ?
	    json_integer(r->returncode) : json_null());
	bad |= put(o, "pid", json_integer(r->pid));
	time = json_object();
	bad |= put(o, "time", time);
	if (time != NULL) {
		bad |= put(time, "start", json_real(r->time_start));
		bad |= put(time, "end", json_real(r->time_end));
	}
	bad |= put(o, "out", json_stringn(r->out ? r->out : "", r->out_len));
	bad |= put(o, "err", json_stringn(r->err ? r->err : "", r->err_len));
	subs = json_object();
	bad |= put(o, "subtests", subs);
	for (i = 0; subs != NULL && i < r->nsubtests; i++)
		bad |= put(subs, r->subtests[i].name,
		    json_string(status_name(r->subtests[i].status)));
	return bad || put_todo(o, r) == -1 ? -1 : 0;
}

/* Put the earlier tries of a rerun test, and whether it is flaky. */
static int
put_tries(json_t *o, const struct prun_result *r)
{
	json_t *tries, *t;
	size_t i;
	int bad = 0;

	if (r->flaky)
		bad |= put(o, "flaky", json_true());
	if (r->ntries == 0)
		return bad ? -1 : 0;
	tries = json_array();
	bad |= put(o, "tries", tries);
	for (i = 0; tries != NULL && i < r->ntries; i++) {
		t = json_object();
		bad |= t == NULL || json_array_append_new(tries, t) == -1 ||
		    put_run(t, &r->tries[i]) == -1;
	}
	return bad ? -1 : 0;
}

/* Put what prun saw of the machine: the kernel log and leaks. */
static int
put_machine(json_t *o, const struct prun_result *r)
{
	json_t *leaks, *names;
	size_t i;
	int bad = 0;

	if (r->dmesg != NULL)
		bad |= put(o, "dmesg", json_stringn(r->dmesg, r->dmesg_len));
	if (r->dmesg_shared)
		bad |= put(o, "dmesg_shared", json_true());
	if (r->leaked == 0)
		return bad ? -1 : 0;
	leaks = json_object();
	bad |= put(o, "leaks", leaks);
	if (leaks == NULL)
		return -1;
	bad |= put(leaks, "count", json_integer((json_int_t)r->leaked));
	names = json_array();
	bad |= put(leaks, "commands", names);
	for (i = 0; names != NULL && i < r->nleak_commands; i++)
		bad |= json_array_append_new(names,
		    json_string(r->leak_commands[i]));
	return bad ? -1 : 0;
}

/* Put the repetitions of --repeat, with the output kept of each. */
static int
put_reps(json_t *o, const struct prun_result *r)
{
	const struct prun_repetition *p;
	json_t *reps, *t;
	size_t i;
	int bad = 0;

	if (r->nreps == 0)
		return 0;
	reps = json_array();
	bad |= put(o, "repetitions", reps);
	for (i = 0; reps != NULL && i < r->nreps; i++) {
		p = &r->reps[i];
		t = json_object();
		bad |= t == NULL || json_array_append_new(reps, t) == -1;
		if (t == NULL)
			break;
		bad |= put(t, "result", json_string(status_name(p->status)));
		bad |= put(t, "returncode", p->has_returncode ?
		    json_integer(p->returncode) : json_null());
		bad |= put(t, "duration", json_real(p->duration));
		if (p->out != NULL)
			bad |= put(t, "out", json_stringn(p->out, p->out_len));
		if (p->err != NULL)
			bad |= put(t, "err", json_stringn(p->err, p->err_len));
	}
	return bad ? -1 : 0;
}

/* Serialize r as one JSON document ending in a newline. */
char *
fragment_json_encode(const struct prun_result *r, size_t *len, struct prun_error *err)
{
	json_t *o;
	char *buf = NULL;
	int bad = 0;

	if ((o = json_object()) == NULL)
		goto nomem;
	bad |= put(o, "format", json_string(FRAGMENT_FORMAT));
	bad |= put(o, "version", json_integer(FRAGMENT_VERSION));
	bad |= put(o, "index", json_integer((json_int_t)r->index));
	bad |= put(o, "name", json_string(r->name));
	bad |= put(o, "attempt", json_integer(r->attempt));
	if (r->interrupted)
		bad |= put(o, "interrupted", json_true());
	if (r->command != NULL)
		bad |= put(o, "command", json_string(r->command));
	bad |= put_run(o, r);
	bad |= put_tries(o, r);
	bad |= put_machine(o, r);
	bad |= put_reps(o, r);
	if (bad)
		goto nomem;
	if ((*len = json_dumpb(o, NULL, 0, JSON_COMPACT)) == 0)
		goto nomem;
	if ((buf = malloc(*len + 1)) == NULL)
		goto nomem;
	json_dumpb(o, buf, *len, JSON_COMPACT);
	buf[(*len)++] = '\n';
	json_decref(o);
	return buf;
nomem:
	json_decref(o);
	prun_error_set(err, PRUN_EXIT_IO,
	    "test %s: cannot encode its result (out of memory or invalid "
	    "UTF-8)", r->name ? r->name : "?");
	return NULL;
}

/*
 * Copy a string member (which must exist and be a string) into *out.
 * Only out and err, read with their len, may hold NUL: in a name, a NUL
 * would hide what follows it from every strcmp.
 */
static int
get_string(json_t *o, const char *key, char **out, size_t *len)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return -1;
	if (len == NULL &&
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	if (len != NULL)
		*len = json_string_length(v);
	*out = malloc(json_string_length(v) + 1);
	if (*out == NULL)
		return -1;
	memcpy(*out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* The number at key, which must be an integer or a real. */
static int
get_number(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

/* Fill r->subtests from a {"name": "status"} object. */
static int
get_subtests(json_t *subs, struct prun_result *r, const char **why)
{
	const char *key;
	json_t *v;
	size_t i = 0;

	if (!json_is_object(subs)) {
		*why = "subtests is not an object";
		return -1;
	}
	if (json_object_size(subs) == 0)
		return 0;
	r->subtests = calloc(json_object_size(subs), sizeof *r->subtests);
	if (r->subtests == NULL) {
		*why = strerror(errno);
		return -1;
	}
	json_object_foreach(subs, key, v) {
		if (!json_is_string(v) ||
		    status_parse(json_string_value(v),
		    &r->subtests[i].status) == -1) {
			*why = "a subtest has no valid status";
			return -1;
		}
		if ((r->subtests[i].name = strdup(key)) == NULL) {
			*why = strerror(errno);
			return -1;
		}
		r->nsubtests = ++i;
	}
	return 0;
}

/* Mark the TODO points of a run from its "todo" array, if any. */
static int
get_todo(json_t *todo, struct prun_result *r, const char **why)
{
	json_t *v;
	size_t i, from = 0;

	if (todo == NULL)
		return 0;
	if (!json_is_array(todo)) {
		*why = "todo is not an array";
		return -1;
	}
	json_array_foreach(todo, i, v) {
		if (!json_is_string(v) ||
		    result_mark_todo(r, json_string_value(v), &from) == -1) {
			*why = "todo names no subtest";
			return -1;
		}
	}
	return 0;
}

/* Get the keys of one run of the test into r. */
static int
get_run(json_t *o, struct prun_result *r, const char **why)
{
	json_t *v, *time;
	char *s = NULL;

	if (get_string(o, "result", &s, NULL) == -1 ||
	    status_parse(s, &r->status) == -1) {
		free(s);
		*why = "no valid result";
		return -1;
	}
	free(s);
	v = json_object_get(o, "returncode");
	if (json_is_integer(v) && json_integer_value(v) >= INT_MIN &&
	    json_integer_value(v) <= INT_MAX) {
		r->has_returncode = 1;
		r->returncode = (int)json_integer_value(v);
	} else if (!json_is_null(v)) {
		*why = "returncode is not an integer or null";
		return -1;
	}
	/* An integer, as prun writes it: a real like 1e300 has no long. */
	v = json_object_get(o, "pid");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > INT_MAX) {
		*why = "no valid pid";
		return -1;
	}
	r->pid = (long)json_integer_value(v);
	time = json_object_get(o, "time");
	if (!json_is_object(time) ||
	    get_number(time, "start", &r->time_start) == -1 ||
	    get_number(time, "end", &r->time_end) == -1) {
		*why = "no valid time";
		return -1;
	}
	if (get_string(o, "out", &r->out, &r->out_len) == -1 ||
	    get_string(o, "err", &r->err, &r->err_len) == -1) {
		*why = "no out or err";
		return -1;
	}
	if (get_subtests(json_object_get(o, "subtests"), r, why) == -1)
		return -1;
	return get_todo(json_object_get(o, "todo"), r, why);
}

/* Get the earlier tries of a rerun test, if any. */
static int
get_tries(json_t *o, struct prun_result *r, const char **why)
{
	json_t *tries = json_object_get(o, "tries"), *t;
	size_t i;

	r->flaky = json_is_true(json_object_get(o, "flaky"));
	if (tries == NULL)
		return 0;
	if (!json_is_array(tries)) {
		*why = "tries is not an array";
		return -1;
	}
	if (json_array_size(tries) == 0)
		return 0;
	r->tries = calloc(json_array_size(tries), sizeof *r->tries);
	if (r->tries == NULL) {
		*why = strerror(errno);
		return -1;
	}
	json_array_foreach(tries, i, t) {
		r->ntries = i + 1;
		r->tries[i].index = r->index;
		r->tries[i].attempt = r->attempt;
		if (!json_is_object(t)) {
			*why = "a try is not an object";
			return -1;
		}
		if (get_run(t, &r->tries[i], why) == -1)
			return -1;
	}
	return 0;
}

/* Version 1 of a fragment, after its format and version, into r. */
static int
get_v1(json_t *o, struct prun_result *r, const char **why)
{
	json_t *v;

	v = json_object_get(o, "index");
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		*why = "no valid index";
		return -1;
	}
	r->index = (size_t)json_integer_value(v);
	if (get_string(o, "name", &r->name, NULL) == -1) {
		*why = "no valid name";
		return -1;
	}
	v = json_object_get(o, "attempt");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 1000000) {
		*why = "no valid attempt";
		return -1;
	}
	r->attempt = (int)json_integer_value(v);
	v = json_object_get(o, "interrupted");
	if (v != NULL && !json_is_boolean(v)) {
		*why = "interrupted is not a boolean";
		return -1;
	}
	r->interrupted = json_is_true(v);
	if (json_object_get(o, "command") != NULL &&
	    get_string(o, "command", &r->command, NULL) == -1) {
		*why = "command is not a string without NUL";
		return -1;
	}
	if (get_run(o, r, why) == -1 || get_tries(o, r, why) == -1)
		return -1;
	return 0;
}

/* "dmesg", "dmesg_shared" and "leaks" of a version 2 fragment. */
static int
get_machine(json_t *o, struct prun_result *r, const char **why)
{
	json_t *v, *leaks, *names;
	size_t i;

	if (json_object_get(o, "dmesg") != NULL &&
	    get_string(o, "dmesg", &r->dmesg, &r->dmesg_len) == -1) {
		*why = "dmesg is not a string";
		return -1;
	}
	v = json_object_get(o, "dmesg_shared");
	if (v != NULL && !json_is_boolean(v)) {
		*why = "dmesg_shared is not a boolean";
		return -1;
	}
	r->dmesg_shared = json_is_true(v);
	if ((leaks = json_object_get(o, "leaks")) == NULL)
		return 0;
	v = json_object_get(leaks, "count");
	names = json_object_get(leaks, "commands");
	if (!json_is_object(leaks) || !json_is_integer(v) ||
	    json_integer_value(v) < 1 || !json_is_array(names) ||
	    json_array_size(names) > RESULT_LEAK_NAMES ||
	    json_array_size(names) > (size_t)json_integer_value(v)) {
		*why = "no valid leaks";
		return -1;
	}
	r->leaked = (size_t)json_integer_value(v);
	if (json_array_size(names) > 0 && (r->leak_commands =
	    calloc(json_array_size(names), sizeof *r->leak_commands)) ==
	    NULL) {
		*why = strerror(errno);
		return -1;
	}
	json_array_foreach(names, i, v) {
		if (!json_is_string(v) || (r->leak_commands[i] =
		    strdup(json_string_value(v))) == NULL) {
			*why = "a leaked command is not a string";
			return -1;
		}
		r->nleak_commands = i + 1;
	}
	return 0;
}

/* One repetition of --repeat into p. */
static int
get_rep(json_t *t, struct prun_repetition *p, const char **why)
{
	json_t *v;
	char *s = NULL;

	if (!json_is_object(t) || get_string(t, "result", &s, NULL) == -1 ||
	    status_parse(s, &p->status) == -1 ||
	    get_number(t, "duration", &p->duration) == -1) {
		free(s);
		*why = "a repetition has no valid result or duration";
		return -1;
	}
	free(s);
	v = json_object_get(t, "returncode");
	if (json_is_integer(v) && json_integer_value(v) >= INT_MIN &&
	    json_integer_value(v) <= INT_MAX) {
		p->has_returncode = 1;
		p->returncode = (int)json_integer_value(v);
	} else if (!json_is_null(v)) {
		*why = "a repetition's returncode is not an integer or null";
		return -1;
	}
	if ((json_object_get(t, "out") != NULL &&
	    get_string(t, "out", &p->out, &p->out_len) == -1) ||
	    (json_object_get(t, "err") != NULL &&
	    get_string(t, "err", &p->err, &p->err_len) == -1)) {
		*why = "a repetition's out or err is not a string";
		return -1;
	}
	return 0;
}

/* The repetitions of a version 2 fragment, if any. */
static int
get_reps(json_t *o, struct prun_result *r, const char **why)
{
	json_t *reps = json_object_get(o, "repetitions"), *t;
	size_t i;

	if (reps == NULL)
		return 0;
	if (!json_is_array(reps)) {
		*why = "repetitions is not an array";
		return -1;
	}
	if (json_array_size(reps) == 0)
		return 0;
	if ((r->reps = calloc(json_array_size(reps), sizeof *r->reps)) ==
	    NULL) {
		*why = strerror(errno);
		return -1;
	}
	json_array_foreach(reps, i, t) {
		r->nreps = i + 1;
		if (get_rep(t, &r->reps[i], why) == -1)
			return -1;
	}
	return 0;
}

/* Version 2: version 1 and what prun saw and repeated. */
static int
get_v2(json_t *o, struct prun_result *r, const char **why)
{
	if (get_v1(o, r, why) == -1 || get_machine(o, r, why) == -1 ||
	    get_reps(o, r, why) == -1)
		return -1;
	return 0;
}

/* The reader of each version (fragment_version.h). */
static int (*const get_version[FRAGMENT_VERSION + 1])(json_t *,
    struct prun_result *, const char **) = {
	[1] = get_v1,
	[2] = get_v2,
};

/* Parse a JSON fragment into r with jansson; every key prun wrote must be
 * there. */
int
fragment_json_decode_jansson(const char *buf, size_t len, const char *what,
    struct prun_result *r, struct prun_error *err)
{
	json_error_t jerr;
	json_t *o, *v;
	const char *why = NULL;
	char *s = NULL;

	memset(r, 0, sizeof *r);
	o = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &jerr);
	if (o == NULL)
		return prun_error_set(err, PRUN_EXIT_IO, "%s:%d:%d: %s", what,
		    jerr.line, jerr.column, jerr.text);
	if (!json_is_object(o) || get_string(o, "format", &s, NULL) == -1 ||
	    strcmp(s, FRAGMENT_FORMAT) != 0) {
		why = "not a prun fragment";
		goto fail;
	}
	v = json_object_get(o, "version");
	if (!json_is_integer(v) ||
	    !fragment_version_known(json_integer_value(v))) {
		why = "unsupported fragment version";
		goto fail;
	}
	if (get_version[json_integer_value(v)](o, r, &why) == -1)
		goto fail;
	free(s);
	json_decref(o);
	return 0;
fail:
	free(s);
	json_decref(o);
	result_free(r);
	return prun_error_set(err, PRUN_EXIT_IO, "%s: %s", what, why);
}

/* The keys of a run (a fragment's, or one of its tries'), as bits. */
enum {
	KEY_RESULT = 1 << 0,
	KEY_RETURNCODE = 1 << 1,
	KEY_PID = 1 << 2,
	KEY_TIME = 1 << 3,
	KEY_OUT = 1 << 4,
	KEY_ERR = 1 << 5,
	KEY_SUBTESTS = 1 << 6,
	KEY_RUN = (1 << 7) - 1,		/* every key of a run */
	KEY_FORMAT = 1 << 7,
	KEY_VERSION = 1 << 8,
	KEY_INDEX = 1 << 9,
	KEY_NAME = 1 << 10,
	KEY_ATTEMPT = 1 << 11,
	KEY_INTERRUPTED = 1 << 12,
	KEY_COMMAND = 1 << 13,
	KEY_FLAKY = 1 << 14,
	KEY_TRIES = 1 << 15,
	KEY_NEEDED_V1 = KEY_RUN | KEY_FORMAT | KEY_VERSION | KEY_INDEX |
	    KEY_NAME | KEY_ATTEMPT,
};

/* The keys each version of a fragment must hold (fragment_version.h). */
static const unsigned needed[FRAGMENT_VERSION + 1] = {
	[1] = KEY_NEEDED_V1,
	[2] = KEY_NEEDED_V1,
};

/* A string that must be one of prun's statuses. */
static int
fast_status(struct json_in *f, enum prun_status *st)
{
	char *s;
	int rc;

	if (json_read_string(f, 0, &s, NULL) == -1)
		return -1;
	rc = status_parse(s, st);
	free(s);
	return rc;
}

/* What is read into one run (the fragment's or a try's). */
struct fast_run {
	struct prun_result	*r;
	unsigned		 seen;		/* KEY_ bits */
	size_t			 subs_size;
	unsigned		 time_seen;	/* 1: start, 2: end */
	int			 version;	/* the fragment's */
};

/* A member of "time": start and end, each a number. */
static int
fast_time_member(struct json_in *f, const char *key, void *ctx)
{
	struct fast_run *fr = ctx;
	long long ll;
	int is_int, bit;

	if (strcmp(key, "start") == 0)
		bit = 1;
	else if (strcmp(key, "end") == 0)
		bit = 2;
	else
		return -1;
	if (fr->time_seen & bit)
		return -1;
	fr->time_seen |= bit;
	return json_read_number(f, bit == 1 ? &fr->r->time_start :
	    &fr->r->time_end, &ll, &is_int);
}

/* Order subtests by name, for subtests_unique. */
static int
subtest_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prun_subtest *const *)a)[0]->name,
	    ((const struct prun_subtest *const *)b)[0]->name);
}

/*
 * Whether no two subtests of r have the same name: by sorting pointers,
 * as a test may report 100,000 subtests (outparse keeps that many), and
 * comparing each name with all those before it took seconds.  0 when
 * unique, -1 otherwise (or out of memory: then jansson decides too).
 */
static int
subtests_unique(const struct prun_result *r)
{
	const struct prun_subtest **v;
	size_t i;
	int rc = 0;

	if (r->nsubtests < 2)
		return 0;
	if ((v = malloc(r->nsubtests * sizeof *v)) == NULL)
		return -1;
	for (i = 0; i < r->nsubtests; i++)
		v[i] = &r->subtests[i];
	qsort(v, r->nsubtests, sizeof *v, subtest_cmp);
	for (i = 1; i < r->nsubtests && rc == 0; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			rc = -1;
	free(v);
	return rc;
}

/* A member of "subtests": a name and its status. */
static int
fast_subtest_member(struct json_in *f, const char *key, void *ctx)
{
	struct fast_run *fr = ctx;
	struct prun_result *r = fr->r;
	struct prun_subtest *p;

	/* Duplicates are looked for once all are read (subtests_unique). */
	if (r->nsubtests == fr->subs_size) {
		fr->subs_size = fr->subs_size ? 2 * fr->subs_size : 8;
		if ((p = realloc(r->subtests, fr->subs_size *
		    sizeof *p)) == NULL)
			return -1;
		r->subtests = p;
	}
	p = &r->subtests[r->nsubtests];
	p->todo = 0;
	if (fast_status(f, &p->status) == -1 ||
	    (p->name = strdup(key)) == NULL)
		return -1;
	r->nsubtests++;
	return 0;
}

/* A key of a run into fr; 1 when key is not one of a run's. */
static int
fast_run_member(struct json_in *f, const char *key, struct fast_run *fr)
{
	struct prun_result *r = fr->r;
	long long ll;
	unsigned bit;

	if (strcmp(key, "result") == 0)
		bit = KEY_RESULT;
	else if (strcmp(key, "returncode") == 0)
		bit = KEY_RETURNCODE;
	else if (strcmp(key, "pid") == 0)
		bit = KEY_PID;
	else if (strcmp(key, "time") == 0)
		bit = KEY_TIME;
	else if (strcmp(key, "out") == 0)
		bit = KEY_OUT;
	else if (strcmp(key, "err") == 0)
		bit = KEY_ERR;
	else if (strcmp(key, "subtests") == 0)
		bit = KEY_SUBTESTS;
	else
		return 1;
	if (fr->seen & bit)
		return -1;
	fr->seen |= bit;
	switch (bit) {
	case KEY_RESULT:
		return fast_status(f, &r->status);
	case KEY_RETURNCODE:
		if (json_word(f, "null"))
			return 0;
		if (json_read_int(f, INT_MIN, INT_MAX, &ll) == -1)
			return -1;
		r->has_returncode = 1;
		r->returncode = (int)ll;
		return 0;
	case KEY_PID:
		if (json_read_int(f, 0, INT_MAX, &ll) == -1)
			return -1;
		r->pid = (long)ll;
		return 0;
	case KEY_TIME:
		if (json_read_object(f, fast_time_member, fr) == -1 ||
		    fr->time_seen != 3)
			return -1;
		return 0;
	case KEY_OUT:
		return json_read_string(f, 1, &r->out, &r->out_len);
	case KEY_ERR:
		return json_read_string(f, 1, &r->err, &r->err_len);
	default:
		if (json_read_object(f, fast_subtest_member, fr) == -1)
			return -1;
		return subtests_unique(r);
	}
}

/* A member of a try: only a run's keys. */
static int
fast_try_member(struct json_in *f, const char *key, void *ctx)
{
	return fast_run_member(f, key, ctx) == 0 ? 0 : -1;
}

/* The earlier tries being read, and the room for them. */
struct fast_tries {
	struct prun_result	*r;
	size_t			 size;
};

/* One earlier try: an object of a run's keys, all of them. */
static int
fast_try(struct json_in *f, void *ctx)
{
	struct fast_tries *ft = ctx;
	struct prun_result *r = ft->r, *p;
	struct fast_run fr;

	if (r->ntries == ft->size) {
		ft->size = ft->size ? 2 * ft->size : 4;
		if ((p = realloc(r->tries, ft->size * sizeof *p)) == NULL)
			return -1;
		r->tries = p;
	}
	memset(&fr, 0, sizeof fr);
	fr.r = &r->tries[r->ntries++];
	memset(fr.r, 0, sizeof *fr.r);
	if (json_read_object(f, fast_try_member, &fr) == -1 ||
	    fr.seen != KEY_RUN)
		return -1;
	return 0;
}

/* The earlier tries of a rerun test: an array of runs. */
static int
fast_tries(struct json_in *f, struct prun_result *r)
{
	struct fast_tries ft = { r, 0 };

	return json_read_array(f, fast_try, &ft);
}

/* A top-level key of a fragment. */
static int
fast_member(struct json_in *f, const char *key, void *ctx)
{
	struct fast_run *fr = ctx;
	struct prun_result *r = fr->r;
	long long ll;
	unsigned bit;
	char *s;
	int rc;

	if ((rc = fast_run_member(f, key, fr)) != 1)
		return rc;
	if (strcmp(key, "format") == 0)
		bit = KEY_FORMAT;
	else if (strcmp(key, "version") == 0)
		bit = KEY_VERSION;
	else if (strcmp(key, "index") == 0)
		bit = KEY_INDEX;
	else if (strcmp(key, "name") == 0)
		bit = KEY_NAME;
	else if (strcmp(key, "attempt") == 0)
		bit = KEY_ATTEMPT;
	else if (strcmp(key, "interrupted") == 0)
		bit = KEY_INTERRUPTED;
	else if (strcmp(key, "command") == 0)
		bit = KEY_COMMAND;
	else if (strcmp(key, "flaky") == 0)
		bit = KEY_FLAKY;
	else if (strcmp(key, "tries") == 0)
		bit = KEY_TRIES;
	else
		return -1;
	if (fr->seen & bit)
		return -1;
	fr->seen |= bit;
	switch (bit) {
	case KEY_FORMAT:
		if (json_read_string(f, 0, &s, NULL) == -1)
			return -1;
		rc = strcmp(s, FRAGMENT_FORMAT) == 0 ? 0 : -1;
		free(s);
		return rc;
	case KEY_VERSION:
		if (json_read_int(f, FRAGMENT_VERSION_MIN, FRAGMENT_VERSION,
		    &ll) == -1)
			return -1;
		fr->version = (int)ll;
		return 0;
	case KEY_INDEX:
		if (json_read_int(f, 0, LLONG_MAX, &ll) == -1)
			return -1;
		r->index = (size_t)ll;
		return 0;
	case KEY_NAME:
		return json_read_string(f, 0, &r->name, NULL);
	case KEY_ATTEMPT:
		if (json_read_int(f, 1, 1000000, &ll) == -1)
			return -1;
		r->attempt = (int)ll;
		return 0;
	case KEY_INTERRUPTED:
	case KEY_FLAKY:
		if (json_word(f, "true"))
			rc = 1;
		else if (json_word(f, "false"))
			rc = 0;
		else
			return -1;
		if (bit == KEY_FLAKY)
			r->flaky = rc;
		else
			r->interrupted = rc;
		return 0;
	case KEY_COMMAND:
		return json_read_string(f, 0, &r->command, NULL);
	default:
		return fast_tries(f, r);
	}
}

/* Read a JSON fragment the fast way: 0, or -1 to leave it to jansson. */
static int
fast_decode(const char *buf, size_t len, struct prun_result *r)
{
	struct json_in f = { buf, buf + len };
	struct fast_run fr;
	size_t i;

	memset(r, 0, sizeof *r);
	memset(&fr, 0, sizeof fr);
	fr.r = r;
	if (json_read_object(&f, fast_member, &fr) == -1 || json_ws(&f) ||
	    !(fr.seen & KEY_VERSION) ||
	    (fr.seen & needed[fr.version]) != needed[fr.version]) {
		result_free(r);
		return -1;
	}
	for (i = 0; i < r->ntries; i++) {
		r->tries[i].index = r->index;
		r->tries[i].attempt = r->attempt;
	}
	return 0;
}

/* Parse a JSON fragment: the fast reader, else jansson's verdict. */
int
fragment_json_decode(const char *buf, size_t len, const char *what,
    struct prun_result *r, struct prun_error *err)
{
	if (fast_decode(buf, len, r) == 0)
		return 0;
	return fragment_json_decode_jansson(buf, len, what, r, err);
}
