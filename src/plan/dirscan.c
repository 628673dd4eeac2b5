/*
 * dirscan: tests from a directory: every executable regular file below it,
 * run directly and named by its relative path, in the byte order of those
 * paths (plan.c rule 4).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/util.h"
#include "plan/plan.h"
#include "plan/plan_source.h"

/* Collect the relative paths of the executable regular files below
 * dir/rel, skipping hidden names and not following symlinked dirs. */
static int
scan_dir(const char *dir, const char *rel, struct plan_vec *found,
    struct prun_error *err)
{
	struct dirent *de;
	struct stat st;
	DIR *d = NULL;
	char *here, *sub = NULL, *full = NULL;
	int rv = -1;

	here = rel ? plan_path_join(dir, rel) : strdup(dir);
	if (here == NULL)
		return plan_nomem(err);
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
		sub = rel ? plan_path_join(rel, de->d_name) : strdup(de->d_name);
		if (sub == NULL || (full = plan_path_join(dir, sub)) == NULL) {
			plan_nomem(err);
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
			if (plan_vec_push(found, sub) == -1) {
				sub = NULL;
				plan_nomem(err);
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
int
plan_load_dir(struct prun_plan *plan, const char *dir, struct prun_error *err)
{
	struct plan_vec found = { NULL, 0, 0 };
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
		if ((t.origin = plan_path_join(dir, found.v[i])) == NULL ||
		    (t.name = strdup(found.v[i])) == NULL) {
			plan_nomem(err);
			goto fail;
		}
		if (plan_new_name_check(t.name, t.origin, err) == -1)
			goto fail;
		argv[0] = t.origin;
		if (plan_set_argv(&t, argv, err) == -1 ||
		    plan_take(plan, &t, err) == -1)
			goto fail;
	}
	rv = 0;

fail:
	plan_test_clear(&t);
	plan_vec_clear(&found);
	return rv;
}
