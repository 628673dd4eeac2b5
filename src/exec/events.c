/*
 * events: the run as JSON lines (see events.h and prun(1), EVENTS).
 *
 * A write error does not stop the run (the fragments are its record): it
 * is kept, later events are dropped, and events_close reports it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/util.h"
#include "exec/events.h"

/* A test started and not yet ended, with its start number. */
struct running {
	size_t	index;
	int	start;
};

struct events {
	FILE		*fp;
	char		*path;
	int		 errnum;	/* the first write error */
	struct running	*running;	/* as many as run at once */
	size_t		 nrunning, size;
};

/* Keep the start number of a test that starts (dropped when full: its
 * end then says its attempt as the fragment counts it). */
static void
keep_start(struct events *ev, size_t index, int start)
{
	struct running *p;
	size_t i;

	/* A rerun's try starts before the try it follows is told of. */
	for (i = 0; i < ev->nrunning; i++) {
		if (ev->running[i].index == index) {
			ev->running[i].start = start;
			return;
		}
	}
	if (ev->nrunning == ev->size) {
		p = realloc(ev->running, (ev->size * 2 + 8) * sizeof *p);
		if (p == NULL)
			return;
		ev->running = p;
		ev->size = ev->size * 2 + 8;
	}
	ev->running[ev->nrunning].index = index;
	ev->running[ev->nrunning++].start = start;
}

/* The start number kept for a test that ends, or dflt; forgets it. */
static int
take_start(struct events *ev, size_t index, int dflt)
{
	size_t i;
	int start;

	for (i = 0; i < ev->nrunning; i++) {
		if (ev->running[i].index != index)
			continue;
		start = ev->running[i].start;
		ev->running[i] = ev->running[--ev->nrunning];
		return start;
	}
	return dflt;
}

/* Open the stream; see events.h. */
int
events_open(struct events **out, const char *path, struct prun_error *err)
{
	struct events *ev;
	int e;

	*out = NULL;
	if ((ev = calloc(1, sizeof *ev)) == NULL ||
	    (ev->path = strdup(path)) == NULL) {
		free(ev);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "--events");
	}
	if (strcmp(path, "-") == 0)
		ev->fp = stdout;
	/* A resume appends to the stream of the run it continues. */
	else if ((ev->fp = fopen(path, "ae")) == NULL) {
		e = errno;
		free(ev->path);
		free(ev);
		return prun_error_errno(err, PRUN_EXIT_USAGE, e,
		    "run: --events %s", path);
	}
	*out = ev;
	return 0;
}

/* Begin an event: {"version":1,"event":"NAME","time":T */
static void
begin(struct events *ev, const char *name)
{
	fprintf(ev->fp, "{\"version\":%d,\"event\":\"%s\",\"time\":%.6f",
	    EVENTS_VERSION, name, util_now());
}

/* End an event's line and flush it, keeping the first error. */
static void
end(struct events *ev)
{
	fputs("}\n", ev->fp);
	if ((fflush(ev->fp) == EOF || ferror(ev->fp)) && ev->errnum == 0)
		ev->errnum = errno != 0 ? errno : EIO;
}

/* ,"key":"s" */
static void
put_string(struct events *ev, const char *key, const char *s)
{
	fprintf(ev->fp, ",\"%s\":", key);
	json_write_string(ev->fp, s, strlen(s));
}

/* ,"key":{"status":n,...} with the statuses that have any */
static void
put_counts(struct events *ev, const char *key, const size_t *counts)
{
	const char *sep = "";
	size_t i;

	fprintf(ev->fp, ",\"%s\":{", key);
	for (i = 0; i < PRUN_NSTATUS; i++)
		if (counts[i] > 0) {
			fprintf(ev->fp, "%s\"%s\":%zu", sep, status_name(i),
			    counts[i]);
			sep = ",";
		}
	fputc('}', ev->fp);
}

void
events_run_start(struct events *ev, const struct events_start *st)
{
	if (ev->errnum != 0)
		return;
	begin(ev, "run-start");
	put_string(ev, "plan_id", st->plan_id != NULL ? st->plan_id : "");
	fprintf(ev->fp, ",\"tests\":%zu,\"todo\":%zu,\"jobs\":%d", st->tests,
	    st->todo, st->jobs);
	if (st->shard_total > 0)
		fprintf(ev->fp, ",\"shard\":{\"index\":%u,\"total\":%u}",
		    st->shard_index, st->shard_total);
	else
		fputs(",\"shard\":null", ev->fp);
	fprintf(ev->fp, ",\"resume\":%s,\"reading\":%s",
	    st->resume ? "true" : "false", st->reading ? "true" : "false");
	end(ev);
}

static void
on_started(void *ctx, const struct prun_test *t, size_t index, int attempt)
{
	struct events *ev = ctx;

	/* attempt is the start number, PRUN_ATTEMPT (observer.h) */
	keep_start(ev, index, attempt);
	if (ev->errnum != 0)
		return;
	begin(ev, "test-start");
	put_string(ev, "name", t->name);
	fprintf(ev->fp, ",\"index\":%zu,\"attempt\":%d", index, attempt);
	end(ev);
}

static void
on_ended(void *ctx, const struct prun_result *r, int durable)
{
	struct events *ev = ctx;
	size_t counts[PRUN_NSTATUS] = { 0 }, i;

	int start = take_start(ev, r->index, r->attempt);

	(void)durable;
	if (ev->errnum != 0)
		return;
	for (i = 0; i < r->nsubtests; i++)
		counts[r->subtests[i].status]++;
	begin(ev, "test-end");
	put_string(ev, "name", r->name);
	fprintf(ev->fp, ",\"index\":%zu,\"attempt\":%d", r->index, start);
	put_string(ev, "status", status_name(r->status));
	fprintf(ev->fp, ",\"duration\":%.6f", r->time_end > r->time_start ?
	    r->time_end - r->time_start : 0.0);
	put_counts(ev, "subtests", counts);
	end(ev);
}

static void
on_lost(void *ctx, size_t index, int attempt, enum run_loss why)
{
	struct events *ev = ctx;

	attempt = take_start(ev, index, attempt);
	if (ev->errnum != 0)
		return;
	begin(ev, "test-lost");
	fprintf(ev->fp, ",\"index\":%zu,\"attempt\":%d", index, attempt);
	put_string(ev, "why", why == RUN_LOSS_STOPPED ? "stopped" :
	    why == RUN_LOSS_GIVEN_UP ? "given-up" : "unrecorded");
	end(ev);
}

/* Link the stream in; see events.h. */
void
events_observer(struct events *ev, struct run_observer *o,
    const struct run_observer *next)
{
	memset(o, 0, sizeof *o);
	o->started = on_started;
	o->ended = on_ended;
	o->lost = on_lost;
	o->ctx = ev;
	o->next = next;
}

void
events_run_end(struct events *ev, const size_t counts[PRUN_NSTATUS],
    int exit_status, const char *halt_why)
{
	if (ev->errnum != 0)
		return;
	begin(ev, "run-end");
	put_counts(ev, "counts", counts);
	fprintf(ev->fp, ",\"exit\":%d", exit_status);
	if (halt_why != NULL)
		put_string(ev, "halted", halt_why);
	end(ev);
}

/* Close the stream; see events.h. */
int
events_close(struct events *ev, struct prun_error *err)
{
	int rc = 0;

	if (ev == NULL)
		return 0;
	if (ev->fp != stdout && fclose(ev->fp) == EOF && ev->errnum == 0)
		ev->errnum = errno;
	if (ev->errnum != 0)
		rc = prun_error_errno(err, PRUN_EXIT_IO, ev->errnum,
		    "--events %s: cannot write", ev->path);
	free(ev->path);
	free(ev->running);
	free(ev);
	return rc;
}
