/*
 * summary: the final report, assembled from the fragments of one or more
 * results directories (shards of one plan).
 *
 * It reads fragments, not a final file, so it works on a run that is
 * still going or that died; a test of the plan without a fragment is
 * notrun.  The reports are written by pipeline.c, over runset.c.
 */
#ifndef PRUN_SUMMARY_H
#define PRUN_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "plan/metadata.h"
#include "plan/plan.h"
#include "core/result.h"
#include "core/status.h"

/* Reading the merged results of dirs one test at a time, in plan order. */
struct summary;

int	summary_open(struct summary **, char *const *dirs, size_t ndirs,
	    void (*warn)(void *, const char *), void *ctx, struct prun_error *);

/* The metadata of shard s (the first's plan_id, times and ntests stand
 * for all): the header only, its plan empty (see summary_plan). */
const struct prun_metadata *summary_metadata(const struct summary *,
	    size_t s);

/* The next test: 1 with *r filled (notrun when no directory has it), 0
 * after the last, -1 on error. */
int	summary_next(struct summary *, struct prun_result *r,
	    struct prun_error *);

/* Read the whole plan, before the first test, so that summary_read may
 * be used: the plan (the summary's, valid until summary_close), or NULL
 * on error.  Otherwise tests are read as they come, the plan not held. */
const struct prun_plan *summary_plan(struct summary *, struct prun_error *);

/* The test at plan index i, as summary_next gives it, once summary_plan
 * was called: 0 or -1. */
int	summary_read(struct summary *, size_t i, struct prun_result *r,
	    struct prun_error *);

/* Tests found in two directories, and fragments left out, so far. */
void	summary_trouble(const struct summary *, size_t *duplicates,
	    size_t *damaged);

void	summary_close(struct summary *);

#endif
