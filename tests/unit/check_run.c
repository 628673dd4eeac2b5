/*
 * check_run: unit tests of the scheduler with real processes: each exit
 * gives its status (pass, fail, skip, crash, timeout, a command that cannot
 * be executed), output and reported subtests are recorded, an exclusive
 * test runs alone, the hooks see durable records, -j 1 and -j 2 give the
 * same results, failures are rerun when asked, tests are repeated when
 * asked (--repeat) and no test starts after the overall timeout.  Timeouts
 * are 0.2 s, so the whole program takes a few seconds; nothing asserts on
 * how long anything took.
 */
#include <sys/eventfd.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "fixture.h"
#include "exec/run.h"
#include "plan/plan_source.h"
#include "unit.h"

/* One run: its plan, options, store and what the hooks saw. */
struct trun {
	char			*dir;		/* the fixture directory */
	char			*results;	/* dir/r, absolute */
	struct prun_plan	 plan;
	struct prun_options	 opts;
	struct prun_store	*store;
	struct run_outcome	 out;
	size_t			 started, finished;
	int			 started_ok, finished_ok;
	char			 why[2048];	/* what a hook found wrong */
};

/* Change test i of plan: its cwd and env when not NULL, its timeout when
 * not 0, whether it is exclusive when not -1 (a new record: plan.h). */
static void
change_test(struct prun_plan *plan, size_t i, char *cwd, char **env,
    double timeout, int exclusive)
{
	struct prun_test t = *plan_test(plan, i);
	struct prun_error err;

	if (cwd != NULL)
		t.cwd = cwd;
	if (env != NULL)
		t.env = env;
	if (timeout != 0)
		t.timeout = timeout;
	if (exclusive != -1)
		t.exclusive = exclusive;
	ck_assert_msg(plan_replace(plan, i, &t, &err) == 0, "%s", err.msg);
}

/* A new run in a fresh directory, with fast timeouts. */
static void
trun_init(struct trun *t, int jobs)
{
	struct prun_error err;

	memset(t, 0, sizeof *t);
	t->dir = fixture_dir();
	t->results = fixture_path(t->dir, "r");
	plan_init(&t->plan);
	options_defaults(&t->opts);
	t->opts.jobs = jobs;
	t->opts.kill_after = 0.2;
	t->opts.max_output = 64 * 1024;
	t->opts.fsync = 0;
	ck_assert_msg(store_create(&t->store, t->results, BACKEND_JSON, 0,
	    &err) == 0, "%s", err.msg);
	t->started_ok = t->finished_ok = 1;
}

/* Close the store and free the run (main removes the files). */
static void
trun_free(struct trun *t)
{
	store_close(t->store);
	plan_free(&t->plan);
	free(t->results);
	free(t->dir);
}

/* started(): the start record is on disk, as an incomplete attempt;
 * the start log has its start number (what started() is given). */
static void
on_started(void *ctx, const struct prun_test *test, size_t index,
    int start)
{
	struct trun *t = ctx;
	const struct store_start *sp;
	struct prun_result r;
	struct prun_error err;

	t->started++;
	if (store_load_starts(t->store, t->plan.n, NULL, NULL, &err) == -1 ||
	    (sp = store_started(t->store, index)) == NULL ||
	    sp->start != start) {
		t->started_ok = 0;
		snprintf(t->why, sizeof t->why, "%s: no start %d in the log",
		    test->name, start);
		return;
	}
	switch (store_read_result(t->store, index, &r, &err)) {
	case 0:
		/* No fragment: the start log has it (store.c rule 3). */
		return;
	case -1:
		t->started_ok = 0;
		snprintf(t->why, sizeof t->why, "%s: no start record: %s",
		    test->name, err.msg);
		return;
	}
	if (r.status != PRUN_INCOMPLETE || r.attempt != sp->attempt ||
	    strcmp(r.name, test->name) != 0) {
		t->started_ok = 0;
		snprintf(t->why, sizeof t->why, "%s: start record says %s, "
		    "attempt %d", test->name, status_name(r.status), r.attempt);
	}
	result_free(&r);
}

/* finished(): the result reported is the one on disk. */
static void
on_finished(void *ctx, const struct prun_result *res, int durable)
{
	struct trun *t = ctx;
	struct prun_result r;
	struct prun_error err;

	(void)durable;
	t->finished++;
	if (store_read_result(t->store, res->index, &r, &err) != 1) {
		t->finished_ok = 0;
		snprintf(t->why, sizeof t->why, "%s: reported, not on disk",
		    res->name);
		return;
	}
	if (r.status != res->status || r.attempt != res->attempt ||
	    r.out_len != res->out_len || r.time_end == 0) {
		t->finished_ok = 0;
		snprintf(t->why, sizeof t->why, "%s: reported %s, disk says "
		    "%s", res->name, status_name(res->status),
		    status_name(r.status));
	}
	result_free(&r);
}

/* Run every test of the plan once; expects run_tests to return 0. */
static void
trun_run(struct trun *t)
{
	struct run_observer hooks = { .started = on_started,
	    .ended = on_finished, .ctx = t };
	struct run_todo *todo;
	struct prun_error err;
	char abs[PATH_MAX];
	size_t i;

	ck_assert_ptr_nonnull(todo = calloc(t->plan.n + 1, sizeof *todo));
	for (i = 0; i < t->plan.n; i++) {
		todo[i].index = i;
		todo[i].attempt = 1;
		todo[i].start = 1;
	}
	ck_assert_ptr_nonnull(realpath(t->results, abs));
	memset(&err, 0, sizeof err);
	ck_assert_msg(run_tests(&t->plan, &t->opts, t->store, abs, todo,
	    t->plan.n, NULL, &hooks, &t->out, &err) == 0, "%s", err.msg);
	free(todo);
	ck_assert_msg(t->started_ok, "%s", t->why);
	ck_assert_msg(t->finished_ok, "%s", t->why);
}

/* The recorded result of test index (must exist). */
static void
result_of(struct trun *t, size_t index, struct prun_result *r)
{
	struct prun_error err;

	ck_assert_msg(store_read_result(t->store, index, r, &err) == 1,
	    "test %zu: no result: %s", index, err.msg);
}

/* Assert the status (and return code) of test index. */
static void
assert_status(struct trun *t, size_t index, enum prun_status s, int has_rc,
    int rc)
{
	struct prun_result r;

	result_of(t, index, &r);
	ck_assert_msg(r.status == s, "%s: %s, not %s (err: %s)", r.name,
	    status_name(r.status), status_name(s), r.err);
	ck_assert_int_eq(r.has_returncode, has_rc);
	if (has_rc)
		ck_assert_int_eq(r.returncode, rc);
	ck_assert_int_eq(r.attempt, 1);
	ck_assert_int_eq(r.interrupted, 0);
	ck_assert(r.time_end >= r.time_start);
	result_free(&r);
}

/* The plan of exits, run with jobs; checks every status. */
static void
exits(int jobs)
{
	struct trun t;

	trun_init(&t, jobs);
	fixture_test(&t.plan, "true", "/bin/true");
	fixture_test(&t.plan, "exit3", "exit 3");
	fixture_test(&t.plan, "exit77", "exit 77");
	fixture_test(&t.plan, "segv", "kill -SEGV $$");
	fixture_test(&t.plan, "slow", "sleep 10");
	change_test(&t.plan, 4, NULL, NULL, 0.2, -1);
	fixture_test(&t.plan, "nothere", "/nonexistent/program --flag");
	fixture_test(&t.plan, "false", "false");
	trun_run(&t);

	assert_status(&t, 0, PRUN_PASS, 1, 0);
	assert_status(&t, 1, PRUN_FAIL, 1, 3);
	assert_status(&t, 2, PRUN_SKIP, 1, 77);
	assert_status(&t, 3, PRUN_CRASH, 1, -SIGSEGV);
	assert_status(&t, 4, PRUN_TIMEOUT, 1, -SIGTERM);
	assert_status(&t, 5, PRUN_FAIL, 0, 0);
	assert_status(&t, 6, PRUN_FAIL, 1, 1);
	ck_assert_uint_eq(t.out.counts[PRUN_PASS], 1);
	ck_assert_uint_eq(t.out.counts[PRUN_FAIL], 3);
	ck_assert_uint_eq(t.out.counts[PRUN_SKIP], 1);
	ck_assert_uint_eq(t.out.counts[PRUN_CRASH], 1);
	ck_assert_uint_eq(t.out.counts[PRUN_TIMEOUT], 1);
	ck_assert_uint_eq(t.out.counts[PRUN_INCOMPLETE], 0);
	ck_assert_int_eq(t.out.signal, 0);
	/* Every test was started once and reported once. */
	ck_assert_uint_eq(t.started, 6);
	ck_assert_uint_eq(t.finished, 7);
	trun_free(&t);
}

START_TEST(exits_jobs1)
{
	exits(1);
}
END_TEST

START_TEST(exits_jobs2)
{
	exits(2);
}
END_TEST

/* A command that cannot be executed fails with the reason in err; so
 * does a working directory that does not exist. */
START_TEST(exec_failure)
{
	static char nocwd[] = "/nonexistent/dir";
	struct prun_result r;
	struct trun t;

	trun_init(&t, 2);
	fixture_test(&t.plan, "nothere", "/nonexistent/program");
	fixture_test(&t.plan, "nocwd", "true");
	change_test(&t.plan, 1, nocwd, NULL, 0, -1);
	fixture_test(&t.plan, "notexec", "/etc/passwd");
	trun_run(&t);
	result_of(&t, 0, &r);
	ck_assert_int_eq(r.status, PRUN_FAIL);
	ck_assert_msg(fixture_has(r.err, "cannot execute "
	    "/nonexistent/program") && fixture_has(r.err, strerror(ENOENT)),
	    "err: %s", r.err);
	ck_assert_uint_eq(r.out_len, 0);
	ck_assert_str_eq(r.command, "/nonexistent/program");
	result_free(&r);
	result_of(&t, 1, &r);
	ck_assert_int_eq(r.status, PRUN_FAIL);
	ck_assert_msg(fixture_has(r.err, "/nonexistent/dir"), "err: %s",
	    r.err);
	result_free(&r);
	result_of(&t, 2, &r);
	ck_assert_int_eq(r.status, PRUN_FAIL);
	ck_assert_msg(fixture_has(r.err, strerror(EACCES)), "err: %s", r.err);
	result_free(&r);
	trun_free(&t);
}
END_TEST

/* stdout and stderr are captured apart, a big output is cut to the cap
 * with a note, and the environment and cwd are the test's. */
START_TEST(output_captured)
{
	static char foo[] = "FOO=bar baz", root[] = "/";
	static char *env[] = { foo, NULL };
	struct prun_result r;
	struct trun t;
	char *sh;

	trun_init(&t, 2);
	fixture_test(&t.plan, "io/streams",
	    "printf 'out1\\nout2\\n'; printf 'err1\\n' >&2; exit 0");
	/* 300 KB on each stream, more than the 64 KB cap. */
	fixture_test(&t.plan, "io/big", "head -c 300000 /dev/zero | tr '\\0' "
	    "x; head -c 300000 /dev/zero | tr '\\0' y >&2");
	ck_assert_int_ne(asprintf(&sh, "test \"$PRUN_TEST_NAME\" = io/env && "
	    "test \"$PRUN_RESULTS_DIR\" = \"$(cd %s && pwd -P)\" && "
	    "test \"$FOO\" = 'bar baz' && pwd -P", t.results), -1);
	fixture_test(&t.plan, "io/env", sh);
	free(sh);
	change_test(&t.plan, 2, root, env, 0, -1);
	trun_run(&t);

	result_of(&t, 0, &r);
	ck_assert_int_eq(r.status, PRUN_PASS);
	ck_assert_str_eq(r.out, "out1\nout2\n");
	ck_assert_str_eq(r.err, "err1\n");
	ck_assert_int_gt(r.pid, 0);
	result_free(&r);

	result_of(&t, 1, &r);
	ck_assert_msg(r.status == PRUN_PASS, "err: %.300s", r.err);
	ck_assert_uint_le(r.out_len, 64 * 1024 + 100);
	ck_assert_uint_ge(r.out_len, 64 * 1024);
	ck_assert_msg(fixture_has(r.out, "bytes dropped]"), "no note");
	ck_assert_int_eq(r.out[0], 'x');
	ck_assert_int_eq(r.out[r.out_len - 1], 'x');
	ck_assert_int_eq(r.err[0], 'y');
	ck_assert_uint_le(r.err_len, 64 * 1024 + 100);
	result_free(&r);

	result_of(&t, 2, &r);
	ck_assert_msg(r.status == PRUN_PASS, "env test: %s", r.err);
	ck_assert_str_eq(r.out, "/\n");
	result_free(&r);
	trun_free(&t);
}
END_TEST

/* PIGLIT: and TAP reports give the status and the subtests. */
START_TEST(reported_subtests)
{
	struct prun_result r;
	struct trun t;
	size_t i;

	trun_init(&t, 2);
	fixture_test(&t.plan, "piglit/subs",
	    "echo 'PIGLIT: {\"subtest\": {\"a\": \"pass\"}}'; "
	    "echo 'PIGLIT: {\"subtest\": {\"b\": \"fail\"}}'; exit 0");
	fixture_test(&t.plan, "piglit/skip",
	    "echo 'PIGLIT: {\"result\": \"skip\"}'");
	fixture_test(&t.plan, "tap/ok", "printf '1..2\\nok 1 one\\nok 2 two\\n'");
	fixture_test(&t.plan, "tap/crash",
	    "printf '1..1\\nok 1 one\\n'; kill -ABRT $$");
	trun_run(&t);

	result_of(&t, 0, &r);
	ck_assert_int_eq(r.status, PRUN_FAIL);
	ck_assert_uint_eq(r.nsubtests, 2);
	for (i = 0; i < r.nsubtests; i++) {
		if (strcmp(r.subtests[i].name, "a") == 0)
			ck_assert_int_eq(r.subtests[i].status, PRUN_PASS);
		else {
			ck_assert_str_eq(r.subtests[i].name, "b");
			ck_assert_int_eq(r.subtests[i].status, PRUN_FAIL);
		}
	}
	result_free(&r);
	assert_status(&t, 1, PRUN_SKIP, 1, 0);
	result_of(&t, 2, &r);
	ck_assert_int_eq(r.status, PRUN_PASS);
	ck_assert_uint_eq(r.nsubtests, 2);
	result_free(&r);
	assert_status(&t, 3, PRUN_CRASH, 1, -SIGABRT);
	trun_free(&t);
}
END_TEST

/* A test that ignores SIGTERM is killed --kill-after later: timeout, with
 * a note in err. */
START_TEST(timeout_kill_after)
{
	struct prun_result r;
	struct trun t;

	trun_init(&t, 1);
	fixture_test(&t.plan, "stubborn", "trap '' TERM; sleep 10");
	t.opts.timeout = 0.2;
	trun_run(&t);
	result_of(&t, 0, &r);
	ck_assert_int_eq(r.status, PRUN_TIMEOUT);
	ck_assert_int_eq(r.returncode, -SIGKILL);
	ck_assert_msg(fixture_has(r.err, "timeout of 0.2 s"), "err: %s",
	    r.err);
	result_free(&r);
	trun_free(&t);
}
END_TEST

/* A log line for the exclusive test: "start NAME" and "end NAME" appended
 * to dir/log (O_APPEND: one write each, never torn). */
static void
logged_test(struct trun *t, const char *name, int exclusive)
{
	char *sh, *log = fixture_path(t->dir, "log");

	ck_assert_int_ne(asprintf(&sh, "echo start %s >> %s; sleep 0.1; "
	    "echo end %s >> %s", name, log, name, log), -1);
	fixture_test(&t->plan, name, sh);
	change_test(&t->plan, t->plan.n - 1, NULL, NULL, 0, exclusive);
	free(sh);
	free(log);
}

/* How many tests run at each line of the log, checked: the exclusive
 * test X starts when none runs and none starts until it ends.  Returns
 * the largest number that ran at once. */
static int
check_log(struct trun *t)
{
	char *log = fixture_path(t->dir, "log"), *text, *line, *save;
	int running = 0, most = 0, in_x = 0, lines = 0;

	ck_assert_ptr_nonnull(text = fixture_read(log, NULL));
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		lines++;
		if (strncmp(line, "start ", 6) == 0) {
			ck_assert_msg(!in_x, "%s while X ran", line);
			if (strcmp(line + 6, "X") == 0) {
				ck_assert_msg(running == 0, "X started while "
				    "%d ran", running);
				in_x = 1;
			}
			if (++running > most)
				most = running;
		} else {
			running--;
			if (strcmp(line + 4, "X") == 0)
				in_x = 0;
		}
	}
	ck_assert_int_eq(lines, 2 * (int)t->plan.n);
	ck_assert_int_eq(running, 0);
	free(text);
	free(log);
	return most;
}

/* An exclusive test runs alone; with -j 2 the others may share. */
START_TEST(exclusive_alone)
{
	struct trun t;
	size_t i;

	trun_init(&t, 2);
	logged_test(&t, "A", 0);
	logged_test(&t, "B", 0);
	logged_test(&t, "C", 0);
	logged_test(&t, "X", 1);
	logged_test(&t, "D", 0);
	logged_test(&t, "E", 0);
	trun_run(&t);
	for (i = 0; i < t.plan.n; i++)
		assert_status(&t, i, PRUN_PASS, 1, 0);
	ck_assert_int_le(check_log(&t), 2);
	trun_free(&t);
}
END_TEST

/* -j 1 runs one at a time. */
START_TEST(jobs1_one_at_a_time)
{
	struct trun t;

	trun_init(&t, 1);
	logged_test(&t, "A", 0);
	logged_test(&t, "B", 0);
	logged_test(&t, "C", 0);
	trun_run(&t);
	ck_assert_int_eq(check_log(&t), 1);
	trun_free(&t);
}
END_TEST

/* -j 2 runs two at once: each test waits (up to 20 s) for the other to
 * start, so they pass only when they overlap. */
START_TEST(jobs2_together)
{
	struct trun t;
	char *sh;

	trun_init(&t, 2);
	ck_assert_int_ne(asprintf(&sh, "cd %s && touch a && i=0 && "
	    "while [ ! -e b ] && [ $i -lt 2000 ]; do sleep 0.01; "
	    "i=$((i+1)); done; test -e b", t.dir), -1);
	fixture_test(&t.plan, "a", sh);
	free(sh);
	ck_assert_int_ne(asprintf(&sh, "cd %s && touch b && i=0 && "
	    "while [ ! -e a ] && [ $i -lt 2000 ]; do sleep 0.01; "
	    "i=$((i+1)); done; test -e a", t.dir), -1);
	fixture_test(&t.plan, "b", sh);
	free(sh);
	trun_run(&t);
	assert_status(&t, 0, PRUN_PASS, 1, 0);
	assert_status(&t, 1, PRUN_PASS, 1, 0);
	trun_free(&t);
}
END_TEST

/* A SIGTERM to prun stops the run: the running test is recorded as an
 * interrupted start record (not reported), later tests never start. */
START_TEST(interrupted)
{
	struct prun_result r;
	struct trun t;

	trun_init(&t, 1);
	fixture_test(&t.plan, "first", "true");
	fixture_test(&t.plan, "killer", "kill -TERM $PPID; sleep 10");
	fixture_test(&t.plan, "never", "true");
	trun_run(&t);
	ck_assert_int_eq(t.out.signal, SIGTERM);
	assert_status(&t, 0, PRUN_PASS, 1, 0);
	result_of(&t, 1, &r);
	ck_assert_int_eq(r.status, PRUN_INCOMPLETE);
	ck_assert_int_eq(r.interrupted, 1);
	ck_assert_int_eq(r.attempt, 1);
	result_free(&r);
	ck_assert_int_eq(store_read_result(t.store, 2, &r, NULL), 0);
	ck_assert_uint_eq(t.out.counts[PRUN_PASS], 1);
	ck_assert_uint_eq(t.out.counts[PRUN_INCOMPLETE], 0);
	ck_assert_uint_eq(t.finished, 1);
	ck_assert_uint_eq(t.started, 2);
	trun_free(&t);
}
END_TEST

/* The attempt number of the todo list is recorded. */
START_TEST(attempt_recorded)
{
	struct run_observer hooks = { 0 };
	struct run_todo todo[] = { { 1, 3 } };
	struct prun_result r;
	struct prun_error err;
	struct trun t;
	char abs[PATH_MAX];

	trun_init(&t, 1);
	fixture_test(&t.plan, "skipped", "false");
	fixture_test(&t.plan, "third", "true");
	ck_assert_ptr_nonnull(realpath(t.results, abs));
	ck_assert_msg(run_tests(&t.plan, &t.opts, t.store, abs, todo, 1, NULL,
	    &hooks, &t.out, &err) == 0, "%s", err.msg);
	result_of(&t, 1, &r);
	ck_assert_int_eq(r.status, PRUN_PASS);
	ck_assert_int_eq(r.attempt, 3);
	result_free(&r);
	ck_assert_int_eq(store_read_result(t.store, 0, &r, NULL), 0);
	trun_free(&t);
}
END_TEST

/* A feed whose tests are ready a while after the run began. */
struct late_feed {
	int		 fd;
	volatile int	 ready;
	int		 takes;		/* calls of take */
	struct run_todo	 todo[2];
	size_t		 order[8], nstarted;
	size_t		 recorded[PRUN_NSTATUS];
	int		 nrecorded;
};

static void *
late_feed_main(void *arg)
{
	struct late_feed *f = arg;
	uint64_t one = 1;

	usleep(300 * 1000);
	f->ready = 1;
	ck_assert_int_eq(write(f->fd, &one, sizeof one), sizeof one);
	return NULL;
}

static int
late_feed_take(void *ctx, const struct run_todo **todo, size_t *ntodo,
    size_t *counts, struct prun_error *err)
{
	struct late_feed *f = ctx;

	(void)err;
	f->takes++;
	if (!f->ready)
		return 0;
	*todo = f->todo;
	*ntodo = 2;
	counts[PRUN_PASS] = 5;
	counts[PRUN_FAIL] = 1;
	return 1;
}

static void
late_feed_started(void *ctx, const struct prun_test *test, size_t index,
    int start)
{
	struct late_feed *f = ctx;

	(void)test;
	(void)start;
	if (f->nstarted < 8)
		f->order[f->nstarted++] = index;
}

static void
late_feed_recorded(void *ctx, const size_t *counts)
{
	struct late_feed *f = ctx;
	size_t i;

	f->nrecorded++;
	for (i = 0; i < PRUN_NSTATUS; i++)
		f->recorded[i] += counts[i];
}

/* A feed's tests run after the list's, once it is ready: the loop waits
 * for it (also with nothing of its own to run), takes it once, and the
 * observers are told of the results it found. */
START_TEST(feed_after_list)
{
	struct late_feed f;
	struct run_feed feed = { -1, late_feed_take, &f };
	struct run_observer hooks = { .started = late_feed_started,
	    .recorded = late_feed_recorded, .ctx = &f };
	struct run_todo todo[] = { { 0, 1, 1 }, { 1, 1, 1 } };
	struct prun_result r;
	struct prun_error err;
	struct trun t;
	pthread_t th;
	sigset_t all, old;
	char abs[PATH_MAX];
	size_t i, ntodo;

	for (ntodo = 0; ntodo <= 2; ntodo += 2) {
		memset(&f, 0, sizeof f);
		f.todo[0] = (struct run_todo){ 3, 1, 1 };
		f.todo[1] = (struct run_todo){ 2, 2, 2 };
		ck_assert_int_ne(f.fd = eventfd(0, EFD_CLOEXEC), -1);
		feed.fd = f.fd;
		/* One at a time: started is told in the order of starts. */
		trun_init(&t, 1);
		for (i = 0; i < 4; i++) {
			char name[8];

			snprintf(name, sizeof name, "t%zu", i);
			fixture_test(&t.plan, name, "true");
		}
		ck_assert_ptr_nonnull(realpath(t.results, abs));
		/* Signals blocked in the thread, as main does before any
		 * (signals.c rule 1): a SIGCHLD it took would be lost to the
		 * run's signalfd. */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		ck_assert_int_eq(pthread_create(&th, NULL, late_feed_main,
		    &f), 0);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		ck_assert_msg(run_tests(&t.plan, &t.opts, t.store, abs, todo,
		    ntodo, &feed, &hooks, &t.out, &err) == 0, "%s",
		    err.msg);
		pthread_join(th, NULL);
		ck_assert_uint_eq(f.nstarted, ntodo + 2);
		for (i = 0; i < ntodo; i++)
			ck_assert_uint_eq(f.order[i], i);
		ck_assert_uint_eq(f.order[ntodo], 3);
		ck_assert_uint_eq(f.order[ntodo + 1], 2);
		/* Waited in poll, not in a loop of takes. */
		ck_assert_int_lt(f.takes, 20);
		ck_assert_int_eq(f.nrecorded, 1);
		ck_assert_uint_eq(f.recorded[PRUN_PASS], 5);
		ck_assert_uint_eq(f.recorded[PRUN_FAIL], 1);
		ck_assert_uint_eq(t.out.counts[PRUN_PASS], ntodo + 2);
		result_of(&t, 2, &r);
		ck_assert_int_eq(r.status, PRUN_PASS);
		ck_assert_int_eq(r.attempt, 2);
		result_free(&r);
		close(f.fd);
		trun_free(&t);
	}
}
END_TEST

/* --rerun-failures: a failure is run again until it passes, at most N
 * more times; every try is kept; a test that passes on a rerun is flaky;
 * a command that cannot be executed is not rerun. */
START_TEST(reruns)
{
	struct prun_result r;
	struct trun t;
	char *sh, *count = NULL;

	trun_init(&t, 2);
	t.opts.rerun_failures = 2;
	count = fixture_path(t.dir, "count");
	ck_assert_int_ne(asprintf(&sh, "n=$(cat %s 2>/dev/null || echo 0); "
	    "echo $((n+1)) > %s; echo try $n; [ $n -ge 1 ]", count, count),
	    -1);
	fixture_test(&t.plan, "flaky", sh);
	free(sh);
	fixture_test(&t.plan, "never", "echo no; exit 4");
	fixture_test(&t.plan, "segv", "kill -SEGV $$");
	fixture_test(&t.plan, "pass", "true");
	fixture_test(&t.plan, "nothere", "/nonexistent/program");
	trun_run(&t);

	result_of(&t, 0, &r);
	ck_assert_int_eq(r.status, PRUN_PASS);
	ck_assert_int_eq(r.flaky, 1);
	ck_assert_uint_eq(r.ntries, 1);
	ck_assert_int_eq(r.tries[0].status, PRUN_FAIL);
	ck_assert_str_eq(r.tries[0].out, "try 0\n");
	ck_assert_str_eq(r.out, "try 1\n");
	ck_assert_int_eq(r.attempt, 1);
	result_free(&r);
	result_of(&t, 1, &r);
	ck_assert_int_eq(r.status, PRUN_FAIL);
	ck_assert_int_eq(r.flaky, 0);
	ck_assert_uint_eq(r.ntries, 2);
	ck_assert_int_eq(r.tries[1].returncode, 4);
	result_free(&r);
	result_of(&t, 2, &r);
	ck_assert_int_eq(r.status, PRUN_CRASH);
	ck_assert_uint_eq(r.ntries, 2);
	ck_assert_int_eq(r.tries[0].status, PRUN_CRASH);
	result_free(&r);
	result_of(&t, 3, &r);
	ck_assert_uint_eq(r.ntries, 0);
	result_free(&r);
	result_of(&t, 4, &r);
	ck_assert_int_eq(r.status, PRUN_FAIL);
	ck_assert_uint_eq(r.ntries, 0);
	result_free(&r);
	/* Each try that ran had its start record (and started hook); each
	 * test was reported once. */
	ck_assert_uint_eq(t.started, 2 + 3 + 3 + 1);
	ck_assert_uint_eq(t.finished, 5);
	ck_assert_uint_eq(t.out.counts[PRUN_PASS], 2);
	ck_assert_uint_eq(t.out.counts[PRUN_FAIL], 2);
	ck_assert_uint_eq(t.out.counts[PRUN_CRASH], 1);
	free(count);
	trun_free(&t);
}
END_TEST

/* The output of r as a string ("" when none). */
static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * --repeat: each test runs N times, a start each; its status is the worst
 * repetition's, its output the first failing one's (else the last's);
 * every repetition is kept, with the output of the first failing and the
 * last only; --until-fail stops at the first failure; a failure then a
 * crash is a crash, with the failure's output.
 */
START_TEST(repeats)
{
	static const struct {
		const char	*name;
		const char	*fails;	/* the runs that fail: " 3 " */
		int		 until_fail;
		enum prun_status status;
		const char	*out;	/* the record's */
		const char	*reps;	/* each repetition's status letter */
		const char	*kept;	/* the runs whose output is kept */
	} cases[] = {
		{ "third", " 3 ", 0, PRUN_FAIL, "run 3\n", "ppfpp", "35" },
		{ "third_until", " 3 ", 1, PRUN_FAIL, "run 3\n", "ppf", "3" },
		{ "pass", " ", 0, PRUN_PASS, "run 5\n", "ppppp", "5" },
		{ "last", " 5 ", 0, PRUN_FAIL, "run 5\n", "ppppf", "5" },
		{ "then_crash", " 2 4c ", 0, PRUN_CRASH, "run 2\n", "pfpcp",
		    "25" },
	};
	struct prun_result r;
	struct trun t;
	char *sh, *count, st;
	size_t i, j;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		trun_init(&t, 2);
		t.opts.repeat = 5;
		t.opts.until_fail = cases[i].until_fail;
		count = fixture_path(t.dir, "count");
		ck_assert_int_ne(asprintf(&sh, "n=$(cat %s 2>/dev/null || "
		    "echo 0); n=$((n+1)); echo $n > %s; echo run $n; "
		    "case '%s' in *\" ${n}c \"*) kill -SEGV $$;; "
		    "*\" $n \"*) exit 1;; esac", count, count,
		    cases[i].fails), -1);
		fixture_test(&t.plan, cases[i].name, sh);
		free(sh);
		free(count);
		trun_run(&t);
		result_of(&t, 0, &r);
		ck_assert_msg(r.status == cases[i].status, "%s: %s",
		    cases[i].name, status_name(r.status));
		ck_assert_str_eq(str(r.out), cases[i].out);
		ck_assert_int_eq(r.attempt, 1);
		ck_assert_uint_eq(r.nreps, strlen(cases[i].reps));
		for (j = 0; j < r.nreps; j++) {
			st = r.reps[j].status == PRUN_PASS ? 'p' :
			    r.reps[j].status == PRUN_FAIL ? 'f' :
			    r.reps[j].status == PRUN_CRASH ? 'c' : '?';
			ck_assert_msg(st == cases[i].reps[j], "%s: rep %zu "
			    "is %s", cases[i].name, j,
			    status_name(r.reps[j].status));
			ck_assert_msg((r.reps[j].out != NULL) ==
			    (strchr(cases[i].kept, (int)('1' + j)) != NULL),
			    "%s: rep %zu output", cases[i].name, j);
			ck_assert(r.reps[j].duration >= 0);
		}
		/* A start per repetition, one result. */
		ck_assert_uint_eq(t.started, r.nreps);
		ck_assert_uint_eq(t.finished, 1);
		result_free(&r);
		trun_free(&t);
	}
}
END_TEST

/* --overall-timeout: no test, and no rerun, starts after the deadline;
 * the tests not started leave no fragment and are counted. */
START_TEST(overall_timeout)
{
	struct prun_result r;
	struct prun_error err;
	struct trun t;

	trun_init(&t, 1);
	t.opts.overall_timeout = 0.1;
	t.opts.rerun_failures = 3;
	fixture_test(&t.plan, "slowfail", "sleep 0.3; exit 1");
	fixture_test(&t.plan, "b", "true");
	fixture_test(&t.plan, "c", "true");
	trun_run(&t);
	result_of(&t, 0, &r);
	ck_assert_int_eq(r.status, PRUN_FAIL);
	ck_assert_uint_eq(r.ntries, 0);
	result_free(&r);
	ck_assert_int_eq(store_read_result(t.store, 1, &r, &err), 0);
	ck_assert_int_eq(store_read_result(t.store, 2, &r, &err), 0);
	ck_assert_uint_eq(t.out.unstarted, 2);
	ck_assert_uint_eq(t.started, 1);
	ck_assert_uint_eq(t.finished, 1);
	trun_free(&t);

	/* Without a deadline reached, nothing is left. */
	trun_init(&t, 1);
	t.opts.overall_timeout = 3600;
	fixture_test(&t.plan, "a", "true");
	trun_run(&t);
	ck_assert_uint_eq(t.out.unstarted, 0);
	trun_free(&t);
}
END_TEST

/* An observer that halts the run when a test ends, with how. */
struct halter {
	struct run_control	*control;
	enum run_halt		 how;
	size_t			 ended;
};

static void
halter_attach(void *ctx, struct run_control *c)
{
	((struct halter *)ctx)->control = c;
}

static void
halter_ended(void *ctx, const struct prun_result *r, int durable)
{
	struct halter *h = ctx;

	(void)r;
	(void)durable;
	h->ended++;
	run_halt(h->control, h->how, "halted by the test's observer");
	/* A weaker request later changes nothing. */
	run_halt(h->control, RUN_HALT_STARTS, "too late");
}

/*
 * run_halt: after RUN_HALT_STARTS no test starts and the running one
 * finishes with its own result; after RUN_HALT_ALL the running ones are
 * stopped too.  The rest is unstarted, with the cause in the outcome.
 */
START_TEST(observer_halts)
{
	struct halter h = { NULL, RUN_HALT_STARTS, 0 };
	struct run_observer hooks = { .attach = halter_attach,
	    .ended = halter_ended, .ctx = &h };
	struct run_todo todo[] = { { 0, 1 }, { 1, 1 }, { 2, 1 }, { 3, 1 } };
	struct prun_error err;
	struct prun_result r;
	struct trun t;

	trun_init(&t, 2);
	fixture_test(&t.plan, "quick", "true");
	fixture_test(&t.plan, "slow", "sleep 0.5; exit 0");
	fixture_test(&t.plan, "c", "true");
	fixture_test(&t.plan, "d", "true");
	memset(&err, 0, sizeof err);
	ck_assert_msg(run_tests(&t.plan, &t.opts, t.store, t.results, todo,
	    4, NULL, &hooks, &t.out, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(t.out.halted, RUN_HALT_STARTS);
	ck_assert_str_eq(t.out.halt_why, "halted by the test's observer");
	ck_assert_uint_eq(t.out.unstarted, 2);
	ck_assert_uint_eq(h.ended, 2);
	result_of(&t, 1, &r);
	ck_assert_int_eq(r.status, PRUN_PASS);
	result_free(&r);
	ck_assert_int_eq(store_read_result(t.store, 2, &r, &err), 0);
	trun_free(&t);

	/* RUN_HALT_ALL: the slow test is stopped, not waited for. */
	h.how = RUN_HALT_ALL;
	h.ended = 0;
	trun_init(&t, 2);
	fixture_test(&t.plan, "quick", "true");
	fixture_test(&t.plan, "slow", "sleep 30; exit 0");
	fixture_test(&t.plan, "c", "true");
	fixture_test(&t.plan, "d", "true");
	ck_assert_msg(run_tests(&t.plan, &t.opts, t.store, t.results, todo,
	    4, NULL, &hooks, &t.out, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(t.out.halted, RUN_HALT_ALL);
	ck_assert_uint_eq(t.out.unstarted, 2);
	ck_assert_int_eq(store_read_result(t.store, 1, &r, &err), 1);
	ck_assert_int_ne(r.status, PRUN_PASS);
	ck_assert_double_lt(r.time_end - r.time_start, 20);
	result_free(&r);
	trun_free(&t);
}
END_TEST

/* A result that cannot be recorded stops the run with an error naming
 * the test. */
START_TEST(record_failure)
{
	struct run_observer hooks = { 0 };
	struct run_todo todo[] = { { 0, 1 }, { 1, 1 } };
	struct prun_error err;
	struct prun_result r;
	struct trun t;
	char *p, *ran, *cmd;

	trun_init(&t, 1);
	fixture_test(&t.plan, "blocked", "true");
	/* Launched while the result of "blocked" is being written (the
	 * start record is made durable meanwhile), it must not run once
	 * that write failed. */
	ran = fixture_path(t.dir, "ran");
	ck_assert_int_ne(asprintf(&cmd, "touch '%s'", ran), -1);
	fixture_test(&t.plan, "next", cmd);
	free(cmd);
	/* A directory where the fragment of test 0 must go. */
	p = fixture_path(store_tests_path(t.store), "000000.json");
	ck_assert_int_eq(mkdir(p, 0755), 0);
	free(p);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(run_tests(&t.plan, &t.opts, t.store, t.results,
	    todo, 2, NULL, &hooks, &t.out, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(fixture_has(err.msg, "test blocked"), "got: %s",
	    err.msg);
	/* Nothing after it ran, not even to be killed (no pid): at most it
	 * was given up, for a resume to run that attempt again. */
	ck_assert_int_eq(access(ran, F_OK), -1);
	free(ran);
	if (store_read_result(t.store, 1, &r, &err) == 1) {
		ck_assert_int_eq(r.status, PRUN_INCOMPLETE);
		ck_assert_int_eq(r.interrupted, 1);
		ck_assert_int_eq(r.pid, 0);
		result_free(&r);
	}
	trun_free(&t);
}
END_TEST

/* The suite of run tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("processes");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exits_jobs1);
	tcase_add_test(tc, exits_jobs2);
	tcase_add_test(tc, exec_failure);
	tcase_add_test(tc, output_captured);
	tcase_add_test(tc, reported_subtests);
	tcase_add_test(tc, timeout_kill_after);
	tcase_add_test(tc, exclusive_alone);
	tcase_add_test(tc, observer_halts);
	tcase_add_test(tc, jobs1_one_at_a_time);
	tcase_add_test(tc, jobs2_together);
	tcase_add_test(tc, interrupted);
	tcase_add_test(tc, attempt_recorded);
	tcase_add_test(tc, feed_after_list);
	tcase_add_test(tc, record_failure);
	tcase_add_test(tc, reruns);
	tcase_add_test(tc, repeats);
	tcase_add_test(tc, overall_timeout);
	suite_add_tcase(s, tc);
	return s;
}
