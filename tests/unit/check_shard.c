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

START_TEST(given)
{
	struct prun_shard sh;

	sh = parse_ok("1/3", NULL);
	ck_assert_uint_eq(sh.index, 1);
	ck_assert_uint_eq(sh.total, 3);
	ck_assert_int_eq(sh.source, SHARD_GIVEN);
	sh = parse_ok("3/3", NULL);
	ck_assert_uint_eq(sh.index, 3);
	sh = parse_ok("1/1", NULL);
	ck_assert_uint_eq(sh.total, 1);
	parse_fails("0/3", NULL);
	parse_fails("4/3", NULL);
	parse_fails("3", NULL);
	parse_fails("1/0", NULL);
	parse_fails("/3", NULL);
	parse_fails("1/", NULL);
	parse_fails("-1/3", NULL);
	parse_fails("1/3x", NULL);
	parse_fails("a/3", NULL);
	parse_fails("1/99999999999", NULL);
	parse_fails("", NULL);
}
END_TEST

START_TEST(auto_nothing)
{
	static const char *const env[] = { "HOME=/root", NULL };
	const char *msg = parse_fails("auto", env);

	/* The message says what was looked for. */
	ck_assert_ptr_nonnull(strstr(msg, "CI_NODE_INDEX"));
	ck_assert_ptr_nonnull(strstr(msg, "SLURM_ARRAY_TASK_ID"));
	ck_assert_ptr_nonnull(strstr(msg, "JOB_COMPLETION_INDEX"));
	parse_fails("auto/4", env);
	parse_fails("automatic", env);
}
END_TEST

START_TEST(auto_gitlab)
{
	static const char *const env[] = { "CI_NODE_INDEX=2",
	    "CI_NODE_TOTAL=5", NULL };
	static const char *const single[] = { "CI_NODE_TOTAL=1", NULL };
	static const char *const bad_index[] = { "CI_NODE_INDEX=6",
	    "CI_NODE_TOTAL=5", NULL };
	static const char *const no_index[] = { "CI_NODE_TOTAL=5", NULL };
	static const char *const no_total[] = { "CI_NODE_INDEX=1", NULL };
	struct prun_shard sh;

	sh = parse_ok("auto", env);
	ck_assert_uint_eq(sh.index, 2);
	ck_assert_uint_eq(sh.total, 5);
	ck_assert_int_eq(sh.source, SHARD_GITLAB);
	sh = parse_ok("auto/5", env);
	ck_assert_uint_eq(sh.index, 2);
	ck_assert_ptr_nonnull(strstr(parse_fails("auto/4", env),
	    "CI_NODE_TOTAL"));
	/* A job without parallel: is the one and only shard. */
	sh = parse_ok("auto", single);
	ck_assert_uint_eq(sh.index, 1);
	ck_assert_uint_eq(sh.total, 1);
	parse_fails("auto", bad_index);
	parse_fails("auto", no_index);
	parse_fails("auto", no_total);
}
END_TEST

START_TEST(auto_slurm)
{
	static const char *const from0[] = { "SLURM_ARRAY_TASK_ID=0",
	    "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=3",
	    "SLURM_ARRAY_TASK_COUNT=4", NULL };
	static const char *const from1[] = { "SLURM_ARRAY_TASK_ID=4",
	    "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=4", NULL };
	static const char *const stepped[] = { "SLURM_ARRAY_TASK_ID=14",
	    "SLURM_ARRAY_TASK_MIN=10", "SLURM_ARRAY_TASK_STEP=2",
	    "SLURM_ARRAY_TASK_COUNT=3", NULL };
	static const char *const off_step[] = { "SLURM_ARRAY_TASK_ID=13",
	    "SLURM_ARRAY_TASK_MIN=10", "SLURM_ARRAY_TASK_STEP=2",
	    "SLURM_ARRAY_TASK_COUNT=3", NULL };
	static const char *const listed[] = { "SLURM_ARRAY_TASK_ID=9",
	    "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=3", NULL };
	static const char *const no_count[] = { "SLURM_ARRAY_TASK_ID=1",
	    "SLURM_ARRAY_TASK_MIN=1", NULL };
	/* Slurm inside a GitLab job: the array is the innermost. */
	static const char *const both[] = { "CI_NODE_INDEX=1",
	    "CI_NODE_TOTAL=2", "SLURM_ARRAY_TASK_ID=2",
	    "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_COUNT=3", NULL };
	struct prun_shard sh;

	sh = parse_ok("auto", from0);
	ck_assert_uint_eq(sh.index, 1);
	ck_assert_uint_eq(sh.total, 4);
	ck_assert_int_eq(sh.source, SHARD_SLURM);
	sh = parse_ok("auto", from1);
	ck_assert_uint_eq(sh.index, 4);
	ck_assert_uint_eq(sh.total, 4);
	sh = parse_ok("auto", stepped);
	ck_assert_uint_eq(sh.index, 3);
	ck_assert_uint_eq(sh.total, 3);
	parse_fails("auto", off_step);
	ck_assert_ptr_nonnull(strstr(parse_fails("auto", listed), "range"));
	parse_fails("auto", no_count);
	parse_fails("auto/5", from1);
	sh = parse_ok("auto", both);
	ck_assert_uint_eq(sh.index, 3);
	ck_assert_uint_eq(sh.total, 3);
	ck_assert_int_eq(sh.source, SHARD_SLURM);
}
END_TEST

START_TEST(auto_kubernetes)
{
	static const char *const env[] = { "JOB_COMPLETION_INDEX=0", NULL };
	static const char *const last[] = { "JOB_COMPLETION_INDEX=7", NULL };
	struct prun_shard sh;

	sh = parse_ok("auto/8", env);
	ck_assert_uint_eq(sh.index, 1);
	ck_assert_uint_eq(sh.total, 8);
	ck_assert_int_eq(sh.source, SHARD_KUBERNETES);
	sh = parse_ok("auto/8", last);
	ck_assert_uint_eq(sh.index, 8);
	ck_assert_ptr_nonnull(strstr(parse_fails("auto", env), "auto/N"));
	parse_fails("auto/7", last);
}
END_TEST

/* Shards partition the plan and differ in size by at most one. */
START_TEST(partition)
{
	struct prun_shard sh;
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
	struct prun_shard sh = { 2, 3, SHARD_GIVEN };
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
	tcase_add_test(tc, given);
	tcase_add_test(tc, auto_nothing);
	tcase_add_test(tc, auto_gitlab);
	tcase_add_test(tc, auto_slurm);
	tcase_add_test(tc, auto_kubernetes);
	tcase_add_test(tc, source_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("membership");
	tcase_add_test(tc, partition);
	tcase_add_test(tc, select_todo);
	suite_add_tcase(s, tc);
	return s;
}
