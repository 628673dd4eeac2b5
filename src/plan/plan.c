/*
 * plan: the tests a run executes, read from test sources and filtered.
 *
 * Three kinds of source append tests: test-list files ("NAME COMMAND..."
 * lines, testlist.c), JSON profiles (profile.c) and directories of
 * executables (dirscan.c); shellwords.c makes a command of a shell string
 * and filter.c keeps the tests -t and -x select.  This file holds the plan
 * itself and what they share (plan_source.h).  The rules all of them keep:
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

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "core/util.h"
#include "plan/plan.h"
#include "plan/plan_source.h"

/* Report running out of memory; returns -1. */
int
plan_nomem(struct prun_error *err)
{
	return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "loading tests");
}

/* A malloc'd printf; NULL when out of memory. */
char *
plan_xprintf(const char *fmt, ...)
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
char *
plan_path_join(const char *dir, const char *rel)
{
	size_t len = strlen(dir);

	if (len > 0 && dir[len - 1] == '/')
		return plan_xprintf("%s%s", dir, rel);
	return plan_xprintf("%s/%s", dir, rel);
}

/* Copy s, which may be NULL; -1 when out of memory. */
int
plan_dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (s != NULL && (*out = strdup(s)) == NULL)
		return -1;
	return 0;
}

/* Append s, owned from now on (NULL, a failed strdup, is an error too). */
int
plan_vec_push(struct plan_vec *vec, char *s)
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
char **
plan_vec_transfer(struct plan_vec *vec)
{
	char **v = vec->v;

	memset(vec, 0, sizeof *vec);
	return v;
}

/* Free the strings and the vector. */
void
plan_vec_clear(struct plan_vec *vec)
{
	strv_free(plan_vec_transfer(vec));
}

/* Free what a test owns and zero it. */
void
plan_test_clear(struct prun_test *t)
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
	if (plan_dup_opt(src->name, &dst->name) == -1 ||
	    plan_dup_opt(src->command, &dst->command) == -1 ||
	    strv_copy(src->argv, &dst->argv) == -1 ||
	    strv_copy(src->env, &dst->env) == -1 ||
	    plan_dup_opt(src->cwd, &dst->cwd) == -1 ||
	    plan_dup_opt(src->origin, &dst->origin) == -1) {
		plan_test_clear(dst);
		return -1;
	}
	return 0;
}

/* Copy s into buf for a message: control characters and bytes that are not
 * valid UTF-8 become \xNN, and a long name is cut with "...". */
const char *
plan_shown(const char *s, char *buf, size_t size)
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
int
plan_name_check(const char *name, const char *where, struct prun_error *err)
{
	char buf[NAME_SHOWN];
	const char *problem;

	if ((problem = name_problem(name)) == NULL)
		return 0;
	return prun_error_set(err, PRUN_EXIT_USAGE,
	    "%s: invalid test name '%s': %s", where,
	    plan_shown(name ? name : "", buf, sizeof buf), problem);
}

/* plan_name_check for the names of a new run: also no empty group or case
 * name ("a/", "a//b", "/x"); a results directory holding one still
 * resumes, since metadata is checked by plan_name_check alone. */
int
plan_new_name_check(const char *name, const char *where,
    struct prun_error *err)
{
	char buf[NAME_SHOWN];

	if (plan_name_check(name, where, err) == -1)
		return -1;
	if (name[0] != '/' && name[strlen(name) - 1] != '/' &&
	    strstr(name, "//") == NULL)
		return 0;
	return prun_error_set(err, PRUN_EXIT_USAGE, "%s: invalid test name "
	    "'%s': an empty group or case name (a '/' at the start or the "
	    "end, or '//')", where, plan_shown(name, buf, sizeof buf));
}

size_t
plan_size(const struct prun_plan *plan)
{
	return plan->n;
}

const struct prun_test *
plan_test(const struct prun_plan *plan, size_t i)
{
	return &plan->tests[i];
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
			return plan_nomem(err);
		size *= 2;
	}
	if ((tests = realloc(plan->tests, size * sizeof *tests)) == NULL)
		return plan_nomem(err);
	plan->tests = tests;
	plan->size = size;
	return 0;
}

/* Append t itself: the plan owns what t held and t is left empty. */
int
plan_take(struct prun_plan *plan, struct prun_test *t, struct prun_error *err)
{
	if (plan_reserve(plan, 1, err) == -1)
		return -1;
	plan->tests[plan->n++] = *t;
	memset(t, 0, sizeof *t);
	return 0;
}

/* Move every test of src to the end of dst, all or none. */
int
plan_transfer(struct prun_plan *dst, struct prun_plan *src,
    struct prun_error *err)
{
	if (src->n == 0)
		return 0;
	if (dst->n == 0) {
		/* The usual case, one source: its array is moved, not
		 * copied, so a million tests are never held twice. */
		free(dst->tests);
		*dst = *src;
		plan_init(src);
		return 0;
	}
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
		plan_test_clear(&plan->tests[i]);
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
		return plan_nomem(err);
	plan->n++;
	return 0;
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
		rv = plan_load_dir(&tmp, path, err);
	else if (len > 5 && strcmp(path + len - 5, ".json") == 0)
		rv = plan_load_profile(&tmp, path, err);
	else
		rv = plan_load_list(&tmp, path, err);
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
			return plan_nomem(err);
		for (j = 0; j < nw + na; j++) {
			argv[j] = strdup(j < nw ? wrapper[j] : t->argv[j - nw]);
			if (argv[j] == NULL) {
				strv_free(argv);
				return plan_nomem(err);
			}
		}
		strv_free(t->argv);
		free(t->command);
		t->argv = argv;
		t->command = NULL;
	}
	return 0;
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
		if (plan_name_check(plan->tests[i].name, origin_of(plan,
		    &plan->tests[i], o1, sizeof o1), err) == -1)
			return -1;
	}
	if (plan->n < 2)
		return 0;
	if ((byname = calloc(plan->n, sizeof *byname)) == NULL)
		return plan_nomem(err);
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
	    plan_shown(dup->name, buf, sizeof buf),
	    origin_of(plan, first, o1, sizeof o1));
}
