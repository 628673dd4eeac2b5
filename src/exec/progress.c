/*
 * progress: the live status line and the CI log lines of a run.
 *
 * Only results on disk are counted (observer.h).  What runs is the set of
 * tests started and not yet ended, so the line never names a test that
 * has finished.  The ETA is a moment, not a duration: between results
 * it counts down, and each result moves what is left a quarter of the
 * way toward what the rate since the start predicts, so a long test
 * neither pushes it up every tick nor makes it leap when it ends.
 */
#include <sys/ioctl.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/reason.h"
#include "core/text.h"
#include "core/util.h"
#include "exec/progress.h"

/* How far each result moves the ETA toward the rate's prediction. */
#define ETA_WEIGHT	0.25

/* Statuses in the order the counts are shown. */
static const enum prun_status shown[] = {
	PRUN_PASS, PRUN_FAIL, PRUN_SKIP, PRUN_WARN, PRUN_DMESG_WARN,
	PRUN_DMESG_FAIL, PRUN_CRASH, PRUN_TIMEOUT, PRUN_INCOMPLETE, PRUN_NOTRUN,
};

/* A line being put together: what shows is cut to width, colours are
 * escape sequences that take no room. */
struct line {
	char	 buf[4096];
	size_t	 len;		/* bytes in buf */
	size_t	 vis;		/* of them, what shows */
	size_t	 width;		/* the most that may show */
	int	 color;
};

/* Start a line of at most width visible bytes. */
static void
line_init(struct line *l, size_t width, int color)
{
	l->buf[0] = '\0';
	l->len = l->vis = 0;
	l->width = width;
	l->color = color;
}

/* Add a printf'd piece, in the colour sgr (NULL: none), as much as fits,
 * never cutting a UTF-8 sequence. */
static void __attribute__((format(printf, 3, 4)))
line_add(struct line *l, const char *sgr, const char *fmt, ...)
{
	char piece[1024];
	size_t n, room;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	n = strlen(piece);
	if (l->len + 16 >= sizeof l->buf)
		return;
	room = l->width - l->vis;
	if (room > sizeof l->buf - l->len - 16)
		room = sizeof l->buf - l->len - 16;
	if (n > room)
		n = text_utf8_cut_back(piece, n, room);
	if (n == 0)
		return;
	if (sgr != NULL && l->color)
		l->len += snprintf(l->buf + l->len, sizeof l->buf - l->len,
		    "\033[%sm", sgr);
	memcpy(l->buf + l->len, piece, n);
	l->len += n;
	l->vis += n;
	if (sgr != NULL && l->color)
		l->len += snprintf(l->buf + l->len, sizeof l->buf - l->len,
		    "\033[0m");
	l->buf[l->len] = '\0';
}

/* Seconds as "12s", "3m05s" or "2h01m". */
static void
format_secs(double secs, char *buf, size_t size)
{
	long s = secs > 0 ? (long)secs : 0;

	if (s < 60)
		snprintf(buf, size, "%lds", s);
	else if (s < 3600)
		snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, size, "%ldh%02ldm", s / 3600, s / 60 % 60);
}

/* Start showing a run. */
void
progress_init(struct progress *p, FILE *fp, const struct prun_options *o,
    size_t total, const size_t *counts)
{
	size_t i;

	memset(p, 0, sizeof *p);
	p->fp = fp;
	p->verbose = o->verbose;
	p->total = total;
	p->clock = util_mono;
	p->start = p->last_output = p->clock();
	p->heartbeat = o->heartbeat;
	p->failure_lines = o->failure_lines;
	p->color = options_color_on(o->color, fileno(fp));
	if (counts != NULL)
		for (i = 0; i < PRUN_NSTATUS; i++) {
			p->counts[i] = counts[i];
			p->done += counts[i];
		}
	p->done_before = p->done;
	if (o->progress == PROGRESS_AUTO)
		p->live = isatty(fileno(fp));
	else
		p->live = o->progress == PROGRESS_TTY;
	p->quiet = o->verbose < 0;
	if (o->progress == PROGRESS_NONE || o->verbose < 0) {
		p->live = 0;
		p->verbose = -1;
	}
}

/* The counts, "3 pass, 1 fail", each in its status's colour. */
static void
add_counts(const struct progress *p, struct line *l)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		if (p->counts[shown[i]] == 0)
			continue;
		if (n++ > 0)
			line_add(l, NULL, ", ");
		line_add(l, status_color(shown[i]), "%zu %s",
		    p->counts[shown[i]], status_name(shown[i]));
	}
}

/* The tests running now, longest first, with their elapsed times:
 * "2 running: x/hang 1m02s, x/other 3s". */
static void
add_running(const struct progress *p, struct line *l, double now)
{
	const struct progress_running *oldest[PROGRESS_NAMED], *c;
	char secs[32];
	size_t i, k, n = 0;

	/* The PROGRESS_NAMED oldest, by insertion: n is small. */
	for (i = 0; i < p->nrunning; i++) {
		c = &p->running[i];
		for (k = n; k > 0 && (oldest[k - 1]->since > c->since ||
		    (oldest[k - 1]->since == c->since &&
		    oldest[k - 1]->index > c->index)); k--)
			if (k < PROGRESS_NAMED)
				oldest[k] = oldest[k - 1];
		if (k < PROGRESS_NAMED)
			oldest[k] = c;
		if (n < PROGRESS_NAMED)
			n++;
	}
	line_add(l, NULL, "%zu running", p->nrunning);
	for (k = 0; k < n; k++) {
		format_secs(now - oldest[k]->since, secs, sizeof secs);
		line_add(l, NULL, "%s%s %s", k == 0 ? ": " : ", ",
		    oldest[k]->name, secs);
	}
}

/* "[done/total] 3 pass, 1 fail": where the run is. */
static void
add_done(const struct progress *p, struct line *l)
{
	line_add(l, NULL, "[%zu/%zu]", p->done, p->total);
	if (p->done > 0)
		line_add(l, NULL, " ");
	add_counts(p, l);
}

/* The width of the terminal, or 80. */
static size_t
term_width(const struct progress *p)
{
	struct winsize ws;

	if (ioctl(fileno(p->fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col;
	return 80;
}

/* Redraw the live line, cut to the terminal's width. */
static void
draw(struct progress *p)
{
	struct line l;
	double now = p->clock(), el = now - p->start, rate, eta;
	size_t ran = p->done - p->done_before;
	long s;

	line_init(&l, term_width(p) - 1, p->color);
	add_done(p, &l);
	rate = el > 0 ? ran / el : 0;
	if (p->eta_end > 0) {
		eta = p->eta_end - now;
		s = eta > 0 ? (long)(eta + 0.5) : 0;
		line_add(&l, NULL, " | %.1f/s ETA %ld:%02ld", rate, s / 60,
		    s % 60);
	}
	if (p->nrunning > 0) {
		line_add(&l, NULL, " | ");
		add_running(p, &l, now);
	}
	fprintf(p->fp, "\r%s\033[K", l.buf);
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

/* Forget test index as running. */
static void
forget(struct progress *p, size_t index)
{
	size_t i;

	for (i = 0; i < p->nrunning; i++)
		if (p->running[i].index == index) {
			free(p->running[i].name);
			p->running[i] = p->running[--p->nrunning];
			return;
		}
}

/* Observer: a test started. */
static void
on_started(void *ctx, const struct prun_test *t, size_t index, int attempt)
{
	struct progress *p = ctx;
	struct progress_running *nr;
	char *name;

	(void)attempt;
	forget(p, index);	/* a rerun of the same test */
	if (p->nrunning == p->cap) {
		nr = realloc(p->running, (p->cap * 2 + 8) * sizeof *nr);
		if (nr == NULL)
			return;		/* only the display is the poorer */
		p->running = nr;
		p->cap = p->cap * 2 + 8;
	}
	if ((name = strdup(t->name)) == NULL)
		return;
	p->running[p->nrunning].index = index;
	p->running[p->nrunning].name = name;
	p->running[p->nrunning].since = p->clock();
	p->nrunning++;
}

/* Move the ETA toward what the rate of this run's results predicts. */
static void
update_eta(struct progress *p)
{
	double now = p->clock(), el = now - p->start, left, cur;
	size_t ran = p->done - p->done_before;

	if (p->done >= p->total) {
		p->eta_end = now;
		return;
	}
	if (ran == 0 || el <= 0)
		return;
	left = (p->total - p->done) * el / ran;
	if (p->eta_end == 0) {
		p->eta_end = now + left;
		return;
	}
	cur = p->eta_end > now ? p->eta_end - now : 0;
	p->eta_end = now + cur + ETA_WEIGHT * (left - cur);
}

/* Print a test's line: status, name, time and why; for a failure, the
 * last lines of its stderr. */
static void
print_result(struct progress *p, const struct prun_result *r)
{
	const char *sgr = p->color ? status_color(r->status) : NULL;
	char why[512], *tail, *line, *next;

	reason_describe(r, why, sizeof why);
	fprintf(p->fp, "%s%s%s%s%s%s: %s (%.2f s)%s%s\n",
	    sgr != NULL ? "\033[" : "", sgr != NULL ? sgr : "",
	    sgr != NULL ? "m" : "", status_name(r->status),
	    sgr != NULL ? "\033[0m" : "", r->flaky ? " (flaky)" : "", r->name,
	    r->time_end - r->time_start, why[0] != '\0' ? ": " : "", why);
	if (!status_is_failure(r->status) || p->failure_lines <= 0)
		return;
	if ((tail = reason_err_tail(r, (size_t)p->failure_lines)) == NULL)
		return;
	for (line = tail; *line != '\0'; line = next + 1) {
		next = strchr(line, '\n');
		fprintf(p->fp, "    %.*s\n", (int)(next - line), line);
	}
	free(tail);
}

/* Observer: a result is on disk. */
static void
on_ended(void *ctx, const struct prun_result *r, int durable)
{
	struct progress *p = ctx;
	int notable = (r->status != PRUN_PASS && r->status != PRUN_SKIP) ||
	    r->flaky;

	(void)durable;

	forget(p, r->index);
	p->done++;
	p->counts[r->status]++;
	update_eta(p);
	if (p->verbose > 0 || (p->verbose == 0 && notable)) {
		clear(p);
		print_result(p, r);
		p->last_output = p->clock();
	}
	if (p->live)
		draw(p);
	else
		fflush(p->fp);
}

/* Observer: results an earlier run recorded, found as a resume reads its
 * fragments: done before this run, as if found at its start. */
static void
on_recorded(void *ctx, const size_t *counts)
{
	struct progress *p = ctx;
	size_t i;

	for (i = 0; i < PRUN_NSTATUS; i++) {
		p->counts[i] += counts[i];
		p->done += counts[i];
		p->done_before += counts[i];
	}
}

/* Observer: a test ended without a result that counts. */
static void
on_lost(void *ctx, size_t index, int attempt, enum run_loss why)
{
	struct progress *p = ctx;

	(void)attempt;
	(void)why;
	forget(p, index);
	if (p->live)
		draw(p);
}

/* Lines mode: after heartbeat seconds without a line, say that the run
 * is alive and what it waits for, so a CI job is not killed as silent. */
static void
heartbeat(struct progress *p)
{
	struct line l;
	double now = p->clock();
	char secs[32];

	if (now - p->last_output < p->heartbeat)
		return;
	format_secs(now - p->start, secs, sizeof secs);
	line_init(&l, sizeof l.buf, p->color);
	line_add(&l, NULL, "prun: still running after %s: ", secs);
	add_done(p, &l);
	line_add(&l, NULL, " | ");
	add_running(p, &l, now);
	fprintf(p->fp, "%s\n", l.buf);
	fflush(p->fp);
	p->last_output = now;
}

/* Observer: time passes; keep the rate, ETA and elapsed times moving. */
static void
on_tick(void *ctx)
{
	struct progress *p = ctx;

	if (p->live)
		draw(p);
	else if (p->heartbeat > 0 && p->verbose >= 0)
		heartbeat(p);
}

/* The progress as an observer of the run. */
void
progress_observer(struct progress *p, struct run_observer *o)
{
	memset(o, 0, sizeof *o);
	o->ctx = p;
	o->started = on_started;
	o->ended = on_ended;
	o->lost = on_lost;
	o->recorded = on_recorded;
	o->tick = p->live || (p->heartbeat > 0 && p->verbose >= 0) ?
	    on_tick : NULL;
}

/* Clear the live line and print the closing line (unless quiet). */
void
progress_end(struct progress *p, int signal, const char *dir)
{
	struct line l;
	size_t i;

	for (i = 0; i < p->nrunning; i++)
		free(p->running[i].name);
	free(p->running);
	p->running = NULL;
	p->nrunning = p->cap = 0;
	clear(p);
	if (p->quiet)
		return;
	line_init(&l, sizeof l.buf, p->color);
	add_counts(p, &l);
	fprintf(p->fp, "prun: %zu/%zu tests in %.1f s: %s%s; results in %s\n",
	    p->done, p->total, p->clock() - p->start, l.len ? l.buf : "none",
	    signal == SIGINT ? " (interrupted)" :
	    signal == SIGTERM ? " (terminated)" :
	    signal == SIGHUP ? " (hung up)" :
	    signal == SIGQUIT ? " (quit)" : "", dir);
	fflush(p->fp);
}
