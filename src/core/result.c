/*
 * result: releasing what a result holds (see result.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/result.h"

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
	memset(r, 0, sizeof *r);
}
