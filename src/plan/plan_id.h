/*
 * plan_id: the hash of what a plan runs (names, commands, env, cwd,
 * timeouts), recorded in metadata.json to tell a plan's shards apart from
 * another plan's.
 */
#ifndef PRUN_PLAN_ID_H
#define PRUN_PLAN_ID_H

#include "plan/plan.h"

/* The plan's id, 16 hex digits, malloc'd; NULL when out of memory. */
char	*plan_id(const struct prun_plan *);

#endif
