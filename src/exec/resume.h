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

/* The fragments of a resume, read beside the run (resume.c). */
struct resume_reader;

struct resume_state {
	struct run_todo	*todo;		/* tests to run now, in plan order */
	size_t		 ntodo;
	size_t		 counts[PRUN_NSTATUS];	/* finished results found */
	size_t		 finished;	/* tests with a finished result */
	size_t		 exhausted;	/* incomplete, out of attempts */
	size_t		 damaged;	/* unparsable fragments, to rerun */
	size_t		 cleaned;	/* temporary files removed */
	int		 stopped;	/* a stop signal cut the scan short:
					   todo is not whole */
	/* The tests with a fragment, read beside the run, or NULL: what
	 * it finds is added above once resume_wait, the feed or
	 * resume_end took it. */
	struct resume_reader *reader;
	size_t		 cap;		/* of todo */
	void		(*warn)(void *, const char *);
	void		*warn_ctx;
	size_t		(*select)(void *, struct run_todo *, size_t);
	void		*select_ctx;
	struct run_feed	 feed;
};

/* A fresh run: every test of the plan, first attempt. */
int	resume_fresh(const struct prun_plan *, struct resume_state *,
	    struct prun_error *);

/*
 * Scan store for the plan's results; warn(ctx, msg) is called for each
 * fragment that cannot be read (it is ignored and its test runs again).
 * A stop signal pending (signals.h) ends the scan with rs->stopped set.
 * This decides the tests without a fragment at once (rs->todo) and
 * leaves the fragments to a reader beside the run: resume_feed hands
 * its tests to run_tests, resume_wait waits for them.
 */
int	resume_scan(struct prun_store *, const struct prun_plan *,
	    int max_attempts, void (*warn)(void *, const char *), void *ctx,
	    struct resume_state *, struct prun_error *);

/*
 * The reader as run_tests' feed (run.h), NULL when there is none or
 * what it found was taken (resume_wait):
 * select(ctx, todo, n), when not NULL, is applied to its tests as the
 * caller applied it to rs->todo (a shard's own, in the schedule's
 * order) and returns how many are left.  Warnings are said when taken.
 */
const struct run_feed *resume_feed(struct resume_state *,
	    size_t (*select)(void *, struct run_todo *, size_t), void *ctx);

/* Wait for the reader and take what it found: rs->todo is then the
 * whole list in plan order, as one scan would make it.  A stop signal
 * pending ends the wait, with rs->stopped set (todo is not whole). */
int	resume_wait(struct resume_state *, struct prun_error *);

/*
 * After the run: stop the reader (cancel: a stop signal) or wait for it,
 * and add what it found that the run did not take; *unstarted is told
 * how many tests it left to run that were not handed over.
 */
int	resume_end(struct resume_state *, int cancel, size_t *unstarted,
	    struct prun_error *);

void	resume_free(struct resume_state *);

#endif
