/*
 * schedule: the order a run starts its tests in and, for shards by time,
 * which shard runs each test, both from the expected time of every test
 * (--history) and the plan alone, so that every shard and every resume,
 * on any machine, computes the same answer.
 *
 * Without history the order is the plan's and shards are round-robin
 * (shard.h).  With it: longest processing time first (LPT), exclusive
 * tests first of all (each runs alone whenever it starts; first, no
 * running test has to drain before it), and a test without history
 * counts as the median of the known ones.  Shards by time are cut the
 * same greedy way: each test, longest first, onto the shard with the
 * least expected time so far (the lowest numbered of equals).
 *
 * History is not part of the plan: plan_id does not see it.  What the
 * run was scheduled from is recorded in metadata.json ("schedule"):
 * every test's expected time, the start order, the cut of the shards and
 * a digest of the expected times, which the shards of one run must share.
 */
#ifndef PRUN_SCHEDULE_H
#define PRUN_SCHEDULE_H

#include <stddef.h>

#include "core/error.h"
#include "plan/plan.h"
#include "plan/shard.h"

#define SCHEDULE_DIGEST_LEN	16	/* hex digits */

struct prun_schedule {
	double		*expected;	/* seconds, per plan index; NULL:
					 * no history, plan order */
	size_t		 n;		/* tests of the plan */
	size_t		*order;		/* plan indices, in start order */
	size_t		 known;		/* tests the history knew */
	unsigned	*owner;		/* shard (from 0) of each test when
					 * cut by time, else NULL */
	char		 digest[SCHEDULE_DIGEST_LEN + 1];
};

/*
 * Build s for plan from expected[0..plan size) (moved into s; a negative
 * time means unknown and becomes the median of the known ones), and cut
 * shard by time when it is sharded.  On return shard->owner points into
 * s (s must outlive the shard's use).
 */
int	schedule_build(struct prun_schedule *, const struct prun_plan *,
	    double *expected, struct prun_shard *shard, struct prun_error *);

/*
 * Take back a schedule recorded in metadata.json: expected[0..n) (known)
 * and order[0..n) (moved into s), checked to be a permutation of the
 * plan; cuts shard as schedule_build does.
 */
int	schedule_restore(struct prun_schedule *, double *expected,
	    size_t *order, size_t n, struct prun_shard *shard,
	    struct prun_error *);

/* Put a todo list in the schedule's start order (stable; no-op without
 * history). */
void	schedule_sort(const struct prun_schedule *, struct run_todo *,
	    size_t n);

/* The expected time of shard k (from 1) of total. */
double	schedule_shard_total(const struct prun_schedule *,
	    const struct prun_shard *);

void	schedule_free(struct prun_schedule *);

#endif
