/*
 * runset: the rows of a comparison of runs, and the report built on them.
 *
 * Every plan is read once, up front, into a table of the distinct names
 * (the union) kept as a linked list in report order, and for each name
 * and run the chain of (shard, plan index) where that run planned it.
 * Fragments are then read one row at a time, so memory grows with the
 * names only, as in summary.c.  Names point into the plans, which stay
 * open until runset_close.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metadata.h"
#include "plan.h"
#include "runset.h"
#include "store.h"

#define NONE	SIZE_MAX

struct source {
	struct prun_store	store;
	struct prun_metadata	md;
	int			open;
};

/* Where one run planned one name: a shard and its plan index. */
struct entry {
	size_t	src;
	size_t	index;
	size_t	next;		/* this name in a later shard */
};

struct run {
	char			**dirs;
	size_t			  ndirs;
	struct source		 *srcs;
	struct entry		 *entries;
	size_t			  nentries;
	struct prun_result	  cell;		/* this row's result */
	int			  has_cell;
};

struct runset {
	struct run		 *runs;
	struct report_run	 *info;		/* for reports */
	size_t			  nruns;
	const char		**names;	/* the union, by node */
	size_t			 *next;		/* report order */
	size_t			 *cells;	/* node * nruns: entry */
	size_t			  nnodes, head, cur;
	size_t			 *table;	/* nodes, by hash */
	size_t			  table_size;
	int			  started;
	void			(*warn)(void *, const char *);
	void			 *ctx;
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

/* Split "a,b,c" into a vector of directories. */
static int
split_dirs(const char *arg, char ***dirs, size_t *ndirs)
{
	const char *p = arg, *comma;
	size_t n = 1, i;

	for (comma = arg; (comma = strchr(comma, ',')) != NULL; comma++)
		n++;
	if ((*dirs = calloc(n + 1, sizeof **dirs)) == NULL)
		return -1;
	*ndirs = n;
	for (i = 0; i < n; i++) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		if (((*dirs)[i] = strndup(p, (size_t)(comma - p))) == NULL)
			return -1;
		p = comma + 1;
	}
	return 0;
}

/* Open a results directory and read its plan. */
static int
source_open(struct source *src, const char *dir, struct prun_error *err)
{
	char what[4096], *buf;
	size_t len;
	int rc;

	memset(src, 0, sizeof *src);
	if (*dir == '\0')
		return prun_error_set(err, PRUN_EXIT_USAGE, "summary "
		    "--compare: an empty directory name (two commas?)");
	if (store_open(&src->store, dir, 0, err) == -1)
		return -1;
	if (store_read_metadata(&src->store, &buf, &len, err) == -1) {
		store_close(&src->store);
		return -1;
	}
	snprintf(what, sizeof what, "%s/%s", dir, STORE_METADATA);
	rc = metadata_decode(&src->md, buf, len, what, err);
	free(buf);
	if (rc == -1) {
		store_close(&src->store);
		return -1;
	}
	src->open = 1;
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

/* Add run k's plans to the union, each new name after the one before. */
static void
add_run(struct runset *rs, size_t k)
{
	struct run *run = &rs->runs[k];
	const struct prun_plan *plan;
	struct entry *e;
	size_t s, i, node, slot, prev = NONE, *link;

	for (s = 0; s < run->ndirs; s++) {
		plan = &run->srcs[s].md.plan;
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
			prev = node;
			e = &run->entries[run->nentries];
			e->src = s;
			e->index = i;
			e->next = NONE;
			link = &rs->cells[node * rs->nruns + k];
			if (*link == NONE)
				rs->info[k].ntests++;
			while (*link != NONE)
				link = &run->entries[*link].next;
			*link = run->nentries++;
		}
	}
}

/* Open the runs; see runset.h. */
struct runset *
runset_open(char *const *args, size_t nruns,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct runset *rs;
	struct run *run;
	size_t k, s, total = 0, i;

	if ((rs = calloc(1, sizeof *rs)) == NULL ||
	    (rs->runs = calloc(nruns, sizeof *rs->runs)) == NULL ||
	    (rs->info = calloc(nruns, sizeof *rs->info)) == NULL)
		goto nomem;
	rs->nruns = nruns;
	rs->warn = warn;
	rs->ctx = ctx;
	rs->head = NONE;
	for (k = 0; k < nruns; k++) {
		run = &rs->runs[k];
		if (split_dirs(args[k], &run->dirs, &run->ndirs) == -1 ||
		    (run->srcs = calloc(run->ndirs, sizeof *run->srcs)) == NULL)
			goto nomem;
		for (s = 0; s < run->ndirs; s++) {
			if (source_open(&run->srcs[s], run->dirs[s], err) == -1)
				goto fail;
			if (run->srcs[s].md.plan.n > SIZE_MAX / 4 - total)
				goto nomem;
			run->nentries += run->srcs[s].md.plan.n;
			total += run->srcs[s].md.plan.n;
		}
		if ((run->entries = calloc(run->nentries + 1,
		    sizeof *run->entries)) == NULL)
			goto nomem;
		run->nentries = 0;
		rs->info[k].md = &run->srcs[0].md;
		rs->info[k].dirs = run->dirs;
		rs->info[k].ndirs = run->ndirs;
		rs->info[k].time_start = run->srcs[0].md.time_start;
		for (s = 1; s < run->ndirs; s++)
			if (run->srcs[s].md.time_start < rs->info[k].time_start)
				rs->info[k].time_start =
				    run->srcs[s].md.time_start;
		rs->info[k].time_end = rs->info[k].time_start;
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

/* Append a line to a result's err (for duplicates). */
static int
append_err(struct prun_result *r, const char *line)
{
	size_t n = strlen(line);
	char *p;

	if ((p = realloc(r->err, r->err_len + n + 2)) == NULL)
		return -1;
	if (r->err_len > 0 && p[r->err_len - 1] != '\n')
		p[r->err_len++] = '\n';
	memcpy(p + r->err_len, line, n + 1);
	r->err = p;
	r->err_len += n;
	return 0;
}

/* A notrun result for a planned test without a fragment. */
static int
notrun(const struct prun_test *t, size_t index, struct prun_result *r)
{
	memset(r, 0, sizeof *r);
	r->index = index;
	r->status = PRUN_NOTRUN;
	r->attempt = 1;
	if ((r->name = strdup(t->name)) == NULL ||
	    (r->command = plan_command_string(t)) == NULL ||
	    (r->out = strdup("")) == NULL || (r->err = strdup("")) == NULL)
		return -1;
	return 0;
}

/*
 * Read run k's result of the test whose chain starts at e: the fragment
 * of whichever shard has one (the worse of two, said in err), else
 * notrun.  Returns 0, or -1 when out of memory.
 */
static int
read_cell(struct runset *rs, size_t k, size_t e)
{
	struct run *run = &rs->runs[k];
	struct report_run *info = &rs->info[k];
	struct prun_result *r = &run->cell, other;
	struct prun_error ferr;
	char line[8192];
	size_t first = e, found_in = 0;
	int found = 0, rc;

	for (; e != NONE; e = run->entries[e].next) {
		struct source *src = &run->srcs[run->entries[e].src];

		rc = store_read_result(&src->store, run->entries[e].index,
		    found ? &other : r, &ferr);
		if (rc == -1) {
			info->damaged++;
			if (rs->warn != NULL)
				rs->warn(rs->ctx, ferr.msg);
			continue;
		}
		if (rc == 0)
			continue;
		if (!found) {
			found = 1;
			found_in = run->entries[e].src;
			continue;
		}
		info->duplicates++;
		snprintf(line, sizeof line, "prun: test %s has results in "
		    "both %s (%s) and %s (%s)", r->name,
		    run->srcs[found_in].store.path, status_name(r->status),
		    src->store.path, status_name(other.status));
		if (rs->warn != NULL)
			rs->warn(rs->ctx, line);
		if (other.status > r->status) {
			result_free(r);
			*r = other;
		} else
			result_free(&other);
		if (append_err(r, line) == -1)
			return -1;
	}
	if (!found) {
		e = first;
		if (notrun(&run->srcs[run->entries[e].src].md.plan.tests[
		    run->entries[e].index], run->entries[e].index, r) == -1)
			return -1;
	}
	info->counts[r->status]++;
	if (r->time_end > info->time_end)
		info->time_end = r->time_end;
	return 0;
}

/* Read the next row; see runset.h. */
int
runset_next(struct runset *rs, const struct prun_result **cells)
{
	size_t k, node;

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
		if (rs->cells[node * rs->nruns + k] == NONE)
			continue;
		memset(&rs->runs[k].cell, 0, sizeof rs->runs[k].cell);
		rs->runs[k].has_cell = 1;
		if (read_cell(rs, k, rs->cells[node * rs->nruns + k]) == -1)
			return -1;
		cells[k] = &rs->runs[k].cell;
	}
	for (k = 1; k < rs->nruns; k++) {
		switch (runset_change(cells[k - 1], cells[k])) {
		case RUNSET_REGRESSION:
			rs->info[k].regressions++;
			break;
		case RUNSET_FIX:
			rs->info[k].fixes++;
			break;
		default:
			break;
		}
	}
	return 1;
}

/* Close every directory and free everything. */
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
		for (s = 0; run->srcs != NULL && s < run->ndirs; s++) {
			if (!run->srcs[s].open)
				continue;
			metadata_free(&run->srcs[s].md);
			store_close(&run->srcs[s].store);
		}
		for (s = 0; run->dirs != NULL && s < run->ndirs; s++)
			free(run->dirs[s]);
		free(run->dirs);
		free(run->srcs);
		free(run->entries);
	}
	free(rs->runs);
	free(rs->info);
	free(rs->names);
	free(rs->next);
	free(rs->cells);
	free(rs->table);
	free(rs);
}

/*
 * How a test changed.  As in piglit, skip and notrun are not better or
 * worse than anything, only different; between the statuses of a test
 * that ran, the later in status.h's order is worse.
 */
enum runset_change
runset_change(const struct prun_result *before, const struct prun_result *after)
{
	if (before == NULL || after == NULL)
		return before == after ? RUNSET_SAME : RUNSET_CHANGED;
	if (before->status == after->status)
		return RUNSET_SAME;
	if (before->status == PRUN_SKIP || before->status == PRUN_NOTRUN ||
	    after->status == PRUN_SKIP || after->status == PRUN_NOTRUN)
		return RUNSET_CHANGED;
	return after->status > before->status ? RUNSET_REGRESSION :
	    RUNSET_FIX;
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
	while ((got = runset_next(rs, cells)) == 1)
		if (rep.ops->row(&rep, &info, cells) == -1)
			goto write_error;
	if (got == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "summary");
		goto done;
	}
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
