/*
 * check_worker: unit tests of the worker pool: jobs run in its threads
 * and come back, on several threads at once, ordered jobs are waited for,
 * and stopping runs the jobs still queued.
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "exec/worker.h"
#include "unit.h"

#define JOBS_MAX	64

/* A job of the tests: it notes that it ran, and on which thread. */
struct tjob {
	struct worker_job	 job;
	struct workers		*w;
	atomic_int		*ran;		/* shared count */
	int			 done;		/* this one ran */
	pthread_t		 thread;
	int			 sleep_ms;
	struct tjob		*before;	/* must be done first, or NULL */
	unsigned long		 mark;		/* to wait for it */
	int			 before_done;	/* it was, when this ran */
};

/* Sleep ms milliseconds. */
static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The job's work, in a worker thread. */
static void
tjob_run(struct worker_job *job)
{
	struct tjob *j = (struct tjob *)job;

	if (j->before != NULL) {
		workers_wait_ordered(j->w, j->mark);
		j->before_done = j->before->done;
	}
	sleep_ms(j->sleep_ms);
	j->thread = pthread_self();
	j->done = 1;
	atomic_fetch_add(j->ran, 1);
}

/* Fill n jobs that sleep ms each. */
static void
tjobs_init(struct tjob *jobs, size_t n, struct workers *w, atomic_int *ran,
    int ms)
{
	size_t i;

	memset(jobs, 0, n * sizeof *jobs);
	for (i = 0; i < n; i++) {
		jobs[i].job.run = tjob_run;
		jobs[i].w = w;
		jobs[i].ran = ran;
		jobs[i].sleep_ms = ms;
	}
}

/* Every job submitted comes back once through workers_done, having run,
 * and the descriptor polls readable while one waits; for pools of one
 * thread and of several, where jobs that sleep spread over threads. */
START_TEST(run_and_return)
{
	static const struct {
		size_t	threads, jobs;
		int	ms;
		size_t	min_threads;	/* distinct threads that ran jobs */
	} cases[] = {
		{ 1, 1, 0, 1 },
		{ 1, 20, 0, 1 },
		{ 4, 40, 0, 1 },
		{ 4, 8, 50, 2 },
	};
	struct tjob jobs[JOBS_MAX];
	struct workers *w;
	struct worker_job *j;
	struct prun_error err;
	struct pollfd pfd;
	pthread_t seen[JOBS_MAX];
	atomic_int ran;
	size_t i, k, back, nseen;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(workers_start(&w, cases[i].threads, &err), 0);
		atomic_init(&ran, 0);
		tjobs_init(jobs, cases[i].jobs, w, &ran, cases[i].ms);
		for (k = 0; k < cases[i].jobs; k++)
			workers_submit(w, &jobs[k].job);
		ck_assert_uint_eq(workers_pending(w), cases[i].jobs);
		pfd.fd = workers_fd(w);
		pfd.events = POLLIN;
		ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
		for (back = 0; back < cases[i].jobs; ) {
			for (j = workers_done(w, 1); j != NULL; j = j->next) {
				ck_assert(((struct tjob *)j)->done);
				back++;
			}
		}
		ck_assert_uint_eq(back, cases[i].jobs);
		ck_assert_int_eq(atomic_load(&ran), (int)cases[i].jobs);
		ck_assert_uint_eq(workers_pending(w), 0);
		ck_assert_ptr_null(workers_done(w, 0));
		for (k = nseen = 0; k < cases[i].jobs; k++) {
			size_t s;

			for (s = 0; s < nseen; s++)
				if (pthread_equal(seen[s], jobs[k].thread))
					break;
			if (s == nseen)
				seen[nseen++] = jobs[k].thread;
			ck_assert(!pthread_equal(jobs[k].thread,
			    pthread_self()));
		}
		ck_assert_uint_ge(nseen, cases[i].min_threads);
		ck_assert_uint_le(nseen, cases[i].threads);
		workers_stop(w);
	}
}
END_TEST

/* A job that waits for the ordered jobs before its mark sees them done,
 * however long they take and however urgent it is. */
START_TEST(ordered)
{
	struct tjob jobs[4];
	struct workers *w;
	struct prun_error err;
	atomic_int ran;
	size_t back = 0;
	struct worker_job *j;

	atomic_init(&ran, 0);
	ck_assert_int_eq(workers_start(&w, 4, &err), 0);
	tjobs_init(jobs, 4, w, &ran, 0);
	jobs[0].job.ordered = jobs[1].job.ordered = 1;
	jobs[0].sleep_ms = 100;
	jobs[1].sleep_ms = 50;
	workers_submit(w, &jobs[0].job);
	workers_submit(w, &jobs[1].job);
	jobs[2].before = &jobs[1];
	jobs[2].mark = workers_mark(w);
	jobs[2].job.urgent = 1;
	jobs[3].before = &jobs[0];
	jobs[3].mark = jobs[2].mark;
	workers_submit(w, &jobs[2].job);
	workers_submit(w, &jobs[3].job);
	while (back < 4)
		for (j = workers_done(w, 1); j != NULL; j = j->next)
			back++;
	ck_assert(jobs[2].before_done);
	ck_assert(jobs[3].before_done);
	workers_stop(w);
}
END_TEST

/* Stopping a pool with jobs still queued runs them all first. */
START_TEST(stop_pending)
{
	static const struct {
		size_t	threads, jobs;
	} cases[] = {
		{ 1, 20 },
		{ 3, 50 },
	};
	struct tjob jobs[JOBS_MAX];
	struct workers *w;
	struct prun_error err;
	atomic_int ran;
	size_t i, k;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atomic_init(&ran, 0);
		ck_assert_int_eq(workers_start(&w, cases[i].threads, &err), 0);
		tjobs_init(jobs, cases[i].jobs, w, &ran, 1);
		for (k = 0; k < cases[i].jobs; k++)
			workers_submit(w, &jobs[k].job);
		workers_stop(w);
		ck_assert_int_eq(atomic_load(&ran), (int)cases[i].jobs);
		for (k = 0; k < cases[i].jobs; k++)
			ck_assert(jobs[k].done);
	}
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("worker");
	TCase *tc = tcase_create("worker");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, run_and_return);
	tcase_add_test(tc, ordered);
	tcase_add_test(tc, stop_pending);
	suite_add_tcase(s, tc);
	return s;
}
