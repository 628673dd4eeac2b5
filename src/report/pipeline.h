/*
 * pipeline: every report prun summary writes, one way through: a set of
 * runs (runset.c; a summary is a set of one run) yields rows, and one
 * driver feeds them to a writer (report.h): a summary's tests judged
 * against a baseline, or runs side by side (--compare: the text of
 * report_compare.c, or html's columns).
 */
#ifndef PRUN_PIPELINE_H
#define PRUN_PIPELINE_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "core/status.h"
#include "report/baseline.h"
#include "report/report.h"

struct pipeline_config {
	/* The writer and its settings; with compare, text means the list of
	 * changes and html the runs side by side. */
	const struct report_options *report;
	int			 compare;	/* args are runs, not shards */
	struct baseline		*baseline;	/* NULL: failures unexpected */
	int			 allow_fixes;	/* a fixed test is no failure */
	/* Called for each fragment left out and each oddity of the dirs. */
	void			(*warn)(void *ctx, const char *msg);
	void			*ctx;
};

struct pipeline_outcome {
	size_t	counts[PRUN_NSTATUS];	/* of the (last) run */
	size_t	duplicates;		/* tests with results in two dirs */
	size_t	damaged;		/* fragments left out */
	size_t	flaky;			/* passed on a rerun */
	size_t	verdicts[BASELINE_NVERDICTS];
	size_t	regressions;		/* compare: tests, from run to run */
	size_t	fixes;
	int	failing;		/* the summary exits 1 */
};

/*
 * Write the report of args[0..nargs) to fp: the shards of one run, or
 * with cfg->compare runs to compare (each a directory, "DIR,DIR,..." or,
 * for the text comparison, a JSON report).  Returns 0, or -1 when a run
 * or the report cannot be read or written, or the shards of a run hold
 * different plans.
 */
int	pipeline_write(char *const *args, size_t nargs,
	    const struct pipeline_config *, FILE *fp, struct pipeline_outcome *,
	    struct prun_error *);

#endif
