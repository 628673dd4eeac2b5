/*
 * runstate: what a run is doing now, for prun status: done and total,
 * counts per status, the tests running and for how long, and whether a
 * prun holds the directory.  Read-only, from metadata.json, the start
 * log and the fragments (store_test_state); the lock is never taken, so
 * a resume starting meanwhile is not refused.
 */
#ifndef PRUN_RUNSTATE_H
#define PRUN_RUNSTATE_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "core/status.h"
#include "store/store.h"

/* A test started and not finished. */
struct runstate_test {
	char	*name;
	size_t	 index;
	int	 attempt;
	double	 since;		/* real time it started, or 0 */
};

struct runstate {
	char			*dir;
	char			*name;		/* the run's */
	size_t			 total;		/* planned (the shard's) */
	size_t			 done;		/* with a finished result */
	size_t			 counts[PRUN_NSTATUS];	/* of those */
	size_t			 damaged;
	int			 held;		/* a prun holds DIR now */
	int			 has_owner;	/* the last to hold it */
	struct store_owner	 owner;
	struct runstate_test	*running;	/* held: tests started */
	size_t			 nrunning;
	struct runstate_test	*started;	/* not held: the same */
	size_t			 nstarted;
	char			*abort;		/* DIR/abort.txt, or NULL */
	double			 now;
};

/* Read what the run in dir is doing now. */
int	runstate_read(struct runstate *, const char *dir, struct prun_error *);

/* Write it as text, or as one JSON object; -1 on a write error. */
int	runstate_write_text(const struct runstate *, FILE *);
int	runstate_write_json(const struct runstate *, FILE *);

void	runstate_free(struct runstate *);

#endif
