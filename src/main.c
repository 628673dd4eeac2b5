/*
 * prun: a test runner that keeps every result in its own durable file.
 *
 * This file is only the command line: it dispatches the commands to the
 * library, prints what it reports, and maps outcomes to exit statuses.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/baseline.h"
#include "report/junit_parts.h"
#include "cli.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "plan/metadata.h"
#include "plan/plan.h"
#include "exec/maxfail.h"
#include "exec/events.h"
#include "exec/monitor.h"
#include "exec/limits.h"
#include "exec/progress.h"
#include "exec/resume.h"
#include "exec/run.h"
#include "exec/signals.h"
#include "plan/shard.h"
#include "plan/select.h"
#include "report/history.h"
#include "report/pipeline.h"
#include "report/runstate.h"
#include "store/store.h"

/* Print a warning from the library (a fragment left out, ...). */
static void
warn_cb(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "prun: warning: %s\n", msg);
}

/* Report err and return its exit status. */
static int
fail(const struct prun_error *err)
{
	fprintf(stderr, "prun: %s\n", err->msg);
	return err->code ? (int)err->code : PRUN_EXIT_IO;
}

/* --tests-from and --failed-from: each cuts the plan to its names, so
 * both together keep the tests both name. */
static int
select_tests(struct prun_plan *plan, const struct cli *c,
    struct prun_error *err)
{
	struct prun_selection sel;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < c->ntests_from; i++) {
		select_init(&sel);
		rc = select_read(&sel, c->tests_from[i], err);
		if (rc == 0)
			rc = select_plan(&sel, plan, err);
		select_free(&sel);
	}
	if (rc == 0 && c->nfailed_from > 0) {
		select_init(&sel);
		rc = history_failed(c->failed_from, c->nfailed_from, &sel,
		    warn_cb, NULL, err);
		if (rc == 0)
			rc = select_plan(&sel, plan, err);
		select_free(&sel);
	}
	return rc;
}

/* Build the plan of TESTS with the filters of opts. */
static int
load_plan(struct prun_plan *plan, const struct cli *c, struct prun_error *err)
{
	size_t i;

	plan_init(plan);
	/* "-": a test list on standard input */
	for (i = 0; i < c->nargs; i++)
		if (plan_load(plan, strcmp(c->args[i], "-") == 0 ?
		    "/dev/stdin" : c->args[i], err) == -1)
			return -1;
	if (select_tests(plan, c, err) == -1)
		return -1;
	if (plan_filter(plan, c->opts.include, c->opts.ninclude,
	    c->opts.exclude, c->opts.nexclude, err) == -1)
		return -1;
	if (plan_wrap(plan, c->opts.wrapper, err) == -1)
		return -1;
	return plan_check(plan, err);
}

/* --history: the schedule of plan, its shard cut by time; nothing
 * without --history. */
static int
load_schedule(const struct cli *c, const struct prun_plan *plan,
    struct prun_schedule *sched, struct prun_shard *shard,
    struct prun_error *err)
{
	double *expected;

	memset(sched, 0, sizeof *sched);
	if (c->nhistory == 0)
		return 0;
	if (history_expected(c->history, c->nhistory, plan, &expected,
	    warn_cb, NULL, err) == -1)
		return -1;
	return schedule_build(sched, plan, expected, shard, err);
}

/* A fresh run: plan, results directory, metadata.json. */
static int
start_fresh(const struct cli *c, int argc, char **argv,
    struct prun_metadata *md, struct prun_store **st, struct prun_error *err)
{
	struct prun_plan plan, empty;
	char *copy, *base;
	size_t len;
	int rc;

	if (load_plan(&plan, c, err) == -1) {
		plan_free(&plan);
		return -1;
	}
	if (plan_size(&plan) == 0) {
		plan_free(&plan);
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "no tests to run (the filters left none)");
	}
	if ((copy = strdup(c->output)) == NULL) {
		plan_free(&plan);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s",
		    c->output);
	}
	base = basename(copy);
	/* The plan is moved into md, not copied: it may be 100,000 tests. */
	plan_init(&empty);
	rc = metadata_init(md, &empty, &c->opts, argc, argv, base, err);
	free(copy);
	if (rc == 0)
		rc = metadata_take_plan(md, &plan, err);
	plan_free(&plan);
	if (rc == 0)
		rc = load_schedule(c, &md->plan, &md->sched,
		    &md->options.shard, err);
	if (rc == -1)
		return -1;
	/* A plan that cannot be recorded must not leave a directory. */
	if (metadata_check(md, err) == -1)
		return -1;
	if (store_create(st, c->output, md->options.backend,
	    md->options.fsync, err) == -1)
		return -1;
	if ((rc = store_write_plan(*st, md, err)) == -1) {
		/* The directory holds no run: the same command starts over. */
		len = strlen(err->msg);
		snprintf(err->msg + len, sizeof err->msg - len, "\nprun: no "
		    "test ran; run the same command again to start over");
	}
	return rc;
}

/* A resume: plan and options from metadata.json, a few from argv. */
static int
start_resume(const struct cli *c, struct prun_metadata *md,
    struct prun_store **st, struct prun_error *err)
{
	char what[PATH_MAX + 32];
	FILE *fp;
	int fd;

	if (store_open(st, c->resume, 1, err) == -1)
		return -1;
	snprintf(what, sizeof what, "%s/%s", c->resume, STORE_METADATA);
	/* Streamed: a million tests' metadata.json is 100 MB of bytes. */
	if ((fd = store_open_metadata(*st, err)) == -1)
		return -1;
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", what);
	}
	if (metadata_read(md, fp, what, err) == -1)
		return -1;
	store_set_run(*st, md->options.backend, md->options.fsync);
	if (c->jobs_given)
		md->options.jobs = c->opts.jobs;
	if (c->attempts_given)
		md->options.max_attempts = c->opts.max_attempts;
	if (c->overall_given)
		md->options.overall_timeout = c->opts.overall_timeout;
	if (c->max_fail_given)
		md->options.max_fail = c->opts.max_fail;
	md->options.verbose = c->opts.verbose;
	md->options.progress = c->opts.progress;
	md->options.heartbeat = c->opts.heartbeat;
	md->options.failure_lines = c->opts.failure_lines;
	md->options.color = c->opts.color;
	md->options.leaks = c->opts.leaks;
	return 0;
}

/* Open what --dmesg, --abort-on* and --events ask for. */
static int
start_watch(const struct cli *c, struct monitor **mon, struct events **ev,
    struct prun_error *err)
{
	struct monitor_config cfg = { c->dmesg, c->dmesg_regex, c->abort_on,
	    c->abort_taint, c->taint_mask };

	if (monitor_new(mon, &cfg, err) == -1)
		return -1;
	if (c->events != NULL && events_open(ev, c->events, err) == -1)
		return -1;
	return 0;
}

/* Say that the run stopped by sig and how to go on; its exit status. */
static int
stopped(const struct prun_metadata *md, const struct prun_store *st, int sig)
{
	if (md->options.verbose >= 0)
		fprintf(stderr, "prun: stopped; continue with: prun run "
		    "--resume %s\n", store_path(st));
	return 128 + sig;
}

/* A shard's own tests of todo, in the schedule's order (--history). */
static size_t
select_todo(void *ctx, struct run_todo *todo, size_t n)
{
	const struct prun_metadata *md = ctx;

	n = shard_select(&md->options.shard, todo, n);
	schedule_sort(&md->sched, todo, n);
	return n;
}

/* prun run and prun run --resume: the same code after the start. */
static int
cmd_run(const struct cli *c, int argc, char **argv)
{
	struct prun_error err = { 0 }, err2 = { 0 };
	struct prun_metadata md;
	struct prun_store *st = NULL;
	struct resume_state rs;
	struct run_outcome out;
	struct run_observer obs, ev_obs, mon_obs, mf_obs;
	const struct run_feed *feed;
	const struct run_observer *head = &obs;
	struct progress prog;
	struct maxfail mf;
	struct monitor *mon = NULL;
	struct events *ev = NULL;
	size_t counts[PRUN_NSTATUS];
	char dir[PATH_MAX], note[PATH_MAX + 160];
	size_t i, left = 0;
	int rc, failing = 0, ran = 0;

	memset(&md, 0, sizeof md);
	memset(&rs, 0, sizeof rs);
	note[0] = '\0';
	/* The machine and the stream first: no directory is made when
	 * they cannot be watched or written. */
	if (start_watch(c, &mon, &ev, &err) == -1) {
		rc = fail(&err);
		goto out;
	}
	if (c->resume != NULL)
		rc = start_resume(c, &md, &st, &err);
	else
		rc = start_fresh(c, argc, argv, &md, &st, &err);
	if (rc == 0 && c->resume != NULL)
		rc = resume_scan(st, &md.plan, md.options.max_attempts,
		    warn_cb, NULL, &rs, &err);
	else if (rc == 0)
		rc = resume_fresh(&md.plan, &rs, &err);
	/* Nothing to start before the fragments are read: read them, so
	 * that the limits below are checked only when a test will run. */
	if (rc == 0 && rs.ntodo == 0)
		rc = resume_wait(&rs, &err);
	/* A shard holds the whole plan and runs its own tests of it;
	 * --history: longest first, the order metadata.json recorded.  The
	 * same for the tests a resume finds as it reads the fragments. */
	if (rc == 0)
		rs.ntodo = select_todo(&md, rs.todo, rs.ntodo);
	if (rc == 0 && realpath(store_path(st), dir) == NULL)
		rc = prun_error_errno(&err, PRUN_EXIT_IO, errno, "%s",
		    store_path(st));
	/* Who holds the lock, for prun status (store.h). */
	if (rc == 0)
		rc = store_write_owner(st, &err);
	/* The halt it continues is over (an abort writes it again). */
	if (rc == 0 && c->resume != NULL)
		rc = store_clear_abort(st, &err);
	if (rc == -1) {
		rc = fail(&err);
		goto out;
	}
	if (rs.stopped != 0) {
		rc = stopped(&md, st, rs.stopped);
		goto out;
	}
	/* A limit lowers -j before anything starts, or stops the run here:
	 * nothing has started, and the directory resumes as it is. */
	if (rs.ntodo > 0 && limits_fit_jobs(&md.options.jobs, note,
	    sizeof note, &err) == -1) {
		fprintf(stderr, "prun: %s\nprun: no test was started; raise "
		    "it and continue with: prun run --resume %s\n", err.msg,
		    store_path(st));
		rc = PRUN_EXIT_USAGE;
		goto out;
	}
	if (note[0] != '\0' && md.options.verbose >= 0)
		fprintf(stderr, "prun: %s\n", note);
	/* The tests a resume's reader may still hand over. */
	feed = resume_feed(&rs, select_todo, &md);
	progress_init(&prog, stderr, &md.options,
	    shard_size(&md.options.shard, plan_size(&md.plan)), rs.counts);
	progress_observer(&prog, &obs);
	if (ev != NULL) {
		events_observer(ev, &ev_obs, head);
		head = &ev_obs;
		events_run_start(ev, &(struct events_start){ md.plan_id,
		    shard_size(&md.options.shard, plan_size(&md.plan)),
		    rs.ntodo, md.options.jobs, md.options.shard.index,
		    md.options.shard.total, c->resume != NULL,
		    feed != NULL });
	}
	if (mon != NULL) {
		monitor_observer(mon, &mon_obs, head);
		head = &mon_obs;
	}
	ran = 1;
	maxfail_observer(&mf, md.options.max_fail, &mf_obs, head);
	head = &mf_obs;
	rc = run_tests(&md.plan, &md.options, st, dir, rs.todo, rs.ntodo,
	    feed, head, &out, &err);
	/* One that came after the last turn of the loop counts too: the
	 * exit status says a stop signal was sent.  The fragments the run
	 * did not wait for are read to their end, so that the counts are
	 * whole, unless a stop signal came. */
	if (rc == 0 && out.signal == 0)
		out.signal = signals_stop_pending();
	if (resume_end(&rs, rc == -1 || out.signal != 0, &left,
	    &err2) == -1 && rc == 0) {
		err = err2;
		rc = -1;
	}
	out.unstarted += left;
	progress_end(&prog, out.signal, store_path(st));
	if (rc == -1) {
		fprintf(stderr, "prun: %s\nprun: the run stopped; what was "
		    "recorded is kept: prun run --resume %s\n", err.msg,
		    store_path(st));
		rc = PRUN_EXIT_IO;
		goto out;
	}
	/* The machine needs attention: say why, here and in DIR. */
	if (monitor_cause(mon) != NULL) {
		fprintf(stderr, "prun: the machine needs attention: %s\n"
		    "prun: the tests it stopped count that attempt; continue "
		    "(after a reboot) with: prun run --resume %s\n",
		    monitor_cause(mon), store_path(st));
		if (store_write_abort(st, monitor_cause(mon), &err) == -1)
			fprintf(stderr, "prun: %s\n", err.msg);
		rc = PRUN_EXIT_ATTENTION;
		goto out;
	}
	if (out.signal != 0) {
		rc = stopped(&md, st, out.signal);
		goto out;
	}
	/* Out of time: what ran decides the exit status; the rest is
	 * notrun until a resume runs it. */
	if (out.unstarted > 0 && out.halted != RUN_HALT_NONE &&
	    md.options.verbose >= 0)
		fprintf(stderr, "prun: %s: %zu tests not started (notrun); "
		    "continue with: prun run --resume %s\n", out.halt_why,
		    out.unstarted, store_path(st));
	else if (out.unstarted > 0 && md.options.verbose >= 0)
		fprintf(stderr, "prun: --overall-timeout of %g s reached: %zu "
		    "tests not started (notrun); continue with: prun run "
		    "--resume %s\n", md.options.overall_timeout, out.unstarted,
		    store_path(st));
	for (i = 0; i < PRUN_NSTATUS; i++)
		if (status_is_failure(i) && rs.counts[i] + out.counts[i] > 0)
			failing = 1;
	rc = failing ? PRUN_EXIT_FAIL : PRUN_EXIT_OK;
out:
	if (ran && ev != NULL) {
		for (i = 0; i < PRUN_NSTATUS; i++)
			counts[i] = rs.counts[i] + out.counts[i];
		events_run_end(ev, counts, rc, out.halted != RUN_HALT_NONE ?
		    out.halt_why : NULL);
	}
	if (events_close(ev, &err) == -1)
		fprintf(stderr, "prun: warning: %s\n", err.msg);
	monitor_free(mon);
	resume_free(&rs);
	metadata_free(&md);
	store_close(st);
	return rc;
}

/* Load the baseline and flakes files of summary, if any were given. */
static int
load_baseline(const struct cli *c, struct baseline **bl,
    struct prun_error *err)
{
	*bl = NULL;
	if (c->baseline == NULL && c->flakes == NULL)
		return 0;
	if ((*bl = baseline_new()) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "baseline");
	if (c->baseline != NULL && baseline_read(*bl, c->baseline, err) == -1)
		return -1;
	if (c->flakes != NULL && baseline_read_flakes(*bl, c->flakes,
	    err) == -1)
		return -1;
	return 0;
}

/* prun summary -f junit --split N -o FILE: the report in parts, each a
 * file of its own, all renamed into place at the end. */
static int
summary_split(const struct cli *c, struct pipeline_config *cfg,
    struct report_options *ro)
{
	struct prun_error err = { 0 };
	struct pipeline_outcome out;
	const struct prun_error *perr;
	int rc;

	if ((ro->junit_parts = junit_parts_new(c->output, &err)) == NULL) {
		baseline_free(cfg->baseline);
		return fail(&err);
	}
	rc = pipeline_write(c->args, c->nargs, cfg, stdout, &out, &err);
	baseline_free(cfg->baseline);
	/* A part that could not be opened says which file. */
	if (rc == -1 && (perr = junit_parts_error(ro->junit_parts)) != NULL)
		err = *perr;
	if (rc == 0)
		rc = junit_parts_commit(ro->junit_parts, &err);
	junit_parts_free(ro->junit_parts);
	if (rc == -1)
		return fail(&err);
	return out.failing ? PRUN_EXIT_FAIL : PRUN_EXIT_OK;
}

/*
 * prun summary: the report of one or more results directories, or the
 * comparison of two runs (or, with -f html, of several side by side).
 */
static int
cmd_summary(const struct cli *c)
{
	struct prun_error err = { 0 };
	struct pipeline_config cfg;
	struct report_options ro;
	struct pipeline_outcome out;
	struct fsutil_atomic a;
	char why[sizeof err.msg];
	FILE *fp = stdout;
	int rc;

	report_options_init(&ro, c->format);
	ro.show_output = c->show_output;
	ro.show_max = c->show_max;
	ro.junit_subtests = c->junit_subtests;
	ro.junit_max_output = c->junit_max_output;
	ro.junit_split = c->junit_split;
	ro.piglit_names = c->piglit_names;
	memset(&cfg, 0, sizeof cfg);
	cfg.report = &ro;
	cfg.compare = c->compare;
	cfg.allow_fixes = c->allow_fixes;
	cfg.warn = warn_cb;
	if (load_baseline(c, &cfg.baseline, &err) == -1) {
		baseline_free(cfg.baseline);
		return fail(&err);
	}
	if (c->junit_split > 0)
		return summary_split(c, &cfg, &ro);
	if (c->output != NULL && strcmp(c->output, "-") != 0 &&
	    (fp = fsutil_atomic_begin(&a, c->output, &err)) == NULL) {
		baseline_free(cfg.baseline);
		return fail(&err);
	}
	ro.color = options_color_on(c->opts.color, fileno(fp));
	rc = pipeline_write(c->args, c->nargs, &cfg, fp, &out, &err);
	baseline_free(cfg.baseline);
	if (rc == -1) {
		/* A failed write names where the report was going. */
		if (ferror(fp) && strncmp(err.msg, "cannot write", 12) == 0) {
			snprintf(why, sizeof why, "%s", err.msg);
			prun_error_set(&err, PRUN_EXIT_IO, "%s: %s", fp ==
			    stdout ? "standard output" : c->output, why);
			clearerr(fp);
		}
		if (fp != stdout)
			fsutil_atomic_abort(&a);
		return fail(&err);
	}
	if (fp != stdout && fsutil_atomic_commit(&a, &err) == -1)
		return fail(&err);
	return out.failing ? PRUN_EXIT_FAIL : PRUN_EXIT_OK;
}

/* prun list: the names of the tests a run would execute, in order; with
 * -v also their plan index (the fragment's name) and command, and with
 * --history their expected time and the shard's total. */
static int
cmd_list(const struct cli *c)
{
	struct prun_error err = { 0 };
	struct prun_schedule sched;
	struct prun_shard shard = c->opts.shard;
	struct prun_plan plan;
	const struct prun_test *t;
	size_t i, k, n;
	char *cmd;
	int rc = PRUN_EXIT_OK, out = 0;

	memset(&sched, 0, sizeof sched);
	if (load_plan(&plan, c, &err) == -1)
		rc = fail(&err);
	else if (plan_size(&plan) == 0) {
		/* As for run: a list of nothing is a usage error. */
		prun_error_set(&err, PRUN_EXIT_USAGE, "no tests to list (the "
		    "filters left none)");
		rc = fail(&err);
	} else if (load_schedule(c, &plan, &sched, &shard, &err) == -1)
		rc = fail(&err);
	n = plan_size(&plan);
	for (k = 0; rc == PRUN_EXIT_OK && out >= 0 && k < n; k++) {
		/* In the order a run starts them. */
		i = sched.order != NULL ? sched.order[k] : k;
		if (!shard_member(&shard, i))
			continue;
		t = plan_test(&plan, i);
		if (c->opts.verbose <= 0) {
			out = puts(t->name) == EOF ? -1 : 0;
			continue;
		}
		if ((cmd = plan_command_string(t)) == NULL) {
			prun_error_errno(&err, PRUN_EXIT_IO, ENOMEM, "list");
			rc = fail(&err);
			break;
		}
		if (sched.expected != NULL)
			out = printf("%06zu\t%s\t%.3f\t%s\n", i, t->name,
			    sched.expected[i], cmd);
		else
			out = printf("%06zu\t%s\t%s\n", i, t->name, cmd);
		free(cmd);
	}
	if (rc == PRUN_EXIT_OK && out >= 0 && sched.expected != NULL &&
	    c->opts.verbose > 0)
		printf("# %zu tests, expected %.3f s in all (history for %zu of "
		    "%zu tests, digest %s)\n", shard_size(&shard, n),
		    schedule_shard_total(&sched, &shard), sched.known, n,
		    sched.digest);
	schedule_free(&sched);
	plan_free(&plan);
	return rc;
}

/* prun status: what the run in DIR is doing now, without its lock. */
static int
cmd_status(const struct cli *c)
{
	struct prun_error err = { 0 };
	struct runstate rs;
	int rc;

	if (runstate_read(&rs, c->args[0], &err) == -1) {
		runstate_free(&rs);
		return fail(&err);
	}
	rc = c->json ? runstate_write_json(&rs, stdout) :
	    runstate_write_text(&rs, stdout);
	runstate_free(&rs);
	/* A write error is caught with stdout's in main. */
	(void)rc;
	return PRUN_EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct prun_error err = { 0 };
	struct cli c;
	sigset_t mask;
	int rc;

	/* Before anything: a stop signal must find prun ready for it
	 * (exec/signals.c rule 1). */
	signals_block(&mask);
	/* A closed stdout must be an error we see, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	if (cli_parse(&c, argc, argv, &err) == -1) {
		rc = fail(&err);
		cli_free(&c);
		return rc;
	}
	/* Only a run has something to stop gently and resume: summary and
	 * list die by a signal's default action, as they always did. */
	if (c.cmd != CLI_RUN || c.help || c.version)
		sigprocmask(SIG_SETMASK, &mask, NULL);
	if (c.version) {
		printf("prun %s\n", PACKAGE_VERSION);
		rc = PRUN_EXIT_OK;
	} else if (c.help) {
		fputs(cli_help(c.cmd), stdout);
		rc = PRUN_EXIT_OK;
	} else if (c.cmd == CLI_RUN)
		rc = cmd_run(&c, argc, argv);
	else if (c.cmd == CLI_SUMMARY)
		rc = cmd_summary(&c);
	else if (c.cmd == CLI_STATUS)
		rc = cmd_status(&c);
	else
		rc = cmd_list(&c);
	cli_free(&c);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "prun: cannot write to standard output: %s\n",
		    strerror(errno));
		return rc == PRUN_EXIT_OK || rc == PRUN_EXIT_FAIL ?
		    PRUN_EXIT_IO : rc;
	}
	return rc;
}
