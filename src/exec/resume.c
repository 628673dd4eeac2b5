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
 *
 * The scan is in two steps, so that a resume of a million tests starts
 * its first test at once: the walk of tests/ (store_clean) lists which
 * tests have a fragment; those without one are decided from their start
 * records alone and make the list that runs now; the fragments are read
 * by a thread of their own beside the run (the reader), and the tests
 * they leave to run come after (run.h's feed).  The reader reads only
 * fragments of tests the run does not touch until it hands them over,
 * and the start records as loaded before it began; it calls nothing
 * that is not safe beside the run's threads (store_test_state of such a
 * test, the plan's names), and everything it found that changes the
 * store (start records to forget) is done by the loop's thread.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "exec/resume.h"
#include "exec/signals.h"
#include "store/fragment.h"

/* Messages of damaged fragments the reader keeps; the rest are counted. */
#define READER_WARNINGS	1000

/* The fragments, read beside the run. */
struct resume_reader {
	pthread_t		 thread;
	int			 fd;		/* an eventfd: readable once done */
	atomic_int		 done;
	atomic_int		 cancel;
	struct prun_store	*st;
	const struct prun_plan	*plan;
	int			 max_attempts;
	unsigned char		*listed;	/* a bit per test: it has a
						   fragment name */
	size_t			 ntests;
	/* What it found (its todo list in plan order): the loop's once
	 * done is set. */
	struct resume_state	 found;
	size_t			*forget;	/* finished, with start records */
	size_t			 nforget, capforget;
	char			*warnings[READER_WARNINGS];
	size_t			 nwarnings, unshown;
	int			 failed;
	struct prun_error	 err;
	int			 joined;
	int			 taken;		/* added to the scan's */
};

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
	rs->ntodo = rs->cap = plan_size(plan);
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

/* Append t to the todo list of rs. */
static int
todo_add(struct resume_state *rs, const struct run_todo *t)
{
	struct run_todo *p;

	if ((p = util_grow(rs->todo, &rs->cap, rs->ntodo, sizeof *p,
	    64)) == NULL)
		return -1;
	rs->todo = p;
	rs->todo[rs->ntodo++] = *t;
	return 0;
}

/*
 * Decide test i from its state, counted in rs (and added to its todo list
 * when it runs again): 1 when it has a finished result, 0 otherwise, -1
 * when out of memory.
 */
static int
decide(const struct prun_store *st, size_t i, const struct store_state *ts,
    int max_attempts, struct resume_state *rs)
{
	struct run_todo t;
	int tried;

	if (ts->kind == STORE_FINISHED) {
		rs->finished++;
		rs->counts[ts->result.status]++;
		return 1;
	}
	if (ts->kind == STORE_DAMAGED)
		rs->damaged++;
	/* The attempt of its start record, if any (store.c rule 3). */
	tried = ts->attempt;
	if (tried > 0 && !ts->interrupted && tried >= max_attempts) {
		rs->exhausted++;
		rs->counts[PRUN_INCOMPLETE]++;
		return 0;
	}
	t.index = i;
	/* An attempt prun stopped runs again under its number. */
	t.attempt = ts->interrupted ? tried : tried + 1;
	/* Every start counts here, whoever cut it short. */
	t.start = resume_next_start(st, i, ts);
	return todo_add(rs, &t);
}

/* The error of a test whose fragment name is a directory. */
static int
directory_error(const struct prun_store *st, const struct prun_plan *plan,
    size_t i, struct prun_error *err)
{
	char path[4096];

	store_fragment_path(st, i, path, sizeof path);
	return prun_error_set(err, PRUN_EXIT_USAGE, "%s: a directory where "
	    "test '%s' records its result; remove it to resume", path,
	    plan_name(plan, i));
}

/* Keep a warning of the reader, for the loop's thread to say. */
static void
reader_warn(struct resume_reader *rd, const char *msg)
{
	if (rd->nwarnings == READER_WARNINGS ||
	    (rd->warnings[rd->nwarnings] = strdup(msg)) == NULL)
		rd->unshown++;
	else
		rd->nwarnings++;
}

/* Keep test i, finished, whose start records the loop's thread removes
 * (store.c rule 11: a crash came between its result and their removal). */
static int
reader_forget(struct resume_reader *rd, size_t i)
{
	size_t *p;

	if ((p = util_grow(rd->forget, &rd->capforget, rd->nforget,
	    sizeof *p, 64)) == NULL)
		return -1;
	rd->forget = p;
	rd->forget[rd->nforget++] = i;
	return 0;
}

/* One listed test, read and decided by the reader. */
static int
reader_one(struct resume_reader *rd, size_t i)
{
	struct store_state ts;
	int rc;

	if (store_test_state(rd->st, i, plan_name(rd->plan, i), &ts,
	    &rd->err) == -1)
		return -1;
	if (ts.kind == STORE_DAMAGED && ts.directory)
		/* The walk saw another file there: it changed since. */
		return directory_error(rd->st, rd->plan, i, &rd->err);
	if (ts.kind == STORE_DAMAGED)
		reader_warn(rd, ts.reason.msg);
	rc = decide(rd->st, i, &ts, rd->max_attempts, &rd->found);
	store_state_free(&ts);
	if (rc == 1 && store_started(rd->st, i) != NULL)
		rc = reader_forget(rd, i);
	if (rc == -1)
		return prun_error_errno(&rd->err, PRUN_EXIT_IO, ENOMEM,
		    "todo list");
	return 0;
}

/* The reader's thread: each listed test's fragment, read and decided. */
static void *
reader_main(void *arg)
{
	struct resume_reader *rd = arg;
	uint64_t one = 1;
	ssize_t w;
	size_t k;

	for (k = 0; k < rd->ntests && !atomic_load(&rd->cancel); k++)
		if ((rd->listed[k / 8] >> k % 8 & 1) &&
		    reader_one(rd, k) == -1) {
			rd->failed = 1;
			break;
		}
	atomic_store(&rd->done, 1);
	/* An eventfd's counter cannot overflow at one. */
	w = write(rd->fd, &one, sizeof one);
	(void)w;
	return NULL;
}

/* The reader of the tests with a fragment name, not started. */
static int
reader_new(struct resume_state *rs, struct prun_store *st,
    const struct prun_plan *plan, int max_attempts, struct prun_error *err)
{
	struct resume_reader *rd;
	size_t i;

	if ((rd = calloc(1, sizeof *rd)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "resume");
	rd->fd = -1;
	rs->reader = rd;
	rd->st = st;
	rd->plan = plan;
	rd->max_attempts = max_attempts;
	rd->joined = 1;
	rd->ntests = plan_size(plan);
	if ((rd->listed = calloc(rd->ntests / 8 + 1, 1)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "todo list");
	/* A copy of the listing, which the reader's thread never sees. */
	for (i = 0; i < rd->ntests; i++)
		if (store_listed(st, i))
			rd->listed[i / 8] |= (unsigned char)(1u << i % 8);
	if ((rd->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "eventfd");
	return 0;
}

/* Start the reader's thread. */
static int
reader_start(struct resume_reader *rd, struct prun_error *err)
{
	int rc;

	/* libxml2 set up before a second thread parses (fragment.h). */
	fragment_init();
	/* The thread inherits the blocked signals (signals.c rule 1). */
	if ((rc = pthread_create(&rd->thread, NULL, reader_main, rd)) != 0)
		return prun_error_errno(err, PRUN_EXIT_IO, rc, "resume");
	rd->joined = 0;
	return 0;
}

/* Scan the fragments of store and decide what runs again. */
int
resume_scan(struct prun_store *st, const struct prun_plan *plan,
    int max_attempts, void (*warn)(void *, const char *), void *ctx,
    struct resume_state *rs, struct prun_error *err)
{
	struct store_state ts;
	size_t i, nlisted = 0;
	int rc;

	memset(rs, 0, sizeof *rs);
	rs->warn = warn;
	rs->warn_ctx = ctx;
	if ((rc = store_clean(st, plan_size(plan), warn, ctx, err)) == -1)
		return -1;
	rs->cleaned = (size_t)rc;
	if (store_load_starts(st, plan_size(plan), warn, ctx, err) == -1)
		return -1;
	/* The test could never be recorded: say so before anything
	 * runs. */
	if (store_listed_directory(st, &i))
		return directory_error(st, plan, i, err);
	for (i = 0; i < plan_size(plan); i++)
		nlisted += store_listed(st, i) != 0;
	/* The tests without a fragment: from their start records alone. */
	for (i = 0; i < plan_size(plan); i++) {
		if (i % 1024 == 0 && (rs->stopped = signals_stop_pending()))
			return 0;
		if (store_listed(st, i))
			continue;
		if (store_test_state(st, i, plan_name(plan, i), &ts,
		    err) == -1)
			return -1;
		rc = decide(st, i, &ts, max_attempts, rs);
		store_state_free(&ts);
		if (rc == -1)
			return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM,
			    "todo list");
	}
	if (nlisted > 0 && reader_new(rs, st, plan, max_attempts, err) == -1)
		return -1;
	/* Fragments are written from here on (store.h): read them. */
	store_listing_drop(st);
	return rs->reader != NULL ? reader_start(rs->reader, err) : 0;
}

/* Wait for the reader's thread (asking it to stop with cancel). */
static void
reader_join(struct resume_reader *rd, int cancel)
{
	if (rd->joined)
		return;
	if (cancel)
		atomic_store(&rd->cancel, 1);
	pthread_join(rd->thread, NULL);
	rd->joined = 1;
}

/* Add what the reader found to rs (its todo list is the caller's): say
 * its warnings, forget the start records of its finished tests; -1 with
 * err when it failed. */
static int
reader_take(struct resume_state *rs, struct prun_error *err)
{
	struct resume_reader *rd = rs->reader;
	char msg[128];
	size_t i;

	rd->taken = 1;
	for (i = 0; i < rd->nwarnings; i++)
		if (rs->warn != NULL)
			rs->warn(rs->warn_ctx, rd->warnings[i]);
	if (rd->unshown > 0 && rs->warn != NULL) {
		snprintf(msg, sizeof msg, "%zu more damaged fragments, not "
		    "shown", rd->unshown);
		rs->warn(rs->warn_ctx, msg);
	}
	for (i = 0; i < rd->nforget; i++)
		store_forget_starts(rd->st, rd->forget[i]);
	for (i = 0; i < PRUN_NSTATUS; i++)
		rs->counts[i] += rd->found.counts[i];
	rs->finished += rd->found.finished;
	rs->exhausted += rd->found.exhausted;
	rs->damaged += rd->found.damaged;
	if (rd->failed) {
		*err = rd->err;
		return -1;
	}
	return 0;
}

/* The feed's take (run.h). */
static int
feed_take(void *ctx, const struct run_todo **todo, size_t *ntodo,
    size_t *counts, struct prun_error *err)
{
	struct resume_state *rs = ctx;
	struct resume_reader *rd = rs->reader;
	size_t i;

	if (!atomic_load(&rd->done))
		return 0;
	reader_join(rd, 0);
	if (reader_take(rs, err) == -1)
		return -1;
	if (rs->select != NULL)
		rd->found.ntodo = rs->select(rs->select_ctx, rd->found.todo,
		    rd->found.ntodo);
	*todo = rd->found.todo;
	*ntodo = rd->found.ntodo;
	for (i = 0; i < PRUN_NSTATUS; i++)
		counts[i] = rd->found.counts[i];
	return 1;
}

/* The reader as the run's feed. */
const struct run_feed *
resume_feed(struct resume_state *rs,
    size_t (*select)(void *, struct run_todo *, size_t), void *ctx)
{
	if (rs->reader == NULL || rs->reader->taken)
		return NULL;
	rs->select = select;
	rs->select_ctx = ctx;
	rs->feed.fd = rs->reader->fd;
	rs->feed.take = feed_take;
	rs->feed.ctx = rs;
	return &rs->feed;
}

/* Wait for the reader; one list in plan order. */
int
resume_wait(struct resume_state *rs, struct prun_error *err)
{
	struct resume_reader *rd = rs->reader;
	struct pollfd pfd;
	struct run_todo *m;
	size_t i = 0, j = 0, n = 0;

	if (rd == NULL || rd->taken)
		return 0;
	/* A stop signal ends the wait, as it ends the scan. */
	pfd.fd = rd->fd;
	pfd.events = POLLIN;
	while (!atomic_load(&rd->done) && poll(&pfd, 1, 100) != 1)
		if ((rs->stopped = signals_stop_pending()) != 0) {
			reader_join(rd, 1);
			break;
		}
	reader_join(rd, 0);
	if (reader_take(rs, err) == -1)
		return -1;
	if (rd->found.ntodo == 0)
		return 0;
	if ((m = calloc(rs->ntodo + rd->found.ntodo, sizeof *m)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "todo list");
	/* Both lists are in plan order: merged. */
	while (i < rs->ntodo || j < rd->found.ntodo)
		if (j == rd->found.ntodo || (i < rs->ntodo &&
		    rs->todo[i].index < rd->found.todo[j].index))
			m[n++] = rs->todo[i++];
		else
			m[n++] = rd->found.todo[j++];
	free(rs->todo);
	rs->todo = m;
	rs->ntodo = rs->cap = n;
	rd->found.ntodo = 0;
	return 0;
}

/* After the run; see resume.h. */
int
resume_end(struct resume_state *rs, int cancel, size_t *unstarted,
    struct prun_error *err)
{
	struct resume_reader *rd = rs->reader;

	*unstarted = 0;
	if (rd == NULL || rd->taken)
		return 0;
	reader_join(rd, cancel);
	if (reader_take(rs, err) == -1)
		return -1;
	*unstarted = rd->found.ntodo;
	return 0;
}

/* Free the todo list, and the reader (stopped first). */
void
resume_free(struct resume_state *rs)
{
	struct resume_reader *rd = rs->reader;
	size_t i;

	if (rd != NULL) {
		reader_join(rd, 1);
		if (rd->fd != -1)
			close(rd->fd);
		for (i = 0; i < rd->nwarnings; i++)
			free(rd->warnings[i]);
		free(rd->listed);
		free(rd->forget);
		free(rd->found.todo);
		free(rd);
	}
	free(rs->todo);
	memset(rs, 0, sizeof *rs);
}
