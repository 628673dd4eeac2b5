/*
 * report_tap: one TAP line per test, readable by prove(1).
 *
 * skip and notrun are "ok # SKIP"; warn is "ok" with a note; everything
 * worse is "not ok", with a TODO directive when a baseline expects it.
 * Names are made single-line and '#' is escaped, so a name cannot forge a
 * directive.
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"

/* The plan comes first: prove wants it known. */
static int
tap_begin(struct report *rep, const struct report_info *info)
{
	return fprintf(rep->fp, "TAP version 13\n1..%zu\n", info->ntests) < 0 ?
	    -1 : 0;
}

/* Write a name with '#' and '\' escaped (names hold no control chars). */
static int
put_name(FILE *fp, const char *name)
{
	for (; *name != '\0'; name++) {
		if ((*name == '#' || *name == '\\') && fputc('\\', fp) == EOF)
			return -1;
		if (fputc(*name, fp) == EOF)
			return -1;
	}
	return 0;
}

/* One test point; an expected failure or a known flake is a TODO, the
 * TAP word for a failure that does not count. */
static int
tap_test(struct report *rep, const struct report_info *info,
    const struct prun_result *r)
{
	int ok = !status_is_failure(r->status);

	if (fprintf(rep->fp, "%s %zu - ", ok ? "ok" : "not ok",
	    r->index + 1) < 0 || put_name(rep->fp, r->name) == -1)
		return -1;
	if (info->verdict == BASELINE_EXPECTED ||
	    info->verdict == BASELINE_FLAKE) {
		if (fprintf(rep->fp, " # TODO %s %s", status_name(r->status),
		    info->verdict == BASELINE_FLAKE ? "(known flake)" :
		    "(expected)") < 0)
			return -1;
	} else if (info->verdict == BASELINE_FIXED) {
		if (fprintf(rep->fp, " # TODO fixed: the baseline says %s",
		    status_name(info->expected)) < 0)
			return -1;
	} else if (r->flaky) {
		if (fprintf(rep->fp, " # flaky: passed after %zu failed "
		    "tr%s", r->ntries, r->ntries == 1 ? "y" : "ies") < 0)
			return -1;
	} else if (r->status == PRUN_SKIP || r->status == PRUN_NOTRUN) {
		if (fprintf(rep->fp, " # SKIP %s", status_name(r->status)) < 0)
			return -1;
	} else if (r->status != PRUN_PASS) {
		if (fprintf(rep->fp, " # %s", status_name(r->status)) < 0)
			return -1;
	}
	return fputc('\n', rep->fp) == EOF ? -1 : 0;
}

/* Nothing after the last point. */
static int
tap_end(struct report *rep, const struct report_info *info)
{
	(void)rep;
	(void)info;
	return 0;
}

const struct report_ops report_tap_ops = {
	.begin = tap_begin,
	.test = tap_test,
	.end = tap_end,
};
