/*
 * resume: the todo list of a run, from its plan and its fragments.
 *
 * A test with a finished result is never run again (store.c rule 5).  A
 * test with only a start record (its fragment, or a line of the start
 * log when it has no fragment: store.c rule 3) died with the machine or with prun: it
 * runs again while its attempts are below --max-attempts, so a test that
 * kills the machine cannot cause a reboot loop.  A test that prun itself
 * stopped (on a signal to prun, or because prun could not record
 * results) did not fail by itself: its record says interrupted, and that
 * attempt runs again without counting.  A stop signal that comes during
 * the scan of a large run ends it early, so that prun stops at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec/resume.h"
#include "exec/signals.h"

/* A fresh run: every test of the plan, first attempt. */
int
resume_fresh(const struct prun_plan *plan, struct resume_state *rs,
    struct prun_error *err)
{
	size_t i;

	memset(rs, 0, sizeof *rs);
	if (plan_size(plan) > 0 &&
	    (rs->todo = calloc(plan_size(plan), sizeof *rs->todo)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "todo list");
	for (i = 0; i < plan_size(plan); i++) {
		rs->todo[i].index = i;
		rs->todo[i].attempt = 1;
		rs->todo[i].start = 1;
	}
	rs->ntodo = plan_size(plan);
	return 0;
}

/* The start number of a test's next start: one more than its latest
 * (store.c rule 3), also when its fragment is damaged. */
static int
resume_next_start(const struct prun_store *st, size_t index,
    const struct store_state *ts)
{
	const struct store_start *sp;

	if (ts->kind != STORE_DAMAGED)
		return ts->start + 1;
	sp = store_started(st, index);
	return sp != NULL ? sp->start + 1 : 1;
}

/* Scan the fragments of store and decide what runs again. */
int
resume_scan(struct prun_store *st, const struct prun_plan *plan,
    int max_attempts, void (*warn)(void *, const char *), void *ctx,
    struct resume_state *rs, struct prun_error *err)
{
	struct store_state ts;
	char path[4096];
	size_t i;
	int rc, tried;

	if (resume_fresh(plan, rs, err) == -1)
		return -1;
	rs->ntodo = 0;
	if ((rc = store_clean(st, plan_size(plan), warn, ctx, err)) == -1)
		return -1;
	rs->cleaned = (size_t)rc;
	if (store_load_starts(st, plan_size(plan), warn, ctx, err) == -1)
		return -1;
	for (i = 0; i < plan_size(plan); i++) {
		if (i % 1024 == 0 && (rs->stopped = signals_stop_pending()))
			return 0;
		if (store_test_state(st, i, plan_name(plan, i), &ts,
		    err) == -1)
			return -1;
		if (ts.kind == STORE_DAMAGED && ts.directory) {
			/* The test could never be recorded: say so before
			 * anything runs. */
			store_fragment_path(st, i, path, sizeof path);
			return prun_error_set(err, PRUN_EXIT_USAGE, "%s: a "
			    "directory where test '%s' records its result; "
			    "remove it to resume", path,
			    plan_name(plan, i));
		}
		if (ts.kind == STORE_FINISHED) {
			/* A crash came between its result and the removal
			 * of its start records (store.c rule 11). */
			if (store_started(st, i) != NULL)
				store_forget_starts(st, i);
			rs->finished++;
			rs->counts[ts.result.status]++;
			store_state_free(&ts);
			continue;
		}
		store_state_free(&ts);
		if (ts.kind == STORE_DAMAGED) {
			rs->damaged++;
			if (warn != NULL)
				warn(ctx, ts.reason.msg);
		}
		/* The attempt of its start record, if any (store.c rule 3). */
		tried = ts.attempt;
		if (tried > 0 && !ts.interrupted && tried >= max_attempts) {
			rs->exhausted++;
			rs->counts[PRUN_INCOMPLETE]++;
			continue;
		}
		rs->todo[rs->ntodo].index = i;
		/* An attempt prun stopped runs again under its number. */
		rs->todo[rs->ntodo].attempt = ts.interrupted ? tried :
		    tried + 1;
		/* Every start counts here, whoever cut it short. */
		rs->todo[rs->ntodo].start = resume_next_start(st, i, &ts);
		rs->ntodo++;
	}
	return 0;
}

/* Free the todo list. */
void
resume_free(struct resume_state *rs)
{
	free(rs->todo);
	memset(rs, 0, sizeof *rs);
}
