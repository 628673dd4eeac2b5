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

struct run_outcome {
	size_t	 counts[PRUN_NSTATUS];	/* of the results recorded */
	int	 signal;		/* SIGINT or SIGTERM that stopped it */
	size_t	 unstarted;		/* left by --overall-timeout */
};

/* Why a test ended without a result of its own. */
enum run_loss {
	RUN_LOSS_STOPPED,	/* prun was stopped: kept as interrupted */
	RUN_LOSS_GIVEN_UP,	/* the run stopped (could not record another) */
	RUN_LOSS_UNRECORDED,	/* its own record could not be written */
};

/*
 * One observer of the run: progress, an event stream, fail-fast.  Every
 * callback is optional and is called from the scheduler's loop, in the
 * order things happened; observers are a list linked by next, each told
 * in turn.  A test that started ends with ended (its result, which is
 * on disk: durable unless --fsync never; SPEC: reported means durable)
 * or with lost; a try that is run again (--rerun-failures) ends with
 * the next try.
 */
struct run_observer {
	/* a try of test (index into the plan) was spawned */
	void	 (*started)(void *ctx, const struct prun_test *, size_t index,
		    int attempt);
	/* its result r is recorded; durable: fsynced as well */
	void	 (*ended)(void *ctx, const struct prun_result *r, int durable);
	/* it ended without a result that counts, and why */
	void	 (*lost)(void *ctx, size_t index, int attempt, enum run_loss);
	/* the run ended (run_tests is about to return) */
	void	 (*run_ended)(void *ctx, const struct run_outcome *);
	/* a few times a second while tests run */
	void	 (*tick)(void *ctx);
	void	  *ctx;
	const struct run_observer *next;	/* the next one, or NULL */
};

/*
 * Run the todo tests of plan with opts, recording into store.
 * results_dir is the absolute path given to tests as PRUN_RESULTS_DIR.
 * Returns 0 when the run ended (possibly stopped by a signal: see
 * outcome->signal), -1 when a result could not be recorded (the run
 * stopped; what was recorded stays valid and resumable).
 */
int	run_tests(const struct prun_plan *plan, const struct prun_options *opts,
	    struct prun_store *store, const char *results_dir,
	    const struct run_todo *todo, size_t ntodo,
	    const struct run_observer *observers, struct run_outcome *outcome,
	    struct prun_error *);

#endif
