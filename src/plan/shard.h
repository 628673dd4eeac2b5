/*
 * shard: which part of a plan one machine runs.
 *
 * Every shard of a run holds the whole plan (the same metadata.json tests,
 * the same plan_id, fragments named by the full plan's index) and runs
 * only its own tests, so the shards' results directories merge with
 * prun summary as they are.  Test i of the plan belongs to shard K of N
 * when i mod N == K - 1: round-robin over the plan, like deqp-runner's
 * --fraction, so the shards partition the plan, their sizes differ by at
 * most one test, and the same plan always puts a test in the same shard.
 * With --history the shards are cut by time instead (schedule.h): then
 * owner says which shard runs each test.
 */
#ifndef PRUN_SHARD_H
#define PRUN_SHARD_H

#include <stddef.h>

#include "core/error.h"
#include "plan/plan.h"

#define SHARD_MAX	1000000		/* shards of one run at most */

/* Where the shard came from. */
enum shard_source {
	SHARD_GIVEN,		/* --shard K/N */
	SHARD_GITLAB,		/* CI_NODE_INDEX, CI_NODE_TOTAL */
	SHARD_SLURM,		/* SLURM_ARRAY_TASK_ID, _MIN, _COUNT */
	SHARD_KUBERNETES,	/* JOB_COMPLETION_INDEX and auto/N */
	SHARD_BAZEL,		/* TEST_SHARD_INDEX, TEST_TOTAL_SHARDS */
	SHARD_BUILDKITE,	/* BUILDKITE_PARALLEL_JOB, _COUNT */
	SHARD_CIRCLECI,		/* CIRCLE_NODE_INDEX, CIRCLE_NODE_TOTAL */
	SHARD_NOMAD,		/* NOMAD_ALLOC_INDEX and auto/N */
	SHARD_LIT,		/* LIT_RUN_SHARD, LIT_NUM_SHARDS */
};

struct prun_shard {
	unsigned		index;		/* 1 .. total */
	unsigned		total;		/* 0: not sharded */
	enum shard_source	source;
	const unsigned		*owner;		/* shard (from 0) of each plan
						 * index when cut by time (not
						 * owned: a schedule's), or
						 * NULL: round-robin */
};

/* shard_env.h parses --shard K/N and auto. */

/* Whether test index of the plan is in the shard (always, unsharded). */
int		 shard_member(const struct prun_shard *, size_t index);

/* How many of a plan of n tests the shard runs. */
size_t		 shard_size(const struct prun_shard *, size_t n);

/* Keep only the shard's tests in a todo list; returns the new length. */
size_t		 shard_select(const struct prun_shard *, struct run_todo *,
		    size_t n);

/* "gitlab", "slurm", ...; and back (-1 for an unknown name). */
const char	*shard_source_name(enum shard_source);
int		 shard_source_parse(const char *, enum shard_source *);

#endif
