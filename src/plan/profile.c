/*
 * profile: tests from a JSON profile.
 *
 * A profile holds "tests" (each a name and a command, a shell string or an
 * argv array, and options) and "defaults" that every test takes unless it
 * says otherwise; "env" of both is merged.  Errors name the profile and
 * the test's index (plan.c rule 3).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "core/util.h"
#include "plan/plan.h"
#include "plan/plan_source.h"

/* Options a profile's "defaults" give every test. */
struct defaults {
	double		 timeout;
	int		 exclusive;
	const char	*cwd;
	json_t		*env;	/* borrowed from the document */
};

/* How a JSON value's type is named in messages. */
static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}

/* Report a value of the wrong type for key; returns -1. */
static int
wrong_type(const char *where, const char *key, const char *want,
    const json_t *v, struct prun_error *err)
{
	return prun_error_set(err, PRUN_EXIT_USAGE,
	    "%s: \"%s\" must be %s, not %s", where, key, want, json_kind(v));
}

/* Check an "env" object: string values under names a variable can have. */
static int
check_env(const char *where, json_t *env, struct prun_error *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(env))
		return wrong_type(where, "env", "an object", env, err);
	json_object_foreach(env, key, v) {
		if (*key == '\0' || strchr(key, '=') != NULL) {
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: invalid environment variable name '%s'",
			    where, key);
		}
		if (!json_is_string(v)) {
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: env \"%s\" must be a string, not %s", where,
			    key, json_kind(v));
		}
	}
	return 0;
}

/* Read an option that "defaults" and a test share; 1 if key is not one. */
static int
parse_option(const char *where, const char *key, json_t *v,
    struct defaults *d, struct prun_error *err)
{
	if (strcmp(key, "timeout") == 0) {
		if (!json_is_number(v))
			return wrong_type(where, key, "a number", v, err);
		d->timeout = json_number_value(v);
		if (!isfinite(d->timeout) || d->timeout < 0) {
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: \"timeout\" must not be negative", where);
		}
	} else if (strcmp(key, "env") == 0) {
		if (check_env(where, v, err) == -1)
			return -1;
		d->env = v;
	} else if (strcmp(key, "cwd") == 0) {
		/* Kept as written: relative to where prun runs, not to the
		 * profile, like a command's relative paths. */
		if (!json_is_string(v))
			return wrong_type(where, key, "a string", v, err);
		if (*json_string_value(v) == '\0') {
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: \"cwd\" must not be empty", where);
		}
		d->cwd = json_string_value(v);
	} else if (strcmp(key, "exclusive") == 0) {
		if (!json_is_boolean(v))
			return wrong_type(where, key, "a boolean", v, err);
		d->exclusive = json_is_true(v);
	} else
		return 1;
	return 0;
}

/* The "KEY=VALUE" strings of base with over on top (over wins). */
static int
merge_env(json_t *base, json_t *over, char ***out)
{
	struct plan_vec env = { NULL, 0, 0 };
	const char *key;
	json_t *v, *o;

	if (base != NULL) {
		json_object_foreach(base, key, v) {
			if (over != NULL && (o = json_object_get(over, key)))
				v = o;
			if (plan_vec_push(&env, plan_xprintf("%s=%s", key,
			    json_string_value(v))) == -1)
				goto fail;
		}
	}
	if (over != NULL) {
		json_object_foreach(over, key, v) {
			if (base != NULL && json_object_get(base, key))
				continue;
			if (plan_vec_push(&env, plan_xprintf("%s=%s", key,
			    json_string_value(v))) == -1)
				goto fail;
		}
	}
	*out = plan_vec_transfer(&env);
	return 0;

fail:
	plan_vec_clear(&env);
	return -1;
}

/* Set t's command from a profile's "command": a string or an argv array. */
static int
parse_command(const char *where, struct prun_test *t, json_t *cmd,
    struct prun_error *err)
{
	struct plan_vec argv = { NULL, 0, 0 };
	json_t *v;
	size_t i;
	int rv = -1;

	if (json_is_string(cmd))
		return plan_set_command(t, json_string_value(cmd), err);
	if (!json_is_array(cmd)) {
		return wrong_type(where, "command",
		    "a string or an array of strings", cmd, err);
	}
	json_array_foreach(cmd, i, v) {
		if (!json_is_string(v)) {
			prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: \"command\"[%zu] must be a string, not %s",
			    where, i, json_kind(v));
			goto fail;
		}
		if (plan_vec_push(&argv, strdup(json_string_value(v))) == -1) {
			plan_nomem(err);
			goto fail;
		}
	}
	rv = plan_set_argv(t, argv.v, err);

fail:
	plan_vec_clear(&argv);
	return rv;
}

/* Read test number index of a profile into t, over the defaults d. */
static int
parse_test(const char *path, size_t index, json_t *obj,
    const struct defaults *d, struct prun_test *t, struct prun_error *err)
{
	struct defaults o = *d;
	char where[1024], buf[NAME_SHOWN];
	const char *key;
	json_t *name, *cmd = NULL, *v;

	snprintf(where, sizeof where, "%s:tests[%zu]", path, index);
	if ((t->origin = strdup(where)) == NULL)
		return plan_nomem(err);
	if (!json_is_object(obj)) {
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s: must be an object, not %s", where, json_kind(obj));
	}
	if ((name = json_object_get(obj, "name")) == NULL) {
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s: missing \"name\"", where);
	}
	if (!json_is_string(name))
		return wrong_type(where, "name", "a string", name, err);
	if (plan_new_name_check(json_string_value(name), where, err) == -1)
		return -1;
	if ((t->name = strdup(json_string_value(name))) == NULL)
		return plan_nomem(err);
	snprintf(where, sizeof where, "%s:tests[%zu] '%s'", path, index,
	    plan_shown(t->name, buf, sizeof buf));

	o.env = NULL;
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "name") == 0)
			continue;
		if (strcmp(key, "command") == 0) {
			cmd = v;
			continue;
		}
		switch (parse_option(where, key, v, &o, err)) {
		case -1:
			return -1;
		case 1:
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: unknown key \"%s\"", where, key);
		}
	}
	if (cmd == NULL) {
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s: missing \"command\"", where);
	}
	if (parse_command(where, t, cmd, err) == -1)
		return -1;
	t->timeout = o.timeout;
	t->exclusive = o.exclusive;
	if (plan_dup_opt(o.cwd, &t->cwd) == -1 ||
	    merge_env(d->env, o.env, &t->env) == -1)
		return plan_nomem(err);
	return 0;
}

/* Append the tests of a JSON profile. */
int
plan_load_profile(struct prun_plan *plan, const char *path, struct prun_error *err)
{
	struct defaults d = { 0, 0, NULL, NULL };
	struct prun_test t;
	json_error_t jerr;
	json_t *root = NULL, *tests = NULL, *defaults = NULL, *v;
	const char *key;
	char where[1024];
	FILE *fp;
	size_t i;
	int rv = -1;

	memset(&t, 0, sizeof t);
	/* Opened here, not by json_load_file, for an error with strerror. */
	if ((fp = fopen(path, "r")) == NULL)
		return prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s",
		    path);
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	fclose(fp);
	if (root == NULL) {
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s:%d:%d: %s",
		    path, jerr.line, jerr.column, jerr.text);
	}
	if (!json_is_object(root)) {
		prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s: must be a JSON object, not %s", path, json_kind(root));
		goto fail;
	}
	json_object_foreach(root, key, v) {
		if (strcmp(key, "tests") == 0 && !json_is_array(v)) {
			wrong_type(path, key, "an array", v, err);
			goto fail;
		} else if (strcmp(key, "tests") == 0)
			tests = v;
		else if (strcmp(key, "defaults") == 0 && !json_is_object(v)) {
			wrong_type(path, key, "an object", v, err);
			goto fail;
		} else if (strcmp(key, "defaults") == 0)
			defaults = v;
		else {
			prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: unknown key \"%s\"", path, key);
			goto fail;
		}
	}
	if (tests == NULL) {
		prun_error_set(err, PRUN_EXIT_USAGE, "%s: missing \"tests\"",
		    path);
		goto fail;
	}
	snprintf(where, sizeof where, "%s: defaults", path);
	if (defaults != NULL) {
		json_object_foreach(defaults, key, v) {
			switch (parse_option(where, key, v, &d, err)) {
			case -1:
				goto fail;
			case 1:
				prun_error_set(err, PRUN_EXIT_USAGE,
				    "%s: unknown key \"%s\"", where, key);
				goto fail;
			}
		}
	}
	json_array_foreach(tests, i, v) {
		if (parse_test(path, i, v, &d, &t, err) == -1 ||
		    plan_take(plan, &t, err) == -1)
			goto fail;
	}
	rv = 0;

fail:
	plan_test_clear(&t);
	json_decref(root);
	return rv;
}
