/*
 * groupsync: a directory's fsync shared by the threads that change it
 * (see groupsync.h).  Tickets count the changes made; durable is the
 * highest ticket an fsync completed after.  One thread at a time runs the
 * fsync, outside the lock, having noted the tickets it covers before it
 * began; the others wait on the condition and find their ticket covered
 * or run the next fsync themselves.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/groupsync.h"

struct groupsync {
	int		 dirfd;
	const char	*path;
	pthread_mutex_t	 lock;
	pthread_cond_t	 done;
	uint64_t	 changes;	/* tickets handed out */
	uint64_t	 durable;	/* every ticket up to here is durable */
	int		 busy;		/* an fsync is under way */
	int		 failed;	/* errno of a failed fsync, or 0 */
	uint64_t	 nsyncs;
};

struct groupsync *
groupsync_new(int dirfd, const char *path)
{
	struct groupsync *g;

	if ((g = calloc(1, sizeof *g)) == NULL)
		return NULL;
	g->dirfd = dirfd;
	g->path = path;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->done, NULL);
	return g;
}

void
groupsync_free(struct groupsync *g)
{
	if (g == NULL)
		return;
	pthread_cond_destroy(&g->done);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

uint64_t
groupsync_changed(struct groupsync *g)
{
	uint64_t t;

	pthread_mutex_lock(&g->lock);
	t = ++g->changes;
	pthread_mutex_unlock(&g->lock);
	return t;
}

int
groupsync_wait(struct groupsync *g, uint64_t ticket, const char *what,
    struct prun_error *err)
{
	uint64_t upto;
	int rc;

	pthread_mutex_lock(&g->lock);
	while (g->durable < ticket && !g->failed) {
		if (g->busy) {
			pthread_cond_wait(&g->done, &g->lock);
			continue;
		}
		/* Every change handed a ticket so far is made: an fsync
		 * that begins now covers them all. */
		g->busy = 1;
		upto = g->changes;
		g->nsyncs++;
		pthread_mutex_unlock(&g->lock);
		rc = fsync(g->dirfd);
		pthread_mutex_lock(&g->lock);
		g->busy = 0;
		if (rc == -1)
			g->failed = errno;
		else if (upto > g->durable)
			g->durable = upto;
		pthread_cond_broadcast(&g->done);
	}
	rc = g->durable >= ticket ? 0 : g->failed;
	pthread_mutex_unlock(&g->lock);
	if (rc != 0)
		return prun_error_errno(err, PRUN_EXIT_IO, rc,
		    "%s: cannot fsync directory after writing %s", g->path,
		    what);
	return 0;
}

uint64_t
groupsync_count(struct groupsync *g)
{
	uint64_t n;

	pthread_mutex_lock(&g->lock);
	n = g->nsyncs;
	pthread_mutex_unlock(&g->lock);
	return n;
}
