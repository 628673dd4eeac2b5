/*
 * fragment: one test's result as a standalone JSON document, or as XML by
 * fragment_xml.c for the junit backend.
 *
 * The JSON layout keeps piglit's per-test keys (result, out, err, returncode,
 * command, pid, time, subtests) so the summary copies them as they are,
 * and adds prun's own: format, version, index, name, attempt, and for a
 * test rerun after failing, flaky and the earlier tries (each with the
 * per-run keys: result, returncode, pid, time, out, err, subtests).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fragment.h"
#include "fragment_xml.h"

/* Release every member of a result and zero it. */
void
result_free(struct prun_result *r)
{
	size_t i;

	free(r->name);
	free(r->command);
	free(r->out);
	free(r->err);
	for (i = 0; i < r->nsubtests; i++)
		free(r->subtests[i].name);
	free(r->subtests);
	for (i = 0; i < r->ntries; i++)
		result_free(&r->tries[i]);
	free(r->tries);
	memset(r, 0, sizeof *r);
}

/* Set key to a new value, failing on NULL (out of memory). */
static int
put(json_t *o, const char *key, json_t *v)
{
	return v == NULL ? -1 : json_object_set_new(o, key, v);
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
	return bad ? -1 : 0;
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

/* The file name extension of a backend's fragments. */
const char *
fragment_extension(enum prun_backend backend)
{
	return backend == BACKEND_JUNIT ? "xml" : "json";
}

/* Serialize r as one JSON document ending in a newline. */
static char *
encode_json(const struct prun_result *r, size_t *len, struct prun_error *err)
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
	return get_subtests(json_object_get(o, "subtests"), r, why);
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

/* Parse a JSON fragment into r; every key prun wrote must be there. */
static int
decode_json(const char *buf, size_t len, const char *what,
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
	if (!json_is_integer(v) || json_integer_value(v) != FRAGMENT_VERSION) {
		why = "unsupported fragment version";
		goto fail;
	}
	v = json_object_get(o, "index");
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		why = "no valid index";
		goto fail;
	}
	r->index = (size_t)json_integer_value(v);
	if (get_string(o, "name", &r->name, NULL) == -1) {
		why = "no valid name";
		goto fail;
	}
	v = json_object_get(o, "attempt");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 1000000) {
		why = "no valid attempt";
		goto fail;
	}
	r->attempt = (int)json_integer_value(v);
	v = json_object_get(o, "interrupted");
	if (v != NULL && !json_is_boolean(v)) {
		why = "interrupted is not a boolean";
		goto fail;
	}
	r->interrupted = json_is_true(v);
	if (json_object_get(o, "command") != NULL &&
	    get_string(o, "command", &r->command, NULL) == -1) {
		why = "command is not a string without NUL";
		goto fail;
	}
	if (get_run(o, r, &why) == -1 || get_tries(o, r, &why) == -1)
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

/* Serialize r in a backend's format. */
char *
fragment_encode(const struct prun_result *r, enum prun_backend backend,
    size_t *len, struct prun_error *err)
{
	if (backend == BACKEND_JUNIT)
		return fragment_xml_encode(r, len, err);
	return encode_json(r, len, err);
}

/* Parse a fragment in a backend's format. */
int
fragment_decode(const char *buf, size_t len, enum prun_backend backend,
    const char *what, struct prun_result *r, struct prun_error *err)
{
	if (backend == BACKEND_JUNIT)
		return fragment_xml_decode(buf, len, what, r, err);
	return decode_json(buf, len, what, r, err);
}
