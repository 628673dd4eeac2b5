/*
 * fragment: one test's result as a standalone JSON document.
 *
 * The layout keeps piglit's per-test keys (result, out, err, returncode,
 * command, pid, time, subtests) so the summary copies them as they are,
 * and adds prun's own: format, version, index, name, attempt.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fragment.h"

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
	memset(r, 0, sizeof *r);
}

/* Set key to a new value, failing on NULL (out of memory). */
static int
put(json_t *o, const char *key, json_t *v)
{
	return v == NULL ? -1 : json_object_set_new(o, key, v);
}

/* Serialize r as one JSON document ending in a newline. */
char *
fragment_encode(const struct prun_result *r, size_t *len,
    struct prun_error *err)
{
	json_t *o, *time, *subs;
	char *buf = NULL;
	size_t i;
	int bad = 0;

	if ((o = json_object()) == NULL)
		goto nomem;
	bad |= put(o, "format", json_string(FRAGMENT_FORMAT));
	bad |= put(o, "version", json_integer(FRAGMENT_VERSION));
	bad |= put(o, "index", json_integer((json_int_t)r->index));
	bad |= put(o, "name", json_string(r->name));
	bad |= put(o, "result", json_string(status_name(r->status)));
	bad |= put(o, "attempt", json_integer(r->attempt));
	if (r->interrupted)
		bad |= put(o, "interrupted", json_true());
	if (r->command != NULL)
		bad |= put(o, "command", json_string(r->command));
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

/* Copy a string member (which must exist and be a string) into *out. */
static int
get_string(json_t *o, const char *key, char **out, size_t *len)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
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

/* Parse a JSON fragment into r; every key prun wrote must be there. */
int
fragment_decode(const char *buf, size_t len, const char *what,
    struct prun_result *r, struct prun_error *err)
{
	json_error_t jerr;
	json_t *o, *v, *time;
	const char *why = NULL;
	double d;
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
		why = "no name";
		goto fail;
	}
	free(s);
	s = NULL;
	if (get_string(o, "result", &s, NULL) == -1 ||
	    status_parse(s, &r->status) == -1) {
		why = "no valid result";
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
		why = "command is not a string";
		goto fail;
	}
	v = json_object_get(o, "returncode");
	if (json_is_integer(v)) {
		r->has_returncode = 1;
		r->returncode = (int)json_integer_value(v);
	} else if (!json_is_null(v)) {
		why = "returncode is not an integer or null";
		goto fail;
	}
	if (get_number(o, "pid", &d) == -1) {
		why = "no pid";
		goto fail;
	}
	r->pid = (long)d;
	time = json_object_get(o, "time");
	if (!json_is_object(time) ||
	    get_number(time, "start", &r->time_start) == -1 ||
	    get_number(time, "end", &r->time_end) == -1) {
		why = "no valid time";
		goto fail;
	}
	if (get_string(o, "out", &r->out, &r->out_len) == -1 ||
	    get_string(o, "err", &r->err, &r->err_len) == -1) {
		why = "no out or err";
		goto fail;
	}
	if (get_subtests(json_object_get(o, "subtests"), r, &why) == -1)
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
