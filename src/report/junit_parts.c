/*
 * junit_parts: naming, writing and committing the parts of a split JUnit
 * report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "report/junit_parts.h"

struct junit_parts {
	char			*path;	/* as given to -o */
	struct fsutil_atomic	*files;	/* parts 1 .. n */
	size_t			 n;
	int			 failed;
	struct prun_error	 err;
};

/* "dir/junit.xml" and 2: "dir/junit-2.xml"; without an extension in the
 * last component, "-2" goes at the end. */
char *
junit_parts_name(const char *path, size_t k)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t stem;
	char *s;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	stem = dot != NULL && dot != base ? (size_t)(dot - path) : strlen(path);
	if (asprintf(&s, "%.*s-%zu%s", (int)stem, path, k, path + stem) == -1)
		return NULL;
	return s;
}

/* The parts of path. */
struct junit_parts *
junit_parts_new(const char *path, struct prun_error *err)
{
	struct junit_parts *p;

	if ((p = calloc(1, sizeof *p)) == NULL ||
	    (p->path = strdup(path)) == NULL) {
		free(p);
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", path);
		return NULL;
	}
	return p;
}

/* Open part k: the next one. */
FILE *
junit_parts_open(struct junit_parts *p, size_t k)
{
	struct fsutil_atomic *nf;
	char *name;
	FILE *fp;

	if (k != p->n + 1) {
		prun_error_set(&p->err, PRUN_EXIT_IO, "%s: part %zu opened "
		    "after part %zu", p->path, k, p->n);
		p->failed = 1;
		return NULL;
	}
	if ((nf = realloc(p->files, (p->n + 1) * sizeof *nf)) == NULL ||
	    (name = junit_parts_name(p->path, k)) == NULL) {
		if (nf != NULL)
			p->files = nf;
		prun_error_errno(&p->err, PRUN_EXIT_IO, errno, "%s", p->path);
		p->failed = 1;
		return NULL;
	}
	p->files = nf;
	fp = fsutil_atomic_begin(&p->files[p->n], name, &p->err);
	free(name);
	if (fp == NULL) {
		p->failed = 1;
		return NULL;
	}
	p->n++;
	return fp;
}

/* Rename the parts to their names; then remove the parts after the last
 * that an earlier report left (they would be collected with these). */
int
junit_parts_commit(struct junit_parts *p, struct prun_error *err)
{
	char *name;
	size_t k;
	int rc = 0;

	for (k = 0; k < p->n; k++)
		if (rc == 0 && fsutil_atomic_commit(&p->files[k], err) == -1)
			rc = -1;
		else if (rc == -1)
			fsutil_atomic_abort(&p->files[k]);
	p->n = 0;
	if (rc == -1)
		return -1;
	for (k++; (name = junit_parts_name(p->path, k)) != NULL; k++) {
		if (unlink(name) == -1) {
			if (errno != ENOENT)
				rc = prun_error_errno(err, PRUN_EXIT_IO, errno,
				    "%s: the part of an earlier report",
				    name);
			free(name);
			return rc;
		}
		free(name);
	}
	return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", p->path);
}

/* The error of the last failed open. */
const struct prun_error *
junit_parts_error(const struct junit_parts *p)
{
	return p != NULL && p->failed ? &p->err : NULL;
}

/* Abort what is left and free. */
void
junit_parts_free(struct junit_parts *p)
{
	size_t k;

	if (p == NULL)
		return;
	for (k = 0; k < p->n; k++)
		fsutil_atomic_abort(&p->files[k]);
	free(p->files);
	free(p->path);
	free(p);
}
