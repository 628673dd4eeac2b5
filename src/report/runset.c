/*
 * runset: the rows of a set of runs.
 *
 * A run of directories is a summary (summary.c merges its shards and reads
 * any test of its plan); a JSON report is loaded whole into results.  A
 * set of one run given as shards is streamed through summary_next, so a
 * summary holds neither its plan nor more than one fragment.  Otherwise
 * every plan is indexed once, up front, into a table of the distinct names
 * (the union) kept as a linked list in report order, with each name's
 * index in each run's plan; fragments are then read one row at a time, so
 * memory grows with the names only.  Names point into the plans, which
 * stay open until runset_close.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/util.h"
#include "report/change.h"
#include "report/runset.h"
#include "report/summary.h"

#define NONE	SIZE_MAX

struct run {
	char			**dirs;
	size_t			  ndirs;
	struct summary		 *sum;		/* a run of directories */
	const struct prun_plan	 *plan;		/* held, when indexed */
	struct prun_result	 *json;		/* a JSON report's tests */
	size_t			  njson;
	struct prun_result	  cell;		/* this row's result */
	int			  has_cell;
};

struct runset {
	struct run		 *runs;
	struct report_run	 *info;		/* for reports */
	size_t			  nruns;
	int			  stream;	/* one run, read in order */
	char			**names;	/* the union, by node */
	struct nametab		  tab;		/* nodes, by name */
	size_t			 *next;		/* report order */
	size_t			 *cells;	/* node * nruns: index */
	size_t			  nnodes, head, cur;
	int			  started;
};

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

/* A warning about one entry of a JSON report. */
static void
warn_entry(void (*warn)(void *, const char *), void *wctx, const char *path,
    const char *name, const char *why)
{
	char msg[1024];

	if (warn == NULL)
		return;
	snprintf(msg, sizeof msg, "%s: test %s: %s; left out", path, name,
	    why);
	warn(wctx, msg);
}

/* The subtests of a JSON report's test into r (known results only). */
static int
json_subtests(json_t *subs, struct prun_result *r, const char *path,
    void (*warn)(void *, const char *), void *wctx)
{
	const char *sub;
	json_t *v;
	struct prun_subtest *st;

	if (!json_is_object(subs) || json_object_size(subs) == 0)
		return 0;
	if ((r->subtests = calloc(json_object_size(subs), sizeof *st)) ==
	    NULL)
		return -1;
	json_object_foreach(subs, sub, v) {
		/* piglit's "__type__": "Subtests" */
		if (strncmp(sub, "__", 2) == 0)
			continue;
		st = &r->subtests[r->nsubtests];
		if (!json_is_string(v) || status_parse(json_string_value(v),
		    &st->status) == -1) {
			warn_entry(warn, wctx, path, r->name,
			    "a subtest has no known result");
			continue;
		}
		if ((st->name = strdup(sub)) == NULL)
			return -1;
		r->nsubtests++;
	}
	return 0;
}

/* Load the tests of a JSON report (piglit's results file, or prun's). */
static int
json_load(struct run *run, const char *path,
    void (*warn)(void *, const char *), void *wctx, struct prun_error *err)
{
	json_error_t jerr;
	json_t *root, *tests, *t, *v;
	const char *name;
	struct prun_result *r;
	int rc = 0;

	if ((root = json_load_file(path, JSON_ALLOW_NUL, &jerr)) == NULL)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s:%d:%d: %s",
		    path, jerr.line, jerr.column, jerr.text);
	tests = json_object_get(root, "tests");
	if (!json_is_object(tests)) {
		json_decref(root);
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: not a results "
		    "directory or a JSON report (no \"tests\" object)", path);
	}
	if ((run->json = calloc(json_object_size(tests) + 1,
	    sizeof *run->json)) == NULL)
		rc = -1;
	json_object_foreach(tests, name, t) {
		if (rc == -1)
			break;
		r = &run->json[run->njson];
		v = json_object_get(t, "result");
		if (!json_is_string(v) ||
		    status_parse(json_string_value(v), &r->status) == -1) {
			warn_entry(warn, wctx, path, name, "no known result");
			continue;
		}
		r->index = run->njson++;
		/* piglit's "time": {start, end}; a report without it has
		 * no durations (--history takes the median). */
		if (json_unpack(json_object_get(t, "time"), "{s:F, s:F}",
		    "start", &r->time_start, "end", &r->time_end) == -1)
			r->time_start = r->time_end = 0;
		if ((r->name = strdup(name)) == NULL || json_subtests(
		    json_object_get(t, "subtests"), r, path, warn, wctx) == -1)
			rc = -1;
	}
	json_decref(root);
	if (rc == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", path);
	return 0;
}

/* Open run k from its argument: shards, one directory or a JSON report. */
static int
run_open(struct runset *rs, size_t k, const char *arg, int flags,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct run *run = &rs->runs[k];
	struct stat sb;

	if ((flags & RUNSET_JSON) && strchr(arg, ',') == NULL) {
		if (stat(arg, &sb) == -1)
			return prun_error_errno(err, PRUN_EXIT_USAGE, errno,
			    "%s", arg);
		if (!S_ISDIR(sb.st_mode))
			return json_load(run, arg, warn, ctx, err);
	}
	if (split_dirs(arg, &run->dirs, &run->ndirs, err) == -1 ||
	    summary_open(&run->sum, run->dirs, run->ndirs, warn, ctx,
	    err) == -1)
		return -1;
	return (run->plan = summary_plan(run->sum, err)) == NULL ? -1 : 0;
}

/* The number of tests of a run. */
static size_t
run_size(const struct run *run)
{
	return run->sum != NULL ? plan_size(run->plan) : run->njson;
}

/* The name of a run's test i. */
static const char *
run_name(const struct run *run, size_t i)
{
	return run->sum != NULL ? plan_name(run->plan, i) :
	    run->json[i].name;
}

/* Add run k's plan to the union, each new name after the one before. */
static int
add_run(struct runset *rs, size_t k)
{
	const struct run *run = &rs->runs[k];
	size_t i, node, prev = NONE;

	for (i = 0; i < run_size(run); i++) {
		node = nametab_find_name(&rs->tab, run_name(run, i));
		if (node == NAMETAB_NONE) {
			node = rs->nnodes++;
			rs->names[node] = (char *)run_name(run, i);
			if (nametab_add_name(&rs->tab, rs->names[node],
			    node) == -1)
				return -1;
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
	rs->info[k].ntests = run_size(run);
	return 0;
}

/* Index the union of the plans of every run, in report order. */
static int
index_runs(struct runset *rs, int flags)
{
	size_t k, i, total = 0;

	for (k = 0; k < rs->nruns; k++) {
		if (run_size(&rs->runs[k]) > SIZE_MAX / 4 - total)
			return -1;
		total += run_size(&rs->runs[k]);
	}
	nametab_init_names(&rs->tab, (char *const *const *)&rs->names);
	if (total > SIZE_MAX / sizeof *rs->cells / (rs->nruns + 1) ||
	    (rs->names = calloc(total + 1, sizeof *rs->names)) == NULL ||
	    (rs->next = calloc(total + 1, sizeof *rs->next)) == NULL ||
	    (rs->cells = malloc((total + 1) * rs->nruns *
	    sizeof *rs->cells)) == NULL || nametab_reserve(&rs->tab,
	    total + 1) == -1)
		return -1;
	for (i = 0; i < (total + 1) * rs->nruns; i++)
		rs->cells[i] = NONE;
	/* The newest first: its order is the report's. */
	for (k = 0; k < rs->nruns; k++)
		if (add_run(rs, (flags & RUNSET_NEWEST) ?
		    rs->nruns - 1 - k : k) == -1)
			return -1;
	rs->cur = rs->head;
	return 0;
}

/* A set of nruns runs, none open yet. */
static struct runset *
alloc_set(size_t nruns)
{
	struct runset *rs;

	if ((rs = calloc(1, sizeof *rs)) == NULL ||
	    (rs->runs = calloc(nruns, sizeof *rs->runs)) == NULL ||
	    (rs->info = calloc(nruns, sizeof *rs->info)) == NULL) {
		runset_close(rs);
		return NULL;
	}
	rs->nruns = nruns;
	rs->head = NONE;
	return rs;
}

/* What the reports know of run k before its first row: it starts with
 * its first shard, or (a summary) the earliest. */
static void
run_info(struct runset *rs, size_t k)
{
	struct run *run = &rs->runs[k];
	const struct prun_metadata *md;
	size_t s;

	rs->info[k].dirs = run->dirs;
	rs->info[k].ndirs = run->ndirs;
	if (run->sum == NULL)
		return;
	md = rs->info[k].md = summary_metadata(run->sum, 0);
	rs->info[k].ntests = md->ntests;
	rs->info[k].time_start = md->time_start;
	for (s = 1; rs->stream && s < run->ndirs; s++)
		if (summary_metadata(run->sum, s)->time_start <
		    rs->info[k].time_start)
			rs->info[k].time_start =
			    summary_metadata(run->sum, s)->time_start;
	rs->info[k].time_end = rs->info[k].time_start;
}

/* Open the runs; see runset.h. */
struct runset *
runset_open(char *const *args, size_t nruns, int flags,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct runset *rs;
	size_t k;

	if ((rs = alloc_set(nruns)) == NULL)
		goto nomem;
	for (k = 0; k < nruns; k++) {
		if (run_open(rs, k, args[k], flags, warn, ctx, err) == -1)
			goto fail;
		run_info(rs, k);
	}
	if (index_runs(rs, flags) == -1)
		goto nomem;
	return rs;
nomem:
	prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "summary --compare");
fail:
	runset_close(rs);
	return NULL;
}

/* Open one run of shards, streamed; see runset.h. */
struct runset *
runset_open_shards(char *const *dirs, size_t ndirs,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct runset *rs;
	struct run *run;

	if ((rs = alloc_set(1)) == NULL ||
	    (rs->runs[0].dirs = calloc(ndirs + 1, sizeof *dirs)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "summary");
		goto fail;
	}
	run = &rs->runs[0];
	rs->stream = 1;
	for (run->ndirs = 0; run->ndirs < ndirs; run->ndirs++)
		if ((run->dirs[run->ndirs] = strdup(dirs[run->ndirs])) ==
		    NULL) {
			prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "summary");
			goto fail;
		}
	if (summary_open(&run->sum, run->dirs, run->ndirs, warn, ctx,
	    err) == -1)
		goto fail;
	run_info(rs, 0);
	return rs;
fail:
	runset_close(rs);
	return NULL;
}

/* The number of rows. */
size_t
runset_rows(const struct runset *rs)
{
	return rs->stream ? rs->info[0].ntests : rs->nnodes;
}

/* What is known of each run. */
const struct report_run *
runset_runs(const struct runset *rs, size_t *nruns)
{
	*nruns = rs->nruns;
	return rs->info;
}

/* The metadata of shard s of run k. */
const struct prun_metadata *
runset_shard(const struct runset *rs, size_t k, size_t s)
{
	if (k >= rs->nruns || rs->runs[k].sum == NULL)
		return NULL;
	return summary_metadata(rs->runs[k].sum, s);
}

/* Count run k's cell into what is known of it. */
static void
count_cell(struct runset *rs, size_t k, const struct prun_result *r)
{
	struct report_run *info = &rs->info[k];

	info->counts[r->status]++;
	if (r->time_end > info->time_end)
		info->time_end = r->time_end;
	if (rs->runs[k].sum != NULL)
		summary_trouble(rs->runs[k].sum, &info->duplicates,
		    &info->damaged);
}

/* Read run k's result of the test at plan index i. */
static const struct prun_result *
read_cell(struct runset *rs, size_t k, size_t i, struct prun_error *err)
{
	struct run *run = &rs->runs[k];

	if (run->sum == NULL)
		return &run->json[i];
	if (summary_read(run->sum, i, &run->cell, err) == -1)
		return NULL;
	run->has_cell = 1;
	return &run->cell;
}

/* Read the next row; see runset.h. */
int
runset_next(struct runset *rs, const struct prun_result **cells,
    struct prun_error *err)
{
	size_t k, node, i;
	int got;

	for (k = 0; k < rs->nruns; k++) {
		if (rs->runs[k].has_cell)
			result_free(&rs->runs[k].cell);
		rs->runs[k].has_cell = 0;
	}
	if (rs->stream) {
		if ((got = summary_next(rs->runs[0].sum, &rs->runs[0].cell,
		    err)) != 1)
			return got;
		rs->runs[0].has_cell = 1;
		cells[0] = &rs->runs[0].cell;
		count_cell(rs, 0, cells[0]);
		return 1;
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
		if ((cells[k] = read_cell(rs, k, i, err)) == NULL)
			return -1;
		count_cell(rs, k, cells[k]);
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
	size_t k, i;

	if (rs == NULL)
		return;
	for (k = 0; rs->runs != NULL && k < rs->nruns; k++) {
		run = &rs->runs[k];
		if (run->has_cell)
			result_free(&run->cell);
		summary_close(run->sum);
		for (i = 0; run->dirs != NULL && i < run->ndirs; i++)
			free(run->dirs[i]);
		free(run->dirs);
		for (i = 0; i < run->njson; i++)
			result_free(&run->json[i]);
		free(run->json);
	}
	nametab_free(&rs->tab);
	free(rs->runs);
	free(rs->info);
	free(rs->names);
	free(rs->next);
	free(rs->cells);
	free(rs);
}
