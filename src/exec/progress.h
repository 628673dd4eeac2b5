/*
 * progress: what a person or a CI log sees while tests run.
 *
 * On a terminal, one live status line (done/total, counts per status,
 * tests per second, an ETA that counts down rather than jumps, and the
 * tests running now, longest first, with their elapsed time) with the
 * tests that did not pass printed above it; otherwise one line per such
 * test, so CI logs stay readable, and a "still running" line after
 * --heartbeat seconds of silence; and always a closing line unless quiet.
 * A failure line says why (reason.h) and shows the last --failure-lines
 * lines of the test's stderr, made safe for a terminal.
 */
#ifndef PRUN_PROGRESS_H
#define PRUN_PROGRESS_H

#include <stdio.h>

#include "plan/options.h"
#include "exec/observer.h"
#include "core/status.h"

/* A test running now, as progress knows it. */
struct progress_running {
	size_t		 index;		/* in the plan */
	char		*name;
	double		 since;		/* monotonic seconds */
};

/* The running tests a live or heartbeat line names. */
#define PROGRESS_NAMED	3

struct progress {
	FILE		*fp;
	int		 live;		/* draw the live line */
	int		 verbose;	/* -1 no test lines, 0, 1 every test */
	int		 quiet;		/* -q: not even the closing line */
	int		 color;		/* statuses in colour */
	double		 heartbeat;	/* lines: seconds of silence; 0 off */
	int		 failure_lines;	/* of stderr under a failure line */
	size_t		 total;		/* tests of the plan */
	size_t		 done;		/* with a result, before and now */
	size_t		 done_before;	/* results found by a resume */
	size_t		 counts[PRUN_NSTATUS];
	double		 start;		/* monotonic seconds */
	double		 eta_end;	/* when the run should end; 0 unknown */
	double		 last_output;	/* when a line was last printed */
	struct progress_running *running; /* started, not ended */
	size_t		 nrunning;
	size_t		 cap;
	int		 drawn;		/* the live line is on screen */
	double		(*clock)(void);	/* monotonic seconds: util_mono */
};

/* Start showing a run of total tests of which done already have results
 * (counts of theirs in counts, may be NULL), as the progress, verbose,
 * heartbeat, failure_lines and color of o say. */
void	progress_init(struct progress *, FILE *, const struct prun_options *o,
	    size_t total, const size_t *counts);

/* The progress as an observer of the run (ctx = the progress; next is
 * NULL: set it to add more observers). */
void	progress_observer(struct progress *, struct run_observer *);

/* Clear the live line and print the closing line, naming dir; frees what
 * the progress holds. */
void	progress_end(struct progress *, int signal, const char *dir);

#endif
