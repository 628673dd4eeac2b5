/*
 * summary: the merged results of one or more results directories (shards
 * of one run), read test by test in plan order.
 *
 * Several directories are shards of one plan (same plan_id): a test is
 * taken from the directory that has its fragment; a test found in two is
 * an error that the report shows and that fails the exit status.  A
 * fragment that holds another test than the plan says is damaged, so the
 * names a report shows are always the plan's checked names.
 *
 * Memory stays one fragment at a time.  The plan is not held either: the
 * first directory's metadata.json is read a test at a time, beside the
 * fragments (the others' headers only), unless a caller that reads tests
 * out of order asks for the whole plan (summary_plan), which the summary
 * then owns: a metadata here is always a header, its plan empty.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "plan/metadata.h"
#include "plan/plan.h"
#include "plan/shard.h"
#include "store/store.h"
#include "report/summary.h"

struct source {
	struct prun_store	*store;
	struct prun_metadata	md;	/* the header (its plan stays empty) */
	struct metadata_reader	rd;	/* the first's tests, in order */
	int			open;
};

struct summary {
	struct source	*srcs;
	size_t		 nsrcs;
	size_t		 next;		/* plan index of the next test */
	size_t		 duplicates;
	size_t		 damaged;
	struct prun_plan plan;		/* the whole plan, once held */
	int		 held;
	void		(*warn)(void *, const char *);
	void		*ctx;
};

/* Open a results directory and read its metadata's header; the reader
 * stands before the first test. */
static int
source_open(struct source *src, const char *dir, struct prun_error *err)
{
	char what[4096];
	FILE *fp;
	int fd;

	memset(src, 0, sizeof *src);
	if (store_open(&src->store, dir, 0, err) == -1)
		return -1;
	snprintf(what, sizeof what, "%s/%s", dir, STORE_METADATA);
	if ((fd = store_open_metadata(src->store, err)) == -1)
		goto fail;
	if ((fp = fdopen(fd, "r")) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", what);
		close(fd);
		goto fail;
	}
	if (metadata_open(&src->md, &src->rd, fp, what, err) == -1)
		goto fail;
	/* Fragments are read in the run's backend first, then the other. */
	store_set_run(src->store, src->md.options.backend,
	    src->md.options.fsync);
	src->open = 1;
	return 0;
fail:
	store_close(src->store);
	return -1;
}

/* Close what source_open opened. */
static void
source_close(struct source *src)
{
	if (!src->open)
		return;
	metadata_close(&src->rd);
	metadata_free(&src->md);
	store_close(src->store);
	src->open = 0;
}

/* The number of tests of a plan whose metadata does not say it (files of
 * older versions): counted by reading them once. */
static int
count_tests(struct source *src, const char *dir, struct prun_error *err)
{
	struct source tmp;
	struct prun_test t;
	size_t n = 0;
	int rc;

	if (source_open(&tmp, dir, err) == -1)
		return -1;
	while ((rc = metadata_next(&tmp.rd, &t, err)) == 1) {
		metadata_test_free(&t);
		n++;
	}
	source_close(&tmp);
	src->md.ntests = n;
	return rc;
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

/* An incomplete result for a planned test that the start log says was
 * started and that has no fragment (store.c rule 3). */
static int
started(const struct prun_test *t, size_t index,
    const struct store_state *ts, struct prun_result *r)
{
	if (notrun(t, index, r) == -1)
		return -1;
	r->status = PRUN_INCOMPLETE;
	r->running = ts->kind == STORE_RUNNING;
	r->attempt = ts->attempt;
	r->time_start = ts->time_start;
	return 1;
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

/* Read test i of one source: 1 with *r, 0 when not run, -1 when
 * damaged (a fragment of another test is). */
static int
read_one(struct source *src, size_t i, const struct prun_test *t,
    struct prun_result *r, struct prun_error *ferr)
{
	struct store_state ts;

	if (store_test_state(src->store, i, t->name, &ts, ferr) == -1)
		return -1;
	if (ts.kind == STORE_DAMAGED) {
		*ferr = ts.reason;
		return -1;
	}
	if (ts.has_result) {
		*r = ts.result;
		return 1;
	}
	if (ts.kind == STORE_NOTRUN)
		return 0;
	return started(t, i, &ts, r);
}

/* Find test i in every source: 1 with *r, 0 when nowhere, -1 on error. */
static int
gather(struct summary *sum, size_t i, const struct prun_test *t,
    struct prun_result *r)
{
	struct source *srcs = sum->srcs;
	struct prun_error ferr;
	struct prun_result other;
	char line[8192];
	size_t s, found_in = 0;
	int found = 0, rc;

	for (s = 0; s < sum->nsrcs; s++) {
		rc = read_one(&srcs[s], i, t, found ? &other : r,
		    &ferr);
		if (rc == -1) {
			sum->damaged++;
			if (sum->warn != NULL)
				sum->warn(sum->ctx, ferr.msg);
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
		sum->duplicates++;
		snprintf(line, sizeof line, "prun: test %s has results in "
		    "both %s (%s) and %s (%s)", r->name,
		    store_path(srcs[found_in].store), status_name(r->status),
		    store_path(srcs[s].store), status_name(other.status));
		if (sum->warn != NULL)
			sum->warn(sum->ctx, line);
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

/* The history a shard was cut from: its digest, or round-robin. */
static const char *
cut_from(const struct prun_metadata *md)
{
	return md->options.shard.total > 1 && md->sched.expected != NULL ?
	    md->sched.digest : "round-robin";
}

/*
 * Shards cut by time from other history than the first's would not
 * partition the plan (a test in two shards, or in none): refused, as a
 * shard of another plan is.
 */
static int
check_cut(const struct summary *sum, char *const *dirs, size_t s,
    struct prun_error *err)
{
	const struct prun_metadata *a = &sum->srcs[0].md, *b = &sum->srcs[s].md;

	if (a->options.shard.total < 2 && b->options.shard.total < 2)
		return 0;
	if (strcmp(cut_from(a), cut_from(b)) == 0)
		return 0;
	return prun_error_set(err, PRUN_EXIT_USAGE, "%s: a shard cut from "
	    "other history than %s (%s, not %s): the shards of one run must "
	    "be cut with the same --history, or all round-robin", dirs[s],
	    dirs[0], cut_from(b), cut_from(a));
}

/* Say which shards of a sharded run are missing or given twice: their
 * tests will be notrun, or duplicates. */
static void
check_shards(struct summary *sum)
{
	const struct prun_shard *first = &sum->srcs[0].md.options.shard;
	const struct prun_shard *sh;
	unsigned char *given;
	char msg[512];
	size_t s, k, n = sum->srcs[0].md.ntests;

	if (sum->warn == NULL || first->total < 2)
		return;
	for (s = 1; s < sum->nsrcs; s++)
		if (sum->srcs[s].md.options.shard.total != first->total)
			return;
	if ((given = calloc(first->total + 1, 1)) == NULL)
		return;
	for (s = 0; s < sum->nsrcs; s++) {
		sh = &sum->srcs[s].md.options.shard;
		if (given[sh->index]++ == 1) {
			snprintf(msg, sizeof msg, "%s: shard %u/%u is given "
			    "twice", store_path(sum->srcs[s].store), sh->index,
			    sh->total);
			sum->warn(sum->ctx, msg);
		}
	}
	for (k = 1; k <= first->total; k++) {
		struct prun_shard missing = { (unsigned)k, first->total,
		    SHARD_GIVEN, first->owner };

		if (given[k] || shard_size(&missing, n) == 0)
			continue;
		snprintf(msg, sizeof msg, "shard %zu/%u is missing: its %zu "
		    "tests are notrun", k, first->total,
		    shard_size(&missing, n));
		sum->warn(sum->ctx, msg);
	}
	free(given);
}

/* Open the directories; they must hold one plan. */
int
summary_open(struct summary **out, char *const *dirs, size_t ndirs,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct summary *sum;
	size_t s;

	*out = NULL;
	if ((sum = calloc(1, sizeof *sum)) == NULL ||
	    (sum->srcs = calloc(ndirs, sizeof *sum->srcs)) == NULL) {
		free(sum);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "summary");
	}
	sum->nsrcs = ndirs;
	sum->warn = warn;
	sum->ctx = ctx;
	for (s = 0; s < ndirs; s++) {
		if (source_open(&sum->srcs[s], dirs[s], err) == -1)
			goto fail;
		/* Only the first's tests are read. */
		if (s > 0)
			metadata_close(&sum->srcs[s].rd);
		if (s > 0 && strcmp(sum->srcs[s].md.plan_id,
		    sum->srcs[0].md.plan_id)) {
			prun_error_set(err, PRUN_EXIT_USAGE, "%s: results of "
			    "another plan than %s (plan %s, not %s): only "
			    "shards of one run can be merged; compare runs "
			    "with --compare", dirs[s], dirs[0],
			    sum->srcs[s].md.plan_id, sum->srcs[0].md.plan_id);
			goto fail;
		}
		if (s > 0 && check_cut(sum, dirs, s, err) == -1)
			goto fail;
	}
	if (sum->srcs[0].md.ntests == METADATA_NTESTS_UNKNOWN &&
	    count_tests(&sum->srcs[0], dirs[0], err) == -1)
		goto fail;
	/* The start logs: tests started and never recorded are incomplete
	 * (store.c rule 3). */
	for (s = 0; s < ndirs; s++)
		if (store_load_starts(sum->srcs[s].store,
		    sum->srcs[0].md.ntests, warn, ctx, err) == -1)
			goto fail;
	check_shards(sum);
	*out = sum;
	return 0;
fail:
	summary_close(sum);
	return -1;
}

/* The header of shard s. */
const struct prun_metadata *
summary_metadata(const struct summary *sum, size_t s)
{
	return s < sum->nsrcs ? &sum->srcs[s].md : NULL;
}

/* Read the rest of the plan and keep it; see summary.h. */
const struct prun_plan *
summary_plan(struct summary *sum, struct prun_error *err)
{
	struct source *src = &sum->srcs[0];

	if (sum->held)
		return &sum->plan;
	if (sum->next > 0) {
		prun_error_set(err, PRUN_EXIT_IO, "summary: the plan is held "
		    "before the first test is read");
		return NULL;
	}
	if (metadata_read_plan(&src->md, &src->rd, err) == -1)
		return NULL;
	metadata_close(&src->rd);
	/* The summary's own: the metadata stays a header. */
	sum->plan = src->md.plan;
	plan_init(&src->md.plan);
	sum->held = 1;
	return &sum->plan;
}

/* Test i, named planned, from whichever directory has it. */
static int
read_test(struct summary *sum, size_t i, const struct prun_test *t,
    struct prun_result *r, struct prun_error *err)
{
	int found;

	found = gather(sum, i, t, r);
	if (found == 0 && notrun(t, i, r) == -1)
		found = -1;
	if (found == -1) {
		result_free(r);
		return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "summary");
	}
	return 0;
}

/* Test i of the plan, which is held. */
int
summary_read(struct summary *sum, size_t i, struct prun_result *r,
    struct prun_error *err)
{
	const struct prun_plan *plan = &sum->plan;

	if (!sum->held || i >= plan_size(plan))
		return prun_error_set(err, PRUN_EXIT_IO, "summary: test %zu "
		    "read out of order", i);
	return read_test(sum, i, plan_test(plan, i), r, err);
}

/* The next test of the plan: from the plan held, or the next one read. */
int
summary_next(struct summary *sum, struct prun_result *r,
    struct prun_error *err)
{
	struct source *src = &sum->srcs[0];
	struct prun_test t;
	int rc;

	if (sum->held) {
		if (sum->next >= plan_size(&sum->plan))
			return 0;
		if (summary_read(sum, sum->next, r, err) == -1)
			return -1;
		sum->next++;
		return 1;
	}
	if ((rc = metadata_next(&src->rd, &t, err)) == -1)
		return -1;
	if ((rc == 0) != (sum->next == src->md.ntests))
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: damaged: "
		    "%s tests than %zu", src->rd.what, rc == 0 ? "fewer" :
		    "more", src->md.ntests);
	if (rc == 0)
		return 0;
	rc = read_test(sum, sum->next, &t, r, err);
	metadata_test_free(&t);
	if (rc == -1)
		return -1;
	sum->next++;
	return 1;
}

/* What went wrong so far. */
void
summary_trouble(const struct summary *sum, size_t *duplicates,
    size_t *damaged)
{
	*duplicates = sum->duplicates;
	*damaged = sum->damaged;
}

/* Close every directory. */
void
summary_close(struct summary *sum)
{
	size_t s;

	if (sum == NULL)
		return;
	for (s = 0; s < sum->nsrcs; s++)
		source_close(&sum->srcs[s]);
	if (sum->held)
		plan_free(&sum->plan);
	free(sum->srcs);
	free(sum);
}
