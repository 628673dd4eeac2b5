/*
 * worker: a few threads that do the scheduler's blocking work.
 *
 * One mutex guards two queues (urgent jobs first: a test waiting to start
 * matters more than a result waiting to be flushed, which is reported only
 * when durable anyway) and the list of finished jobs.  An eventfd counts
 * finished jobs for the scheduler's poll.  Ordered jobs are numbered as
 * they are submitted; a job may wait for those numbered up to a mark,
 * which are then neither queued nor running (each thread shows the number
 * of the job it runs).  Such a waiting job must leave threads free for
 * the jobs it waits for: the caller sizes the pool so.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/worker.h"

#define WORKERS_MAX	64

struct job_list {
	struct worker_job	*head, *tail;
};

struct worker_thread {
	struct workers	*pool;
	pthread_t	 thread;
	unsigned long	 ticket;	/* of the ordered job it runs, or 0 */
};

struct workers {
	pthread_mutex_t	 lock;
	pthread_cond_t	 work;		/* a job queued, or stopping */
	pthread_cond_t	 finished;	/* a job done */
	struct job_list	 urgent, normal, done;
	size_t		 pending;	/* submitted, not taken back */
	int		 stopping;
	int		 efd;
	unsigned long	 tickets;	/* ordered jobs submitted */
	struct worker_thread threads[WORKERS_MAX];
	size_t		 nthreads;
};

/* Append a job to a list. */
static void
list_push(struct job_list *l, struct worker_job *j)
{
	j->next = NULL;
	if (l->tail != NULL)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
}

/* Take the first job of a list, or NULL. */
static struct worker_job *
list_pop(struct job_list *l)
{
	struct worker_job *j = l->head;

	if (j != NULL && (l->head = j->next) == NULL)
		l->tail = NULL;
	return j;
}

/* A thread: run jobs until the pool stops and the queues are empty. */
static void *
worker_main(void *arg)
{
	struct worker_thread *self = arg;
	struct workers *w = self->pool;
	struct worker_job *j;
	uint64_t one = 1;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		if ((j = list_pop(&w->urgent)) == NULL &&
		    (j = list_pop(&w->normal)) == NULL) {
			if (w->stopping)
				break;
			pthread_cond_wait(&w->work, &w->lock);
			continue;
		}
		self->ticket = j->ordered ? j->ticket : 0;
		pthread_mutex_unlock(&w->lock);
		j->run(j);
		pthread_mutex_lock(&w->lock);
		self->ticket = 0;
		list_push(&w->done, j);
		pthread_cond_broadcast(&w->finished);
		/* Cannot fail short of a counter at its maximum. */
		(void)!write(w->efd, &one, sizeof one);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Start a pool of threads; see worker.h. */
int
workers_start(struct workers **out, size_t nthreads, struct prun_error *err)
{
	struct workers *w;
	size_t i;
	int e;

	if ((w = calloc(1, sizeof *w)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "workers");
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > WORKERS_MAX)
		nthreads = WORKERS_MAX;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->finished, NULL);
	if ((w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		e = errno;
		free(w);
		return prun_error_errno(err, PRUN_EXIT_IO, e, "eventfd");
	}
	for (i = 0; i < nthreads; i++) {
		w->threads[i].pool = w;
		if ((e = pthread_create(&w->threads[i].thread, NULL,
		    worker_main, &w->threads[i])) != 0) {
			w->nthreads = i;
			workers_stop(w);
			return prun_error_errno(err, PRUN_EXIT_IO, e,
			    "cannot start a thread");
		}
	}
	w->nthreads = nthreads;
	*out = w;
	return 0;
}

/* Queue a job. */
void
workers_submit(struct workers *w, struct worker_job *j)
{
	pthread_mutex_lock(&w->lock);
	if (j->ordered)
		j->ticket = ++w->tickets;
	list_push(j->urgent ? &w->urgent : &w->normal, j);
	w->pending++;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
}

/* The number of ordered jobs submitted so far. */
unsigned long
workers_mark(struct workers *w)
{
	unsigned long n;

	pthread_mutex_lock(&w->lock);
	n = w->tickets;
	pthread_mutex_unlock(&w->lock);
	return n;
}

/* Whether an ordered job numbered up to mark is queued or running. */
static int
ordered_before(const struct workers *w, unsigned long mark)
{
	const struct job_list *lists[2] = { &w->urgent, &w->normal };
	const struct worker_job *j;
	size_t i;

	for (i = 0; i < w->nthreads; i++)
		if (w->threads[i].ticket != 0 && w->threads[i].ticket <= mark)
			return 1;
	for (i = 0; i < 2; i++)
		for (j = lists[i]->head; j != NULL; j = j->next)
			if (j->ordered && j->ticket <= mark)
				return 1;
	return 0;
}

/* Wait for the ordered jobs up to mark. */
void
workers_wait_ordered(struct workers *w, unsigned long mark)
{
	pthread_mutex_lock(&w->lock);
	while (ordered_before(w, mark))
		pthread_cond_wait(&w->finished, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

/* The descriptor to poll. */
int
workers_fd(const struct workers *w)
{
	return w->efd;
}

/* Take back the finished jobs. */
struct worker_job *
workers_done(struct workers *w, int wait)
{
	struct worker_job *head, *j;
	uint64_t n;

	pthread_mutex_lock(&w->lock);
	while (wait && w->done.head == NULL && w->pending > 0)
		pthread_cond_wait(&w->finished, &w->lock);
	head = w->done.head;
	w->done.head = w->done.tail = NULL;
	for (j = head; j != NULL; j = j->next)
		w->pending--;
	(void)!read(w->efd, &n, sizeof n);
	pthread_mutex_unlock(&w->lock);
	return head;
}

/* Jobs not yet taken back. */
size_t
workers_pending(const struct workers *w)
{
	return w->pending;
}

/* Finish the queued jobs and stop. */
void
workers_stop(struct workers *w)
{
	size_t i;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i].thread, NULL);
	close(w->efd);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->finished);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
