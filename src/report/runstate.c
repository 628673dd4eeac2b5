/*
 * runstate: a run's state now, read without the lock (see runstate.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/util.h"
#include "plan/metadata.h"
#include "plan/shard.h"
#include "report/runstate.h"

/* Add a test started and not finished to a list. */
static int
add_test(struct runstate_test **v, size_t *n, const char *name,
    size_t index, const struct store_state *ts)
{
	struct runstate_test *nv;

	if ((nv = realloc(*v, (*n + 1) * sizeof *nv)) == NULL)
		return -1;
	*v = nv;
	if ((nv[*n].name = strdup(name)) == NULL)
		return -1;
	nv[*n].index = index;
	nv[*n].attempt = ts->attempt;
	nv[*n].since = ts->time_start;
	(*n)++;
	return 0;
}

/* Read what the run in dir is doing now; see runstate.h. */
int
runstate_read(struct runstate *rs, const char *dir, struct prun_error *err)
{
	struct prun_metadata md;
	struct prun_store *st = NULL;
	struct store_state ts;
	char what[PATH_MAX + 32], *buf;
	const char *name;
	size_t len, i;
	int rc = -1;

	memset(rs, 0, sizeof *rs);
	memset(&md, 0, sizeof md);
	rs->now = util_now();
	if ((rs->dir = strdup(dir)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", dir);
	/* Not writable: the lock is not taken (store.c rule 7). */
	if (store_open(&st, dir, 0, err) == -1 ||
	    store_read_metadata(st, &buf, &len, err) == -1)
		goto out;
	snprintf(what, sizeof what, "%s/%s", dir, STORE_METADATA);
	rc = metadata_decode(&md, buf, len, what, err);
	free(buf);
	if (rc == -1)
		goto out;
	rc = -1;
	store_set_run(st, md.options.backend, md.options.fsync);
	if (store_load_starts(st, plan_size(&md.plan), NULL, NULL, err) == -1)
		goto out;
	if (md.name != NULL && (rs->name = strdup(md.name)) == NULL)
		goto nomem;
	rs->held = store_held(st);
	rs->has_owner = store_read_owner(st, &rs->owner);
	rs->abort = store_read_abort(st);
	rs->total = shard_size(&md.options.shard, plan_size(&md.plan));
	for (i = 0; i < plan_size(&md.plan); i++) {
		if (!shard_member(&md.options.shard, i))
			continue;
		name = plan_name(&md.plan, i);
		if (store_test_state(st, i, name, &ts, err) == -1)
			goto out;
		if (ts.kind == STORE_FINISHED) {
			rs->done++;
			rs->counts[ts.result.status]++;
		} else if (ts.kind == STORE_DAMAGED)
			rs->damaged++;
		else if ((ts.kind == STORE_RUNNING && add_test(&rs->running,
		    &rs->nrunning, name, i, &ts) == -1) ||
		    (ts.kind == STORE_STARTED && add_test(&rs->started,
		    &rs->nstarted, name, i, &ts) == -1)) {
			store_state_free(&ts);
			goto nomem;
		}
		store_state_free(&ts);
	}
	rc = 0;
	goto out;
nomem:
	rc = prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", dir);
out:
	metadata_free(&md);
	store_close(st);
	return rc;
}

/* "pass 3, fail 1" for the statuses that have any. */
static int
write_counts(const struct runstate *rs, FILE *fp)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < PRUN_NSTATUS; i++)
		if (rs->counts[i] > 0) {
			if (fprintf(fp, "%s%zu %s", sep, rs->counts[i],
			    status_name(i)) < 0)
				return -1;
			sep = ", ";
		}
	return fputc('\n', fp) == EOF ? -1 : 0;
}

/* The tests of a list, one a line, with how long they have run. */
static int
write_tests(const struct runstate *rs, const struct runstate_test *v,
    size_t n, const char *how, FILE *fp)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fprintf(fp, "  %s (attempt %d, %s %.1f s%s)\n", v[i].name,
		    v[i].attempt, how, v[i].since > 0 ? rs->now - v[i].since :
		    0.0, rs->held ? "" : " ago") < 0)
			return -1;
	return 0;
}

/* Write the state as text; see runstate.h. */
int
runstate_write_text(const struct runstate *rs, FILE *fp)
{
	if (fprintf(fp, "%s: %zu/%zu tests done", rs->dir, rs->done,
	    rs->total) < 0 || (rs->done > 0 && fputs(": ", fp) == EOF) ||
	    (rs->done > 0 ? write_counts(rs, fp) : fputc('\n', fp) == EOF ?
	    -1 : 0) == -1)
		return -1;
	if (rs->held && rs->has_owner && fprintf(fp, "running: prun pid %ld "
	    "on %s holds the directory (since %.0f s)\n", rs->owner.pid,
	    rs->owner.host, rs->now - rs->owner.since) < 0)
		return -1;
	if (rs->held && !rs->has_owner && fputs("running: a prun holds the "
	    "directory\n", fp) == EOF)
		return -1;
	if (!rs->held && fprintf(fp, "not running: no prun holds the "
	    "directory%s%s\n", rs->done < rs->total ? "; continue with: prun "
	    "run --resume " : "", rs->done < rs->total ? rs->dir : "") < 0)
		return -1;
	if (!rs->held && rs->has_owner && fprintf(fp, "last held by prun pid "
	    "%ld on %s\n", rs->owner.pid, rs->owner.host) < 0)
		return -1;
	if (rs->nrunning > 0 && (fprintf(fp, "%zu running:\n",
	    rs->nrunning) < 0 || write_tests(rs, rs->running, rs->nrunning,
	    "for", fp) == -1))
		return -1;
	if (rs->nstarted > 0 && (fprintf(fp, "%zu started, not finished:\n",
	    rs->nstarted) < 0 || write_tests(rs, rs->started, rs->nstarted,
	    "started", fp) == -1))
		return -1;
	if (rs->damaged > 0 && fprintf(fp, "%zu damaged results\n",
	    rs->damaged) < 0)
		return -1;
	if (rs->abort != NULL && fprintf(fp, "halted, the machine needs "
	    "attention: %s\n", rs->abort) < 0)
		return -1;
	return 0;
}

/* [{"name", "index", "attempt", "seconds"}] */
static json_t *
tests_json(const struct runstate *rs, const struct runstate_test *v,
    size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:i, s:f}",
		    "name", v[i].name, "index", (json_int_t)v[i].index,
		    "attempt", v[i].attempt, "seconds", v[i].since > 0 ?
		    rs->now - v[i].since : 0.0));
	return a;
}

/* Write the state as one JSON object; see runstate.h. */
int
runstate_write_json(const struct runstate *rs, FILE *fp)
{
	json_t *o, *counts;
	size_t i;
	int rc;

	counts = json_object();
	for (i = 0; counts != NULL && i < PRUN_NSTATUS; i++)
		if (rs->counts[i] > 0)
			json_object_set_new(counts, status_name(i),
			    json_integer((json_int_t)rs->counts[i]));
	o = json_pack("{s:s, s:s?, s:I, s:I, s:o, s:I, s:b, s:o, s:o, s:o}",
	    "dir", rs->dir, "name", rs->name,
	    "total", (json_int_t)rs->total, "done", (json_int_t)rs->done,
	    "counts", counts != NULL ? counts : json_object(),
	    "damaged", (json_int_t)rs->damaged,
	    "held", rs->held,
	    "owner", rs->has_owner ? json_pack("{s:s, s:I, s:f}", "host",
	    rs->owner.host, "pid", (json_int_t)rs->owner.pid, "since",
	    rs->owner.since) : json_null(),
	    "running", tests_json(rs, rs->running, rs->nrunning),
	    "started", tests_json(rs, rs->started, rs->nstarted));
	if (o == NULL)
		return -1;
	if (rs->abort != NULL)
		json_object_set_new(o, "abort", json_string(rs->abort));
	rc = json_dumpf(o, fp, JSON_COMPACT) == -1 || fputc('\n', fp) == EOF ?
	    -1 : 0;
	json_decref(o);
	return rc;
}

void
runstate_free(struct runstate *rs)
{
	size_t i;

	for (i = 0; i < rs->nrunning; i++)
		free(rs->running[i].name);
	for (i = 0; i < rs->nstarted; i++)
		free(rs->started[i].name);
	free(rs->running);
	free(rs->started);
	free(rs->abort);
	free(rs->name);
	free(rs->dir);
	memset(rs, 0, sizeof *rs);
}
