/*
 * runset: several runs read side by side, one row per test name.
 *
 * Each run is one results directory, or the shards of one run given as
 * "DIR,DIR,..." (merged as a summary merges them).  The rows are the union
 * of the tests of every run, in order: the first run's order, a test that
 * only a later run has coming right after the test before it in that run.
 * A row holds, for each run, the test's result (notrun when planned
 * without a fragment), or nothing when that run did not plan the test.
 */
#ifndef PRUN_RUNSET_H
#define PRUN_RUNSET_H

#include <stddef.h>
#include <stdio.h>

#include "report/change.h"
#include "core/error.h"
#include "report/report.h"
#include "core/result.h"

struct runset_outcome {
	size_t	counts[PRUN_NSTATUS];	/* of the last run */
	size_t	regressions;		/* from the run before */
	size_t	fixes;
	size_t	duplicates;		/* results in two shards */
	size_t	damaged;		/* fragments left out */
};

struct runset;

/*
 * Open runs[0..nruns) (each "DIR" or "DIR,DIR,..."), read their plans and
 * order the union of their tests.  warn(ctx, msg) is called for each
 * fragment left out and each oddity of the shards.
 */
struct runset	*runset_open(char *const *runs, size_t nruns,
		    void (*warn)(void *, const char *), void *ctx,
		    struct prun_error *);

/* The number of rows, and what is known of each run (counts grow as
 * rows are read; regressions and fixes are from the run before). */
size_t		 runset_rows(const struct runset *);
const struct report_run *runset_runs(const struct runset *, size_t *nruns);

/*
 * Read the next row into cells[0..nruns): 1 with cells filled (each
 * cells[k] NULL when run k does not have the test), 0 at the end, -1 on
 * error.  The results stay valid until the next call.
 */
int		 runset_next(struct runset *,
		    const struct prun_result **cells, struct prun_error *);

void		 runset_close(struct runset *);

/*
 * Write the report comparing runs as opts says to fp (a format that can
 * put runs side by side).  Returns 0, or -1 when a directory or the
 * report cannot be read or written.
 */
int		 runset_write(char *const *runs, size_t nruns,
		    const struct report_options *opts, FILE *fp,
		    void (*warn)(void *, const char *), void *ctx,
		    struct runset_outcome *, struct prun_error *);

#endif
