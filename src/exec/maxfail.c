/*
 * maxfail: stop starting tests after N failures; see maxfail.h.
 *
 * It counts results as the run reports them, that is once durable, and a
 * test's last try only (--rerun-failures: a failure that then passes is
 * flaky, not failed), so the count is what the results directory says.
 */
#include <stdio.h>
#include <string.h>

#include "exec/maxfail.h"

static void
on_attach(void *ctx, struct run_control *control)
{
	struct maxfail *m = ctx;

	m->control = control;
}

/* Whether a status counts against --max-fail: failed, crashed, timed
 * out; not warn, skip or an incomplete test. */
static int
counts(enum prun_status st)
{
	return st == PRUN_FAIL || st == PRUN_DMESG_FAIL ||
	    st == PRUN_TIMEOUT || st == PRUN_CRASH;
}

static void
on_ended(void *ctx, const struct prun_result *r, int durable)
{
	struct maxfail *m = ctx;
	char why[RUN_HALT_WHY];

	(void)durable;
	if (!counts(r->status) || ++m->failed != (size_t)m->limit ||
	    m->control == NULL)
		return;
	snprintf(why, sizeof why, "--max-fail %d: %zu tests failed, crashed "
	    "or timed out", m->limit, m->failed);
	run_halt(m->control, RUN_HALT_STARTS, why);
}

void
maxfail_observer(struct maxfail *m, int limit, struct run_observer *o,
    const struct run_observer *next)
{
	memset(m, 0, sizeof *m);
	memset(o, 0, sizeof *o);
	m->limit = limit;
	o->ctx = m;
	o->next = next;
	if (limit > 0) {
		o->attach = on_attach;
		o->ended = on_ended;
	}
}
