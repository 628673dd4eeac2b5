/*
 * plan: the tests a run executes, read from test sources and filtered.
 *
 * Three kinds of source append tests: test-list files ("NAME COMMAND..."
 * lines), JSON profiles and directories of executables.  The rules this file
 * keeps:
 *
 * 1. A source is appended whole or not at all, so a failed plan_load leaves
 *    the plan as it was.
 * 2. A command without shell syntax runs directly, not under /bin/sh -c, so
 *    a test killed by a signal is seen as a crash (dash does not exec the
 *    last command of -c); a leading "exec" is dropped for the same reason.
 * 3. Every error names where the test came from (file and line, profile
 *    index, or path), and bad input is PRUN_EXIT_USAGE.
 * 4. A directory's order is the byte order of the relative paths, so it does
 *    not depend on the file system or on the locale.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "plan/plan.h"
#include "core/text.h"
#include "core/util.h"

/* What separates the fields of a test-list line. */
#define LIST_SPACE	" \t\r\f\v"

/* How many bytes of a bad name a message shows. */
#define NAME_SHOWN	160

/* A growing NULL-terminated string vector. */
struct vec {
	char	**v;
	size_t	  n, size;
};

/* Options a profile's "defaults" give every test. */
struct defaults {
	double		 timeout;
	int		 exclusive;
	const char	*cwd;
	json_t		*env;	/* borrowed from the document */
};

/*
 * First words that /bin/sh gives a meaning of its own (reserved words and
 * builtins without a program of the same name), so a command starting with
 * one cannot be executed directly.
 */
static const char *const shell_words[] = {
	".", ":", "alias", "bg", "break", "case", "cd", "command", "continue",
	"do", "done", "elif", "else", "esac", "eval", "exec", "exit", "export",
	"fc", "fg", "fi", "for", "function", "getopts", "hash", "if", "in",
	"jobs", "local", "read", "readonly", "return", "select", "set",
	"shift", "source", "then", "time", "times", "trap", "type", "ulimit",
	"umask", "unalias", "unset", "until", "wait", "while", NULL
};

/* Report running out of memory; returns -1. */
static int
nomem(struct prun_error *err)
{
	return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "loading tests");
}

/* A malloc'd printf; NULL when out of memory. */
static char * __attribute__((format(printf, 1, 2)))
xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (s = malloc((size_t)len + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* dir and rel joined by one slash; NULL when out of memory. */
static char *
path_join(const char *dir, const char *rel)
{
	size_t len = strlen(dir);

	if (len > 0 && dir[len - 1] == '/')
		return xprintf("%s%s", dir, rel);
	return xprintf("%s/%s", dir, rel);
}

/* Copy s, which may be NULL; -1 when out of memory. */
static int
dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (s != NULL && (*out = strdup(s)) == NULL)
		return -1;
	return 0;
}

/* Append s, owned from now on (NULL, a failed strdup, is an error too). */
static int
vec_push(struct vec *vec, char *s)
{
	char **v;
	size_t size;

	if (s == NULL)
		return -1;
	if (vec->n + 2 > vec->size) {
		size = vec->size ? vec->size * 2 : 8;
		if (size > SIZE_MAX / sizeof *v ||
		    (v = realloc(vec->v, size * sizeof *v)) == NULL) {
			free(s);
			return -1;
		}
		vec->v = v;
		vec->size = size;
	}
	vec->v[vec->n++] = s;
	vec->v[vec->n] = NULL;
	return 0;
}

/* Hand the vector over (NULL when empty), leaving vec empty. */
static char **
vec_transfer(struct vec *vec)
{
	char **v = vec->v;

	memset(vec, 0, sizeof *vec);
	return v;
}

/* Free the strings and the vector. */
static void
vec_clear(struct vec *vec)
{
	strv_free(vec_transfer(vec));
}

/* Free what a test owns and zero it. */
static void
test_clear(struct prun_test *t)
{
	free(t->name);
	free(t->command);
	strv_free(t->argv);
	strv_free(t->env);
	free(t->cwd);
	free(t->origin);
	memset(t, 0, sizeof *t);
}

/* Deep-copy src into dst; on failure dst is left empty. */
static int
test_copy(struct prun_test *dst, const struct prun_test *src)
{
	memset(dst, 0, sizeof *dst);
	dst->timeout = src->timeout;
	dst->exclusive = src->exclusive;
	if (dup_opt(src->name, &dst->name) == -1 ||
	    dup_opt(src->command, &dst->command) == -1 ||
	    strv_copy(src->argv, &dst->argv) == -1 ||
	    strv_copy(src->env, &dst->env) == -1 ||
	    dup_opt(src->cwd, &dst->cwd) == -1 ||
	    dup_opt(src->origin, &dst->origin) == -1) {
		test_clear(dst);
		return -1;
	}
	return 0;
}

/* Copy s into buf for a message: control characters and bytes that are not
 * valid UTF-8 become \xNN, and a long name is cut with "...". */
static const char *
shown(const char *s, char *buf, size_t size)
{
	size_t i, o, len, seq;
	unsigned char c;
	int bad;

	len = strlen(s);
	for (i = o = 0; i < len; i += seq) {
		c = (unsigned char)s[i];
		seq = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (o + 8 > size) {
			snprintf(buf + o, size - o, "...");
			return buf;
		}
		if (c < 0x20 || c == 0x7f)
			bad = 1;
		else if (c < 0x80)
			bad = 0;
		else {
			/* C1 controls, U+0080..U+009F, are C2 80..C2 9F. */
			bad = i + seq > len || !text_utf8_valid(s + i, seq) ||
			    (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0);
		}
		if (bad) {
			o += snprintf(buf + o, size - o, "\\x%02x", c);
			seq = 1;
		} else {
			memcpy(buf + o, s + i, seq);
			o += seq;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* Why name is not a valid test name, or NULL when it is. */
static const char *
name_problem(const char *name)
{
	if (name == NULL || *name == '\0')
		return "the name is empty";
	if (text_valid_name(name))
		return NULL;
	if (!text_utf8_valid(name, strlen(name)))
		return "not valid UTF-8";
	return "contains a control character";
}

/* Fill err if name is not a valid test name; where says where it is from. */
static int
name_check(const char *name, const char *where, struct prun_error *err)
{
	char buf[NAME_SHOWN];
	const char *problem;

	if ((problem = name_problem(name)) == NULL)
		return 0;
	return prun_error_set(err, PRUN_EXIT_USAGE,
	    "%s: invalid test name '%s': %s", where,
	    shown(name ? name : "", buf, sizeof buf), problem);
}

/* Whether c can appear in a command run without a shell. */
static int
plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("_@%+=:,./-", c) != NULL);
}

/* Whether word looks like "NAME=..." (the shell takes it as a variable). */
static int
assignment(const char *word)
{
	const char *p = word;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    *p == '_'))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	return *p == '=';
}

/* Whether word, first in a command, means something only to the shell. */
static int
shell_first_word(const char *word)
{
	size_t i;

	if (word[0] == '-' || assignment(word))
		return 1;
	for (i = 0; shell_words[i] != NULL; i++) {
		if (strcmp(word, shell_words[i]) == 0)
			return 1;
	}
	return 0;
}

/* Split a command without shell syntax into words, dropping a leading
 * "exec"; leaves words empty when the shell is needed after all. */
static int
plain_words(const char *shell, struct vec *words)
{
	const char *p;
	size_t len;

	for (p = shell; *p != '\0'; p++) {
		if (!plain_char(*p) && *p != ' ' && *p != '\t')
			return 0;
	}
	for (p = shell; *p != '\0'; p += len) {
		p += strspn(p, " \t");
		if ((len = strcspn(p, " \t")) == 0)
			break;
		if (vec_push(words, strndup(p, len)) == -1)
			return -1;
	}
	if (words->n > 1 && strcmp(words->v[0], "exec") == 0) {
		free(words->v[0]);
		memmove(words->v, words->v + 1, words->n * sizeof *words->v);
		words->n--;
	}
	if (words->n > 0 && shell_first_word(words->v[0]))
		vec_clear(words);
	return 0;
}

/* Set a test's command from a shell string, run directly when it can be. */
int
plan_set_command(struct prun_test *t, const char *shell,
    struct prun_error *err)
{
	struct vec words = { NULL, 0, 0 };
	char *command, buf[NAME_SHOWN];

	if (shell[strspn(shell, LIST_SPACE "\n")] == '\0') {
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s: test '%s': empty command",
		    t->origin ? t->origin : "plan",
		    shown(t->name ? t->name : "", buf, sizeof buf));
	}
	if ((command = strdup(shell)) == NULL)
		return nomem(err);
	if (plain_words(shell, &words) == -1)
		goto fail;
	if (words.n == 0) {
		if (vec_push(&words, strdup("/bin/sh")) == -1 ||
		    vec_push(&words, strdup("-c")) == -1 ||
		    vec_push(&words, strdup(shell)) == -1)
			goto fail;
	}
	free(t->command);
	strv_free(t->argv);
	t->command = command;
	t->argv = vec_transfer(&words);
	return 0;

fail:
	vec_clear(&words);
	free(command);
	return nomem(err);
}

/* Set a test's command from an argv array, run without a shell. */
int
plan_set_argv(struct prun_test *t, char *const *argv, struct prun_error *err)
{
	char **copy, buf[NAME_SHOWN];

	if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s: test '%s': empty command",
		    t->origin ? t->origin : "plan",
		    shown(t->name ? t->name : "", buf, sizeof buf));
	}
	if (strv_copy(argv, &copy) == -1)
		return nomem(err);
	free(t->command);
	strv_free(t->argv);
	t->command = NULL;
	t->argv = copy;
	return 0;
}

/* Whether a word of an argv must be quoted to read back as one word. */
static int
needs_quotes(const char *word, int first)
{
	const char *p;

	if (*word == '\0' || (first && shell_first_word(word)))
		return 1;
	for (p = word; *p != '\0'; p++) {
		if (!plain_char(*p))
			return 1;
	}
	return 0;
}

/* The command as one display string; NULL when out of memory. */
char *
plan_command_string(const struct prun_test *t)
{
	const char *p;
	size_t i, len;
	char *s, *o;

	if (t->command != NULL)
		return strdup(t->command);
	if (t->argv == NULL)
		return strdup("");
	/* Each ' becomes '\'' (4 bytes); each word adds quotes and a space. */
	for (len = 1, i = 0; t->argv[i] != NULL; i++)
		len += 4 * strlen(t->argv[i]) + 3;
	if ((s = malloc(len)) == NULL)
		return NULL;
	for (o = s, i = 0; t->argv[i] != NULL; i++) {
		if (i > 0)
			*o++ = ' ';
		if (!needs_quotes(t->argv[i], i == 0)) {
			o = stpcpy(o, t->argv[i]);
			continue;
		}
		*o++ = '\'';
		for (p = t->argv[i]; *p != '\0'; p++) {
			if (*p == '\'')
				o = stpcpy(o, "'\\''");
			else
				*o++ = *p;
		}
		*o++ = '\'';
	}
	*o = '\0';
	return s;
}

/* Make room for extra more tests. */
static int
plan_reserve(struct prun_plan *plan, size_t extra, struct prun_error *err)
{
	struct prun_test *tests;
	size_t size;

	if (plan->size - plan->n >= extra)
		return 0;
	size = plan->size ? plan->size : 16;
	while (size - plan->n < extra) {
		if (size > SIZE_MAX / 2 / sizeof *tests)
			return nomem(err);
		size *= 2;
	}
	if ((tests = realloc(plan->tests, size * sizeof *tests)) == NULL)
		return nomem(err);
	plan->tests = tests;
	plan->size = size;
	return 0;
}

/* Append t itself: the plan owns what t held and t is left empty. */
static int
plan_take(struct prun_plan *plan, struct prun_test *t, struct prun_error *err)
{
	if (plan_reserve(plan, 1, err) == -1)
		return -1;
	plan->tests[plan->n++] = *t;
	memset(t, 0, sizeof *t);
	return 0;
}

/* Move every test of src to the end of dst, all or none. */
static int
plan_transfer(struct prun_plan *dst, struct prun_plan *src,
    struct prun_error *err)
{
	if (src->n == 0)
		return 0;
	if (plan_reserve(dst, src->n, err) == -1)
		return -1;
	memcpy(dst->tests + dst->n, src->tests, src->n * sizeof *src->tests);
	dst->n += src->n;
	src->n = 0;
	return 0;
}

/* Start an empty plan. */
void
plan_init(struct prun_plan *plan)
{
	memset(plan, 0, sizeof *plan);
}

/* Free every test and the plan's array. */
void
plan_free(struct prun_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		test_clear(&plan->tests[i]);
	free(plan->tests);
	plan_init(plan);
}

/* Append a deep copy of t. */
int
plan_append(struct prun_plan *plan, const struct prun_test *t,
    struct prun_error *err)
{
	if (plan_reserve(plan, 1, err) == -1)
		return -1;
	if (test_copy(&plan->tests[plan->n], t) == -1)
		return nomem(err);
	plan->n++;
	return 0;
}

/* Append the tests of a test-list file: "NAME COMMAND..." lines. */
static int
load_list(struct prun_plan *plan, const char *path, struct prun_error *err)
{
	struct prun_test t;
	char *line = NULL, *name, *cmd, buf[NAME_SHOWN];
	size_t cap = 0, lineno = 0;
	ssize_t len;
	FILE *fp;
	int rv = -1;

	memset(&t, 0, sizeof t);
	if ((fp = fopen(path, "r")) == NULL)
		return prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s",
		    path);
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s:%zu: NUL byte in line", path, lineno);
			goto fail;
		}
		while (len > 0 && strchr(LIST_SPACE "\n", line[len - 1]))
			line[--len] = '\0';
		name = line + strspn(line, LIST_SPACE);
		if (*name == '\0' || *name == '#')
			continue;
		cmd = name + strcspn(name, LIST_SPACE);
		if (*cmd != '\0') {
			*cmd++ = '\0';
			cmd += strspn(cmd, LIST_SPACE);
		}
		if ((t.origin = xprintf("%s:%zu", path, lineno)) == NULL ||
		    (t.name = strdup(name)) == NULL) {
			nomem(err);
			goto fail;
		}
		if (name_check(name, t.origin, err) == -1)
			goto fail;
		if (*cmd == '\0') {
			prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: test '%s' has no command", t.origin,
			    shown(name, buf, sizeof buf));
			goto fail;
		}
		if (plan_set_command(&t, cmd, err) == -1 ||
		    plan_take(plan, &t, err) == -1)
			goto fail;
	}
	if (ferror(fp)) {
		prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s", path);
		goto fail;
	}
	rv = 0;

fail:
	test_clear(&t);
	free(line);
	fclose(fp);
	return rv;
}

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
	struct vec env = { NULL, 0, 0 };
	const char *key;
	json_t *v, *o;

	if (base != NULL) {
		json_object_foreach(base, key, v) {
			if (over != NULL && (o = json_object_get(over, key)))
				v = o;
			if (vec_push(&env, xprintf("%s=%s", key,
			    json_string_value(v))) == -1)
				goto fail;
		}
	}
	if (over != NULL) {
		json_object_foreach(over, key, v) {
			if (base != NULL && json_object_get(base, key))
				continue;
			if (vec_push(&env, xprintf("%s=%s", key,
			    json_string_value(v))) == -1)
				goto fail;
		}
	}
	*out = vec_transfer(&env);
	return 0;

fail:
	vec_clear(&env);
	return -1;
}

/* Set t's command from a profile's "command": a string or an argv array. */
static int
parse_command(const char *where, struct prun_test *t, json_t *cmd,
    struct prun_error *err)
{
	struct vec argv = { NULL, 0, 0 };
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
		if (vec_push(&argv, strdup(json_string_value(v))) == -1) {
			nomem(err);
			goto fail;
		}
	}
	rv = plan_set_argv(t, argv.v, err);

fail:
	vec_clear(&argv);
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
		return nomem(err);
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
	if (name_check(json_string_value(name), where, err) == -1)
		return -1;
	if ((t->name = strdup(json_string_value(name))) == NULL)
		return nomem(err);
	snprintf(where, sizeof where, "%s:tests[%zu] '%s'", path, index,
	    shown(t->name, buf, sizeof buf));

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
	if (dup_opt(o.cwd, &t->cwd) == -1 ||
	    merge_env(d->env, o.env, &t->env) == -1)
		return nomem(err);
	return 0;
}

/* Append the tests of a JSON profile. */
static int
load_profile(struct prun_plan *plan, const char *path, struct prun_error *err)
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
	test_clear(&t);
	json_decref(root);
	return rv;
}

/* Collect the relative paths of the executable regular files below
 * dir/rel, skipping hidden names and not following symlinked dirs. */
static int
scan_dir(const char *dir, const char *rel, struct vec *found,
    struct prun_error *err)
{
	struct dirent *de;
	struct stat st;
	DIR *d = NULL;
	char *here, *sub = NULL, *full = NULL;
	int rv = -1;

	here = rel ? path_join(dir, rel) : strdup(dir);
	if (here == NULL)
		return nomem(err);
	if ((d = opendir(here)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s", here);
		goto fail;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				prun_error_errno(err, PRUN_EXIT_USAGE, errno,
				    "%s", here);
				goto fail;
			}
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		sub = rel ? path_join(rel, de->d_name) : strdup(de->d_name);
		if (sub == NULL || (full = path_join(dir, sub)) == NULL) {
			nomem(err);
			goto fail;
		}
		if (lstat(full, &st) == -1) {
			prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s",
			    full);
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			if (scan_dir(dir, sub, found, err) == -1)
				goto fail;
		} else if (S_ISLNK(st.st_mode) && stat(full, &st) == -1) {
			/* A dangling link is no test; skip it. */
		} else if (S_ISREG(st.st_mode) &&
		    (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
			if (vec_push(found, sub) == -1) {
				sub = NULL;
				nomem(err);
				goto fail;
			}
			sub = NULL;
		}
		free(sub);
		free(full);
		sub = full = NULL;
	}
	rv = 0;

fail:
	free(sub);
	free(full);
	if (d != NULL)
		closedir(d);
	free(here);
	return rv;
}

/* Order relative paths by bytes. */
static int
cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append every executable regular file below dir, run directly. */
static int
load_dir(struct prun_plan *plan, const char *dir, struct prun_error *err)
{
	struct vec found = { NULL, 0, 0 };
	struct prun_test t;
	char *argv[2] = { NULL, NULL };
	size_t i;
	int rv = -1;

	memset(&t, 0, sizeof t);
	if (scan_dir(dir, NULL, &found, err) == -1)
		goto fail;
	if (found.n > 0)
		qsort(found.v, found.n, sizeof *found.v, cmp_paths);
	for (i = 0; i < found.n; i++) {
		if ((t.origin = path_join(dir, found.v[i])) == NULL ||
		    (t.name = strdup(found.v[i])) == NULL) {
			nomem(err);
			goto fail;
		}
		if (name_check(t.name, t.origin, err) == -1)
			goto fail;
		argv[0] = t.origin;
		if (plan_set_argv(&t, argv, err) == -1 ||
		    plan_take(plan, &t, err) == -1)
			goto fail;
	}
	rv = 0;

fail:
	test_clear(&t);
	vec_clear(&found);
	return rv;
}

/* Append the tests of one source: a directory, a profile or a list. */
int
plan_load(struct prun_plan *plan, const char *path, struct prun_error *err)
{
	struct prun_plan tmp;
	struct stat st;
	size_t len = strlen(path);
	int rv;

	if (stat(path, &st) == -1)
		return prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s",
		    path);
	plan_init(&tmp);
	if (S_ISDIR(st.st_mode))
		rv = load_dir(&tmp, path, err);
	else if (len > 5 && strcmp(path + len - 5, ".json") == 0)
		rv = load_profile(&tmp, path, err);
	else
		rv = load_list(&tmp, path, err);
	if (rv == 0)
		rv = plan_transfer(plan, &tmp, err);
	plan_free(&tmp);
	return rv;
}

/* Run every test through a launcher: its argv becomes wrapper + argv, and
 * its shell string is dropped so that the plan shows what is executed. */
int
plan_wrap(struct prun_plan *plan, char *const *wrapper,
    struct prun_error *err)
{
	struct prun_test *t;
	char **argv;
	size_t i, j, nw, na;

	for (nw = 0; wrapper != NULL && wrapper[nw] != NULL; nw++)
		;
	if (nw == 0)
		return 0;
	for (i = 0; i < plan->n; i++) {
		t = &plan->tests[i];
		for (na = 0; t->argv[na] != NULL; na++)
			;
		if ((argv = calloc(nw + na + 1, sizeof *argv)) == NULL)
			return nomem(err);
		for (j = 0; j < nw + na; j++) {
			argv[j] = strdup(j < nw ? wrapper[j] : t->argv[j - nw]);
			if (argv[j] == NULL) {
				strv_free(argv);
				return nomem(err);
			}
		}
		strv_free(t->argv);
		free(t->command);
		t->argv = argv;
		t->command = NULL;
	}
	return 0;
}

/* Whether name matches one of the n compiled regexes. */
static int
matches_any(const regex_t *re, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (regexec(&re[i], name, 0, NULL, 0) == 0)
			return 1;
	}
	return 0;
}

/* Keep the tests that match an include (if any) and no exclude. */
int
plan_filter(struct prun_plan *plan, char *const *include, size_t ninclude,
    char *const *exclude, size_t nexclude, struct prun_error *err)
{
	regex_t *re = NULL;
	const char *pattern;
	char msg[256];
	size_t i, kept, ncompiled = 0, n = ninclude + nexclude;
	int rc, keep, rv = -1;

	if (n > 0 && (re = calloc(n, sizeof *re)) == NULL)
		return nomem(err);
	for (i = 0; i < n; i++) {
		pattern = i < ninclude ? include[i] : exclude[i - ninclude];
		rc = regcomp(&re[i], pattern, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &re[i], msg, sizeof msg);
			prun_error_set(err, PRUN_EXIT_USAGE,
			    "invalid regex '%s': %s", pattern, msg);
			goto fail;
		}
		ncompiled++;
	}
	for (i = kept = 0; i < plan->n; i++) {
		keep = (ninclude == 0 ||
		    matches_any(re, ninclude, plan->tests[i].name)) &&
		    !matches_any(re + ninclude, nexclude, plan->tests[i].name);
		if (keep)
			plan->tests[kept++] = plan->tests[i];
		else
			test_clear(&plan->tests[i]);
	}
	plan->n = kept;
	rv = 0;

fail:
	for (i = 0; i < ncompiled; i++)
		regfree(&re[i]);
	free(re);
	return rv;
}

/* Order tests by name, then by place in the plan, so that of equal names
 * the first in the plan comes first. */
static int
cmp_names(const void *a, const void *b)
{
	const struct prun_test *ta = *(const struct prun_test *const *)a;
	const struct prun_test *tb = *(const struct prun_test *const *)b;
	int c;

	if ((c = strcmp(ta->name, tb->name)) != 0)
		return c;
	return ta < tb ? -1 : ta > tb;
}

/* Where a test came from, for messages. */
static const char *
origin_of(const struct prun_plan *plan, const struct prun_test *t,
    char *buf, size_t size)
{
	if (t->origin != NULL)
		return t->origin;
	snprintf(buf, size, "test %zu", (size_t)(t - plan->tests));
	return buf;
}

/* Refuse invalid or duplicate names, naming the origins. */
int
plan_check(const struct prun_plan *plan, struct prun_error *err)
{
	const struct prun_test **byname, *dup = NULL, *first = NULL;
	char buf[NAME_SHOWN], o1[32], o2[32];
	size_t i;

	for (i = 0; i < plan->n; i++) {
		if (name_check(plan->tests[i].name, origin_of(plan,
		    &plan->tests[i], o1, sizeof o1), err) == -1)
			return -1;
	}
	if (plan->n < 2)
		return 0;
	if ((byname = calloc(plan->n, sizeof *byname)) == NULL)
		return nomem(err);
	for (i = 0; i < plan->n; i++)
		byname[i] = &plan->tests[i];
	qsort(byname, plan->n, sizeof *byname, cmp_names);
	/* Of all duplicates, report the one that comes first in the plan. */
	for (i = 1; i < plan->n; i++) {
		if (strcmp(byname[i - 1]->name, byname[i]->name) == 0 &&
		    (dup == NULL || byname[i] < dup)) {
			dup = byname[i];
			first = byname[i - 1];
		}
	}
	free(byname);
	if (dup == NULL)
		return 0;
	return prun_error_set(err, PRUN_EXIT_USAGE,
	    "%s: duplicate test name '%s' (first at %s)",
	    origin_of(plan, dup, o2, sizeof o2),
	    shown(dup->name, buf, sizeof buf),
	    origin_of(plan, first, o1, sizeof o1));
}
