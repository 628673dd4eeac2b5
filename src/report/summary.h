/*
 * summary: the final report, assembled from the fragments of one or more
 * results directories (shards of one plan).
 *
 * It reads fragments, not a final file, so it works on a run that is
 * still going or that died; a test of the plan without a fragment is
 * notrun.  Each test may be judged against a baseline of expected
 * failures and known flakes.
 */
#ifndef PRUN_SUMMARY_H
#define PRUN_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "report/baseline.h"
#include "core/error.h"
#include "plan/metadata.h"
#include "report/report.h"
#include "core/result.h"
#include "core/status.h"

struct summary_config {
	enum report_format	 format;
	/* The writer's settings (html's); NULL: the defaults of format. */
	const struct report_options *report;
	struct baseline		*baseline;	/* NULL: failures unexpected */
	int			 allow_fixes;	/* a fixed test is no failure */
	/* Called for each fragment left out and each oddity of the dirs. */
	void			(*warn)(void *ctx, const char *msg);
	void			*ctx;
};

struct summary_outcome {
	size_t	counts[PRUN_NSTATUS];
	size_t	duplicates;		/* tests with results in two dirs */
	size_t	damaged;		/* fragments left out */
	size_t	flaky;			/* passed on a rerun */
	size_t	verdicts[BASELINE_NVERDICTS];
	int	failing;		/* the summary exits 1 */
};

/*
 * Write the report of dirs to fp.  Returns 0, or -1 when a directory or
 * the report cannot be read or written, or the dirs hold different plans.
 */
int	summary_write(char *const *dirs, size_t ndirs,
	    const struct summary_config *, FILE *fp, struct summary_outcome *,
	    struct prun_error *);

/* Reading the merged results of dirs one test at a time, in plan order. */
struct summary;

int	summary_open(struct summary **, char *const *dirs, size_t ndirs,
	    void (*warn)(void *, const char *), void *ctx, struct prun_error *);

/* The metadata (of the first directory; all have the same plan): its
 * ntests, but its plan only once held. */
const struct prun_metadata *summary_metadata(const struct summary *);

/* The next test: 1 with *r filled (notrun when no directory has it), 0
 * after the last, -1 on error. */
int	summary_next(struct summary *, struct prun_result *r,
	    struct prun_error *);

/* Read the whole plan into summary_metadata()'s plan (which is empty
 * otherwise: tests are read as they come), before the first test, so that
 * summary_read may be used: 0 or -1. */
int	summary_hold_plan(struct summary *, struct prun_error *);

/* The test at plan index i, as summary_next gives it, once the plan is
 * held: 0 or -1. */
int	summary_read(struct summary *, size_t i, struct prun_result *r,
	    struct prun_error *);

/* Tests found in two directories, and fragments left out, so far. */
void	summary_trouble(const struct summary *, size_t *duplicates,
	    size_t *damaged);

void	summary_close(struct summary *);

#endif
