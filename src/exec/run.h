/*
 * run: the scheduler that runs a list of tests of a plan, N at a time.
 *
 * Running and resuming are the same code: the caller says which tests to
 * run and with which attempt number.  For each test the scheduler writes
 * the start record, spawns the test, drains its output, applies its
 * timeout, and records its result, in that order (see store.c).
 */
#ifndef PRUN_RUN_H
#define PRUN_RUN_H

#include <stddef.h>

#include "core/error.h"
#include "plan/options.h"
#include "plan/plan.h"
#include "core/result.h"
#include "core/status.h"
#include "store/store.h"
#include "exec/observer.h"

/*
 * More tests to run, found while the run goes: a resume reads the
 * fragments of an earlier run beside the tests it starts at once.  Once
 * its own list is done the loop waits for fd to be readable (it polls
 * it with the tests' pipes) and take hands over the rest: 1 with *todo
 * (the feed's, valid until the feed is freed) and counts, by status, of
 * the finished results found, which observers are told (recorded); 0
 * while not ready; -1 with err when the rest cannot be known.  Taken
 * once at most; a run that stops first leaves it untaken.
 */
struct run_feed {
	int	  fd;
	int	(*take)(void *ctx, const struct run_todo **todo, size_t *ntodo,
		    size_t *counts, struct prun_error *);
	void	 *ctx;
};

/*
 * Run the todo tests of plan with opts, recording into store, then those
 * of feed when it is not NULL.
 * results_dir is the absolute path given to tests as PRUN_RESULTS_DIR.
 * Returns 0 when the run ended (possibly stopped by a signal: see
 * outcome->signal), -1 when a result could not be recorded (the run
 * stopped; what was recorded stays valid and resumable).
 */
int	run_tests(const struct prun_plan *plan, const struct prun_options *opts,
	    struct prun_store *store, const char *results_dir,
	    const struct run_todo *todo, size_t ntodo,
	    const struct run_feed *feed,
	    const struct run_observer *observers, struct run_outcome *outcome,
	    struct prun_error *);

#endif
