/*
 * progress: what a person or a CI log sees while tests run.
 *
 * On a terminal, one live status line (done/total, counts per status,
 * tests per second, ETA, what is running) with the tests that did not
 * pass printed above it; otherwise one line per such test, so CI logs
 * stay readable; and always a closing line unless quiet.
 */
#ifndef PRUN_PROGRESS_H
#define PRUN_PROGRESS_H

#include <stdio.h>

#include "plan/options.h"
#include "exec/observer.h"
#include "core/status.h"

struct progress {
	FILE		*fp;
	int		 live;		/* draw the live line */
	int		 verbose;	/* -1 no test lines, 0, 1 every test */
	int		 quiet;		/* -q: not even the closing line */
	size_t		 total;		/* tests of the plan */
	size_t		 done;		/* with a result, before and now */
	size_t		 done_before;	/* results found by a resume */
	size_t		 counts[PRUN_NSTATUS];
	double		 start;		/* monotonic seconds */
	char		 running[128];	/* last test started */
	int		 drawn;		/* the live line is on screen */
};

/* Start showing a run of total tests of which done already have results
 * (counts of theirs in counts, may be NULL). */
void	progress_init(struct progress *, FILE *, enum prun_progress,
	    int verbose, size_t total, const size_t *counts);

/* The progress as an observer of the run (ctx = the progress; next is
 * NULL: set it to add more observers). */
void	progress_observer(struct progress *, struct run_observer *);

/* Clear the live line and print the closing line, naming dir. */
void	progress_end(struct progress *, int signal, const char *dir);

#endif
