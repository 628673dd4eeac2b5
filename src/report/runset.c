/*
 * runset: the rows of a comparison of runs, and the report built on them.
 *
 * Each run is a summary (summary.c merges its shards and reads any test of
 * its plan).  Every plan is indexed once, up front, into a table of the
 * distinct names (the union) kept as a linked list in report order, with
 * each name's index in each run's plan.  Fragments are then read one row
 * at a time, so memory grows with the names only, as in summary.c.  Names
 * point into the plans, which stay open until runset_close.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/runset.h"
#include "report/summary.h"

#define NONE	SIZE_MAX

struct run {
	char			**dirs;
	size_t			  ndirs;
	struct summary		 *sum;
	struct prun_result	  cell;		/* this row's result */
	int			  has_cell;
};

struct runset {
	struct run		 *runs;
	struct report_run	 *info;		/* for reports */
	size_t			  nruns;
	const char		**names;	/* the union, by node */
	size_t			 *next;		/* report order */
	size_t			 *cells;	/* node * nruns: index */
	size_t			  nnodes, head, cur;
	size_t			 *table;	/* nodes, by hash */
	size_t			  table_size;
	int			  started;
};

/* FNV-1a of a name. */
static uint64_t
hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Split "a,b,c" into a vector of directories; an empty one is an error. */
static int
split_dirs(const char *arg, char ***dirs, size_t *ndirs,
    struct prun_error *err)
{
	const char *p = arg, *comma;
	size_t n = 1, i;

	for (comma = arg; (comma = strchr(comma, ',')) != NULL; comma++)
		n++;
	if ((*dirs = calloc(n + 1, sizeof **dirs)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "summary");
	*ndirs = n;
	for (i = 0; i < n; i++) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		if (comma == p)
			return prun_error_set(err, PRUN_EXIT_USAGE, "summary "
			    "--compare: '%s': an empty directory name", arg);
		if (((*dirs)[i] = strndup(p, (size_t)(comma - p))) == NULL)
			return prun_error_errno(err, PRUN_EXIT_IO, errno,
			    "summary");
		p = comma + 1;
	}
	return 0;
}

/* The node of name, or NONE; *slot is where it would go. */
static size_t
lookup(const struct runset *rs, const char *name, size_t *slot)
{
	size_t mask = rs->table_size - 1, i;

	for (i = hash(name) & mask;; i = (i + 1) & mask) {
		if (rs->table[i] == NONE ||
		    strcmp(rs->names[rs->table[i]], name) == 0)
			break;
	}
	*slot = i;
	return rs->table[i];
}

/* Add run k's plan to the union, each new name after the one before. */
static void
add_run(struct runset *rs, size_t k)
{
	const struct prun_plan *plan =
	    &summary_metadata(rs->runs[k].sum)->plan;
	size_t i, node, slot, prev = NONE;

	for (i = 0; i < plan->n; i++) {
		node = lookup(rs, plan->tests[i].name, &slot);
		if (node == NONE) {
			node = rs->nnodes++;
			rs->table[slot] = node;
			rs->names[node] = plan->tests[i].name;
			if (prev == NONE) {
				rs->next[node] = rs->head;
				rs->head = node;
			} else {
				rs->next[node] = rs->next[prev];
				rs->next[prev] = node;
			}
		}
		rs->cells[node * rs->nruns + k] = i;
		prev = node;
	}
	rs->info[k].ntests = plan->n;
}

/* Open the runs; see runset.h. */
struct runset *
runset_open(char *const *args, size_t nruns,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	const struct prun_metadata *md;
	struct runset *rs;
	struct run *run;
	size_t k, total = 0, i;

	if ((rs = calloc(1, sizeof *rs)) == NULL ||
	    (rs->runs = calloc(nruns, sizeof *rs->runs)) == NULL ||
	    (rs->info = calloc(nruns, sizeof *rs->info)) == NULL)
		goto nomem;
	rs->nruns = nruns;
	rs->head = NONE;
	for (k = 0; k < nruns; k++) {
		run = &rs->runs[k];
		if (split_dirs(args[k], &run->dirs, &run->ndirs, err) == -1 ||
		    summary_open(&run->sum, run->dirs, run->ndirs, warn, ctx,
		    err) == -1 || summary_hold_plan(run->sum, err) == -1)
			goto fail;
		md = summary_metadata(run->sum);
		if (md->plan.n > SIZE_MAX / 4 - total)
			goto nomem;
		total += md->plan.n;
		rs->info[k].md = md;
		rs->info[k].dirs = run->dirs;
		rs->info[k].ndirs = run->ndirs;
		rs->info[k].time_start = rs->info[k].time_end = md->time_start;
	}
	for (rs->table_size = 64; rs->table_size < 2 * total + 2;)
		rs->table_size *= 2;
	if (total > SIZE_MAX / sizeof *rs->cells / (nruns + 1) ||
	    (rs->table = malloc(rs->table_size * sizeof *rs->table)) == NULL ||
	    (rs->names = calloc(total + 1, sizeof *rs->names)) == NULL ||
	    (rs->next = calloc(total + 1, sizeof *rs->next)) == NULL ||
	    (rs->cells = malloc((total + 1) * nruns * sizeof *rs->cells)) ==
	    NULL)
		goto nomem;
	for (i = 0; i < rs->table_size; i++)
		rs->table[i] = NONE;
	for (i = 0; i < (total + 1) * nruns; i++)
		rs->cells[i] = NONE;
	for (k = 0; k < nruns; k++)
		add_run(rs, k);
	rs->cur = rs->head;
	return rs;
nomem:
	prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "summary --compare");
fail:
	runset_close(rs);
	return NULL;
}

/* The number of rows. */
size_t
runset_rows(const struct runset *rs)
{
	return rs->nnodes;
}

/* What is known of each run. */
const struct report_run *
runset_runs(const struct runset *rs, size_t *nruns)
{
	*nruns = rs->nruns;
	return rs->info;
}

/* Read run k's result of the test at plan index i. */
static int
read_cell(struct runset *rs, size_t k, size_t i, struct prun_error *err)
{
	struct run *run = &rs->runs[k];
	struct report_run *info = &rs->info[k];

	if (summary_read(run->sum, i, &run->cell, err) == -1)
		return -1;
	run->has_cell = 1;
	info->counts[run->cell.status]++;
	if (run->cell.time_end > info->time_end)
		info->time_end = run->cell.time_end;
	summary_trouble(run->sum, &info->duplicates, &info->damaged);
	return 0;
}

/* Read the next row; see runset.h. */
int
runset_next(struct runset *rs, const struct prun_result **cells,
    struct prun_error *err)
{
	size_t k, node, i;

	for (k = 0; k < rs->nruns; k++) {
		if (rs->runs[k].has_cell)
			result_free(&rs->runs[k].cell);
		rs->runs[k].has_cell = 0;
	}
	if (rs->started && rs->cur != NONE)
		rs->cur = rs->next[rs->cur];
	rs->started = 1;
	if ((node = rs->cur) == NONE)
		return 0;
	for (k = 0; k < rs->nruns; k++) {
		cells[k] = NULL;
		if ((i = rs->cells[node * rs->nruns + k]) == NONE)
			continue;
		if (read_cell(rs, k, i, err) == -1)
			return -1;
		cells[k] = &rs->runs[k].cell;
	}
	for (k = 1; k < rs->nruns; k++) {
		switch (change_test(cells[k - 1], cells[k])) {
		case CHANGE_REGRESSION:
			rs->info[k].regressions++;
			break;
		case CHANGE_FIX:
			rs->info[k].fixes++;
			break;
		default:
			break;
		}
	}
	return 1;
}

/* Close every run and free everything. */
void
runset_close(struct runset *rs)
{
	struct run *run;
	size_t k, s;

	if (rs == NULL)
		return;
	for (k = 0; rs->runs != NULL && k < rs->nruns; k++) {
		run = &rs->runs[k];
		if (run->has_cell)
			result_free(&run->cell);
		summary_close(run->sum);
		for (s = 0; run->dirs != NULL && s < run->ndirs; s++)
			free(run->dirs[s]);
		free(run->dirs);
	}
	free(rs->runs);
	free(rs->info);
	free(rs->names);
	free(rs->next);
	free(rs->cells);
	free(rs->table);
	free(rs);
}

/* Write the comparison report; see runset.h. */
int
runset_write(char *const *runs, size_t nruns,
    const struct report_options *opts, FILE *fp,
    void (*warn)(void *, const char *), void *ctx,
    struct runset_outcome *out, struct prun_error *err)
{
	const struct prun_result **cells = NULL;
	const struct report_run *info_runs;
	struct report_info info;
	struct report rep;
	struct runset *rs;
	size_t k, n;
	int rc = -1, got;

	memset(out, 0, sizeof *out);
	memset(&rep, 0, sizeof rep);
	if ((rs = runset_open(runs, nruns, warn, ctx, err)) == NULL)
		return -1;
	if (report_open(&rep, opts, fp, err) == -1)
		goto done;
	if (rep.ops->row == NULL) {
		prun_error_set(err, PRUN_EXIT_USAGE, "summary --compare: "
		    "this format cannot put runs side by side (use -f html)");
		goto done;
	}
	if ((cells = calloc(nruns, sizeof *cells)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "summary");
		goto done;
	}
	info_runs = runset_runs(rs, &n);
	memset(&info, 0, sizeof info);
	info.md = info_runs[n - 1].md;
	info.dirs = runs;
	info.ndirs = nruns;
	info.ntests = runset_rows(rs);
	info.runs = info_runs;
	info.nruns = n;
	if (rep.ops->begin(&rep, &info) == -1)
		goto write_error;
	while ((got = runset_next(rs, cells, err)) == 1)
		if (rep.ops->row(&rep, &info, cells) == -1)
			goto write_error;
	if (got == -1)
		goto done;
	info.time_start = info_runs[0].time_start;
	info.time_end = info_runs[0].time_end;
	for (k = 0; k < n; k++) {
		if (info_runs[k].time_start < info.time_start)
			info.time_start = info_runs[k].time_start;
		if (info_runs[k].time_end > info.time_end)
			info.time_end = info_runs[k].time_end;
		out->regressions += info_runs[k].regressions;
		out->fixes += info_runs[k].fixes;
		out->duplicates += info_runs[k].duplicates;
		out->damaged += info_runs[k].damaged;
	}
	memcpy(info.counts, info_runs[n - 1].counts, sizeof info.counts);
	info.duplicates = out->duplicates;
	info.damaged = out->damaged;
	if (rep.ops->end(&rep, &info) == -1 || fflush(fp) == EOF ||
	    ferror(fp))
		goto write_error;
	memcpy(out->counts, info.counts, sizeof out->counts);
	rc = 0;
	goto done;
write_error:
	prun_error_errno(err, PRUN_EXIT_IO, errno, "cannot write the report");
done:
	if (rep.ops != NULL && rep.ops->free != NULL)
		rep.ops->free(&rep);
	free(cells);
	runset_close(rs);
	return rc;
}
