/*
 * verdict: what a finished try earned, as a result.
 *
 * Its status comes from how its main process ended (exit code, signal),
 * unless prun ended it (timeout; stopped by a signal to prun, which makes
 * it incomplete and interrupted, so a resume runs it again), and then from
 * what its stdout reported (outparse).  prun's notes (the timeout, a
 * report it could not read, subtests it did not keep) go at the end of the
 * test's stderr, so they are read where the test's own complaints are.
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "exec/sched.h"

/* The captured stream as valid UTF-8 text, plus an optional note. */
static char *
stream_text(const struct capture *c, const char *note, size_t *len)
{
	char *raw, *text, *joined;
	size_t rawlen, nlen;

	if ((raw = capture_text(c, &rawlen)) == NULL)
		return NULL;
	text = text_to_utf8(raw, rawlen, len);
	free(raw);
	if (text == NULL || note == NULL)
		return text;
	nlen = strlen(note);
	if ((joined = realloc(text, *len + nlen + 2)) == NULL) {
		free(text);
		return NULL;
	}
	if (*len > 0 && joined[*len - 1] != '\n')
		joined[(*len)++] = '\n';
	memcpy(joined + *len, note, nlen + 1);
	*len += nlen;
	return joined;
}

/*
 * The signal a shell of prun's reports by its exit status, 128+N, when it
 * is one that means the program crashed (it dumps core or aborts); 0
 * otherwise.  dash runs its last command in a child, so a test that is a
 * shell string and crashes reaches prun as an exit status, not a signal.
 * A script that exits 139 on purpose is taken for a crash too: the shell
 * gives no way to tell them apart.
 */
static int
shell_crash_signal(const struct slot *sl)
{
	static const int crashes[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE,
	    SIGILL, SIGSYS, SIGTRAP };
	int code, i;

	if (!WIFEXITED(sl->wstatus) || !plan_uses_shell(sl->test))
		return 0;
	code = WEXITSTATUS(sl->wstatus);
	for (i = 0; i < (int)(sizeof crashes / sizeof crashes[0]); i++)
		if (code == 128 + crashes[i])
			return crashes[i];
	return 0;
}

/* The status a finished test earned, before its own report. */
static enum prun_status
exit_status(const struct slot *sl, struct prun_result *r)
{
	int st = sl->wstatus;

	if (WIFEXITED(st)) {
		r->has_returncode = 1;
		r->returncode = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st)) {
		r->has_returncode = 1;
		r->returncode = -WTERMSIG(st);
	}
	/* However it ended after prun told it to stop, it did not finish. */
	if (sl->stopped)
		return PRUN_INCOMPLETE;
	/* Found past its deadline when a stopped prun ran again: whenever
	 * it ended, it had its time. */
	if (sl->timed_out || sl->late)
		return PRUN_TIMEOUT;
	if (WIFSIGNALED(st) || shell_crash_signal(sl) != 0)
		return PRUN_CRASH;
	if (WEXITSTATUS(st) == 0)
		return PRUN_PASS;
	if (WEXITSTATUS(st) == 77)
		return PRUN_SKIP;
	return PRUN_FAIL;
}

/* Append "prun: " and a formatted line to the notes in buf. */
static void __attribute__((format(printf, 3, 4)))
add_note(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 7 >= size)
		return;
	len += (size_t)snprintf(buf + len, size - len, "%sprun: ",
	    len > 0 ? "\n" : "");
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* Fill r (its common fields set) from slot sl, whose try ended; timeout is
 * the test's.  0, or -1 when out of memory (r is then the caller's to
 * free). */
int
verdict_result(struct slot *sl, double timeout, struct prun_result *r)
{
	enum prun_status base;
	char note[512], *notep = NULL;
	int sig;

	r->time_start = sl->start_real;
	r->time_end = r->time_start + (util_mono() - sl->start_mono);
	/* Ended while prun was stopped: what prun saw of it is known. */
	if (sl->ended_stopped)
		r->time_end = r->time_start + (sl->stop_from - sl->start_mono);
	r->pid = sl->child.pid;
	base = exit_status(sl, r);
	outparse_finish(&sl->parse);
	if (base == PRUN_INCOMPLETE && sl->halted != NULL) {
		/* Halted for the machine's sake: the attempt counts, so a
		 * test that breaks the kernel does not loop across reboots. */
		r->status = PRUN_INCOMPLETE;
		note[0] = '\0';
		add_note(note, sizeof note, "stopped: %s (the attempt counts)",
		    sl->halted);
		notep = note;
	} else if (base == PRUN_INCOMPLETE) {
		r->status = PRUN_INCOMPLETE;
		r->interrupted = 1;
		notep = "prun: stopped by a signal to prun";
	} else {
		r->status = outparse_status(&sl->parse, base);
		note[0] = '\0';
		if (sl->timed_out)
			add_note(note, sizeof note, "killed after the timeout "
			    "of %g s", timeout);
		if (sl->late)
			add_note(note, sizeof note, "prun was stopped from %.1f "
			    "to %.1f s after the test started, and found it "
			    "past its timeout of %g s when it ran again",
			    sl->stop_from - sl->start_mono,
			    sl->stop_to - sl->start_mono, timeout);
		if (sl->ended_stopped)
			add_note(note, sizeof note, "the test ended while prun "
			    "was stopped: it ran at least %.1f s and at most "
			    "%.1f s", sl->stop_from - sl->start_mono,
			    sl->stop_to - sl->start_mono);
		else if (sl->parse.note != NULL)
			add_note(note, sizeof note, "%s", sl->parse.note);
		if ((sig = shell_crash_signal(sl)) != 0)
			add_note(note, sizeof note, "crash: the shell reported "
			    "its command killed by SIG%s (exit status %d)",
			    sigabbrev_np(sig), 128 + sig);
		if (sl->parse.dropped > 0)
			add_note(note, sizeof note, "%zu more subtests than "
			    "the %d kept were not recorded (the worst was %s)",
			    sl->parse.dropped, OUTPARSE_SUBTESTS_MAX,
			    status_name(sl->parse.dropped_worst));
		if (note[0] != '\0')
			notep = note;
	}
	r->subtests = outparse_take_subtests(&sl->parse, &r->nsubtests);
	if ((r->out = stream_text(&sl->out, NULL, &r->out_len)) == NULL ||
	    (r->err = stream_text(&sl->err, notep, &r->err_len)) == NULL)
		return -1;
	return 0;
}

/* Give r the processes that outlived the try's main process, and let
 * --leaks judge them: note keeps the status, warn makes a pass a warn,
 * fail makes a pass or a warn a fail. */
void
verdict_leaks(struct slot *sl, enum prun_leaks policy, struct prun_result *r)
{
	char **names;
	size_t i;

	if (sl->leaked == 0)
		return;
	r->leaked = sl->leaked;
	if (sl->nleak_names > 0 &&
	    (names = calloc(sl->nleak_names, sizeof *names)) != NULL) {
		for (i = 0; i < sl->nleak_names; i++)
			names[i] = sl->leak_names[i];
		r->leak_commands = names;
		r->nleak_commands = sl->nleak_names;
		sl->nleak_names = 0;
	}
	if (policy == LEAKS_WARN && r->status == PRUN_PASS)
		r->status = PRUN_WARN;
	else if (policy == LEAKS_FAIL && (r->status == PRUN_PASS ||
	    r->status == PRUN_WARN))
		r->status = PRUN_FAIL;
}
