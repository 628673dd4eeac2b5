/*
 * worker: a few threads that do the scheduler's blocking work.
 *
 * Making a start record durable, spawning a test (posix_spawn returns only
 * once the child has exec'd) and making a result durable each block for a
 * good part of a millisecond.  The scheduler's one thread must meanwhile
 * drain pipes, reap children and start other tests, so it hands that work
 * to these threads as jobs and learns of finished jobs through a file
 * descriptor it polls.  A job is a struct worker_job embedded in the
 * caller's own structure; its run function must touch nothing the
 * scheduler's thread touches until the job is handed back.
 */
#ifndef PRUN_WORKER_H
#define PRUN_WORKER_H

#include <stddef.h>

#include "core/error.h"

struct worker_job {
	void			 (*run)(struct worker_job *);
	int			   urgent;	/* ahead of the others */
	int			   ordered;	/* see workers_wait_ordered */
	unsigned long		   ticket;	/* the pool's */
	struct worker_job	  *next;	/* the pool's */
};

struct workers;

/* Start a pool of nthreads threads (with the caller's signal mask). */
int	workers_start(struct workers **, size_t nthreads, struct prun_error *);

/* Queue a job; it runs in a thread, then comes back by workers_done. */
void	workers_submit(struct workers *, struct worker_job *);

/* How many ordered jobs were submitted so far: a mark for
 * workers_wait_ordered. */
unsigned long workers_mark(struct workers *);

/* From a job's run function: wait until every ordered job submitted
 * before mark was taken has finished (run returned). */
void	workers_wait_ordered(struct workers *, unsigned long mark);

/* A descriptor that polls readable while finished jobs wait. */
int	workers_fd(const struct workers *);

/* The jobs that finished, in the order they did (NULL when none); with
 * wait, block until at least one has if any is queued or running. */
struct worker_job *workers_done(struct workers *, int wait);

/* Jobs submitted and not yet taken back by workers_done. */
size_t	workers_pending(const struct workers *);

/* Run every queued job, stop the threads and free the pool; jobs that
 * finished and were not taken back are lost to the caller. */
void	workers_stop(struct workers *);

#endif
