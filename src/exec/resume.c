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
 * attempt runs again without counting.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "exec/resume.h"

/* A fresh run: every test of the plan, first attempt. */
int
resume_fresh(const struct prun_plan *plan, struct resume_state *rs,
    struct prun_error *err)
{
	size_t i;

	memset(rs, 0, sizeof *rs);
	if (plan->n > 0 &&
	    (rs->todo = calloc(plan->n, sizeof *rs->todo)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "todo list");
	for (i = 0; i < plan->n; i++) {
		rs->todo[i].index = i;
		rs->todo[i].attempt = 1;
	}
	rs->ntodo = plan->n;
	return 0;
}

/* Whether the fragment name of test index is taken by a directory. */
static int
is_directory(struct prun_store *st, size_t index)
{
	struct stat sb;
	char name[32];

	store_fragment_name(index, st->backend, name, sizeof name);
	return fstatat(st->testsfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(sb.st_mode);
}

/* Scan the fragments of store and decide what runs again. */
int
resume_scan(struct prun_store *st, const struct prun_plan *plan,
    int max_attempts, void (*warn)(void *, const char *), void *ctx,
    struct resume_state *rs, struct prun_error *err)
{
	const struct store_start *sp;
	struct prun_error ferr;
	struct prun_result r;
	char name[32];
	size_t i;
	int rc, tried, interrupted;

	if (resume_fresh(plan, rs, err) == -1)
		return -1;
	rs->ntodo = 0;
	if ((rc = store_clean(st, plan->n, warn, ctx, err)) == -1)
		return -1;
	rs->cleaned = (size_t)rc;
	if (store_load_starts(st, plan->n, warn, ctx, err) == -1)
		return -1;
	for (i = 0; i < plan->n; i++) {
		/* The attempt of its start record, if any: its fragment's
		 * or, without one, the start log's (store.c rule 3). */
		tried = interrupted = 0;
		rc = store_read_result(st, i, &r, &ferr);
		if (rc == 0 && (sp = store_started(st, i)) != NULL)
			tried = sp->attempt;
		if (rc == 1 && strcmp(r.name, plan->tests[i].name) != 0) {
			/* Not its name: a file may hold control characters. */
			store_fragment_name(i, st->backend, name, sizeof name);
			prun_error_set(&ferr, PRUN_EXIT_IO, "%s/%s: holds "
			    "another test than '%s' of the plan",
			    st->tests_path, name, plan->tests[i].name);
			result_free(&r);
			rc = -1;
		}
		if (rc == -1 && is_directory(st, i)) {
			/* rename() cannot replace it: the test could never
			 * be recorded, so say so before anything runs. */
			store_fragment_name(i, st->backend, name, sizeof name);
			return prun_error_set(err, PRUN_EXIT_USAGE, "%s/%s: a "
			    "directory where test '%s' records its result; "
			    "remove it to resume", st->tests_path, name,
			    plan->tests[i].name);
		}
		if (rc == -1) {
			rs->damaged++;
			if (warn != NULL)
				warn(ctx, ferr.msg);
		} else if (rc == 1 && r.status != PRUN_INCOMPLETE) {
			rs->finished++;
			rs->counts[r.status]++;
			result_free(&r);
			continue;
		} else if (rc == 1) {
			tried = r.attempt;
			interrupted = r.interrupted;
			result_free(&r);
		}
		if (tried > 0 && !interrupted && tried >= max_attempts) {
			rs->exhausted++;
			rs->counts[PRUN_INCOMPLETE]++;
			continue;
		}
		rs->todo[rs->ntodo].index = i;
		/* An attempt prun stopped runs again under its number. */
		rs->todo[rs->ntodo].attempt = interrupted ? tried : tried + 1;
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
