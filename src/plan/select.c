/*
 * select: a set of test names, and the plan cut to it; see select.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan_source.h"
#include "plan/select.h"

void
select_init(struct prun_selection *s)
{
	memset(s, 0, sizeof *s);
	nametab_init_names(&s->tab, (char *const *const *)&s->names);
}

/* Add one name, once. */
int
select_add(struct prun_selection *s, const char *name, const char *origin,
    struct prun_error *err)
{
	char **nv, **ov;
	size_t size;

	s->used = 1;
	if (nametab_find_name(&s->tab, name) != NAMETAB_NONE)
		return 0;
	if (s->n == s->size) {
		size = s->size ? 2 * s->size : 64;
		if ((nv = realloc(s->names, size * sizeof *nv)) == NULL)
			return plan_nomem(err);
		s->names = nv;
		if ((ov = realloc(s->origins, size * sizeof *ov)) == NULL)
			return plan_nomem(err);
		s->origins = ov;
		s->size = size;
	}
	s->names[s->n] = strdup(name);
	s->origins[s->n] = origin != NULL ? strdup(origin) : NULL;
	if (s->names[s->n] == NULL || (origin != NULL &&
	    s->origins[s->n] == NULL) ||
	    nametab_add_name(&s->tab, name, s->n) == -1) {
		free(s->names[s->n]);
		free(s->origins[s->n]);
		return plan_nomem(err);
	}
	s->n++;
	return 0;
}

/* Add the names of a file, one a line. */
int
select_read(struct prun_selection *s, const char *path,
    struct prun_error *err)
{
	const char *what = strcmp(path, "-") == 0 ? "standard input" : path;
	char *line = NULL, origin[4096];
	size_t cap = 0, lineno = 0;
	ssize_t len;
	FILE *fp;
	int rc = 0;

	s->used = 1;
	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (fp == NULL)
		return prun_error_errno(err, PRUN_EXIT_USAGE, errno,
		    "--tests-from %s", path);
	while (rc == 0 && (len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (strlen(line) != (size_t)len) {
			rc = prun_error_set(err, PRUN_EXIT_USAGE, "%s:%zu: a "
			    "NUL byte in a test name", what, lineno);
			break;
		}
		snprintf(origin, sizeof origin, "%s:%zu", what, lineno);
		rc = select_add(s, line, origin, err);
	}
	if (rc == 0 && ferror(fp))
		rc = prun_error_errno(err, PRUN_EXIT_USAGE, errno,
		    "--tests-from %s", path);
	free(line);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int
select_has(const struct prun_selection *s, const char *name)
{
	return nametab_find_name(&s->tab, name) != NAMETAB_NONE;
}

/* Keep the plan's tests that s names; an unknown checked name is an
 * error. */
int
select_plan(const struct prun_selection *s, struct prun_plan *plan,
    struct prun_error *err)
{
	struct nametab byname;
	char **names = NULL;
	size_t i, kept;

	if (!s->used)
		return 0;
	/* Every name that came from a file must be a test of the suite. */
	nametab_init_names(&byname, (char *const *const *)&names);
	if ((names = malloc((plan_size(plan) ? plan_size(plan) : 1) *
	    sizeof *names)) == NULL)
		return plan_nomem(err);
	for (i = 0; i < plan_size(plan); i++) {
		names[i] = (char *)plan_name(plan, i);
		if (nametab_add_name(&byname, names[i], i) == -1) {
			nametab_free(&byname);
			free(names);
			return plan_nomem(err);
		}
	}
	for (i = 0; i < s->n; i++)
		if (s->origins[i] != NULL &&
		    nametab_find_name(&byname, s->names[i]) == NAMETAB_NONE)
			break;
	nametab_free(&byname);
	free(names);
	if (i < s->n)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: unknown test "
		    "'%s' (not in the TESTS given)", s->origins[i],
		    s->names[i]);
	for (i = kept = 0; i < plan_size(plan); i++)
		if (select_has(s, plan_name(plan, i)))
			plan_move(plan, kept++, i);
	plan_keep(plan, kept);
	return 0;
}

void
select_free(struct prun_selection *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->names[i]);
		free(s->origins[i]);
	}
	free(s->names);
	free(s->origins);
	nametab_free(&s->tab);
	memset(s, 0, sizeof *s);
}
