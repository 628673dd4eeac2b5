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
#include "cli.h"
#include "core/error.h"
#include "core/fsutil.h"
#include "plan/metadata.h"
#include "plan/plan.h"
#include "exec/progress.h"
#include "exec/resume.h"
#include "exec/run.h"
#include "plan/shard.h"
#include "report/pipeline.h"
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
	if (plan_filter(plan, c->opts.include, c->opts.ninclude,
	    c->opts.exclude, c->opts.nexclude, err) == -1)
		return -1;
	if (plan_wrap(plan, c->opts.wrapper, err) == -1)
		return -1;
	return plan_check(plan, err);
}

/* A fresh run: plan, results directory, metadata.json. */
static int
start_fresh(const struct cli *c, int argc, char **argv,
    struct prun_metadata *md, struct prun_store **st, struct prun_error *err)
{
	struct prun_plan plan, empty;
	char *copy, *base;
	size_t len;
	char *buf;
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
	if (rc == -1)
		return -1;
	/* A plan that cannot be recorded must not leave a directory. */
	if ((buf = metadata_encode(md, &len, err)) == NULL)
		return -1;
	if (store_create(st, c->output, md->options.backend,
	    md->options.fsync, err) == -1) {
		free(buf);
		return -1;
	}
	rc = store_write_metadata(*st, buf, len, err);
	free(buf);
	if (rc == -1) {
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
	md->options.verbose = c->opts.verbose;
	md->options.progress = c->opts.progress;
	return 0;
}

/* prun run and prun run --resume: the same code after the start. */
static int
cmd_run(const struct cli *c, int argc, char **argv)
{
	struct prun_error err = { 0 };
	struct prun_metadata md;
	struct prun_store *st = NULL;
	struct resume_state rs;
	struct run_outcome out;
	struct run_observer obs;
	struct progress prog;
	char dir[PATH_MAX];
	size_t i;
	int rc, failing = 0;

	memset(&md, 0, sizeof md);
	memset(&rs, 0, sizeof rs);
	if (c->resume != NULL)
		rc = start_resume(c, &md, &st, &err);
	else
		rc = start_fresh(c, argc, argv, &md, &st, &err);
	if (rc == 0 && c->resume != NULL)
		rc = resume_scan(st, &md.plan, md.options.max_attempts,
		    warn_cb, NULL, &rs, &err);
	else if (rc == 0)
		rc = resume_fresh(&md.plan, &rs, &err);
	/* A shard holds the whole plan and runs its own tests of it. */
	if (rc == 0)
		rs.ntodo = shard_select(&md.options.shard, rs.todo, rs.ntodo);
	if (rc == 0 && realpath(store_path(st), dir) == NULL)
		rc = prun_error_errno(&err, PRUN_EXIT_IO, errno, "%s",
		    store_path(st));
	if (rc == -1) {
		rc = fail(&err);
		goto out;
	}
	progress_init(&prog, stderr, md.options.progress, md.options.verbose,
	    shard_size(&md.options.shard, plan_size(&md.plan)), rs.counts);
	progress_observer(&prog, &obs);
	rc = run_tests(&md.plan, &md.options, st, dir, rs.todo, rs.ntodo,
	    &obs, &out, &err);
	progress_end(&prog, out.signal, store_path(st));
	if (rc == -1) {
		fprintf(stderr, "prun: %s\nprun: the run stopped; what was "
		    "recorded is kept: prun run --resume %s\n", err.msg,
		    store_path(st));
		rc = PRUN_EXIT_IO;
		goto out;
	}
	if (out.signal != 0) {
		if (md.options.verbose >= 0)
			fprintf(stderr, "prun: stopped; continue with: prun run "
			    "--resume %s\n", store_path(st));
		rc = out.signal == SIGINT ? PRUN_EXIT_SIGINT : PRUN_EXIT_SIGTERM;
		goto out;
	}
	/* Out of time: what ran decides the exit status; the rest is
	 * notrun until a resume runs it. */
	if (out.unstarted > 0 && md.options.verbose >= 0)
		fprintf(stderr, "prun: --overall-timeout of %g s reached: %zu "
		    "tests not started (notrun); continue with: prun run "
		    "--resume %s\n", md.options.overall_timeout, out.unstarted,
		    store_path(st));
	for (i = 0; i < PRUN_NSTATUS; i++)
		if (status_is_failure(i) && rs.counts[i] + out.counts[i] > 0)
			failing = 1;
	rc = failing ? PRUN_EXIT_FAIL : PRUN_EXIT_OK;
out:
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
	memset(&cfg, 0, sizeof cfg);
	cfg.report = &ro;
	cfg.compare = c->compare;
	cfg.allow_fixes = c->allow_fixes;
	cfg.warn = warn_cb;
	if (load_baseline(c, &cfg.baseline, &err) == -1) {
		baseline_free(cfg.baseline);
		return fail(&err);
	}
	if (c->output != NULL && strcmp(c->output, "-") != 0 &&
	    (fp = fsutil_atomic_begin(&a, c->output, &err)) == NULL) {
		baseline_free(cfg.baseline);
		return fail(&err);
	}
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
 * -v also their plan index (the fragment's name) and command. */
static int
cmd_list(const struct cli *c)
{
	struct prun_error err = { 0 };
	struct prun_plan plan;
	char *cmd;
	size_t i;
	int rc = PRUN_EXIT_OK;

	if (load_plan(&plan, c, &err) == -1)
		rc = fail(&err);
	else if (plan_size(&plan) == 0) {
		/* As for run: a list of nothing is a usage error. */
		prun_error_set(&err, PRUN_EXIT_USAGE, "no tests to list (the "
		    "filters left none)");
		rc = fail(&err);
	}
	for (i = 0; rc == PRUN_EXIT_OK && i < plan_size(&plan); i++) {
		if (!shard_member(&c->opts.shard, i))
			continue;
		if (c->opts.verbose <= 0) {
			if (puts(plan_test(&plan, i)->name) == EOF)
				break;
			continue;
		}
		if ((cmd = plan_command_string(plan_test(&plan, i))) == NULL) {
			prun_error_errno(&err, PRUN_EXIT_IO, ENOMEM, "list");
			rc = fail(&err);
			break;
		}
		if (printf("%06zu\t%s\t%s\n", i, plan_test(&plan, i)->name,
		    cmd) < 0)
			i = plan_size(&plan);
		free(cmd);
	}
	plan_free(&plan);
	return rc;
}

int
main(int argc, char **argv)
{
	struct prun_error err = { 0 };
	struct cli c;
	int rc;

	/* A closed stdout must be an error we see, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	if (cli_parse(&c, argc, argv, &err) == -1) {
		rc = fail(&err);
		cli_free(&c);
		return rc;
	}
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
