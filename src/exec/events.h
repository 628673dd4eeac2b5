/*
 * events: the run as a stream of JSON lines (--events FILE), an observer
 * (observer.h).  Each event is one object on one line, written and
 * flushed as it happens; prun(1), EVENTS, is its schema.  The fragments
 * stay the record: the stream is not fsync'd.
 */
#ifndef PRUN_EVENTS_H
#define PRUN_EVENTS_H

#include <stddef.h>

#include "core/error.h"
#include "core/status.h"
#include "exec/observer.h"

/* The schema's version, in every event's "version". */
#define EVENTS_VERSION	1

/* What the run-start event tells. */
struct events_start {
	const char	*plan_id;
	size_t		 tests;		/* in the plan (the shard's) */
	size_t		 todo;		/* to run now */
	int		 jobs;
	unsigned	 shard_index, shard_total;	/* total 0: none */
	int		 resume;
	int		 reading;	/* a resume reads fragments still:
					   more may run than todo */
};

struct events;

/* Open path for appending ("-": standard output); a usage error names
 * the path when it cannot be opened. */
int	events_open(struct events **, const char *path, struct prun_error *);

/* Write the run-start event. */
void	events_run_start(struct events *, const struct events_start *);

/* Link the stream into a list of observers: o->next is set to next. */
void	events_observer(struct events *, struct run_observer *o,
	    const struct run_observer *next);

/* Write the run-end event: the run's counts (resumed tests included),
 * prun's exit status and, when the run was halted, why (else NULL). */
void	events_run_end(struct events *, const size_t counts[PRUN_NSTATUS],
	    int exit_status, const char *halt_why);

/* Close the stream: -1 when a write failed (err says where). */
int	events_close(struct events *, struct prun_error *);

#endif
