/*
 * shard: parsing --shard and choosing the tests of one shard.
 *
 * The schedulers number their parts differently: GitLab's CI_NODE_INDEX
 * counts from 1, a Kubernetes JOB_COMPLETION_INDEX from 0, and a Slurm
 * array task id from whatever the array starts at (--array=0-7, 1-8,
 * 0-14:2).  Everything is turned into K of N with K from 1 here, so the
 * rest of prun knows one numbering, the one of --shard K/N.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/shard.h"

static const char *const source_names[] = {
	[SHARD_GIVEN] = "given",
	[SHARD_GITLAB] = "gitlab",
	[SHARD_SLURM] = "slurm",
	[SHARD_KUBERNETES] = "kubernetes",
};

static const char no_shard[] = "--shard auto: no shard in the environment "
    "(looked for a Slurm job array: SLURM_ARRAY_TASK_ID, "
    "SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT; a Kubernetes Indexed "
    "Job: JOB_COMPLETION_INDEX with --shard auto/N; GitLab parallel: "
    "CI_NODE_INDEX, CI_NODE_TOTAL); give --shard K/N instead";

/* Parse a whole decimal number from lo to hi; -1 when s is not one. */
static int
number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* A usage error about an environment variable's value. */
static int
bad_var(struct prun_error *err, const char *var, const char *value,
    const char *why)
{
	return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto: %s='%s': "
	    "%s", var, value ? value : "", why);
}

/* Check that the total of auto/N, if given, agrees with the scheduler's. */
static int
same_total(unsigned given, unsigned found, const char *var,
    struct prun_error *err)
{
	if (given != 0 && given != found)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto/%u: "
		    "%s says there are %u shards", given, var, found);
	return 0;
}

/* A Slurm job array task: its place among the array's tasks. */
static int
from_slurm(struct prun_shard *sh, unsigned given, char *(*get)(const char *),
    struct prun_error *err)
{
	const char *id_s = get("SLURM_ARRAY_TASK_ID");
	const char *min_s = get("SLURM_ARRAY_TASK_MIN");
	const char *count_s = get("SLURM_ARRAY_TASK_COUNT");
	const char *step_s = get("SLURM_ARRAY_TASK_STEP");
	long id, min, count, step = 1;

	if (number(id_s, 0, 0x7fffffff, &id) == -1)
		return bad_var(err, "SLURM_ARRAY_TASK_ID", id_s,
		    "not a task id");
	if (number(min_s, 0, id, &min) == -1)
		return bad_var(err, "SLURM_ARRAY_TASK_MIN", min_s,
		    "not the smallest task id of the array");
	if (number(count_s, 1, SHARD_MAX, &count) == -1)
		return bad_var(err, "SLURM_ARRAY_TASK_COUNT", count_s,
		    "not a number of tasks");
	if (step_s != NULL && number(step_s, 1, 0x7fffffff, &step) == -1)
		return bad_var(err, "SLURM_ARRAY_TASK_STEP", step_s,
		    "not a step");
	/* A list like --array=1,4,9 has no step that maps ids to places. */
	if ((id - min) % step != 0 || (id - min) / step >= count)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto: "
		    "Slurm array task %ld is not in the range %ld, %ld+%ld, "
		    "... of %ld tasks: submit the array as a range "
		    "(--array=0-%ld) or give --shard K/N", id, min, min, step,
		    count, count - 1);
	sh->index = (unsigned)((id - min) / step) + 1;
	sh->total = (unsigned)count;
	sh->source = SHARD_SLURM;
	return same_total(given, sh->total, "SLURM_ARRAY_TASK_COUNT", err);
}

/* A pod of a Kubernetes Indexed Job: the index counts from 0. */
static int
from_kubernetes(struct prun_shard *sh, unsigned given,
    char *(*get)(const char *), struct prun_error *err)
{
	const char *idx_s = get("JOB_COMPLETION_INDEX");
	long idx;

	if (given == 0)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto: "
		    "JOB_COMPLETION_INDEX is set but Kubernetes does not tell "
		    "the number of shards: give it as --shard auto/N (the "
		    "Job's completions)");
	if (number(idx_s, 0, (long)given - 1, &idx) == -1)
		return bad_var(err, "JOB_COMPLETION_INDEX", idx_s,
		    "not an index from 0 to the number of shards - 1");
	sh->index = (unsigned)idx + 1;
	sh->total = given;
	sh->source = SHARD_KUBERNETES;
	return 0;
}

/* A GitLab job with parallel: N; one without it is the only shard. */
static int
from_gitlab(struct prun_shard *sh, unsigned given, char *(*get)(const char *),
    struct prun_error *err)
{
	const char *idx_s = get("CI_NODE_INDEX");
	const char *total_s = get("CI_NODE_TOTAL");
	long idx = 1, total;

	if (number(total_s, 1, SHARD_MAX, &total) == -1)
		return bad_var(err, "CI_NODE_TOTAL", total_s,
		    "not a number of parallel jobs");
	if (idx_s != NULL && number(idx_s, 1, total, &idx) == -1)
		return bad_var(err, "CI_NODE_INDEX", idx_s,
		    "not a job index from 1 to CI_NODE_TOTAL");
	if (idx_s == NULL && total != 1)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto: "
		    "CI_NODE_TOTAL is %ld but CI_NODE_INDEX is not set", total);
	sh->index = (unsigned)idx;
	sh->total = (unsigned)total;
	sh->source = SHARD_GITLAB;
	return same_total(given, sh->total, "CI_NODE_TOTAL", err);
}

/* Parse "K/N", "auto" or "auto/N". */
int
shard_parse(struct prun_shard *sh, const char *arg,
    char *(*get)(const char *), struct prun_error *err)
{
	const char *slash = strchr(arg, '/');
	char head[32];
	long k = 0, n = 0;

	memset(sh, 0, sizeof *sh);
	if (slash != NULL && number(slash + 1, 1, SHARD_MAX, &n) == -1)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard '%s': the "
		    "number of shards must be from 1 to %d", arg, SHARD_MAX);
	snprintf(head, sizeof head, "%.*s", slash ? (int)(slash - arg) :
	    (int)strlen(arg), arg);
	if (strcmp(head, "auto") == 0) {
		if (get("SLURM_ARRAY_TASK_ID") != NULL)
			return from_slurm(sh, (unsigned)n, get, err);
		if (get("JOB_COMPLETION_INDEX") != NULL)
			return from_kubernetes(sh, (unsigned)n, get, err);
		if (get("CI_NODE_TOTAL") != NULL ||
		    get("CI_NODE_INDEX") != NULL)
			return from_gitlab(sh, (unsigned)n, get, err);
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s", no_shard);
	}
	if (slash == NULL || number(head, 1, n, &k) == -1)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard '%s': "
		    "must be K/N with 1 <= K <= N (shard K of N), auto or "
		    "auto/N", arg);
	sh->index = (unsigned)k;
	sh->total = (unsigned)n;
	sh->source = SHARD_GIVEN;
	return 0;
}

/* Whether test index is in the shard: by the cut of time, or round-robin
 * over the plan. */
int
shard_member(const struct prun_shard *sh, size_t index)
{
	if (sh == NULL || sh->total <= 1)
		return 1;
	if (sh->owner != NULL)
		return sh->owner[index] == sh->index - 1;
	return index % sh->total == sh->index - 1;
}

/* The number of indices i < n with i mod N == K - 1. */
size_t
shard_size(const struct prun_shard *sh, size_t n)
{
	size_t i, size = 0;

	if (sh == NULL || sh->total <= 1)
		return n;
	if (sh->owner != NULL) {
		for (i = 0; i < n; i++)
			size += shard_member(sh, i);
		return size;
	}
	if (n < sh->index)
		return 0;
	return (n - sh->index) / sh->total + 1;
}

/* Keep the shard's tests of a todo list, in order. */
size_t
shard_select(const struct prun_shard *sh, struct run_todo *todo, size_t n)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++)
		if (shard_member(sh, todo[i].index))
			todo[kept++] = todo[i];
	return kept;
}

/* The name of a source, as metadata.json records it. */
const char *
shard_source_name(enum shard_source s)
{
	if ((unsigned)s >= sizeof source_names / sizeof source_names[0])
		return "given";
	return source_names[s];
}

/* A source back from its name. */
int
shard_source_parse(const char *name, enum shard_source *out)
{
	size_t i;

	for (i = 0; i < sizeof source_names / sizeof source_names[0]; i++) {
		if (strcmp(name, source_names[i]) == 0) {
			*out = (enum shard_source)i;
			return 0;
		}
	}
	return -1;
}
