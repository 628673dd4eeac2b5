/*
 * monitor: the machine under test, watched while tests run (monitor.h).
 *
 * The kernel log cannot say which test a line came from: a line is given
 * to every test running when it is read (with -j above 1 the results say
 * so: dmesg_shared), and the log is read to its end when a try ends,
 * before its result is kept.  The taint flags are read a few times a
 * second and when a try ends; a watched bit that was clear at the start
 * and is set now, or a line matching --abort-on, halts the run
 * (RUN_HALT_ALL): no test starts, the running ones stop with their
 * attempt counted, and main exits with status 4.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "exec/kmsg.h"
#include "exec/monitor.h"
#include "exec/taint.h"

/* The most of the kernel log kept for one try: a kernel in a loop of
 * warnings must not fill memory or make a fragment too large to read. */
#define DMESG_MAX	(1u << 20)

/* The kernel log of one running try. */
struct watched {
	size_t	 index;
	char	*log;
	size_t	 len, cap;
	size_t	 dropped;	/* bytes past DMESG_MAX */
	int	 shared;	/* read while another test ran too */
	int	 matched;	/* a line matched --dmesg-regex */
};

struct monitor {
	struct monitor_config	 cfg;
	struct kmsg		*kmsg;
	regex_t			 dmesg_re, abort_re;
	int			 has_dmesg_re, has_abort_re;
	unsigned long		 taint0;	/* the flags at the start */
	struct run_control	*ctl;
	struct watched		*w;
	size_t			 nw, capw;
	char			 cause[RUN_HALT_WHY];
};

/* Compile an option's regex, or say which and why not. */
static int
compile(regex_t *re, const char *opt, const char *pattern,
    struct prun_error *err)
{
	char msg[128];
	int rc;

	if ((rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB)) == 0)
		return 0;
	regerror(rc, re, msg, sizeof msg);
	return prun_error_set(err, PRUN_EXIT_USAGE, "run: %s '%s': invalid "
	    "regex: %s", opt, pattern, msg);
}

/* Start watching; see monitor.h. */
int
monitor_new(struct monitor **out, const struct monitor_config *cfg,
    struct prun_error *err)
{
	struct monitor *m;

	*out = NULL;
	if (!cfg->dmesg && cfg->abort_on == NULL && !cfg->abort_taint)
		return 0;
	if ((m = calloc(1, sizeof *m)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "monitor");
	m->cfg = *cfg;
	if (cfg->dmesg) {
		if (compile(&m->dmesg_re, "--dmesg-regex", cfg->dmesg_regex ?
		    cfg->dmesg_regex : MONITOR_DMESG_REGEX, err) == -1)
			goto fail;
		m->has_dmesg_re = 1;
	}
	if (cfg->abort_on != NULL) {
		if (compile(&m->abort_re, "--abort-on", cfg->abort_on,
		    err) == -1)
			goto fail;
		m->has_abort_re = 1;
	}
	if ((cfg->dmesg || cfg->abort_on != NULL) &&
	    kmsg_open(&m->kmsg, NULL, err) == -1)
		goto fail;
	if (cfg->abort_taint && taint_read(NULL, &m->taint0, err) == -1)
		goto fail;
	*out = m;
	return 0;
fail:
	monitor_free(m);
	return -1;
}

/* Halt the run for the machine's sake, once. */
static void
halt(struct monitor *m, const char *fmt, const char *a, const char *b)
{
	if (m->cause[0] != '\0')
		return;
	/* A long line is cut: its start says enough. */
	if (snprintf(m->cause, sizeof m->cause, fmt, a, b) < 0)
		snprintf(m->cause, sizeof m->cause, "%s", fmt);
	if (m->ctl != NULL)
		run_halt(m->ctl, RUN_HALT_ALL, m->cause);
}

/* Append len bytes of s to a try's log (dropped when out of memory). */
static void
append(struct watched *w, const char *s, size_t len)
{
	size_t cap;
	char *p;

	if (w->len + len + 1 > w->cap) {
		cap = w->cap > 0 ? w->cap : 256;
		while (cap < w->len + len + 1)
			cap *= 2;
		if ((p = realloc(w->log, cap)) == NULL)
			return;
		w->log = p;
		w->cap = cap;
	}
	memcpy(w->log + w->len, s, len);
	w->len += len;
	w->log[w->len] = '\0';
}

/* Append a line and its newline, unless past DMESG_MAX. */
static void
append_line(struct watched *w, const char *line, size_t len)
{
	if (w->len + len + 1 > DMESG_MAX) {
		w->dropped += len + 1;
		return;
	}
	append(w, line, len);
	append(w, "\n", 1);
}

/* One new line of the kernel log: to every running try, and watched. */
static void
on_line(void *ctx, const char *line, size_t len)
{
	struct monitor *m = ctx;
	char buf[8192];
	size_t i;
	int matched;

	snprintf(buf, sizeof buf, "%.*s", (int)len, line);
	if (m->has_abort_re && regexec(&m->abort_re, buf, 0, NULL, 0) == 0)
		halt(m, "a kernel log line matched --abort-on '%s': %s",
		    m->cfg.abort_on, buf);
	if (!m->cfg.dmesg)
		return;
	matched = regexec(&m->dmesg_re, buf, 0, NULL, 0) == 0;
	for (i = 0; i < m->nw; i++) {
		append_line(&m->w[i], line, len);
		m->w[i].matched |= matched;
		if (m->nw > 1)
			m->w[i].shared = 1;
	}
}

/* Read what the kernel logged since the last look. */
static void
poll_kmsg(struct monitor *m)
{
	struct prun_error err;
	size_t i;
	int len;

	if (m->kmsg == NULL || kmsg_read(m->kmsg, on_line, m, &err) == 0)
		return;
	/* Said in the results of the tests it leaves unwatched. */
	for (i = 0; i < m->nw; i++) {
		len = (int)strlen(err.msg);
		append(&m->w[i], "prun: ", 6);
		append(&m->w[i], err.msg, (size_t)len);
		append(&m->w[i], "\n", 1);
	}
	kmsg_close(m->kmsg);
	m->kmsg = NULL;
}

/* Halt when a watched taint bit that was clear at the start is set. */
static void
check_taint(struct monitor *m)
{
	struct prun_error err;
	unsigned long bits, set;
	char what[RUN_HALT_WHY];

	if (!m->cfg.abort_taint || taint_read(NULL, &bits, &err) == -1)
		return;
	if ((set = bits & ~m->taint0 & m->cfg.taint_mask) == 0)
		return;
	taint_describe(set, what, sizeof what);
	halt(m, "the kernel is tainted (%s: %s)", taint_path(), what);
}

/* The watched try of test index, or NULL. */
static struct watched *
find(struct monitor *m, size_t index)
{
	size_t i;

	for (i = 0; i < m->nw; i++)
		if (m->w[i].index == index)
			return &m->w[i];
	return NULL;
}

/* Stop watching a try. */
static void
drop(struct monitor *m, struct watched *w)
{
	free(w->log);
	*w = m->w[--m->nw];
}

static void
on_attach(void *ctx, struct run_control *ctl)
{
	struct monitor *m = ctx;

	m->ctl = ctl;
	/* A cause found before the run could be told. */
	if (m->cause[0] != '\0')
		run_halt(ctl, RUN_HALT_ALL, m->cause);
}

static void
on_started(void *ctx, const struct prun_test *t, size_t index, int attempt)
{
	struct monitor *m = ctx;
	struct watched *w;

	(void)t;
	(void)attempt;
	/* No read first: the test runs already and may have logged; what
	 * is read next goes to it, and to the others running. */
	if (!m->cfg.dmesg || find(m, index) != NULL)
		return;
	if (m->nw == m->capw) {
		w = realloc(m->w, (m->capw * 2 + 4) * sizeof *w);
		if (w == NULL)
			return;
		m->w = w;
		m->capw = m->capw * 2 + 4;
	}
	memset(&m->w[m->nw], 0, sizeof m->w[m->nw]);
	m->w[m->nw++].index = index;
}

/* piglit's rule: pass becomes dmesg-warn; warn and fail dmesg-fail. */
static enum prun_status
dmesg_status(enum prun_status st)
{
	if (st == PRUN_PASS)
		return PRUN_DMESG_WARN;
	if (st == PRUN_WARN || st == PRUN_FAIL)
		return PRUN_DMESG_FAIL;
	return st;
}

static void
on_finishing(void *ctx, struct prun_result *r)
{
	struct monitor *m = ctx;
	struct watched *w;
	char note[96];

	poll_kmsg(m);
	check_taint(m);
	if ((w = find(m, r->index)) == NULL)
		return;
	if (w->dropped > 0) {
		snprintf(note, sizeof note, "prun: %zu more bytes of the "
		    "kernel log were not kept\n", w->dropped);
		w->dropped = 0;
		append(w, note, strlen(note));
	}
	if (w->len > 0 && r->dmesg == NULL &&
	    (r->dmesg = text_to_utf8(w->log, w->len, &r->dmesg_len)) != NULL) {
		r->dmesg_shared = w->shared;
		if (w->matched)
			r->status = dmesg_status(r->status);
	}
	drop(m, w);
}

static void
on_ended(void *ctx, const struct prun_result *r, int durable)
{
	struct monitor *m = ctx;
	struct watched *w;

	(void)durable;
	if ((w = find(m, r->index)) != NULL)
		drop(m, w);
}

static void
on_lost(void *ctx, size_t index, int attempt, enum run_loss why)
{
	struct monitor *m = ctx;
	struct watched *w;

	(void)attempt;
	(void)why;
	if ((w = find(m, index)) != NULL)
		drop(m, w);
}

static void
on_tick(void *ctx)
{
	struct monitor *m = ctx;

	poll_kmsg(m);
	check_taint(m);
}

/* Link the monitor in; see monitor.h. */
void
monitor_observer(struct monitor *m, struct run_observer *o,
    const struct run_observer *next)
{
	memset(o, 0, sizeof *o);
	o->attach = on_attach;
	o->started = on_started;
	o->finishing = on_finishing;
	o->ended = on_ended;
	o->lost = on_lost;
	o->tick = on_tick;
	o->ctx = m;
	o->next = next;
}

const char *
monitor_cause(const struct monitor *m)
{
	return m != NULL && m->cause[0] != '\0' ? m->cause : NULL;
}

void
monitor_free(struct monitor *m)
{
	size_t i;

	if (m == NULL)
		return;
	kmsg_close(m->kmsg);
	if (m->has_dmesg_re)
		regfree(&m->dmesg_re);
	if (m->has_abort_re)
		regfree(&m->abort_re);
	for (i = 0; i < m->nw; i++)
		free(m->w[i].log);
	free(m->w);
	free(m);
}
