/*
 * runset: the row source of every report: a set of runs read side by
 * side, one row per test name.
 *
 * A summary is a set of one run: its shards, given as directories, merged
 * (summary.c), its tests streamed in plan order with nothing held but the
 * fragment being read.  A comparison is a set of runs, each one results
 * directory, or the shards of one run given as "DIR,DIR,...", or (when
 * RUNSET_JSON is given) a JSON report, piglit's or prun's, loaded whole.
 * The rows are the union of the tests of every run, in order: the first
 * run's order (the last's with RUNSET_NEWEST), a test that only another
 * run has coming right after the test before it in that run.  A row holds,
 * for each run, the test's result (notrun when planned without a
 * fragment), or nothing when that run did not plan the test.
 */
#ifndef PRUN_RUNSET_H
#define PRUN_RUNSET_H

#include <stddef.h>

#include "core/error.h"
#include "core/result.h"
#include "plan/metadata.h"
#include "report/report.h"

/* How to open a set of runs. */
#define RUNSET_JSON	0x1	/* a run that is no directory is a JSON
				 * report */
#define RUNSET_NEWEST	0x2	/* rows in the last run's order */

struct runset;

/*
 * Open runs[0..nruns) (each "DIR", "DIR,DIR,..." or a JSON report), read
 * their plans and order the union of their tests.  warn(ctx, msg) is
 * called for each fragment left out and each oddity of the shards.
 */
struct runset	*runset_open(char *const *runs, size_t nruns, int flags,
		    void (*warn)(void *, const char *), void *ctx,
		    struct prun_error *);

/* Open one run whose shards are dirs[0..ndirs), streamed (a summary). */
struct runset	*runset_open_shards(char *const *dirs, size_t ndirs,
		    void (*warn)(void *, const char *), void *ctx,
		    struct prun_error *);

/* The number of rows (of a set of one run: the tests of its plan). */
size_t		 runset_rows(const struct runset *);

/* What is known of each run (counts grow as rows are read; regressions
 * and fixes are from the run before, by change_test). */
const struct report_run *runset_runs(const struct runset *, size_t *nruns);

/* The metadata of each shard of run k (NULL for a JSON report). */
const struct prun_metadata *runset_shard(const struct runset *, size_t k,
		    size_t shard);

/*
 * Read the next row into cells[0..nruns): 1 with cells filled (each
 * cells[k] NULL when run k does not have the test), 0 at the end, -1 on
 * error.  The results stay valid until the next call.
 */
int		 runset_next(struct runset *,
		    const struct prun_result **cells, struct prun_error *);

void		 runset_close(struct runset *);

#endif
