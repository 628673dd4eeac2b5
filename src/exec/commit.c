/*
 * commit: a finished test's result, from memory to disk to the observers.
 *
 * The loop encodes a result (so a worker only writes bytes), a worker
 * writes it (commit jobs are ordered: see workers_wait_ordered, which a
 * launch waits on), and only when it comes back durable is the result
 * reported (store.c rule 4).  Once a result could not be written the run
 * stops; the tests it gives up on are marked interrupted where the disk
 * still allows, so a resume runs them again.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "exec/sched.h"
#include "store/store.h"

/* A commit job: write the fragment (in a worker thread). */
static void
commit_work(struct worker_job *job)
{
	struct commit_job *cj = (struct commit_job *)job;

	cj->rc = store_write_encoded(cj->s->store, cj->r.index, cj->r.name,
	    cj->buf, cj->len, &cj->err);
	if (cj->rc == -1)
		atomic_store(&cj->s->commit_failed, 1);
	else if (cj->r.status != PRUN_INCOMPLETE)
		store_forget_starts(cj->s->store, cj->r.index);
}

/* A commit came back: report the result now that it is durable (store.c
 * rule 4), or stop the run if it could not be written. */
void
commit_done(struct sched *s, struct commit_job *cj)
{
	struct prun_result *r = &cj->r;

	s->committing--;
	if (cj->rc == -1) {
		if (!s->failed)
			*s->err = cj->err;
		s->failed = 1;
		commit_given_up(s, plan_test(s->plan, r->index), r->index,
		    r->attempt, cj->start, r->time_start, r->pid, r->tries,
		    r->ntries, RUN_LOSS_UNRECORDED);
	} else if (r->status == PRUN_INCOMPLETE && r->interrupted) {
		/* Stopped by prun: on disk, but no result of the test's. */
		run_notify_lost(s, r->index, r->attempt, RUN_LOSS_STOPPED);
	} else {
		s->outcome->counts[r->status]++;
		run_notify_ended(s, r, store_syncs(s->store));
	}
	result_free(r);
	free(cj->buf);
	free(cj);
}

/*
 * Record a result: encode it here, have a worker write it, and report it
 * when that comes back (commit_done).  r is taken over (left empty) in any
 * case; -1 when it could not even be encoded (the run stops).
 */
int
commit_record(struct sched *s, struct prun_result *r, int start)
{
	struct commit_job *cj;

	if ((cj = calloc(1, sizeof *cj)) == NULL) {
		prun_error_errno(s->err, PRUN_EXIT_IO, errno, "test %s",
		    r->name);
		goto fail;
	}
	if ((cj->buf = store_encode_result(s->store, r, &cj->len,
	    s->err)) == NULL) {
		free(cj);
		goto fail;
	}
	cj->job.run = commit_work;
	cj->job.ordered = 1;
	cj->kind = JOB_COMMIT;
	cj->start = start;
	cj->s = s;
	cj->r = *r;
	memset(r, 0, sizeof *r);
	s->committing++;
	if (!store_syncs(s->store)) {
		/* Nothing to wait for (--fsync never): a hand-off to a
		 * thread would cost more than the write. */
		commit_work(&cj->job);
		commit_done(s, cj);
		return 0;
	}
	workers_submit(s->workers, &cj->job);
	return 0;
fail:
	s->failed = 1;
	commit_given_up(s, plan_test(s->plan, r->index), r->index, r->attempt,
	    start, r->time_start, r->pid, r->tries, r->ntries,
	    RUN_LOSS_UNRECORDED);
	result_free(r);
	return -1;
}

/* Fill the common fields of a test's record. */
int
commit_result_init(struct prun_result *r, const struct prun_test *t, size_t index,
    int attempt)
{
	memset(r, 0, sizeof *r);
	r->index = index;
	r->attempt = attempt;
	r->status = PRUN_INCOMPLETE;
	r->time_start = util_now();
	if ((r->name = strdup(t->name)) == NULL ||
	    (r->command = plan_command_string(t)) == NULL)
		return -1;
	return 0;
}

/*
 * A test whose command could not be executed fails with the reason.
 * Under --repeat (rep: the repetitions so far) that ends its repetitions,
 * as it ends reruns: the failure is the last one.
 */
int
commit_exec_failure(struct sched *s, struct prun_result *r,
    const struct prun_test *t, int start, int errnum, struct repeat *rep)
{
	char *msg;

	if (asprintf(&msg, "prun: cannot execute %s%s%s: %s\n", t->argv[0],
	    t->cwd ? " in " : "", t->cwd ? t->cwd : "", strerror(errnum)) == -1)
		return prun_error_errno(s->err, PRUN_EXIT_IO, errno, "test %s",
		    t->name);
	r->status = PRUN_FAIL;
	r->time_end = util_now();
	r->err = msg;
	r->err_len = strlen(msg);
	r->out = strdup("");
	if (s->opts->repeat > 1 && (repeat_add(rep, r) == -1 ||
	    repeat_result(rep, r) == -1)) {
		result_free(r);
		return prun_error_errno(s->err, PRUN_EXIT_IO, ENOMEM,
		    "test %s", t->name);
	}
	return commit_record(s, r, start);
}

/*
 * When prun stops because it cannot record or cannot start a process:
 * mark the start of a test it is giving up on as cut short, so that a
 * resume runs that attempt again instead of counting it against
 * --max-attempts (the test did nothing wrong).  The mark renames the
 * start record, or removes it where a full disk refuses even that
 * (store.c rules 3 and 11); the earlier tries of a rerun are kept in an
 * interrupted fragment too, as the disk allows.  A finished result that
 * made it to its final name (only the directory fsync failed) is kept.
 * Either way the observers hear that the test ended without a result.
 */
void
commit_given_up(struct sched *s, const struct prun_test *t, size_t index,
    int attempt, int start, double start_real, long pid,
    struct prun_result *tries, size_t ntries, enum run_loss why)
{
	struct prun_error ignored;
	struct prun_result r;
	struct store_state ts;
	static const char note[] = "prun: stopped: could not record results";

	if (store_test_state(s->store, index, t->name, &ts, &ignored) == 0) {
		store_state_free(&ts);
		if (ts.kind == STORE_FINISHED) {
			run_notify_lost(s, index, attempt, why);
			return;
		}
	}
	if (store_mark_cut(s->store, index, t->name, start, &ignored) == 0 &&
	    ntries == 0) {
		run_notify_lost(s, index, attempt, why);
		return;
	}
	if (commit_result_init(&r, t, index, attempt) == 0 &&
	    (r.out = strdup("")) != NULL && (r.err = strdup(note)) != NULL) {
		r.interrupted = 1;
		r.err_len = sizeof note - 1;
		r.pid = pid;
		if (start_real > 0)
			r.time_start = start_real;
		r.tries = tries;	/* borrowed: kept on disk as before */
		r.ntries = ntries;
		store_write_result(s->store, &r, &ignored);
		r.tries = NULL;
		r.ntries = 0;
	}
	result_free(&r);
	run_notify_lost(s, index, attempt, why);
}
