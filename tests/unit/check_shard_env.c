/*
 * check_shard_env: unit tests of --shard auto with the schedulers beyond
 * GitLab, Slurm and Kubernetes (check_shard has those): Bazel, Buildkite,
 * CircleCI, Nomad and LLVM lit; Slurm arrays with a step or a list of
 * ids; and two schedulers at once.
 *
 * The environment is a fake: shard_parse takes a getenv-like function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "core/error.h"
#include "plan/shard_env.h"
#include "fixture.h"
#include "unit.h"

/* The fake environment: "NAME=VALUE" strings, NULL-terminated. */
static const char *const *fake_env;

/* getenv over fake_env. */
static char *
fake_get(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; fake_env != NULL && fake_env[i] != NULL; i++)
		if (strncmp(fake_env[i], name, n) == 0 &&
		    fake_env[i][n] == '=')
			return (char *)fake_env[i] + n + 1;
	return NULL;
}

#define E(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* --shard arg in env: shard index of total from source, or (total 0) a
 * usage error whose message holds msg. */
static const struct {
	const char		*arg;
	const char *const	*env;
	unsigned		 index, total;
	enum shard_source	 source;
	const char		*msg;
} cases[] = {
	/* Bazel counts from 0. */
	{ "auto", E("TEST_SHARD_INDEX=0", "TEST_TOTAL_SHARDS=4"),
	    1, 4, SHARD_BAZEL, NULL },
	{ "auto", E("TEST_SHARD_INDEX=3", "TEST_TOTAL_SHARDS=4"),
	    4, 4, SHARD_BAZEL, NULL },
	{ "auto", E("TEST_SHARD_INDEX=4", "TEST_TOTAL_SHARDS=4"),
	    0, 0, 0, "TEST_SHARD_INDEX='4': not an index from 0 to 3" },
	{ "auto", E("TEST_SHARD_INDEX=1"),
	    0, 0, 0, "TEST_TOTAL_SHARDS=''" },
	/* Buildkite counts from 0. */
	{ "auto", E("BUILDKITE_PARALLEL_JOB=2",
	    "BUILDKITE_PARALLEL_JOB_COUNT=3"), 3, 3, SHARD_BUILDKITE, NULL },
	{ "auto/3", E("BUILDKITE_PARALLEL_JOB=0",
	    "BUILDKITE_PARALLEL_JOB_COUNT=3"), 1, 3, SHARD_BUILDKITE, NULL },
	{ "auto/2", E("BUILDKITE_PARALLEL_JOB=0",
	    "BUILDKITE_PARALLEL_JOB_COUNT=3"), 0, 0, 0,
	    "BUILDKITE_PARALLEL_JOB_COUNT says there are 3 shards" },
	/* CircleCI counts from 0; without parallelism it says 0 of 1. */
	{ "auto", E("CIRCLE_NODE_INDEX=1", "CIRCLE_NODE_TOTAL=2"),
	    2, 2, SHARD_CIRCLECI, NULL },
	{ "auto", E("CIRCLE_NODE_INDEX=0", "CIRCLE_NODE_TOTAL=1"),
	    1, 1, SHARD_CIRCLECI, NULL },
	{ "auto", E("CIRCLE_NODE_INDEX=x", "CIRCLE_NODE_TOTAL=2"),
	    0, 0, 0, "CIRCLE_NODE_INDEX='x'" },
	/* Nomad counts from 0 and does not tell the total. */
	{ "auto/5", E("NOMAD_ALLOC_INDEX=4"), 5, 5, SHARD_NOMAD, NULL },
	{ "auto", E("NOMAD_ALLOC_INDEX=4"), 0, 0, 0, "auto/N" },
	{ "auto/4", E("NOMAD_ALLOC_INDEX=4"), 0, 0, 0, "NOMAD_ALLOC_INDEX" },
	/* lit counts from 1. */
	{ "auto", E("LIT_RUN_SHARD=1", "LIT_NUM_SHARDS=3"),
	    1, 3, SHARD_LIT, NULL },
	{ "auto", E("LIT_RUN_SHARD=3", "LIT_NUM_SHARDS=3"),
	    3, 3, SHARD_LIT, NULL },
	{ "auto", E("LIT_RUN_SHARD=0", "LIT_NUM_SHARDS=3"),
	    0, 0, 0, "not an index from 1 to 3" },
	/* Slurm --array=1-7:2: ids 1 3 5 7 are shards 1 to 4 by place. */
	{ "auto", E("SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=1",
	    "SLURM_ARRAY_TASK_MAX=7", "SLURM_ARRAY_TASK_STEP=2",
	    "SLURM_ARRAY_TASK_COUNT=4"), 1, 4, SHARD_SLURM, NULL },
	{ "auto", E("SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_MIN=1",
	    "SLURM_ARRAY_TASK_MAX=7", "SLURM_ARRAY_TASK_STEP=2",
	    "SLURM_ARRAY_TASK_COUNT=4"), 3, 4, SHARD_SLURM, NULL },
	{ "auto", E("SLURM_ARRAY_TASK_ID=7", "SLURM_ARRAY_TASK_MIN=1",
	    "SLURM_ARRAY_TASK_MAX=7", "SLURM_ARRAY_TASK_STEP=2",
	    "SLURM_ARRAY_TASK_COUNT=4"), 4, 4, SHARD_SLURM, NULL },
	/* Slurm --array=0,4,9: even its first task has no known place. */
	{ "auto", E("SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=0",
	    "SLURM_ARRAY_TASK_MAX=9", "SLURM_ARRAY_TASK_STEP=1",
	    "SLURM_ARRAY_TASK_COUNT=3"), 0, 0, 0, "give --shard K/N" },
	{ "auto", E("SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=0",
	    "SLURM_ARRAY_TASK_MAX=9", "SLURM_ARRAY_TASK_COUNT=3"),
	    0, 0, 0, "give --shard K/N" },
	{ "auto", E("SLURM_ARRAY_TASK_ID=9", "SLURM_ARRAY_TASK_MIN=1",
	    "SLURM_ARRAY_TASK_COUNT=3"), 0, 0, 0, "give --shard K/N" },
	/* Two schedulers: 1 of 1 does not count, ... */
	{ "auto", E("CI_NODE_TOTAL=1", "CIRCLE_NODE_INDEX=2",
	    "CIRCLE_NODE_TOTAL=3"), 3, 3, SHARD_CIRCLECI, NULL },
	{ "auto", E("CI_NODE_TOTAL=1", "CIRCLE_NODE_INDEX=0",
	    "CIRCLE_NODE_TOTAL=1"), 1, 1, SHARD_GITLAB, NULL },
	{ "auto/6", E("CI_NODE_TOTAL=1", "NOMAD_ALLOC_INDEX=5"),
	    6, 6, SHARD_NOMAD, NULL },
	/* ... two that agree are the first of the man page's order, ... */
	{ "auto", E("CI_NODE_INDEX=2", "CI_NODE_TOTAL=3", "LIT_RUN_SHARD=2",
	    "LIT_NUM_SHARDS=3"), 2, 3, SHARD_GITLAB, NULL },
	{ "auto", E("BUILDKITE_PARALLEL_JOB=1",
	    "BUILDKITE_PARALLEL_JOB_COUNT=2", "CIRCLE_NODE_INDEX=1",
	    "CIRCLE_NODE_TOTAL=2"), 2, 2, SHARD_BUILDKITE, NULL },
	/* ... and two that disagree are an error naming both. */
	{ "auto", E("CI_NODE_INDEX=2", "CI_NODE_TOTAL=3",
	    "BUILDKITE_PARALLEL_JOB=0", "BUILDKITE_PARALLEL_JOB_COUNT=3"),
	    0, 0, 0, "GitLab parallel: (CI_NODE_INDEX) says shard 2 of 3 "
	    "but Buildkite parallelism (BUILDKITE_PARALLEL_JOB) says 1 of 3" },
	{ "auto", E("TEST_SHARD_INDEX=0", "TEST_TOTAL_SHARDS=2",
	    "LIT_RUN_SHARD=1", "LIT_NUM_SHARDS=3"),
	    0, 0, 0, "LIT_RUN_SHARD" },
	/* None: the message names every scheduler's variables. */
	{ "auto", E("HOME=/"), 0, 0, 0, "TEST_TOTAL_SHARDS" },
	{ "auto", E("HOME=/"), 0, 0, 0, "BUILDKITE_PARALLEL_JOB_COUNT" },
	{ "auto", E("HOME=/"), 0, 0, 0, "CIRCLE_NODE_TOTAL" },
	{ "auto", E("HOME=/"), 0, 0, 0, "NOMAD_ALLOC_INDEX" },
	{ "auto", E("HOME=/"), 0, 0, 0, "LIT_NUM_SHARDS" },
};

/* One row of cases (a loop test: _i is the row). */
START_TEST(parse)
{
	struct prun_error err;
	struct prun_shard sh;
	int rc;

	memset(&err, 0, sizeof err);
	fake_env = cases[_i].env;
	rc = shard_parse(&sh, cases[_i].arg, fake_get, &err);
	if (cases[_i].total == 0) {
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
		ck_assert_msg(strstr(err.msg, cases[_i].msg) != NULL,
		    "'%s' not in: %s", cases[_i].msg, err.msg);
		return;
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(sh.index, cases[_i].index);
	ck_assert_uint_eq(sh.total, cases[_i].total);
	ck_assert_int_eq(sh.source, cases[_i].source);
	ck_assert_str_eq(shard_source_name(sh.source),
	    shard_source_name(cases[_i].source));
}
END_TEST

/* Bazel's TEST_SHARD_STATUS_FILE is touched, and only with Bazel. */
START_TEST(bazel_status_file)
{
	char *dir = fixture_dir();
	char *path = fixture_path(dir, "shard-status");
	char *path_dir = fixture_path(dir, "no-such-dir/status");
	char var[4096], var_dir[4096];
	struct prun_error err;
	struct prun_shard sh;

	snprintf(var, sizeof var, "TEST_SHARD_STATUS_FILE=%s", path);
	snprintf(var_dir, sizeof var_dir, "TEST_SHARD_STATUS_FILE=%s",
	    path_dir);
	memset(&err, 0, sizeof err);
	unlink(path);
	fake_env = E(var, "CI_NODE_INDEX=1", "CI_NODE_TOTAL=2");
	ck_assert_int_eq(shard_parse(&sh, "auto", fake_get, &err), 0);
	ck_assert_int_eq(fixture_exists(path), 0);
	fake_env = E(var, "TEST_SHARD_INDEX=1", "TEST_TOTAL_SHARDS=2");
	ck_assert_int_eq(shard_parse(&sh, "auto", fake_get, &err), 0);
	ck_assert_int_eq(fixture_exists(path), 1);
	ck_assert_uint_eq(sh.index, 2);
	fake_env = E(var_dir, "TEST_SHARD_INDEX=1", "TEST_TOTAL_SHARDS=2");
	ck_assert_int_eq(shard_parse(&sh, "auto", fake_get, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, path_dir));
	free(path);
	free(path_dir);
	free(dir);
}
END_TEST

/* Every source has a name that reads back. */
START_TEST(source_names)
{
	enum shard_source s, back;

	for (s = SHARD_GIVEN; s <= SHARD_LIT; s++) {
		ck_assert_int_eq(shard_source_parse(shard_source_name(s),
		    &back), 0);
		ck_assert_int_eq(back, s);
	}
	ck_assert_str_eq(shard_source_name(SHARD_CIRCLECI), "circleci");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("shard_env");
	TCase *tc = tcase_create("auto");

	tcase_add_loop_test(tc, parse, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, bazel_status_file);
	tcase_add_test(tc, source_names);
	suite_add_tcase(s, tc);
	return s;
}
