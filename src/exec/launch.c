/*
 * launch: one try of a test, from a free slot to a running process.
 *
 * A launch job runs in a worker thread: it makes the test's start record
 * durable (store.c rule 3), waits until the results of the tests that
 * ended before it are durable (so a test that takes the machine down
 * cannot take an earlier test's result with it), and only then spawns.
 * The slot is taken meanwhile.  A child it spawned that exits before the
 * loop hears of the launch is reaped by the loop and kept aside here, in
 * a ledger of early exits, until its launch comes back and claims it.
 * Once a result could not be written the run stops, and a launch that
 * learns so after its wait spawns nothing (its test is given up).
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "exec/sched.h"
#include "store/store.h"

/*
 * The bytes kept of each stream: --max-output, where 0 and anything a
 * metadata.json of another prun may hold are held to the most a fragment
 * can take and still be read back.
 */
static size_t
output_cap(const struct prun_options *opts)
{
	if (opts->max_output == 0 || opts->max_output > OPTIONS_MAX_OUTPUT_MAX)
		return OPTIONS_MAX_OUTPUT_MAX;
	return opts->max_output;
}

/* A launch job: start record, then the process (in a worker thread). */
static void
launch_work(struct worker_job *job)
{
	struct launch_job *lj = (struct launch_job *)job;
	struct sched *s = lj->s;

	uint64_t ticket;

	if (store_write_start(s->store, &lj->r, lj->start, &ticket,
	    &lj->err) == -1) {
		lj->end = LAUNCH_FAILED;
		return;
	}
	lj->recorded = 1;
	/* Results of tests that ended before this one starts are durable
	 * before it can take the machine down with them; the fsync of
	 * tests/ that makes them so mostly makes the start record durable
	 * too (store.c rule 3). */
	workers_wait_ordered(s->workers, lj->after);
	if (store_start_durable(s->store, lj->r.index, lj->start, ticket,
	    lj->r.name, &lj->err) == -1) {
		lj->end = LAUNCH_FAILED;
		return;
	}
	/* One could not be written: the run stops, start nothing more. */
	if (atomic_load(&s->commit_failed)) {
		lj->end = LAUNCH_NOT_RUN;
		return;
	}
	switch (spawn_start(lj->sl->test, s->results_dir, lj->start, &lj->child,
	    &lj->exec_errno, &lj->err)) {
	case 0:
		lj->end = LAUNCH_SPAWNED;
		break;
	case 1:
		lj->end = LAUNCH_EXEC_FAILED;
		break;
	default:
		lj->end = LAUNCH_FAILED;
		break;
	}
}

/*
 * Start a try of a test in the free slot sl: the slot is taken now, and a
 * worker makes the start record durable and spawns the process (launched
 * takes it from there).  tries (owned from now on) are the earlier tries
 * of a rerun.
 */
int
launch_start(struct sched *s, struct slot *sl, const struct prun_test *t,
    size_t index, int attempt, int start, struct prun_result *tries,
    size_t ntries)
{
	struct launch_job *lj;

	if ((lj = calloc(1, sizeof *lj)) == NULL ||
	    commit_result_init(&lj->r, t, index, attempt) == -1) {
		if (lj != NULL)
			result_free(&lj->r);
		free(lj);
		run_free_tries(tries, ntries);
		s->failed = 1;
		return prun_error_errno(s->err, PRUN_EXIT_IO, ENOMEM,
		    "test %s", t->name);
	}
	lj->job.run = launch_work;
	lj->job.urgent = 1;
	lj->after = workers_mark(s->workers);
	lj->kind = JOB_LAUNCH;
	/* Every attempt is a start: a caller that knows no start number
	 * still writes a record that reads back (store.c rule 11). */
	if (start < attempt)
		start = attempt;
	lj->start = start;
	lj->s = s;
	lj->sl = sl;
	lj->r.tries = tries;	/* the slot's: written in the start record */
	lj->r.ntries = ntries;
	sl->used = 1;
	sl->launching = 1;
	sl->launch_seq = s->reaped;
	sl->test = t;
	sl->index = index;
	sl->attempt = attempt;
	sl->start = start;
	sl->tries = tries;
	sl->ntries = ntries;
	sl->child.out_fd = sl->child.err_fd = -1;
	capture_init(&sl->out, output_cap(s->opts));
	capture_init(&sl->err, output_cap(s->opts));
	outparse_init(&sl->parse);
	s->nrunning++;
	if (t->exclusive)
		s->exclusive = 1;
	s->launching++;
	workers_submit(s->workers, &lj->job);
	return 0;
}

/*
 * Take a reaped child aside until the loop hears of its launch.  Each is
 * numbered, so that a launch claims only children reaped after it was
 * submitted (a pid reused since cannot fool it), and those older than
 * every launch out are dropped.  Out of memory, the run stops rather
 * than lose the exit of a test.
 */
void
launch_keep_early_exit(struct sched *s, pid_t pid, int wstatus)
{
	struct early_exit *grown;
	unsigned long oldest = s->reaped + 1;
	size_t i, k;

	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].used && s->slots[i].launching &&
		    s->slots[i].launch_seq < oldest)
			oldest = s->slots[i].launch_seq;
	for (i = k = 0; i < s->nearly; i++)
		if (s->early[i].seq > oldest)
			s->early[k++] = s->early[i];
	s->nearly = k;
	if (s->nearly == s->early_cap) {
		if ((grown = realloc(s->early, (s->early_cap ?
		    2 * s->early_cap : 8) * sizeof *grown)) == NULL) {
			if (!s->failed)
				prun_error_errno(s->err, PRUN_EXIT_IO, errno,
				    "children");
			s->failed = 1;
			return;
		}
		s->early = grown;
		s->early_cap = s->early_cap ? 2 * s->early_cap : 8;
	}
	s->early[s->nearly].pid = pid;
	s->early[s->nearly].wstatus = wstatus;
	s->early[s->nearly].seq = ++s->reaped;
	s->nearly++;
}


/* A launch came back: the test runs, or could not be started. */
void
launch_done(struct sched *s, struct launch_job *lj)
{
	struct slot *sl = lj->sl;
	const struct prun_test *t = sl->test;
	size_t i;

	s->launching--;
	sl->launching = 0;
	lj->r.tries = NULL;	/* still the slot's */
	lj->r.ntries = 0;
	if (lj->end == LAUNCH_FAILED) {
		if (!s->failed)
			*s->err = lj->err;
		s->failed = 1;
		/* No start record, or one of a start cut short before its
		 * exec (pipes, fork): prun's failure, not the test's, so it
		 * is marked not to count (store.c rule 3). */
		commit_given_up(s, t, sl->index, sl->attempt, sl->start, 0, 0,
		    sl->tries, sl->ntries, RUN_LOSS_UNRECORDED);
		run_slot_release(s, sl);
	} else if (lj->end == LAUNCH_NOT_RUN) {
		/* Its start is recorded but it never ran: a resume runs this
		 * attempt again.  The commit that failed stops the run. */
		commit_given_up(s, t, sl->index, sl->attempt, sl->start, 0,
		    0, sl->tries, sl->ntries, RUN_LOSS_GIVEN_UP);
		run_slot_release(s, sl);
	} else if (lj->end == LAUNCH_EXEC_FAILED) {
		lj->r.tries = sl->tries;
		lj->r.ntries = sl->ntries;
		sl->tries = NULL;
		sl->ntries = 0;
		if (commit_exec_failure(s, &lj->r, t, sl->start,
		    lj->exec_errno, &sl->rep) == -1)
			s->failed = 1;
		run_slot_release(s, sl);
	} else {
		sl->child = lj->child;
		sl->start_real = lj->r.time_start;
		sl->start_mono = util_mono();
		if (run_test_timeout(s, t) > 0)
			sl->deadline = sl->start_mono + run_test_timeout(s, t);
		run_notify_started(s, sl);
		for (i = 0; i < s->nearly; i++) {
			if (s->early[i].pid != sl->child.pid ||
			    s->early[i].seq <= sl->launch_seq)
				continue;
			run_slot_exited(sl, s->early[i].wstatus);
			s->early[i] = s->early[--s->nearly];
			break;
		}
		/* Stopping meanwhile: this one stops too (a halt: the
		 * loop's act_on_halt). */
		if (s->stopping && !sl->exited)
			run_signal_slot(sl, SIGTERM, util_mono() +
			    s->opts->kill_after);
	}
	if (s->launching == 0)
		s->nearly = 0;	/* no launch left to claim them */
	result_free(&lj->r);
	free(lj);
}
