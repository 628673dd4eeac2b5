/*
 * run: the scheduler's loop, over the tests running now.
 *
 * Each running test has a slot: its process, its two capture buffers and
 * its stdout parser.  The loop decides what starts when (free slots,
 * exclusive tests, --overall-timeout, commits outstanding), drains every
 * readable pipe (so no amount of output can block a test), reaps children
 * from a signalfd, enforces timeouts, and records a test once its main
 * process has exited and its pipes are closed (verdict.c says what it
 * earned).  Signals to prun arrive on the same signalfd, so there is no
 * code in signal handlers.
 *
 * The blocking steps are jobs for worker threads (worker.h), so that the
 * loop never waits on a disk or an exec: launch.c makes a test's start
 * record durable and then spawns it, commit.c writes a result and reports
 * it only once durable (store.c rule 4).  The loop alone touches the slots
 * and the outcome, and tells the observers (run.h) what happened.
 *
 * A test that fails is run again in its slot while --rerun-failures allows;
 * its earlier tries stay in memory and go into its one final record (each
 * rerun's start record carries them too, so a machine that dies during a
 * rerun leaves them on disk).  With --repeat a test is run again in its
 * slot the same way, a start each, and its repetitions (repeat.c) are
 * recorded together once the last ends: a crash meanwhile leaves only the
 * start log, and a resume runs them again from the first.  Past
 * --overall-timeout no test starts, reruns and repetitions included: the
 * tests not started keep no fragment, are notrun in a summary, and run on
 * a resume.
 *
 * Which signal stops the run and which one a test sent is signals.c's to
 * say.  prun itself may be stopped (SIGSTOP, SIGTSTP) while its tests go
 * on: when SIGCONT says it runs again, a test found past its deadline is
 * a timeout whatever it did meanwhile, and a test that ended while prun
 * was stopped gets the duration prun saw and a note of what is not known.
 */
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "exec/run.h"
#include "exec/sched.h"
#include "exec/signals.h"
#include "store/fragment.h"

/* How long to wait for a test's pipes to close after its main process
 * exited: a grandchild outside its process group may hold them. */
#define DRAIN_GRACE	2.0
/* How often daemons are looked for again while a test that ended still
 * has its pipes held open (one may have been in the middle of a fork or
 * an exec at the last sweep). */
#define SWEEP_INTERVAL	0.05
#define TICK_INTERVAL	0.25
/* How often the loop wakes while tests run, so that it knows within this
 * when prun was stopped (SIGSTOP gives no word until SIGCONT). */
#define STOP_GRAIN	1.0
#define READ_CHUNK	65536

/* The timeout of a test: its own, else the run's. */
double
run_test_timeout(const struct sched *s, const struct prun_test *t)
{
	return t->timeout > 0 ? t->timeout : s->opts->timeout;
}

/* Close a slot's pipe ends that are still open. */
static void
close_pipes(struct slot *sl)
{
	if (sl->child.out_fd != -1)
		close(sl->child.out_fd);
	if (sl->child.err_fd != -1)
		close(sl->child.err_fd);
	sl->child.out_fd = sl->child.err_fd = -1;
}

/* Free an array of tries. */
void
run_free_tries(struct prun_result *tries, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		result_free(&tries[i]);
	free(tries);
}

static void	signal_running(struct sched *, int, double);

/* Ask the run to halt (observer.h). */
void
run_halt(struct run_control *c, enum run_halt how, const char *why)
{
	if (how <= c->halt)
		return;
	c->halt = how;
	snprintf(c->why, sizeof c->why, "%s", why != NULL ? why : "");
}

/* Lend the run's control to the observers that take it. */
static void
notify_attach(struct sched *s)
{
	const struct run_observer *o;

	for (o = s->observers; o != NULL; o = o->next)
		if (o->attach != NULL)
			o->attach(o->ctx, &s->control);
}

/* Act on a halt an observer asked for: stop each running test once, one
 * whose launch was out when the halt came as soon as it is back (it would
 * run to its end otherwise); their attempt counts (one of them may be
 * what broke the machine). */
static void
act_on_halt(struct sched *s, double t)
{
	struct slot *sl;
	size_t i;

	if (s->control.halt != RUN_HALT_ALL)
		return;
	s->control.acted = 1;
	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (!sl->used || sl->launching || sl->exited ||
		    sl->halted != NULL)
			continue;
		sl->halted = s->control.why;
		run_signal_slot(sl, SIGTERM, t + s->opts->kill_after);
	}
}

/* Whether --overall-timeout has passed: no test may start any more. */
static int
out_of_time(struct sched *s)
{
	if (!s->expired && s->deadline > 0 &&
	    util_mono() >= s->deadline)
		s->expired = 1;
	return s->expired;
}

/* Release a slot after its test was recorded (or abandoned). */
void
run_slot_release(struct sched *s, struct slot *sl)
{
	close_pipes(sl);
	capture_free(&sl->out);
	capture_free(&sl->err);
	outparse_free(&sl->parse);
	run_free_tries(sl->tries, sl->ntries);
	repeat_free(&sl->rep);
	while (sl->nleak_names > 0)
		free(sl->leak_names[--sl->nleak_names]);
	if (sl->test->exclusive)
		s->exclusive = 0;
	plan_test_drop(&sl->held);
	memset(sl, 0, sizeof *sl);
	sl->child.out_fd = sl->child.err_fd = -1;
	s->nrunning--;
}

/* A slot's main process has exited with wstatus. */
void
run_slot_exited(struct slot *sl, int wstatus)
{
	sl->exited = 1;
	sl->wstatus = wstatus;
	sl->kill_at = 0;
	sl->drain_until = util_mono() + DRAIN_GRACE;
	/* What outlived it (--leaks), then, before any new process can
	 * take the group id, kill that.  Not when prun signalled the test
	 * (timeout, a stop): its group had the signal too, and what is
	 * still dying then is not the test's leak. */
	if (!sl->timed_out && !sl->stopped && sl->halted == NULL)
		(void)spawn_group_leftovers(&sl->child, &sl->leaked,
		    sl->leak_names, RESULT_LEAK_NAMES, &sl->nleak_names);
	spawn_signal_group(&sl->child, SIGKILL);
}

/* Signal a running test because prun stops; SIGKILL due at kill_at. */
void
run_signal_slot(struct slot *sl, int sig, double kill_at)
{
	/* A test already past its timeout keeps that status. */
	if (!sl->timed_out)
		sl->stopped = 1;
	spawn_signal(&sl->child, sig);
	if (sig == SIGTERM)
		spawn_signal(&sl->child, SIGCONT);
	sl->kill_at = kill_at;
}


/* Tell every observer that a try of a test started. */
void
run_notify_started(struct sched *s, const struct slot *sl)
{
	const struct run_observer *o;

	for (o = s->observers; o != NULL; o = o->next)
		if (o->started != NULL)
			o->started(o->ctx, sl->test, sl->index, sl->start);
}

/* Let every observer add to the result r of a try before it is kept. */
void
run_notify_finishing(struct sched *s, struct prun_result *r)
{
	const struct run_observer *o;

	for (o = s->observers; o != NULL; o = o->next)
		if (o->finishing != NULL)
			o->finishing(o->ctx, r);
}

/* Tell every observer that a test ended with result r. */
void
run_notify_ended(struct sched *s, const struct prun_result *r, int durable)
{
	const struct run_observer *o;

	for (o = s->observers; o != NULL; o = o->next)
		if (o->ended != NULL)
			o->ended(o->ctx, r, durable);
}

/* Tell every observer that a test ended without a result. */
void
run_notify_lost(struct sched *s, size_t index, int attempt,
    enum run_loss why)
{
	const struct run_observer *o;

	for (o = s->observers; o != NULL; o = o->next)
		if (o->lost != NULL)
			o->lost(o->ctx, index, attempt, why);
}

/* Tell the observers that time passes, and whether any listens. */
static int
notify_tick(const struct sched *s, int call)
{
	const struct run_observer *o;
	int any = 0;

	for (o = s->observers; o != NULL; o = o->next)
		if (o->tick != NULL) {
			any = 1;
			if (call)
				o->tick(o->ctx);
		}
	return any;
}

/* Tell the observers of the results an earlier run recorded. */
static void
notify_recorded(const struct sched *s, const size_t *counts)
{
	const struct run_observer *o;

	for (o = s->observers; o != NULL; o = o->next)
		if (o->recorded != NULL)
			o->recorded(o->ctx, counts);
}

/* Take the feed's tests when they are ready (run.h): 1 when *todo and
 * *ntodo are now the feed's, 0 when not yet, -1 when it failed. */
static int
take_feed(struct sched *s, const struct run_todo **todo, size_t *ntodo)
{
	size_t counts[PRUN_NSTATUS] = { 0 };
	int rc;

	if ((rc = s->feed->take(s->feed->ctx, todo, ntodo, counts,
	    s->err)) == 1) {
		s->feed = NULL;
		notify_recorded(s, counts);
	}
	return rc;
}

/* Tell the observers that the run ended. */
static void
notify_run_ended(const struct sched *s)
{
	const struct run_observer *o;

	for (o = s->observers; o != NULL; o = o->next)
		if (o->run_ended != NULL)
			o->run_ended(o->ctx, s->outcome);
}

/* Take back the jobs the workers finished (waiting for one with wait). */
static void
take_jobs(struct sched *s, int wait)
{
	struct worker_job *j, *next;

	for (j = workers_done(s->workers, wait); j != NULL; j = next) {
		next = j->next;
		if (((struct launch_job *)j)->kind == JOB_LAUNCH)
			launch_done(s, (struct launch_job *)j);
		else
			commit_done(s, (struct commit_job *)j);
	}
}

/* Start the next test of the todo list in a free slot. */
static int
start(struct sched *s, const struct run_todo *todo)
{
	size_t i;

	for (i = 0; i < s->nslots; i++) {
		if (s->slots[i].used)
			continue;
		/* What a launch that failed left (run_slot_release drops
		 * the rest). */
		plan_test_drop(&s->slots[i].held);
		if (plan_test_keep(&s->slots[i].held, plan_test(s->plan,
		    todo->index)) == -1) {
			s->failed = 1;
			return prun_error_errno(s->err, PRUN_EXIT_IO, ENOMEM,
			    "test %s", plan_name(s->plan, todo->index));
		}
		return launch_start(s, &s->slots[i], &s->slots[i].held,
		    todo->index, todo->attempt, todo->start, NULL, 0);
	}
	return 0;
}

/* Read what a pipe holds; on EOF or error close it. */
static int
drain(struct sched *s, struct slot *sl, int *fd, struct capture *c,
    int parse)
{
	static char buf[READ_CHUNK];
	ssize_t n;
	int i;

	/* A bounded number of reads per wakeup keeps one chatty test from
	 * starving the others. */
	for (i = 0; i < 16; i++) {
		n = read(*fd, buf, sizeof buf);
		if (n > 0) {
			if (capture_append(c, buf, n) == -1 ||
			    (parse && outparse_feed(&sl->parse, buf, n) == -1))
				return prun_error_errno(s->err, PRUN_EXIT_IO,
				    errno, "test %s: output", sl->test->name);
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		close(*fd);
		*fd = -1;
		return 0;
	}
	return 0;
}

/* Signal every running test that has not exited. */
static void
signal_running(struct sched *s, int sig, double kill_at)
{
	struct slot *sl;
	size_t i;

	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (sl->used && !sl->launching && !sl->exited)
			run_signal_slot(sl, sig, kill_at);
	}
}

/* Whether a test of this name still runs (for spawn_kill_orphans). */
static int
is_running(const char *name, void *ctx)
{
	struct sched *s = ctx;
	size_t i;

	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].used && !s->slots[i].exited &&
		    strcmp(s->slots[i].test->name, name) == 0)
			return 1;
	return 0;
}

/* Kill the daemons that finished tests left behind. */
static void
kill_orphans(struct sched *s)
{
	pid_t groups[1024];
	size_t i, n = 0;

	for (i = 0; i < s->nslots && n < 1024; i++)
		if (s->slots[i].used && !s->slots[i].launching &&
		    !s->slots[i].exited)
			groups[n++] = s->slots[i].child.pid;
	spawn_kill_orphans(groups, n, is_running, s);
}

/* Reap exited children; a test's leftover group is killed at once. */
static void
reap(struct sched *s)
{
	struct slot *sl;
	pid_t pid;
	size_t i;
	int st, ended = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		/* A signal it sent before it exited may not be read yet. */
		s->reaped_pid[s->reaped_next] = pid;
		s->reaped_at[s->reaped_next] = util_mono();
		s->reaped_next = (s->reaped_next + 1) % REAPED_KEPT;
		for (i = 0; i < s->nslots; i++) {
			sl = &s->slots[i];
			if (!sl->used || sl->launching || sl->exited ||
			    sl->child.pid != pid)
				continue;
			run_slot_exited(sl, st);
			/* Its SIGCHLD came with the SIGCONT: it ended while
			 * prun was stopped, when is not known. */
			sl->ended_stopped = s->continued && sl->stop_to > 0;
			ended = 1;
			break;
		}
		/* Perhaps a test a worker just spawned (or a daemon). */
		if (i == s->nslots && s->launching > 0)
			launch_keep_early_exit(s, pid, st);
	}
	/* A daemon that left the group may hold the test's pipes open. */
	if (ended)
		kill_orphans(s);
}

/* Whether a finished try failed and may be run again. */
static int
rerun_wanted(struct sched *s, struct slot *sl, const struct prun_result *r)
{
	return status_is_failure(r->status) && r->status != PRUN_INCOMPLETE &&
	    sl->ntries < (size_t)s->opts->rerun_failures && !s->stopping &&
	    !s->failed && !out_of_time(s);
}

/* Keep try r (taken over) and run the slot's test again in the slot. */
static int
rerun(struct sched *s, struct slot *sl, struct prun_result *r)
{
	const struct prun_test t = sl->held;
	struct prun_result *tries;
	size_t index = sl->index, ntries = sl->ntries;
	int attempt = sl->attempt, start = sl->start;

	if ((tries = realloc(sl->tries, (ntries + 1) * sizeof *tries)) ==
	    NULL) {
		result_free(r);
		run_notify_lost(s, index, attempt, RUN_LOSS_UNRECORDED);
		run_slot_release(s, sl);
		s->failed = 1;
		return prun_error_errno(s->err, PRUN_EXIT_IO, ENOMEM,
		    "test %s", t.name);
	}
	/* A try is known by its test: it needs no name of its own. */
	free(r->name);
	free(r->command);
	r->name = r->command = NULL;
	tries[ntries++] = *r;
	memset(r, 0, sizeof *r);
	sl->tries = NULL;
	sl->ntries = 0;
	/* The test stays the slot's, past the release. */
	memset(&sl->held, 0, sizeof sl->held);
	run_slot_release(s, sl);
	/* Not an attempt more (nothing crashed), but a start more. */
	sl->held = t;
	return launch_start(s, sl, &sl->held, index, attempt, start + 1,
	    tries, ntries);
}

/*
 * --repeat: note try r as a repetition and run the test once more in its
 * slot, or, when it was the last, make r the test's record (repeat.h).
 * 1 when the test runs again, 0 when r is its record, -1 when out of
 * memory (r is then the caller's to free), -2 when the next repetition
 * could not be launched (the slot is free and the run stops, as after a
 * rerun's).  Repetitions stop where reruns do: when prun stops, cannot
 * record, or is past --overall-timeout; the test is then recorded with
 * those it had.
 */
static int
repeat_next(struct sched *s, struct slot *sl, struct prun_result *r)
{
	const struct prun_test t = sl->held;
	struct repeat rep;
	size_t index = sl->index;
	int attempt = sl->attempt, start = sl->start, last;

	last = repeat_is_last(&sl->rep, r, s->opts->repeat,
	    s->opts->until_fail) || s->stopping || s->failed ||
	    out_of_time(s);
	if (repeat_add(&sl->rep, r) == -1)
		return -1;
	if (last)
		return repeat_result(&sl->rep, r);
	/* Only the first failing repetition's output is kept meanwhile. */
	result_free(r);
	rep = sl->rep;
	memset(&sl->rep, 0, sizeof sl->rep);
	/* The test stays the slot's, past the release. */
	memset(&sl->held, 0, sizeof sl->held);
	run_slot_release(s, sl);
	/* A start more, as a rerun: its own PRUN_ATTEMPT and record. */
	sl->held = t;
	if (launch_start(s, sl, &sl->held, index, attempt, start + 1, NULL,
	    0) == -1) {
		repeat_free(&rep);
		return -2;
	}
	sl->rep = rep;
	return 1;
}

/* Record a test whose process exited and whose pipes are closed. */
static int
finish(struct sched *s, struct slot *sl)
{
	struct prun_result r;
	int rc;

	close_pipes(sl);
	memset(&r, 0, sizeof r);
	if (commit_result_init(&r, sl->test, sl->index, sl->attempt) == -1 ||
	    verdict_result(sl, run_test_timeout(s, sl->test), &r) == -1)
		goto nomem;
	verdict_leaks(sl, s->opts->leaks, &r);
	run_notify_finishing(s, &r);
	if (rerun_wanted(s, sl, &r))
		return rerun(s, sl, &r);
	if (s->opts->repeat > 1) {
		switch (repeat_next(s, sl, &r)) {
		case 1:
			return 0;
		case -1:
			goto nomem;
		case -2:
			return -1;
		}
	}
	r.tries = sl->tries;
	r.ntries = sl->ntries;
	sl->tries = NULL;
	sl->ntries = 0;
	r.flaky = r.ntries > 0 && (r.status == PRUN_PASS ||
	    r.status == PRUN_WARN);
	rc = commit_record(s, &r, sl->start);
	run_slot_release(s, sl);
	return rc;
nomem:
	result_free(&r);
	run_notify_lost(s, sl->index, sl->attempt, RUN_LOSS_UNRECORDED);
	run_slot_release(s, sl);
	s->failed = 1;
	return prun_error_errno(s->err, PRUN_EXIT_IO, ENOMEM, "test %s",
	    sl->test ? sl->test->name : "?");
}

/* Act on deadlines: timeouts, SIGKILL after --kill-after, drain limits. */
static void
check_deadlines(struct sched *s, double t)
{
	struct slot *sl;
	size_t i;

	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (!sl->used)
			continue;
		if (!sl->exited && !sl->timed_out && !sl->stopped &&
		    sl->deadline > 0 && t >= sl->deadline) {
			sl->timed_out = 1;
			spawn_signal(&sl->child, SIGTERM);
			spawn_signal(&sl->child, SIGCONT);
			sl->kill_at = t + s->opts->kill_after;
		}
		if (!sl->exited && sl->kill_at > 0 && t >= sl->kill_at) {
			spawn_signal(&sl->child, SIGKILL);
			sl->kill_at = 0;
		}
		if (sl->exited && t >= sl->drain_until)
			close_pipes(sl);
	}
}

/* The poll timeout in ms until the nearest deadline. */
static int
poll_timeout(const struct sched *s, double t)
{
	const struct slot *sl;
	double next = t + (s->ticking ? TICK_INTERVAL : 60);
	size_t i;
	int ms;

	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (!sl->used)
			continue;
		if (!sl->exited && !sl->timed_out && !sl->stopped &&
		    sl->deadline > 0 && sl->deadline < next)
			next = sl->deadline;
		if (!sl->exited && sl->kill_at > 0 && sl->kill_at < next)
			next = sl->kill_at;
		if (sl->exited && sl->drain_until < next)
			next = sl->drain_until;
		if (sl->exited && t + SWEEP_INTERVAL < next)
			next = t + SWEEP_INTERVAL;
		if (t + STOP_GRAIN < next)
			next = t + STOP_GRAIN;
	}
	ms = (int)((next - t) * 1000) + 1;
	return ms < 0 ? 0 : ms;
}

/* A request to stop: stop gently, then at once. */
static void
on_stop(struct sched *s, int sig, double t)
{
	if (s->outcome->signal == 0)
		s->outcome->signal = sig;
	if (s->stopping++ == 0)
		signal_running(s, SIGTERM, t + s->opts->kill_after);
	else
		signal_running(s, SIGKILL, 0);
}

/* prun runs again after a stop that began after s->awake: note the stop
 * in each running test, and find those past their deadline. */
static void
on_continued(struct sched *s, double t)
{
	struct slot *sl;
	size_t i;

	/* A stopping run records no time (a hangup brings SIGCONT). */
	if (s->stopping)
		return;
	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (!sl->used || sl->launching || sl->exited)
			continue;
		sl->stop_from = s->awake > sl->start_mono ? s->awake :
		    sl->start_mono;
		sl->stop_to = t;
		if (!sl->timed_out && !sl->stopped && sl->deadline > 0 &&
		    t >= sl->deadline)
			sl->late = 1;
	}
	s->continued = 1;
}

/* Who sent si: a test's main process (a zombie, or one of prun's
 * children reaped in the last REAPED_SECONDS: a test may send a signal
 * and exit before prun reads it, and prun reap it first), one of its
 * process group, one whose environment is the run's, or else someone
 * else. */
static enum signals_from
sender(struct sched *s, const struct signalfd_siginfo *si)
{
	pid_t pid = signals_sender(si), pgrp;
	size_t i;

	if (pid <= 0)
		return SIGNALS_FROM_OUTSIDE;
	for (i = 0; i < REAPED_KEPT; i++)
		if (s->reaped_pid[i] == pid &&
		    util_mono() - s->reaped_at[i] < REAPED_SECONDS)
			return SIGNALS_FROM_RUN;
	pgrp = getpgid(pid);
	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].used && !s->slots[i].launching &&
		    (s->slots[i].child.pid == pid ||
		    s->slots[i].child.pid == pgrp))
			return SIGNALS_FROM_RUN;
	switch (spawn_of_run(pid, s->results_dir)) {
	case 1:
		return SIGNALS_FROM_RUN;
	case 0:
		return SIGNALS_FROM_OUTSIDE;
	default:
		return SIGNALS_FROM_GONE;
	}
}

/* Read the signalfd and do what each signal asks (signals.c). */
static void
read_signals(struct sched *s, int sfd)
{
	struct signalfd_siginfo si;
	int chld = 0;

	while (read(sfd, &si, sizeof si) == sizeof si) {
		switch (signals_classify(&si, sender(s, &si))) {
		case SIGNALS_CHILD:
			chld = 1;
			break;
		case SIGNALS_STOP:
			on_stop(s, (int)si.ssi_signo, util_mono());
			break;
		case SIGNALS_SUSPEND:
			/* As SIGTSTP's default action would; the SIGCONT
			 * that ends it is read next. */
			s->awake = util_mono();
			kill(getpid(), SIGSTOP);
			break;
		case SIGNALS_CONTINUED:
			on_continued(s, util_mono());
			break;
		case SIGNALS_IGNORE:
			break;
		}
	}
	if (chld || s->continued)
		reap(s);
	s->continued = 0;
}

/* Stop every test after a failure to record, and wait for all children. */
static void
wind_down(struct sched *s)
{
	struct slot *sl;
	size_t i;
	int st;

	/* A launch still out spawns its test: let it, to stop it. */
	while (s->launching > 0)
		take_jobs(s, 1);
	signal_running(s, SIGKILL, 0);
	spawn_kill_orphans(NULL, 0, NULL, NULL);
	while (waitpid(-1, &st, 0) > 0 || errno == EINTR)
		spawn_kill_orphans(NULL, 0, NULL, NULL);
	/* Results still being written are reported if they make it. */
	while (s->committing > 0)
		take_jobs(s, 1);
	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (!sl->used)
			continue;
		if (s->failed)
			commit_given_up(s, sl->test, sl->index, sl->attempt,
			    sl->start, sl->start_real, (long)sl->child.pid,
			    sl->tries, sl->ntries, RUN_LOSS_GIVEN_UP);
		run_slot_release(s, sl);
	}
}

/* One turn of the loop: wait for output, children, signals, deadlines. */
static int
turn(struct sched *s, int sfd, struct pollfd *pfd)
{
	struct slot *sl;
	size_t i, n = 0;
	double t = util_mono();
	int rc = 0;

	/* The last moment prun is known to have run, should it be stopped
	 * in poll. */
	s->awake = t;
	pfd[n].fd = sfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = workers_fd(s->workers);
	pfd[n++].events = POLLIN;
	/* Only woken by the feed when its tests are the next to start. */
	pfd[n].fd = s->feed != NULL && s->feed_wanted ? s->feed->fd : -1;
	pfd[n++].events = POLLIN;
	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		pfd[n].fd = sl->used ? sl->child.out_fd : -1;
		pfd[n++].events = POLLIN;
		pfd[n].fd = sl->used ? sl->child.err_fd : -1;
		pfd[n++].events = POLLIN;
	}
	if (poll(pfd, n, poll_timeout(s, t)) == -1 && errno != EINTR)
		return prun_error_errno(s->err, PRUN_EXIT_IO, errno, "poll");
	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (!sl->used)
			continue;
		if (pfd[3 + 2 * i].revents && sl->child.out_fd != -1)
			rc |= drain(s, sl, &sl->child.out_fd, &sl->out, 1);
		if (pfd[4 + 2 * i].revents && sl->child.err_fd != -1)
			rc |= drain(s, sl, &sl->child.err_fd, &sl->err, 0);
	}
	if (pfd[0].revents)
		read_signals(s, sfd);
	if (pfd[1].revents)
		take_jobs(s, 0);
	check_deadlines(s, util_mono());
	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].used && s->slots[i].exited &&
		    (s->slots[i].child.out_fd != -1 ||
		    s->slots[i].child.err_fd != -1)) {
			kill_orphans(s);
			break;
		}
	for (i = 0; i < s->nslots; i++) {
		sl = &s->slots[i];
		if (sl->used && sl->exited && sl->child.out_fd == -1 &&
		    sl->child.err_fd == -1) {
			if (finish(s, sl) == -1)
				return -1;
			kill_orphans(s);
		}
	}
	return rc;
}

/* Run the todo tests; see run.h. */
int
run_tests(const struct prun_plan *plan, const struct prun_options *opts,
    struct prun_store *store, const char *results_dir,
    const struct run_todo *todo, size_t ntodo, const struct run_feed *feed,
    const struct run_observer *observers, struct run_outcome *outcome,
    struct prun_error *err)
{
	struct sched s;
	struct pollfd *pfd = NULL;
	sigset_t mask, old, stop;
	size_t next = 0, i;
	double last_tick = 0, t;
	int sfd = -1, rc = 0;

	memset(&s, 0, sizeof s);
	memset(outcome, 0, sizeof *outcome);
	s.plan = plan;
	s.opts = opts;
	s.store = store;
	s.results_dir = results_dir;
	s.feed = feed;
	s.observers = observers;
	s.ticking = notify_tick(&s, 0);
	s.outcome = outcome;
	s.err = err;
	s.nslots = opts->jobs > 0 ? (size_t)opts->jobs : 1;
	if (spawn_init(err) == -1) {
		rc = -1;
		goto out;
	}
	s.slots = calloc(s.nslots, sizeof *s.slots);
	pfd = calloc(3 + 2 * s.nslots, sizeof *pfd);
	if (s.slots == NULL || pfd == NULL) {
		rc = prun_error_errno(err, PRUN_EXIT_IO, errno, "scheduler");
		goto out;
	}
	for (i = 0; i < s.nslots; i++)
		s.slots[i].child.out_fd = s.slots[i].child.err_fd = -1;
	/* main blocked these already (signals.c rule 1); a library caller
	 * may not have. */
	signals_listen_set(&mask);
	signals_stop_set(&stop);
	sigprocmask(SIG_BLOCK, &mask, &old);
	if ((sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		rc = prun_error_errno(err, PRUN_EXIT_IO, errno, "signalfd");
		goto restore;
	}
	/* Before the threads: they would race to open it, and to set
	 * libxml2 up.  The threads inherit the mask, so prun's signals
	 * reach only the signalfd. */
	fragment_init();
	if (workers_start(&s.workers, (s.nslots < LAUNCHES_MAX ? s.nslots :
	    LAUNCHES_MAX) + 2, err) == -1) {
		rc = -1;
		close(sfd);
		goto restore;
	}
	if (opts->overall_timeout > 0)
		s.deadline = util_mono() + opts->overall_timeout;
	notify_attach(&s);
	/* A stop asked for before the run (while the plan loaded, while a
	 * resume read the results): no test starts. */
	read_signals(&s, sfd);
	while (next < ntodo || s.feed != NULL || s.nrunning > 0 ||
	    s.committing > 0) {
		act_on_halt(&s, util_mono());
		/* The feed's tests once the list's are all started. */
		s.feed_wanted = next == ntodo && s.feed != NULL;
		if (s.feed_wanted && !s.stopping && !s.failed &&
		    s.control.halt == RUN_HALT_NONE && !out_of_time(&s)) {
			if ((rc = take_feed(&s, &todo, &ntodo)) == -1) {
				s.failed = 1;
				break;
			}
			if (rc == 1) {
				next = 0;
				s.feed_wanted = 0;
			}
			rc = 0;
		}
		while (!s.stopping && !s.failed && next < ntodo &&
		    s.control.halt == RUN_HALT_NONE &&
		    !out_of_time(&s) &&
		    s.nrunning < s.nslots && !s.exclusive &&
		    s.launching < LAUNCHES_MAX &&
		    s.committing < COMMITS_PER_SLOT * s.nslots &&
		    !(plan_exclusive(plan, todo[next].index) &&
		    s.nrunning > 0)) {
			if (start(&s, &todo[next++]) == -1)
				break;
			/* Signals are only read in turn(): look now, so a
			 * Ctrl-C is not held up by a burst of starts. */
			read_signals(&s, sfd);
		}
		if (s.failed || ((s.stopping || s.expired ||
		    s.control.halt != RUN_HALT_NONE) &&
		    s.nrunning == 0 && s.committing == 0))
			break;
		/* Nothing runs: start more, or wait for the feed (turn polls
		 * it, and the signals). */
		if (s.nrunning == 0 && s.committing == 0 && !s.feed_wanted)
			continue;
		if (turn(&s, sfd, pfd) == -1) {
			s.failed = 1;
			break;
		}
		t = util_mono();
		if (s.ticking && t - last_tick >= TICK_INTERVAL) {
			notify_tick(&s, 1);
			last_tick = t;
		}
	}
	if (s.failed)
		rc = -1;
	if ((s.expired || s.control.halt != RUN_HALT_NONE) && !s.stopping)
		outcome->unstarted = ntodo - next;
	outcome->halted = s.control.halt;
	memcpy(outcome->halt_why, s.control.why, sizeof outcome->halt_why);
	wind_down(&s);
	workers_stop(s.workers);
	close(sfd);
restore:
	/* A stop signal stays blocked: one that comes now is the caller's
	 * to see (signals_stop_pending), never a death by its default
	 * action (signals.c rule 1). */
	for (i = 1; i < NSIG; i++)
		if (sigismember(&stop, (int)i))
			sigaddset(&old, (int)i);
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	notify_run_ended(&s);
	/* What launches that failed left in free slots. */
	for (i = 0; s.slots != NULL && i < s.nslots; i++)
		plan_test_drop(&s.slots[i].held);
	free(s.slots);
	free(s.early);
	free(pfd);
	return rc;
}
