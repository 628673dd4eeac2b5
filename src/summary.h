/*
 * summary: the final report, assembled from the fragments of one or more
 * results directories (shards of one plan).
 *
 * It reads fragments, not a final file, so it works on a run that is
 * still going or that died; a test of the plan without a fragment is
 * notrun.
 */
#ifndef PRUN_SUMMARY_H
#define PRUN_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "report.h"
#include "status.h"

struct summary_outcome {
	size_t	counts[PRUN_NSTATUS];
	size_t	duplicates;		/* tests with results in two dirs */
	size_t	damaged;		/* fragments left out */
};

/*
 * Write the report of dirs in format fmt to fp; warn(ctx, msg) is called
 * for each fragment left out.  Returns 0, or -1 when a directory or the
 * report cannot be read or written.
 */
int	summary_write(char *const *dirs, size_t ndirs, enum report_format fmt,
	    FILE *fp, void (*warn)(void *, const char *), void *ctx,
	    struct summary_outcome *, struct prun_error *);

#endif
