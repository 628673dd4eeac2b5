/*
 * report_text: the report for a person: each test that did not pass or
 * skip (or passed only on a rerun, or is judged by a baseline) with why
 * (reason.h), then a table of counts per status, the slowest tests and
 * the verdict.  A test a live prun is running is "running", not
 * incomplete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/reason.h"
#include "report/report.h"

/* The slowest tests the report names. */
#define TEXT_SLOWEST	5

/* One of the slowest tests. */
struct slow {
	char	*name;
	double	 secs;
};

/* What the writer keeps while the tests go by. */
struct text_state {
	size_t		 running;	/* incomplete tests a prun runs */
	struct slow	 slowest[TEXT_SLOWEST];	/* slowest first */
	size_t		 nslowest;
};

/* Start with nothing kept. */
static int
text_begin(struct report *rep, const struct report_info *info)
{
	(void)info;
	if ((rep->state = calloc(1, sizeof(struct text_state))) == NULL)
		return -1;
	return 0;
}

/* Keep r among the slowest finished tests. */
static int
keep_slow(struct text_state *ts, const struct prun_result *r)
{
	double secs = r->time_end - r->time_start;
	size_t k;
	char *name;

	if (r->time_end <= 0 || r->status == PRUN_INCOMPLETE ||
	    r->status == PRUN_NOTRUN)
		return 0;
	for (k = ts->nslowest; k > 0 && ts->slowest[k - 1].secs < secs; k--)
		;
	if (k == TEXT_SLOWEST)
		return 0;
	if ((name = strdup(r->name)) == NULL)
		return -1;
	if (ts->nslowest == TEXT_SLOWEST)
		free(ts->slowest[--ts->nslowest].name);
	memmove(&ts->slowest[k + 1], &ts->slowest[k],
	    (ts->nslowest - k) * sizeof ts->slowest[0]);
	ts->slowest[k].name = name;
	ts->slowest[k].secs = secs;
	ts->nslowest++;
	return 0;
}

/* Print a status name padded to 10 columns, in its colour. */
static int
put_status(struct report *rep, enum prun_status st, const char *shown)
{
	const char *sgr = rep->opts->color ? status_color(st) : NULL;

	if (sgr != NULL)
		return fprintf(rep->fp, "\033[%sm%-10s\033[0m", sgr, shown);
	return fprintf(rep->fp, "%-10s", shown);
}

/* " (left 2 processes: sleep, cat)" into buf. */
static void
leak_note(const struct prun_result *r, char *buf, size_t size)
{
	size_t i, len;

	len = (size_t)snprintf(buf, size, " (left %zu process%s", r->leaked,
	    r->leaked == 1 ? "" : "es");
	for (i = 0; i < r->nleak_commands && len + 1 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i == 0 ? ": " : ", ", r->leak_commands[i]);
	if (len + 1 < size)
		snprintf(buf + len, size - len, ")");
}

/* One line per test that needs a look, saying why. */
static int
text_test(struct report *rep, const struct report_info *info,
    const struct prun_result *r)
{
	struct text_state *ts = rep->state;
	const char *shown = status_name(r->status);
	char note[256] = "", why[512] = "";

	if (keep_slow(ts, r) == -1)
		return -1;
	if (r->status == PRUN_INCOMPLETE && r->running) {
		ts->running++;
		shown = "running";
	}
	switch (info->verdict) {
	case BASELINE_EXPECTED:
		snprintf(note, sizeof note, " (expected)");
		break;
	case BASELINE_FLAKE:
		snprintf(note, sizeof note, " (known flake)");
		break;
	case BASELINE_FIXED:
		snprintf(note, sizeof note, " (fixed: the baseline says %s)",
		    status_name(info->expected));
		break;
	case BASELINE_UNEXPECTED:
		if (info->expected != PRUN_NSTATUS)
			snprintf(note, sizeof note, " (the baseline says %s)",
			    status_name(info->expected));
		break;
	default:
		break;
	}
	/* Processes that outlived it (--leaks): shown even on a pass. */
	if (r->leaked > 0)
		leak_note(r, note + strlen(note), sizeof note - strlen(note));
	if (r->flaky) {
		shown = "flaky";
		snprintf(note + strlen(note), sizeof note - strlen(note),
		    " (passed after %zu failed tr%s)", r->ntries,
		    r->ntries == 1 ? "y" : "ies");
	} else if ((r->status == PRUN_PASS || r->status == PRUN_SKIP) &&
	    info->verdict == BASELINE_OK && r->leaked == 0)
		return 0;
	if (!r->running)
		reason_describe(r, why, sizeof why);
	if (put_status(rep, r->status, shown) < 0 ||
	    fprintf(rep->fp, " %s%s%s%s\n", r->name, note,
	    why[0] != '\0' ? ": " : "", why) < 0)
		return -1;
	return 0;
}

/* The slowest tests, slowest first. */
static int
text_slowest(struct report *rep, const struct text_state *ts)
{
	size_t k;

	if (ts->nslowest == 0)
		return 0;
	if (fprintf(rep->fp, "\nslowest:\n") < 0)
		return -1;
	for (k = 0; k < ts->nslowest; k++)
		if (fprintf(rep->fp, "%10.2f s %s\n", ts->slowest[k].secs,
		    ts->slowest[k].name) < 0)
			return -1;
	return 0;
}

/* The table of counts and the totals. */
static int
text_end(struct report *rep, const struct report_info *info)
{
	static const enum prun_status order[] = {
		PRUN_PASS, PRUN_WARN, PRUN_DMESG_WARN, PRUN_SKIP, PRUN_NOTRUN,
		PRUN_FAIL, PRUN_DMESG_FAIL, PRUN_TIMEOUT, PRUN_CRASH,
		PRUN_INCOMPLETE,
	};
	const struct text_state *ts = rep->state;
	size_t i, n;

	if (info->ntests > 0 && fputc('\n', rep->fp) == EOF)
		return -1;
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		/* The kernel log's statuses only where --dmesg gave some. */
		if ((order[i] == PRUN_DMESG_WARN ||
		    order[i] == PRUN_DMESG_FAIL) && info->counts[order[i]] == 0)
			continue;
		n = info->counts[order[i]];
		if (order[i] == PRUN_INCOMPLETE && ts->running <= n)
			n -= ts->running;
		if (fprintf(rep->fp, "%-10s %8zu\n", status_name(order[i]),
		    n) < 0)
			return -1;
	}
	if (ts->running > 0 && fprintf(rep->fp, "%-10s %8zu\n", "running",
	    ts->running) < 0)
		return -1;
	if (fprintf(rep->fp, "%-10s %8zu\n", "total", info->ntests) < 0)
		return -1;
	if (info->duplicates > 0 && fprintf(rep->fp, "%-10s %8zu\n",
	    "duplicate", info->duplicates) < 0)
		return -1;
	if (info->damaged > 0 && fprintf(rep->fp, "%-10s %8zu\n",
	    "damaged", info->damaged) < 0)
		return -1;
	if (info->flaky > 0 && fprintf(rep->fp, "%-10s %8zu\n",
	    "flaky", info->flaky) < 0)
		return -1;
	if (info->judged && (fputc('\n', rep->fp) == EOF ||
	    fprintf(rep->fp, "%-10s %8zu\n%-10s %8zu\n%-10s %8zu\n"
	    "%-10s %8zu\n", "expected", info->verdicts[BASELINE_EXPECTED],
	    "flake", info->verdicts[BASELINE_FLAKE],
	    "fixed", info->verdicts[BASELINE_FIXED],
	    "unexpected", info->verdicts[BASELINE_UNEXPECTED]) < 0))
		return -1;
	if (text_slowest(rep, ts) == -1)
		return -1;
	if (fprintf(rep->fp, "%s in %.1f s%s\n", info->failing ? "FAILED" :
	    "OK", info->time_end - info->time_start,
	    info->failing && info->verdicts[BASELINE_FIXED] > 0 ?
	    " (fixed tests: update the baseline with prun summary -f "
	    "baseline, or give --allow-fixes)" : "") < 0)
		return -1;
	return 0;
}

/* Free what the writer kept. */
static void
text_free(struct report *rep)
{
	struct text_state *ts = rep->state;
	size_t k;

	if (ts == NULL)
		return;
	for (k = 0; k < ts->nslowest; k++)
		free(ts->slowest[k].name);
	free(ts);
	rep->state = NULL;
}

const struct report_ops report_text_ops = {
	.begin = text_begin,
	.test = text_test,
	.end = text_end,
	.free = text_free,
};
