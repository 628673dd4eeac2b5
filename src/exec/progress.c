/*
 * progress: the live status line and the CI log lines of a run.
 */
#include <sys/ioctl.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "exec/progress.h"

/* Statuses in the order the counts are shown. */
static const enum prun_status shown[] = {
	PRUN_PASS, PRUN_FAIL, PRUN_SKIP, PRUN_WARN, PRUN_CRASH, PRUN_TIMEOUT,
	PRUN_INCOMPLETE, PRUN_NOTRUN,
};

/* Start showing a run. */
void
progress_init(struct progress *p, FILE *fp, enum prun_progress mode,
    int verbose, size_t total, const size_t *counts)
{
	size_t i;

	memset(p, 0, sizeof *p);
	p->fp = fp;
	p->verbose = verbose;
	p->total = total;
	p->start = util_mono();
	if (counts != NULL)
		for (i = 0; i < PRUN_NSTATUS; i++) {
			p->counts[i] = counts[i];
			p->done += counts[i];
		}
	p->done_before = p->done;
	if (mode == PROGRESS_AUTO)
		p->live = isatty(fileno(fp));
	else
		p->live = mode == PROGRESS_TTY;
	p->quiet = verbose < 0;
	if (mode == PROGRESS_NONE || verbose < 0) {
		p->live = 0;
		p->verbose = -1;
	}
}

/* The counts as "3 pass, 1 fail" into buf. */
static void
format_counts(const struct progress *p, char *buf, size_t size)
{
	size_t i, off = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		if (p->counts[shown[i]] == 0)
			continue;
		n = snprintf(buf + off, size - off, "%s%zu %s",
		    off ? ", " : "", p->counts[shown[i]],
		    status_name(shown[i]));
		if (n < 0 || (size_t)n >= size - off)
			break;
		off += n;
	}
}

/* Redraw the live line, cut to the terminal's width. */
static void
draw(struct progress *p)
{
	struct winsize ws;
	char counts[256], line[512];
	double el = util_mono() - p->start, rate;
	size_t width = 80, ran = p->done - p->done_before;
	long eta = -1;

	if (ioctl(fileno(p->fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		width = ws.ws_col;
	rate = el > 0 ? ran / el : 0;
	if (rate > 0 && p->total >= p->done)
		eta = (long)((p->total - p->done) / rate);
	format_counts(p, counts, sizeof counts);
	if (eta >= 0)
		snprintf(line, sizeof line, "[%zu/%zu] %s | %.1f/s ETA "
		    "%ld:%02ld | %s", p->done, p->total, counts, rate,
		    eta / 60, eta % 60, p->running);
	else
		snprintf(line, sizeof line, "[%zu/%zu] %s | %s", p->done,
		    p->total, counts, p->running);
	if (strlen(line) > width - 1)
		line[width - 1] = '\0';
	fprintf(p->fp, "\r%s\033[K", line);
	fflush(p->fp);
	p->drawn = 1;
}

/* Take the live line off the screen before printing a log line. */
static void
clear(struct progress *p)
{
	if (p->drawn) {
		fputs("\r\033[K", p->fp);
		p->drawn = 0;
	}
}

/* Observer: a test started. */
static void
on_started(void *ctx, const struct prun_test *t, size_t index, int attempt)
{
	struct progress *p = ctx;

	(void)index;
	(void)attempt;
	snprintf(p->running, sizeof p->running, "%s", t->name);
}

/* Observer: a result is on disk. */
static void
on_ended(void *ctx, const struct prun_result *r, int durable)
{
	struct progress *p = ctx;
	int notable = (r->status != PRUN_PASS && r->status != PRUN_SKIP) ||
	    r->flaky;

	(void)durable;

	p->done++;
	p->counts[r->status]++;
	if (p->verbose > 0 || (p->verbose == 0 && notable)) {
		clear(p);
		fprintf(p->fp, "%s%s: %s (%.2f s)\n", status_name(r->status),
		    r->flaky ? " (flaky)" : "", r->name,
		    r->time_end - r->time_start);
	}
	if (p->live)
		draw(p);
	else
		fflush(p->fp);
}

/* Observer: time passes; keep the rate and ETA moving. */
static void
on_tick(void *ctx)
{
	struct progress *p = ctx;

	if (p->live)
		draw(p);
}

/* The progress as an observer of the run. */
void
progress_observer(struct progress *p, struct run_observer *o)
{
	memset(o, 0, sizeof *o);
	o->ctx = p;
	o->started = on_started;
	o->ended = on_ended;
	o->tick = p->live ? on_tick : NULL;
}

/* Clear the live line and print the closing line (unless quiet). */
void
progress_end(struct progress *p, int signal, const char *dir)
{
	char counts[256];

	clear(p);
	if (p->quiet)
		return;
	format_counts(p, counts, sizeof counts);
	fprintf(p->fp, "prun: %zu/%zu tests in %.1f s: %s%s; results in %s\n",
	    p->done, p->total, util_mono() - p->start, counts[0] ? counts : "none",
	    signal == SIGINT ? " (interrupted)" :
	    signal == SIGTERM ? " (terminated)" :
	    signal == SIGHUP ? " (hung up)" :
	    signal == SIGQUIT ? " (quit)" : "", dir);
	fflush(p->fp);
}
