/*
 * shard_env: parsing --shard, and finding K of N in the environment.
 *
 * The schedulers number their parts differently: GitLab's CI_NODE_INDEX
 * and lit's LIT_RUN_SHARD count from 1; Kubernetes, Bazel, Buildkite,
 * CircleCI and Nomad from 0; a Slurm array task id from whatever the
 * array starts at, in the array's steps (--array=0-7, 1-8, 1-7:2).
 * Everything is turned into K of N with K from 1 here, so the rest of
 * prun knows one numbering, the one of --shard K/N.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/shard_env.h"

/* A scheduler that gives its jobs an index and a total. */
struct scheduler {
	enum shard_source	 source;
	const char		*name;		/* for messages */
	const char		*index_var;	/* what says it is set */
	const char		*total_var;	/* NULL: given as auto/N */
	long			 base;		/* the first index, 0 or 1 */
};

/* prun(1), SHARDS, in its order: the first that counts decides. */
static const struct scheduler schedulers[] = {
	{ SHARD_SLURM, "the Slurm job array", "SLURM_ARRAY_TASK_ID",
	    "SLURM_ARRAY_TASK_COUNT", 0 },
	{ SHARD_KUBERNETES, "the Kubernetes Indexed Job",
	    "JOB_COMPLETION_INDEX", NULL, 0 },
	{ SHARD_GITLAB, "GitLab parallel:", "CI_NODE_INDEX", "CI_NODE_TOTAL",
	    1 },
	{ SHARD_BAZEL, "Bazel test sharding", "TEST_SHARD_INDEX",
	    "TEST_TOTAL_SHARDS", 0 },
	{ SHARD_BUILDKITE, "Buildkite parallelism", "BUILDKITE_PARALLEL_JOB",
	    "BUILDKITE_PARALLEL_JOB_COUNT", 0 },
	{ SHARD_CIRCLECI, "CircleCI parallelism", "CIRCLE_NODE_INDEX",
	    "CIRCLE_NODE_TOTAL", 0 },
	{ SHARD_NOMAD, "the Nomad job", "NOMAD_ALLOC_INDEX", NULL, 0 },
	{ SHARD_LIT, "LLVM lit", "LIT_RUN_SHARD", "LIT_NUM_SHARDS", 1 },
};

#define NSCHEDULERS	(sizeof schedulers / sizeof schedulers[0])

static const char no_shard[] = "--shard auto: no shard in the environment "
    "(looked for a Slurm job array: SLURM_ARRAY_TASK_ID, "
    "SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT; a Kubernetes Indexed "
    "Job: JOB_COMPLETION_INDEX with --shard auto/N; GitLab parallel: "
    "CI_NODE_INDEX, CI_NODE_TOTAL; Bazel: TEST_SHARD_INDEX, "
    "TEST_TOTAL_SHARDS; Buildkite: BUILDKITE_PARALLEL_JOB, "
    "BUILDKITE_PARALLEL_JOB_COUNT; CircleCI: CIRCLE_NODE_INDEX, "
    "CIRCLE_NODE_TOTAL; Nomad: NOMAD_ALLOC_INDEX with --shard auto/N; "
    "LLVM lit: LIT_RUN_SHARD, LIT_NUM_SHARDS); give --shard K/N instead";

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

/*
 * A Slurm job array task: its place among the array's tasks.  Slurm
 * gives the smallest and largest id, the count and the step; the ids are
 * min, min + step, ..., max only when min + (count - 1) * step is max.
 * A list such as --array=0,4,9 has no such step, and a task's place in
 * it cannot be known from its own variables.
 */
static int
from_slurm(struct prun_shard *sh, char *(*get)(const char *),
    struct prun_error *err)
{
	const char *id_s = get("SLURM_ARRAY_TASK_ID");
	const char *min_s = get("SLURM_ARRAY_TASK_MIN");
	const char *max_s = get("SLURM_ARRAY_TASK_MAX");
	const char *count_s = get("SLURM_ARRAY_TASK_COUNT");
	const char *step_s = get("SLURM_ARRAY_TASK_STEP");
	long id, min, max, count, step = 1;

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
	max = min + (count - 1) * step;
	if (max_s != NULL && number(max_s, id, 0x7fffffff, &max) == -1)
		return bad_var(err, "SLURM_ARRAY_TASK_MAX", max_s,
		    "not the largest task id of the array");
	if ((id - min) % step != 0 || id > max ||
	    min + (count - 1) * step != max)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto: "
		    "Slurm array task %ld: the array's %ld tasks from %ld to "
		    "%ld are not a range with step %ld, so the task's place "
		    "in it is unknown: submit the array as a range "
		    "(--array=0-%ld, or 1-7:2) or give --shard K/N", id, count,
		    min, max, step, count - 1);
	sh->index = (unsigned)((id - min) / step) + 1;
	sh->total = (unsigned)count;
	sh->source = SHARD_SLURM;
	return 0;
}

/* A scheduler that gives an index and a total (or only an index, whose
 * total the user gives as auto/N). */
static int
from_vars(const struct scheduler *s, struct prun_shard *sh, unsigned given,
    char *(*get)(const char *), struct prun_error *err)
{
	const char *idx_s = get(s->index_var);
	const char *total_s = s->total_var ? get(s->total_var) : NULL;
	char why[128];
	long idx = s->base, total = given;

	if (s->total_var == NULL && given == 0)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto: "
		    "%s is set but %s does not tell the number of shards: "
		    "give it as --shard auto/N", s->index_var, s->name);
	if (s->total_var != NULL &&
	    number(total_s, 1, SHARD_MAX, &total) == -1)
		return bad_var(err, s->total_var, total_s,
		    "not a number of shards");
	/* GitLab gives a job without parallel: only CI_NODE_TOTAL=1. */
	if (idx_s == NULL && total != 1)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto: "
		    "%s is %ld but %s is not set", s->total_var, total,
		    s->index_var);
	snprintf(why, sizeof why, "not an index from %ld to %ld, the number "
	    "of shards%s", s->base, total - 1 + s->base, s->base ? "" : " - 1");
	if (idx_s != NULL &&
	    number(idx_s, s->base, total - 1 + s->base, &idx) == -1)
		return bad_var(err, s->index_var, idx_s, why);
	sh->index = (unsigned)(idx - s->base) + 1;
	sh->total = (unsigned)total;
	sh->source = s->source;
	return 0;
}

/* Whether any of a scheduler's variables is set. */
static int
is_set(const struct scheduler *s, char *(*get)(const char *))
{
	return get(s->index_var) != NULL ||
	    (s->total_var != NULL && get(s->total_var) != NULL);
}

/* Bazel asks a runner that shards to touch TEST_SHARD_STATUS_FILE. */
static int
touch_bazel_status(char *(*get)(const char *), struct prun_error *err)
{
	const char *path = get("TEST_SHARD_STATUS_FILE");
	int fd;

	if (path == NULL || *path == '\0')
		return 0;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC,
	    0666)) == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "--shard auto: "
		    "TEST_SHARD_STATUS_FILE %s", path);
	close(fd);
	return 0;
}

/*
 * --shard auto: every scheduler whose variables are set is read.  One
 * that says 1 of 1 does not count beside another (GitLab and CircleCI
 * say so in every job without parallelism); of those that remain, the
 * first decides and any other must agree with it.
 */
static int
from_env(struct prun_shard *sh, unsigned given, char *(*get)(const char *),
    struct prun_error *err)
{
	const struct scheduler *s, *chosen = NULL, *counted = NULL;
	struct prun_shard found;
	size_t i;

	for (i = 0; i < NSCHEDULERS; i++) {
		s = &schedulers[i];
		memset(&found, 0, sizeof found);
		if (s->source == SHARD_SLURM) {
			if (get(s->index_var) == NULL)
				continue;
			if (from_slurm(&found, get, err) == -1)
				return -1;
		} else if (!is_set(s, get))
			continue;
		else if (from_vars(s, &found, given, get, err) == -1)
			return -1;
		if (s->source == SHARD_BAZEL &&
		    touch_bazel_status(get, err) == -1)
			return -1;
		if (chosen == NULL) {
			*sh = found;
			chosen = s;
		}
		if (found.total <= 1)
			continue;
		if (counted == NULL) {
			*sh = found;
			chosen = counted = s;
		} else if (found.index != sh->index ||
		    found.total != sh->total)
			return prun_error_set(err, PRUN_EXIT_USAGE, "--shard "
			    "auto: %s (%s) says shard %u of %u but %s (%s) "
			    "says %u of %u; give --shard K/N", counted->name,
			    counted->index_var, sh->index, sh->total, s->name,
			    s->index_var, found.index, found.total);
	}
	if (chosen == NULL)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s", no_shard);
	if (given != 0 && given != sh->total)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard auto/%u: "
		    "%s says there are %u shards", given, chosen->total_var ?
		    chosen->total_var : chosen->index_var, sh->total);
	return 0;
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
	if (strcmp(head, "auto") == 0)
		return from_env(sh, (unsigned)n, get, err);
	if (slash == NULL || number(head, 1, n, &k) == -1)
		return prun_error_set(err, PRUN_EXIT_USAGE, "--shard '%s': "
		    "must be K/N with 1 <= K <= N (shard K of N), auto or "
		    "auto/N", arg);
	sh->index = (unsigned)k;
	sh->total = (unsigned)n;
	sh->source = SHARD_GIVEN;
	return 0;
}
