/*
 * sched: what the scheduler's three parts share, and nothing else sees.
 *
 * run.c is the loop (poll, signals, deadlines, what starts when);
 * launch.c makes a test's start record durable and spawns it; verdict.c
 * makes the result a finished try earned; commit.c writes a result and
 * reports it once durable.  The loop alone touches
 * the slots and the outcome; launch and commit jobs run in worker
 * threads and come back to the loop, which finishes them.
 */
#ifndef PRUN_SCHED_H
#define PRUN_SCHED_H

#include <sys/types.h>

#include <stdatomic.h>

#include "exec/capture.h"
#include "exec/outparse.h"
#include "exec/repeat.h"
#include "core/error.h"
#include "exec/observer.h"
#include "plan/options.h"
#include "plan/plan.h"
#include "store/store.h"
#include "exec/spawn.h"
#include "exec/worker.h"

/* Results written or being written, not yet reported, per slot: past
 * this no test starts until some are durable (memory stays bounded). */
#define COMMITS_PER_SLOT 4
/* Launches out at once, at most: each may wait in its thread for
 * commits, so the pool has two threads more than this for them. */
#define LAUNCHES_MAX	30

/* A test running now (or being launched), and all the loop knows of it. */
struct slot {
	int			 used;
	int			 launching;	/* its launch job is out */
	unsigned long		 launch_seq;	/* s->reaped at its launch */
	const struct prun_test	*test;		/* &held */
	struct prun_test	 held;		/* plan_test_keep's: plan_test's
						 * own is short-lived (plan.h) */
	size_t			 index;
	int			 attempt;
	int			 start;		/* start number: PRUN_ATTEMPT */
	struct prun_child	 child;
	struct capture		 out, err;
	struct outparse		 parse;
	double			 start_mono, start_real;
	double			 deadline;	/* timeout, 0: none */
	double			 kill_at;	/* SIGKILL due, 0: none */
	double			 drain_until;	/* give up on the pipes */
	int			 timed_out;
	int			 stopped;	/* signalled because prun stops */
	int			 late;		/* past its deadline when prun
						   ran again after a stop */
	int			 ended_stopped;	/* it exited while prun was stopped */
	double			 stop_from;	/* prun's last stop while it ran, */
	double			 stop_to;	/* monotonic; 0: none */
	const char		*halted;	/* stopped by run_halt: why */
	size_t			 leaked;	/* outlived its main process */
	char			*leak_names[RESULT_LEAK_NAMES];
	size_t			 nleak_names;
	int			 exited;
	int			 wstatus;
	struct prun_result	*tries;		/* earlier failed tries */
	size_t			 ntries;
	struct repeat		 rep;		/* --repeat: repetitions done */
};

/* What observers asked of the run (observer.h). */
struct run_control {
	enum run_halt	halt;
	int		acted;		/* running tests were signalled */
	char		why[RUN_HALT_WHY];
};

/* Children reaped lately, remembered to tell who sent a signal. */
#define REAPED_KEPT	64
#define REAPED_SECONDS	10.0

/* The scheduler of one run_tests call. */
struct sched {
	const struct prun_plan		*plan;
	const struct prun_options	*opts;
	struct prun_store		*store;
	const char			*results_dir;
	const struct run_observer	*observers;	/* a list */
	const struct run_feed		*feed;		/* NULL: none, or taken */
	int				 feed_wanted;	/* its tests are next */
	int				 ticking;	/* one wants ticks */
	struct run_outcome		*outcome;
	struct slot			*slots;
	size_t				 nslots, nrunning;
	int				 exclusive;	/* an exclusive runs */
	int				 stopping;	/* signals received */
	struct run_control		 control;	/* observers' halt */
	pid_t				 reaped_pid[REAPED_KEPT]; /* a ring */
	double				 reaped_at[REAPED_KEPT];
	size_t				 reaped_next;
	int				 failed;	/* could not record */
	double				 deadline;	/* --overall-timeout */
	int				 expired;	/* past it */
	struct prun_error		*err;
	struct workers			*workers;
	size_t				 launching;	/* launch jobs out */
	size_t				 committing;	/* commit jobs out */
	atomic_int			 commit_failed;	/* by workers, for workers */
	struct early_exit		*early;		/* see reap() */
	size_t				 nearly, early_cap;
	unsigned long			 reaped;	/* children kept so far */
	double				 awake;		/* the loop last ran */
	int				 continued;	/* SIGCONT in this read */
};

/* A child reaped before the loop heard of the launch that spawned it. */
struct early_exit {
	pid_t		pid;
	int		wstatus;
	unsigned long	seq;	/* s->reaped when it was kept */
};

enum job_kind { JOB_LAUNCH, JOB_COMMIT };

/* How a launch job ended. */
enum launch_end {
	LAUNCH_SPAWNED,		/* the test runs */
	LAUNCH_EXEC_FAILED,	/* recorded as started; could not execute */
	LAUNCH_NOT_RUN,		/* recorded as started; the run stopped first */
	LAUNCH_FAILED,		/* its start record could not be written */
};

/* Make a test's start record durable, then spawn it (a worker's job). */
struct launch_job {
	struct worker_job	 job;
	enum job_kind		 kind;
	struct sched		*s;
	struct slot		*sl;
	struct prun_result	 r;	/* the start record; tries: the slot's */
	struct prun_child	 child;
	int			 start;		/* its start number */
	unsigned long		 after;		/* commits to wait for */
	int			 recorded;	/* the start record is durable */
	enum launch_end		 end;
	int			 exec_errno;
	struct prun_error	 err;
};

/* Write an encoded result (a worker's job); reported when it is back. */
struct commit_job {
	struct worker_job	 job;
	enum job_kind		 kind;
	struct sched		*s;
	struct prun_result	 r;
	int			 start;		/* the start it ends */
	char			*buf;
	size_t			 len;
	int			 rc;
	struct prun_error	 err;
};

/* run.c: slots and the observers. */
double	run_test_timeout(const struct sched *, const struct prun_test *);
void	run_free_tries(struct prun_result *, size_t);
void	run_slot_release(struct sched *, struct slot *);
void	run_slot_exited(struct slot *, int wstatus);
void	run_signal_slot(struct slot *, int sig, double kill_at);
void	run_notify_started(struct sched *, const struct slot *);
void	run_notify_finishing(struct sched *, struct prun_result *);
void	run_notify_ended(struct sched *, const struct prun_result *,
	    int durable);
void	run_notify_lost(struct sched *, size_t index, int attempt,
	    enum run_loss);

/* verdict.c: the result a try earned, from its slot; its leftover
 * processes judged by --leaks. */
int	verdict_result(struct slot *, double timeout, struct prun_result *);
void	verdict_leaks(struct slot *, enum prun_leaks, struct prun_result *);

/*
 * launch.c: start a try in a slot, and take its launch back.  start is
 * the test's start number, what it sees as PRUN_ATTEMPT: give every start
 * of a test one more than its previous (a todo entry's start for its
 * first here; sl->start + 1 for a rerun or a repetition in the slot).
 */
int	launch_start(struct sched *, struct slot *, const struct prun_test *,
	    size_t index, int attempt, int start, struct prun_result *tries,
	    size_t ntries);
void	launch_done(struct sched *, struct launch_job *);
void	launch_keep_early_exit(struct sched *, pid_t, int wstatus);

/* commit.c: results to disk, reported once durable. */
int	commit_result_init(struct prun_result *, const struct prun_test *,
	    size_t index, int attempt);
int	commit_record(struct sched *, struct prun_result *, int start);
void	commit_done(struct sched *, struct commit_job *);
int	commit_exec_failure(struct sched *, struct prun_result *,
	    const struct prun_test *, int start, int errnum,
	    struct repeat *);
void	commit_given_up(struct sched *, const struct prun_test *, size_t index,
	    int attempt, int start, double start_real, long pid,
	    struct prun_result *tries, size_t ntries, enum run_loss why);

#endif
