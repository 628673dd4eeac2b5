/*
 * report_baseline: the failures of a run as a baseline file, one
 * "NAME STATUS" line per failing test, for prun summary --baseline.
 *
 * Known flakes are left out (they are in the flakes file), and so are
 * tests that did not fail: a baseline lists what is expected to fail.
 */
#include <stdio.h>

#include "report/report.h"

/* A comment line saying where the baseline comes from. */
static int
baseline_begin(struct report *rep, const struct report_info *info)
{
	return fprintf(rep->fp, "# prun baseline: expected failures of plan "
	    "%s (%s)\n", info->md->plan_id, info->md->name) < 0 ? -1 : 0;
}

/* One line per failing test. */
static int
baseline_test(struct report *rep, const struct report_info *info,
    const struct prun_result *r)
{
	if (!status_is_failure(r->status) || info->verdict == BASELINE_FLAKE)
		return 0;
	return fprintf(rep->fp, "%s %s\n", r->name,
	    status_name(r->status)) < 0 ? -1 : 0;
}

/* Nothing after the last line. */
static int
baseline_end(struct report *rep, const struct report_info *info)
{
	(void)rep;
	(void)info;
	return 0;
}

const struct report_ops report_baseline_ops = {
	.begin = baseline_begin,
	.test = baseline_test,
	.end = baseline_end,
};
