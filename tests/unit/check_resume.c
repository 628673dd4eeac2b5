/*
 * check_resume: unit tests of the todo list of a run: a fresh run runs
 * every test once; a resume skips finished tests, retries incomplete ones
 * while attempts remain, retries interrupted ones without counting the
 * attempt, reruns tests whose fragment is damaged or foreign (with a
 * warning), and removes temporary files.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "fixture.h"
#include "exec/resume.h"
#include "unit.h"

/* A plan of n tests named t0, t1, ... */
static void
make_plan(struct prun_plan *plan, size_t n)
{
	char name[16];
	size_t i;

	plan_init(plan);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "t%zu", i);
		fixture_test(plan, name, "true");
	}
}

/* A fresh results directory in a new fixture directory. */
static void
make_store(struct prun_store **st)
{
	struct prun_error err;
	char *dir = fixture_dir(), *path = fixture_path(dir, "r");

	ck_assert_msg(store_create(st, path, BACKEND_JSON, 0,
	    &err) == 0, "%s", err.msg);
	free(path);
	free(dir);
}

/* Record test index of plan with status s, attempt and interrupted. */
static void
record(struct prun_store *st, const struct prun_plan *plan, size_t index,
    enum prun_status s, int attempt, int interrupted)
{
	struct prun_result r;
	struct prun_error err;

	memset(&r, 0, sizeof r);
	r.index = index;
	r.name = (*plan_test(plan, index)).name;
	r.status = s;
	r.attempt = attempt;
	r.interrupted = interrupted;
	r.has_returncode = s != PRUN_INCOMPLETE;
	ck_assert_msg(store_write_result(st, &r, &err) == 0, "%s", err.msg);
}

/* Write raw bytes as the fragment of index. */
static void
plant(struct prun_store *st, size_t index, const char *s)
{
	char name[32], *p;

	store_fragment_name(index, BACKEND_JSON, name, sizeof name);
	p = fixture_path(store_tests_path(st), name);
	fixture_write_str(p, s);
	free(p);
}

/* Scan st, expecting success. */
static void
scan(struct prun_store *st, const struct prun_plan *plan, int max_attempts,
    struct fixture_warnings *w, struct resume_state *rs)
{
	struct prun_error err;

	memset(&err, 0, sizeof err);
	ck_assert_msg(resume_scan(st, plan, max_attempts,
	    w ? fixture_warn : NULL, w, rs, &err) == 0, "%s", err.msg);
	ck_assert_msg(resume_wait(rs, &err) == 0, "%s", err.msg);
}

/* Assert that the todo entry i is (index, attempt). */
static void
assert_todo(const struct resume_state *rs, size_t i, size_t index,
    int attempt)
{
	ck_assert_uint_lt(i, rs->ntodo);
	ck_assert_uint_eq(rs->todo[i].index, index);
	ck_assert_int_eq(rs->todo[i].attempt, attempt);
}

/* A fresh run: every test, in order, first attempt. */
START_TEST(fresh)
{
	struct prun_plan plan;
	struct resume_state rs;
	struct prun_error err;
	size_t i, s;

	make_plan(&plan, 5);
	ck_assert_int_eq(resume_fresh(&plan, &rs, &err), 0);
	ck_assert_uint_eq(rs.ntodo, 5);
	for (i = 0; i < 5; i++)
		assert_todo(&rs, i, i, 1);
	for (s = 0; s < PRUN_NSTATUS; s++)
		ck_assert_uint_eq(rs.counts[s], 0);
	ck_assert_uint_eq(rs.finished + rs.exhausted + rs.damaged +
	    rs.cleaned, 0);
	resume_free(&rs);
	ck_assert_ptr_null(rs.todo);
	plan_free(&plan);

	plan_init(&plan);
	ck_assert_int_eq(resume_fresh(&plan, &rs, &err), 0);
	ck_assert_uint_eq(rs.ntodo, 0);
	resume_free(&rs);
}
END_TEST

/* A directory without fragments: everything runs, first attempt. */
START_TEST(scan_empty)
{
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;
	struct fixture_warnings w = { { NULL }, 0 };
	size_t i;

	make_plan(&plan, 3);
	make_store(&st);
	scan(st, &plan, 2, &w, &rs);
	ck_assert_uint_eq(rs.ntodo, 3);
	for (i = 0; i < 3; i++)
		assert_todo(&rs, i, i, 1);
	ck_assert_uint_eq(w.n, 0);
	resume_free(&rs);
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* Finished results are skipped and counted by status; the rest keeps
 * plan order. */
START_TEST(scan_finished)
{
	static const enum prun_status done[] = {
		PRUN_PASS, PRUN_FAIL, PRUN_SKIP, PRUN_CRASH, PRUN_TIMEOUT,
		PRUN_WARN, PRUN_NOTRUN, PRUN_PASS,
	};
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;
	size_t i;

	make_plan(&plan, 10);
	make_store(&st);
	/* Tests 1..8 finished, in another attempt for some; 0, 9 not. */
	for (i = 0; i < 8; i++)
		record(st, &plan, i + 1, done[i], i % 3 + 1, 0);
	scan(st, &plan, 2, NULL, &rs);
	ck_assert_uint_eq(rs.ntodo, 2);
	assert_todo(&rs, 0, 0, 1);
	assert_todo(&rs, 1, 9, 1);
	ck_assert_uint_eq(rs.finished, 8);
	ck_assert_uint_eq(rs.counts[PRUN_PASS], 2);
	ck_assert_uint_eq(rs.counts[PRUN_FAIL], 1);
	ck_assert_uint_eq(rs.counts[PRUN_SKIP], 1);
	ck_assert_uint_eq(rs.counts[PRUN_CRASH], 1);
	ck_assert_uint_eq(rs.counts[PRUN_TIMEOUT], 1);
	ck_assert_uint_eq(rs.counts[PRUN_WARN], 1);
	ck_assert_uint_eq(rs.counts[PRUN_NOTRUN], 1);
	ck_assert_uint_eq(rs.counts[PRUN_INCOMPLETE], 0);
	ck_assert_uint_eq(rs.exhausted + rs.damaged + rs.cleaned, 0);
	resume_free(&rs);
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* A start record is retried with the next attempt while attempts are
 * below max_attempts, else it stays incomplete (exhausted). */
START_TEST(scan_incomplete)
{
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;

	make_plan(&plan, 4);
	make_store(&st);
	record(st, &plan, 0, PRUN_INCOMPLETE, 1, 0);
	record(st, &plan, 1, PRUN_INCOMPLETE, 2, 0);
	record(st, &plan, 2, PRUN_INCOMPLETE, 3, 0);

	/* The default of 2: test 0 gets its second try; 1 and 2 are done. */
	scan(st, &plan, 2, NULL, &rs);
	ck_assert_uint_eq(rs.ntodo, 2);
	assert_todo(&rs, 0, 0, 2);
	assert_todo(&rs, 1, 3, 1);
	ck_assert_uint_eq(rs.exhausted, 2);
	ck_assert_uint_eq(rs.counts[PRUN_INCOMPLETE], 2);
	ck_assert_uint_eq(rs.finished, 0);
	resume_free(&rs);

	/* --no-retry: none is retried. */
	scan(st, &plan, 1, NULL, &rs);
	ck_assert_uint_eq(rs.ntodo, 1);
	assert_todo(&rs, 0, 3, 1);
	ck_assert_uint_eq(rs.exhausted, 3);
	resume_free(&rs);

	/* --max-attempts 3: tests 0 and 1 again. */
	scan(st, &plan, 3, NULL, &rs);
	ck_assert_uint_eq(rs.ntodo, 3);
	assert_todo(&rs, 0, 0, 2);
	assert_todo(&rs, 1, 1, 3);
	assert_todo(&rs, 2, 3, 1);
	ck_assert_uint_eq(rs.exhausted, 1);
	resume_free(&rs);
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* A test stopped by a signal to prun runs again with the same attempt,
 * even when that attempt is the last. */
START_TEST(scan_interrupted)
{
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;

	make_plan(&plan, 2);
	make_store(&st);
	record(st, &plan, 0, PRUN_INCOMPLETE, 1, 1);
	record(st, &plan, 1, PRUN_INCOMPLETE, 2, 1);
	scan(st, &plan, 2, NULL, &rs);
	ck_assert_uint_eq(rs.ntodo, 2);
	assert_todo(&rs, 0, 0, 1);
	assert_todo(&rs, 1, 1, 2);
	ck_assert_uint_eq(rs.exhausted, 0);
	ck_assert_uint_eq(rs.counts[PRUN_INCOMPLETE], 0);
	resume_free(&rs);
	scan(st, &plan, 1, NULL, &rs);
	ck_assert_uint_eq(rs.ntodo, 2);
	resume_free(&rs);
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* A fragment that does not parse is reported, and its test reruns from
 * its first attempt. */
START_TEST(scan_damaged)
{
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;
	struct fixture_warnings w = { { NULL }, 0 };
	char *p;

	make_plan(&plan, 3);
	make_store(&st);
	record(st, &plan, 0, PRUN_PASS, 1, 0);
	plant(st, 1, "{\"format\":\"prun-fragment\",\"vers");
	record(st, &plan, 2, PRUN_FAIL, 1, 0);
	scan(st, &plan, 2, &w, &rs);
	ck_assert_uint_eq(rs.ntodo, 1);
	assert_todo(&rs, 0, 1, 1);
	ck_assert_uint_eq(rs.damaged, 1);
	ck_assert_uint_eq(rs.finished, 2);
	ck_assert_uint_eq(w.n, 1);
	p = fixture_path(store_tests_path(st), "000001.json");
	ck_assert_msg(fixture_has(w.msg[0], p), "got: %s", w.msg[0]);
	free(p);
	fixture_warnings_free(&w);
	resume_free(&rs);

	/* Without a warn callback the scan still works. */
	scan(st, &plan, 2, NULL, &rs);
	ck_assert_uint_eq(rs.damaged, 1);
	resume_free(&rs);
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* A fragment of another test (a plan that changed, a file copied in) or
 * another index is reported and its test reruns. */
START_TEST(scan_foreign)
{
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;
	struct fixture_warnings w = { { NULL }, 0 };
	struct prun_result r;
	struct prun_error err;

	make_plan(&plan, 3);
	make_store(&st);
	memset(&r, 0, sizeof r);
	r.index = 0;
	r.name = "stranger";
	r.status = PRUN_PASS;
	r.attempt = 1;
	ck_assert_int_eq(store_write_result(st, &r, &err), 0);
	/* Index 2 holds a fragment that says index 1. */
	record(st, &plan, 1, PRUN_PASS, 1, 0);
	{
		char *from = fixture_path(store_tests_path(st), "000001.json");
		char *to = fixture_path(store_tests_path(st), "000002.json");

		ck_assert_int_eq(rename(from, to), 0);
		free(from);
		free(to);
	}
	scan(st, &plan, 2, &w, &rs);
	ck_assert_uint_eq(rs.ntodo, 3);
	assert_todo(&rs, 0, 0, 1);
	assert_todo(&rs, 1, 1, 1);
	assert_todo(&rs, 2, 2, 1);
	ck_assert_uint_eq(rs.damaged, 2);
	ck_assert_uint_eq(rs.finished, 0);
	ck_assert_uint_eq(w.n, 2);
	ck_assert_msg(fixture_has(w.msg[0], "000000.json") &&
	    fixture_has(w.msg[0], "another test than 't0'"), "got: %s",
	    w.msg[0]);
	ck_assert_msg(fixture_has(w.msg[1], "000002.json") &&
	    fixture_has(w.msg[1], "index 1"), "got: %s", w.msg[1]);
	fixture_warnings_free(&w);
	resume_free(&rs);
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* Temporary files are removed and counted; fragments stay. */
START_TEST(scan_cleans)
{
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;
	char *p;

	make_plan(&plan, 2);
	make_store(&st);
	record(st, &plan, 0, PRUN_PASS, 1, 0);
	p = fixture_path(store_tests_path(st), ".000001.json.tmp");
	fixture_write_str(p, "{\"half");
	free(p);
	p = fixture_path(store_tests_path(st), ".000000.json.tmp");
	fixture_write_str(p, "{\"half");
	free(p);
	scan(st, &plan, 2, NULL, &rs);
	ck_assert_uint_eq(rs.cleaned, 2);
	ck_assert_uint_eq(fixture_count(store_tests_path(st)), 1);
	ck_assert_uint_eq(rs.ntodo, 1);
	assert_todo(&rs, 0, 1, 1);
	ck_assert_uint_eq(rs.finished, 1);
	resume_free(&rs);
	scan(st, &plan, 2, NULL, &rs);
	ck_assert_uint_eq(rs.cleaned, 0);
	resume_free(&rs);
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* A stray temporary metadata.json goes; a file in tests/ that is no
 * fragment of the plan is named and left alone. */
START_TEST(scan_strays)
{
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;
	struct fixture_warnings w = { { NULL }, 0 };
	char *p;

	make_plan(&plan, 2);
	make_store(&st);
	record(st, &plan, 0, PRUN_PASS, 1, 0);
	p = fixture_path(store_path(st), ".metadata.json.tmp");
	fixture_write_str(p, "{\"half");
	free(p);
	p = fixture_path(store_tests_path(st), "notes.txt");
	fixture_write_str(p, "mine");
	free(p);
	plant(st, 7, "{}");
	scan(st, &plan, 2, &w, &rs);
	ck_assert_uint_eq(rs.cleaned, 1);
	ck_assert(!fixture_exists_in(store_path(st), ".metadata.json.tmp"));
	ck_assert(fixture_exists_in(store_tests_path(st), "notes.txt"));
	ck_assert_uint_eq(w.n, 2);
	ck_assert_msg(fixture_has(w.msg[0], "not a fragment") &&
	    fixture_has(w.msg[1], "not a fragment"), "got: %s", w.msg[0]);
	ck_assert_uint_eq(rs.damaged, 0);
	ck_assert_uint_eq(rs.ntodo, 1);
	assert_todo(&rs, 0, 1, 1);
	fixture_warnings_free(&w);
	resume_free(&rs);
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* The fragments are read beside the run: the scan gives the tests
 * without one at once; the feed hands over the rest, in plan order,
 * with the results found and the warnings; resume_end takes what the
 * run did not. */
START_TEST(scan_beside)
{
	struct prun_store *st;
	struct prun_plan plan;
	struct resume_state rs;
	struct fixture_warnings w = { { NULL }, 0 };
	const struct run_feed *feed;
	const struct run_todo *todo;
	struct prun_error err;
	struct pollfd pfd;
	size_t counts[PRUN_NSTATUS] = { 0 }, ntodo, left;
	int round;

	make_plan(&plan, 6);
	make_store(&st);
	record(st, &plan, 0, PRUN_PASS, 1, 0);
	record(st, &plan, 1, PRUN_INCOMPLETE, 1, 0);
	plant(st, 3, "{\"format\":\"prun-fragment\",\"vers");
	record(st, &plan, 4, PRUN_FAIL, 1, 0);
	for (round = 0; round < 2; round++) {
		ck_assert_msg(resume_scan(st, &plan, 2, fixture_warn, &w, &rs,
		    &err) == 0, "%s", err.msg);
		ck_assert_uint_eq(rs.ntodo, 2);
		assert_todo(&rs, 0, 2, 1);
		assert_todo(&rs, 1, 5, 1);
		ck_assert_uint_eq(rs.finished, 0);
		ck_assert_ptr_nonnull(feed = resume_feed(&rs, NULL, NULL));
		if (round == 1) {
			/* The run stopped before it took them. */
			ck_assert_int_eq(resume_end(&rs, 0, &left, &err), 0);
			ck_assert_uint_eq(left, 2);
		} else {
			pfd.fd = feed->fd;
			pfd.events = POLLIN;
			ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
			ck_assert_int_eq(feed->take(feed->ctx, &todo, &ntodo,
			    counts, &err), 1);
			ck_assert_uint_eq(ntodo, 2);
			ck_assert_uint_eq(todo[0].index, 1);
			ck_assert_int_eq(todo[0].attempt, 2);
			ck_assert_uint_eq(todo[1].index, 3);
			ck_assert_int_eq(todo[1].attempt, 1);
			ck_assert_uint_eq(counts[PRUN_PASS], 1);
			ck_assert_uint_eq(counts[PRUN_FAIL], 1);
			ck_assert_int_eq(resume_end(&rs, 0, &left, &err), 0);
			ck_assert_uint_eq(left, 0);
		}
		ck_assert_uint_eq(rs.finished, 2);
		ck_assert_uint_eq(rs.damaged, 1);
		ck_assert_uint_eq(rs.counts[PRUN_PASS], 1);
		ck_assert_uint_eq(rs.counts[PRUN_FAIL], 1);
		ck_assert_uint_eq(w.n, 1);
		ck_assert_msg(fixture_has(w.msg[0], "000003.json"), "got: %s",
		    w.msg[0]);
		fixture_warnings_free(&w);
		memset(&w, 0, sizeof w);
		resume_free(&rs);
	}
	store_close(st);
	plan_free(&plan);
}
END_TEST

/* The suite of resume tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("resume");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, fresh);
	tcase_add_test(tc, scan_empty);
	tcase_add_test(tc, scan_finished);
	tcase_add_test(tc, scan_incomplete);
	tcase_add_test(tc, scan_interrupted);
	tcase_add_test(tc, scan_damaged);
	tcase_add_test(tc, scan_foreign);
	tcase_add_test(tc, scan_cleans);
	tcase_add_test(tc, scan_strays);
	tcase_add_test(tc, scan_beside);
	suite_add_tcase(s, tc);
	return s;
}
