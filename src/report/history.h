/*
 * history: how long each test of a plan took in earlier runs (--history),
 * read from results directories, the shards of a run joined by commas, or
 * JSON reports of prun summary -f json, through the same runset every
 * report reads.
 */
#ifndef PRUN_HISTORY_H
#define PRUN_HISTORY_H

#include <stddef.h>

#include "core/error.h"
#include "plan/plan.h"
#include "plan/select.h"

/*
 * The expected time of every test of plan, in seconds, from the runs
 * srcs[0..nsrcs): the mean of the times the runs recorded for it (a
 * finished result: not notrun, not incomplete), or -1 when none did (a
 * test of another suite, or new).  Tests of the sources that the plan
 * lacks are ignored.  *expected is malloc'd, plan_size entries.  A
 * source that cannot be read or is damaged is a usage error (exit 2)
 * naming it.  warn(ctx, msg) hears of fragments left out.
 */
int	history_expected(char *const *srcs, size_t nsrcs,
	    const struct prun_plan *, double **expected,
	    void (*warn)(void *, const char *), void *ctx,
	    struct prun_error *);

/*
 * --failed-from: add to sel the tests of the runs srcs[0..nsrcs) whose
 * status was not pass or skip (notrun and incomplete included).  Errors
 * as for history_expected.
 */
int	history_failed(char *const *srcs, size_t nsrcs,
	    struct prun_selection *sel,
	    void (*warn)(void *, const char *), void *ctx,
	    struct prun_error *);

#endif
