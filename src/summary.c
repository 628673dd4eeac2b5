/*
 * summary: one report from the fragments of one or more results
 * directories, streamed test by test in plan order.
 *
 * Several directories are shards of one plan (same plan_id): a test is
 * taken from the directory that has its fragment; a test found in two is
 * an error that the report shows and that fails the exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata.h"
#include "plan.h"
#include "store.h"
#include "summary.h"

struct source {
	struct prun_store	store;
	struct prun_metadata	md;
	int			open;
};

/* Open a results directory and read its plan. */
static int
source_open(struct source *src, const char *dir, struct prun_error *err)
{
	char what[4096], *buf;
	size_t len;
	int rc;

	memset(src, 0, sizeof *src);
	if (store_open(&src->store, dir, 0, err) == -1)
		return -1;
	if (store_read_metadata(&src->store, &buf, &len, err) == -1) {
		store_close(&src->store);
		return -1;
	}
	snprintf(what, sizeof what, "%s/%s", dir, STORE_METADATA);
	rc = metadata_decode(&src->md, buf, len, what, err);
	free(buf);
	if (rc == -1) {
		store_close(&src->store);
		return -1;
	}
	src->open = 1;
	return 0;
}

/* Close what source_open opened. */
static void
source_close(struct source *src)
{
	if (!src->open)
		return;
	metadata_free(&src->md);
	store_close(&src->store);
	src->open = 0;
}

/* A notrun result for a planned test without a fragment. */
static int
notrun(const struct prun_test *t, size_t index, struct prun_result *r)
{
	memset(r, 0, sizeof *r);
	r->index = index;
	r->status = PRUN_NOTRUN;
	r->attempt = 1;
	if ((r->name = strdup(t->name)) == NULL ||
	    (r->command = plan_command_string(t)) == NULL ||
	    (r->out = strdup("")) == NULL || (r->err = strdup("")) == NULL)
		return -1;
	return 0;
}

/* Append a line to a result's err (for duplicates). */
static int
append_err(struct prun_result *r, const char *line)
{
	size_t n = strlen(line);
	char *p;

	if ((p = realloc(r->err, r->err_len + n + 2)) == NULL)
		return -1;
	if (r->err_len > 0 && p[r->err_len - 1] != '\n')
		p[r->err_len++] = '\n';
	memcpy(p + r->err_len, line, n + 1);
	r->err = p;
	r->err_len += n;
	return 0;
}

/* Find test i in every source: 1 with *r, 0 when nowhere, -1 on error. */
static int
gather(struct source *srcs, size_t nsrcs, size_t i, struct prun_result *r,
    struct report_info *info, void (*warn)(void *, const char *), void *ctx)
{
	struct prun_error ferr;
	struct prun_result other;
	char line[8192];
	size_t s, found_in = 0;
	int found = 0, rc;

	for (s = 0; s < nsrcs; s++) {
		rc = store_read_result(&srcs[s].store, i, found ? &other : r,
		    &ferr);
		if (rc == -1) {
			info->damaged++;
			if (warn != NULL)
				warn(ctx, ferr.msg);
			continue;
		}
		if (rc == 0)
			continue;
		if (!found) {
			found = 1;
			found_in = s;
			continue;
		}
		/* The same test in two shards: keep the worse, say so. */
		info->duplicates++;
		snprintf(line, sizeof line, "prun: test %s has results in "
		    "both %s (%s) and %s (%s)", r->name,
		    srcs[found_in].store.path, status_name(r->status),
		    srcs[s].store.path, status_name(other.status));
		if (warn != NULL)
			warn(ctx, line);
		if (other.status > r->status) {
			result_free(r);
			*r = other;
		} else
			result_free(&other);
		if (append_err(r, line) == -1)
			return -1;
	}
	return found;
}

/* Write the report of dirs; see summary.h. */
int
summary_write(char *const *dirs, size_t ndirs, enum report_format fmt,
    FILE *fp, void (*warn)(void *, const char *), void *ctx,
    struct summary_outcome *out, struct prun_error *err)
{
	struct report_info info;
	struct report rep;
	struct source *srcs;
	struct prun_result r;
	const struct prun_plan *plan;
	size_t s, i;
	int rc = -1, found;

	memset(out, 0, sizeof *out);
	memset(&info, 0, sizeof info);
	memset(&rep, 0, sizeof rep);
	if ((srcs = calloc(ndirs, sizeof *srcs)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "summary");
	for (s = 0; s < ndirs; s++) {
		if (source_open(&srcs[s], dirs[s], err) == -1)
			goto done;
		if (s > 0 && strcmp(srcs[s].md.plan_id, srcs[0].md.plan_id)) {
			prun_error_set(err, PRUN_EXIT_USAGE, "%s: results of "
			    "another plan than %s (plan %s, not %s)", dirs[s],
			    dirs[0], srcs[s].md.plan_id, srcs[0].md.plan_id);
			goto done;
		}
	}
	plan = &srcs[0].md.plan;
	info.md = &srcs[0].md;
	info.dirs = dirs;
	info.ndirs = ndirs;
	info.ntests = plan->n;
	info.time_start = srcs[0].md.time_start;
	for (s = 1; s < ndirs; s++)
		if (srcs[s].md.time_start < info.time_start)
			info.time_start = srcs[s].md.time_start;
	info.time_end = info.time_start;
	if (report_open(&rep, fmt, fp, err) == -1)
		goto done;
	if (rep.ops->begin(&rep, &info) == -1)
		goto write_error;
	for (i = 0; i < plan->n; i++) {
		found = gather(srcs, ndirs, i, &r, &info, warn, ctx);
		if (found == 0 && notrun(&plan->tests[i], i, &r) == -1)
			found = -1;
		if (found == -1) {
			result_free(&r);
			prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "summary");
			goto done;
		}
		info.counts[r.status]++;
		if (r.time_end > info.time_end)
			info.time_end = r.time_end;
		rc = rep.ops->test(&rep, &info, &r);
		result_free(&r);
		if (rc == -1)
			goto write_error;
		rc = -1;
	}
	if (rep.ops->end(&rep, &info) == -1 || fflush(fp) == EOF ||
	    ferror(fp))
		goto write_error;
	memcpy(out->counts, info.counts, sizeof out->counts);
	out->duplicates = info.duplicates;
	out->damaged = info.damaged;
	rc = 0;
	goto done;
write_error:
	prun_error_errno(err, PRUN_EXIT_IO, errno, "cannot write the report");
done:
	if (rep.ops != NULL && rep.ops->free != NULL)
		rep.ops->free(&rep);
	for (s = 0; s < ndirs; s++)
		source_close(&srcs[s]);
	free(srcs);
	return rc;
}
