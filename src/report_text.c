/*
 * report_text: the report for a person: each test that did not pass or
 * skip, then a table of counts per status.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

/* Nothing to say before the tests. */
static int
text_begin(struct report *rep, const struct report_info *info)
{
	(void)rep;
	(void)info;
	return 0;
}

/* One line per test that needs a look. */
static int
text_test(struct report *rep, const struct report_info *info,
    const struct prun_result *r)
{
	(void)info;
	if (r->status == PRUN_PASS || r->status == PRUN_SKIP)
		return 0;
	if (fprintf(rep->fp, "%-10s %s\n", status_name(r->status),
	    r->name) < 0)
		return -1;
	return 0;
}

/* The table of counts and the totals. */
static int
text_end(struct report *rep, const struct report_info *info)
{
	static const enum prun_status order[] = {
		PRUN_PASS, PRUN_WARN, PRUN_SKIP, PRUN_NOTRUN, PRUN_FAIL,
		PRUN_TIMEOUT, PRUN_CRASH, PRUN_INCOMPLETE,
	};
	size_t i, failing = 0;

	if (info->ntests > 0 && fputc('\n', rep->fp) == EOF)
		return -1;
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (status_is_failure(order[i]))
			failing += info->counts[order[i]];
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
	if (fprintf(rep->fp, "%s in %.1f s\n", failing ||
	    info->duplicates ? "FAILED" : "OK",
	    info->time_end - info->time_start) < 0)
		return -1;
	return 0;
}

const struct report_ops report_text_ops = {
	.begin = text_begin,
	.test = text_test,
	.end = text_end,
};
