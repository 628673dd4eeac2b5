/*
 * resume: what is left to do in a results directory.
 *
 * A fresh run and a resume differ only in their todo list: a fresh run
 * runs every test once; a resume scans the fragments and runs the tests
 * without a finished result, bounded by --max-attempts.
 */
#ifndef PRUN_RESUME_H
#define PRUN_RESUME_H

#include <stddef.h>

#include "core/error.h"
#include "plan/plan.h"
#include "exec/run.h"
#include "core/status.h"
#include "store/store.h"

struct resume_state {
	struct run_todo	*todo;		/* tests to run, in plan order */
	size_t		 ntodo;
	size_t		 counts[PRUN_NSTATUS];	/* finished results found */
	size_t		 finished;	/* tests with a finished result */
	size_t		 exhausted;	/* incomplete, out of attempts */
	size_t		 damaged;	/* unparsable fragments, to rerun */
	size_t		 cleaned;	/* temporary files removed */
	int		 stopped;	/* a stop signal cut the scan short:
					   todo is not whole */
};

/* A fresh run: every test of the plan, first attempt. */
int	resume_fresh(const struct prun_plan *, struct resume_state *,
	    struct prun_error *);

/*
 * Scan store for the plan's results; warn(ctx, msg) is called for each
 * fragment that cannot be read (it is ignored and its test runs again).
 * A stop signal pending (signals.h) ends the scan with rs->stopped set.
 */
int	resume_scan(struct prun_store *, const struct prun_plan *,
	    int max_attempts, void (*warn)(void *, const char *), void *ctx,
	    struct resume_state *, struct prun_error *);

void	resume_free(struct resume_state *);

#endif
