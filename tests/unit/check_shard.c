/*
 * check_shard: unit tests of the shard module (--shard K/N and auto from
 * the environment of GitLab, Slurm and Kubernetes; membership).
 *
 * The environment is a fake: shard_parse takes a getenv-like function, so
 * the tests never touch prun's own environment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/error.h"
#include "exec/run.h"
#include "plan/shard.h"
#include "plan/shard_env.h"
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

/* Parse arg in env, expecting success. */
static struct prun_shard
parse_ok(const char *arg, const char *const *env)
{
	struct prun_error err;
	struct prun_shard sh;

	memset(&err, 0, sizeof err);
	fake_env = env;
	ck_assert_msg(shard_parse(&sh, arg, fake_get, &err) == 0,
	    "%s: %s", arg, err.msg);
	return sh;
}

/* Parse arg in env, expecting a usage error; returns the message. */
static const char *
parse_fails(const char *arg, const char *const *env)
{
	static struct prun_error err;
	struct prun_shard sh;

	memset(&err, 0, sizeof err);
	fake_env = env;
	ck_assert_msg(shard_parse(&sh, arg, fake_get, &err) == -1,
	    "%s parsed", arg);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	return err.msg;
}

/* A value a row does not check. */
#define ANY	(-1)

/* The fake environments of the cases. */
static const char *const home[] = { "HOME=/root", NULL };
static const char *const gitlab[] = { "CI_NODE_INDEX=2", "CI_NODE_TOTAL=5",
    NULL };
static const char *const gitlab_single[] = { "CI_NODE_TOTAL=1", NULL };
static const char *const gitlab_bad_index[] = { "CI_NODE_INDEX=6",
    "CI_NODE_TOTAL=5", NULL };
static const char *const gitlab_no_index[] = { "CI_NODE_TOTAL=5", NULL };
static const char *const gitlab_no_total[] = { "CI_NODE_INDEX=1", NULL };
static const char *const slurm_from0[] = { "SLURM_ARRAY_TASK_ID=0",
    "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=3",
    "SLURM_ARRAY_TASK_COUNT=4", NULL };
static const char *const slurm_from1[] = { "SLURM_ARRAY_TASK_ID=4",
    "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=4", NULL };
static const char *const slurm_stepped[] = { "SLURM_ARRAY_TASK_ID=14",
    "SLURM_ARRAY_TASK_MIN=10", "SLURM_ARRAY_TASK_STEP=2",
    "SLURM_ARRAY_TASK_COUNT=3", NULL };
static const char *const slurm_off_step[] = { "SLURM_ARRAY_TASK_ID=13",
    "SLURM_ARRAY_TASK_MIN=10", "SLURM_ARRAY_TASK_STEP=2",
    "SLURM_ARRAY_TASK_COUNT=3", NULL };
static const char *const slurm_listed[] = { "SLURM_ARRAY_TASK_ID=9",
    "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=3", NULL };
static const char *const slurm_no_count[] = { "SLURM_ARRAY_TASK_ID=1",
    "SLURM_ARRAY_TASK_MIN=1", NULL };
/* Slurm inside a GitLab job with parallel: two shards that disagree. */
static const char *const slurm_in_gitlab[] = { "CI_NODE_INDEX=1",
    "CI_NODE_TOTAL=2", "SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN=0",
    "SLURM_ARRAY_TASK_COUNT=3", NULL };
static const char *const kube[] = { "JOB_COMPLETION_INDEX=0", NULL };
static const char *const kube_last[] = { "JOB_COMPLETION_INDEX=7", NULL };

/* --shard arg in env: the shard it gives (index, total, source; ANY: not
 * checked), or a usage error with msg in its message. */
#define OK(arg, env, index, total, source) \
	{ arg, env, 1, index, total, source, NULL }
#define BAD(arg, env, msg)	{ arg, env, 0, 0, 0, 0, msg }
static const struct {
	const char		*arg;
	const char *const	*env;
	int			 ok, index, total, source;
	const char		*msg;
} cases[] = {
	/* Given. */
	OK("1/3", NULL, 1, 3, SHARD_GIVEN),
	OK("3/3", NULL, 3, ANY, ANY),
	OK("1/1", NULL, ANY, 1, ANY),
	BAD("0/3", NULL, ""),
	BAD("4/3", NULL, ""),
	BAD("3", NULL, ""),
	BAD("1/0", NULL, ""),
	BAD("/3", NULL, ""),
	BAD("1/", NULL, ""),
	BAD("-1/3", NULL, ""),
	BAD("1/3x", NULL, ""),
	BAD("a/3", NULL, ""),
	BAD("1/99999999999", NULL, ""),
	BAD("", NULL, ""),
	/* Auto without a known environment: the message says what was
	 * looked for. */
	BAD("auto", home, "CI_NODE_INDEX"),
	BAD("auto", home, "SLURM_ARRAY_TASK_ID"),
	BAD("auto", home, "JOB_COMPLETION_INDEX"),
	BAD("auto/4", home, ""),
	BAD("automatic", home, ""),
	/* GitLab; a job without parallel: is the one and only shard. */
	OK("auto", gitlab, 2, 5, SHARD_GITLAB),
	OK("auto/5", gitlab, 2, ANY, ANY),
	BAD("auto/4", gitlab, "CI_NODE_TOTAL"),
	OK("auto", gitlab_single, 1, 1, ANY),
	BAD("auto", gitlab_bad_index, ""),
	BAD("auto", gitlab_no_index, ""),
	BAD("auto", gitlab_no_total, ""),
	/* Slurm job arrays. */
	OK("auto", slurm_from0, 1, 4, SHARD_SLURM),
	OK("auto", slurm_from1, 4, 4, ANY),
	OK("auto", slurm_stepped, 3, 3, ANY),
	BAD("auto", slurm_off_step, ""),
	BAD("auto", slurm_listed, "range"),
	BAD("auto", slurm_no_count, ""),
	BAD("auto/5", slurm_from1, ""),
	BAD("auto", slurm_in_gitlab, "GitLab parallel: (CI_NODE_INDEX)"),
	/* Kubernetes indexed jobs need the total. */
	OK("auto/8", kube, 1, 8, SHARD_KUBERNETES),
	OK("auto/8", kube_last, 8, ANY, ANY),
	BAD("auto", kube, "auto/N"),
	BAD("auto/7", kube_last, ""),
};

/* One row of cases (a loop test: _i is the row). */
START_TEST(parse)
{
	struct prun_shard sh;

	if (!cases[_i].ok) {
		ck_assert_ptr_nonnull(strstr(parse_fails(cases[_i].arg,
		    cases[_i].env), cases[_i].msg));
		return;
	}
	sh = parse_ok(cases[_i].arg, cases[_i].env);
	if (cases[_i].index != ANY)
		ck_assert_uint_eq(sh.index, (unsigned)cases[_i].index);
	if (cases[_i].total != ANY)
		ck_assert_uint_eq(sh.total, (unsigned)cases[_i].total);
	if (cases[_i].source != ANY)
		ck_assert_int_eq(sh.source, cases[_i].source);
}
END_TEST

/* Shards partition the plan and differ in size by at most one. */
START_TEST(partition)
{
	struct prun_shard sh = { 0 };
	size_t n, total, i, k, owners, count, min, max, sum;

	for (n = 0; n < 40; n++) {
		for (total = 1; total < 12; total++) {
			min = (size_t)-1;
			max = sum = 0;
			for (k = 1; k <= total; k++) {
				sh.index = (unsigned)k;
				sh.total = (unsigned)total;
				for (count = i = 0; i < n; i++)
					count += shard_member(&sh, i);
				ck_assert_uint_eq(count, shard_size(&sh, n));
				min = count < min ? count : min;
				max = count > max ? count : max;
				sum += count;
			}
			ck_assert_uint_eq(sum, n);
			ck_assert_uint_le(max - min, 1);
			for (i = 0; i < n; i++) {
				for (owners = 0, k = 1; k <= total; k++) {
					sh.index = (unsigned)k;
					owners += shard_member(&sh, i);
				}
				ck_assert_uint_eq(owners, 1);
			}
		}
	}
	/* Unsharded: everything. */
	memset(&sh, 0, sizeof sh);
	ck_assert_int_eq(shard_member(&sh, 12345), 1);
	ck_assert_uint_eq(shard_size(&sh, 7), 7);
	ck_assert_int_eq(shard_member(NULL, 3), 1);
}
END_TEST

START_TEST(select_todo)
{
	struct run_todo todo[10];
	struct prun_shard sh = { 2, 3, SHARD_GIVEN, NULL };
	size_t i, n;

	for (i = 0; i < 10; i++) {
		todo[i].index = i;
		todo[i].attempt = (int)i + 1;
	}
	n = shard_select(&sh, todo, 10);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(todo[0].index, 1);
	ck_assert_uint_eq(todo[1].index, 4);
	ck_assert_uint_eq(todo[2].index, 7);
	ck_assert_int_eq(todo[2].attempt, 8);
}
END_TEST

START_TEST(source_names)
{
	enum shard_source s;

	ck_assert_str_eq(shard_source_name(SHARD_SLURM), "slurm");
	ck_assert_int_eq(shard_source_parse("kubernetes", &s), 0);
	ck_assert_int_eq(s, SHARD_KUBERNETES);
	ck_assert_int_eq(shard_source_parse("jenkins", &s), -1);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("shard");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, source_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("membership");
	tcase_add_test(tc, partition);
	tcase_add_test(tc, select_todo);
	suite_add_tcase(s, tc);
	return s;
}
