/*
 * result: releasing what a result holds (see result.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/result.h"

/* Mark the subtest named name as TODO, searching on from *from. */
int
result_mark_todo(struct prun_result *r, const char *name, size_t *from)
{
	size_t i, k;

	for (k = 0; k < r->nsubtests; k++) {
		i = (*from + k) % r->nsubtests;
		if (strcmp(r->subtests[i].name, name) == 0) {
			r->subtests[i].todo = 1;
			*from = i + 1;
			return 0;
		}
	}
	return -1;
}

/* Release every member of a result and zero it. */
void
result_free(struct prun_result *r)
{
	size_t i;

	free(r->name);
	free(r->command);
	free(r->out);
	free(r->err);
	for (i = 0; i < r->nsubtests; i++)
		free(r->subtests[i].name);
	free(r->subtests);
	for (i = 0; i < r->ntries; i++)
		result_free(&r->tries[i]);
	free(r->tries);
	free(r->dmesg);
	for (i = 0; i < r->nleak_commands; i++)
		free(r->leak_commands[i]);
	free(r->leak_commands);
	for (i = 0; i < r->nreps; i++) {
		free(r->reps[i].out);
		free(r->reps[i].err);
	}
	free(r->reps);
	memset(r, 0, sizeof *r);
}
