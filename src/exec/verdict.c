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
	if (sl->timed_out)
		return PRUN_TIMEOUT;
	if (WIFSIGNALED(st))
		return PRUN_CRASH;
	if (WEXITSTATUS(st) == 0)
		return PRUN_PASS;
	if (WEXITSTATUS(st) == 77)
		return PRUN_SKIP;
	return PRUN_FAIL;
}

/* Fill r (its common fields set) from slot sl, whose try ended; timeout is
 * the test's.  0, or -1 when out of memory (r is then the caller's to
 * free). */
int
verdict_result(struct slot *sl, double timeout, struct prun_result *r)
{
	enum prun_status base;
	char note[512], *notep = NULL;
	size_t len;

	r->time_start = sl->start_real;
	r->time_end = r->time_start + (util_mono() - sl->start_mono);
	r->pid = sl->child.pid;
	base = exit_status(sl, r);
	outparse_finish(&sl->parse);
	if (base == PRUN_INCOMPLETE) {
		r->status = PRUN_INCOMPLETE;
		r->interrupted = 1;
		notep = "prun: stopped by a signal to prun";
	} else {
		r->status = outparse_status(&sl->parse, base);
		if (sl->timed_out) {
			snprintf(note, sizeof note, "prun: killed after the "
			    "timeout of %g s", timeout);
			notep = note;
		} else if (sl->parse.note != NULL) {
			snprintf(note, sizeof note, "prun: %s",
			    sl->parse.note);
			notep = note;
		}
		if (sl->parse.dropped > 0) {
			len = notep != NULL ? strlen(note) : 0;
			snprintf(note + len, sizeof note - len, "%sprun: %zu "
			    "more subtests than the %d kept were not recorded "
			    "(the worst was %s)", len > 0 ? "\n" : "",
			    sl->parse.dropped, OUTPARSE_SUBTESTS_MAX,
			    status_name(sl->parse.dropped_worst));
			notep = note;
		}
	}
	r->subtests = outparse_take_subtests(&sl->parse, &r->nsubtests);
	if ((r->out = stream_text(&sl->out, NULL, &r->out_len)) == NULL ||
	    (r->err = stream_text(&sl->err, notep, &r->err_len)) == NULL)
		return -1;
	return 0;
}
