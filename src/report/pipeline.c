/*
 * pipeline: the one driver of the reports.
 *
 * Rows come from a runset, one at a time, in report order.  A summary (one
 * run) gives each writer its tests with their verdicts, after a first pass
 * for writers that need totals before the tests (JUnit's counts), made by
 * a second runset that warns of nothing: memory stays one fragment at a
 * time in both passes.  Runs side by side give rows; what changed from
 * one run to the next is change.c's, counted by the runset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/pipeline.h"
#include "report/runset.h"

/* Warn about baseline entries that no test of the plan had. */
static void
warn_unseen(const struct pipeline_config *cfg)
{
	const char *first;
	char msg[1024];
	size_t n;

	if (cfg->warn == NULL ||
	    (n = baseline_unseen(cfg->baseline, &first)) == 0)
		return;
	snprintf(msg, sizeof msg, "the baseline lists %zu test%s that %s not "
	    "in the plan (such as %s)", n, n == 1 ? "" : "s",
	    n == 1 ? "is" : "are", first);
	cfg->warn(cfg->ctx, msg);
}

/* The first pass, for writers that need totals before the tests. */
static int
scan(char *const *dirs, size_t ndirs, struct report *rep,
    const struct report_info *info, struct prun_error *err)
{
	const struct prun_result *cell;
	struct runset *rs;
	int more, rc = 0;

	if ((rs = runset_open_shards(dirs, ndirs, NULL, NULL, err)) == NULL)
		return -1;
	while (rc == 0 && (more = runset_next(rs, &cell, err)) == 1)
		if (rep->ops->scan(rep, info, cell) == -1)
			rc = prun_error_errno(err, PRUN_EXIT_IO, errno,
			    "summary: first pass over the results");
	runset_close(rs);
	return rc == -1 || more == -1 ? -1 : 0;
}

/* A summary: the tests of one run, judged, to the writer. */
static int
one_run(struct runset *rs, char *const *dirs, size_t ndirs,
    const struct pipeline_config *cfg, struct report *rep,
    struct pipeline_outcome *out, struct prun_error *err)
{
	const struct prun_metadata **mds;
	const struct report_run *run;
	const struct prun_result *r;
	struct report_info info;
	size_t s, n;
	int rc = -1, more;

	if ((mds = calloc(ndirs, sizeof *mds)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "summary");
	for (s = 0; s < ndirs; s++)
		mds[s] = runset_shard(rs, 0, s);
	run = runset_runs(rs, &n);
	memset(&info, 0, sizeof info);
	info.md = run->md;
	info.dirs = dirs;
	info.mds = mds;
	info.ndirs = ndirs;
	info.ntests = runset_rows(rs);
	info.judged = cfg->baseline != NULL;
	info.time_start = info.time_end = run->time_start;
	if (rep->ops->scan != NULL && scan(dirs, ndirs, rep, &info,
	    err) == -1)
		goto done;
	if (rep->ops->begin(rep, &info) == -1)
		goto write_error;
	while ((more = runset_next(rs, &r, err)) == 1) {
		memcpy(info.counts, run->counts, sizeof info.counts);
		info.flaky += r->flaky;
		info.verdict = baseline_judge(cfg->baseline, r->name,
		    r->status, r->flaky, &info.expected);
		info.verdicts[info.verdict]++;
		info.time_end = run->time_end;
		info.duplicates = run->duplicates;
		info.damaged = run->damaged;
		if (rep->ops->test(rep, &info, r) == -1)
			goto write_error;
	}
	if (more == -1)
		goto done;
	info.failing = info.verdicts[BASELINE_UNEXPECTED] > 0 ||
	    info.duplicates > 0 ||
	    (!cfg->allow_fixes && info.verdicts[BASELINE_FIXED] > 0);
	if (rep->ops->end(rep, &info) == -1 || fflush(rep->fp) == EOF ||
	    ferror(rep->fp))
		goto write_error;
	warn_unseen(cfg);
	memcpy(out->counts, info.counts, sizeof out->counts);
	memcpy(out->verdicts, info.verdicts, sizeof out->verdicts);
	out->duplicates = info.duplicates;
	out->damaged = info.damaged;
	out->flaky = info.flaky;
	out->failing = info.failing;
	rc = 0;
	goto done;
write_error:
	if (rep->err.code != 0)
		*err = rep->err;
	else
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "cannot write the report");
done:
	free(mds);
	return rc;
}

/* Runs side by side: the rows to the writer. */
static int
side_by_side(struct runset *rs, char *const *args, size_t nargs,
    struct report *rep, struct pipeline_outcome *out,
    struct prun_error *err)
{
	const struct prun_result **cells;
	const struct report_run *runs;
	struct report_info info;
	size_t k, n;
	int rc = -1, got;

	if ((cells = calloc(nargs, sizeof *cells)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "summary");
	runs = runset_runs(rs, &n);
	memset(&info, 0, sizeof info);
	info.md = runs[n - 1].md;
	info.dirs = args;
	info.ndirs = nargs;
	info.ntests = runset_rows(rs);
	info.runs = runs;
	info.nruns = n;
	if (rep->ops->begin(rep, &info) == -1)
		goto write_error;
	while ((got = runset_next(rs, cells, err)) == 1)
		if (rep->ops->row(rep, &info, cells) == -1)
			goto write_error;
	if (got == -1)
		goto done;
	info.time_start = runs[0].time_start;
	info.time_end = runs[0].time_end;
	for (k = 0; k < n; k++) {
		if (runs[k].time_start < info.time_start)
			info.time_start = runs[k].time_start;
		if (runs[k].time_end > info.time_end)
			info.time_end = runs[k].time_end;
		out->regressions += runs[k].regressions;
		out->fixes += runs[k].fixes;
		out->duplicates += runs[k].duplicates;
		out->damaged += runs[k].damaged;
	}
	memcpy(info.counts, runs[n - 1].counts, sizeof info.counts);
	info.duplicates = out->duplicates;
	info.damaged = out->damaged;
	if (rep->ops->end(rep, &info) == -1 || fflush(rep->fp) == EOF ||
	    ferror(rep->fp))
		goto write_error;
	memcpy(out->counts, info.counts, sizeof out->counts);
	out->failing = out->regressions > 0 || out->duplicates > 0;
	rc = 0;
	goto done;
write_error:
	if (rep->err.code != 0)
		*err = rep->err;
	else
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "cannot write the report");
done:
	free(cells);
	return rc;
}

/* Write the report of args; see pipeline.h. */
int
pipeline_write(char *const *args, size_t nargs,
    const struct pipeline_config *cfg, FILE *fp, struct pipeline_outcome *out,
    struct prun_error *err)
{
	struct report rep;
	struct runset *rs;
	int text = cfg->report->format == REPORT_TEXT, rc = -1;

	memset(out, 0, sizeof *out);
	memset(&rep, 0, sizeof rep);
	if (!cfg->compare)
		rs = runset_open_shards(args, nargs, cfg->warn, cfg->ctx, err);
	else
		rs = runset_open(args, nargs, text ? RUNSET_JSON |
		    RUNSET_NEWEST : 0, cfg->warn, cfg->ctx, err);
	if (rs == NULL)
		return -1;
	if (cfg->compare && text) {
		rep.ops = &report_compare_ops;
		rep.opts = cfg->report;
		rep.fp = fp;
	} else if (report_open(&rep, cfg->report, fp, err) == -1)
		goto done;
	if (cfg->compare && rep.ops->row == NULL) {
		prun_error_set(err, PRUN_EXIT_USAGE, "summary --compare: "
		    "this format cannot put runs side by side (use -f html)");
		goto done;
	}
	if (cfg->compare)
		rc = side_by_side(rs, args, nargs, &rep, out, err);
	else
		rc = one_run(rs, args, nargs, cfg, &rep, out, err);
done:
	if (rep.ops != NULL && rep.ops->free != NULL)
		rep.ops->free(&rep);
	runset_close(rs);
	return rc;
}
