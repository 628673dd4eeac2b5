/*
 * report_text: the report for a person: each test that did not pass or
 * skip (or passed only on a rerun, or is judged by a baseline), then a
 * table of counts per status.
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"

/* Nothing to say before the tests. */
static int
text_begin(struct report *rep, const struct report_info *info)
{
	(void)rep;
	(void)info;
	return 0;
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
	const char *shown = status_name(r->status);
	char note[256] = "";

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
	if (fprintf(rep->fp, "%-10s %s%s\n", shown, r->name, note) < 0)
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
	size_t i;

	if (info->ntests > 0 && fputc('\n', rep->fp) == EOF)
		return -1;
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		/* The kernel log's statuses only where --dmesg gave some. */
		if ((order[i] == PRUN_DMESG_WARN ||
		    order[i] == PRUN_DMESG_FAIL) && info->counts[order[i]] == 0)
			continue;
		if (fprintf(rep->fp, "%-10s %8zu\n", status_name(order[i]),
		    info->counts[order[i]]) < 0)
			return -1;
	}
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
	if (fprintf(rep->fp, "%s in %.1f s%s\n", info->failing ? "FAILED" :
	    "OK", info->time_end - info->time_start,
	    info->failing && info->verdicts[BASELINE_FIXED] > 0 ?
	    " (fixed tests: update the baseline with prun summary -f "
	    "baseline, or give --allow-fixes)" : "") < 0)
		return -1;
	return 0;
}

const struct report_ops report_text_ops = {
	.begin = text_begin,
	.test = text_test,
	.end = text_end,
};
