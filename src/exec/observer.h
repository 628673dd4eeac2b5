/*
 * observer: what the scheduler (run.h) tells of a run as it goes: a test
 * started, ended with a result, ended without one, the run ended, and
 * time passes.  Progress is an observer; an event stream and fail-fast
 * are more of them, linked in a list, so none knows of the others.
 */
#ifndef PRUN_OBSERVER_H
#define PRUN_OBSERVER_H

#include <stddef.h>

#include "core/result.h"
#include "core/status.h"
#include "plan/plan.h"

/* What an observer may ask of the run it watches (run_halt). */
enum run_halt {
	RUN_HALT_NONE = 0,
	RUN_HALT_STARTS,	/* start no new test; running ones finish */
	RUN_HALT_ALL,		/* that, and stop the running ones now: they
				 * are recorded incomplete, attempt counted */
};

#define RUN_HALT_WHY	256	/* room for the cause, with its NUL */

/* What a run did: the statuses of its results, and why it ended. */
struct run_outcome {
	size_t	 counts[PRUN_NSTATUS];	/* of the results recorded */
	int	 signal;		/* SIGINT or SIGTERM that stopped it */
	size_t	 unstarted;		/* left by --overall-timeout or a halt */
	enum run_halt halted;		/* what an observer asked, if any */
	char	 halt_why[RUN_HALT_WHY];	/* the cause it gave */
};

/* The scheduler's control of a run, lent to observers by attach. */
struct run_control;

/*
 * Ask the run to halt (from an observer's callback, on the loop's
 * thread): the strongest request made stands, with the cause given
 * first at that strength (copied, cut to RUN_HALT_WHY).  Tests not
 * started stay notrun; a resume runs them.
 */
void	run_halt(struct run_control *, enum run_halt, const char *why);

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
	/* a try of test (index into the plan) was spawned; start: its start
	 * number, what the test sees as PRUN_ATTEMPT */
	void	 (*started)(void *ctx, const struct prun_test *, size_t index,
		    int start);
	/*
	 * a try of test ended and r is its result, before it is recorded
	 * (or run again): an observer may add what it saw (the kernel log)
	 * and change r->status by that
	 */
	void	 (*finishing)(void *ctx, struct prun_result *r);
	/* its result r is recorded; durable: fsynced as well */
	void	 (*ended)(void *ctx, const struct prun_result *r, int durable);
	/* it ended without a result that counts, and why */
	void	 (*lost)(void *ctx, size_t index, int attempt, enum run_loss);
	/* the run ended (run_tests is about to return) */
	void	 (*run_ended)(void *ctx, const struct run_outcome *);
	/* a few times a second while tests run */
	void	 (*tick)(void *ctx);
	/* before the first test: what run_halt takes, for this run */
	void	 (*attach)(void *ctx, struct run_control *);
	/* results an earlier run recorded, found while this one runs (a
	 * resume reads them beside the tests it starts): counts by status */
	void	 (*recorded)(void *ctx, const size_t *counts);
	void	  *ctx;
	const struct run_observer *next;	/* the next one, or NULL */
};

#endif
