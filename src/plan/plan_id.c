/*
 * plan_id: a hash of what a plan runs, to tell shards of one plan from
 * the shards of another (metadata.json's plan_id).  Its value is part of
 * the file format: the bytes hashed and their order never change.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "plan/plan_id.h"

/* FNV-1a over one more byte string, then a 0xff separator. */
static uint64_t
field(uint64_t h, const char *s)
{
	h = util_hash(h, s, strlen(s));
	return util_hash(h, "\xff", 1);
}

/*
 * Each test starts with how many strings of each field follow, so the
 * same strings in other fields (an env entry that became an argument)
 * make another plan.
 */
char *
plan_id(const struct prun_plan *plan)
{
	uint64_t h = UTIL_HASH_INIT;
	char buf[128];
	size_t i, j, nargv, nenv;

	for (i = 0; i < plan_size(plan); i++) {
		const struct prun_test *t = plan_test(plan, i);

		nargv = strv_len(t->argv);
		nenv = strv_len(t->env);
		snprintf(buf, sizeof buf, "%zu/%zu/%d/%.17g/%d", nargv, nenv,
		    t->cwd != NULL, t->timeout, t->exclusive);
		h = field(h, buf);
		h = field(h, t->name);
		for (j = 0; j < nargv; j++)
			h = field(h, t->argv[j]);
		for (j = 0; j < nenv; j++)
			h = field(h, t->env[j]);
		if (t->cwd != NULL)
			h = field(h, t->cwd);
	}
	snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
	return strdup(buf);
}
