/*
 * maxfail: --max-fail N, an observer of the run (observer.h) that asks
 * it to start no new test once N tests of this invocation failed,
 * crashed or timed out.  The running tests finish; the rest stay notrun,
 * for a resume (which counts again from 0, and may lift the limit with
 * --max-fail 0).
 */
#ifndef PRUN_MAXFAIL_H
#define PRUN_MAXFAIL_H

#include <stddef.h>

#include "exec/observer.h"

struct maxfail {
	int			 limit;		/* 0: none */
	size_t			 failed;	/* in this invocation */
	struct run_control	*control;	/* from attach */
};

/* Watch a run with limit (0: the observer does nothing); o is linked
 * before next. */
void	maxfail_observer(struct maxfail *, int limit, struct run_observer *o,
	    const struct run_observer *next);

#endif
